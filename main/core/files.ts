import { z } from 'zod';
import { schemas } from '../../shared/api';
import type { Annotation, Block, Codebook, Coder, DocumentMeta, DocumentSummary, DocumentVariable, ImportedCitation, Collection, Memo, VariableValue } from '../../shared/model';
import { VARIABLE_TYPES, nameKey, valueProblem } from '../../shared/variables';
import { nonCanonical, textblockTexts } from '../../shared/plain-text';
import { strictCslItem } from './citations/csl-json';
import { citationSummary } from './citations/describe';

/**
 * The project folder's file formats (schema version 3). A project is a folder:
 *
 *   gloss-project.json          schema version, revision, codebook, documents index with counts, coders, settings
 *   documents/<id>.json         one document's metadata and block structure
 *   annotations/<id>.json       one document's coded passages
 *   log/<revision>.jsonl        the changes committed since those files were written (change-log.ts)
 *
 * The JSON files are a checkpoint of the whole project at the revision the project file records;
 * each commit since is one line of the log, and the store writes a new checkpoint now and then
 * and on closing. Version 2 is version 3 without a log; version 1 (Gloss 0.1) is read only to
 * migrate it (migrate.ts).
 *
 * Document variables (`ProjectFileData.variables`, `DocumentEntry.values`) came within version
 * 3, as optional fields: a project without them has none, and a build that does not know them
 * keeps them (the objects are loose). So did a document's imported citation
 * (`DocumentEntry.citation`): absent means none.
 */

/** The newest schema version this build reads and writes. */
export const SCHEMA_VERSION = 3;

export const PROJECT_FILE = 'gloss-project.json';
export const DOCUMENTS_DIR = 'documents';
export const ANNOTATIONS_DIR = 'annotations';
export const LOCK_FILE = '.gloss-lock';
/** Where migrations keep the files they replaced. */
export const BACKUPS_DIR = 'backups';

export const FORMAT = { project: 'gloss-project', document: 'gloss-document', annotations: 'gloss-annotations' } as const;

export interface DocumentEntry {
  id: string;
  meta: DocumentMeta;
  textHash: string;
  /** When the document was added to the project. */
  added: string;
  /** Earlier versions of its text, oldest first (each kept as a document file of its own). */
  versions?: DocumentVersion[];
  /** The document's memo (absent when empty). */
  memo?: string;
  /** Its values of the project's variables, by variable id (absent when it has none). */
  values?: Record<string, VariableValue>;
  /** The citation imported for it (BibTeX, RIS, CSL-JSON), which its quotations are cited from; absent when none. */
  citation?: ImportedCitation;
}

/** A text a document held before a new version replaced it. */
export interface DocumentVersion {
  textHash: string;
  /** The id of the document file that keeps it (`documents/<file>.json`). */
  file: string;
  /** When it was replaced. */
  replaced: string;
}

/** Counts kept per document so that the documents list and the codebook need no annotations file. */
export interface DocumentCounts {
  annotations: number;
  /** Passages per code id. */
  codes: Record<string, number>;
}

/** Project-wide settings; none yet, kept as an object so later ones need no format change. */
export type ProjectSettings = Record<string, unknown>;

/** What a migration did, kept in the project file. */
export interface MigrationRecord {
  from: number;
  to: number;
  at: string;
  /** The folder (relative to the project) holding the files it replaced. */
  backup: string;
  summary: string[];
}

export interface ProjectFileData {
  format: typeof FORMAT.project;
  schemaVersion: number;
  id: string;
  name: string;
  created: string;
  /** Increases by one with every committed change. */
  revision: number;
  codebook: Codebook;
  documents: DocumentEntry[];
  coders: Coder[];
  index: { documents: Record<string, DocumentCounts> };
  settings: ProjectSettings;
  migrations: MigrationRecord[];
  /** The document variables, in their order (absent when there are none). */
  variables?: DocumentVariable[];
  /** The memos with a title (the research journal, memos on documents and codes), oldest first (absent when there are none). */
  memos?: Memo[];
  /** The quote collections, oldest first (absent when there are none). */
  collections?: Collection[];
}

