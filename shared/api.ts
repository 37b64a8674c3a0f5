import { z } from 'zod';
import { API_METHODS, type ApiMethodName } from './api-methods';
import { ApiError, capMessage, type ApiErrorCode, type ApiResponse, type CallContext, type CommandResult, type ConflictDetails, type HistoryView } from './api-core';

export * from './api-core';
import type { ChangeEvent, ChangesSince } from './changes';
import type { Anchor, Annotation, BibliographyFormat, Block, CitationSummary, Code, Codebook, Coder, CslItemData, DocumentContent, DocumentMeta, DocumentSummary, DocumentVariable, ImportedCitation, Collection, Memo, MemoSubject, PlacedAnnotation, ProjectInfo, VariableValue } from './model';
import { VARIABLE_LIMITS, VARIABLE_TYPES } from './variables';
import { MEMO_LIMITS } from './memos';
import { COLLECTION_LIMITS } from './collections';

/**
 * The one API between the UI and the application core, independent of transport. Every method
 * has an input schema (checked by main on every call, whatever the transport) and an output
 * schema (checked in tests, and documenting what the UI may rely on).
 *
 * Every change is a command run by main in one transaction; its answer is a `CommandResult`
 * holding the change event it committed (the same one every other window gets from the feed)
 * and this window's undo/redo labels.
 */

const Id = z.string().min(1).max(200).regex(/^[A-Za-z0-9._:-]+$/, 'must be letters, digits, dot, underscore, colon or dash');
const Uuid = z.uuid();
const Offset = z.number().int().min(0).max(2 ** 31 - 1);
const Revision = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const Timestamp = z.iso.datetime({ offset: true });
const Color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour #rrggbb');
const MEMO_MAX = 100_000;
const SHORTCUT_PATTERN = /^([1-9]|Alt\+[A-Z])$/;

/** No unpaired UTF-16 surrogates: they would not survive the trip through UTF-8 files. */
const wellFormed = (s: string): boolean => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
const Text = (max: number) => z.string().max(max).refine(wellFormed, 'must not hold unpaired surrogates');

const Meta = z.object({
  title: z.string(),
  publication: z.string(),
  author: z.string(),
  date: z.string(),
  url: z.string(),
  accessed: z.string().optional(),
  pages: z.string().optional(),
}) satisfies z.ZodType<DocumentMeta>;

const BlockSchema: z.ZodType<Block> = z.lazy(() =>
  z.union([
    z.object({ type: z.literal('heading'), level: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5), z.literal(6)]), text: z.string() }),
    z.object({ type: z.literal('paragraph'), text: z.string() }),
    z.object({ type: z.literal('blockquote'), children: z.array(BlockSchema) }),
    z.object({ type: z.literal('list'), ordered: z.boolean(), items: z.array(z.array(BlockSchema)) }),
  ]),
);

const AnnotationSchema = z.object({
  id: Uuid,
  documentId: Id,
  textHash: z.string(),
  position: z.object({ type: z.literal('TextPositionSelector'), start: Offset, end: Offset }),
  quote: z.object({ type: z.literal('TextQuoteSelector'), exact: z.string(), prefix: z.string(), suffix: z.string() }),
  codeIds: z.array(Id).max(500),
  memo: Text(MEMO_MAX),
  coderId: Id,
  created: Timestamp,
  modified: Timestamp,
  rev: Revision,
}) satisfies z.ZodType<Annotation>;

const AnchorSchema = z.object({ status: z.enum(['exact', 'moved', 'orphan']), start: Offset, end: Offset }) satisfies z.ZodType<Anchor>;
const PlacedAnnotationSchema = AnnotationSchema.extend({ anchor: AnchorSchema }) satisfies z.ZodType<PlacedAnnotation>;
const CoderSchema = z.object({ id: Id, name: z.string().min(1).max(200), initials: z.string().min(1).max(3), color: Color }) satisfies z.ZodType<Coder>;
const CodeSchema = z.object({
  id: Id,
  name: z.string().min(1).max(200),
  color: Color,
  description: z.string().max(10_000),
  parentId: Id.nullable(),
  slot: z.number().int().min(0).max(1_000_000),
  shortcut: z.string().regex(SHORTCUT_PATTERN, 'must be a digit 1–9 or Alt+ and a letter').optional(),
}) satisfies z.ZodType<Code>;
/** A variable's value as it travels; main checks it fits its variable (shared/variables.ts). */
const VariableValueSchema = z.union([z.string().max(VARIABLE_LIMITS.text), z.number(), z.boolean()]) satisfies z.ZodType<VariableValue>;
const VariableSchema = z.object({
  id: Id,
  name: z.string().min(1).max(VARIABLE_LIMITS.name),
  type: z.enum(VARIABLE_TYPES),
  choices: z.array(z.string().min(1).max(VARIABLE_LIMITS.name)).max(VARIABLE_LIMITS.choices).optional(),
}) satisfies z.ZodType<DocumentVariable>;
const MemoSubjectSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('project') }).strict(),
  z.object({ kind: z.literal('document'), id: Id }).strict(),
  z.object({ kind: z.literal('code'), id: Id }).strict(),
]) satisfies z.ZodType<MemoSubject>;
const MemoSchema = z.object({
  id: Id,
  title: z.string().min(1).max(MEMO_LIMITS.title),
  text: Text(MEMO_LIMITS.text),
  about: MemoSubjectSchema,
  passages: z.array(z.object({ documentId: Id, id: Uuid })).max(MEMO_LIMITS.passages),
  authorId: Id,
  created: Timestamp,
  modified: Timestamp,
}) satisfies z.ZodType<Memo>;
const CollectionSchema = z.object({
  id: Id,
  name: z.string().min(1).max(COLLECTION_LIMITS.name),
  items: z.array(z.object({ documentId: Id, passageId: Uuid, note: Text(COLLECTION_LIMITS.note) })).max(COLLECTION_LIMITS.items),
  created: Timestamp,
  modified: Timestamp,
}) satisfies z.ZodType<Collection>;
const BibliographyFormatSchema = z.enum(['bibtex', 'ris', 'csl-json']) satisfies z.ZodType<BibliographyFormat>;
/** The most fields a CSL item may have (Gloss keeps about sixty). */
const CSL_FIELDS_MAX = 200;
/**
 * A CSL-JSON item as it travels: its shape only, bounded; main cleans it and checks every field
 * (main/core/citations/csl-json.ts) before keeping it.
 */
