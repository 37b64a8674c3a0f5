import { z } from 'zod';
import { API_METHODS, type ApiMethodName } from './api-methods';
import type { Annotation, Code, Codebook, DocumentContent, DocumentMeta, DocumentSummary, ProjectInfo, Block } from './model';

/**
 * The one API between the UI and the application core, independent of transport. Every method
 * has an input schema (checked by main on every call, whatever the transport) and an output
 * schema (checked in tests, and documenting what the UI may rely on).
 */

const Id = z.string().min(1).max(200).regex(/^[A-Za-z0-9._:-]+$/, 'must be letters, digits, dot, underscore, colon or dash');
const Uuid = z.uuid();
const Offset = z.number().int().min(0).max(2 ** 31 - 1);
const Timestamp = z.iso.datetime({ offset: true });
const MEMO_MAX = 100_000;

/** No unpaired UTF-16 surrogates: they would not survive the trip through UTF-8 files. */
const wellFormed = (s: string): boolean => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
const Text = (max: number) => z.string().max(max).refine(wellFormed, 'must not hold unpaired surrogates');

const Meta = z.object({
  title: z.string(),
  publication: z.string(),
  author: z.string(),
  date: z.string(),
  url: z.string(),
}) satisfies z.ZodType<DocumentMeta>;

const BlockSchema: z.ZodType<Block> = z.lazy(() =>
  z.union([
    z.object({ type: z.literal('heading'), level: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5), z.literal(6)]), text: z.string() }),
    z.object({ type: z.literal('paragraph'), text: z.string() }),
    z.object({ type: z.literal('blockquote'), children: z.array(BlockSchema) }),
    z.object({ type: z.literal('list'), ordered: z.boolean(), items: z.array(z.array(BlockSchema)) }),
  ]),
);

export const schemas = {
  Id,
  Meta,
  Block: BlockSchema,
  DocumentContent: z.object({ id: Id, meta: Meta, blocks: z.array(BlockSchema), textHash: z.string() }) satisfies z.ZodType<DocumentContent>,
  DocumentSummary: z.object({ id: Id, meta: Meta, textHash: z.string(), annotationCount: z.number().int().min(0), problem: z.string().optional() }) satisfies z.ZodType<DocumentSummary>,
  Code: z.object({
    id: Id,
    name: z.string().min(1).max(200),
    color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
    description: z.string().max(10_000),
    parentId: Id.nullable(),
  }) satisfies z.ZodType<Code>,
  Annotation: z.object({
    id: Uuid,
    documentId: Id,
    textHash: z.string(),
    position: z.object({ type: z.literal('TextPositionSelector'), start: Offset, end: Offset }),
    quote: z.object({ type: z.literal('TextQuoteSelector'), exact: z.string(), prefix: z.string(), suffix: z.string() }),
    codeIds: z.array(Id).max(500),
    memo: Text(MEMO_MAX),
    coder: Text(200),
    created: Timestamp,
    modified: Timestamp,
  }) satisfies z.ZodType<Annotation>,
  ProjectInfo: z.object({
    name: z.string(),
    location: z.string(),
    coder: z.object({ id: Id, name: z.string() }),
    schemaVersion: z.number().int(),
  }) satisfies z.ZodType<ProjectInfo>,
};

const Codebook = z.object({ codes: z.array(schemas.Code) }) satisfies z.ZodType<Codebook>;
const Empty = z.object({}).strict();
const DocRef = z.object({ documentId: Id }).strict();

function method<I extends z.ZodType, O extends z.ZodType>(input: I, output: O, doc: string) {
  return { input, output, doc };
}