export interface DocumentFileData {
  format: typeof FORMAT.document;
  schemaVersion: number;
  id: string;
  meta: DocumentMeta;
  blocks: Block[];
  textHash: string;
  /** For a text imported from pages (a PDF): the page each top-level block starts on, 1-based. */
  pages?: number[];
}

export interface AnnotationsFileData {
  format: typeof FORMAT.annotations;
  schemaVersion: number;
  documentId: string;
  annotations: Annotation[];
}

const version = z.number().int().min(1);
const count = z.number().int().min(0);

/**
 * Variables and values are checked as strictly as the rest of the file: a variable of a type this
 * build does not know, or a value that does not fit its variable, refuses the whole file (left
 * untouched, as any damaged file), rather than being shown, sorted or exported as something it
 * is not, or dropped by the next save.
 */
function checkVariables(p: { variables?: DocumentVariable[] | undefined; documents: { id: string; values?: Record<string, VariableValue> | undefined }[] }, ctx: z.RefinementCtx): void {
  const byId = new Map<string, DocumentVariable>();
  const names = new Set<string>();
  for (const [i, v] of (p.variables ?? []).entries()) {
    if (byId.has(v.id)) ctx.addIssue({ code: 'custom', path: ['variables', i, 'id'], message: `two variables share the id ${v.id}` });
    if (names.has(nameKey(v.name))) ctx.addIssue({ code: 'custom', path: ['variables', i, 'name'], message: `two variables are called “${v.name}”` });
    if (v.type === 'choice' ? !v.choices?.length || new Set(v.choices).size !== v.choices.length : v.choices !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['variables', i, 'choices'], message: v.type === 'choice' ? 'must be a list of different choices' : 'only a variable of one of a list has choices' });
    }
    byId.set(v.id, v);
    names.add(nameKey(v.name));
  }
  for (const [i, d] of p.documents.entries()) {
    for (const [id, value] of Object.entries(d.values ?? {})) {
      const variable = byId.get(id);
      const problem = variable ? valueProblem(variable, value) : 'is the value of a variable the project does not define';
      if (problem) ctx.addIssue({ code: 'custom', path: ['documents', i, 'values', id], message: `${variable ? `the value of “${variable.name}” of document ${d.id}` : `document ${d.id}'s value`} ${problem}` });
    }
  }
}

/**
 * An imported citation is read as strictly as when it was imported (csl-json.ts): an item that
 * does not read whole refuses the file rather than being cited as something it is not. Fields
 * Gloss does not keep are left in the file.
 */
function checkCitations(p: { documents: { id: string; citation?: { item: unknown } | undefined }[] }, ctx: z.RefinementCtx): void {
  for (const [i, d] of p.documents.entries()) {
    if (d.citation === undefined) continue;
    const item = strictCslItem(d.citation.item, `the imported citation of document ${d.id}`);
    if (typeof item === 'string') ctx.addIssue({ code: 'custom', path: ['documents', i, 'citation', 'item'], message: item });
  }
}

/**
 * Full-content validators, run after the header check of DurableJsonFile. Objects are loose:
 * fields this build does not know (written by a later build of the same schema version) are kept
 * and written back, never dropped.
 */
export const fileSchemas = {
  project: z
    .looseObject({
      format: z.literal(FORMAT.project),
      schemaVersion: version,
      id: z.string().min(1),
      name: z.string(),
      created: z.string(),
      revision: count,
      codebook: z.looseObject({ codes: z.array(schemas.Code.loose()) }).refine((cb) => new Set(cb.codes.map((c) => c.id)).size === cb.codes.length, 'two codes share an id'),
      documents: z.array(
        z.looseObject({
          id: schemas.Id,
          meta: schemas.Meta.loose(),
          textHash: z.string(),
          added: z.string(),
          versions: z.array(z.looseObject({ textHash: z.string(), file: schemas.Id, replaced: z.string() })).optional(),
          values: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
          citation: z
            .looseObject({ format: z.enum(['bibtex', 'ris', 'csl-json']), item: z.looseObject({ id: z.string(), type: z.string() }) })
            .optional(),
        }),
      ),
      coders: z.array(schemas.Coder.loose()),
      index: z.looseObject({ documents: z.record(z.string(), z.looseObject({ annotations: count, codes: z.record(z.string(), count) })) }),
      settings: z.looseObject({}),
      migrations: z.array(z.looseObject({ from: version, to: version, at: z.string(), backup: z.string(), summary: z.array(z.string()) })),
      variables: z.array(z.looseObject({ id: schemas.Id, name: z.string().min(1), type: z.enum(VARIABLE_TYPES), choices: z.array(z.string().min(1)).optional() })).optional(),
      // Memos came within version 3 too: absent means none; each checked as the API checks it.
      memos: z
        .array(schemas.Memo.loose())
        .optional()
        .refine((m) => !m || new Set(m.map((x) => x.id)).size === m.length, 'two memos share an id'),
      // Quote collections too: absent means none.
      collections: z
        .array(schemas.Collection.loose())
        .optional()
        .refine((c) => !c || new Set(c.map((x) => x.id)).size === c.length, 'two collections share an id')
        .refine((c) => !c || c.every((x) => new Set(x.items.map((q) => q.passageId)).size === x.items.length), 'a collection holds a passage twice'),
    })
    .superRefine(checkVariables)
    .superRefine(checkCitations) satisfies z.ZodType<ProjectFileData>,
  document: z
    .looseObject({
      format: z.literal(FORMAT.document),
      schemaVersion: version,
      id: schemas.Id,
      meta: schemas.Meta,
      blocks: z.array(schemas.Block),
      textHash: z.string(),
      pages: z.array(z.number().int().min(1)).optional(),
    })
    .superRefine((d, ctx) => {
      if (d.pages && d.pages.length !== d.blocks.length) ctx.addIssue({ code: 'custom', path: ['pages'], message: `names the pages of ${d.pages.length} blocks, not of all ${d.blocks.length}` });
      const texts = textblockTexts(d.blocks);
      for (let i = 0; i < texts.length; i++) {
        const why = nonCanonical(texts[i]!);
        if (why) {
          ctx.addIssue({ code: 'custom', path: ['blocks'], message: `the text of block ${i + 1} ${why}` });
          return;
        }
      }
    }) satisfies z.ZodType<DocumentFileData>,
  annotations: z.looseObject({
    format: z.literal(FORMAT.annotations),
    schemaVersion: version,
    documentId: schemas.Id,
    annotations: z.array(schemas.Annotation.loose()),
  }) satisfies z.ZodType<AnnotationsFileData>,
};

/** A document's entry in the documents list, from its project-file entry and its counts. */
export function summaryOfEntry(entry: DocumentEntry, counts: DocumentCounts): DocumentSummary {
  const summary: DocumentSummary = { id: entry.id, meta: entry.meta, textHash: entry.textHash, annotationCount: counts.annotations, codeCounts: counts.codes };
  if (entry.memo) summary.memo = entry.memo;
  if (entry.values && Object.keys(entry.values).length > 0) summary.values = entry.values;
  if (entry.citation) summary.citation = citationSummary(entry.citation);
  return summary;
}

/** Counts of a document's passages. */
export function countsOf(annotations: readonly Annotation[]): DocumentCounts {
  const codes: Record<string, number> = {};
  for (const a of annotations) for (const c of a.codeIds) codes[c] = (codes[c] ?? 0) + 1;
  return { annotations: annotations.length, codes };
}
