import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { CodeChip } from './CodeChip';
import { MemoLinks } from './MemoLinks';
import { CodeLegend } from './CodeLegend';
import { copyAndTell, CopyQuotation, onCopyQuotationKey } from './CopyQuote';
import { copyQuotationKeyLabel } from '../quote-actions';
import type { Actions, MemoDraft } from '../actions';
import type { Code, Coder, Collection, Memo, PlacedAnnotation } from '../../shared/model';
import { AddToCollection } from './AddToCollection';
import { indexOf } from '../passages';
import { codePath, isPending, type AppState } from '../state';
import { useAfterPaint, useStore, type Store } from '../store';
import { VirtualList, type VirtualListHandle } from './VirtualList';
import type { TextRange } from '../viewer/viewer';
import { excerpt } from '../excerpt';

/** A passage row's usual height (chips, a quote line or two): the first guess before rows are measured. */
const PASSAGE_ROW_ESTIMATE = 84;

/** Pause in typing after which a memo is saved: short enough that little is at risk, long enough not to write per keystroke. */
const MEMO_SAVE_DELAY_MS = 400;


function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

function coderName(coders: readonly Coder[], id: string): string {
  return coders.find((c) => c.id === id)?.name ?? 'Unknown coder';
}

/** Longest a memo edit waits unsaved while the user keeps typing. */
const MEMO_MAX_WAIT_MS = 2000;

type MemoStatus = 'idle' | 'editing' | 'saving' | 'saved' | 'failed';
const MEMO_STATUS: Record<MemoStatus, string> = { idle: '', editing: 'Editing…', saving: 'Saving…', saved: 'Saved', failed: 'Not saved' };

/**
 * Memo editor: saves while typing (after a pause, or at least every two seconds), says whether
 * the text is on disk, saves at once when the page goes away or the panel closes. Each save
 * names the memo it replaces, so a memo changed meanwhile in another window is never
 * overwritten (the user chooses, see MemoConflictDialog); one focus-to-blur editing session is
 * one undo step in main.
 */
function MemoField({ annotation, actions }: { annotation: PlacedAnnotation; actions: Actions }) {
  const [text, setText] = useState(annotation.memo);
  const [status, setStatus] = useState<MemoStatus>('idle');
  /** The editing session (null when the user is not editing) and its draft. */
  const session = useRef<string | null>(null);
  const draft = useRef<MemoDraft>({ text: annotation.memo, base: annotation.memo });
  const timer = useRef(0);
  const firstUnsaved = useRef(0);
  // Follow outside changes (undo, another window, another passage) unless the user is typing here.
  useEffect(() => {
    if (session.current === null) {
      setText(annotation.memo);
      draft.current = { text: annotation.memo, base: annotation.memo };
    }
  }, [annotation.id, annotation.memo]);

  const save = (): void => {
    clearTimeout(timer.current);
    firstUnsaved.current = 0;
    if (session.current === null) return;
    const current = draft.current;
    setStatus('saving');
    void actions.saveMemo(annotation.documentId, annotation.id, session.current, current).then((ok) => {
      if (current.conflict && draft.current === current) {
        // The user is choosing between the texts; the field then follows the memo as it becomes.
        session.current = null;
        setStatus('failed');
        return;
      }
      setStatus((s) => (s === 'saving' ? (ok ? 'saved' : 'failed') : s));
    });
  };
  /** Ends the session: saves what is left. */
  const end = (): void => {
    save();
    session.current = null;
  };
  useEffect(() => {
    // The page may go away mid-sentence (reload, window closed). Queued work would never run
    // then (an autosave may still be in flight), so the text is sent at once as well.
    const onHide = (): void => {
      if (session.current === null) return;
      actions.sendMemoNow(annotation.documentId, annotation.id, session.current, draft.current);
      end();
    };
    window.addEventListener('pagehide', onHide);
    return () => {
      window.removeEventListener('pagehide', onHide);
      // Closing the panel or choosing another passage ends the edit the ordinary way.
      if (session.current !== null) end();
    };
  }, [annotation.id]);

  return (
    <div class="field">
      <div class="field-head">
        <label for="memo">Memo</label>
        <span class={`memo-status ${status === 'failed' ? 'error-text' : 'muted'}`} role="status">
          {MEMO_STATUS[status]}
        </span>
      </div>
      <textarea
        id="memo"
        rows={5}
        value={text}
        onInput={(e) => {
          const value = (e.target as HTMLTextAreaElement).value;
          if (session.current === null) {
            session.current = crypto.randomUUID();
            draft.current = { text: value, base: annotation.memo };
          }
          draft.current.text = value;
          setText(value);
          setStatus('editing');
          clearTimeout(timer.current);
          const now = Date.now();
          if (!firstUnsaved.current) firstUnsaved.current = now;
          const wait = Math.max(0, Math.min(MEMO_SAVE_DELAY_MS, firstUnsaved.current + MEMO_MAX_WAIT_MS - now));
          timer.current = window.setTimeout(save, wait);
        }}
        onBlur={end}
      />
    </div>
  );
}

