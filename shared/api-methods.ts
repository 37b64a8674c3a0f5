/**
 * The names of every API method, without their schemas: code that needs only the names (the
 * sandboxed preload) imports this and stays free of zod. shared/api.ts checks at compile time
 * that its contract has exactly these methods.
 */
export const API_METHODS = [
  'project.info',
  'documents.list',
  'documents.get',
  'codebook.get',
  'annotations.list',
  'annotations.create',
  'annotations.update',
  'annotations.delete',
  'annotations.restore',
] as const;

/** An API method's name. */
export type ApiMethodName = (typeof API_METHODS)[number];
