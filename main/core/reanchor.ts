import { DIFF_DELETE, DIFF_EQUAL, DIFF_INSERT, makeDiff, type Diff } from '@sanity/diff-match-patch';
import search from 'approx-string-match';
import type { Annotation } from '../../shared/model';

/**
 * Re-anchoring: where each passage of a text is in a new version of it, from cheapest to most
 * tolerant, and how sure that is. Nothing is ever placed silently on other words: a passage
 * whose words changed is `changed` (the old and new words side by side, with a score, for the
 * user to review), and one that cannot be found is `orphaned` (kept, never dropped).
 *
 * Every stage starts from where the edit moved the passage's old place: one diff of the old
 * text against the new (diff-match-patch, by lines first, then characters) maps any old offset
 * into the new text, so a repeated sentence is told apart by where it was, not by luck.
 *
 *   1. position: the words at the mapped place are the passage's words → `unchanged` (same
 *      offsets) or `moved`;
 *   2. the mapped place holds an edited version of the words (similar enough, by edit distance)
 *      → `changed`;
 *   3. exact quote: the words occur elsewhere, and their context (prefix and suffix) agrees →
 *      `moved`;
 *   4. fuzzy quote: near the mapped place, the words with at most a quarter of them in error
 *      (approx-string-match, the k-errors search Hypothesis uses) → `changed`;
 *   5. otherwise `orphaned`.
 */

/** How sure a placement is, 0–1: 1 for the same words, less for the share of them that changed. */
export type Reanchored =
  | { id: string; status: 'unchanged' | 'moved'; start: number; end: number; score: 1; oldText: string; newText: string }
  | { id: string; status: 'changed'; start: number; end: number; score: number; oldText: string; newText: string }
  | { id: string; status: 'orphaned'; start: null; end: null; score: 0; oldText: string; newText: null };

/** Least similarity (1 − edits / length) at which edited words still count as the passage's. */
export const MIN_SIMILARITY = 0.7;
/** The share of a quote's characters the fuzzy search may find in error. */
export const FUZZY_ERROR_RATE = 0.25;
/** How far either side of the mapped place the fuzzy search looks, in quote lengths (and at least `FUZZY_WINDOW_MIN`). */
export const FUZZY_WINDOW = 3;
export const FUZZY_WINDOW_MIN = 200;
/** Least share of the stored context that must agree for an exact quote found elsewhere to be the passage. */
export const MIN_CONTEXT_AGREEMENT = 0.5;
/** How long the diff of the two texts may take before it settles for a coarser one, in seconds. */
export const DIFF_TIMEOUT_S = 0.5;

/** The offsets of the old text in the new one, through the diff. */
export class OffsetMap {
  /** Per run of the diff: where it starts in the old text and in the new, its kind and length. */
  private readonly oldStarts: number[] = [];
  private readonly newStarts: number[] = [];
  private readonly kinds: number[] = [];
  private readonly lengths: number[] = [];

  constructor(diffs: readonly Diff[]) {
    let o = 0;
    let n = 0;
    for (const [kind, text] of diffs) {
      this.oldStarts.push(o);
      this.newStarts.push(n);
      this.kinds.push(kind);
      this.lengths.push(text.length);
      if (kind !== DIFF_INSERT) o += text.length;
      if (kind !== DIFF_DELETE) n += text.length;
    }
  }

  /** Whether the old text's character at `at` is still there, unedited. */
  kept(at: number): boolean {
    const i = this.runAt(at);
    return this.kinds[i] === DIFF_EQUAL && at < this.oldStarts[i]! + this.lengths[i]!;
  }

  /** The last run starting at or before old offset `at` (binary search). */
  private runAt(at: number): number {
    let lo = 0;
    let hi = this.oldStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.oldStarts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    // Of runs starting at `at`, the one that holds old text (an insertion holds none).
    while (lo < this.oldStarts.length - 1 && this.kinds[lo] === DIFF_INSERT && this.oldStarts[lo + 1] === at) lo++;
    return lo;
  }

  /**
   * Where old offset `at` is in the new text. An offset inside deleted text goes to where the
   * deletion was; `side` says whether an offset at an insertion goes before it (a passage's
   * start) or after it (its end), so that text inserted at a passage's edge is not taken in.
   */
  map(at: number, side: 'start' | 'end'): number {
    const i = this.runAt(at);
    const into = at - this.oldStarts[i]!;
    if (this.kinds[i] === DIFF_EQUAL && into > 0) return this.newStarts[i]! + into;
    // At a run's edge: text inserted just before it stays outside the passage.
    if (this.kinds[i] === DIFF_EQUAL) return side === 'start' ? this.newStarts[i]! : this.insertedBefore(i);
    if (this.kinds[i] === DIFF_DELETE) return this.newStarts[i]!;
    return side === 'start' ? this.newStarts[i]! + this.lengths[i]! : this.newStarts[i]!;
  }

  /** Where run `i` starts in the new text, before any insertion that comes right before it. */
  private insertedBefore(i: number): number {
    let j = i;
    while (j > 0 && this.kinds[j - 1] === DIFF_INSERT) j--;
    return this.newStarts[j]!;
  }
}

