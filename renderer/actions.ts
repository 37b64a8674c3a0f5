import type { ApiClient } from '../shared/api';
import type { Annotation } from '../shared/model';
import { CSV_EXPORT_FILE_NAME } from '../shared/csv-export';
import { desktopBridge, downloadCodedPassagesCsv } from './api';
import { History } from './history';
import { compareAnnotations } from '../shared/order';
import type { AppState, Place } from './state';
import type { Store } from './store';
import type { TextRange } from './viewer/viewer';

/**
 * Everything the user can do, as functions over the API and the store. Components call these;
 * they never call the API themselves. Each coding action records an undo step.
 */
export type Actions = ReturnType<typeof createActions>;

export function createActions(api: ApiClient, store: Store<AppState>) {
  const set = store.set;
  let noticeSeq = 0;
  let revealSeq = 0;
  const history = new History((view) => set((s) => ({ ...s, history: view })));
  /**
   * The latest version of every passage this session has loaded or changed, whatever document
   * it is in: a queued action (a memo save behind a slow one, an undo) may run after its
   * document was closed.
   */
  const known = new Map<string, Annotation>();

  function notify(kind: 'error' | 'info', text: string): void {
    set((s) => ({ ...s, notice: { kind, text, seq: ++noticeSeq } }));
  }

  /** Runs a user action; a failure becomes a message, never an uncaught error. */
  async function attempt<T>(what: string, work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await work();
    } catch (e) {
      notify('error', `${what} failed: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  }

  /**
   * Puts a passage into the state, keeping text order. `added` says the passage is new to its
   * document (created, or restored after a delete), so the documents list counts it; the open
   * document's list cannot tell, since the passage may belong to another document.
   */
  function upsert(a: Annotation, added = false): void {
    known.set(a.id, a);
    set((s) => {
      let annotations = s.annotations;
      if (s.openDocumentId === a.documentId) {
        const exists = annotations.some((x) => x.id === a.id);
        annotations = exists ? annotations.map((x) => (x.id === a.id ? a : x)) : [...annotations, a].sort(compareAnnotations);
      }
      const documents = added ? s.documents.map((d) => (d.id === a.documentId ? { ...d, annotationCount: d.annotationCount + 1 } : d)) : s.documents;
      return { ...s, annotations, documents };
    });
  }

  function removeLocal(a: Annotation): void {
    known.delete(a.id);
    set((s) => ({
      ...s,
      annotations: s.openDocumentId === a.documentId ? s.annotations.filter((x) => x.id !== a.id) : s.annotations,
      documents: s.documents.map((d) => (d.id === a.documentId ? { ...d, annotationCount: Math.max(0, d.annotationCount - 1) } : d)),
      selectedId: s.selectedId === a.id ? null : s.selectedId,
      chooser: null,
    }));
  }

  /** Shows the document holding `a` if another one is open, then reveals the passage. */
  async function showPassage(a: Annotation, restored = false): Promise<void> {
    if (store.get().openDocumentId !== a.documentId) await openDocument(a.documentId);
    set((s) => ({ ...s, selectedId: a.id, reveal: { id: a.id, seq: ++revealSeq, restored } }));
  }

  async function update(a: Annotation, change: { codeIds?: string[]; memo?: string }): Promise<Annotation> {
    const next = await api['annotations.update']({ documentId: a.documentId, id: a.id, ...change });
    upsert(next);
    return next;
  }

  /** A passage as it is now, in whichever document. */
  function current(id: string): Annotation | undefined {
    return known.get(id);
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
          (list) => ({ list, problem: null }),
          (e: unknown) => ({ list: [], problem: e instanceof Error ? e.message : String(e) }),
        ),
      ]);
      if (seq !== openSeq) return;
      for (const a of listed.list) known.set(a.id, a);
      set((s) => ({ ...s, openDocumentId: documentId, document, annotations: listed.list, selectedId: null, picker: null, chooser: null }));
      if (listed.problem) notify('error', `This document's coded passages cannot be shown: ${listed.problem}`);
    });
  }

  return {
    history,
    notify,
    openDocument,

    async load(): Promise<void> {
      await attempt('Loading the project', async () => {
        const [project, documents, codebook] = await Promise.all([api['project.info']({}), api['documents.list']({}), api['codebook.get']({})]);
        set((s) => ({ ...s, project, documents, codes: codebook.codes, loading: false }));
        const first = documents[0];
        if (first && !store.get().openDocumentId) await openDocument(first.id);
      });
      set((s) => (s.loading ? { ...s, loading: false } : s));
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
      set((s) => ({ ...s, selectedId: id, chooser: null }));
    },
    reveal(id: string): void {
      const a = current(id);
      if (a) void showPassage(a);
    },
    dismissNotice(): void {
      set((s) => ({ ...s, notice: null }));
    },
    setExportDialog(open: boolean): void {
      set((s) => ({ ...s, exportDialog: open }));
    },

    /**
     * Codes a passage. Coding exactly the span of an existing passage adds the code to it
     * rather than making a twin passage.
     */
    codeRange(range: TextRange, codeId: string): Promise<void> {
      // The range is in the text shown now; queued work may run after another document opened.
      const documentId = store.get().openDocumentId;
      if (!documentId) return Promise.resolve();
      set((st) => ({ ...st, picker: null }));
      return history.run(async () => {
        const s = store.get();
        const stillOpen = s.openDocumentId === documentId;
        const twin = stillOpen ? s.annotations.find((a) => a.position.start === range.start && a.position.end === range.end) : undefined;
        if (twin) {
          if (twin.codeIds.includes(codeId)) return void set((st) => ({ ...st, selectedId: twin.id }));
          await attempt('Adding the code', () => addCodeStep(twin, codeId));
          return;
        }
        await attempt('Coding the passage', async () => {
          const created = await api['annotations.create']({ documentId, start: range.start, end: range.end, codeIds: [codeId] });
          upsert(created, true);
          set((st) => (st.openDocumentId === documentId ? { ...st, selectedId: created.id } : st));
          history.push({
            label: 'code passage',
            undo: async () => removeLocal(await api['annotations.delete']({ documentId, id: created.id })),
            redo: async () => {
              const back = await api['annotations.restore']({ documentId, id: created.id });
              upsert(back, true);
              await showPassage(back, true);
            },
          });
        });
      });
    },

    addCode(id: string, codeId: string): Promise<void> {
      return history.run(async () => {
        const a = current(id);
        if (!a || a.codeIds.includes(codeId)) return;
        set((st) => ({ ...st, picker: null }));
        await attempt('Adding the code', () => addCodeStep(a, codeId));
      });
    },

    removeCode(id: string, codeId: string): Promise<void> {
      return history.run(async () => {
        const a = current(id);
        if (!a || !a.codeIds.includes(codeId)) return;
        await attempt('Removing the code', async () => {
          const before = a.codeIds;
          const after = before.filter((c) => c !== codeId);
          await update(a, { codeIds: after });
          history.push({
            label: 'remove code',
            undo: async () => void (await showPassage(await update(current(id) ?? a, { codeIds: before }))),
            redo: async () => void (await showPassage(await update(current(id) ?? a, { codeIds: after }))),
          });
        });
      });
    },

    /** Saves a memo while it is being typed (no undo step; see `commitMemo`). Resolves to whether it is saved. */
    saveMemo(id: string, memo: string): Promise<boolean> {
      return history.run(async () => {
        const a = current(id);
        if (!a) return false;
        if (a.memo === memo) return true;
        return (await attempt('Saving the memo', () => update(a, { memo }))) !== undefined;
      });
    },

    /**
     * Sends a memo at once, ahead of queued actions, for a page that is going away and would not
     * live to run the queue. A save still in flight was sent earlier, so it cannot overtake this
     * one; the queued save that follows (if the page lives on) sends the same text.
     */
    sendMemoNow(id: string, memo: string): void {
      const a = current(id);
      if (!a || a.memo === memo) return;
      void api['annotations.update']({ documentId: a.documentId, id, memo }).then(
        (saved) => upsert(saved),
        () => undefined, // The queued save reports failures, if the page is still there to show them.
      );
    },

    /** Ends a memo edit: saves it and records one undo step from `before` to the final text. Resolves to whether it is saved. */
    commitMemo(id: string, before: string, after: string): Promise<boolean> {
      return history.run(async () => {
        const a = current(id);
        if (!a) return false;
        const ok = await attempt('Saving the memo', async () => {
          if (a.memo !== after) await update(a, { memo: after });
          return true;
        });
        if (!ok) return false;
        if (before === after) return true;
        history.push({
          label: 'edit memo',
          undo: async () => void (await showPassage(await update(current(id) ?? a, { memo: before }))),
          redo: async () => void (await showPassage(await update(current(id) ?? a, { memo: after }))),
        });
        return true;
      });
    },

    deletePassage(id: string): Promise<void> {
      return history.run(async () => {
        const a = current(id);
        if (!a) return;
        await attempt('Deleting the passage', async () => {
          const gone = await api['annotations.delete']({ documentId: a.documentId, id });
          removeLocal(gone);
          history.push({
            label: 'delete passage',
            undo: async () => {
              const back = await api['annotations.restore']({ documentId: gone.documentId, id });
              upsert(back, true);
              await showPassage(back, true);
            },
            redo: async () => removeLocal(await api['annotations.delete']({ documentId: gone.documentId, id })),
          });
        });
      });
    },

    // Nothing changes behind the modal export dialog, whether the key, the toolbar or the menu asks.
    async undo(): Promise<void> {
      if (!store.get().exportDialog) await attempt('Undo', () => history.undo());
    },
    async redo(): Promise<void> {
      if (!store.get().exportDialog) await attempt('Redo', () => history.redo());
    },

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
          const fileName = CSV_EXPORT_FILE_NAME;
          const url = URL.createObjectURL(download.file);
          const link = document.createElement('a');
          link.href = url;
          link.download = fileName;
          document.body.append(link);
          link.click();
          link.remove();
          setTimeout(() => URL.revokeObjectURL(url), 10_000);
          notify('info', `Exported ${fileName}`);
        }
        set((s) => ({ ...s, exportDialog: false }));
      });
    },
  };

  async function addCodeStep(a: Annotation, codeId: string): Promise<void> {
    const before = a.codeIds;
    const after = [...before, codeId];
    await update(a, { codeIds: after });
    set((st) => ({ ...st, selectedId: a.id }));
    history.push({
      label: 'add code',
      undo: async () => void (await showPassage(await update(current(a.id) ?? a, { codeIds: before }))),
      redo: async () => void (await showPassage(await update(current(a.id) ?? a, { codeIds: after }))),
    });
  }
}
