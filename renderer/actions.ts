import { ApiError } from '../shared/api-core';
import type { ApiClient, CommandResult } from '../shared/api';
import { CSV_EXPORT_FILE_NAME } from '../shared/routes';
import type { PlacedAnnotation } from '../shared/model';
import { desktopBridge, downloadCodedPassagesCsv } from './api';
import { codebookActions } from './codebook-actions';
import { documentActions } from './document-actions';
import { replaceActions } from './replace-actions';
import { placeActions } from './place-actions';
import { retrievalActions } from './retrieval-actions';
import { memoActions } from './memo-actions';
import { collectionActions } from './collection-actions';
import { saveBlob } from './save-file';
import { atRange, insertNew, splitPassages, without } from './passages';
import { FeedSync } from './feed';
import { inVivoActions, storedInVivoParent } from './in-vivo';
import { createImports } from './import-actions';
import { rememberedDocument } from './layout-memory';
import { isPending, pendingId, UNCODED, type AppState, type Place } from './state';
import type { Store } from './store';
import type { TextRange } from './viewer/viewer';

/**
 * Everything the user can do, as functions over the API and the store. Components call these;
 * they never call the API themselves. Changes are commands run by main; what they change comes
 * back as change events, applied through the one reducer (see feed.ts, changes.ts), exactly as
 * the changes of other windows are. Undo and redo are main's, per window.
 */
export type Actions = ReturnType<typeof createActions>;

/** How many recently used codes the picker lists first. */
const RECENT_CODES = 5;

/** A memo being edited: the text typed, and the memo as main last had it (what a save replaces). */
export interface MemoDraft {
  text: string;
  base: string;
  /** Set when main refused a save because the memo changed elsewhere; the user is choosing. */
  conflict?: boolean;
}

/** How the window hears of changes made elsewhere: returns an unsubscribe. */
export type Subscribe = (since: () => number, onEvent: (data: unknown) => void, onReset: () => void) => () => void;

