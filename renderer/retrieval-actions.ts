import type { ApiClient, CommandResult } from '../shared/api';
import type { AppState } from './state';
import type { Store } from './store';
import { exportFile } from './file-export';
import type { PassageRow, PassageSort } from './passage-pages';
import type { CitationStyle } from './preferences';
import { copyQuotation } from './quote-actions';
import type { PassageRef } from '../shared/model';

/** What the passages view borrows from the window's actions (actions.ts). */
export interface RetrievalActionsDeps {
  api: ApiClient;
  store: Store<AppState>;
  attempt: <T>(what: string, work: () => Promise<T>) => Promise<T | undefined>;
  applied: (result: CommandResult) => CommandResult;
  serial: <T>(work: () => Promise<T>) => Promise<T>;
  notify: (kind: 'error' | 'info', text: string) => void;
  /** Shows a passage: its document open, the passage selected, scrolled to and flashed. */
  show: (reveal: CommandResult['reveal']) => Promise<void>;
  /** Shows a document in the article. */
  openDocument: (documentId: string) => Promise<void>;
}

/** The view in the middle of the window: the open article, every coded passage of the project, a search of its texts, the memos, or the quote collections. */
export type CenterView = 'article' | 'passages' | 'search' | 'memos' | 'collections';

/** How a search of the texts matches (shared/text-search.ts). */
export interface TextSearchOptions {
  caseSensitive: boolean;
  diacriticSensitive: boolean;
  wholeWord: boolean;
  regex: boolean;
}

/**
 * Getting coded passages back out across the project: the passages view's pages, opening a
 * passage in its article, recoding many at once, and exporting what the view shows.
 */
export function retrievalActions({ api, store, attempt, applied, serial, notify, show, openDocument }: RetrievalActionsDeps) {
  return {
    /** One page of the passages matching `query`; rejects with main's words when the query cannot be run. */
    queryPassages: (query: string, sort: PassageSort, offset: number, limit: number) => api['passages.query']({ query, sort, offset, limit }),

    /** Shows the article or the passages view. */
    setCenterView(view: CenterView): void {
      store.set((s) => (s.centerView === view ? s : { ...s, centerView: view }));
    },

    /** Searches the texts of the project; rejects with main's words when the search cannot be run. */
    searchTexts: (query: string, options: TextSearchOptions) => api['search.project']({ query, ...options }),

    /** Opens a match of a search in its article: the document shown, the words selected and scrolled to. */
    async openMatch(documentId: string, start: number, end: number): Promise<void> {
      store.set((s) => ({ ...s, centerView: 'article' }));
      if (store.get().openDocumentId !== documentId) await openDocument(documentId);
      store.set((s) => ({ ...s, revealRange: { documentId, start, end, seq: (s.revealRange?.seq ?? 0) + 1 } }));
    },

    /**
     * Codes every match of a search with `codeId` but those in `skip`, as the preview showed them
     * (`expect`: each document's text then). One undoable command; true when done.
     */
    autocode(query: string, options: TextSearchOptions, codeId: string, skip: { documentId: string; start: number }[], expect: Record<string, string>): Promise<boolean> {
      return serial(async () => {
        const r = await attempt('Coding the matches', () => api['annotations.autocode']({ query, ...options, codeIds: [codeId], skip, expect }));
        if (!r) return false;
        applied(r);
        notify('info', r.notice ?? `${(r.history.undo ?? 'code the matches').replace(/^code/, 'Coded')}. Undo takes it back.`);
        return true;
      });
    },

    /** Opens a passage of the view in its article, selected and scrolled to. */
    async openPassage(row: PassageRow): Promise<void> {
      store.set((s) => ({ ...s, centerView: 'article' }));
      await show({ documentId: row.passage.documentId, annotationId: row.passage.id, restored: false });
    },

    /**
     * Adds and takes off codes on many passages at once: those chosen, or every passage `query`
     * gives. One undoable command; true when done (the user is told how many changed, or why not).
     */
    recodePassages(target: { passages: PassageRef[] } | { query: string }, add: string[], remove: string[]): Promise<boolean> {
      return serial(async () => {
        const r = await attempt('Recoding the passages', () => api['annotations.recode']({ ...target, add, remove }));
        if (!r) return false;
        applied(r);
        if (r.notice) notify('info', r.notice);
        return true;
      });
    },

    /** Puts a passage on the clipboard as a quotation with its citation in `style` (never rejects; see quote-actions.ts). */
    copyQuotation: (passage: PassageRef, style: CitationStyle) => copyQuotation(api, passage, style),

    /** Saves every passage the query gives, in the view's order, as CSV or Markdown. True when saved. */
    exportPassages: (query: string, sort: PassageSort, format: 'csv' | 'md'): Promise<boolean> =>
      attempt('Exporting the passages', async () => {
        const said = await exportFile(api, 'passages.export', { query, sort, format }, (file) => `${file.fileName} (${file.rows} passage${file.rows === 1 ? '' : 's'})`);
        if (said) notify('info', said);
        return said !== null;
      }).then((ok) => ok === true),
  };
}
