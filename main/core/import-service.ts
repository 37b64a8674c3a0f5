import { randomBytes, randomUUID } from 'node:crypto';
import { ApiError, type ApiHandlers, type CallContext, type CommandResult } from '../../shared/api';
import { describeRange } from '../../shared/anchoring';
import type { Annotation, PlacedAnnotation } from '../../shared/model';
import { canonicalMeta, plainText } from '../../shared/plain-text';
import { cleanLine } from '../../shared/variables';
import type { Command } from './commands';
import type { DocumentCopy, DocumentFields, DocumentValues } from './document-commands';
import { FORMAT, SCHEMA_VERSION, fileSchemas, type DocumentFileData } from './files';
import { textHash } from './hash';
import { ENCODINGS, EncodingNeeded } from './import/text';
import { ImportFailure, type ImportFormat, type ImportedText } from './import/types';
import { ImportCancelled, importInWorker } from './import/worker';
import type { ImportOptions } from './import/formats';
import { reanchor } from './reanchor';
import type { ProjectStore } from './store';
import { readValues } from './variable-edit';

/**
 * Importing documents, in two steps so that a batch of files is one undo step: each file is
 * *prepared* (read by its importer in a worker, checked, kept in memory under a token; nothing
 * changes), then every prepared file of the batch is *committed* as one `addDocuments` command.
 * A file whose text the project already holds is skipped as a duplicate. Preparing can be
 * cancelled, which stops the worker at once.
 */

/** How long a prepared file waits for its commit. */
export const PREPARED_TTL_MS = 30 * 60_000;
/** The most characters of prepared text kept waiting, all files together. */
export const PREPARED_MAX_CHARS = 128 * 1024 * 1024;

/** Reads one file to import; the worker by default, an in-process importer in tests. */
export type Importer = (fileName: string, bytes: Uint8Array, opts: ImportOptions, signal: AbortSignal) => Promise<ImportedText & { format: ImportFormat }>;

interface Prepared {
  file: Omit<DocumentFileData, 'id'>;
  characters: number;
  expires: number;
}

export interface ImportServiceDeps {
  store: ProjectStore;
  /** Runs a command for a window, recorded in its history (services.ts). */
  command(client: string, cmd: Command): Promise<CommandResult>;
  now(): string;
  importer?: Importer;
  /** A document's passages, each where it is in the document's current text, and that text. */
  placed(documentId: string): Promise<{ text: string; passages: PlacedAnnotation[] }>;
}

/** A new version of a text, previewed and waiting for `documents.replaceText`. */
interface PreparedReplace {
  documentId: string;
  expectHash: string;
  file: DocumentFileData;
  text: string;
  /** Each passage's revision at the preview, and where the preview placed it (null: unplaced). */
  plan: Map<string, { rev: number; start: number | null; end: number | null }>;
  expires: number;
}

const defaultImporter: Importer = (fileName, bytes, opts, signal) => importInWorker(fileName, bytes, opts, signal);

/** A readable, unique id for a new document: its title's letters, and a random tail. */
export function documentIdFor(title: string, taken: ReadonlySet<string>): string {
  const slug =
    title
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40)
      .replace(/-+$/, '') || 'document';
  for (;;) {
    const id = `${slug}-${randomBytes(3).toString('hex')}`;
    if (!taken.has(id)) return id;
  }
}

type ImportMethods =
  | 'documents.prepareImport'
  | 'documents.cancelImport'
  | 'documents.commitImport'
  | 'documents.remove'
  | 'documents.update'
  | 'documents.move'
  | 'documents.previewReplace'
  | 'documents.replaceText'
  | 'documents.versions';

