import { useLayoutEffect, useRef } from 'preact/hooks';
import type { Actions } from '../actions';
import type { ImportPhase, Imports } from '../import-actions';
import { IMPORT_ACCEPT, countOutcomes, progressOf, reportSentence, statusText, type ImportItem } from '../import-files';
import { useStore } from '../store';
import { isUndoKey, useModalKeys } from './Dialogs';
import { EncodingRetry } from './EncodingRetry';

/** One file of the import: its name, where it is, and what main noted while reading it. */
function FileRow({ item, canRetry, onRetry }: { item: ImportItem; canRetry: boolean; onRetry: (encoding: string) => void }) {
  const s = item.status;
  const notes = s.kind === 'ready' || s.kind === 'imported' ? s.notes : [];
  return (
    <li class={`import-file import-${s.kind}`}>
      <span class="import-file-name">{item.name}</span> <span class="import-file-status">{statusText(item)}</span>
      {notes.length ? (
        <ul class="import-notes">
          {notes.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      ) : null}
      {s.kind === 'encoding' && canRetry ? <EncodingRetry suggestions={s.suggestions} choices={s.choices} fileName={item.name} onTry={onRetry} /> : null}
    </li>
  );
}

/** The line the live region says: how far the import is, then how it went. */
function statusLine(phase: ImportPhase, items: readonly ImportItem[], message: string | null): string {
  if (message) return message;
  const { done, total } = progressOf(items);
  if (phase === 'preparing') return `${done} of ${total} file${total === 1 ? '' : 's'} read`;
  if (phase === 'committing') return 'Adding the documents to the project…';
  if (phase === 'done') return reportSentence(countOutcomes(items));
  return '';
}

/**
 * The import dialog: choose files (or drop them on it, or anywhere on the window, see FileDrop),
 * watch them being read with Cancel at hand, then read the report, file by file, and open the
 * first document imported. A modal dialog: Tab stays inside, Escape cancels a running import or
 * closes, and the focus goes back where it was (else `onClosed`).
 */
export function ImportDialog({ imports, actions, onClosed }: { imports: Imports; actions: Actions; onClosed: () => void }) {
  const { phase, items, notices, message } = useStore(imports.store, (s) => s);
  const dialog = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const finished = useRef<HTMLButtonElement>(null);
  const returnTo = useRef<Element | null>(null);
  const shown = useRef<ImportPhase>('closed');
  const open = phase !== 'closed';

  useModalKeys(open, dialog, () => (imports.store.get().phase === 'preparing' ? imports.cancel() : imports.close()));
  useLayoutEffect(() => {
    const was = shown.current;
    shown.current = phase;
    if (phase === 'closed') {
      if (was === 'closed') return;
      const back = returnTo.current;
      returnTo.current = null;
      if (back instanceof HTMLElement && back.isConnected && back !== document.body) back.focus();
      else onClosed();
      return;
    }
    if (was === 'closed') returnTo.current = document.activeElement;
    // What had the focus (the file chooser, a Try again button) goes as the phase changes.
    if (phase === 'choose') input.current?.focus();
    else if (phase === 'preparing') cancel.current?.focus();
    else if (phase === 'done') finished.current?.focus();
  }, [phase]);

  if (!open) return null;
  const running = phase === 'preparing' || phase === 'committing';
  const { done, total } = progressOf(items);
  const first = items.find((i) => i.status.kind === 'imported');
  const firstDoc = first?.status.kind === 'imported' ? first.status : null;
  const choosing = phase === 'done' && items.some((i) => i.status.kind === 'encoding');
  return (
    <div class="modal-backdrop">
      <div
        class="modal wide import-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="import-docs-heading"
        aria-describedby="import-docs-about"
        ref={dialog}
        // Nothing changes behind a modal dialog: the window's Undo does not reach it from here.
        onKeyDown={(e) => isUndoKey(e) && e.stopPropagation()}
      >
        <h2 id="import-docs-heading">Import documents</h2>
        <p id="import-docs-about" class="muted">
          Plain text, Markdown, HTML, Word (.docx), OpenDocument (.odt), EPUB and PDF. Each file becomes a document; the files chosen together are added as one step you can undo.
        </p>
        {phase === 'choose' ? (
          <div class="import-drop">
            <label for="import-docs-files">Choose files</label>
            <input
              id="import-docs-files"
              ref={input}
              type="file"
              multiple
              accept={IMPORT_ACCEPT}
              onChange={(e) => {
                const chosen = [...((e.target as HTMLInputElement).files ?? [])];
                if (chosen.length) imports.open(chosen);
              }}
            />
            <p class="muted">or drop them here, or anywhere on the window.</p>
          </div>
        ) : (
          <>
            <progress class="import-progress" aria-label="Files read" aria-valuetext={`${done} of ${total}`} max={Math.max(total, 1)} value={done} />
            {/* Scrollable, so reachable by keyboard: by its own Tab stop unless it holds controls. */}
            <ul class="import-files" aria-label="Files" tabIndex={choosing ? undefined : 0}>
              {items.map((item) => (
                <FileRow key={item.id} item={item} canRetry={choosing} onRetry={(encoding) => void imports.retry(item.id, encoding)} />
              ))}
            </ul>
          </>
        )}
        <p role="status" class="import-status">
          {statusLine(phase, items, message)}
        </p>
        {notices.length && phase === 'done' ? (
          <ul class="import-warnings" aria-label="Notes on the import">
            {notices.map((n, i) => (
              <li key={i}>{n}</li>
            ))}
          </ul>
        ) : null}
        <div class="modal-actions">
          {running ? (
            // Not `disabled` while the documents are added: the focus would drop to the page.
            <button type="button" ref={cancel} aria-disabled={phase === 'committing' || undefined} onClick={() => imports.cancel()}>
              Cancel
            </button>
          ) : (
            <>
              {phase === 'done' && firstDoc ? (
                <button
                  type="button"
                  class="primary"
                  ref={finished}
                  onClick={() => {
                    imports.close();
                    void actions.openDocument(firstDoc.documentId);
                  }}
                >
                  Open “{firstDoc.title}”
                </button>
              ) : null}
              <button type="button" ref={firstDoc ? undefined : finished} onClick={() => imports.close()}>
                {phase === 'choose' ? 'Cancel' : 'Close'}
              </button>
            </>
          )}
        </div>
      </div>
    </div>
  );
}