/** Whether keyboard focus has been lost to the page (its element removed, or nothing focused). */
function focusLost(): boolean {
  return document.activeElement === null || document.activeElement === document.body;
}

/**
 * Puts focus on the passage details once they are drawn: call it right after selecting a
 * passage from outside the panel.
 */
export function focusDetailsWhenShown(): void {
  // The store renders its changes a moment later; a task later the details are there.
  setTimeout(focusDetails, 0);
}

function focusDetails(): void {
  document.getElementById('details-heading')?.focus();
}

/** What "Place on selected text" last said, for the passage as it was then (`rev`): a later change (an undo) makes it stale. */
interface PlaceStatus {
  text: string;
  rev: number;
}

/**
 * "Place on selected text": puts the passage on the words selected in the article, keeping its
 * codes and memo (an orphan placed by hand, or a passage's edges moved). The button is never
 * disabled: a disabled button cannot be reached by Tab nor say why, so pressed with nothing
 * selected it says in its status line what to do first.
 */
function PlaceOnSelection({ annotation, actions, selection }: { annotation: PlacedAnnotation; actions: Actions; selection: () => TextRange | null }) {
  const [status, setStatus] = useState<PlaceStatus | null>(null);
  const orphan = annotation.anchor.status === 'orphan';
  const place = async (): Promise<void> => {
    const range = selection();
    if (!range) {
      setStatus({ text: orphan ? 'Select its words in the article first.' : 'Select its new words in the article first.', rev: annotation.rev });
      return;
    }
    setStatus({ text: 'Placing…', rev: annotation.rev });
    const placed = await actions.placePassage(annotation.id, range);
    setStatus(placed ? { text: `Placed on “${excerpt(placed.quote.exact, 80)}”.`, rev: placed.rev } : null);
  };
  return (
    <div class="place-passage">
      <p id="place-hint" class="muted">
        {orphan ? 'Select its words in the article, then choose Place on selected text.' : 'To change its words, select them in the article, then choose Place on selected text.'}
      </p>
      <button type="button" aria-describedby="place-hint" onClick={() => void place()}>
        Place on selected text
      </button>
      <p class="place-status" role="status">
        {status && status.rev === annotation.rev ? status.text : ''}
      </p>
    </div>
  );
}

