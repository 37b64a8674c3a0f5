/**
 * Relations between passages for the query language: whether a passage overlaps, contains, lies
 * within or is near another passage of a set (one document's passages of some codes). Built once
 * per document and code set, so that a query over 100,000 passages asks each passage in
 * O(log n) rather than against every other passage.
 */

export interface Span {
  id: string;
  start: number;
  end: number;
}

/** First index in the sorted `a` whose value is ≥ `x` (or > `x` with `strict`). */
function bound(a: ArrayLike<number>, x: number, strict = false): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < x || (strict && a[mid]! === x)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The word starts of a text (letters or digits after anything else), to count words in a gap. */
export function wordStarts(text: string): Int32Array {
  const out: number[] = [];
  for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) out.push(m.index);
  return Int32Array.from(out);
}

/** How many words start in [from, to) of the text whose word starts are `starts`. */
export function wordsIn(starts: Int32Array, from: number, to: number): number {
  return to <= from ? 0 : bound(starts, to) - bound(starts, from);
}

/** One document's passages of a set, sorted by start, with what the four relations ask. */
export class SpanSet {
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly ids: string[];
  private readonly indexOf = new Map<string, number>();
  /** Over [0..i]: the entry with the greatest end, and the one with the next greatest. */
  private readonly max1: Int32Array;
  private readonly max2: Int32Array;
  /** Sparse table of the entry with the least end, over runs of 2^k entries. */
  private readonly minTable: Int32Array[] = [];

  constructor(spans: readonly Span[]) {
    const sorted = [...spans].sort((a, b) => a.start - b.start || a.end - b.end);
    const n = sorted.length;
    this.starts = Int32Array.from(sorted, (s) => s.start);
    this.ends = Int32Array.from(sorted, (s) => s.end);
    this.ids = sorted.map((s) => s.id);
    this.ids.forEach((id, i) => this.indexOf.set(id, i));
    this.max1 = new Int32Array(n);
    this.max2 = new Int32Array(n).fill(-1);
    for (let i = 0; i < n; i++) {
      if (i === 0) {
        this.max1[0] = 0;
        continue;
      }
      const a = this.max1[i - 1]!;
      const b = this.max2[i - 1]!;
      if (this.ends[i]! > this.ends[a]!) {
        this.max1[i] = i;
        this.max2[i] = a;
      } else {
        this.max1[i] = a;
        this.max2[i] = b >= 0 && this.ends[b]! >= this.ends[i]! ? b : i;
      }
    }
    let level = Int32Array.from({ length: n }, (_, i) => i);
    this.minTable.push(level);
    for (let width = 1; width * 2 <= n; width *= 2) {
      const prev = level;
      level = new Int32Array(n - width * 2 + 1);
      for (let i = 0; i < level.length; i++) {
        const a = prev[i]!;
        const b = prev[i + width]!;
        level[i] = this.ends[b]! < this.ends[a]! ? b : a;
      }
      this.minTable.push(level);
    }
  }

  /** The greatest end among entries [0, k) other than `id`; -1 when there is none. */
  private greatestEnd(k: number, id: string): number {
    if (k <= 0) return -1;
    const a = this.max1[k - 1]!;
    if (this.ids[a] !== id) return this.ends[a]!;
    const b = this.max2[k - 1]!;
    return b >= 0 ? this.ends[b]! : -1;
  }

  /** The least end among entries [lo, hi); Infinity when the range is empty. */
  private leastEnd(lo: number, hi: number): number {
    if (hi <= lo) return Infinity;
    const k = 31 - Math.clz32(hi - lo);
    const t = this.minTable[k]!;
    return Math.min(this.ends[t[lo]!]!, this.ends[t[hi - (1 << k)]!]!);
  }

  /** Another passage shares at least one character with `p`. */
  overlaps(p: Span): boolean {
    return this.greatestEnd(bound(this.starts, p.end), p.id) > p.start;
  }

  /** Another passage lies inside `p` (its ends within p's). */
  contains(p: Span): boolean {
    const lo = bound(this.starts, p.start);
    const hi = bound(this.starts, p.end);
    const self = this.indexOf.get(p.id);
    if (self !== undefined && self >= lo && self < hi) return Math.min(this.leastEnd(lo, self), this.leastEnd(self + 1, hi)) <= p.end;
    return this.leastEnd(lo, hi) <= p.end;
  }

  /** `p` lies inside another passage. */
  within(p: Span): boolean {
    return this.greatestEnd(bound(this.starts, p.start, true), p.id) >= p.end;
  }

  /** Another passage overlaps `p` or is at most `words` words away from it. */
  near(p: Span, words: number, starts: Int32Array): boolean {
    if (this.overlaps(p)) return true;
    const before = this.greatestEnd(bound(this.starts, p.start), p.id);
    if (before >= 0 && wordsIn(starts, before, p.start) <= words) return true;
    const next = bound(this.starts, p.end);
    // Entries from `next` on start at or after p's end: none of them is p.
    return next < this.starts.length && wordsIn(starts, p.end, this.starts[next]!) <= words;
  }
}
