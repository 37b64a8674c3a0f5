import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ApiOutput } from '../../shared/api';
import type { Actions } from '../actions';
import type { TextSearchOptions } from '../retrieval-actions';
import { codePath, codesInTreeOrder, type AppState } from '../state';
import { useStore, type Store } from '../store';
import { TOGGLES } from './FindBar';
import { VirtualList } from './VirtualList';
import { oneLine } from '../excerpt';

/**
 * The search of the project's texts: every match with the words around it (keyword in context),
 * grouped by document, each opening its article at the match; and autocoding, which codes every
 * match ticked in the list with one code, as one undoable command. Main searches (folded case and
 * diacritics unless asked; a regular expression off its main thread, time-boxed), at most 5,000
 * matches listed.
 */

type Answer = ApiOutput<'search.project'>;
type Hit = Answer['documents'][number]['hits'][number];
type Row = { kind: 'document'; documentId: string; title: string; hits: number } | { kind: 'hit'; documentId: string; title: string; hit: Hit };

/** Pause in typing after which a plain search runs (a regular expression waits for Enter). */
const TYPING_PAUSE_MS = 450;
const NO_OPTIONS: TextSearchOptions = { caseSensitive: false, diacriticSensitive: false, wholeWord: false, regex: false };

const keyOf = (documentId: string, start: number): string => `${documentId}:${start}`;