const CslItemSchema = z
  .looseObject({ id: z.union([z.string().max(10_000), z.number()]).transform(String), type: z.string().min(1).max(40) })
  .refine((item) => Object.keys(item).length <= CSL_FIELDS_MAX, `must have at most ${CSL_FIELDS_MAX} fields`) satisfies z.ZodType<CslItemData, unknown>;
const ImportedCitationSchema = z.object({ format: BibliographyFormatSchema, item: CslItemSchema }).strict() satisfies z.ZodType<ImportedCitation, unknown>;
const CitationSummarySchema = z.object({ format: BibliographyFormatSchema, type: z.string(), kind: z.string(), label: z.string() }) satisfies z.ZodType<CitationSummary>;

const DocumentSummarySchema = z.object({
  id: Id,
  meta: Meta,
  textHash: z.string(),
  annotationCount: z.number().int().min(0),
  codeCounts: z.record(Id, z.number().int().min(0)),
  problem: z.string().optional(),
  memo: z.string().optional(),
  values: z.record(Id, VariableValueSchema).optional(),
  citation: CitationSummarySchema.optional(),
}) satisfies z.ZodType<DocumentSummary>;

const ChangeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('annotation'), annotation: PlacedAnnotationSchema }),
  z.object({ type: z.literal('annotation-removed'), documentId: Id, id: Uuid }),
  z.object({ type: z.literal('document'), summary: DocumentSummarySchema, index: z.number().int().min(0).optional() }),
  z.object({ type: z.literal('document-removed'), documentId: Id }),
  z.object({ type: z.literal('codebook'), codes: z.array(CodeSchema) }),
  z.object({ type: z.literal('coders'), coders: z.array(CoderSchema) }),
  z.object({ type: z.literal('project'), name: z.string() }),
  z.object({ type: z.literal('variables'), variables: z.array(VariableSchema) }),
  z.object({ type: z.literal('memos'), memos: z.array(MemoSchema) }),
  z.object({ type: z.literal('collections'), collections: z.array(CollectionSchema) }),
]);
const ChangeEventSchema = z.object({ revision: Revision, origin: z.string().nullable(), label: z.string(), changes: z.array(ChangeSchema) }) satisfies z.ZodType<ChangeEvent>;

export const schemas = {
  Id,
  Meta,
  Block: BlockSchema,
  Code: CodeSchema,
  Coder: CoderSchema,
  Variable: VariableSchema,
  VariableValue: VariableValueSchema,
  Memo: MemoSchema,
  MemoSubject: MemoSubjectSchema,
  Collection: CollectionSchema,
  Annotation: AnnotationSchema,
  PlacedAnnotation: PlacedAnnotationSchema,
  DocumentContent: z.object({ id: Id, meta: Meta, blocks: z.array(BlockSchema), textHash: z.string(), pages: z.array(z.number().int().min(1)).optional(), citation: ImportedCitationSchema.optional() }) satisfies z.ZodType<DocumentContent, unknown>,
  ImportedCitation: ImportedCitationSchema,
  DocumentSummary: DocumentSummarySchema,
  ChangeEvent: ChangeEventSchema,
  ProjectInfo: z.object({
    name: z.string(),
    location: z.string(),
    coder: CoderSchema.nullable(),
    suggestedCoderName: z.string(),
    schemaVersion: z.number().int(),
    revision: Revision,
    notices: z.array(z.string()),
  }) satisfies z.ZodType<ProjectInfo>,
};

const HistoryViewSchema = z.object({ undo: z.string().nullable(), redo: z.string().nullable() }) satisfies z.ZodType<HistoryView>;
const CommandResultSchema = z.object({
  event: ChangeEventSchema,
  history: HistoryViewSchema,
  annotation: PlacedAnnotationSchema.optional(),
  reveal: z.object({ documentId: Id, annotationId: Uuid, restored: z.boolean() }).optional(),
  codeId: Id.optional(),
  variableId: Id.optional(),
  memoId: Id.optional(),
  collectionId: Id.optional(),
  documentIds: z.array(Id).optional(),
  skipped: z.array(Uuid).optional(),
  notice: z.string().optional(),
}) satisfies z.ZodType<CommandResult>;

