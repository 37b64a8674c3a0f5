import type { ApiClient, CommandResult } from '../shared/api';
import type { PlacedAnnotation } from '../shared/model';
import type { AppState } from './state';
import type { Store } from './store';
import type { TextRange } from './viewer/viewer';

/** What placing passages borrows from the window's actions (actions.ts). */
export interface PlaceActionsDeps {
  api: ApiClient;
  store: Store<AppState>;
  attempt: <T>(what: string, work: () => Promise<T>) => Promise<T | undefined>;
  applied: (result: CommandResult) => CommandResult;
  serial: <T>(work: () => Promise<T>) => Promise<T>;
  /** Shows a command's passage: selected in the list, scrolled to and flashed in the article. */
  show: (reveal: CommandResult['reveal']) => Promise<void>;
}

/**
 * Putting a passage on words the user selected in the article: an orphan left by a new version
 * of the text placed by hand, or a passage's edges moved. One undoable command in main
 * (`annotations.setRange`), keeping the passage's codes and memo.
 */
export function placeActions({ api, store, attempt, applied, serial, show }: PlaceActionsDeps) {
  return {
    /**
     * Places passage `id` of the open document on `range` of the text shown (trimmed by main, as
     * a new passage is). Resolves to the passage as placed, or null when main refused (the user
     * is told why: a conflict says what changed elsewhere) or the text shown is no longer current.
     */
    placePassage(id: string, range: TextRange): Promise<PlacedAnnotation | null> {
      // The range is in the text shown now; queued work may run after another document opened.
      const documentId = store.get().openDocumentId;
      if (!documentId) return Promise.resolve(null);
      return serial(async () => {
        const s = store.get();
        // The offsets belong to the text on screen: a text replaced meanwhile is reloaded first.
        if (s.openDocumentId !== documentId || s.textChanged) return null;
        const r = await attempt('Placing the passage', () => api['annotations.setRange']({ documentId, id, start: range.start, end: range.end }));
        if (!r) return null;
        applied(r);
        await show(r.reveal);
        return r.annotation ?? null;
      });
    },
  };
}