export function createActions(api: ApiClient, store: Store<AppState>, subscribe: Subscribe | null = null) {
  const set = store.set;
  let noticeSeq = 0;
  let noticesShown = false;
  let revealSeq = 0;
  const feed = new FeedSync(api, store, () => load());
  /** Coding actions run one at a time, in order, so a fast run of keys never interleaves. */
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };
  const imports = createImports({ api, applied, serial });

  function notify(kind: 'error' | 'info', text: string, sticky = false): void {
    set((s) => ({ ...s, notice: { kind, text, seq: ++noticeSeq, ...(sticky ? { sticky } : {}) } }));
  }

  function message(e: unknown): string {
    return e instanceof Error ? e.message : String(e);
  }

  /** Runs a user action; a failure becomes a message, never an uncaught error. */
  async function attempt<T>(what: string, work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await work();
    } catch (e) {
      // A conflict's message says it all (what changed, that nothing was overwritten).
      notify('error', e instanceof ApiError && e.code === 'conflict' ? e.message : `${what} failed: ${message(e)}`);
      return undefined;
    }
  }

  /** Takes a command's answer into the state: its change event, and this window's undo labels. */
  function applied(result: CommandResult): CommandResult {
    feed.accept(result.event);
    set((s) => ({ ...s, history: result.history }));
    return result;
  }

  /** The passage to show while main creates one over `range` (holding `text`) of the open document. */
  function provisional(range: TextRange, codeIds: string[], text: string): PlacedAnnotation | null {
    const { document, project } = store.get();
    if (!document) return null;
    const at = new Date().toISOString();
    return {
      id: pendingId(),
      documentId: document.id,
      textHash: document.textHash,
      position: { type: 'TextPositionSelector', start: range.start, end: range.end },
      quote: { type: 'TextQuoteSelector', exact: text, prefix: '', suffix: '' },
      codeIds,
      memo: '',
      coderId: project?.coder?.id ?? '',
      created: at,
      modified: at,
      rev: 0,
      anchor: { status: 'exact', start: range.start, end: range.end },
    };
  }

  /**
   * Shows a passage over `range` of the open document at once (given the range's `text`),
   * marked as being saved, and closes the picker; main's passage takes its place when its change
   * event arrives (changes.ts). The function returned takes it away again if it is still there:
   * called once main has answered, yes or no.
   */
  function showPending(range: TextRange, codeIds: string[], text: string | undefined): () => void {
    const shown = text === undefined ? null : provisional(range, codeIds, text);
    const edit = (st: AppState, next: PlacedAnnotation[], change: PlacedAnnotation | null, pending: PlacedAnnotation[]): AppState => ({
      ...st,
      annotations: next,
      passagesDelta: { from: st.annotations, changes: new Map([[shown!.id, change]]) },
      pending,
    });
    set((st) => ({ ...(shown ? edit(st, insertNew(st.annotations, shown), shown, [...st.pending, shown]) : st), picker: null }));
    return () => {
      if (shown) set((st) => (st.pending.includes(shown) ? edit(st, without(st.annotations, shown), null, st.pending.filter((p) => p !== shown)) : st));
    };
  }

  /** A passage of the open document. */
  function passage(id: string): PlacedAnnotation | undefined {
    const s = store.get();
    return s.annotations.find((a) => a.id === id) ?? s.orphans.find((a) => a.id === id);
  }

  let openSeq = 0;
  /** Shows a document. Only the latest request counts: a slow answer for an earlier click is dropped. */
  async function openDocument(documentId: string): Promise<void> {
    const seq = ++openSeq;
    await attempt('Opening the document', async () => {
      const [document, listed] = await Promise.all([
        api['documents.get']({ documentId }),
        // The text is still worth showing when its passages' file was refused.
        api['annotations.list']({ documentId }).then(
          (list) => ({ ...list, problem: null }),
          (e: unknown) => ({ revision: 0, annotations: [] as PlacedAnnotation[], problem: message(e) }),
        ),
      ]);
      if (seq !== openSeq) return;
      set((s) => ({ ...s, openDocumentId: documentId, document, textChanged: false, ...splitPassages(listed.annotations), passagesDelta: null, pending: [], selectedId: null, picker: null, chooser: null }));
      // Changes committed after the list was read, which the feed applied while it was on its way.
      if (!listed.problem) feed.replayOnto(documentId, listed.revision);
      else {
        notify('error', `This document's coded passages cannot be shown: ${listed.problem}`);
        // Main found the problem only now, reading the file: its list entry says so from here on.
        const documents = await api['documents.list']({}).catch(() => null);
        if (documents) set((s) => ({ ...s, documents }));
      }
    });
  }

  /** Shows the document holding the passage if another one is open, then reveals the passage. */
  async function show(reveal: CommandResult['reveal']): Promise<void> {
    if (!reveal) return;
    if (store.get().openDocumentId !== reveal.documentId) await openDocument(reveal.documentId);
    const there = passage(reveal.annotationId) !== undefined;
    set((s) => ({ ...s, selectedId: there ? reveal.annotationId : s.selectedId, reveal: there ? { id: reveal.annotationId, seq: ++revealSeq, restored: reveal.restored } : s.reveal }));
  }

  async function load(): Promise<void> {
    await attempt('Loading the project', async () => {
      // One snapshot of one revision; the feed goes on from there.
      const { project, documents, codes, coders, variables, memos, collections, history } = await api['workspace.get']({});
      const open = store.get().openDocumentId;
      // The document open here, else the one last open in this project on this computer (layout-memory.ts), else the first.
      const first = open && documents.some((d) => d.id === open) ? open : (rememberedDocument(project.location, documents) ?? documents[0]?.id);
      // Asked for before the list is drawn, so that the article is on its way meanwhile.
      const opening = first ? openDocument(first) : Promise.resolve();
      feed.resetTo(project.revision);
      set((s) => ({ ...s, project, documents, codes, coders, variables, memos, collections, history, inVivoParent: storedInVivoParent(project.location), loading: false, profileDialog: project.coder ? s.profileDialog : 'first' }));
      // What main did on opening (a migration, a lock taken over) stays until the user has read it.
      if (project.notices.length && !noticesShown) notify('info', project.notices.join(' '), true);
      noticesShown = true;
      await opening;
      void feed.catchUp();
    });
    set((s) => (s.loading ? { ...s, loading: false } : s));
  }

  async function move(which: 'undo' | 'redo'): Promise<void> {
    // Nothing changes behind a modal dialog, whether the key, the toolbar or the menu asks.
    const s = store.get();
    if (s.exportDialog || s.profileDialog || s.projectDialog || s.propertiesDialog || s.replaceDialog || s.versionsDialog || imports.isOpen()) return;
    await serial(async () => {
      try {
        const result = await api[which === 'undo' ? 'history.undo' : 'history.redo']({});
        if (!result) return;
        applied(result);
        if (result.notice) notify('info', result.notice);
        await show(result.reveal);
      } catch (e) {
        notify('error', e instanceof ApiError && e.code === 'conflict' ? e.message : `${which === 'undo' ? 'Undo' : 'Redo'} failed: ${message(e)}`);
        // A conflict drops the step in main: show what Undo offers now.
        const history = await api['history.get']({}).catch(() => null);
        if (history) set((st) => ({ ...st, history }));
      }
    });
  }

  let unsubscribe: (() => void) | null = null;

  /** The codes this window applied most recently, latest first: the picker offers them first. */
  function used(codeId: string): void {
    set((s) => ({ ...s, recentCodes: [codeId, ...s.recentCodes.filter((c) => c !== codeId)].slice(0, RECENT_CODES) }));
  }

  return {
    ...codebookActions({ api, attempt, applied, serial, notify, codes: () => store.get().codes }),
    ...inVivoActions({ api, store, attempt, applied, serial, notify, used, showPending }),
    ...documentActions({ api, applied, serial, notify, documents: () => store.get().documents }),
    ...replaceActions({ api, applied, serial }),
    ...placeActions({ api, store, attempt, applied, serial, show }),
    ...retrievalActions({ api, store, attempt, applied, serial, notify, show, openDocument }),
    ...memoActions({ api, store, attempt, applied, serial, notify }),
    ...collectionActions({ api, attempt, applied, serial, notify }),
    notify,
    /** Shows a document the user chose, in the article (leaving the passages view). */
    openDocument(documentId: string): Promise<void> {
      set((s) => (s.centerView === 'article' ? s : { ...s, centerView: 'article' }));
      return openDocument(documentId);
    },
    load,
    /** Importing documents (the import dialog's own state and steps). */
    imports,

    /** Deletes a document with its coded passages (undoable); true when done. */
    removeDocument(documentId: string): Promise<boolean> {
      return serial(async () => {
        const title = store.get().documents.find((d) => d.id === documentId)?.meta.title ?? 'the document';
        const r = await attempt('Deleting the document', () => api['documents.remove']({ documentIds: [documentId] }));
        if (!r) return false;
        applied(r);
        notify('info', r.notice ?? `Deleted “${title}”. Undo brings it back.`);
        return true;
      });
    },

    /** Loads the project and starts listening to changes made in other windows. */
    async start(): Promise<void> {
      await load();
      // After the load, so the feed starts from the snapshot's revision (anything committed in
      // between is caught up from there).
      unsubscribe ??= subscribe?.(
        () => store.get().revision,
        (data) => feed.receive(data),
        () => void load(),
      ) ?? null;
    },
    stop(): void {
      unsubscribe?.();
      unsubscribe = null;
    },

    /** Shows or hides one code's passages in the article (`UNCODED`: passages without a code). */
    showCode(codeId: string, shown: boolean): void {
      set((s) => {
        const hiddenCodes = new Set(s.hiddenCodes);
        if (shown) hiddenCodes.delete(codeId);
        else hiddenCodes.add(codeId);
        return { ...s, hiddenCodes };
      });
    },
    /** Draws only the passages of `codeIds` (every other code, and uncoded passages, hidden). */
    showOnly(codeIds: readonly string[]): void {
      set((s) => ({ ...s, hiddenCodes: new Set([UNCODED, ...s.codes.map((c) => c.id)].filter((c) => !codeIds.includes(c))) }));
    },
    setStripes(on: boolean): void {
      set((s) => ({ ...s, stripes: on }));
    },
    showAllCodes(): void {
      set((s) => (s.hiddenCodes.size ? { ...s, hiddenCodes: new Set() } : s));
    },

    openPicker(range: TextRange | null, forId: string | null, at: Place): void {
      set((s) => ({ ...s, picker: { range, forId, at }, chooser: null }));
    },
    closePicker(): void {
      set((s) => ({ ...s, picker: null }));
    },
    openChooser(ids: string[], at: Place): void {
      set((s) => ({ ...s, chooser: { ids, at }, picker: null }));
    },
    closeChooser(): void {
      set((s) => ({ ...s, chooser: null }));
    },
    select(id: string | null): void {
      // A passage still being saved has no details to show yet.
      if (id !== null && isPending(id)) return;
      set((s) => ({ ...s, selectedId: id, chooser: null }));
    },
    reveal(id: string): void {
      if (passage(id)) set((s) => ({ ...s, selectedId: isPending(id) ? s.selectedId : id, reveal: { id, seq: ++revealSeq, restored: false } }));
    },
    articleDrawn(documentId: string | null): void {
      set((s) => (s.articleDrawn === documentId ? s : { ...s, articleDrawn: documentId }));
    },
    dismissNotice(): void {
      set((s) => ({ ...s, notice: null }));
    },
    setExportDialog(open: boolean): void {
      set((s) => ({ ...s, exportDialog: open }));
    },
    setProjectDialog(open: boolean): void {
      set((s) => ({ ...s, projectDialog: open }));
    },
    /** Opens or closes the open document's "New version of the text" dialog. */
    setReplaceDialog(open: boolean): void {
      set((s) => ({ ...s, replaceDialog: open && s.document !== null }));
    },
    /** Opens or closes the open document's earlier versions dialog. */
    setVersionsDialog(open: boolean): void {
      set((s) => ({ ...s, versionsDialog: open && s.document !== null }));
    },
    /** Shows the open document's new text and its passages where they are now, once it was replaced (`textChanged`). */
    async reloadText(): Promise<void> {
      const { textChanged, openDocumentId } = store.get();
      if (textChanged && openDocumentId) await openDocument(openDocumentId);
    },
    /** Opens or closes the open document's properties dialog. */
    setPropertiesDialog(open: boolean): void {
      set((s) => ({ ...s, propertiesDialog: open && s.document !== null }));
    },
    /** Renames the project; false when main refused (the user is told why). */
    renameProject(name: string): Promise<boolean> {
      return serial(async () => {
        const r = await attempt('Renaming the project', () => api['project.rename']({ name }));
        if (r) applied(r);
        return r !== undefined;
      });
    },
    setProfileDialog(open: boolean): void {
      set((s) => ({ ...s, profileDialog: open ? 'edit' : s.project?.coder ? null : 'first' }));
    },

    /** Saves the coder profile (name, initials, colour); resolves to whether it was saved. */
    async saveProfile(profile: { name: string; initials?: string; color?: string }): Promise<boolean> {
      const coder = await attempt('Saving your coder profile', () => api['coders.saveMe']({ name: profile.name, ...(profile.initials ? { initials: profile.initials } : {}), ...(profile.color ? { color: profile.color } : {}) }));
      if (!coder) return false;
      set((s) => ({ ...s, project: s.project ? { ...s.project, coder } : s.project, profileDialog: null }));
      return true;
    },

    /**
     * Codes a passage. Coding exactly the span of an existing passage adds the code to it
     * rather than making a twin passage. Given the range's `text`, the passage shows at once,
     * marked as being saved, until main's answer.
     */
    codeRange(range: TextRange, codeId: string, text?: string): Promise<void> {
      // The range is in the text shown now; queued work may run after another document opened.
      const documentId = store.get().openDocumentId;
      if (!documentId) return Promise.resolve();
      used(codeId);
      const unshow = showPending(range, [codeId], text);
      return serial(async () => {
        try {
          const s = store.get();
          // Found by stored position (binary search); a passage moved by a text change is not a twin.
          const twin = s.openDocumentId === documentId ? atRange(s.annotations, range.start, range.end, (a) => isPending(a.id)) : undefined;
          if (twin) {
            unshow();
            if (twin.codeIds.includes(codeId)) return void set((st) => ({ ...st, selectedId: twin.id }));
            const r = await attempt('Adding the code', () => api['annotations.addCodes']({ documentId, id: twin.id, codeIds: [codeId] }));
            if (r) {
              applied(r);
              set((st) => ({ ...st, selectedId: twin.id }));
            }
            return;
          }
          const r = await attempt('Coding the passage', () => api['annotations.create']({ documentId, start: range.start, end: range.end, codeIds: [codeId] }));
          if (!r) return;
          applied(r);
          set((st) => (st.openDocumentId === documentId && r.annotation ? { ...st, selectedId: r.annotation.id } : st));
        } finally {
          // Main answered, saying yes (its passage is in by now) or no.
          unshow();
        }
      });
    },

    addCode(id: string, codeId: string): Promise<void> {
      used(codeId);
      return serial(async () => {
        const a = passage(id);
        if (!a || a.codeIds.includes(codeId)) return;
        set((st) => ({ ...st, picker: null }));
        const r = await attempt('Adding the code', () => api['annotations.addCodes']({ documentId: a.documentId, id, codeIds: [codeId] }));
        if (r) {
          applied(r);
          set((st) => ({ ...st, selectedId: id }));
        }
      });
    },

    removeCode(id: string, codeId: string): Promise<void> {
      return serial(async () => {
        const a = passage(id);
        if (!a || !a.codeIds.includes(codeId)) return;
        const r = await attempt('Removing the code', () => api['annotations.removeCodes']({ documentId: a.documentId, id, codeIds: [codeId] }));
        if (r) applied(r);
      });
    },

    /**
     * Saves a memo draft: `draft.text` over `draft.base`, the memo as this window last had it
     * from main (read when the save runs, so saves queued behind each other chain). If someone
     * changed the memo since, main refuses and the user is shown both texts. Saves of one
     * editing `session` make one undo step. On success `draft.base` becomes the saved text.
     * Resolves to whether the draft is saved.
     */
    saveMemo(documentId: string, id: string, session: string, draft: MemoDraft): Promise<boolean> {
      return serial(async () => {
        const memo = draft.text;
        const base = draft.base;
        if (memo === base) return true;
        try {
          applied(await api['annotations.setMemo']({ documentId, id, memo, base, session }));
          draft.base = memo;
          return true;
        } catch (e) {
          if (e instanceof ApiError && e.code === 'conflict' && e.details?.memo !== undefined) {
            const theirs = e.details.memo;
            draft.conflict = true;
            set((s) => ({ ...s, memoConflict: { annotationId: id, documentId, mine: memo, theirs } }));
          } else notify('error', `Saving the memo failed: ${message(e)}`);
          return false;
        }
      });
    },

    /**
     * Sends a memo draft at once, ahead of queued actions, for a page that is going away and
     * would not live to run the queue.
     */
    sendMemoNow(documentId: string, id: string, session: string, draft: MemoDraft): void {
      if (draft.text === draft.base || draft.conflict) return;
      void api['annotations.setMemo']({ documentId, id, memo: draft.text, base: draft.base, session }).then(
        (r) => applied(r),
        () => undefined, // The queued save reports failures, if the page is still there to show them.
      );
    },

    /** Ends a memo conflict: keep this window's text (saved over theirs, which is shown) or theirs. */
    resolveMemoConflict(keep: 'mine' | 'theirs'): Promise<void> {
      const conflict = store.get().memoConflict;
      if (!conflict) return Promise.resolve();
      set((s) => ({ ...s, memoConflict: null }));
      if (keep === 'theirs') return Promise.resolve();
      return serial(async () => {
        const r = await attempt('Saving the memo', () =>
          api['annotations.setMemo']({ documentId: conflict.documentId, id: conflict.annotationId, memo: conflict.mine, base: conflict.theirs }),
        );
        if (r) applied(r);
      });
    },

    deletePassage(id: string): Promise<void> {
      return serial(async () => {
        const a = passage(id);
        if (!a) return;
        const r = await attempt('Deleting the passage', () => api['annotations.delete']({ documentId: a.documentId, id }));
        if (r) applied(r);
      });
    },

    undo: () => move('undo'),
    redo: () => move('redo'),

    /** Exports every coded passage as CSV: the desktop app streams it to a file the user picks; the browser downloads it. */
    async exportCsv(bom: boolean): Promise<void> {
      await attempt('Exporting the CSV', async () => {
        const desktop = desktopBridge();
        if (desktop) {
          const res = await desktop.exportCodedPassagesCsv({ bom });
          if (res.error !== undefined) throw new Error(res.error);
          if (res.saved) notify('info', `Saved ${res.path ?? 'the CSV file'}`);
        } else {
          const download = await downloadCodedPassagesCsv({ bom });
          if (!download.ok) throw new Error(download.message);
          saveBlob(download.file, CSV_EXPORT_FILE_NAME);
          notify('info', `Exported ${CSV_EXPORT_FILE_NAME}`);
        }
        set((s) => ({ ...s, exportDialog: false }));
      });
    },
  };
}