/** The diff of two texts, by lines first (fast on long texts), then refined within changed lines. */
export function diffTexts(oldText: string, newText: string): Diff[] {
  return makeDiff(oldText, newText, { checkLines: oldText.length > 10_000, timeout: DIFF_TIMEOUT_S });
}

/** Edit distance between two strings, from their diff. */
function distance(a: string, b: string): number {
  if (a === b) return 0;
  let total = 0;
  let ins = 0;
  let del = 0;
  for (const [kind, text] of makeDiff(a, b, { checkLines: false, timeout: 0.1 })) {
    if (kind === DIFF_INSERT) ins += text.length;
    else if (kind === DIFF_DELETE) del += text.length;
    else {
      total += Math.max(ins, del);
      ins = del = 0;
    }
  }
  return total + Math.max(ins, del);
}

function similarity(a: string, b: string): number {
  const longest = Math.max(a.length, b.length);
  return longest === 0 ? 1 : 1 - distance(a, b) / longest;
}

/** How much of the stored prefix and suffix the text around `[start, end)` agrees with, 0–1. */
function contextAgreement(text: string, start: number, end: number, prefix: string, suffix: string): number {
  let p = 0;
  while (p < prefix.length && start - p - 1 >= 0 && text[start - p - 1] === prefix[prefix.length - p - 1]) p++;
  let s = 0;
  while (s < suffix.length && end + s < text.length && text[end + s] === suffix[s]) s++;
  const whole = prefix.length + suffix.length;
  return whole === 0 ? 1 : (p + s) / whole;
}

/**
 * Re-anchors `passages` in `newText`. Their positions must be where they are in `oldText` (a
 * passage that could not be placed there is no input: it stays orphaned).
 */
export function reanchor(oldText: string, newText: string, passages: readonly Pick<Annotation, 'id' | 'position' | 'quote'>[]): Reanchored[] {
  const map = new OffsetMap(diffTexts(oldText, newText));
  return passages.map((p) => place(map, oldText, newText, p));
}

function place(map: OffsetMap, oldText: string, newText: string, p: Pick<Annotation, 'id' | 'position' | 'quote'>): Reanchored {
  const { prefix, suffix } = p.quote;
  const { start: os, end: oe } = p.position;
  const oldWords = oldText.slice(os, oe);
  const ns = map.map(os, 'start');
  const ne = Math.max(ns, map.map(oe, 'end'));
  const base = { id: p.id, oldText: oldWords };

  // 1. The same words where the edit moved them.
  if (newText.slice(ns, ne) === oldWords) return { ...base, status: ns === os && ne === oe ? 'unchanged' : 'moved', start: ns, end: ne, score: 1, newText: oldWords };

  // 2. Edited words in their place: its first and last characters are still there (whatever
  // happened between them), or what is there now is close enough to what was.
  const there = newText.slice(ns, ne);
  if (there.length > 0) {
    const score = similarity(oldWords, there);
    const edgesKept = oe > os && map.kept(os) && map.kept(oe - 1);
    if (edgesKept || score >= MIN_SIMILARITY) return { ...base, status: 'changed', start: ns, end: ne, score, newText: there };
  }

  // 3. The same words elsewhere, with their context.
  let best: { at: number; agreement: number } | null = null;
  for (let at = newText.indexOf(oldWords), n = 0; at >= 0 && n < 10_000 && oldWords.length > 0; at = newText.indexOf(oldWords, at + 1), n++) {
    const agreement = contextAgreement(newText, at, at + oldWords.length, prefix, suffix);
    if (!best || agreement > best.agreement || (agreement === best.agreement && Math.abs(at - ns) < Math.abs(best.at - ns))) best = { at, agreement };
  }
  if (best && best.agreement >= MIN_CONTEXT_AGREEMENT) {
    return { ...base, status: 'moved', start: best.at, end: best.at + oldWords.length, score: 1, newText: oldWords };
  }

  // 4. Edited words near their place.
  if (oldWords.length >= 4) {
    const window = Math.max(FUZZY_WINDOW_MIN, FUZZY_WINDOW * oldWords.length);
    const from = Math.max(0, ns - window);
    const to = Math.min(newText.length, ne + window);
    const k = Math.max(1, Math.floor(oldWords.length * FUZZY_ERROR_RATE));
    const matches = search(newText.slice(from, to), oldWords, k);
    let found: { start: number; end: number; errors: number } | null = null;
    for (const m of matches) {
      const start = from + m.start;
      if (!found || m.errors < found.errors || (m.errors === found.errors && Math.abs(start - ns) < Math.abs(found.start - ns))) found = { start, end: from + m.end, errors: m.errors };
    }
    if (found) {
      const words = newText.slice(found.start, found.end);
      const score = similarity(oldWords, words);
      if (score >= MIN_SIMILARITY) return { ...base, status: 'changed', start: found.start, end: found.end, score, newText: words };
    }
  }

  return { ...base, status: 'orphaned', start: null, end: null, score: 0, newText: null };
}
