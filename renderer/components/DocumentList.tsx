import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Actions } from '../actions';
import type { DocumentSummary, DocumentVariable } from '../../shared/model';
import { valueText } from '../../shared/variables';
import { DEFAULT_VIEW, isFiltering, isListOrder, queryDocuments, readView, type DocumentView } from '../document-query';
import { deleteQuestion } from '../import-files';
import { readPreferences, writePreferences } from '../preferences';
import type { AppState } from '../state';
import { useStore, type Store } from '../store';
import { DeleteQuestion, useModalKeys } from './Dialogs';
import { DocumentQuery, withoutFilters } from './DocumentQuery';
import { VariablesDialog } from './VariablesDialog';
import { VirtualList, type VirtualListHandle } from './VirtualList';

/** A document row's usual height (title, details, count): the first guess before rows are measured. */
const DOCUMENT_ROW_ESTIMATE = 76;

/** A row's second line: authors, publication and date, where known. */
function detailsLine(d: DocumentSummary): string {
  return [d.meta.author, d.meta.publication, d.meta.date].filter((s) => s.trim() !== '').join(' · ');
}

/** A row's values of the variables, in their order: “Site: Seoul · Wave: 2”. */
function valuesLine(d: DocumentSummary, variables: readonly DocumentVariable[]): string {
  if (!d.values) return '';
  return variables.flatMap((v) => (d.values![v.id] === undefined ? [] : [`${v.name}: ${valueText(d.values![v.id]!)}`])).join(' · ');
}

/** Why Alt+↑/↓ moves no document in a sorted or filtered list. */
export const MOVE_ONLY_IN_LIST_ORDER = 'Documents move only in list order, with no filter: choose List order under Sort by, and clear the filters, to move them.';

function plural(n: number): string {
  return `${n} coded passage${n === 1 ? '' : 's'}`;
}

/**
 * Asks before a document is deleted, naming it and counting its coded passages (from main's
 * index). A modal alert dialog: Delete has the focus, Escape or Cancel keeps the document.
 */
function DeleteDocumentDialog({ doc, onDelete, onCancel }: { doc: DocumentSummary; onDelete: () => void; onCancel: () => void }) {
  const dialog = useRef<HTMLDivElement>(null);
  useModalKeys(true, dialog, onCancel);
  return (
    <div class="modal-backdrop">
      <DeleteQuestion id="delete-doc" heading="Delete document" text={deleteQuestion(doc.meta.title, doc.annotationCount)} dialog={dialog} onDelete={onDelete} onCancel={onCancel} />
    </div>
  );
}

/**
 * The project's documents: title, publication, date, values of the variables and how many
 * passages are coded. A virtualised list, so that a project of any size draws only the rows on
 * screen. Above it, Import documents…, Delete document… (the open one) and Variables…, then Sort
 * by and the filters (this window's view, kept per project on this computer); Delete on a
 * focused row asks to delete that row's document, and Alt+↑/↓ moves it up or down the list (in
 * list order only: sorted or filtered, the status line says so).
 */
