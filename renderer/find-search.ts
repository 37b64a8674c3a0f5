import { foldText, type FoldedText } from '../shared/folded-text';
import { findPlain, SearchError, type SearchOptions } from '../shared/text-search';
import { MAX_MATCHES, type Matches } from './find-matches';
import { foldingKey, unpackHits, type FindReply, type FindRequest } from './find-protocol';

/**
 * Searching the open article for Find. A plain query runs in the window (an indexOf loop over
 * the folded text, which is kept between keystrokes); a regular expression runs in a worker
 * with a time limit, because JavaScript cannot interrupt one that backtracks for ever, and a
 * worker can simply be terminated. So does a plain query on a long article: folding 5 MB takes
 * the window 100–200 ms, a pause on the key that starts it, where the worker's costs it nothing.
 */

/** How long a regular expression may run on the article. */
export const REGEX_TIME_LIMIT_MS = 1500;
/** How long a plain search may run in the worker (it is linear: only a very slow machine comes near). */
export const PLAIN_TIME_LIMIT_MS = 15_000;
/** The longest text a plain search runs on in the window: folding it takes ~20 ms at most. */
export const PLAIN_IN_WINDOW_MAX_CHARS = 500_000;

export function tooLongMessage(limitMs = REGEX_TIME_LIMIT_MS, regex = true): string {
  return regex
    ? `The regular expression took too long on this text (more than ${limitMs / 1000} s); expressions with nested repetition such as (a+)+ can take practically forever.`
    : `The search took too long on this text (more than ${limitMs / 1000} s).`;
}

/** The article's text, and what names its version (its document and text hash). */
export interface ArticleText {
  key: string;
  text: string;
}

/** The search a newer one replaced: its answer is no longer wanted. */
export class Superseded extends Error {
  override name = 'Superseded';
}

/** Plain searches, keeping the folded text of the last text and folding options searched. */
export class PlainSearch {
  private folded: { key: string; text: FoldedText } | null = null;

  /** The matches of `query` (throws SearchError for an empty one). */
  find(article: ArticleText, query: string, opts: SearchOptions): Matches {
    const key = `${article.key}\u0000${foldingKey(opts)}`;
    if (this.folded?.key !== key) this.folded = { key, text: foldText(article.text, opts) };
    const hits = findPlain(article.text, query, opts, MAX_MATCHES + 1, this.folded.text);
    const truncated = hits.length > MAX_MATCHES;
    if (truncated) hits.length = MAX_MATCHES;
    return { hits, truncated };
  }
}

/** The part of a Web Worker the search uses (a fake one in the unit tests). */
export interface WorkerLike {
  postMessage(message: FindRequest): void;
  terminate(): void;
  onmessage: ((event: MessageEvent<FindReply>) => void) | null;
  onerror: ((event: Event) => void) | null;
}

/** The Find worker, a file of its own beside the app's script (scripts/build.mjs). */
function startFindWorker(): WorkerLike {
  return new Worker(new URL('./find-worker.js', import.meta.url), { name: 'find' }) as WorkerLike;
}

interface Pending {
  id: number;
  regex: boolean;
  resolve(m: Matches): void;
  reject(e: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Searches in a worker, one at a time: a new search abandons the one still running (a regular
 * expression's with its worker, as it may be stuck; a plain search's answer is just dropped, so
 * that the worker keeps its folded text), and a search that runs past its time limit
 * (`opts.regex`: a regular expression's, else a plain search's) is stopped and rejected with a
 * SearchError saying so.
 */
export class WorkerSearch {
  private worker: WorkerLike | null = null;
  /** The text version the worker has been given. */
  private given: string | null = null;
  private pending: Pending | null = null;
  private nextId = 1;

  constructor(
    private readonly start: () => WorkerLike = startFindWorker,
    private readonly limits = { regex: REGEX_TIME_LIMIT_MS, plain: PLAIN_TIME_LIMIT_MS },
  ) {}

  /** Starts the worker ahead of the first search (when the user turns regular expressions on, or opens Find on a long article). */
  warm(): void {
    this.ensureWorker();
  }

  find(article: ArticleText, query: string, opts: SearchOptions): Promise<Matches> {
    const before = this.pending;
    if (before) {
      clearTimeout(before.timer);
      this.pending = null;
      if (before.regex) this.stop();
      before.reject(new Superseded());
    }
    const worker = this.ensureWorker();
    const id = this.nextId++;
    const regex = opts.regex === true;
    const limitMs = regex ? this.limits.regex : this.limits.plain;
    return new Promise<Matches>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.pending?.id !== id) return;
        this.stop();
        reject(new SearchError(tooLongMessage(limitMs, regex)));
      }, limitMs);
      this.pending = { id, regex, resolve, reject, timer };
      const request: FindRequest = { id, textKey: article.key, query, opts, limit: MAX_MATCHES };
      if (this.given !== article.key) request.text = article.text;
      this.given = article.key;
      worker.postMessage(request);
    });
  }

  private ensureWorker(): WorkerLike {
    if (this.worker) return this.worker;
    const worker = this.start();
    worker.onmessage = (event) => this.onReply(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      const pending = this.pending;
      this.stop();
      pending?.reject(new Error('Find could not run its search (the search worker failed to start).'));
    };
    this.worker = worker;
    return worker;
  }

  private onReply(reply: FindReply): void {
    const pending = this.pending;
    if (!pending || pending.id !== reply.id) return;
    clearTimeout(pending.timer);
    this.pending = null;
    if (reply.ok) pending.resolve({ hits: unpackHits(reply.hits), truncated: reply.truncated });
    else pending.reject(reply.search ? new SearchError(reply.message) : new Error(reply.message));
  }

  /** Terminates the worker and forgets the search in flight (the next search starts a new one). */
  stop(): void {
    if (this.pending) clearTimeout(this.pending.timer);
    this.pending = null;
    this.worker?.terminate();
    this.worker = null;
    this.given = null;
  }

  /** Abandons the search in flight, if any, rejecting it with Superseded (a regular expression's stops its worker). */
  cancel(): void {
    const pending = this.pending;
    if (!pending) return;
    clearTimeout(pending.timer);
    this.pending = null;
    if (pending.regex) this.stop();
    pending.reject(new Superseded());
  }
}
