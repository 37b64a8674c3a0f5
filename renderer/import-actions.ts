import { ApiError } from '../shared/api-core';
import type { ApiClient, CommandResult } from '../shared/api';
import { createStore, type Store } from './store';
import { IMPORT_MAX_BYTES, base64OfBytes, encodingNeeded, fitFileName, type ImportItem, type ImportStatus } from './import-files';

/**
 * Importing documents: the files of one import are read and sent to main one at a time
 * (`documents.prepareImport`, which changes nothing), then every file that is ready is added in
 * one `documents.commitImport` (one transaction, one undo step). Cancel stops the file in flight
 * (`documents.cancelImport`) and sends no more; what was ready before it is still added. A file
 * whose encoding main will not guess is prepared again, once the user has chosen one, and added
 * on its own.
 *
 * The import dialog's state is this module's own store, not the window's: nothing else reads it.
 */

/** Where the import dialog is: closed, choosing files, reading them, adding them, or showing how it went. */
export type ImportPhase = 'closed' | 'choose' | 'preparing' | 'committing' | 'done';

export interface ImportState {
  phase: ImportPhase;
  items: readonly ImportItem[];
  /** What main said of the commits (files it skipped). */
  notices: readonly string[];
  /** A message for the user about the dialog itself (files dropped while an import runs). */
  message: string | null;
}

const CLOSED: ImportState = { phase: 'closed', items: [], notices: [], message: null };

/** What the import needs of the window's actions. */
export interface ImportDeps {
  api: ApiClient;
  /** Takes a command's answer into the window's state (its change event, the undo labels). */
  applied: (result: CommandResult) => CommandResult;
  /** Runs a command after the window's earlier ones. */
  serial: <T>(work: () => Promise<T>) => Promise<T>;
}

