import type { ApiClient, CommandResult } from '../shared/api';
import { inVivoName, siblingNamed } from '../shared/codebook';
import type { Code } from '../shared/model';
import { atRange } from './passages';
import { readPreferences, writePreferences } from './preferences';
import { codePath, isPending, type AppState } from './state';
import type { Store } from './store';
import type { TextRange } from './viewer/viewer';

/**
 * In-vivo coding in the window: Ctrl/⌘+I over a selection (or the picker's entry) codes it with
 * a code named after its words, under the code chosen in Project settings for this project on
 * this computer. Main makes the code and codes the passage as one command
 * (`annotations.codeInVivo`, one undo step); this side shows the passage at once, as any coding
 * does, and says what was done.
 */

/** Where an in-vivo code of `words` would go and what it would be called; null when the words make no name. */
export interface InVivoTarget {
  name: string;
  parentId: string | null;
  /** The code of that name there already, which is applied instead of making another. */
  existing: Code | undefined;
}

/** The chosen parent of in-vivo codes, if it is still in the codebook; otherwise (deleted since) the top level. */
export function inVivoParentOf(s: Pick<AppState, 'codes' | 'inVivoParent'>): string | null {
  const id = s.inVivoParent;
  return id !== null && s.codes.some((c) => c.id === id) ? id : null;
}

/** What coding `words` in vivo would do now. */
export function inVivoTarget(s: Pick<AppState, 'codes' | 'inVivoParent'>, words: string): InVivoTarget | null {
  const name = inVivoName(words);
  if (name === '') return null;
  const parentId = inVivoParentOf(s);
  return { name, parentId, existing: siblingNamed(s.codes, parentId, name) };
}

/** The parent of in-vivo codes kept on this computer for the project in `location`. */
export function storedInVivoParent(location: string): string | null {
  const id = readPreferences(location).inVivoParent;
  return typeof id === 'string' && id !== '' ? id : null;
}

/** What the in-vivo actions borrow from the window's actions (actions.ts). */
export interface InVivoDeps {
  api: ApiClient;
  store: Store<AppState>;
  attempt: <T>(what: string, work: () => Promise<T>) => Promise<T | undefined>;
  applied: (result: CommandResult) => CommandResult;
  serial: <T>(work: () => Promise<T>) => Promise<T>;
  notify: (kind: 'error' | 'info', text: string) => void;
  /** Marks a code as just used (the picker lists it first). */
  used: (codeId: string) => void;
  /** Shows a passage over `range` at once while main saves it; closes the picker. The function returned takes it away. */
  showPending: (range: TextRange, codeIds: string[], text: string) => () => void;
}

export function inVivoActions({ api, store, attempt, applied, serial, notify, used, showPending }: InVivoDeps) {
  return {
    /** Chooses where this project's in-vivo codes go on this computer (null: the top level). */
    setInVivoParent(codeId: string | null): void {
      const location = store.get().project?.location;
      if (location !== undefined) writePreferences(location, { inVivoParent: codeId });
      store.set((s) => (s.inVivoParent === codeId ? s : { ...s, inVivoParent: codeId }));
    },

    /**
     * Codes `range` of the open document (holding `text`) in vivo. As with any coding, exactly the
     * span of an existing passage gives that passage the code instead of making a twin; one that
     * has the code already is only shown.
     */
    codeInVivo(range: TextRange, text: string): Promise<void> {
      const s = store.get();
      const documentId = s.openDocumentId;
      if (!documentId) return Promise.resolve();
      const target = inVivoTarget(s, text);
      if (!target) {
        store.set((st) => ({ ...st, picker: null }));
        notify('info', 'The selection holds no words to name a code after.');
        return Promise.resolve();
      }
      const unshow = showPending(range, target.existing ? [target.existing.id] : [], text);
      return serial(async () => {
        try {
          const now = store.get();
          const twin = now.openDocumentId === documentId ? atRange(now.annotations, range.start, range.end, (a) => isPending(a.id)) : undefined;
          if (twin && target.existing && twin.codeIds.includes(target.existing.id)) {
            unshow();
            store.set((st) => ({ ...st, selectedId: twin.id }));
            notify('info', `The passage is coded “${codePath(now.codes, target.existing.id)}” already.`);
            return;
          }
          const known = new Set(now.codes.map((c) => c.id));
          const r = await attempt('In-vivo coding', () => api['annotations.codeInVivo']({ documentId, start: range.start, end: range.end, parentId: target.parentId }));
          if (!r) return;
          applied(r);
          if (!r.codeId) return;
          used(r.codeId);
          store.set((st) => (st.openDocumentId === documentId && r.annotation ? { ...st, selectedId: r.annotation.id } : st));
          const codes = store.get().codes;
          const parent = target.parentId === null ? '' : ` under “${codePath(codes, target.parentId)}”`;
          notify(
            'info',
            known.has(r.codeId)
              ? `Coded the passage with “${codePath(codes, r.codeId)}”, which was there already.`
              : `Created code “${target.name}”${parent} and coded the passage.`,
          );
        } finally {
          // Main answered, saying yes (its passage is in by now) or no.
          unshow();
        }
      });
    },
  };
}
