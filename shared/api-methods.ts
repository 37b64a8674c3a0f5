/**
 * The names of every API method, without their schemas: code that needs only the names (the
 * sandboxed preload) imports this and stays free of zod. shared/api.ts checks at compile time
 * that its contract has exactly these methods.
 */
export const API_METHODS = [
  'workspace.get',
  'project.info',
  'project.rename',
  'coders.list',
  'coders.saveMe',
  'documents.list',
  'documents.get',
  'documents.prepareImport',
  'documents.cancelImport',
  'documents.commitImport',
  'documents.remove',
  'documents.update',
  'documents.move',
  'documents.previewReplace',
  'documents.replaceText',
  'documents.versions',
  'variables.create',
  'variables.update',
  'variables.move',
  'variables.delete',
  'codebook.get',
  'codebook.export',
  'codebook.previewImport',
  'codebook.import',
  'codes.create',
  'codes.update',
  'codes.move',
  'codes.merge',
  'codes.delete',
  'codes.usage',
  'annotations.list',
  'annotations.create',
  'annotations.addCodes',
  'annotations.codeInVivo',
  'annotations.removeCodes',
  'annotations.setMemo',
  'annotations.setRange',
  'annotations.delete',
  'history.get',
  'history.undo',
  'history.redo',
  'changes.since',
] as const;

/** An API method's name. */
export type ApiMethodName = (typeof API_METHODS)[number];