export type Imports = ReturnType<typeof createImports>;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function createImports({ api, applied, serial }: ImportDeps) {
  const store: Store<ImportState> = createStore(CLOSED);
  /** The files of the import shown, by item id: kept to prepare one again with an encoding. */
  const files = new Map<number, File>();
  let nextId = 0;
  /** Set by Cancel: nothing more is sent, and what comes back from now on is dropped. */
  let stopped = false;
  /** The `requestId` of the file main is reading now. */
  let inFlight: string | null = null;

  const running = (): boolean => store.get().phase === 'preparing' || store.get().phase === 'committing';
  const put = (id: number, status: ImportStatus): void => store.set((s) => ({ ...s, items: s.items.map((i) => (i.id === id ? { ...i, status } : i)) }));
  const phase = (p: ImportPhase): void => store.set((s) => ({ ...s, phase: p }));
  const finish = (): void => store.set((s) => ({ ...s, phase: 'done', message: null }));

  /** Reads a file and has main prepare it; null when Cancel came meanwhile. */
  async function prepare(file: File, encoding?: string): Promise<ImportStatus | null> {
    if (file.size > IMPORT_MAX_BYTES) return { kind: 'failed', reason: `The file is larger than Gloss imports (${IMPORT_MAX_BYTES / (1024 * 1024)} MB).` };
    let content: string;
    try {
      content = base64OfBytes(new Uint8Array(await file.arrayBuffer()));
    } catch (e) {
      return { kind: 'failed', reason: `The file could not be read (${message(e)}).` };
    }
    if (stopped) return null;
    const requestId = crypto.randomUUID();
    inFlight = requestId;
    try {
      const r = await api['documents.prepareImport']({ requestId, fileName: fitFileName(file.name), content, ...(encoding ? { encoding } : {}) });
      return r.duplicateOf ? { kind: 'duplicate', of: r.duplicateOf.title } : { kind: 'ready', token: r.token, title: r.title, notes: r.notes };
    } catch (e) {
      if (stopped) return null;
      const needed = e instanceof ApiError ? encodingNeeded(e) : null;
      if (needed) return { kind: 'encoding', reason: message(e), ...needed };
      return { kind: 'failed', reason: message(e) };
    } finally {
      inFlight = null;
    }
  }

  /** Adds the files among `ids` that are ready, in one commit. */
  async function commitReady(ids: readonly number[]): Promise<void> {
    const ready = store.get().items.flatMap((i) => (ids.includes(i.id) && i.status.kind === 'ready' ? [{ id: i.id, ...i.status }] : []));
    if (ready.length === 0) return;
    phase('committing');
    try {
      const result = await serial(async () => applied(await api['documents.commitImport']({ tokens: ready.map((r) => r.token) })));
      const titles = new Map<string, string>();
      for (const c of result.event.changes) if (c.type === 'document') titles.set(c.summary.id, c.summary.meta.title);
      // The ids follow the files main did not skip, in order.
      const skipped = new Set(result.skipped ?? []);
      const ids = result.documentIds ?? [];
      let next = 0;
      const imported = new Map<number, string>();
      for (const r of ready) if (!skipped.has(r.token)) imported.set(r.id, ids[next++]!);
      for (const r of ready) {
        const id = imported.get(r.id);
        if (id !== undefined) put(r.id, { kind: 'imported', documentId: id, title: titles.get(id) || r.title, notes: r.notes });
        else put(r.id, { kind: 'duplicate', of: ready.some((o) => o.id !== r.id && imported.has(o.id) && o.title === r.title) ? r.title : null });
      }
      if (result.notice) store.set((s) => ({ ...s, notices: [...s.notices, result.notice!] }));
    } catch (e) {
      for (const r of ready) put(r.id, { kind: 'failed', reason: `Not added to the project: ${message(e)}` });
    }
  }

  /** Prepares the files one at a time (until Cancel), then adds those ready in one commit. */
  async function run(list: readonly File[]): Promise<void> {
    stopped = false;
    files.clear();
    const items = list.map((file): ImportItem => {
      const id = ++nextId;
      files.set(id, file);
      return { id, name: file.name, status: { kind: 'waiting' } };
    });
    store.set((s) => ({ ...s, phase: 'preparing', items, notices: [], message: null }));
    for (const item of items) {
      if (stopped) break;
      put(item.id, { kind: 'reading' });
      const status = await prepare(files.get(item.id)!);
      // A file in flight when Cancel came is dropped even if main finished it: Cancel means "no more".
      put(item.id, stopped || status === null ? { kind: 'cancelled' } : status);
    }
    store.set((s) => ({ ...s, items: s.items.map((i) => (i.status.kind === 'waiting' ? { ...i, status: { kind: 'cancelled' } } : i)) }));
    await commitReady(items.map((i) => i.id));
    finish();
  }

  return {
    store,

    /** Whether the import dialog is open (nothing else changes behind it). */
    isOpen: (): boolean => store.get().phase !== 'closed',

    /**
     * Opens the import dialog, and imports `files` if given. While an import runs, files are
     * refused with a message; once it is done, new files start a new import.
     */
    open(list?: readonly File[]): void {
      if (running()) {
        if (list?.length) store.set((s) => ({ ...s, message: 'Gloss is still importing the files below; add more once it is done.' }));
        return;
      }
      if (store.get().phase === 'closed' || list?.length) store.set(() => ({ ...CLOSED, phase: 'choose' }));
      if (list?.length) void run(list);
    },

    /** Closes the dialog, unless an import is running (Cancel it first). */
    close(): void {
      if (running()) return;
      files.clear();
      store.set(() => CLOSED);
    },

    /** Stops the import: the file in flight is cancelled in main and no more are sent. */
    cancel(): void {
      if (store.get().phase !== 'preparing' || stopped) return;
      stopped = true;
      store.set((s) => ({ ...s, message: 'Cancelling…' }));
      if (inFlight) void api['documents.cancelImport']({ requestId: inFlight }).catch(() => undefined);
    },

    /** Prepares a file that needed its encoding again, with `encoding`, and adds it on its own (its own undo step). */
    async retry(id: number, encoding: string): Promise<void> {
      const file = files.get(id);
      const before = store.get().items.find((i) => i.id === id)?.status;
      if (!file || running() || before?.kind !== 'encoding') return;
      stopped = false;
      store.set((s) => ({ ...s, phase: 'preparing', message: null }));
      put(id, { kind: 'reading' });
      const status = await prepare(file, encoding);
      if (stopped || status === null) put(id, before);
      // Not valid text in that encoding: the user may choose another.
      else if (status.kind === 'failed') put(id, { ...before, reason: status.reason });
      else put(id, status);
      await commitReady([id]);
      finish();
    },
  };
}
