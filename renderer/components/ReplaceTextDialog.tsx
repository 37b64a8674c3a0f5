import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Actions } from '../actions';
import { IMPORT_ACCEPT, type EncodingChoice } from '../import-files';
import { countsSentence, type ReplacedPassage, type ReplacePreview } from '../replace-actions';
import type { AppState } from '../state';
import { useStore, type Store } from '../store';
import { isUndoKey, useModalKeys } from './Dialogs';
import { EncodingRetry } from './EncodingRetry';

/** Where the dialog is: choosing a file, main reading it, the review, or the replacement under way. */
type Phase = 'choose' | 'reading' | 'review' | 'applying';

/** A score 0–1 as the user reads it: "83%". */
const percent = (score: number): string => `${Math.round(score * 100)}%`;

/** The note saying what becomes of a passage kept unplaced (the "Keep it unplaced" choices point to it). */
const UNPLACED_NOTE = 'replace-unplaced-note';

/** A changed passage: its old and new words side by side, how alike they are, and where it goes. */
function ChangedRow({ passage, n, kept, onKeep }: { passage: ReplacedPassage; n: number; kept: boolean; onKeep: (keep: boolean) => void }) {
  const name = `replace-choice-${passage.id}`;
  return (
    <li class="replace-passage">
      <fieldset>
        <legend>
          Changed passage {n}: {percent(passage.score)} alike
        </legend>
        <div class="replace-words">
          <figure>
            <figcaption>Old words</figcaption>
            <blockquote>{passage.old.text}</blockquote>
          </figure>
          <figure>
            <figcaption>New words</figcaption>
            <blockquote>{passage.new?.text ?? ''}</blockquote>
          </figure>
        </div>
        <label>
          <input type="radio" name={name} checked={!kept} onChange={() => onKeep(false)} /> Accept the new place
        </label>
        <label>
          <input type="radio" name={name} checked={kept} aria-describedby={UNPLACED_NOTE} onChange={() => onKeep(true)} /> Keep it unplaced
        </label>
      </fieldset>
    </li>
  );
}