const Codebook = z.object({ codes: z.array(CodeSchema) }) satisfies z.ZodType<Codebook>;
const Empty = z.object({}).strict();
const DocRef = z.object({ documentId: Id }).strict();
const PassageRef = { documentId: Id, id: Uuid };
const CodeIds = z.array(Id).min(1).max(500);

const CodeName = Text(400).refine((s) => s.trim() !== '', 'must not be empty');
// eslint-disable-next-line no-control-regex
const ProjectName = Text(200).refine((s) => s.trim() !== '' && !/[\u0000-\u001f\u007f-\u009f]/.test(s), 'must not be empty or hold control characters');
// eslint-disable-next-line no-control-regex
const Definition = Text(10_000).refine((s) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/.test(s), 'must not hold control characters (other than tabs and line breaks)');

/** A file to import, base64: 64 MB of bytes, the importers' limit. */
export const IMPORT_UPLOAD_MAX = Math.ceil((64 * 1024 * 1024) / 3) * 4;
const ImportPreparedSchema = z.object({
  token: Uuid,
  title: z.string(),
  format: z.enum(['txt', 'md', 'html', 'docx', 'odt', 'epub', 'pdf']),
  characters: z.number().int().min(0),
  notes: z.array(z.string()),
  duplicateOf: z.object({ id: Id, title: z.string() }).nullable(),
});

/** ISO 8601 date as the citation fields take it: YYYY, YYYY-MM, YYYY-MM-DD, or empty. */
const IsoDate = z.string().regex(/^(?:\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?)?$/, 'must be YYYY, YYYY-MM or YYYY-MM-DD, or empty');
// eslint-disable-next-line no-control-regex
const MetaText = (max: number) => Text(max).refine((s) => !/[\u0000-\u001f\u007f]/.test(s), 'must not hold control characters');
/** The editable fields of a document, each optional (those a call changes). */
const DocumentFields = z
  .object({
    title: MetaText(500).refine((s) => s.trim() !== '', 'must not be empty'),
    author: MetaText(2000),
    publication: MetaText(1000),
    date: IsoDate,
    url: z.string().max(2000).regex(/^(?:https?:\/\/\S+)?$/i, 'must be a web address (http:// or https://), or empty'),
    accessed: IsoDate,
    pages: MetaText(100),
    memo: Text(MEMO_MAX),
  })
  .partial()
  .strict();
/** The editable fields of a document (each optional), as `documents.update` takes them. */
export const documentFieldsSchema = DocumentFields;

/** A bibliography file's text, as `documents.readCitation` takes it: 5 MB, the importer's limit. */
export const CITATION_FILE_MAX = 5 * 1024 * 1024;

/** Values of document variables to set, by variable id; null: none. */
const VariableValues = z.record(Id, VariableValueSchema.nullable());
const VariableName = Text(VARIABLE_LIMITS.name * 2).refine((s) => s.trim() !== '', 'must not be empty');
const Choice = Text(VARIABLE_LIMITS.name * 2);
const Choices = z.array(Choice).min(1).max(VARIABLE_LIMITS.choices);

const ReplacePreviewSchema = z.object({
  token: Uuid,
  characters: z.number().int().min(0),
  notes: z.array(z.string()),
  counts: z.object({ unchanged: z.number().int(), moved: z.number().int(), changed: z.number().int(), orphaned: z.number().int() }),
  passages: z.array(
    z.object({
      id: Uuid,
      status: z.enum(['unchanged', 'moved', 'changed', 'orphaned']),
      score: z.number().min(0).max(1),
      before: z.boolean().optional(),
      old: z.object({ start: Offset, end: Offset, text: z.string() }),
      new: z.object({ start: Offset, end: Offset, text: z.string() }).nullable(),
    }),
  ),
});

/** A REFI-QDA file's text: main checks its size again, and everything else, when it reads it. */
const QdcText = z.string().max(10 * 1024 * 1024);

/** How a search matches (shared/text-search.ts): folded case and diacritics unless asked, whole words, regular expressions. */
const SearchOptions = {
  caseSensitive: z.boolean().optional(),
  diacriticSensitive: z.boolean().optional(),
  wholeWord: z.boolean().optional(),
  regex: z.boolean().optional(),
};
const SearchQuery = Text(1000).refine((s) => s.trim() !== '', 'must not be empty');
const HitSchema = z.object({ start: Offset, end: Offset, before: z.string(), match: z.string(), after: z.string() });
const CitationStyle = z.enum(['apa', 'chicago', 'mla']);
/** The orders of the passages view: document then text, first code's path, creation, length (longest first). */
const PassageSort = z.enum(['document', 'code', 'created', 'length']);

const ImportPreviewSchema = z.object({
  origin: z.string().nullable(),
  entries: z.array(
    z.object({
      path: z.array(z.string()),
      status: z.enum(['new', 'matched', 'conflict']),
      matchedBy: z.enum(['guid', 'path']).optional(),
      changes: z.array(z.string()).optional(),
      updates: z.boolean(),
      reason: z.string().optional(),
    }),
  ),
  counts: z.object({ new: z.number().int().min(0), matched: z.number().int().min(0), changed: z.number().int().min(0), conflicts: z.number().int().min(0) }),
  unchanged: z.boolean(),
  warnings: z.array(z.string()),
});

function method<I extends z.ZodType, O extends z.ZodType>(input: I, output: O, doc: string) {
  return { input, output, doc };
}

