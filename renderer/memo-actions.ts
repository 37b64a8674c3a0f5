import { ApiError } from '../shared/api-core';
import type { ApiClient, ApiInput, CommandResult } from '../shared/api';
import type { MemoSubject, PassageRef, PlacedAnnotation } from '../shared/model';
import { exportFile } from './file-export';
import type { AppState } from './state';
import type { Store } from './store';

/** What the memos' actions borrow from the window's actions (actions.ts). */
export interface MemoActionsDeps {
  api: ApiClient;
  store: Store<AppState>;
  attempt: <T>(what: string, work: () => Promise<T>) => Promise<T | undefined>;
  applied: (result: CommandResult) => CommandResult;
  serial: <T>(work: () => Promise<T>) => Promise<T>;
  notify: (kind: 'error' | 'info', text: string) => void;
}

/** A save refused because another window saved the memo first: what it holds now, for the user to choose. */
export interface MemoSaveConflict {
  message: string;
  title: string;
  text: string;
}

/**
 * Writing memos with a title (the project's journal, memos on documents and codes), each one
 * undoable command in main; linking passages to them; and every memo of the project as Markdown.
 */
export function memoActions({ api, store, attempt, applied, serial, notify }: MemoActionsDeps) {
  return {
    /** Opens the memo dialog on a memo, or on a new one about `about`. */
    openMemo(target: { id: string } | { id: null; about: MemoSubject }): void {
      store.set((s) => ({ ...s, memoEditor: target }));
    },
    closeMemo(): void {
      store.set((s) => (s.memoEditor ? { ...s, memoEditor: null } : s));
    },

    /** The passages of `refs` as they are now, by id (those deleted since are left out). */
    async passagesOf(refs: readonly PassageRef[]): Promise<Map<string, PlacedAnnotation>> {
      const out = new Map<string, PlacedAnnotation>();
      for (const documentId of new Set(refs.map((r) => r.documentId))) {
        const list = await api['annotations.list']({ documentId }).catch(() => null);
        for (const a of list?.annotations ?? []) out.set(a.id, a);
      }
      return out;
    },

    /** Writes a memo; resolves to its id, or null when main refused (the user is told why). */
    createMemo(title: string, text: string, about: MemoSubject, passages?: PassageRef[]): Promise<string | null> {
      return serial(async () => {
        const r = await attempt('Writing the memo', () => api['memos.create']({ title, text, about, ...(passages ? { passages } : {}) }));
        if (!r) return null;
        applied(r);
        return r.memoId ?? null;
      });
    },

    /**
     * Saves a memo's changes over `base` (its title and text as this window showed them).
     * Resolves to null when saved, or to the memo as another window saved it meanwhile.
     */
    saveMemoEdit(input: ApiInput<'memos.update'>): Promise<MemoSaveConflict | null | 'failed'> {
      return serial(async () => {
        try {
          applied(await api['memos.update'](input));
          return null;
        } catch (e) {
          if (e instanceof ApiError && e.code === 'conflict' && e.details?.memo !== undefined) return { message: e.message, title: e.details.title ?? input.base.title, text: e.details.memo };
          notify('error', e instanceof ApiError && (e.code === 'invalid_input' || e.code === 'not_found') ? e.message : `Saving the memo failed: ${e instanceof Error ? e.message : String(e)}`);
          return 'failed';
        }
      });
    },

    /** Deletes a memo (undoable); true when done. */
    deleteMemo(id: string): Promise<boolean> {
      return serial(async () => {
        const r = await attempt('Deleting the memo', () => api['memos.delete']({ id }));
        if (!r) return false;
        applied(r);
        notify('info', 'Memo deleted. Undo brings it back.');
        return true;
      });
    },

    /** Links a passage to a memo, or unlinks it; true when done. */
    linkPassage(id: string, passage: PassageRef, linked: boolean): Promise<boolean> {
      return serial(async () => {
        const r = await attempt(linked ? 'Linking the passage' : 'Unlinking the passage', () => api['memos.link']({ id, passage, linked }));
        if (!r) return false;
        applied(r);
        return true;
      });
    },

    /** Saves every memo of the project as one Markdown file. True when saved. */
    exportMemos: (): Promise<boolean> =>
      attempt('Exporting the memos', async () => {
        const said = await exportFile(api, 'memos.export', { format: 'md' }, (file) => `${file.fileName} (${file.memos} memo${file.memos === 1 ? '' : 's'})`);
        if (said) notify('info', said);
        return said !== null;
      }).then((ok) => ok === true),
  };
}
