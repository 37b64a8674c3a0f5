import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { posToOffset } from '../../shared/positions';
import { compileRegex, type SearchOptions } from '../../shared/text-search';
import type { DocumentContent } from '../../shared/model';
import { countLabel, firstFrom, step, stepFrom, typingDelayMs, wrapNote, type Matches } from '../find-matches';
import { PLAIN_IN_WINDOW_MAX_CHARS, PlainSearch, Superseded, WorkerSearch, type ArticleText } from '../find-search';
import { findStepOfKey, isFindKey, onMac } from '../shortcuts';
import { FindHighlights } from '../viewer/find-ranges';
import type { Viewer } from '../viewer/viewer';
import type { TextSearchOptions } from '../retrieval-actions';

/**
 * Find in the open article (Ctrl/⌘+F), as a desktop app's find bar: every match highlighted
 * (viewer/find-ranges.ts), a count, next and previous going round the ends, and options for
 * case, diacritics, whole words and regular expressions. Plain searches fold case and
 * diacritics unless asked ("Pyongyang" finds "Pyŏngyang"); regular expressions run in a worker
 * with a time limit (find-search.ts), so none can freeze the window.
 */

/** How Find matches: the options of every search of text in the app. */
export type FindOptions = TextSearchOptions;

const NO_OPTIONS: FindOptions = { caseSensitive: false, wholeWord: false, diacriticSensitive: false, regex: false };

/** The longest selection Find takes as its query when it opens (longer ones are not words to look for). */
const MAX_PREFILL = 200;

/** A search for "Searching…" to show only when it takes this long (a regular expression on a long text). */
const BUSY_AFTER_MS = 200;

/** The result of the last search: for which text, and its matches or what is wrong with the query. */
type Outcome = { key: string; matches: Matches } | { key: string; error: string };

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The option toggles: label, key (with Alt) and which option each switches. */
/** The options of a search and the Alt keys that switch them (Find, and the search of the project's texts). */
export const TOGGLES: readonly { option: keyof FindOptions; label: string; key: string }[] = [
  { option: 'caseSensitive', label: 'Match case', key: 'C' },
  { option: 'wholeWord', label: 'Whole word', key: 'W' },
  // Not Alt+D, which browsers keep for their address bar.
  { option: 'diacriticSensitive', label: 'Match diacritics', key: 'A' },
  { option: 'regex', label: 'Regular expression', key: 'R' },
];

/**
 * `viewer` reads the article's viewer, which the Reader makes (in a layout effect) for each
 * `document` once the viewer module is `ready`; `scroller` is the element the article scrolls in.
 */
