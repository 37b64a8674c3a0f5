import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Actions } from '../actions';
import type { Code, Coder, Collection, PassageRef } from '../../shared/model';
import { AddToCollection } from './AddToCollection';
import { PassagePages, type PassageRow, type PassageSort } from '../passage-pages';
import { choose, isChosen, NOTHING, recodeTarget, type Selection } from '../passage-selection';
import { codePath, codesInTreeOrder, type AppState } from '../state';
import { useStore, type Store } from '../store';
import { CodeChip } from './CodeChip';
import { CitationStyleSelect, copyAndTell, onCopyQuotationKey } from './CopyQuote';
import { storedCitationStyle, type CitationStyle } from '../preferences';
import { copyQuotationKeyLabel } from '../quote-actions';
import { QueryHelp } from './QueryHelp';
import { RecodeBar } from './RecodeBar';
import { VirtualList, type VirtualListHandle } from './VirtualList';
import { day, oneLine } from '../excerpt';
import { quoteTerm } from '../../shared/query-parse';

/**
 * The passages view: every coded passage of the project in one list, chosen with the query
 * language (shared/query.ts) and sorted, each with its codes, document, coder, date, memo and
 * the words around it. The list is virtual and its rows come from main a page at a time
 * (passage-pages.ts), so it stays smooth at 100,000 passages. It follows the project as it
 * changes, here or in another window. Choosing a passage opens it in its article.
 */

/** A row's height before one is measured; every row has the same (styles.css: `.hits > li`). */
const ROW_ESTIMATE = 118;
/** Pause in typing after which the query runs. */
const TYPING_PAUSE_MS = 350;
/** Pause after a change to the project before the rows on screen are asked for again (a burst of changes asks once). */
const CHANGE_PAUSE_MS = 200;

const SORTS: readonly { value: PassageSort; label: string }[] = [
  { value: 'document', label: 'Document order' },
  { value: 'code', label: 'Code' },
  { value: 'created', label: 'Date coded' },
  { value: 'length', label: 'Length (longest first)' },
];




interface RowProps {
  row: PassageRow;
  codes: readonly Code[];
  coders: readonly Coder[];
  tabbable: boolean;
  chosen: boolean;
  /** Every passage of the query is chosen: no row can be left out one by one. */
  allChosen: boolean;
  onOpen: (row: PassageRow) => void;
  onChoose: (on: boolean, run: boolean) => void;
  onCopy: (row: PassageRow) => void;
  collections: readonly Collection[];
  actions: Actions;
}

function Row({ row, codes, coders, tabbable, chosen, allChosen, onOpen, onChoose, onCopy, collections, actions }: RowProps) {
  const p = row.passage;
  const unplaced = p.anchor.status === 'orphan';
  return (
    <div class={chosen ? 'hit-row chosen' : 'hit-row'}>
      <input
        type="checkbox"
        class="hit-choose"
        tabIndex={tabbable ? 0 : -1}
        checked={chosen}
        disabled={allChosen}
        aria-label={`Choose “${oneLine(p.quote.exact, 60)}”`}
        onClick={(e) => onChoose((e.target as HTMLInputElement).checked, e.shiftKey)}
      />
      <button
        type="button"
        class="hit-open"
        tabIndex={tabbable ? 0 : -1}
        data-id={p.id}
        aria-keyshortcuts={copyQuotationKeyLabel(false).aria}
        onClick={() => onOpen(row)}
        onKeyDown={(e) => onCopyQuotationKey(e, () => onCopy(row))}
      >
        <span class="hit-head">
          <span class="hit-doc">{row.documentTitle}</span>
          <span class="muted">
            {coders.find((c) => c.id === p.coderId)?.name ?? 'Unknown coder'} · {day(p.created)}
            {unplaced ? ' · unplaced in the current text' : ''}
          </span>
        </span>
        <span class="hit-kwic">
          {row.before ? <span class="muted">{oneLine(row.before, 80, 'end')}</span> : null}
          <mark class="hit-passage">{oneLine(p.quote.exact, 400)}</mark>
          {row.after ? <span class="muted">{oneLine(row.after, 80)}</span> : null}
        </span>
        <span class="chips">
          {p.codeIds.length ? p.codeIds.map((id) => <CodeChip key={id} codes={codes} id={id} />) : <span class="muted">No codes</span>}
        </span>
        {/* Always there, so that every row has the same height. */}
        <span class="passage-memo">{p.memo ? `Memo: ${oneLine(p.memo, 120)}` : '\u00a0'}</span>
      </button>
      <button type="button" class="ghost hit-copy" tabIndex={tabbable ? 0 : -1} aria-label={`Copy quotation “${oneLine(p.quote.exact, 60)}”`} title="Copy as a quotation with its citation" onClick={() => onCopy(row)}>
        Copy
      </button>
      <AddToCollection class="hit-collect" passage={{ documentId: p.documentId, id: p.id }} collections={collections} actions={actions} tabbable={tabbable} label={`Add “${oneLine(p.quote.exact, 60)}” to a collection`} />
    </div>
  );
}