export function SearchView({ store, actions, shown }: { store: Store<AppState>; actions: Actions; shown: boolean }) {
  const codes = useStore(store, (s) => s.codes);
  const revision = useStore(store, (s) => s.revision);
  const [text, setText] = useState('');
  const [options, setOptions] = useState<TextSearchOptions>(NO_OPTIONS);
  const [answer, setAnswer] = useState<{ query: string; options: TextSearchOptions; result: Answer } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** Matches left out of autocoding, by document and start. */
  const [left, setLeft] = useState<ReadonlySet<string>>(new Set());
  const [codeId, setCodeId] = useState('');
  const [coding, setCoding] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const seq = useRef(0);

  const search = (query: string, opts: TextSearchOptions): void => {
    const mine = ++seq.current;
    if (query.trim() === '') {
      setAnswer(null);
      setError(null);
      setBusy(false);
      return;
    }
    setBusy(true);
    actions.searchTexts(query, opts).then(
      (result) => {
        if (mine !== seq.current) return;
        setAnswer({ query, options: opts, result });
        setLeft(new Set());
        setError(null);
        setBusy(false);
      },
      (e: unknown) => {
        if (mine !== seq.current) return;
        setAnswer(null);
        setError(e instanceof Error ? e.message : String(e));
        setBusy(false);
      },
    );
  };
  useEffect(() => {
    if (options.regex) return;
    const timer = setTimeout(() => search(text, options), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [text, options]);
  useEffect(() => {
    if (options.regex && answer) search(text, options);
  }, [options]);

  // A change to the project (a new version of a text, an import) makes the matches stale: searched again when shown.
  const searchedAt = useRef(revision);
  useEffect(() => {
    if (!shown || !answer || revision === searchedAt.current) return;
    searchedAt.current = revision;
    search(answer.query, answer.options);
  }, [shown, revision]);

  useEffect(() => {
    if (!shown) return;
    field.current?.focus();
    const onKey = (e: KeyboardEvent): void => {
      if (e.key.toLowerCase() !== 'f' || e.shiftKey || e.altKey || !(e.ctrlKey || e.metaKey) || e.defaultPrevented) return;
      if (document.querySelector('[aria-modal="true"]')) return;
      e.preventDefault();
      field.current?.select();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [shown]);

  const rows = useMemo((): Row[] => {
    const out: Row[] = [];
    for (const d of answer?.result.documents ?? []) {
      out.push({ kind: 'document', documentId: d.documentId, title: d.title, hits: d.hits.length });
      for (const hit of d.hits) out.push({ kind: 'hit', documentId: d.documentId, title: d.title, hit });
    }
    return out;
  }, [answer]);
  const total = answer?.result.total ?? 0;
  const listed = rows.length - (answer?.result.documents.length ?? 0);
  const included = listed - left.size;
  const codeOptions = useMemo(() => codesInTreeOrder(codes), [codes]);

  const toggle = (keys: string[], on: boolean): void =>
    setLeft((was) => {
      const next = new Set(was);
      for (const k of keys) {
        if (on) next.delete(k);
        else next.add(k);
      }
      return next;
    });

  const status = error
    ? `This search cannot be run: ${error}`
    : busy
      ? 'Searching…'
      : !answer
        ? 'Type words to find in every document of the project.'
        : total === 0
          ? 'No match.'
          : `${total.toLocaleString()} match${total === 1 ? '' : 'es'} in ${answer.result.documents.length} document${answer.result.documents.length === 1 ? '' : 's'}${answer.result.truncated ? ` (the first ${listed.toLocaleString()} listed)` : ''}`;

  const autocode = async (): Promise<void> => {
    if (!answer || !codeId || included === 0 || coding) return;
    if (answer.result.truncated) {
      actions.notify('error', 'The search has more matches than are listed; narrow it before coding them all.');
      return;
    }
    setCoding(true);
    const skip = [...left].map((k) => {
      const at = k.lastIndexOf(':');
      return { documentId: k.slice(0, at), start: Number(k.slice(at + 1)) };
    });
    const expect = Object.fromEntries(answer.result.documents.map((d) => [d.documentId, d.textHash]));
    await actions.autocode(answer.query, answer.options, codeId, skip, expect);
    setCoding(false);
  };

  return (
    <section class="retrieval" id="view-search" aria-label="Search the texts" hidden={!shown}>
      <div class="retrieval-head">
        <h2>Search the texts</h2>
        <form
          class="retrieval-query"
          role="search"
          aria-label="Search every document"
          onSubmit={(e) => {
            e.preventDefault();
            const now = field.current?.value ?? text;
            if (now !== text) setText(now);
            search(now, options);
          }}
        >
          <div class="retrieval-line">
            <label for="text-search">Search for</label>
            <input
              id="text-search"
              ref={field}
              type="search"
              value={text}
              spellcheck={false}
              autocomplete="off"
              aria-invalid={error ? 'true' : undefined}
              aria-describedby="text-search-status"
              onInput={(e) => setText((e.target as HTMLInputElement).value)}
              onKeyDown={(e) => {
                if (!e.altKey || e.ctrlKey || e.metaKey) return;
                const t = TOGGLES.find((x) => e.code === `Key${x.key}`);
                if (!t) return;
                e.preventDefault();
                setOptions((o) => ({ ...o, [t.option]: !o[t.option] }));
              }}
            />
            <button type="submit">Search</button>
          </div>
          <div class="find-options" role="group" aria-label="Search options">
            {TOGGLES.map((t) => (
              <button
                key={t.option}
                type="button"
                aria-pressed={options[t.option]}
                title={`${t.label} (Alt+${t.key})`}
                aria-keyshortcuts={`Alt+${t.key}`}
                onClick={() => setOptions((o) => ({ ...o, [t.option]: !o[t.option] }))}
              >
                {t.label}
              </button>
            ))}
          </div>
        </form>
        <p id="text-search-status" class={error ? 'retrieval-status error' : 'retrieval-status'} role="status" aria-live="polite">
          {status}
        </p>
        {answer && listed > 0 ? (
          <div class="recode-bar" role="group" aria-label="Code the matches">
            <span class="recode-count">
              {included.toLocaleString()} of {listed.toLocaleString()} match{listed === 1 ? '' : 'es'} ticked
            </span>
            <label for="autocode-code">Code them with</label>
            <select id="autocode-code" value={codeId} onChange={(e) => setCodeId((e.target as HTMLSelectElement).value)}>
              <option value="">Choose a code…</option>
              {codeOptions.map((c) => (
                <option key={c.id} value={c.id}>
                  {codePath(codes, c.id)}
                </option>
              ))}
            </select>
            <button type="button" class="primary" aria-disabled={!codeId || included === 0 || coding || undefined} onClick={() => void autocode()}>
              Code {included.toLocaleString()} match{included === 1 ? '' : 'es'}
            </button>
          </div>
        ) : null}
      </div>
      <div class="retrieval-rows" ref={scroller}>
        <VirtualList
          items={rows}
          getKey={(r) => (r.kind === 'document' ? `d:${r.documentId}` : keyOf(r.documentId, r.hit.start))}
          estimateSize={64}
          scrollElement={() => scroller.current}
          label="Matches, by document"
          class="hits search-hits"
          focusTarget=".hit-open, .hit-doc-title"
          renderItem={(r, _i, tabbable) =>
            r.kind === 'document' ? (
              <div class="hit-document">
                <input
                  type="checkbox"
                  tabIndex={tabbable ? 0 : -1}
                  aria-label={`Code the matches in “${r.title}”`}
                  checked={!answer!.result.documents.find((d) => d.documentId === r.documentId)!.hits.every((h) => left.has(keyOf(r.documentId, h.start)))}
                  onClick={(e) => toggle(answer!.result.documents.find((d) => d.documentId === r.documentId)!.hits.map((h) => keyOf(r.documentId, h.start)), (e.target as HTMLInputElement).checked)}
                />
                <h3 class="hit-doc-title" tabIndex={tabbable ? 0 : -1}>
                  {r.title} <span class="muted">({r.hits.toLocaleString()})</span>
                </h3>
              </div>
            ) : (
              <div class="hit-row">
                <input
                  type="checkbox"
                  class="hit-choose"
                  tabIndex={tabbable ? 0 : -1}
                  aria-label={`Code “${oneLine(r.hit.match, 40, 'start')}” in “${oneLine(r.title, 40, 'start')}”`}
                  checked={!left.has(keyOf(r.documentId, r.hit.start))}
                  onClick={(e) => toggle([keyOf(r.documentId, r.hit.start)], (e.target as HTMLInputElement).checked)}
                />
                <button type="button" class="hit-open hit-match" tabIndex={tabbable ? 0 : -1} onClick={() => void actions.openMatch(r.documentId, r.hit.start, r.hit.end)}>
                  <span class="hit-kwic">
                    <span class="muted">{oneLine(r.hit.before, 70, 'end')}</span>
                    <mark class="hit-passage">{r.hit.match}</mark>
                    <span class="muted">{oneLine(r.hit.after, 70, 'start')}</span>
                  </span>
                </button>
              </div>
            )
          }
        />
      </div>
    </section>
  );
}
