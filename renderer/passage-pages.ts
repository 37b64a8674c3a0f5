import type { ApiOutput } from '../shared/api';

/**
 * The passages view's rows, read from main a page at a time (`passages.query`): a list of
 * 100,000 passages never crosses the API at once, and only the pages around what is on screen
 * are asked for. Answers to an earlier query, or of an older revision than one already shown,
 * are dropped. After a change to the project (`refresh`), the rows on screen stay as they were
 * until their new page arrives, so the list does not flash empty.
 */

export type PassageRow = ApiOutput<'passages.query'>['rows'][number];
export type PassageSort = 'document' | 'code' | 'created' | 'length';

/** One page of the answer, as main gives it. */
export type PageFetch = (query: string, sort: PassageSort, offset: number, limit: number) => Promise<ApiOutput<'passages.query'>>;

/** What the view shows of the query. */
export interface PagesState {
  query: string;
  sort: PassageSort;
  /** How many passages match; null until the first page has come. */
  total: number | null;
  /** Why the query cannot be run (main's words), or null. */
  error: string | null;
  /** A page is on its way. */
  loading: boolean;
  /** Bumped with every new query: the view scrolls to the top then. */
  generation: number;
  /** Whether the rows shown answer `query`: false while the first page of a new query is on its way (the rows shown are the last query's). */
  answered: boolean;
}

/** Rows per page asked of main. */
export const PAGE_SIZE = 100;

export class PassagePages {
  private pages = new Map<number, PassageRow[]>();
  /** Pages whose rows are of an older revision: shown until their new answer comes. */
  private stale = new Set<number>();
  private inFlight = new Map<number, number>();
  private revision = -1;
  private wanted: [number, number] = [0, PAGE_SIZE];
  private current: PagesState = { query: '', sort: 'document', total: null, error: null, loading: false, generation: 0, answered: false };
  private listeners = new Set<() => void>();
  /** Counts requests, so that an answer can be told from a later one for the same page. */
  private seq = 0;

  constructor(private readonly fetch: PageFetch) {}

  get state(): PagesState {
    return this.current;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Runs a new query (or a new order): every row is asked for again, from the top. The rows of
   * the query before stay (stale) until the first page of the answer replaces them, so the list
   * neither flashes empty nor is drawn anew; a query refused before shows nothing meanwhile.
   */
  setQuery(query: string, sort: PassageSort): void {
    const keep = this.current.error === null ? this.pages.get(0) : undefined;
    this.pages.clear();
    this.stale.clear();
    if (keep) {
      this.pages.set(0, keep);
      this.stale.add(0);
    }
    this.inFlight.clear();
    this.revision = -1;
    this.wanted = [0, PAGE_SIZE];
    this.update({ query, sort, total: keep ? this.current.total : null, error: null, generation: this.current.generation + 1, answered: false });
    this.load(0);
  }

  /** The row at `index`, if its page has come. */
  row(index: number): PassageRow | undefined {
    return this.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  }

  /** The rows [from, to) are on screen (or about to be): their pages are asked for if missing or stale. */
  want(from: number, to: number): void {
    this.wanted = [from, Math.max(from + 1, to)];
    for (const page of this.wantedPages()) if (!this.pages.has(page) || this.stale.has(page)) this.load(page);
  }

  /** The project changed: the rows on screen are asked for again; the others are dropped. */
  refresh(): void {
    if (this.current.error !== null && this.current.total === null) {
      // A query refused before may run now (a code it named was created).
      this.setQuery(this.current.query, this.current.sort);
      return;
    }
    const keep = new Set(this.wantedPages());
    for (const page of [...this.pages.keys()]) {
      if (keep.has(page)) this.stale.add(page);
      else this.pages.delete(page);
    }
    this.inFlight.clear();
    for (const page of keep) this.load(page);
  }

  private wantedPages(): number[] {
    const [from, to] = this.wanted;
    const total = this.current.total;
    const last = total === null ? Math.floor(from / PAGE_SIZE) : Math.max(0, Math.ceil(Math.min(to, total) / PAGE_SIZE) - 1);
    const out: number[] = [];
    for (let p = Math.floor(from / PAGE_SIZE); p <= last; p++) out.push(p);
    return out;
  }

  private load(page: number): void {
    if (this.inFlight.has(page)) return;
    const seq = ++this.seq;
    this.inFlight.set(page, seq);
    const { query, sort, generation } = this.current;
    this.update({ loading: true });
    this.fetch(query, sort, page * PAGE_SIZE, PAGE_SIZE).then(
      (answer) => {
        if (this.current.generation !== generation || this.inFlight.get(page) !== seq) return;
        this.inFlight.delete(page);
        if (answer.revision < this.revision) {
          // Older than what is shown: ask again.
          this.load(page);
          return;
        }
        if (answer.revision > this.revision) {
          // Every other page shown is now of an older revision.
          for (const p of this.pages.keys()) if (p !== page) this.stale.add(p);
          this.revision = answer.revision;
        }
        this.pages.set(page, answer.rows);
        this.stale.delete(page);
        this.update({ total: answer.total, error: null, loading: this.inFlight.size > 0, answered: true });
        // The total may have grown or shrunk: the rows on screen may now be on other pages.
        for (const p of this.wantedPages()) if (!this.pages.has(p) || this.stale.has(p)) this.load(p);
      },
      (e: unknown) => {
        if (this.current.generation !== generation || this.inFlight.get(page) !== seq) return;
        this.inFlight.delete(page);
        if (page === 0) this.pages.clear();
        this.update({ error: e instanceof Error ? e.message : String(e), loading: this.inFlight.size > 0, ...(page === 0 ? { total: null, answered: true } : {}) });
      },
    );
  }

  private update(change: Partial<PagesState>): void {
    this.current = { ...this.current, ...change };
    for (const l of this.listeners) l();
  }
}