/** The review of a preview: the counts, the passages that need a look, the ones that simply follow. */
function Review({ preview, kept, onKeep }: { preview: ReplacePreview; kept: ReadonlySet<string>; onKeep: (id: string, keep: boolean) => void }) {
  const changed = preview.passages.filter((p) => p.status === 'changed');
  const orphaned = preview.passages.filter((p) => p.status === 'orphaned');
  const following = preview.passages.filter((p) => p.status === 'moved' || p.status === 'unchanged');
  return (
    <div class="replace-review">
      <p class="replace-counts">{countsSentence(preview.counts)}</p>
      {preview.notes.length ? (
        <ul class="import-notes" aria-label="Notes on the file">
          {preview.notes.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      ) : null}
      {changed.length || orphaned.length ? (
        <p id={UNPLACED_NOTE} class="replace-unplaced-note">
          Unplaced passages stay in the project, with their codes and memos, in every list and export. After the replacement you can place each on its new words: select them in the article and choose Place on selected text in the passage list.
        </p>
      ) : null}
      {changed.length ? (
        <section aria-labelledby="replace-changed-heading">
          <h3 id="replace-changed-heading">Changed ({changed.length})</h3>
          <ol class="replace-passages">
            {changed.map((p, i) => (
              <ChangedRow key={p.id} passage={p} n={i + 1} kept={kept.has(p.id)} onKeep={(keep) => onKeep(p.id, keep)} />
            ))}
          </ol>
        </section>
      ) : null}
      {orphaned.length ? (
        <section aria-labelledby="replace-orphaned-heading">
          <h3 id="replace-orphaned-heading">Orphaned ({orphaned.length})</h3>
          <p class="muted">Their words are not in the new text: they are kept unplaced, with their codes and memos.</p>
          <ol class="replace-passages">
            {orphaned.map((p) => (
              <li key={p.id} class="replace-passage">
                <blockquote>{p.old.text}</blockquote>
                {p.before ? <span class="muted"> (already unplaced before)</span> : null}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      {following.length ? (
        <details class="replace-following">
          <summary>
            {following.length === 1 ? '1 passage keeps its words' : `${following.length} passages keep their words`} (moved or unchanged)
          </summary>
          <ul>
            {following.map((p) => (
              <li key={p.id}>
                {p.status === 'moved' ? 'Moved: ' : 'Unchanged: '}
                {p.old.text}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </div>
  );
}

/**
 * "New version of the text": choose a file (any format Gloss imports), read what main would do
 * to each coded passage, choose for each changed one whether it takes its new place or stays
 * unplaced, then replace the text in one undoable step. Nothing changes before Apply; Cancel or
 * Escape closes. A refusal (the document changed meanwhile, an unknown encoding) is shown here.
 */
export function ReplaceTextDialog({ store, actions, onClosed }: { store: Store<AppState>; actions: Actions; onClosed: () => void }) {
  const open = useStore(store, (s) => s.replaceDialog);
  const documentId = useStore(store, (s) => s.openDocumentId);
  const [phase, setPhase] = useState<Phase>('choose');
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<ReplacePreview | null>(null);
  /** The changed passages the user keeps unplaced. */
  const [kept, setKept] = useState<ReadonlySet<string>>(new Set());
  const [refusal, setRefusal] = useState<string | null>(null);
  const [encoding, setEncoding] = useState<{ suggestions: string[]; choices: EncodingChoice[] } | null>(null);
  const dialog = useRef<HTMLFormElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const wasOpen = useRef(false);
  /** Counts the files read, so that an answer for a file chosen before the last one is dropped. */
  const readSeq = useRef(0);

  useLayoutEffect(() => {
    if (open) {
      setPhase('choose');
      setFile(null);
      setPreview(null);
      setKept(new Set());
      setRefusal(null);
      setEncoding(null);
      input.current?.focus();
    } else if (wasOpen.current) {
      readSeq.current++;
      onClosed();
    }
    wasOpen.current = open;
  }, [open]);
  const close = (): void => actions.setReplaceDialog(false);
  useModalKeys(open, dialog, phase === 'applying' ? null : close);
  if (!open || !documentId) return null;

  const read = async (chosen: File, encodingLabel?: string): Promise<void> => {
    const seq = ++readSeq.current;
    setFile(chosen);
    setPhase('reading');
    setPreview(null);
    setRefusal(null);
    setEncoding(null);
    const answer = await actions.previewReplace(documentId, chosen, encodingLabel);
    if (seq !== readSeq.current) return;
    if ('preview' in answer) {
      setPreview(answer.preview);
      setKept(new Set());
      setPhase('review');
    } else {
      setRefusal(answer.refusal);
      setEncoding(answer.encoding);
      setPhase('choose');
    }
  };

  const status = phase === 'reading' ? `Reading “${file?.name ?? ''}”…` : phase === 'applying' ? 'Replacing the text…' : preview ? `“${file?.name ?? ''}”: ${preview.characters} characters.` : '';
  return (
    <div class="modal-backdrop">
      <form
        class="modal wide replace-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="replace-heading"
        aria-describedby="replace-about"
        ref={dialog}
        // The window's Undo would change the document behind the dialog.
        onKeyDown={(e) => isUndoKey(e) && e.stopPropagation()}
        onSubmit={async (e) => {
          e.preventDefault();
          if (phase !== 'review' || !preview) return;
          setPhase('applying');
          const refused = await actions.replaceText(preview.token, [...kept]);
          if (refused === null) {
            close();
            return;
          }
          setRefusal(refused);
          setPhase('review');
        }}
      >
        <h2 id="replace-heading">New version of the text</h2>
        <p id="replace-about" class="muted">
          Choose a file with the new version: plain text, Markdown, HTML, Word, OpenDocument, EPUB or PDF. Gloss shows where each coded passage would go before anything changes; the old text is kept. Unplaced passages are kept; place them again later.
        </p>
        <div class="field-row">
          <label for="replace-file">Choose a file</label>
          <input
            id="replace-file"
            ref={input}
            type="file"
            accept={IMPORT_ACCEPT}
            onChange={(e) => {
              const chosen = (e.target as HTMLInputElement).files?.[0];
              if (chosen) void read(chosen);
            }}
          />
        </div>
        <p role="status" class="import-status">
          {status}
        </p>
        {refusal ? (
          <p role="alert" class="error-text">
            {refusal}
          </p>
        ) : null}
        {encoding && file && phase === 'choose' ? <EncodingRetry suggestions={encoding.suggestions} choices={encoding.choices} onTry={(label) => void read(file, label)} /> : null}
        {preview ? (
          <Review
            preview={preview}
            kept={kept}
            onKeep={(id, keep) =>
              setKept((k) => {
                const next = new Set(k);
                if (keep) next.add(id);
                else next.delete(id);
                return next;
              })
            }
          />
        ) : null}
        <div class="modal-actions">
          <button type="button" aria-disabled={phase === 'applying' || undefined} onClick={() => phase !== 'applying' && close()}>
            Cancel
          </button>
          <button type="submit" class="primary" aria-disabled={phase !== 'review' || undefined}>
            Apply
          </button>
        </div>
      </form>
    </div>
  );
}