/** Every API method: its input and output schema and what it does. */
export const apiContract = {
  'project.info': method(Empty, schemas.ProjectInfo, 'The open project and the current coder.'),
  'documents.list': method(Empty, z.array(schemas.DocumentSummary), 'Documents with metadata and their number of coded passages.'),
  'documents.get': method(DocRef, schemas.DocumentContent, "A document's metadata and structure."),
  'codebook.get': method(Empty, Codebook, 'The codebook: every code, hierarchy by parentId.'),
  'annotations.list': method(DocRef, z.array(schemas.Annotation), "A document's coded passages, in text order."),
  'annotations.create': method(
    z
      .object({ documentId: Id, start: Offset, end: Offset, codeIds: z.array(Id).max(500), memo: Text(MEMO_MAX).optional() })
      .strict()
      .refine((v) => v.end > v.start, { message: 'end must be greater than start', path: ['end'] }),
    schemas.Annotation,
    'Codes a passage of the canonical plain text. Selectors are computed by main from the stored text.',
  ),
  'annotations.update': method(
    z.object({ documentId: Id, id: Uuid, codeIds: z.array(Id).max(500).optional(), memo: Text(MEMO_MAX).optional() }).strict(),
    schemas.Annotation,
    "Changes a passage's codes and/or memo.",
  ),
  'annotations.delete': method(z.object({ documentId: Id, id: Uuid }).strict(), schemas.Annotation, 'Deletes a passage and returns it as it was (for undo).'),
  'annotations.restore': method(
    z.object({ documentId: Id, id: Uuid }).strict(),
    schemas.Annotation,
    'Puts back a passage deleted in this session exactly as it was (undo of delete, redo of create). Main keeps the deleted passage; the client names it.',
  ),
} as const;

export type ApiContract = typeof apiContract;
export type ApiMethod = keyof ApiContract;
export type ApiInput<M extends ApiMethod> = z.input<ApiContract[M]['input']>;
export type ApiParsedInput<M extends ApiMethod> = z.output<ApiContract[M]['input']>;
export type ApiOutput<M extends ApiMethod> = z.output<ApiContract[M]['output']>;

/** What the core implements: one async handler per method, given already-validated input. */
export type ApiHandlers = { [M in ApiMethod]: (input: ApiParsedInput<M>) => Promise<ApiOutput<M>> };

/** What the UI calls: one async function per method. */
export type ApiClient = { [M in ApiMethod]: (input: ApiInput<M>) => Promise<ApiOutput<M>> };

type AssertNone<T extends never> = T;
// Compile only while the contract and API_METHODS name the same methods.
type _ContractHasOnlyListedMethods = AssertNone<Exclude<ApiMethod, ApiMethodName>>;
type _EveryListedMethodInContract = AssertNone<Exclude<ApiMethodName, ApiMethod>>;

export const apiMethods: readonly ApiMethod[] = API_METHODS;

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(apiContract, name);
}

/** Error kinds a call can fail with. Transports carry them as `{ code, message }`. */
export type ApiErrorCode = 'invalid_input' | 'unknown_method' | 'not_found' | 'store_refused' | 'internal';

/** An error with a message fit to show the user. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The serialisable form of an outcome, the same on every transport. */
export type ApiResponse = { ok: true; result: unknown } | { ok: false; error: { code: ApiErrorCode; message: string } };

/** Turns a validation failure into one readable line per problem. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'input'}: ${i.message}`).join('; ');
}

/**
 * Validates and runs one call. Every transport funnels through here, so no handler ever sees
 * unvalidated input and every failure has the same shape.
 */
export async function dispatch(handlers: ApiHandlers, method: unknown, input: unknown): Promise<ApiResponse> {
  if (!isApiMethod(method)) return { ok: false, error: { code: 'unknown_method', message: `Unknown API method: ${String(method).slice(0, 100)}` } };
  const parsed = apiContract[method].input.safeParse(input ?? {});
  if (!parsed.success) return { ok: false, error: { code: 'invalid_input', message: `${method}: ${describeIssues(parsed.error)}` } };
  try {
    const handler = handlers[method] as (i: unknown) => Promise<unknown>;
    return { ok: true, result: await handler(parsed.data) };
  } catch (e) {
    if (e instanceof ApiError) return { ok: false, error: { code: e.code, message: e.message } };
    return { ok: false, error: { code: 'internal', message: `${method} failed: ${e instanceof Error ? e.message : String(e)}` } };
  }
}

/** Builds a typed client over any transport that carries `(method, input)` to `dispatch`. */
export function createClient(send: (method: ApiMethod, input: unknown) => Promise<ApiResponse>): ApiClient {
  const client = {} as Record<ApiMethod, (input: unknown) => Promise<unknown>>;
  for (const m of apiMethods) {
    client[m] = async (input: unknown) => {
      const res = await send(m, input);
      if (!res.ok) throw new ApiError(res.error.code, res.error.message);
      return res.result;
    };
  }
  return client as unknown as ApiClient;
}