export function FindBar({ document: content, ready, viewer, scroller }: { document: DocumentContent | null; ready: boolean; viewer: () => Viewer | null; scroller: { current: HTMLElement | null } }) {
  const [open, setOpen] = useState(false);
  /** Bumped by every Ctrl/⌘+F, so the field takes the focus (and its text is selected) again. */
  const [summoned, setSummoned] = useState(0);
  const [query, setQuery] = useState('');
  const [options, setOptions] = useState<FindOptions>(NO_OPTIONS);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [current, setCurrent] = useState(-1);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [highlights, setHighlights] = useState<FindHighlights | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const plain = useRef(new PlainSearch()).current;
  /** Regular expressions, and plain searches of long articles, run in a worker (started when first needed). */
  const worker = useRef<WorkerSearch | null>(null);
  /** Where the next search's current match is looked for from: the last current match, or where the caret was. */
  const origin = useRef(0);
  /** Counts searches, so an answer to an older one is dropped. */
  const generation = useRef(0);
  /** The query and options the last search ran with: a change of the query alone waits for the next key. */
  const searched = useRef<{ query: string; options: FindOptions; key: string } | null>(null);
  const textKey = content ? `${content.id}@${content.textHash}` : null;
  const isMac = onMac();

  const matches = outcome && 'matches' in outcome && outcome.key === textKey ? outcome.matches : null;
  const error = outcome && 'error' in outcome ? outcome.error : null;

  /** What the key handlers registered once need of this render. */
  const live = useRef({ open, matches, current, content });
  live.current = { open, matches, current, content };

  const workerSearch = (): WorkerSearch => (worker.current ??= new WorkerSearch());

  /** Makes match `index` current, scrolling it into the middle of the article. */
  const goTo = (index: number, hits = live.current.matches?.hits): void => {
    setCurrent(index);
    const hit = hits?.[index];
    if (!hit) return;
    origin.current = hit.start;
    viewer()?.showRange(hit);
  };

  /** Where the caret is in the article's text (0 when there is no viewer). */
  const caret = (): number => {
    const v = viewer();
    return v ? posToOffset(v.index, v.view.state.selection.from) : 0;
  };

  const stepBy = (direction: 1 | -1): void => {
    const { matches: m, current: c } = live.current;
    if (!m || m.hits.length === 0) return;
    if (c < 0) {
      setNote('');
      goTo(stepFrom(m.hits, caret(), direction), m.hits);
      return;
    }
    const next = step(c, m.hits.length, direction);
    setNote(next.wrapped ? wrapNote(direction) : '');
    goTo(next.index, m.hits);
  };

  /** Opens the bar (or gives it the focus again), taking a one-line selection in the article as the query. */
  const summon = (): void => {
    const v = viewer();
    if (v) {
      const sel = window.getSelection();
      const range = sel && !sel.isCollapsed && sel.anchorNode && v.view.dom.contains(sel.anchorNode) ? v.selectedRange() : null;
      const words = range ? v.index.text.slice(range.start, range.end) : '';
      if (range && words.length <= MAX_PREFILL && !/\n/.test(words)) {
        setQuery(options.regex ? escapeRegex(words) : words);
        origin.current = range.start;
      } else if (!live.current.open) origin.current = caret();
    }
    // A find of its own: its first match is scrolled to, even if the text changed since the last.
    searched.current = null;
    setOpen(true);
    setSummoned((n) => n + 1);
  };

  /** Closes the bar; the article takes the focus with the current match selected. */
  const close = (): void => {
    const v = viewer();
    const hit = live.current.matches?.hits[live.current.current];
    worker.current?.cancel();
    setOpen(false);
    setBusy(false);
    setNote('');
    if (!v) return;
    if (hit) v.select(hit);
    v.focus();
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (isFindKey(e, isMac)) {
        // Not behind a modal dialog, nor with no article open (the browser's own find is left alone then).
        // Nor while the passages view covers the article.
        if (!live.current.content || window.document.querySelector('[aria-modal="true"]') || scroller.current?.inert) return;
        // Caught before the browser's own find bar (browser mode).
        e.preventDefault();
        summon();
        return;
      }
      const direction = live.current.open ? findStepOfKey(e, isMac) : 0;
      if (direction === 0) return;
      e.preventDefault();
      stepBy(direction);
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [isMac, options.regex]);

  useEffect(() => () => worker.current?.stop(), []);

  // No article, no find bar.
  useEffect(() => {
    if (!content && open) setOpen(false);
  }, [content, open]);

  useLayoutEffect(() => {
    if (!open) return;
    input.current?.focus();
    input.current?.select();
  }, [open, summoned]);

  // Highlights over this viewer while the bar is open (a new document, or the same one rebuilt, has a new viewer).
  useEffect(() => {
    const v = viewer();
    if (!open || !content || !v || !scroller.current) return;
    const layer = new FindHighlights(v, scroller.current);
    setHighlights(layer);
    return () => {
      layer.destroy();
      setHighlights(null);
    };
  }, [open, content, ready]);

  useEffect(() => {
    highlights?.set(matches?.hits ?? [], matches ? current : -1);
  }, [highlights, matches, current]);

  // Searching: as the user types (a moment after the last key on a long text), when an option
  // changes, and when the article's text does (a new version, or another document).
  useEffect(() => {
    const v = viewer();
    if (!open || !textKey || !v) return;
    const before = searched.current;
    // Another document, or a new version of this one, under the open bar: its matches are counted
    // and drawn, but the article stays where the reader (or a passage chosen in a list) put it.
    const textChanged = before !== null && before.key !== textKey;
    if (query.trim() === '') {
      searched.current = { query, options, key: textKey };
      generation.current++;
      worker.current?.cancel();
      setOutcome(null);
      setCurrent(-1);
      setBusy(false);
      return;
    }
    const article: ArticleText = { key: textKey, text: v.index.text };
    const typing = before !== null && before.query !== query && before.options === options && before.key === textKey;
    const delay = typing ? typingDelayMs(article.text.length, options.regex) : 0;
    const gen = ++generation.current;
    let busyTimer: ReturnType<typeof setTimeout> | undefined;
    const deliver = (result: Outcome): void => {
      if (gen !== generation.current) return;
      clearTimeout(busyTimer);
      setBusy(false);
      setOutcome(result);
      setNote('');
      if ('error' in result) {
        setCurrent(-1);
        return;
      }
      if (textChanged) {
        setCurrent(-1);
        origin.current = caret();
        return;
      }
      goTo(firstFrom(result.matches.hits, origin.current), result.matches.hits);
    };
    const run = (): void => {
      searched.current = { query, options, key: textKey };
      const opts: SearchOptions = { caseSensitive: options.caseSensitive, diacriticSensitive: options.diacriticSensitive, wholeWord: options.wholeWord, regex: options.regex };
      const inWindow = !options.regex && article.text.length <= PLAIN_IN_WINDOW_MAX_CHARS;
      try {
        // Read here, at once, so that a malformed expression says so without a round trip.
        if (options.regex) compileRegex(query, opts);
        if (inWindow) {
          worker.current?.cancel();
          deliver({ key: textKey, matches: plain.find(article, query, opts) });
          return;
        }
      } catch (e) {
        worker.current?.cancel();
        deliver({ key: textKey, error: e instanceof Error ? e.message : String(e) });
        return;
      }
      busyTimer = setTimeout(() => gen === generation.current && setBusy(true), BUSY_AFTER_MS);
      workerSearch()
        .find(article, query, opts)
        .then(
          (m) => deliver({ key: textKey, matches: m }),
          (e: unknown) => {
            if (e instanceof Superseded) return;
            deliver({ key: textKey, error: e instanceof Error ? e.message : String(e) });
          },
        );
    };
    const timer = setTimeout(run, delay);
    return () => {
      // Whatever comes next (another search, or the bar closing), this one's answer is not wanted.
      generation.current++;
      clearTimeout(timer);
      clearTimeout(busyTimer);
    };
  }, [open, query, options, textKey, ready]);

  if (!open || !content) return null;

  const toggle = (option: keyof FindOptions): void => {
    if (option === 'regex' && !options.regex) workerSearch().warm();
    setOptions({ ...options, [option]: !options[option] });
  };

  const status = error ?? (busy ? 'Searching…' : matches && query.trim() ? countLabel(current, matches) : '');
  return (
    <div
      class="find-bar"
      role="search"
      aria-label="Find in article"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          close();
          return;
        }
        if (e.altKey && !e.ctrlKey && !e.metaKey) {
          // The physical key: Alt with a letter types another character on macOS.
          const t = TOGGLES.find((x) => e.code === `Key${x.key}`);
          if (t) {
            e.preventDefault();
            toggle(t.option);
          }
        }
      }}
    >
      <div class="find-row">
        <input
          ref={input}
          class="find-input"
          type="text"
          aria-label="Find"
          placeholder="Find in article"
          spellcheck={false}
          autocomplete="off"
          aria-invalid={error ? true : undefined}
          aria-describedby="find-status"
          value={query}
          onInput={(e) => setQuery(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key !== 'Enter' || e.isComposing) return;
            e.preventDefault();
            stepBy(e.shiftKey ? -1 : 1);
          }}
        />
        <button type="button" title="Previous match (Shift+Enter, Shift+F3)" aria-keyshortcuts="Shift+Enter Shift+F3" aria-disabled={!matches?.hits.length || undefined} onClick={() => stepBy(-1)}>
          Previous
        </button>
        <button type="button" title="Next match (Enter, F3)" aria-keyshortcuts="Enter F3" aria-disabled={!matches?.hits.length || undefined} onClick={() => stepBy(1)}>
          Next
        </button>
        <button type="button" class="ghost" title="Close (Escape)" aria-keyshortcuts="Escape" onClick={close}>
          Close
        </button>
      </div>
      <div class="find-row">
        <div class="find-options" role="group" aria-label="Find options">
          {TOGGLES.map((t) => (
            <button key={t.option} type="button" aria-pressed={options[t.option]} title={`${t.label} (Alt+${t.key})`} aria-keyshortcuts={`Alt+${t.key}`} onClick={() => toggle(t.option)}>
              {t.label}
            </button>
          ))}
        </div>
        <p id="find-status" class={error ? 'find-status error-text' : 'find-status'} role="status" aria-live="polite">
          <span class="find-count">{status}</span>
          {note && !error ? <span class="find-note"> · {note}</span> : null}
        </p>
      </div>
    </div>
  );
}
