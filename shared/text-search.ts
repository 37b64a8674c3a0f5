import { foldNeedle, foldText, originalRange, type FoldedText, type FoldOptions } from './folded-text';

/**
 * Finding words in texts: the article's Find (Ctrl/Cmd+F) and the project-wide search. Plain
 * searches match folded text (folded-text.ts) and report offsets in the original; a regular
 * expression runs on the original text, as written (case folded only, with `i`). A regular
 * expression can take exponential time on some texts, so the service runs those in a worker
 * with a time limit (main/core/search/regex-worker.ts); this module is the pure matching both use.
 */

export interface SearchOptions extends FoldOptions {
  /** Only matches that are whole words (no letter or digit just before or after). */
  wholeWord?: boolean;
  /** `query` is a regular expression (JavaScript syntax, Unicode mode). */
  regex?: boolean;
}

/** A match: its range in the original text. */
export interface Hit {
  start: number;
  end: number;
}

/** A match with words around it, for a keyword-in-context list. */
export interface HitInContext extends Hit {
  before: string;
  match: string;
  after: string;
}

/** A query that cannot be searched for (a malformed regular expression, an empty query). */
export class SearchError extends Error {
  override name = 'SearchError';
}

const WORD = /[\p{L}\p{N}\p{M}]/u;

function isWordAt(text: string, i: number): boolean {
  if (i < 0 || i >= text.length) return false;
  const code = text.charCodeAt(i);
  // A low surrogate: the character starts one unit earlier.
  const at = code >= 0xdc00 && code <= 0xdfff && i > 0 ? i - 1 : i;
  return WORD.test(String.fromCodePoint(text.codePointAt(at)!));
}

const wholeWordAt = (text: string, h: Hit): boolean => !isWordAt(text, h.start - 1) && !isWordAt(text, h.end);

/** The regular expression for a query, or a SearchError saying what is wrong with it. */
export function compileRegex(pattern: string, opts: SearchOptions = {}): RegExp {
  if (pattern === '') throw new SearchError('Type what to search for.');
  try {
    const source = opts.wholeWord ? `(?<![\\p{L}\\p{N}\\p{M}])(?:${pattern})(?![\\p{L}\\p{N}\\p{M}])` : pattern;
    return new RegExp(source, `gmu${opts.caseSensitive ? '' : 'i'}`);
  } catch (e) {
    const why = e instanceof Error ? e.message.replace(/^Invalid regular expression: /, '') : String(e);
    throw new SearchError(`The regular expression cannot be read: ${why}.`);
  }
}

/**
 * Every match of a plain query in `text`, in order, at most `limit`. `folded` is the text
 * folded with the same options (foldText), when the caller keeps it between searches.
 */
export function findPlain(text: string, query: string, opts: SearchOptions = {}, limit = Infinity, folded?: FoldedText): Hit[] {
  const needle = foldNeedle(query, opts);
  if (needle === '') throw new SearchError('Type what to search for.');
  const f = folded ?? foldText(text, opts);
  const hits: Hit[] = [];
  for (let at = f.text.indexOf(needle); at >= 0 && hits.length < limit; at = f.text.indexOf(needle, at + 1)) {
    const hit = originalRange(f, at, at + needle.length);
    const last = hits.at(-1);
    // Two folded matches inside one original character's folding are one match.
    if (last && last.start === hit.start) continue;
    if (!opts.wholeWord || wholeWordAt(text, hit)) hits.push(hit);
  }
  return hits;
}

/** Every non-empty match of a regular expression in `text`, in order, at most `limit`. */
export function findRegex(text: string, re: RegExp, limit = Infinity): Hit[] {
  const hits: Hit[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m && hits.length < limit; m = re.exec(text)) {
    if (m[0] === '') {
      // An empty match would stop the search where it is: step over one character.
      re.lastIndex = m.index + (text.codePointAt(m.index)! > 0xffff ? 2 : 1);
      continue;
    }
    hits.push({ start: m.index, end: m.index + m[0].length });
  }
  return hits;
}

/** The words around a match: up to `width` characters each side, cut at a word boundary. */
export function inContext(text: string, hit: Hit, width = 60): HitInContext {
  let from = Math.max(0, hit.start - width);
  let to = Math.min(text.length, hit.end + width);
  if (from > 0) {
    const space = text.indexOf(' ', from);
    if (space >= 0 && space < hit.start) from = space + 1;
  }
  if (to < text.length) {
    const space = text.lastIndexOf(' ', to);
    if (space > hit.end) to = space;
  }
  const flat = (s: string): string => s.replace(/\s+/g, ' ');
  return { ...hit, before: flat(text.slice(from, hit.start)), match: flat(text.slice(hit.start, hit.end)), after: flat(text.slice(hit.end, to)) };
}

/** One document's matches, for the project-wide search. */
export interface DocumentHits {
  documentId: string;
  hits: HitInContext[];
}

export interface ProjectHits {
  documents: DocumentHits[];
  total: number;
  /** The search stopped at its limit of matches: there are more. */
  truncated: boolean;
}

/**
 * Searches many texts in order, listing at most `limit` matches in context in all. `folded(id)` gives a document's folded text when
 * the caller keeps it.
 */
export function searchTexts(
  texts: readonly { documentId: string; text: string }[],
  query: string,
  opts: SearchOptions = {},
  limit = 5000,
  folded?: (documentId: string, text: string) => FoldedText,
): ProjectHits {
  const re = opts.regex ? compileRegex(query, opts) : null;
  const out: ProjectHits = { documents: [], total: 0, truncated: false };
  for (const { documentId, text } of texts) {
    const room = limit - out.total;
    if (room <= 0) {
      out.truncated = true;
      break;
    }
    // One more than there is room for, to know whether there are more.
    const hits = re ? findRegex(text, re, room + 1) : findPlain(text, query, opts, room + 1, folded?.(documentId, text));
    if (hits.length > room) {
      out.truncated = true;
      hits.length = room;
    }
    if (hits.length) out.documents.push({ documentId, hits: hits.map((h) => inContext(text, h)) });
    out.total += hits.length;
  }
  return out;
}