export function PassagesView({ store, actions, shown }: { store: Store<AppState>; actions: Actions; shown: boolean }) {
  const codes = useStore(store, (s) => s.codes);
  const coders = useStore(store, (s) => s.coders);
  const collections = useStore(store, (s) => s.collections);
  const revision = useStore(store, (s) => s.revision);
  const loading = useStore(store, (s) => s.loading);
  const location = useStore(store, (s) => s.project?.location);
  const [citationStyle, setCitationStyle] = useState<CitationStyle>(() => storedCitationStyle(location));
  // The project is known only once loaded: its stored style then.
  useEffect(() => setCitationStyle(storedCitationStyle(location)), [location]);
  const pages = useMemo(() => new PassagePages((q, sort, offset, limit) => actions.queryPassages(q, sort, offset, limit)), [actions]);
  const [, redraw] = useState(0);
  useEffect(() => pages.subscribe(() => redraw((n) => n + 1)), [pages]);
  const state = pages.state;
  const [text, setText] = useState('');
  const [sort, setSort] = useState<PassageSort>('document');
  const scroller = useRef<HTMLDivElement>(null);
  const field = useRef<HTMLInputElement>(null);
  const listHandle = useRef<VirtualListHandle | null>(null);
  const [exporting, setExporting] = useState(false);
  const [selection, setSelection] = useState<Selection>(NOTHING);
  /** The row last chosen or left out by hand: Shift and a click take the run from it. */
  const lastChosen = useRef<number | null>(null);

  // The first query once the project is open and the view is first shown; a new order at once; typing after a pause.
  const started = useRef(false);
  useEffect(() => {
    if (!shown || loading) return;
    if (!started.current) {
      started.current = true;
      pages.setQuery(text, sort);
    }
  }, [shown, loading]);
  const run = (query: string, order: PassageSort): void => {
    // What is asked now (not what this render saw): Enter may have run it already.
    const asked = pages.state;
    if (query === asked.query && order === asked.sort && (asked.total !== null || asked.loading)) return;
    pages.setQuery(query, order);
  };
  useEffect(() => {
    if (!started.current) return;
    const timer = setTimeout(() => run(text, sort), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [text]);
  useEffect(() => {
    if (started.current) run(text, sort);
  }, [sort]);
  // A new query starts at the top, with nothing chosen.
  useLayoutEffect(() => {
    if (scroller.current) scroller.current.scrollTop = 0;
    setSelection(NOTHING);
    lastChosen.current = null;
  }, [state.generation]);
  const chooseRow = (index: number, on: boolean, run: boolean): void => {
    const from = run && lastChosen.current !== null ? Math.min(lastChosen.current, index) : index;
    const to = run && lastChosen.current !== null ? Math.max(lastChosen.current, index) : index;
    const refs: PassageRef[] = [];
    // A run takes the rows read so far (those on screen and near it, at the least).
    for (let i = from; i <= to; i++) {
      const r = pages.row(i);
      if (r) refs.push({ documentId: r.passage.documentId, id: r.passage.id });
    }
    lastChosen.current = index;
    setSelection((sel) => choose(sel, refs, on));
  };

  // The project changed (here or elsewhere): the rows on screen are asked for again, now if shown, else when shown.
  const dirty = useRef(false);
  const seenRevision = useRef(revision);
  useEffect(() => {
    if (revision === seenRevision.current) return;
    seenRevision.current = revision;
    dirty.current = true;
  }, [revision]);
  useEffect(() => {
    if (!shown || !dirty.current || !started.current) return;
    const timer = setTimeout(() => {
      dirty.current = false;
      pages.refresh();
    }, CHANGE_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [shown, revision]);

  // Shown: the query field takes the focus (the article behind keeps its own place), and Find (Ctrl/⌘+F) goes to it.
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

  // The rows drawn in one render, gathered and asked for once (renders of the list may come from its own scrolling).
  const drawn = useRef<{ from: number; to: number } | null>(null);
  const wantRow = (index: number): void => {
    const d = drawn.current;
    if (d) {
      d.from = Math.min(d.from, index);
      d.to = Math.max(d.to, index + 1);
      return;
    }
    drawn.current = { from: index, to: index + 1 };
    queueMicrotask(() => {
      const range = drawn.current!;
      drawn.current = null;
      pages.want(range.from, range.to);
    });
  };

  const total = state.total ?? 0;
  const indices = useMemo(() => Array.from({ length: total }, (_, i) => i), [total]);
  const codeOptions = useMemo(() => codesInTreeOrder(codes), [codes]);
  const addTerm = (term: string): void => {
    const next = text.trim() ? `${text.trim()} AND ${term}` : term;
    setText(next);
    run(next, sort);
    field.current?.focus();
  };
  const counted = state.error ? '' : state.total === null || !state.answered ? 'Looking for passages…' : `${state.total.toLocaleString()} passage${state.total === 1 ? '' : 's'}${state.query.trim() ? ' match' : ' in the project'}`;

  return (
    <section class="retrieval" id="view-passages" aria-label="All coded passages" hidden={!shown}>
      <div class="retrieval-head">
        <h2 id="retrieval-heading">All coded passages</h2>
        <form
          class="retrieval-query"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            // The field's own value: a paste and Enter may come before the render that takes it into `text`.
            const now = field.current?.value ?? text;
            if (now !== text) setText(now);
            pages.setQuery(now, sort);
          }}
        >
          <div class="retrieval-line">
            <label for="retrieval-query">Query</label>
            <input
              id="retrieval-query"
              ref={field}
              type="search"
              value={text}
              spellcheck={false}
              autocomplete="off"
              placeholder='code:"Repression tactic" AND NOT unplaced'
              aria-invalid={state.error ? 'true' : undefined}
              aria-describedby="retrieval-status"
              onInput={(e) => setText((e.target as HTMLInputElement).value)}
            />
            <button type="submit">Run</button>
          </div>
          <div class="retrieval-line">
            <label for="retrieval-add-code">Filter by code</label>
            <select
              id="retrieval-add-code"
              value=""
              onChange={(e) => {
                const id = (e.target as HTMLSelectElement).value;
                (e.target as HTMLSelectElement).value = '';
                if (id) addTerm(`code:${quoteTerm(codePath(codes, id))}`);
              }}
            >
              <option value="">Choose…</option>
              {codeOptions.map((c) => (
                <option key={c.id} value={c.id}>
                  {codePath(codes, c.id)}
                </option>
              ))}
            </select>
            <label for="retrieval-sort">Sort by</label>
            <select id="retrieval-sort" value={sort} onChange={(e) => setSort((e.target as HTMLSelectElement).value as PassageSort)}>
              {SORTS.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          </div>
        </form>
        <div class="retrieval-bar">
          <p id="retrieval-status" class={state.error ? 'retrieval-status error' : 'retrieval-status'} role="status" aria-live="polite">
            {state.error ? `This query cannot be run: ${state.error}` : counted}
          </p>
          <div class="retrieval-actions">
            <CitationStyleSelect style={citationStyle} onStyle={setCitationStyle} location={location} />
            {(['csv', 'md'] as const).map((format) => (
              <button
                key={format}
                type="button"
                aria-disabled={exporting || state.error !== null || state.total === null || undefined}
                onClick={() => {
                  if (exporting || state.error !== null || state.total === null) return;
                  setExporting(true);
                  void actions.exportPassages(state.query, state.sort, format).finally(() => setExporting(false));
                }}
              >
                {format === 'csv' ? 'Export CSV…' : 'Export Markdown…'}
              </button>
            ))}
          </div>
        </div>
        <QueryHelp />
        <RecodeBar
          selection={selection}
          total={state.error ? 0 : total}
          codes={codes}
          onAll={() => setSelection({ all: true, refs: new Map() })}
          onNone={() => setSelection(NOTHING)}
          onRecode={async (add, remove) => {
            const done = await actions.recodePassages(recodeTarget(selection, state.query), add, remove);
            // Every passage of a query may no longer be what the query gives once recoded.
            if (done && selection.all) setSelection(NOTHING);
            return done;
          }}
        />
      </div>
      <div class="retrieval-rows" ref={scroller}>
        <VirtualList
          items={state.error ? [] : indices}
          getKey={(i) => String(i)}
          estimateSize={ROW_ESTIMATE}
          scrollElement={() => scroller.current}
          label="Passages matching the query"
          class="hits virtual"
          focusTarget=".hit-open"
          uniform
          handle={listHandle}
          renderItem={(i, _index, tabbable) => {
            wantRow(i);
            const row = pages.row(i);
            return row ? (
              <Row
                row={row}
                codes={codes}
                coders={coders}
                tabbable={tabbable}
                chosen={isChosen(selection, row.passage.id)}
                allChosen={selection.all}
                onOpen={(r) => void actions.openPassage(r)}
                onChoose={(on, run) => chooseRow(i, on, run)}
                onCopy={(r) => void copyAndTell(actions, r.passage, location, citationStyle)}
                collections={collections}
                actions={actions}
              />
            ) : (
              <span class="hit-loading muted" tabIndex={tabbable ? 0 : -1}>
                Loading…
              </span>
            );
          }}
        />
      </div>
    </section>
  );
}
