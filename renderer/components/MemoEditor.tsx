import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Actions } from '../actions';
import type { MemoSaveConflict } from '../memo-actions';
import { subjectLabel } from '../../shared/memos';
import type { Memo, MemoSubject, PlacedAnnotation } from '../../shared/model';
import { codePath, codesInTreeOrder, type AppState } from '../state';
import { useStore, type Store } from '../store';
import { DeleteQuestion, isUndoKey, useModalKeys } from './Dialogs';

/**
 * The memo dialog: a memo with a title written or edited — on the project (its research
 * journal), a document or a code — with the passages linked to it. Saving names the title and
 * text the dialog opened with, so a memo saved meanwhile in another window is never overwritten:
 * the dialog shows both texts and the user chooses.
 */

const subjectKey = (s: MemoSubject): string => (s.kind === 'project' ? 'project' : `${s.kind}:${s.id}`);
function subjectOfKey(key: string): MemoSubject {
  if (key === 'project') return { kind: 'project' };
  const at = key.indexOf(':');
  return { kind: key.slice(0, at) as 'document' | 'code', id: key.slice(at + 1) };
}

/** The focus goes back to what had it when the dialog opened (when that is still there). */
export function MemoEditor({ store, actions }: { store: Store<AppState>; actions: Actions }) {
  const target = useStore(store, (s) => s.memoEditor);
  const memos = useStore(store, (s) => s.memos);
  const documents = useStore(store, (s) => s.documents);
  const codes = useStore(store, (s) => s.codes);
  const coders = useStore(store, (s) => s.coders);
  const memo: Memo | null = target?.id ? (memos.find((m) => m.id === target.id) ?? null) : null;
  const [title, setTitle] = useState('');
  const [text, setText] = useState('');
  const [about, setAbout] = useState<MemoSubject>({ kind: 'project' });
  /** The title and text the dialog opened with (or last saved): what a save replaces. */
  const [base, setBase] = useState({ title: '', text: '' });
  const [conflict, setConflict] = useState<MemoSaveConflict | null>(null);
  const [deleting, setDeleting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [linked, setLinked] = useState<Map<string, PlacedAnnotation>>(new Map());
  const dialog = useRef<HTMLDivElement>(null);
  const question = useRef<HTMLDivElement>(null);
  const titleField = useRef<HTMLInputElement>(null);
  const open = target !== null;
  const wasOpen = useRef(false);
  const opener = useRef<HTMLElement | null>(null);

  useLayoutEffect(() => {
    if (open && !wasOpen.current) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      const m = target.id ? memos.find((x) => x.id === target.id) : undefined;
      setTitle(m?.title ?? '');
      setText(m?.text ?? '');
      setAbout(m?.about ?? (target.id === null ? target.about : { kind: 'project' }));
      setBase({ title: m?.title ?? '', text: m?.text ?? '' });
      setConflict(null);
      setDeleting(false);
      titleField.current?.focus();
    } else if (!open && wasOpen.current && opener.current?.isConnected) opener.current.focus();
    wasOpen.current = open;
  }, [open]);
  // The linked passages' words, read when the dialog opens and when the links change.
  const links = memo?.passages;
  useEffect(() => {
    if (!links?.length) {
      setLinked(new Map());
      return;
    }
    let current = true;
    void actions.passagesOf(links).then((m) => current && setLinked(m));
    return () => {
      current = false;
    };
  }, [links]);
  const close = (): void => actions.closeMemo();
  useModalKeys(open && !deleting, dialog, conflict ? null : close);

  const choices = useMemo(
    () => [
      { key: 'project', label: 'Project journal' },
      ...documents.map((d) => ({ key: `document:${d.id}`, label: `Document: ${d.meta.title}` })),
      ...codesInTreeOrder(codes).map((c) => ({ key: `code:${c.id}`, label: `Code: ${codePath(codes, c.id)}` })),
    ],
    [documents, codes],
  );
  if (!open) return null;
  if (target.id && !memo) {
    // Deleted meanwhile (here by an undo, or in another window).
    return (
      <div class="modal-backdrop">
        <div class="modal" role="alertdialog" aria-modal="true" aria-labelledby="memo-gone" ref={dialog}>
          <h2 id="memo-gone">This memo was deleted</h2>
          <p>It was deleted in another window, or by an undo. Redo or Undo there brings it back.</p>
          <div class="modal-actions">
            <button type="button" class="primary" onClick={close}>
              Close
            </button>
          </div>
        </div>
      </div>
    );
  }
  const known = choices.some((c) => c.key === subjectKey(about));
  const save = async (over = base): Promise<void> => {
    if (busy) return;
    setBusy(true);
    try {
      if (!memo) {
        const id = await actions.createMemo(title, text, about);
        if (id) close();
        return;
      }
      const changes = { ...(title !== memo.title ? { title } : {}), ...(text !== memo.text ? { text } : {}), ...(subjectKey(about) !== subjectKey(memo.about) ? { about } : {}) };
      if (Object.keys(changes).length === 0 && over === base) {
        close();
        return;
      }
      const r = await actions.saveMemoEdit({ id: memo.id, ...changes, ...(over !== base ? { title, text } : {}), base: over });
      if (r === null) close();
      else if (r !== 'failed') setConflict(r);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="modal-backdrop">
      {deleting && memo ? (
        <DeleteQuestion
          id="memo-delete"
          heading={`Delete the memo “${memo.title}”?`}
          text={`Its text${memo.passages.length ? ` and its links to ${memo.passages.length} passage${memo.passages.length === 1 ? '' : 's'}` : ''} go with it. Undo brings it back.`}
          dialog={question}
          onCancel={() => setDeleting(false)}
          onDelete={() => {
            setDeleting(false);
            void actions.deleteMemo(memo.id).then((done) => done && close());
          }}
        />
      ) : (
        <div class="modal wide memo-editor" role="dialog" aria-modal="true" aria-labelledby="memo-heading" ref={dialog} onKeyDown={(e) => isUndoKey(e) && e.stopPropagation()}>
          <h2 id="memo-heading">{memo ? 'Memo' : 'New memo'}</h2>
          {memo ? (
            <p class="muted memo-facts">
              {coders.find((c) => c.id === memo.authorId)?.name ?? 'Unknown coder'} · written {new Date(memo.created).toLocaleString()}
              {memo.modified !== memo.created ? ` · changed ${new Date(memo.modified).toLocaleString()}` : ''}
            </p>
          ) : null}
          <label class="field-row">
            Title
            <input ref={titleField} type="text" value={title} maxLength={200} placeholder="Untitled memo" onInput={(e) => setTitle((e.target as HTMLInputElement).value)} />
          </label>
          <label class="field-row">
            About
            <select value={subjectKey(about)} onChange={(e) => setAbout(subjectOfKey((e.target as HTMLSelectElement).value))}>
              {known ? null : <option value={subjectKey(about)}>{subjectLabel(about, { documents, codePath: (id) => codePath(codes, id) })}</option>}
              {choices.map((c) => (
                <option key={c.key} value={c.key}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
          <label class="field-row">
            Memo
            <textarea rows={10} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
          </label>
          {memo && memo.passages.length ? (
            <section class="memo-links" aria-labelledby="memo-links-heading">
              <h3 id="memo-links-heading">Linked passages ({memo.passages.length})</h3>
              <ul>
                {memo.passages.map((ref) => {
                  const p = linked.get(ref.id);
                  const words = p ? `“${p.quote.exact.length > 90 ? `${p.quote.exact.slice(0, 89)}…` : p.quote.exact}”` : 'A deleted passage';
                  return (
                    <li key={ref.id}>
                      <span>{words}</span>
                      {p ? (
                        <button
                          type="button"
                          class="ghost"
                          aria-label={`Open ${words}`}
                          onClick={() => {
                            close();
                            void actions.openPassage({ passage: p, documentTitle: '', before: '', after: '' });
                          }}
                        >
                          Open
                        </button>
                      ) : null}
                      <button type="button" class="ghost" aria-label={`Unlink ${words}`} onClick={() => void actions.linkPassage(memo.id, ref, false)}>
                        Unlink
                      </button>
                    </li>
                  );
                })}
              </ul>
            </section>
          ) : null}
          {conflict ? (
            <div class="memo-conflict" role="alert">
              <p>{conflict.message} Choose which text to keep.</p>
              <label class="field-row">
                The memo now
                <textarea readOnly rows={5} value={conflict.title !== title ? `${conflict.title}\n\n${conflict.text}` : conflict.text} />
              </label>
              <div class="modal-actions">
                <button
                  type="button"
                  onClick={() => {
                    setTitle(conflict.title);
                    setText(conflict.text);
                    setBase({ title: conflict.title, text: conflict.text });
                    setConflict(null);
                  }}
                >
                  Take the memo as it is now
                </button>
                <button
                  type="button"
                  class="primary"
                  onClick={() => {
                    const theirs = { title: conflict.title, text: conflict.text };
                    setConflict(null);
                    setBase(theirs);
                    void save(theirs);
                  }}
                >
                  Keep my text
                </button>
              </div>
            </div>
          ) : (
            <div class="modal-actions">
              {memo ? (
                <button type="button" class="danger" onClick={() => setDeleting(true)}>
                  Delete…
                </button>
              ) : null}
              <button type="button" onClick={close}>
                Cancel
              </button>
              <button type="button" class="primary" aria-disabled={busy || undefined} onClick={() => void save()}>
                Save
              </button>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