export function importHandlers(deps: ImportServiceDeps): Pick<ApiHandlers, ImportMethods> {
  const { store } = deps;
  const importer = deps.importer ?? defaultImporter;
  const prepared = new Map<string, Prepared>();
  const replacements = new Map<string, PreparedReplace>();
  const running = new Map<string, AbortController>();

  function sweep(): void {
    const now = Date.now();
    for (const [token, p] of prepared) if (p.expires < now) prepared.delete(token);
    for (const [token, p] of replacements) if (p.expires < now) replacements.delete(token);
  }

  /** Makes room for `characters` more, dropping the oldest prepared files first. */
  function makeRoom(characters: number): void {
    let total = [...prepared.values()].reduce((n, p) => n + p.characters, 0);
    for (const [token, p] of prepared) {
      if (total + characters <= PREPARED_MAX_CHARS) break;
      prepared.delete(token);
      total -= p.characters;
    }
  }

  async function read(requestId: string, fileName: string, bytes: Uint8Array, opts: ImportOptions): Promise<ImportedText & { format: ImportFormat }> {
    if (running.has(requestId)) throw new ApiError('invalid_input', 'That import request is running already.');
    const abort = new AbortController();
    running.set(requestId, abort);
    try {
      return await importer(fileName, bytes, opts, abort.signal);
    } catch (e) {
      if (e instanceof ImportCancelled) throw new ApiError('conflict', 'The import was cancelled.');
      if (e instanceof EncodingNeeded) {
        throw new ApiError('invalid_input', e.message, { encodings: e.suggestions, choices: Object.entries(ENCODINGS).map(([label, name]) => ({ label, name })) });
      }
      if (e instanceof ImportFailure) throw new ApiError('invalid_input', e.message);
      throw e;
    } finally {
      running.delete(requestId);
    }
  }

  /** Reads a file into a document file (without an id), checked as the store checks its files. */
  async function readFile(requestId: string, fileName: string, content: string, encoding: string | undefined) {
    sweep();
    const bytes = Buffer.from(content, 'base64');
    const result = await read(requestId, fileName, bytes, encoding === undefined ? {} : { encoding });
    const meta = canonicalMeta(result.meta);
    const text = plainText(result.blocks);
    const file: Omit<DocumentFileData, 'id'> = { format: FORMAT.document, schemaVersion: SCHEMA_VERSION, meta, blocks: result.blocks, textHash: textHash(text) };
    // Kept for citing pages: one page number per top-level block, or none at all.
    if (result.pages && result.pages.length === result.blocks.length) file.pages = result.pages;
    // The store's own check, so that nothing is accepted here that a reopen would refuse.
    const valid = fileSchemas.document.safeParse({ ...file, id: 'check' });
    if (!valid.success) throw new ApiError('invalid_input', `Gloss could not import the file: its text did not come out as Gloss stores text (${valid.error.issues[0]?.message ?? 'invalid'}).`);
    return { file, text, result };
  }

  return {
    ...replaceHandlers(),

    'documents.prepareImport': async ({ requestId, fileName, content, encoding }) => {
      const { file, text, result } = await readFile(requestId, fileName, content, encoding);
      const meta = file.meta;
      makeRoom(text.length);
      const token = randomUUID();
      prepared.set(token, { file, characters: text.length, expires: Date.now() + PREPARED_TTL_MS });
      const twin = store.project.documents.find((d) => d.textHash === file.textHash);
      return { token, title: meta.title, format: result.format, characters: text.length, notes: result.notes, duplicateOf: twin ? { id: twin.id, title: twin.meta.title } : null };
    },

    'documents.cancelImport': async ({ requestId }) => {
      const abort = running.get(requestId);
      abort?.abort();
      return { cancelled: abort !== undefined };
    },

    'documents.commitImport': async ({ tokens }, { client }: CallContext) => {
      sweep();
      const files = tokens.map((t) => prepared.get(t));
      const missing = files.filter((f) => !f).length;
      if (missing) throw new ApiError('invalid_input', `${missing === 1 ? 'A file' : `${missing} files`} to import ${missing === 1 ? 'is' : 'are'} no longer waiting (prepared too long ago, or unknown). Import ${missing === 1 ? 'it' : 'them'} again.`);
      const held = new Map(store.project.documents.map((d) => [d.textHash, d.meta.title]));
      const taken = new Set(store.project.documents.map((d) => d.id));
      const copies: DocumentCopy[] = [];
      const skipped: string[] = [];
      const skippedTokens: string[] = [];
      for (const [i, p] of (files as Prepared[]).entries()) {
        const twin = held.get(p.file.textHash);
        if (twin !== undefined) {
          skipped.push(`“${p.file.meta.title}” (the same text as “${twin}”)`);
          skippedTokens.push(tokens[i]!);
          continue;
        }
        const id = documentIdFor(p.file.meta.title, taken);
        taken.add(id);
        held.set(p.file.textHash, p.file.meta.title);
        copies.push({ file: { ...p.file, id }, entry: { id, meta: p.file.meta, textHash: p.file.textHash, added: deps.now() }, index: store.project.documents.length + copies.length, passages: [] });
      }
      if (copies.length === 0) throw new ApiError('invalid_input', `Nothing to import: ${skipped.length === 1 ? 'the file holds a text' : 'every file holds a text'} the project has already.`);
      const result = await deps.command(client, { kind: 'addDocuments', documents: copies });
      for (const t of tokens) prepared.delete(t);
      const out: CommandResult = { ...result, documentIds: copies.map((c) => c.entry.id) };
      if (skipped.length) {
        out.notice = `Skipped as already in the project: ${skipped.join(', ')}.`;
        out.skipped = skippedTokens;
      }
      return out;
    },

    'documents.remove': ({ documentIds }, { client }: CallContext) => deps.command(client, { kind: 'removeDocuments', ids: [...new Set(documentIds)] }),

    'documents.update': async ({ documentId, changes, base, values, valuesBase }, { client }: CallContext) => {
      const entry = store.project.documents.find((d) => d.id === documentId);
      if (!entry) throw new ApiError('not_found', `No document with id "${documentId}" in this project.`);
      const effective: DocumentFields = {};
      const expected: DocumentFields = {};
      for (const [key, raw] of Object.entries(changes) as [keyof DocumentFields, string][]) {
        // Properties are one line of NFC text; the memo keeps its lines.
        const value = key === 'memo' ? raw.normalize('NFC').replace(/\r\n?/g, '\n') : raw.normalize('NFC').replace(/\s+/g, ' ').trim();
        const now = key === 'memo' ? (entry.memo ?? '') : (entry.meta[key] ?? '');
        if (value === now) continue;
        effective[key] = value;
        if (base[key] !== undefined) expected[key] = key === 'memo' ? base[key]!.normalize('NFC').replace(/\r\n?/g, '\n') : base[key]!.normalize('NFC').replace(/\s+/g, ' ').trim();
      }
      const variables = store.project.variables ?? [];
      const read = readValues(variables, values ?? {}, (id) => valuesBase?.[id] !== undefined);
      const newValues: DocumentValues = {};
      const oldValues: DocumentValues = {};
      for (const [id, value] of Object.entries(read)) {
        if (value === (entry.values?.[id] ?? null)) continue;
        newValues[id] = value;
        // What the window showed, compared as main keeps values (not checked: the variable may have changed since).
        const shown = valuesBase?.[id];
        if (shown !== undefined) oldValues[id] = typeof shown === 'string' ? cleanLine(shown) || null : shown;
      }
      const anyValue = Object.keys(newValues).length > 0;
      if (Object.keys(effective).length === 0 && !anyValue) throw new ApiError('invalid_input', 'Nothing to change: the document has these properties already.');
      return deps.command(client, { kind: 'updateDocument', documentId, changes: effective, base: expected, ...(anyValue ? { values: newValues, valuesBase: oldValues } : {}) });
    },

    'documents.move': ({ documentId, before }, { client }: CallContext) => {
      if (!store.project.documents.some((d) => d.id === documentId)) return Promise.reject(new ApiError('not_found', `No document with id "${documentId}" in this project.`));
      return deps.command(client, { kind: 'moveDocument', documentId, before });
    },
  };

  function replaceHandlers(): Pick<ApiHandlers, 'documents.previewReplace' | 'documents.replaceText' | 'documents.versions'> {
    return {
      'documents.previewReplace': async ({ documentId, requestId, fileName, content, encoding }) => {
        const entry = store.project.documents.find((d) => d.id === documentId);
        if (!entry) throw new ApiError('not_found', `No document with id "${documentId}" in this project.`);
        const { file, text: newText, result } = await readFile(requestId, fileName, content, encoding);
        const { text: oldText, passages } = await deps.placed(documentId);
        if (file.textHash === entry.textHash) throw new ApiError('invalid_input', 'The file holds the text the document has already: nothing would change.');
        const placeable = passages.filter((a) => a.anchor.status !== 'orphan');
        const found = new Map(reanchor(oldText, newText, placeable.map((a) => ({ id: a.id, position: { type: 'TextPositionSelector', start: a.anchor.start, end: a.anchor.end }, quote: a.quote }))).map((r) => [r.id, r]));
        const plan = new Map<string, { rev: number; start: number | null; end: number | null }>();
        const counts = { unchanged: 0, moved: 0, changed: 0, orphaned: 0 };
        const rows = passages.map((a) => {
          const r = found.get(a.id);
          const old = { start: a.anchor.start, end: a.anchor.end, text: r ? r.oldText : a.quote.exact };
          if (!r) {
            counts.orphaned++;
            plan.set(a.id, { rev: a.rev, start: null, end: null });
            return { id: a.id, status: 'orphaned' as const, score: 0, before: true, old, new: null };
          }
          counts[r.status]++;
          plan.set(a.id, { rev: a.rev, start: r.start, end: r.end });
          return { id: a.id, status: r.status, score: r.score, old, new: r.status === 'orphaned' ? null : { start: r.start, end: r.end, text: r.newText } };
        });
        const token = randomUUID();
        // The document keeps its properties; the new file gives only the text.
        replacements.set(token, { documentId, expectHash: entry.textHash, file: { ...file, id: documentId, meta: entry.meta }, text: newText, plan, expires: Date.now() + PREPARED_TTL_MS });
        return { token, characters: newText.length, notes: result.notes, counts, passages: rows };
      },

      'documents.replaceText': async ({ token, orphan, retarget }, { client }: CallContext) => {
        sweep();
        const r = replacements.get(token);
        if (!r) throw new ApiError('invalid_input', 'The new version is no longer waiting (previewed too long ago, or unknown). Preview it again.');
        const entry = store.project.documents.find((d) => d.id === r.documentId);
        if (!entry || entry.textHash !== r.expectHash) throw new ApiError('conflict', 'The document changed since the preview (its text was replaced, or it was deleted). Preview the new version again.');
        const current = await store.annotations(r.documentId);
        const orphans = new Set(orphan ?? []);
        const moves = new Map((retarget ?? []).map((t) => [t.id, t]));
        for (const t of moves.values()) {
          if (t.end <= t.start || t.end > r.text.length) throw new ApiError('invalid_input', `The new place of a passage (${t.start}–${t.end}) is not a range of the new text (${r.text.length} characters).`);
        }
        const at = deps.now();
        const passages: Annotation[] = [];
        for (const a of current) {
          const planned = r.plan.get(a.id);
          if (!planned || planned.rev !== a.rev) throw new ApiError('conflict', 'Passages of the document changed since the preview (perhaps in another window). Preview the new version again.');
          const target = moves.get(a.id) ?? (orphans.has(a.id) || planned.start === null ? null : { start: planned.start, end: planned.end! });
          // Unplaced passages keep what they held (their old text's hash says so), to be placed by hand later.
          passages.push(target ? { ...a, ...describeRange(r.text, target.start, target.end), textHash: r.file.textHash, modified: at } : a);
        }
        if (current.length !== r.plan.size) throw new ApiError('conflict', 'Passages of the document changed since the preview (perhaps in another window). Preview the new version again.');
        const old = await store.document(r.documentId);
        const keepId = `${r.documentId}.was-${r.expectHash.slice(0, 16)}`;
        const keep: DocumentFileData = { format: FORMAT.document, schemaVersion: SCHEMA_VERSION, id: keepId, meta: old!.meta, blocks: old!.blocks, textHash: old!.textHash };
        if (old!.pages) keep.pages = old!.pages;
        const versions = [...(entry.versions ?? []).filter((v) => v.file !== keepId), { textHash: r.expectHash, file: keepId, replaced: at }];
        const result = await deps.command(client, { kind: 'setDocument', documentId: r.documentId, file: r.file, passages, versions, expectHash: r.expectHash, keep });
        replacements.delete(token);
        return result;
      },

      'documents.versions': async ({ documentId }) => {
        const entry = store.project.documents.find((d) => d.id === documentId);
        if (!entry) throw new ApiError('not_found', `No document with id "${documentId}" in this project.`);
        const out = [];
        for (const v of entry.versions ?? []) {
          const f = await store.versionFile(v.file);
          if (f) out.push({ textHash: v.textHash, replaced: v.replaced, content: { id: documentId, meta: f.meta, blocks: f.blocks, textHash: f.textHash } });
        }
        return out;
      },
    };
  }
}
