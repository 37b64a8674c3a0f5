import { foldText, type FoldedText } from '../shared/folded-text';
import { compileRegex, findPlain, findRegex, SearchError, type Hit, type SearchOptions } from '../shared/text-search';

/**
 * What the window and the Find worker (find-worker.ts) say to each other: the window asks for
 * the matches of a regular expression (or of a plain query in a long article) in the open
 * article's text; the worker answers with them packed in one transferable array, or with what is
 * wrong with the query. The text is sent once per version of the article (`textKey`), not with
 * every keystroke, and the worker keeps its folded text between plain searches.
 */

export interface FindRequest {
  id: number;
  /** Names the text's version (its document and text hash). */
  textKey: string;
  /** The text, when the worker has not been given this version yet. */
  text?: string;
  query: string;
  /** `regex` says whether `query` is a regular expression. */
  opts: SearchOptions;
  /** Matches wanted at most; one more is looked for, to know whether there are more. */
  limit: number;
}

export type FindReply =
  | { id: number; ok: true; /** start, end, start, end, … */ hits: Int32Array; truncated: boolean }
  | { id: number; ok: false; /** a SearchError (the user's expression), not a fault of Gloss */ search: boolean; message: string };

/** The text the worker keeps between requests, and its last folding (for plain searches). */
export interface WorkerText {
  key: string;
  text: string;
  folded?: { options: string; text: FoldedText };
}

/** What a folding depends on: the two folding options. */
export function foldingKey(opts: SearchOptions): string {
  return `${opts.caseSensitive ? 'C' : 'c'}${opts.diacriticSensitive ? 'D' : 'd'}`;
}

/** Packs matches into one array of offsets (start, end, …) that can be transferred, not copied. */
export function packHits(hits: readonly Hit[]): Int32Array {
  const out = new Int32Array(hits.length * 2);
  hits.forEach((h, i) => {
    out[2 * i] = h.start;
    out[2 * i + 1] = h.end;
  });
  return out;
}

export function unpackHits(packed: Int32Array): Hit[] {
  const hits: Hit[] = new Array<Hit>(packed.length / 2);
  for (let i = 0; i < hits.length; i++) hits[i] = { start: packed[2 * i]!, end: packed[2 * i + 1]! };
  return hits;
}

/** The worker's answer to one request, and the text it keeps for the next. */
export function answer(request: FindRequest, kept: WorkerText | null): { reply: FindReply; kept: WorkerText | null } {
  const now: WorkerText | null = request.text !== undefined ? { key: request.textKey, text: request.text } : kept;
  if (!now || now.key !== request.textKey) {
    return { reply: { id: request.id, ok: false, search: false, message: 'The search was given no text.' }, kept: now };
  }
  try {
    const { opts } = request;
    let hits: Hit[];
    if (opts.regex) hits = findRegex(now.text, compileRegex(request.query, opts), request.limit + 1);
    else {
      const options = foldingKey(opts);
      if (now.folded?.options !== options) now.folded = { options, text: foldText(now.text, opts) };
      hits = findPlain(now.text, request.query, opts, request.limit + 1, now.folded.text);
    }
    const truncated = hits.length > request.limit;
    if (truncated) hits.length = request.limit;
    return { reply: { id: request.id, ok: true, hits: packHits(hits), truncated }, kept: now };
  } catch (e) {
    return { reply: { id: request.id, ok: false, search: e instanceof SearchError, message: e instanceof Error ? e.message : String(e) }, kept: now };
  }
}