export function DocumentList({ store, actions, importButton }: { store: Store<AppState>; actions: Actions; importButton: { current: HTMLButtonElement | null } }) {
  const all = useStore(store, (s) => s.documents);
  const variables = useStore(store, (s) => s.variables);
  const openId = useStore(store, (s) => s.openDocumentId);
  const loading = useStore(store, (s) => s.loading);
  const location = useStore(store, (s) => s.project?.location ?? null);
  const [view, setView] = useState<DocumentView>(DEFAULT_VIEW);
  // The view this computer keeps for the project, once it is known (and again for another one).
  useEffect(() => {
    if (location !== null) setView(readView(readPreferences(location).documentView));
  }, [location]);
  const changeView = (next: DocumentView): void => {
    setView(next);
    if (location !== null) writePreferences(location, { documentView: next });
  };
  const documents = useMemo(() => queryDocuments(all, variables, view), [all, variables, view]);
  const filtered = isFiltering(view.filter, variables);
  const [managing, setManaging] = useState(false);
  const variablesButton = useRef<HTMLButtonElement>(null);
  const nav = useRef<HTMLElement>(null);
  const list = useRef<VirtualListHandle | null>(null);
  const [asking, setAsking] = useState<{ doc: DocumentSummary; from: Element | null } | null>(null);
  /** Where the deleted document was in the list: the focus goes to the row now there. */
  const refocus = useRef<number | null>(null);
  const [deleted, setDeleted] = useState(0);
  /** The document just moved from the keyboard: its row, wherever it is now, gets the focus. */
  const movedId = useRef<string | null>(null);
  const [moves, setMoves] = useState(0);
  const openIndex = openId ? documents.findIndex((d) => d.id === openId) : -1;
  // The open document stays open (and deletable) while the filter hides its row.
  const openDoc = openId ? (all.find((d) => d.id === openId) ?? null) : null;

  useLayoutEffect(() => {
    const at = refocus.current;
    if (at === null) return;
    refocus.current = null;
    if (documents.length) list.current?.focusRow(Math.min(at, documents.length - 1));
    else importButton.current?.focus();
  }, [documents, deleted]);

  useLayoutEffect(() => {
    const id = movedId.current;
    if (id === null) return;
    movedId.current = null;
    const at = documents.findIndex((d) => d.id === id);
    if (at >= 0) list.current?.focusRow(at);
  }, [documents, moves]);

  // The open document went (deleted here or in another window) while the focus was in its
  // article or passages: the focus comes to the list rather than falling to the page.
  const wasOpen = useRef(openId);
  useLayoutEffect(() => {
    const was = wasOpen.current;
    wasOpen.current = openId;
    if (was === null || openId !== null || refocus.current !== null) return;
    const el = document.activeElement;
    if (el && el !== document.body && !el.closest('main.reader, aside.panel')) return;
    if (documents.length) list.current?.focusRow(0);
    else importButton.current?.focus();
  }, [openId]);

  const ask = (doc: DocumentSummary): void => setAsking({ doc, from: document.activeElement });
  /** Moves a row up or down; the focus follows it to its new place. */
  const move = async (id: string, step: -1 | 1): Promise<void> => {
    // The list order is what a move changes: with another order on screen, up would mean nothing certain.
    if (!isListOrder(view, variables)) {
      actions.notify('info', MOVE_ONLY_IN_LIST_ORDER);
      return;
    }
    if (!(await actions.moveDocument(id, step))) return;
    movedId.current = id;
    setMoves((n) => n + 1);
  };
  const row = (d: DocumentSummary, tabbable: boolean) => (
    <button
      type="button"
      class="doc-item"
      tabIndex={tabbable ? 0 : -1}
      aria-current={d.id === openId ? 'page' : undefined}
      aria-keyshortcuts="Delete Alt+ArrowUp Alt+ArrowDown"
      onClick={() => void actions.openDocument(d.id)}
      onKeyDown={(e) => {
        if ((e.key === 'Delete' || e.key === 'Backspace') && !e.altKey && !e.ctrlKey && !e.metaKey) {
          e.preventDefault();
          ask(d);
        } else if ((e.key === 'ArrowUp' || e.key === 'ArrowDown') && e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey) {
          e.preventDefault();
          void move(d.id, e.key === 'ArrowUp' ? -1 : 1);
        }
      }}
    >
      <span class="doc-title">{d.meta.title}</span>
      <span class="doc-meta">{detailsLine(d) || 'No publication details'}</span>
      {d.values ? <span class="doc-values">{valuesLine(d, variables)}</span> : null}
      {d.problem ? (
        <span class="doc-count error-text" title={d.problem}>
          Coded passages unavailable
        </span>
      ) : (
        <span class="doc-count">{plural(d.annotationCount)}</span>
      )}
    </button>
  );
  return (
    <nav class="documents" aria-labelledby="documents-heading" ref={nav}>
      <div class="documents-head">
        <h2 id="documents-heading">Documents</h2>
        <div class="documents-actions">
          <button type="button" class="ghost" ref={importButton} onClick={() => actions.imports.open()}>
            Import documents…
          </button>
          <button
            type="button"
            class="ghost"
            // Not `disabled`: a focused button that becomes disabled drops the focus to the page.
            aria-disabled={!openDoc || undefined}
            title={openDoc ? `Delete “${openDoc.meta.title}” and its coded passages` : 'Open a document to delete it'}
            onClick={() => openDoc && ask(openDoc)}
          >
            Delete document…
          </button>
          <button type="button" class="ghost" ref={variablesButton} title="Define the document variables: site, wave, interviewee…" onClick={() => setManaging(true)}>
            Variables…
          </button>
        </div>
      </div>
      {all.length ? <DocumentQuery view={view} variables={variables} onView={changeView} /> : null}
      <div class="documents-count">
        <p role="status">{filtered ? `${documents.length} of ${all.length} document${all.length === 1 ? '' : 's'}${openIndex < 0 && openDoc ? '; the open document is hidden by the filter' : ''}` : ''}</p>
        {filtered ? (
          <button
            type="button"
            class="ghost"
            onClick={() => {
              changeView(withoutFilters(view));
              // The button goes with the filters: the focus goes to the filter box, not to the page.
              nav.current?.querySelector<HTMLInputElement>('input[type="search"]')?.focus();
            }}
          >
            Clear filters
          </button>
        ) : null}
      </div>
      {!loading && all.length === 0 ? <p class="muted documents-empty">No documents yet. Import some, or drop files onto the window.</p> : null}
      <VirtualList
        items={documents}
        getKey={(d) => d.id}
        estimateSize={DOCUMENT_ROW_ESTIMATE}
        renderItem={(d, _i, tabbable) => row(d, tabbable)}
        scrollElement={() => nav.current}
        label="Documents"
        class="doc-list virtual"
        activeIndex={openIndex >= 0 ? openIndex : undefined}
        handle={list}
      />
      {asking ? (
        <DeleteDocumentDialog
          doc={documents.find((d) => d.id === asking.doc.id) ?? asking.doc}
          onCancel={() => {
            setAsking(null);
            if (asking.from instanceof HTMLElement && asking.from.isConnected) asking.from.focus();
          }}
          onDelete={async () => {
            const { doc, from } = asking;
            const at = documents.findIndex((d) => d.id === doc.id);
            setAsking(null);
            // Until main answers, the focus waits where the user asked from.
            if (from instanceof HTMLElement && from.isConnected) from.focus();
            if (await actions.removeDocument(doc.id)) {
              refocus.current = Math.max(0, at);
              setDeleted((n) => n + 1);
            }
          }}
        />
      ) : null}
      {managing ? (
        <VariablesDialog store={store} actions={actions} opener={variablesButton} onClose={() => setManaging(false)} />
      ) : null}
    </nav>
  );
}
