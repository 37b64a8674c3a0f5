import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Actions } from '../actions';
import type { DocumentSummary } from '../../shared/model';
import { deleteQuestion } from '../import-files';
import type { AppState } from '../state';
import { useStore, type Store } from '../store';
import { isUndoKey, useModalKeys } from './Dialogs';
import { VirtualList, type VirtualListHandle } from './VirtualList';

/** A document row's usual height (title, details, count): the first guess before rows are measured. */
const DOCUMENT_ROW_ESTIMATE = 76;

/** A row's second line: authors, publication and date, where known. */
function detailsLine(d: DocumentSummary): string {
  return [d.meta.author, d.meta.publication, d.meta.date].filter((s) => s.trim() !== '').join(' · ');
}

function plural(n: number): string {
  return `${n} coded passage${n === 1 ? '' : 's'}`;
}

/**
 * Asks before a document is deleted, naming it and counting its coded passages (from main's
 * index). A modal alert dialog: Delete has the focus, Escape or Cancel keeps the document.
 */
function DeleteDocumentDialog({ doc, onDelete, onCancel }: { doc: DocumentSummary; onDelete: () => void; onCancel: () => void }) {
  const dialog = useRef<HTMLDivElement>(null);
  const confirm = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => confirm.current?.focus(), []);
  useModalKeys(true, dialog, onCancel);
  return (
    <div class="modal-backdrop">
      <div
        class="modal"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="delete-doc-heading"
        aria-describedby="delete-doc-text"
        ref={dialog}
        onKeyDown={(e) => isUndoKey(e) && e.stopPropagation()}
      >
        <h2 id="delete-doc-heading">Delete document</h2>
        <p id="delete-doc-text">{deleteQuestion(doc.meta.title, doc.annotationCount)}</p>
        <div class="modal-actions">
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" class="danger" ref={confirm} onClick={onDelete}>
            Delete
          </button>
        </div>
      </div>
    </div>
  );
}

/**
 * The project's documents: title, publication, date and how many passages are coded. A
 * virtualised list, so that a project of any size draws only the rows on screen. Above it,
 * Import documents… and Delete document… (the open one); Delete on a focused row asks to
 * delete that row's document, and Alt+↑/↓ moves it up or down the list.
 */
export function DocumentList({ store, actions, importButton }: { store: Store<AppState>; actions: Actions; importButton: { current: HTMLButtonElement | null } }) {
  const documents = useStore(store, (s) => s.documents);
  const openId = useStore(store, (s) => s.openDocumentId);
  const loading = useStore(store, (s) => s.loading);
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
  const openDoc = openIndex >= 0 ? documents[openIndex]! : null;

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
        </div>
      </div>
      {!loading && documents.length === 0 ? <p class="muted documents-empty">No documents yet. Import some, or drop files onto the window.</p> : null}
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
    </nav>
  );
}
