import { ApiError } from '../shared/api-core';
import type { ApiClient, CommandResult } from '../shared/api';
import type { PassageRef } from '../shared/model';
import { exportFile } from './file-export';
import type { CitationStyle } from './preferences';

/** What the collections' actions borrow from the window's actions (actions.ts). */
export interface CollectionActionsDeps {
  api: ApiClient;
  attempt: <T>(what: string, work: () => Promise<T>) => Promise<T | undefined>;
  applied: (result: CommandResult) => CommandResult;
  serial: <T>(work: () => Promise<T>) => Promise<T>;
  notify: (kind: 'error' | 'info', text: string) => void;
}

/** The formats a collection exports to, as the buttons name them. */
export const COLLECTION_FORMATS = [
  { format: 'md', label: 'Markdown' },
  { format: 'bib', label: 'BibTeX' },
  { format: 'csl-json', label: 'CSL-JSON' },
  { format: 'docx', label: 'DOCX' },
] as const;
export type CollectionFormat = (typeof COLLECTION_FORMATS)[number]['format'];

/**
 * Quote collections: making, renaming and deleting them, adding, moving, noting and removing
 * their quotes, each one undoable command in main; and a collection as a file.
 */
export function collectionActions({ api, attempt, applied, serial, notify }: CollectionActionsDeps) {
  /** Runs a collection command; the result when done, undefined when main refused (the user is told why). */
  const run = (what: string, work: () => Promise<CommandResult>): Promise<CommandResult | undefined> =>
    serial(async () => {
      const r = await attempt(what, work);
      return r ? applied(r) : undefined;
    });
  /** Makes a collection; resolves to its id, or null when refused. */
  const createCollection = async (name: string): Promise<string | null> => (await run('Making the collection', () => api['collections.create']({ name })))?.collectionId ?? null;
  const addQuote = async (id: string, passage: PassageRef): Promise<boolean> => (await run('Adding the quote', () => api['collections.addQuote']({ id, passage }))) !== undefined;
  return {
    createCollection,
    addQuote,
    renameCollection: async (id: string, name: string, base: string): Promise<boolean> => (await run('Renaming the collection', () => api['collections.rename']({ id, name, base }))) !== undefined,
    deleteCollection: async (id: string): Promise<boolean> => {
      const done = (await run('Deleting the collection', () => api['collections.delete']({ id }))) !== undefined;
      if (done) notify('info', 'Collection deleted. Undo brings it back.');
      return done;
    },
    removeQuote: async (id: string, passageId: string): Promise<boolean> => {
      const done = (await run('Removing the quote', () => api['collections.removeQuote']({ id, passageId }))) !== undefined;
      if (done) notify('info', 'Quote removed from the collection. Undo brings it back.');
      return done;
    },
    moveQuote: async (id: string, passageId: string, before: string | null): Promise<boolean> => (await run('Moving the quote', () => api['collections.moveQuote']({ id, passageId, before }))) !== undefined,
    /** Makes a collection with `passage` in it (“New collection…” beside a passage); its id, or null. */
    async addToNewCollection(passage: PassageRef): Promise<string | null> {
      const id = await createCollection('');
      if (!id) return null;
      if (await addQuote(id, passage)) notify('info', 'Added to a new collection, “Untitled collection”: Collections renames it.');
      return id;
    },
    /**
     * Saves a quote's note over `base` (the note as this window showed it). Resolves to null when
     * saved, to the note as another window saved it meanwhile (with the message), or 'failed'.
     */
    saveNote: (id: string, passageId: string, note: string, base: string): Promise<{ message: string; theirs: string } | null | 'failed'> =>
      serial(async () => {
        try {
          applied(await api['collections.setNote']({ id, passageId, note, base }));
          return null;
        } catch (e) {
          if (e instanceof ApiError && e.code === 'conflict' && e.details?.memo !== undefined) return { message: e.message, theirs: e.details.memo };
          notify('error', e instanceof ApiError && (e.code === 'invalid_input' || e.code === 'not_found') ? e.message : `Saving the note failed: ${e instanceof Error ? e.message : String(e)}`);
          return 'failed';
        }
      }),
    /** Saves a collection as a file; DOCX cites in `style`. True when saved. */
    exportCollection: (id: string, format: CollectionFormat, style: CitationStyle): Promise<boolean> =>
      attempt('Exporting the collection', async () => {
        const said = await exportFile(api, 'collections.export', format === 'docx' ? { id, format, style } : { id, format }, (file) => `${file.fileName} (${file.quotes} quote${file.quotes === 1 ? '' : 's'})`);
        if (said) notify('info', said);
        return said !== null;
      }).then((ok) => ok === true),
  };
}
