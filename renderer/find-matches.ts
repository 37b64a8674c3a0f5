import type { Hit } from '../shared/text-search';

/**
 * The pure part of Find in the article: which match is current, where next and previous go,
 * what the count says, how long typing waits, and which matches are drawn. Matches are in text
 * order (as findPlain and findRegex give them).
 */

/**
 * Matches counted at most. Past it the count says "100,000+" and next/previous go round the
 * first ones: no reader steps through more, and a match is an object the window keeps.
 */
export const MAX_MATCHES = 100_000;

/** The matches of one search: at most MAX_MATCHES, and whether there were more. */
export interface Matches {
  hits: readonly Hit[];
  truncated: boolean;
}

/** Index of the first match starting at or after `offset`, going round to the first; -1 when there are none. */
export function firstFrom(hits: readonly Hit[], offset: number): number {
  if (hits.length === 0) return -1;
  const i = lowerBound(hits, offset, (h) => h.start);
  return i < hits.length ? i : 0;
}

/** The first index whose key is ≥ `value` (hits.length if none), for keys ascending with the index. */
function lowerBound(hits: readonly Hit[], value: number, key: (h: Hit) => number): number {
  let lo = 0;
  let hi = hits.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (key(hits[mid]!) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A step to the next (+1) or previous (−1) match: where it lands, and whether it went round the end. */
export function step(current: number, count: number, direction: 1 | -1): { index: number; wrapped: boolean } {
  if (count === 0) return { index: -1, wrapped: false };
  if (current < 0) return { index: direction === 1 ? 0 : count - 1, wrapped: false };
  const index = (current + direction + count) % count;
  return { index, wrapped: direction === 1 ? index < current : index > current };
}

/**
 * The first step when no match is current (the text changed under the bar): to the first match
 * at or after `offset` (where the caret is), or the last one before it.
 */
export function stepFrom(hits: readonly Hit[], offset: number, direction: 1 | -1): number {
  const at = firstFrom(hits, offset);
  if (at < 0 || direction === 1) return at;
  return (at - 1 + hits.length) % hits.length;
}

/** What the status says after a step that went round: where the reader is now. */
export function wrapNote(direction: 1 | -1): string {
  return direction === 1 ? 'Back at the first match' : 'Back at the last match';
}

const number = (n: number): string => n.toLocaleString('en');

/** The count: "3 of 17", "No matches", "1 of 100,000+". */
export function countLabel(current: number, matches: Matches): string {
  const n = matches.hits.length;
  if (n === 0) return 'No matches';
  const total = `${number(n)}${matches.truncated ? '+' : ''}`;
  return current < 0 ? `${total} ${n === 1 && !matches.truncated ? 'match' : 'matches'}` : `${number(current + 1)} of ${total}`;
}

/**
 * How long a change of the query waits for the next key before searching: at once on a short
 * text, a moment on a long one (folding and scanning megabytes while the user types a word would
 * make every key wait), and a moment for a regular expression, which starts a worker when the
 * last one is still busy.
 */
export function typingDelayMs(textLength: number, regex: boolean): number {
  if (regex) return 150;
  if (textLength > 1_000_000) return 200;
  if (textLength > 200_000) return 80;
  return 0;
}

/**
 * The matches to draw, as indices [first, last): those overlapping the text range
 * `[from, to)` (what is on screen and a little around it), at most `max` of them, taken around
 * offset `middle` when there are more (a screen of one-letter matches in a long paragraph).
 */
export function drawnRange(hits: readonly Hit[], from: number, to: number, max: number, middle = (from + to) / 2): [number, number] {
  // Matches are in order of their starts, and their ends never go down (a plain query's matches
  // all fold to one length; a regular expression's do not overlap).
  const first = lowerBound(hits, from + 1, (h) => h.end);
  const last = lowerBound(hits, to, (h) => h.start);
  if (last - first <= max) return [first, Math.max(first, last)];
  const at = Math.min(Math.max(lowerBound(hits, middle, (h) => h.start), first), last);
  const start = Math.max(first, Math.min(at - Math.floor(max / 2), last - max));
  return [start, start + max];
}
