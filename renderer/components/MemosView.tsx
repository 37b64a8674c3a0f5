import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Actions } from '../actions';
import { subjectLabel } from '../../shared/memos';
import type { Memo } from '../../shared/model';
import { PassagePages } from '../passage-pages';
import { codePath, type AppState } from '../state';
import { useStore, type Store } from '../store';
import { VirtualList } from './VirtualList';
import { day, excerpt } from '../excerpt';
import { fold } from '../../shared/folded-text';
import { quoteTerm } from '../../shared/query-parse';

/**
 * The memos view: every memo of the project — the research journal, memos on documents and
 * codes, each document's own memo, and the memos of passages — filtered by kind, author and
 * words, newest first; each opens where it is written. Passages' memos are read from main a page
 * at a time, as the passages view reads its rows.
 */

type Kind = 'all' | 'project' | 'document' | 'code' | 'passage';
const KINDS: readonly { value: Kind; label: string }[] = [
  { value: 'all', label: 'Every memo' },
  { value: 'project', label: 'Project journal' },
  { value: 'document', label: 'On documents' },
  { value: 'code', label: 'On codes' },
  { value: 'passage', label: 'On passages' },
];

export function MemosView({ store, actions, shown }: { store: Store<AppState>; actions: Actions; shown: boolean }) {
  const memos = useStore(store, (s) => s.memos);
  const documents = useStore(store, (s) => s.documents);
  const codes = useStore(store, (s) => s.codes);
  const coders = useStore(store, (s) => s.coders);
  const revision = useStore(store, (s) => s.revision);
  const [kind, setKind] = useState<Kind>('all');
  const [author, setAuthor] = useState('');
  const [words, setWords] = useState('');
  const scroller = useRef<HTMLDivElement>(null);
  const newButton = useRef<HTMLButtonElement>(null);

  const names = { documents, codePath: (id: string) => codePath(codes, id) };
  const needle = fold(words.trim());
  const matches = (title: string, text: string): boolean => !needle || fold(title).includes(needle) || fold(text).includes(needle);
  const own = useMemo(
    () =>
      memos
        .filter((m) => (kind === 'all' || kind === m.about.kind) && (!author || m.authorId === author) && matches(m.title, m.text))
        .sort((a, b) => (a.modified < b.modified ? 1 : a.modified > b.modified ? -1 : 0)),
    [memos, kind, author, needle],
  );
  // A document's own memo (its properties' Memo field): no author is recorded for it.
  const documentMemos = useMemo(
    () => (kind === 'all' || kind === 'document') && !author ? documents.filter((d) => d.memo?.trim() && matches(d.meta.title, d.memo)) : [],
    [documents, kind, author, needle],
  );

  // Passages' memos: the query language says which (hasmemo, the coder, the words of the memo).
  const pages = useMemo(() => new PassagePages((q, sort, offset, limit) => actions.queryPassages(q, sort, offset, limit)), [actions]);
  const [, redraw] = useState(0);
  useEffect(() => pages.subscribe(() => redraw((n) => n + 1)), [pages]);
  const passageQuery = ['hasmemo', author ? `coder:${quoteTerm(author)}` : '', needle ? `memo:${quoteTerm(words.trim())}` : ''].filter(Boolean).join(' AND ');
  const withPassages = kind === 'all' || kind === 'passage';
  useEffect(() => {
    if (shown && withPassages) pages.setQuery(passageQuery, 'document');
  }, [shown, passageQuery, withPassages]);
  const seen = useRef(revision);
  useEffect(() => {
    if (!shown || revision === seen.current) return;
    seen.current = revision;
    const timer = setTimeout(() => pages.refresh(), 200);
    return () => clearTimeout(timer);
  }, [shown, revision]);
  const passageTotal = withPassages && pages.state.answered && !pages.state.error ? (pages.state.total ?? 0) : 0;
  const indices = useMemo(() => Array.from({ length: passageTotal }, (_, i) => i), [passageTotal]);

  const total = own.length + documentMemos.length + passageTotal;
  const row = (m: Memo) => (
    <li key={m.id}>
      <button type="button" class="memo-row" onClick={() => actions.openMemo({ id: m.id })}>
        <span class="hit-head">
          <span class="hit-doc">{m.title}</span>
          <span class="muted">
            {coders.find((c) => c.id === m.authorId)?.name ?? 'Unknown coder'} · {day(m.modified)}
          </span>
        </span>
        <span class="muted">
          {subjectLabel(m.about, names)}
          {m.passages.length ? ` · ${m.passages.length} linked passage${m.passages.length === 1 ? '' : 's'}` : ''}
        </span>
        {m.text.trim() ? <span class="memo-text">{excerpt(m.text, 220)}</span> : null}
      </button>
    </li>
  );

  return (
    <section class="retrieval" id="view-memos" aria-label="Memos" hidden={!shown}>
      <div class="retrieval-head">
        <h2>Memos</h2>
        <div class="retrieval-line">
          <label for="memo-kind">Show</label>
          <select id="memo-kind" value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value as Kind)}>
            {KINDS.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
          <label for="memo-author">By</label>
          <select id="memo-author" value={author} onChange={(e) => setAuthor((e.target as HTMLSelectElement).value)}>
            <option value="">Anyone</option>
            {coders.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          <label for="memo-words">Containing</label>
          <input id="memo-words" type="search" value={words} onInput={(e) => setWords((e.target as HTMLInputElement).value)} />
        </div>
        <div class="retrieval-bar">
          <p class="retrieval-status" role="status" aria-live="polite">
            {withPassages && !pages.state.answered ? 'Looking for memos…' : `${total.toLocaleString()} memo${total === 1 ? '' : 's'}`}
          </p>
          <div class="retrieval-actions">
            <button type="button" ref={newButton} class="primary" onClick={() => actions.openMemo({ id: null, about: { kind: 'project' } })}>
              New memo…
            </button>
            <button type="button" onClick={() => void actions.exportMemos()}>
              Export Markdown…
            </button>
          </div>
        </div>
      </div>
      {/* Drawn while shown only: the filters are kept meanwhile, and nothing is laid out behind the article. */}
      <div class="retrieval-rows" ref={scroller}>
        {shown && (own.length || documentMemos.length) ? (
          <ul class="memo-list" aria-label="Memos with a title">
            {own.map(row)}
            {documentMemos.map((d) => (
              <li key={`doc:${d.id}`}>
                <button
                  type="button"
                  class="memo-row"
                  onClick={() => {
                    void actions.openDocument(d.id).then(() => actions.setPropertiesDialog(true));
                  }}
                >
                  <span class="hit-head">
                    <span class="hit-doc">Document memo</span>
                  </span>
                  <span class="muted">{subjectLabel({ kind: 'document', id: d.id }, names)}</span>
                  <span class="memo-text">{excerpt(d.memo ?? '', 220)}</span>
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        {passageTotal ? <h3 class="memo-section">On passages ({passageTotal.toLocaleString()})</h3> : null}
        <VirtualList
          items={shown ? indices : []}
          getKey={(i) => String(i)}
          estimateSize={92}
          scrollElement={() => scroller.current}
          label="Memos on passages"
          class="memo-list virtual"
          renderItem={(i, _index, tabbable) => {
            const r = pages.row(i);
            if (!r) {
              queueMicrotask(() => pages.want(Math.max(0, i - 20), i + 60));
              return (
                <span class="hit-loading muted" tabIndex={tabbable ? 0 : -1}>
                  Loading…
                </span>
              );
            }
            return (
              <button type="button" class="memo-row" tabIndex={tabbable ? 0 : -1} onClick={() => void actions.openPassage(r)}>
                <span class="hit-head">
                  <span class="hit-doc">On “{excerpt(r.passage.quote.exact, 70)}”</span>
                  <span class="muted">
                    {coders.find((c) => c.id === r.passage.coderId)?.name ?? 'Unknown coder'} · {day(r.passage.modified)}
                  </span>
                </span>
                <span class="muted">{r.documentTitle}</span>
                <span class="memo-text">{excerpt(r.passage.memo, 220)}</span>
              </button>
            );
          }}
        />
        {total === 0 && (!withPassages || pages.state.answered) ? <p class="muted">No memo{needle || author || kind !== 'all' ? ' matches' : ' yet: New memo… writes one, and a passage’s details take its own'}.</p> : null}
      </div>
    </section>
  );
}