/** Every API method: its input and output schema and what it does. */
export const apiContract = {
  'workspace.get': method(
    Empty,
    z.object({
      project: schemas.ProjectInfo,
      documents: z.array(DocumentSummarySchema),
      codes: z.array(CodeSchema),
      coders: z.array(CoderSchema),
      variables: z.array(VariableSchema),
      memos: z.array(MemoSchema),
      collections: z.array(CollectionSchema),
      history: HistoryViewSchema,
    }),
    "Everything a window shows on opening, as one snapshot at `project.revision`: the project, the documents list, the codebook, the coders, the document variables, the memos, the quote collections and this window's undo and redo.",
  ),
  'project.info': method(Empty, schemas.ProjectInfo, 'The open project, its revision, the current coder and what happened on opening.'),
  'project.rename': method(
    z.object({ name: ProjectName }).strict(),
    CommandResultSchema,
    'Renames the project (undoable). Fails with `conflict` if it was renamed elsewhere meanwhile.',
  ),
  'coders.list': method(Empty, z.array(CoderSchema), 'Every coder who has worked on the project.'),
  'coders.saveMe': method(
    z.object({ name: Text(200).refine((s) => s.trim() !== '', 'must not be empty'), initials: Text(3).optional(), color: Color.optional() }).strict(),
    CoderSchema,
    'Creates or edits the profile of the person using this Gloss; their new passages carry its id.',
  ),
  'documents.list': method(Empty, z.array(DocumentSummarySchema), 'Documents with metadata and their number of coded passages (from the project index; no passages are read).'),
  'documents.get': method(DocRef, schemas.DocumentContent, "A document's metadata and structure."),
  'documents.prepareImport': method(
    z
      .object({
        requestId: Uuid,
        fileName: z.string().min(1).max(255),
        content: z.base64().max(IMPORT_UPLOAD_MAX, 'the file is larger than Gloss imports (64 MB)'),
        encoding: z.string().min(1).max(40).optional(),
      })
      .strict(),
    ImportPreparedSchema,
    "Reads a file to import (`content`: its bytes, base64), off the main thread and within time and memory limits, and keeps the result for `documents.commitImport`; changes nothing. `duplicateOf` names a document with the same text already in the project. A file that cannot be imported fails with `invalid_input` saying why; when only its encoding is unknown, `details.encodings` lists the likeliest first and `details.choices` every encoding Gloss reads (label and name), for the user to choose from and call again with `encoding`.",
  ),
  'documents.cancelImport': method(z.object({ requestId: Uuid }).strict(), z.object({ cancelled: z.boolean() }), 'Stops the `documents.prepareImport` of that `requestId` if it is still running (it then fails with `conflict`, "cancelled").'),
  'documents.commitImport': method(
    z.object({ tokens: z.array(Uuid).min(1).max(1000) }).strict(),
    CommandResultSchema,
    'Adds prepared files as documents, in one transaction and one undo step; `documentIds` in the answer are their ids, in order. Files whose text the project already holds (or an earlier file of the same call) are skipped, and the notice says so. A token that expired or is unknown fails with `invalid_input`.',
  ),
  'documents.remove': method(
    z.object({ documentIds: z.array(Id).min(1).max(1000) }).strict(),
    CommandResultSchema,
    'Deletes documents with all their coded passages, in one transaction. Undoable: undo puts them back where they were, with their passages.',
  ),
  'documents.update': method(
    z
      .object({
        documentId: Id,
        changes: DocumentFields,
        base: DocumentFields,
        values: VariableValues.optional(),
        valuesBase: VariableValues.optional(),
      })
      .strict(),
    CommandResultSchema,
    "Changes a document's properties (the fields a citation needs), its memo, or its values of document variables (`values`, by variable id; null clears one), in one undoable step. `base` and `valuesBase` hold what the window showed for each field and value it changes: one changed elsewhere since is not overwritten (`conflict`, with nothing changed). A value that does not fit its variable's type, or an unknown variable, is `invalid_input`.",
  ),
  'documents.readCitation': method(
    z.object({ fileName: z.string().min(1).max(255), content: z.string().max(CITATION_FILE_MAX, 'the file is larger than Gloss reads (5 MB)') }).strict(),
    z.object({
      format: BibliographyFormatSchema,
      items: z.array(z.object({ item: CslItemSchema, type: z.string(), kind: z.string(), label: z.string(), fills: Meta.partial() })),
      warnings: z.array(z.string()),
    }),
    "Reads a bibliography file (BibTeX/BibLaTeX, RIS or CSL-JSON, e.g. exported from Zotero; `content`: its text), changing nothing: each entry as a CSL item with its type (`kind`: in words), a label to choose it by, and the document properties it would fill (`fills`, as `documents.setCitation` fills them); `warnings` say what was left out. A file that cannot be read fails with `invalid_input` saying why and where.",
  ),
  'documents.setCitation': method(
    z.object({ documentId: Id, citation: ImportedCitationSchema.nullable(), base: DocumentFields }).strict(),
    CommandResultSchema,
    "Sets the citation imported for a document (an item `documents.readCitation` gave, and the file's format), in one undoable step that also fills the properties it gives; its quotations are then cited from the item. `base` holds what the window showed for the properties: one changed elsewhere since is not overwritten (`conflict`, with nothing changed). null removes the imported citation, leaving the properties as they are. An item main does not read whole is `invalid_input`.",
  ),
  'documents.move': method(
    z.object({ documentId: Id, before: Id.nullable() }).strict(),
    CommandResultSchema,
    'Moves a document in the documents list, before document `before` (null: to the end). Undoable.',
  ),
  'documents.previewReplace': method(
    z
      .object({
        documentId: Id,
        requestId: Uuid,
        fileName: z.string().min(1).max(255),
        content: z.base64().max(IMPORT_UPLOAD_MAX, 'the file is larger than Gloss imports (64 MB)'),
        encoding: z.string().min(1).max(40).optional(),
      })
      .strict(),
    ReplacePreviewSchema,
    "What replacing a document's text with a new version (a file, read like an import) would do to each of its passages, changing nothing: `unchanged`, `moved`, `changed` (old and new words, a score 0–1) or `orphaned` (found nowhere: kept, flagged); passages that could not be placed before stay so (`orphaned`, `before: true`). `token` is for `documents.replaceText`.",
  ),
  'documents.replaceText': method(
    z
      .object({
        token: Uuid,
        orphan: z.array(Uuid).max(1_000_000).optional(),
        retarget: z.array(z.object({ id: Uuid, start: Offset, end: Offset }).strict()).max(1_000_000).optional(),
      })
      .strict(),
    CommandResultSchema,
    "Replaces the document's text with the previewed version, in one transaction and one undo step: each passage where the preview placed it, except those in `orphan` (kept unplaced) and those in `retarget` (put on the range given, of the new text). The text replaced is kept (`documents.versions`). Fails with `conflict` when the document or any of its passages changed since the preview.",
  ),
  'documents.versions': method(
    DocRef,
    z.array(z.object({ textHash: z.string(), replaced: z.string(), content: schemas.DocumentContent })),
    "The earlier versions of a document's text, oldest first, each with its content as it was.",
  ),
  'variables.create': method(
    z.object({ name: VariableName, type: z.enum(VARIABLE_TYPES), choices: Choices.optional() }).strict(),
    CommandResultSchema,
    'Defines a document variable, last in the order; `choices` (one of a list only) are its values, in order. Names are unique regardless of case. `variableId` in the answer is its id. Undoable.',
  ),
  'variables.update': method(
    z.object({ id: Id, name: VariableName.optional(), type: z.enum(VARIABLE_TYPES).optional(), choices: Choices.optional(), renamed: z.record(Choice, Choice).optional() }).strict(),
    CommandResultSchema,
    "Renames a variable, edits its choices, or changes its type, in one undoable step. `renamed` maps old choices to new ones: every document's value follows (renaming one to a choice that is kept merges them); a choice taken out that documents still hold is refused, counting them. A new `type` converts every value (text to number reads it, anything to one of a list makes the values the choices unless `choices` are given); it is refused, counting the documents, when any value does not convert.",
  ),
  'variables.move': method(
    z.object({ id: Id, before: Id.nullable() }).strict(),
    CommandResultSchema,
    'Moves a variable in the order (of the properties dialog and the lists), before variable `before` (null: last). Undoable.',
  ),
  'variables.delete': method(
    z.object({ id: Id }).strict(),
    CommandResultSchema,
    "Deletes a variable and every document's value of it. Undoable: undo puts back the variable and each value.",
  ),
  'codebook.get': method(Empty, Codebook, 'The codebook: every code, hierarchy by parentId.'),
  'codebook.export': method(
    z.object({ format: z.enum(['qdc', 'csv', 'md']) }).strict(),
    z.object({ fileName: z.string(), mimeType: z.string(), content: z.string(), codes: z.number().int().min(0) }),
    'The codebook as a file: a REFI-QDA codebook (`qdc`), CSV (with each code’s passages) or Markdown. Fails with `invalid_input` when the format cannot hold it (no codes for `qdc`).',
  ),
  'codebook.previewImport': method(
    z.object({ content: QdcText }).strict(),
    ImportPreviewSchema,
    'What importing a REFI-QDA codebook (.qdc) would do, changing nothing: each code of the file as new, matched (by GUID, then by path) or a conflict, with what would change. A file that cannot be read fails with `invalid_input` saying what is wrong and where.',
  ),
  'codebook.import': method(
    z.object({ content: QdcText }).strict(),
    CommandResultSchema,
    'Imports a REFI-QDA codebook (.qdc) as planned by `codebook.previewImport` against the codebook as it is when the import runs: one transaction, one undo step. Conflicts are left as they are. A file that would change nothing fails with `invalid_input`.',
  ),
  'codes.create': method(
    z.object({ name: CodeName, parentId: Id.nullable(), color: Color.optional(), description: Definition.optional(), before: Id.nullable().optional() }).strict(),
    CommandResultSchema,
    'Creates a code (at the top level, or as the last child of `parentId`, or before sibling `before`); `codeId` in the answer is its id. Undoable.',
  ),
  'codes.update': method(
    z.object({ id: Id, name: CodeName.optional(), color: Color.optional(), description: Definition.optional(), shortcut: z.string().regex(SHORTCUT_PATTERN, 'must be a digit 1–9 or Alt+ and a letter').nullable().optional() }).strict(),
    CommandResultSchema,
    "Renames, recolours or redefines a code, or gives it a shortcut key (null: none; a key another code had moves to this one). Undoable.",
  ),
  'codes.move': method(
    z.object({ id: Id, parentId: Id.nullable(), before: Id.nullable() }).strict(),
    CommandResultSchema,
    'Moves a code under `parentId` (null: the top level), before sibling `before` (null: last). Undoable.',
  ),
  'codes.merge': method(
    z.object({ id: Id, into: Id }).strict(),
    CommandResultSchema,
    "Merges code `id` into `into`: its passages are coded `into`, its children move under `into`, its definition is appended, and it is deleted. One undoable step, however many documents it touches.",
  ),
  'codes.delete': method(
    z.object({ id: Id, children: z.enum(['lift', 'delete']) }).strict(),
    CommandResultSchema,
    "Deletes a code: its passages keep their other codes (a passage left without any stays, uncoded); its children move up to its parent (`lift`) or are deleted with it. Undoable.",
  ),
  'codes.usage': method(
    z.object({ id: Id, withDescendants: z.boolean() }).strict(),
    z.object({ passages: z.number().int().min(0), documents: z.number().int().min(0), onlyThese: z.number().int().min(0), descendants: z.number().int().min(0) }),
    'How many passages in how many documents a code (and, if asked, the codes below it) is on, and how many of them have no other code: what deleting it would touch.',
  ),
  'annotations.list': method(
    DocRef,
    z.object({ revision: Revision, annotations: z.array(PlacedAnnotationSchema) }),
    "A document's coded passages in text order, each with where it is in the current text, as of `revision`.",
  ),
  'annotations.create': method(
    z
      .object({ documentId: Id, start: Offset, end: Offset, codeIds: z.array(Id).max(500), memo: Text(MEMO_MAX).optional() })
      .strict()
      .refine((v) => v.end > v.start, { message: 'end must be greater than start', path: ['end'] }),
    CommandResultSchema,
    'Codes a passage of the canonical plain text. Selectors are computed by main from the stored text.',
  ),
  'annotations.addCodes': method(z.object({ ...PassageRef, codeIds: CodeIds }).strict(), CommandResultSchema, 'Adds codes to a passage (codes it has already are left as they are).'),
  'annotations.codeInVivo': method(
    z
      .object({ documentId: Id, start: Offset, end: Offset, parentId: Id.nullable() })
      .strict()
      .refine((v) => v.end > v.start, { message: 'end must be greater than start', path: ['end'] }),
    CommandResultSchema,
    'In-vivo coding: codes the passage with a code named after its own words (`inVivoName` in shared/codebook.ts), under `parentId` (null: the top level). A code of that name there already is applied rather than made twice; a passage over exactly this span gets the code rather than a twin. Making the code and coding the passage are one transaction and one undo step; `codeId` in the answer is the code applied.',
  ),
  'annotations.removeCodes': method(z.object({ ...PassageRef, codeIds: CodeIds }).strict(), CommandResultSchema, 'Removes codes from a passage.'),
  'annotations.setMemo': method(
    z.object({ ...PassageRef, memo: Text(MEMO_MAX), base: Text(MEMO_MAX), session: Uuid.optional() }).strict(),
    CommandResultSchema,
    "Sets a passage's memo. `base` is the memo as this window last saw it: if the memo has changed since, nothing is written and the call fails with `conflict` (details: the memo now). Saves with the same `session` make one undo step.",
  ),
  'annotations.setRange': method(
    z
      .object({ ...PassageRef, start: Offset, end: Offset })
      .strict()
      .refine((v) => v.end > v.start, { message: 'end must be greater than start', path: ['end'] }),
    CommandResultSchema,
    "Puts a passage on another range of its document's current text, keeping its codes and memo: an orphan placed by hand, or its edges moved. The range is trimmed of spaces at its ends, like a new passage. Undoable; fails with `conflict` when the passage was moved or placed elsewhere meanwhile.",
  ),
  'annotations.delete': method(z.object(PassageRef).strict(), CommandResultSchema, 'Deletes a passage (undoable).'),
  'annotations.autocode': method(
    z
      .object({
        query: SearchQuery,
        ...SearchOptions,
        documentIds: z.array(Id).max(100_000).optional(),
        codeIds: CodeIds,
        skip: z.array(z.object({ documentId: Id, start: Offset }).strict()).max(10_000).optional(),
        expect: z.record(Id, z.string().max(200)),
      })
      .strict(),
    CommandResultSchema,
    "Codes every match of a search (as `search.project` previewed it) with `codeIds`, in one transaction and one undo step: each match becomes a passage, or gets the codes if a passage covers exactly its words; matches in `skip` (by document and start) are left out. `expect` holds each document's text hash at the preview: a document whose text changed since is a `conflict`, with nothing changed. More matches than one search lists is `invalid_input`.",
  ),
  'annotations.recode': method(
    z
      .object({
        passages: z.array(z.object(PassageRef).strict()).min(1).max(100_000).optional(),
        query: Text(4000).optional(),
        add: z.array(Id).max(500),
        remove: z.array(Id).max(500),
      })
      .strict()
      .refine((v) => (v.passages === undefined) !== (v.query === undefined), { message: 'give either passages or a query', path: ['passages'] })
      .refine((v) => v.add.length + v.remove.length > 0, { message: 'add or remove at least one code', path: ['add'] })
      .refine((v) => !v.add.some((c) => v.remove.includes(c)), { message: 'a code cannot be both added and removed', path: ['remove'] }),
    CommandResultSchema,
    "Recodes many passages at once (the passages view's selection): each of `passages`, or every passage `query` gives now, gets the codes of `add` it lacks and loses those of `remove` it has; a passage left without a code stays, uncoded. One transaction and one undo step; passages it would not change are left out, and the notice says how many changed. A passage deleted meanwhile is `not_found`, with nothing changed; nothing to change at all is `invalid_input`.",
  ),
  'search.project': method(
    z.object({ query: SearchQuery, ...SearchOptions, documentIds: z.array(Id).max(100_000).optional() }).strict(),
    z.object({
      total: z.number().int().min(0),
      truncated: z.boolean(),
      documents: z.array(z.object({ documentId: Id, title: z.string(), textHash: z.string(), hits: z.array(HitSchema) })),
    }),
    'Searches the texts of the project (or of `documentIds`), in list order: every match with the words around it, grouped by document, at most 5,000 (`truncated` when there were more). Case and diacritics are folded unless asked; a regular expression (JavaScript syntax) runs off the main thread for at most 2 seconds. A malformed or too slow expression fails with `invalid_input` saying why.',
  ),
  'passages.query': method(
    z
      .object({
        query: Text(4000),
        sort: PassageSort,
        offset: z.number().int().min(0).max(10_000_000),
        limit: z.number().int().min(1).max(2000),
      })
      .strict(),
    z.object({
      revision: Revision,
      total: z.number().int().min(0),
      rows: z.array(z.object({ passage: PlacedAnnotationSchema, documentTitle: z.string(), before: z.string(), after: z.string() })),
    }),
    'The coded passages of the whole project that match `query` (the query language of the README; empty: all of them), sorted, rows `offset` to `offset + limit` of them, each with its document’s title and the words around it, as of `revision`. A query that cannot be run fails with `invalid_input` saying what and where.',
  ),
  'passages.export': method(
    z.object({ query: Text(4000), sort: PassageSort, format: z.enum(['csv', 'md']) }).strict(),
    z.object({ fileName: z.string(), mimeType: z.string(), content: z.string(), rows: z.number().int().min(0) }),
    'Every passage `passages.query` gives for `query` and `sort`, as a file: CSV (one row per passage, its codes in one cell; RFC 4180) or Markdown (a block quote per passage under its document, with its codes and memo).',
  ),
  'passages.quote': method(
    z.object({ ...PassageRef, style: CitationStyle }).strict(),
    z.object({
      text: z.string(),
      html: z.string(),
      inText: z.string(),
      reference: z.string(),
      referenceHtml: z.string(),
      locator: z.object({ label: z.enum(['page', 'paragraph']), value: z.string() }).nullable(),
    }),
    "A passage as a quotation with its citation in `style` (APA 7, Chicago author-date, MLA 9), from its document's imported citation when it has one (`documents.setCitation`), else from its properties, offline: plain text and HTML for the clipboard, the in-text citation with its locator (page for texts read from pages, paragraph otherwise), and the reference. An unplaced passage is quoted without a locator.",
  ),
  'memos.create': method(
    z.object({ title: Text(MEMO_LIMITS.title), text: Text(MEMO_LIMITS.text), about: MemoSubjectSchema, passages: z.array(z.object(PassageRef).strict()).max(MEMO_LIMITS.passages).optional() }).strict(),
    CommandResultSchema,
    'Writes a memo on the project (its research journal), a document or a code, by the current coder; `memoId` in the answer is its id. The title is one line (empty: “Untitled memo”). Undoable.',
  ),
  'memos.update': method(
    z
      .object({
        id: Id,
        title: Text(MEMO_LIMITS.title).optional(),
        text: Text(MEMO_LIMITS.text).optional(),
        about: MemoSubjectSchema.optional(),
        base: z.object({ title: Text(MEMO_LIMITS.title), text: Text(MEMO_LIMITS.text) }).strict(),
      })
      .strict(),
    CommandResultSchema,
    "Changes a memo's title, text or subject, in one undoable step. `base` is its title and text as this window last saw them: when either changed since (another window saved first), nothing is written and the call fails with `conflict` (details: the memo now).",
  ),
  'memos.delete': method(z.object({ id: Id }).strict(), CommandResultSchema, 'Deletes a memo (undoable: undo puts it back with its links).'),
  'memos.link': method(
    z.object({ id: Id, passage: z.object(PassageRef).strict(), linked: z.boolean() }).strict(),
    CommandResultSchema,
    'Links a passage to a memo (last among its passages), or unlinks it. Undoable. A passage that does not exist is `not_found`.',
  ),
  'memos.export': method(
    z.object({ format: z.literal('md') }).strict(),
    z.object({ fileName: z.string(), mimeType: z.string(), content: z.string(), memos: z.number().int().min(0) }),
    'Every memo of the project as one Markdown file: the research journal, then the memos on each document (its own note among them) and on each code, each with its title, author, dates and linked passages, then every passage memo under its document.',
  ),
  'collections.create': method(
    z.object({ name: Text(COLLECTION_LIMITS.name) }).strict(),
    CommandResultSchema,
    'Makes an empty quote collection; `collectionId` in the answer is its id. The name is one line (empty: “Untitled collection”). Undoable.',
  ),
  'collections.rename': method(
    z.object({ id: Id, name: Text(COLLECTION_LIMITS.name), base: Text(COLLECTION_LIMITS.name) }).strict(),
    CommandResultSchema,
    "Renames a quote collection, in one undoable step. `base` is its name as this window last saw it: when it changed since, nothing is written and the call fails with `conflict`.",
  ),
  'collections.delete': method(z.object({ id: Id }).strict(), CommandResultSchema, 'Deletes a quote collection (undoable: undo puts it back with its quotes and notes). Its passages are left as they are.'),
  'collections.addQuote': method(
    z.object({ id: Id, passage: z.object(PassageRef).strict(), note: Text(COLLECTION_LIMITS.note).optional() }).strict(),
    CommandResultSchema,
    'Adds a passage to a quote collection, last, with a note. Undoable. A passage in the collection already is `invalid_input`; one that does not exist is `not_found`.',
  ),
  'collections.removeQuote': method(z.object({ id: Id, passageId: Uuid }).strict(), CommandResultSchema, 'Takes a passage out of a quote collection, with its note there (undoable). The passage itself is left as it is.'),
  'collections.moveQuote': method(
    z.object({ id: Id, passageId: Uuid, before: Uuid.nullable() }).strict(),
    CommandResultSchema,
    'Moves a quote of a collection before another of its quotes (`before`), or last (null). Undoable.',
  ),
  'collections.setNote': method(
    z.object({ id: Id, passageId: Uuid, note: Text(COLLECTION_LIMITS.note), base: Text(COLLECTION_LIMITS.note) }).strict(),
    CommandResultSchema,
    "Sets a quote's note in a collection, in one undoable step. `base` is the note as this window last saw it: when it changed since, nothing is written and the call fails with `conflict` (details: `memo`, the note now).",
  ),
  'collections.export': method(
    z.object({ id: Id, format: z.enum(['md', 'bib', 'csl-json', 'docx']), style: CitationStyle.optional() }).strict(),
    z.object({ fileName: z.string(), mimeType: z.string(), content: z.string(), encoding: z.literal('base64').optional(), quotes: z.number().int().min(0) }),
    'A quote collection as a file: Markdown (each quote a block quote with its Pandoc citation, `[@key, para. 12]`, and its note), its references as BibLaTeX (`bib`) or CSL-JSON with the same keys, or a Word document (`docx`, base64 `content`) with the quotations cited in `style` (default APA) and a reference list. Quotes whose passage was deleted are left out.',
  ),
  'history.get': method(Empty, HistoryViewSchema, "This window's undo and redo."),
  'history.undo': method(Empty, CommandResultSchema.nullable(), "Undoes this window's last action; null when there is none. Fails with `conflict` when the passage was changed elsewhere since (nothing is overwritten)."),
  'history.redo': method(Empty, CommandResultSchema.nullable(), "Redoes this window's last undone action; null when there is none."),
  'changes.since': method(
    z.object({ revision: Revision }).strict(),
    z.union([
      z.object({ revision: Revision, events: z.array(ChangeEventSchema) }),
      z.object({ revision: Revision, reset: z.literal(true) }),
    ]) satisfies z.ZodType<ChangesSince>,
    'The change events after `revision`, or `reset` when they are no longer kept (reload then).',
  ),
} as const;

