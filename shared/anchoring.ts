import type { Anchor, TextPositionSelector, TextQuoteSelector } from './model';

/**
 * Anchoring: describing a passage of the canonical plain text with selectors, and finding it
 * again. Pure functions over strings; every runtime uses these.
 *
 * Anchoring goes from cheapest to most tolerant: the stored position is accepted when the text
 * there still equals the quote; otherwise every exact occurrence of the quote is scored by its
 * context and its distance from the old position; a passage found nowhere is an orphan, which is
 * reported to the user and never dropped.
 */

/** Characters of context kept either side of a quote. Long enough to tell repeated phrases apart, short enough to survive nearby edits. */
export const QUOTE_CONTEXT = 32;

/** Selectors describing `text[start, end)`. Context is cut on code-point boundaries. */
export function describeRange(text: string, start: number, end: number): { position: TextPositionSelector; quote: TextQuoteSelector } {
  let from = Math.max(0, start - QUOTE_CONTEXT);
  if (from > 0 && isLow(text.charCodeAt(from)) && isHigh(text.charCodeAt(from - 1))) from += 1;
  let to = Math.min(text.length, end + QUOTE_CONTEXT);
  if (to < text.length && isLow(text.charCodeAt(to)) && isHigh(text.charCodeAt(to - 1))) to -= 1;
  return {
    position: { type: 'TextPositionSelector', start, end },
    quote: {
      type: 'TextQuoteSelector',
      exact: text.slice(start, end),
      prefix: text.slice(from, start),
      suffix: text.slice(end, to),
    },
  };
}

const isHigh = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

/**
 * Moves range ends off the middle of a surrogate pair, so that a passage never holds half a
 * character (browsers can report such offsets for selections that end inside an emoji).
 */
export function snapToCodePoints(text: string, start: number, end: number): { start: number; end: number } {
  let s = Math.max(0, Math.min(start, text.length));
  let e = Math.max(s, Math.min(end, text.length));
  if (s > 0 && s < text.length && isLow(text.charCodeAt(s)) && isHigh(text.charCodeAt(s - 1))) s -= 1;
  if (e > 0 && e < text.length && isLow(text.charCodeAt(e)) && isHigh(text.charCodeAt(e - 1))) e += 1;
  return { start: s, end: e };
}

/** Characters either side of an offset that are segmented to find its grapheme boundary; longer clusters (rare, e.g. Zalgo text) are cut at code points. */
const GRAPHEME_WINDOW = 64;

let segmenter: Intl.Segmenter | null | undefined;
function graphemes(): Intl.Segmenter | null {
  if (segmenter === undefined) segmenter = typeof Intl !== 'undefined' && 'Segmenter' in Intl ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : null;
  return segmenter;
}

/** The start of the grapheme cluster holding `offset` (`offset` itself if it is a boundary). */
function clusterStart(text: string, offset: number): number {
  const seg = graphemes();
  if (!seg || offset <= 0 || offset >= text.length) return offset;
  const from = Math.max(0, offset - GRAPHEME_WINDOW);
  let start = offset;
  for (const g of seg.segment(text.slice(from, Math.min(text.length, offset + GRAPHEME_WINDOW)))) {
    const at = from + g.index;
    if (at > offset) break;
    start = at;
  }
  return start;
}

/**
 * Widens a range so that it neither starts nor ends inside a user-perceived character: an emoji
 * with skin tone or ZWJ sequence, a flag, a letter with combining marks, a Hangul syllable in jamo.
 * Falls back to code points where Intl.Segmenter is missing.
 */
export function snapToGraphemes(text: string, start: number, end: number): { start: number; end: number } {
  const cp = snapToCodePoints(text, start, end);
  const s = clusterStart(text, cp.start);
  let e = clusterStart(text, cp.end);
  if (e < cp.end) {
    // `end` fell inside a cluster: extend to that cluster's end.
    const seg = graphemes()!;
    const first = seg.segment(text.slice(e, Math.min(text.length, e + GRAPHEME_WINDOW)))[Symbol.iterator]().next();
    e = first.done ? cp.end : e + first.value.segment.length;
  }
  return { start: s, end: Math.max(e, s) };
}

/** Shrinks a range past white space at either end; a selection of white space only comes back empty. */
export function trimRange(text: string, start: number, end: number): { start: number; end: number } {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text[s]!)) s++;
  while (e > s && /\s/.test(text[e - 1]!)) e--;
  return { start: s, end: e };
}

/** Length of the common suffix of `a` and `b`. */
function commonSuffix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

/** Length of the common prefix of `a` and `b`. */
function commonPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/**
 * Finds a passage in `text`, a version other than the one it was made on (when the version is
 * the same, its position is simply right). The position is trusted only when the quote and its
 * context still match there; otherwise the occurrence of the quote with the most matching
 * context wins, ties going to the one nearest the old position. Results are snapped to grapheme
 * clusters, as selections are.
 */
export function anchor(text: string, position: TextPositionSelector, quote: TextQuoteSelector): Anchor {
  const { exact, prefix, suffix } = quote;
  const { start, end } = position;
  if (
    exact.length === end - start &&
    text.slice(start, end) === exact &&
    text.slice(Math.max(0, start - prefix.length), start) === prefix &&
    text.slice(end, end + suffix.length) === suffix
  ) {
    return { status: 'exact', start, end };
  }
  if (exact === '') return { status: 'orphan', start, end };
  let best: { start: number; score: number; distance: number } | null = null;
  for (let at = text.indexOf(exact); at !== -1; at = text.indexOf(exact, at + 1)) {
    const before = text.slice(Math.max(0, at - prefix.length), at);
    const after = text.slice(at + exact.length, at + exact.length + suffix.length);
    const score = commonSuffix(before, prefix) + commonPrefix(after, suffix);
    const distance = Math.abs(at - start);
    if (!best || score > best.score || (score === best.score && distance < best.distance)) best = { start: at, score, distance };
  }
  if (!best) return { status: 'orphan', start, end };
  const snapped = snapToGraphemes(text, best.start, best.start + exact.length);
  return { status: snapped.start === start && snapped.end === end ? 'exact' : 'moved', start: snapped.start, end: snapped.end };
}