function Details({
  annotation,
  codes,
  coders,
  actions,
  location,
  memos,
  collections,
  selection,
  onClose,
  onDelete,
}: {
  annotation: PlacedAnnotation;
  codes: Code[];
  coders: Coder[];
  actions: Actions;
  /** The memos with a title, which the passage may be linked to. */
  memos: readonly Memo[];
  /** The quote collections, which the passage may be added to. */
  collections: readonly Collection[];
  /** The project's folder, which this computer's preferences (the citation style) are kept by. */
  location: string | undefined;
  selection: () => TextRange | null;
  onClose: () => void;
  onDelete: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  const codeList = useRef<HTMLUListElement>(null);
  const addButton = useRef<HTMLButtonElement>(null);

  const removeCode = async (codeId: string, index: number): Promise<void> => {
    await actions.removeCode(annotation.id, codeId);
    // The pressed button went with its code: the code now in its place (or the last one, or "Add code…") takes the focus.
    if (!focusLost()) return;
    const rest = codeList.current?.querySelectorAll('button') ?? [];
    (rest[Math.min(index, rest.length - 1)] ?? addButton.current)?.focus();
  };

  return (
    <section class="details" aria-labelledby="details-heading" onKeyDown={(e) => onCopyQuotationKey(e, () => void copyAndTell(actions, annotation, location))}>
      <div class="details-head">
        <h2 id="details-heading" ref={heading} tabIndex={-1}>
          Passage details
        </h2>
        <button type="button" class="ghost" aria-label="Close passage details" onClick={onClose}>
          ×
        </button>
      </div>
      {annotation.anchor.status === 'orphan' ? <p class="place-state">Unplaced: these words are not in the current text.</p> : null}
      <blockquote class="quote">{excerpt(annotation.quote.exact, 600)}</blockquote>
      <PlaceOnSelection annotation={annotation} actions={actions} selection={selection} />
      <CopyQuotation passage={annotation} actions={actions} location={location} />
      <h3>Codes</h3>
      <ul class="codes" ref={codeList}>
        {annotation.codeIds.map((id, i) => (
          <li key={id}>
            <CodeChip codes={codes} id={id} />
            <button type="button" class="ghost" aria-label={`Remove code ${codePath(codes, id) || id}`} onClick={() => void removeCode(id, i)}>
              ×
            </button>
          </li>
        ))}
        {annotation.codeIds.length === 0 ? <li class="muted">No codes</li> : null}
      </ul>
      <button
        type="button"
        ref={addButton}
        onClick={(e) => {
          const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
          actions.openPicker(null, annotation.id, { x: r.left, y: r.top, bottom: r.bottom });
        }}
      >
        Add code…
      </button>
      <MemoField annotation={annotation} actions={actions} />
      <MemoLinks passage={annotation} memos={memos} actions={actions} />
      <div class="details-collect">
        <AddToCollection passage={{ documentId: annotation.documentId, id: annotation.id }} collections={collections} actions={actions} label="Add the passage to a collection" />
        {collections.some((c) => c.items.some((q) => q.passageId === annotation.id)) ? (
          <span class="muted">In {collections.filter((c) => c.items.some((q) => q.passageId === annotation.id)).map((c) => `“${c.name}”`).join(', ')}</span>
        ) : null}
      </div>
      <dl class="facts">
        <dt>Coder</dt>
        <dd>{coderName(coders, annotation.coderId)}</dd>
        <dt>Created</dt>
        <dd>
          <time dateTime={annotation.created}>{when(annotation.created)}</time>
        </dd>
        <dt>Modified</dt>
        <dd>
          <time dateTime={annotation.modified}>{when(annotation.modified)}</time>
        </dd>
      </dl>
      <button type="button" class="danger" onClick={onDelete}>
        Delete passage
      </button>
    </section>
  );
}

/**
 * The side panel: the chosen passage's details, then every passage of the article in text order.
 * `selection` reads the article's selected range (canonical plain-text offsets), for placing a passage on it.
 */
export function PassagePanel({ store, actions, selection }: { store: Store<AppState>; actions: Actions; selection: () => TextRange | null }) {
  const annotations = useStore(store, (s) => s.annotations);
  // Passages main could not find in the current text are listed apart (and never drawn).
  const lost = useStore(store, (s) => s.orphans);
  const documentId = useStore(store, (s) => s.openDocumentId);
  const codes = useStore(store, (s) => s.codes);
  const coders = useStore(store, (s) => s.coders);
  const selectedId = useStore(store, (s) => s.selectedId);
  const reveal = useStore(store, (s) => s.reveal);
  const location = useStore(store, (s) => s.project?.location);
  const memos = useStore(store, (s) => s.memos);
  const collections = useStore(store, (s) => s.collections);
  // Drawn once the article is: that is what the user opened the document for.
  const listed = useStore(store, (s) => s.articleDrawn) === documentId;
  // Looked up by its place in text order (the list may hold tens of thousands), from the passage as it was.
  const lastSelected = useRef<PlacedAnnotation | undefined>(undefined);
  const selected = useMemo(() => {
    const was = lastSelected.current;
    if (!selectedId) return undefined;
    const i = was?.id === selectedId && was.anchor.status !== 'orphan' ? indexOf(annotations, was) : annotations.findIndex((a) => a.id === selectedId);
    return i >= 0 ? annotations[i] : lost.find((a) => a.id === selectedId);
  }, [annotations, lost, selectedId]);
  lastSelected.current = selected;
  // The rows follow a frame after the heading's count and the article's highlight: with tens of
  // thousands of rows, placing them is the costliest part of a change, and not where the user looks.
  // Only a change of a few passages waits: a document just opened shows its rows as soon as it can.
  const placed = useAfterPaint(annotations, (shown, now) => store.get().passagesDelta?.from === shown && store.get().annotations === now);
  const section = useRef<HTMLElement>(null);
  const panel = useRef<HTMLElement>(null);
  const listHandle = useRef<VirtualListHandle | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  /** Focus to move once the next render is on screen. */
  const focusAfterRender = useRef<(() => void) | null>(null);

  useLayoutEffect(() => {
    const run = focusAfterRender.current;
    focusAfterRender.current = null;
    run?.();
  });
  // A passage brought back (an undone delete) shows up without the user having moved: tell them where it is.
  useLayoutEffect(() => {
    if (reveal?.restored) focusDetails();
  }, [reveal]);

  const itemButton = (id: string): HTMLElement | null => section.current?.querySelector<HTMLElement>(`.passage-item[data-id="${CSS.escape(id)}"]`) ?? null;
  const close = (id: string): void => {
    // The passage's row may be far down the list, not drawn: the list scrolls to it and focuses it.
    focusAfterRender.current = () => {
      const i = placed.findIndex((a) => a.id === id);
      if (i >= 0) listHandle.current?.focusRow(i);
      else itemButton(id)?.focus();
    };
    actions.select(null);
  };
  const remove = async (id: string): Promise<void> => {
    const order = [...placed, ...lost].map((a) => a.id);
    const next = order[order.indexOf(id) + 1];
    await actions.deletePassage(id);
    if (focusLost()) ((next ? itemButton(next) : null) ?? heading.current)?.focus();
  };

  const row = (a: PlacedAnnotation, tabbable = true) => (
      <button
        type="button"
        class={isPending(a.id) ? 'passage-item pending' : 'passage-item'}
        data-id={a.id}
        tabIndex={tabbable ? 0 : -1}
        aria-current={a.id === selectedId ? 'true' : undefined}
        aria-busy={isPending(a.id) || undefined}
        aria-keyshortcuts={copyQuotationKeyLabel(false).aria}
        onClick={() => actions.reveal(a.id)}
        onKeyDown={(e) => onCopyQuotationKey(e, () => void copyAndTell(actions, a, location))}
      >
        <span class="chips">
          {a.codeIds.map((id) => (
            <CodeChip key={id} codes={codes} id={id} />
          ))}
        </span>
        <span class="passage-quote">“{excerpt(a.quote.exact, 140)}”</span>
        {a.memo ? <span class="passage-memo">Memo: {excerpt(a.memo, 80)}</span> : null}
        {isPending(a.id) ? <span class="passage-memo muted">Saving…</span> : null}
      </button>
  );
  const item = (a: PlacedAnnotation) => <li key={a.id}>{row(a)}</li>;
  const selectedIndex = useMemo(() => (selected && selected.anchor.status !== 'orphan' ? indexOf(placed, selected) : -1), [placed, selected]);
  return (
    <aside class="panel" aria-label="Coded passages panel" ref={panel}>
      {selected ? (
        <Details
          key={selected.id}
          annotation={selected}
          codes={codes}
          coders={coders}
          actions={actions}
          location={location}
          memos={memos}
          collections={collections}
          selection={selection}
          onClose={() => close(selected.id)}
          onDelete={() => void remove(selected.id)}
        />
      ) : null}
      <CodeLegend store={store} actions={actions} />
      <section aria-labelledby="passages-heading" ref={section}>
        <h2 id="passages-heading" ref={heading} tabIndex={-1}>
          Coded passages ({annotations.length + lost.length})
        </h2>
        {annotations.length === 0 && lost.length === 0 ? <p class="muted">Select text in the article and choose a code to code a passage.</p> : null}
        <VirtualList
          items={placed}
          getKey={(a) => a.id}
          estimateSize={PASSAGE_ROW_ESTIMATE}
          renderItem={(a, _i, tabbable) => row(a, tabbable)}
          scrollElement={() => panel.current}
          label="Coded passages in text order"
          class="passages virtual"
          busy={!listed}
          activeIndex={selectedIndex >= 0 ? selectedIndex : undefined}
          handle={listHandle}
        />
        {listed && lost.length ? (
          <>
            <h3>Could not be placed in the text ({lost.length})</h3>
            <p class="muted">These passages no longer match the document. They are kept and exported; choose one to place it on words you select in the article.</p>
            <ol class="passages orphans">{lost.map(item)}</ol>
          </>
        ) : null}
      </section>
    </aside>
  );
}