export type ApiContract = typeof apiContract;
export type ApiMethod = keyof ApiContract;
export type ApiInput<M extends ApiMethod> = z.input<ApiContract[M]['input']>;
export type ApiParsedInput<M extends ApiMethod> = z.output<ApiContract[M]['input']>;
export type ApiOutput<M extends ApiMethod> = z.output<ApiContract[M]['output']>;

/** What the core implements: one async handler per method, given already-validated input. */
export type ApiHandlers = { [M in ApiMethod]: (input: ApiParsedInput<M>, context: CallContext) => Promise<ApiOutput<M>> };

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

/** Turns a validation failure into one readable line per problem (at most ten, and capped). */
export function describeIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, 10).map((i) => `${i.path.length ? i.path.map((p) => String(p).slice(0, 60)).join('.') : 'input'}: ${i.message.slice(0, 200)}`);
  if (error.issues.length > 10) shown.push(`and ${error.issues.length - 10} more problems`);
  return capMessage(shown.join('; '));
}

/**
 * Validates and runs one call. Every transport funnels through here, so no handler ever sees
 * unvalidated input and every failure has the same shape.
 */
export async function dispatch(handlers: ApiHandlers, method: unknown, input: unknown, context: CallContext): Promise<ApiResponse> {
  if (!isApiMethod(method)) return { ok: false, error: { code: 'unknown_method', message: `Unknown API method: ${String(method).slice(0, 100)}` } };
  const parsed = apiContract[method].input.safeParse(input ?? {});
  if (!parsed.success) return { ok: false, error: { code: 'invalid_input', message: capMessage(`${method}: ${describeIssues(parsed.error)}`) } };
  try {
    const handler = handlers[method] as (i: unknown, c: CallContext) => Promise<unknown>;
    return { ok: true, result: await handler(parsed.data, context) };
  } catch (e) {
    if (e instanceof ApiError) {
      const error: { code: ApiErrorCode; message: string; details?: ConflictDetails } = { code: e.code, message: capMessage(e.message) };
      if (e.details) error.details = e.details;
      return { ok: false, error };
    }
    return { ok: false, error: { code: 'internal', message: capMessage(`${method} failed: ${e instanceof Error ? e.message : String(e)}`) } };
  }
}

