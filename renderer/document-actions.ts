import { ApiError } from '../shared/api-core';
import type { ApiClient, ApiInput, ApiOutput, CommandResult } from '../shared/api';
import type { DocumentMeta, DocumentSummary, VariableValue } from '../shared/model';
import { variableActions } from './variable-actions';

/** The fields of a document the properties dialog edits: its properties and its memo. */
export type DocumentFields = NonNullable<ApiInput<'documents.update'>['changes']>;

/** Every field of the properties dialog, in its order. */
export const DOCUMENT_FIELD_KEYS = ['title', 'author', 'publication', 'date', 'url', 'accessed', 'pages', 'memo'] as const;

export type DocumentFieldKey = (typeof DOCUMENT_FIELD_KEYS)[number];

/** A document's fields as the window shows them: absent ones are empty. */
export function fieldsOf(doc: { meta: DocumentMeta; memo?: string }): Record<DocumentFieldKey, string> {
  const { meta } = doc;
  return { title: meta.title, author: meta.author, publication: meta.publication, date: meta.date, url: meta.url, accessed: meta.accessed ?? '', pages: meta.pages ?? '', memo: doc.memo ?? '' };
}

/**
 * What a save sends: the fields that differ from what was shown on opening, each with that
 * shown value as its base (so main refuses rather than overwrites a field changed elsewhere).
 * Single-line fields are trimmed; the memo is kept as typed.
 */
export function changedFields(shown: Record<DocumentFieldKey, string>, typed: Record<DocumentFieldKey, string>): { changes: DocumentFields; base: DocumentFields } {
  const changes: DocumentFields = {};
  const base: DocumentFields = {};
  for (const k of DOCUMENT_FIELD_KEYS) {
    const value = k === 'memo' ? typed[k] : typed[k].trim();
    if (value === shown[k]) continue;
    changes[k] = value;
    base[k] = shown[k];
  }
  return { changes, base };
}

/** A bibliography file's entries as main read them, to choose one from. */
export type CitationRead = ApiOutput<'documents.readCitation'>;
/** One entry of it. */
export type CitationChoice = CitationRead['items'][number];

/** A document's values of variables as the properties dialog has them, by variable id; null: not set. */
export type ValuesShown = Record<string, VariableValue | null>;

/** The values that differ from what was shown, each with that shown value as its base. */
export function changedValues(shown: ValuesShown, typed: ValuesShown): { values: ValuesShown; valuesBase: ValuesShown } {
  const values: ValuesShown = {};
  const valuesBase: ValuesShown = {};
  for (const [id, value] of Object.entries(typed)) {
    const was = shown[id] ?? null;
    if (value === was) continue;
    values[id] = value;
    valuesBase[id] = was;
  }
  return { values, valuesBase };
}

/** Whether a date is as main takes it: YYYY, YYYY-MM or YYYY-MM-DD, or empty. A hint only: main validates. */
export function isDateLike(s: string): boolean {
  return /^(?:\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?)?$/.test(s.trim());
}

/** Where document `id` sits in `documents`, said for the status line: "“Anna” is now 2 of 5 documents." */
export function documentPlaceSentence(documents: readonly DocumentSummary[], id: string): string {
  const at = documents.findIndex((d) => d.id === id);
  if (at < 0) return '';
  return `“${documents[at]!.meta.title}” is now ${at + 1} of ${documents.length} documents.`;
}

/** What the document actions borrow from the window's actions (actions.ts). */
export interface DocumentActionsDeps {
  api: ApiClient;
  applied: (result: CommandResult) => CommandResult;
  serial: <T>(work: () => Promise<T>) => Promise<T>;
  notify: (kind: 'error' | 'info', text: string) => void;
  /** The documents list as this window has it now. */
  documents: () => readonly DocumentSummary[];
}

/** Editing a document's properties and its place in the list; each is one undoable command in main. */
export function documentActions({ api, applied, serial, notify, documents }: DocumentActionsDeps) {
  const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));
  return {
    ...variableActions({ api, applied, serial, notify }),
    /**
     * Saves the fields (and values of variables) changed since the dialog showed `shown`, in
     * one `documents.update`: one undo step.
     * Resolves to null when saved (or nothing changed), else to main's refusal, for the dialog
     * to show while it keeps what the user typed.
     */
    updateDocument(
      documentId: string,
      shown: Record<DocumentFieldKey, string>,
      typed: Record<DocumentFieldKey, string>,
      values: { shown: ValuesShown; typed: ValuesShown } = { shown: {}, typed: {} },
    ): Promise<string | null> {
      return serial(async () => {
        const { changes, base } = changedFields(shown, typed);
        const changed = changedValues(values.shown, values.typed);
        const anyValue = Object.keys(changed.values).length > 0;
        if (Object.keys(changes).length === 0 && !anyValue) return null;
        try {
          applied(await api['documents.update']({ documentId, changes, base, ...(anyValue ? changed : {}) }));
          return null;
        } catch (e) {
          // A conflict or a validation error says what to do; anything else says what failed.
          return e instanceof ApiError && (e.code === 'conflict' || e.code === 'invalid_input') ? e.message : `Saving the properties failed: ${message(e)}`;
        }
      });
    },

    /**
     * Reads a bibliography file's text (BibTeX, RIS, CSL-JSON) into its entries, changing
     * nothing; resolves to main's refusal (a sentence) when it cannot be read.
     */
    async readCitation(fileName: string, content: string): Promise<CitationRead | string> {
      try {
        return await api['documents.readCitation']({ fileName, content });
      } catch (e) {
        return e instanceof ApiError && e.code === 'invalid_input' ? e.message : `Reading ${fileName} failed: ${message(e)}`;
      }
    },

    /**
     * Sets (or, with null, removes) a document's imported citation, filling the properties it
     * gives, in one undo step; `shown` is what the dialog showed of the properties, so that one
     * changed elsewhere is refused. Resolves to null when done, else to the refusal.
     */
    setCitation(documentId: string, citation: ApiInput<'documents.setCitation'>['citation'], shown: Record<DocumentFieldKey, string>): Promise<string | null> {
      return serial(async () => {
        const { memo: _memo, ...base } = shown;
        try {
          applied(await api['documents.setCitation']({ documentId, citation, base }));
          return null;
        } catch (e) {
          return e instanceof ApiError && (e.code === 'conflict' || e.code === 'invalid_input') ? e.message : `${citation ? 'Importing' : 'Removing'} the citation failed: ${message(e)}`;
        }
      });
    },

    /** Moves a document one place up or down the list; resolves to whether it moved. */
    moveDocument(documentId: string, step: -1 | 1): Promise<boolean> {
      return serial(async () => {
        const list = documents();
        const at = list.findIndex((d) => d.id === documentId);
        const to = at + step;
        if (at < 0 || to < 0 || to >= list.length) return false;
        // `before` names the document the moved one goes in front of, counted without it.
        const before = step < 0 ? list[to]!.id : (list[to + 1]?.id ?? null);
        try {
          const r = applied(await api['documents.move']({ documentId, before }));
          notify('info', r.notice ?? documentPlaceSentence(documents(), documentId));
          return true;
        } catch (e) {
          notify('error', e instanceof ApiError && e.code === 'conflict' ? e.message : `Moving the document failed: ${message(e)}`);
          return false;
        }
      });
    },
  };
}
