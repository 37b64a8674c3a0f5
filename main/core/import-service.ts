import { randomBytes, randomUUID } from 'node:crypto';
import { ApiError, type ApiHandlers, type CallContext, type CommandResult } from '../../shared/api';
import { canonicalMeta, plainText } from '../../shared/plain-text';
import type { Command } from './commands';
import type { DocumentCopy } from './document-commands';
import { FORMAT, SCHEMA_VERSION, fileSchemas, type DocumentFileData } from './files';
import { textHash } from './hash';
import { ENCODINGS, EncodingNeeded } from './import/text';
import { ImportFailure, type ImportFormat, type ImportedText } from './import/types';
import { ImportCancelled, importInWorker } from './import/worker';
import type { ImportOptions } from './import/formats';
import type { ProjectStore } from './store';

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

export function importHandlers(deps: ImportServiceDeps): Pick<ApiHandlers, 'documents.prepareImport' | 'documents.cancelImport' | 'documents.commitImport' | 'documents.remove'> {
  const { store } = deps;
  const importer = deps.importer ?? defaultImporter;
  const prepared = new Map<string, Prepared>();
  const running = new Map<string, AbortController>();

  function sweep(): void {
    const now = Date.now();
    for (const [token, p] of prepared) if (p.expires < now) prepared.delete(token);
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

  return {
    'documents.prepareImport': async ({ requestId, fileName, content, encoding }) => {
      sweep();
      const bytes = Buffer.from(content, 'base64');
      const result = await read(requestId, fileName, bytes, encoding === undefined ? {} : { encoding });
      const meta = canonicalMeta(result.meta);
      const text = plainText(result.blocks);
      const file: Omit<DocumentFileData, 'id'> = { format: FORMAT.document, schemaVersion: SCHEMA_VERSION, meta, blocks: result.blocks, textHash: textHash(text) };
      // The store's own check, so that nothing is accepted here that a reopen would refuse.
      const valid = fileSchemas.document.safeParse({ ...file, id: 'check' });
      if (!valid.success) throw new ApiError('invalid_input', `Gloss could not import the file: its text did not come out as Gloss stores text (${valid.error.issues[0]?.message ?? 'invalid'}).`);
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
      for (const p of files as Prepared[]) {
        const twin = held.get(p.file.textHash);
        if (twin !== undefined) {
          skipped.push(`“${p.file.meta.title}” (the same text as “${twin}”)`);
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
      if (skipped.length) out.notice = `Skipped as already in the project: ${skipped.join(', ')}.`;
      return out;
    },

    'documents.remove': ({ documentIds }, { client }: CallContext) => deps.command(client, { kind: 'removeDocuments', ids: [...new Set(documentIds)] }),
  };
}
