/**
 * A PDF page's text runs to lines in reading order. A PDF says where each run of glyphs goes,
 * not which line or column it belongs to, so the lines are rebuilt from geometry:
 *
 * 1. Runs that follow each other in the file on one baseline, moving rightwards with no more than
 *    a small gap, are one *fragment* (a line, or a piece of one).
 * 2. Columns: the page is split at a *gutter*, a vertical strip that the fragments of at least
 *    three lines on either side stay out of, side by side and filling their column (see
 *    `findGutter`). Fragments crossing the gutter (a title, a lead paragraph, a footer) cut the
 *    page into bands; each band is read left column, then right column, and each side is split
 *    again if it has a gutter of its own (three columns and more).
 * 3. Rows: within a column, fragments whose baselines agree are one line, read left to right
 *    (right to left when most of its text is), with a space where the gap is a word space.
 *    Columns are read left to right whatever the script: a right-to-left page in columns would
 *    need its columns read from the right, which is not done.
 *
 * Every measure is relative to the font size, so the rules hold at any size and zoom.
 */

/** One run of text as the PDF draws it (a pdfjs text item), in page space: points, y upwards. */
export interface TextRun {
  text: string;
  /** Where its baseline starts. */
  x: number;
  y: number;
  /** Its advance along the baseline. */
  width: number;
  /** Its font size on the page. */
  size: number;
  /** Right-to-left script (pdfjs's `dir`). */
  rtl?: boolean;
}

/** A line of text as read. */
export interface Line {
  text: string;
  /** Left and right end. */
  x0: number;
  x1: number;
  /** Baseline. */
  y: number;
  /** Font size of most of its text. */
  size: number;
  /**
   * Which column of its page it is in: the path of splits, '' for the full width, 'L' or 'R' for
   * the left or right of the first gutter, 'LR' for the right of a gutter within the left, …
   */
  column: string;
  /** Most of its text is right-to-left (Arabic, Hebrew): it starts at the right. */
  rtl?: boolean;
}

/** Baselines closer than this (× font size) are one line: superscripts and subscripts stay in it. */
const BASELINE_TOLERANCE = 0.5;
/** A run may start this far (× font size) left of the previous one's end and still follow it (kerning, overprinting). */
const OVERLAP_TOLERANCE = 0.3;
/**
 * Runs further apart than this (× font size) are separate fragments, joined into a line only
 * within a column. Word spaces come as runs of their own or are far narrower; a program that
 * writes two columns line by line, across the gutter, leaves at least this much between them.
 */
const FRAGMENT_GAP = 1;
/** A gap wider than this (× font size) between two runs of a line is a word space (a word space is 0.2–0.35 em; kerning within a word stays under 0.1). */
const SPACE_GAP = 0.15;
/** Each column is at least this share of the region's width, so a ragged right edge is not a gutter. */
const MIN_COLUMN_SHARE = 0.2;
/** A gutter is at least this wide (× the median font size); word spaces are narrower. */
const MIN_GUTTER = 0.8;
/** A gutter is at most this share of the narrower column's width: wider gaps are between the cells of a table. */
const MAX_GUTTER = 0.5;
/** A column has at least this many lines, and this many lie beside the other column. */
const MIN_COLUMN_LINES = 3;
/** At most this share of the fragments may cross a gutter (titles, abstracts, footers). */
const MAX_SPANNING_SHARE = 0.5;
/**
 * The median line of a column fills at least this share of its width. Columns of running text
 * do (justified ≈ 1, ragged right ≈ 0.85); the columns of a table of short cells do not, and are
 * read row by row instead.
 */
const COLUMN_FILL = 0.7;
/** Columns within columns at most this deep. */
const MAX_SPLITS = 4;

interface Fragment {
  runs: TextRun[];
  x0: number;
  x1: number;
  y: number;
  size: number;
}

/** A page's lines in reading order. */
export function pageLines(runs: readonly TextRun[]): Line[] {
  return orderRegion(fragments(runs), '', 0);
}

function usable(run: TextRun): boolean {
  return run.text !== '' && [run.x, run.y, run.width, run.size].every(Number.isFinite) && run.size > 0 && run.width >= 0;
}

/** Step 1: consecutive runs along one baseline. Blank runs (spaces) only ever extend a fragment. */
function fragments(runs: readonly TextRun[]): Fragment[] {
  const out: Fragment[] = [];
  let cur: Fragment | null = null;
  for (const run of runs) {
    if (!usable(run)) continue;
    const blank = run.text.trim() === '';
    if (cur && follows(cur, run)) {
      cur.runs.push(run);
      cur.x1 = Math.max(cur.x1, run.x + run.width);
      if (!blank && run.size > cur.size) cur.size = run.size;
      continue;
    }
    if (blank) continue;
    cur = { runs: [run], x0: run.x, x1: run.x + run.width, y: run.y, size: run.size };
    out.push(cur);
  }
  return out;
}

function follows(f: Fragment, run: TextRun): boolean {
  const size = Math.min(f.size, run.size);
  return Math.abs(run.y - f.y) <= BASELINE_TOLERANCE * size && run.x >= f.x1 - OVERLAP_TOLERANCE * size && run.x - f.x1 <= FRAGMENT_GAP * size;
}

/** Steps 2 and 3 for one region of a page (the whole page, a column, a band of a column). */
function orderRegion(frags: Fragment[], column: string, depth: number): Line[] {
  const split = depth < MAX_SPLITS ? findGutter(frags) : null;
  if (!split) return rows(frags).map((row) => lineOf(row, column));
  const spanning = split.spanning.sort((a, b) => b.y - a.y);
  // Band i holds the column fragments below i spanning fragments.
  const bands = Array.from({ length: spanning.length + 1 }, () => ({ left: [] as Fragment[], right: [] as Fragment[] }));
  const bandOf = (y: number): number => {
    let lo = 0;
    let hi = spanning.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (spanning[mid]!.y > y) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  for (const f of split.left) bands[bandOf(f.y)]!.left.push(f);
  for (const f of split.right) bands[bandOf(f.y)]!.right.push(f);
  const out: Line[] = [];
  // A loop, not push(...lines): a hostile page may hold more lines than a call takes arguments.
  const append = (lines: Line[]): void => {
    for (const l of lines) out.push(l);
  };
  let across: Fragment[] = [];
  bands.forEach((band, i) => {
    if (band.left.length || band.right.length) {
      append(rows(across).map((row) => lineOf(row, column)));
      append(orderRegion(band.left, `${column}L`, depth + 1));
      append(orderRegion(band.right, `${column}R`, depth + 1));
      across = [];
    }
    if (i < spanning.length) across.push(spanning[i]!);
  });
  append(rows(across).map((row) => lineOf(row, column)));
  return out;
}

interface Split {
  left: Fragment[];
  right: Fragment[];
  spanning: Fragment[];
}

/**
 * The gutter of a region, if it has columns: the widest vertical strip in its middle that the
 * fewest fragments cross, accepted only if (a) it is wider than a word space, (b) at most half
 * of the fragments cross it, (c) each side has at least three lines and at least three of each
 * side's lines lie within the height of the other side's, (d) the gap between the sides is
 * narrower than half of either, and (e) each side's median line fills most of its column (see
 * COLUMN_FILL).
 */
function findGutter(frags: Fragment[]): Split | null {
  if (frags.length < 2 * MIN_COLUMN_LINES) return null;
  const minX = minOf(frags, (f) => f.x0);
  const maxX = maxOf(frags, (f) => f.x1);
  const from = minX + MIN_COLUMN_SHARE * (maxX - minX);
  const to = maxX - MIN_COLUMN_SHARE * (maxX - minX);
  const strip = leastCoveredStrip(frags, from, to);
  if (!strip || strip.count > MAX_SPANNING_SHARE * frags.length) return null;
  if (strip.right - strip.left < MIN_GUTTER * median(frags.map((f) => f.size))) return null;
  const split: Split = { left: [], right: [], spanning: [] };
  for (const f of frags) {
    if (f.x1 <= strip.left) split.left.push(f);
    else if (f.x0 >= strip.right) split.right.push(f);
    else split.spanning.push(f);
  }
  const left = rows(split.left).map((r) => lineOf(r, ''));
  const right = rows(split.right).map((r) => lineOf(r, ''));
  if (left.length < MIN_COLUMN_LINES || right.length < MIN_COLUMN_LINES) return null;
  const gutter = minOf(right, (l) => l.x0) - maxOf(left, (l) => l.x1);
  if (gutter > MAX_GUTTER * Math.min(maxOf(left, (l) => l.x1) - minX, maxX - minOf(right, (l) => l.x0))) return null;
  if (beside(left, right) < MIN_COLUMN_LINES || beside(right, left) < MIN_COLUMN_LINES) return null;
  if (!fills(left) || !fills(right)) return null;
  return split;
}

/** The widest strip within [from, to] crossed by the fewest fragments (a sweep over their ends). */
function leastCoveredStrip(frags: Fragment[], from: number, to: number): { left: number; right: number; count: number } | null {
  if (!(to > from)) return null;
  const edges: [number, number][] = [];
  for (const f of frags) edges.push([f.x0, 1], [f.x1, -1]);
  // Ends before starts at one x, so that touching fragments leave no hole between them.
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let count = 0;
  let best: { left: number; right: number; count: number } | null = null;
  let runStart = from;
  let runCount = Infinity;
  const close = (at: number): void => {
    const right = Math.min(at, to);
    if (right > runStart && (best === null || runCount < best.count || (runCount === best.count && right - runStart > best.right - best.left))) {
      best = { left: runStart, right, count: runCount };
    }
  };
  let i = 0;
  while (i < edges.length && edges[i]![0] <= from) count += edges[i++]![1];
  runCount = count;
  for (; i < edges.length && edges[i]![0] < to; i++) {
    const [x, d] = edges[i]!;
    const next = count + d;
    if (next !== count) {
      close(x);
      runStart = x;
      runCount = next;
    }
    count = next;
  }
  close(to);
  return best;
}

/** How many of `lines` lie within the height of `other` (between its top and bottom baselines). */
function beside(lines: Line[], other: Line[]): number {
  const top = maxOf(other, (l) => l.y + l.size / 2);
  const bottom = minOf(other, (l) => l.y - l.size / 2);
  return lines.filter((l) => l.y <= top && l.y >= bottom).length;
}

function fills(lines: Line[]): boolean {
  const left = minOf(lines, (l) => l.x0);
  const right = maxOf(lines, (l) => l.x1);
  return median(lines.map((l) => l.x1 - l.x0)) >= COLUMN_FILL * (right - left);
}

/** Step 3: fragments grouped by baseline, top to bottom, each row left to right. */
function rows(frags: Fragment[]): Fragment[][] {
  const sorted = [...frags].sort((a, b) => b.y - a.y || a.x0 - b.x0);
  const out: Fragment[][] = [];
  let row: Fragment[] = [];
  // The baseline of the row's largest text, so a superscript that comes first does not lead it astray.
  let anchor: Fragment | null = null;
  for (const f of sorted) {
    if (anchor && Math.abs(anchor.y - f.y) <= BASELINE_TOLERANCE * Math.max(anchor.size, f.size)) {
      row.push(f);
      if (f.size > anchor.size) anchor = f;
      continue;
    }
    if (row.length) out.push(row);
    row = [f];
    anchor = f;
  }
  if (row.length) out.push(row);
  return out;
}

function lineOf(row: Fragment[], column: string): Line {
  const runs = row.flatMap((f) => f.runs);
  let rtl = 0;
  let ltr = 0;
  for (const r of runs) {
    if (r.text.trim() === '') continue;
    if (r.rtl) rtl += r.text.length;
    else ltr += r.text.length;
  }
  // Runs by position, not fragment by fragment: right-to-left text is written leftwards.
  const ordered = rtl > ltr ? [...runs].sort((a, b) => b.x + b.width - (a.x + a.width)) : [...runs].sort((a, b) => a.x - b.x);
  let text = '';
  let prev: TextRun | null = null;
  const sizes = new Map<number, number>();
  for (const run of ordered) {
    if (prev && isDuplicate(prev, run)) continue;
    if (prev && needsSpace(prev, run, rtl > ltr)) text += ' ';
    text += run.text;
    prev = run;
    sizes.set(run.size, (sizes.get(run.size) ?? 0) + run.text.trim().length);
  }
  const size = [...sizes].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0] ?? row[0]!.size;
  const main = row.find((f) => f.size === size) ?? row[0]!;
  return {
    text: text.replace(/\s+/g, ' ').trim(),
    x0: minOf(row, (f) => f.x0),
    x1: maxOf(row, (f) => f.x1),
    y: main.y,
    size,
    column,
    ...(rtl > ltr ? { rtl: true } : {}),
  };
}

function needsSpace(prev: TextRun, next: TextRun, rtl: boolean): boolean {
  if (/\s$/.test(prev.text) || /^\s/.test(next.text)) return false;
  const gap = rtl ? prev.x - (next.x + next.width) : next.x - (prev.x + prev.width);
  return gap > SPACE_GAP * Math.min(prev.size, next.size);
}

/** The same text drawn again a hair's breadth away: how some programs make bold type. */
function isDuplicate(prev: TextRun, run: TextRun): boolean {
  return run.text === prev.text && run.text.trim() !== '' && Math.abs(run.x - prev.x) < 0.1 * run.size && Math.abs(run.y - prev.y) < 0.1 * run.size;
}

function median(values: number[]): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

// Loops, not Math.min(...values): a hostile page may hold more runs than a call takes arguments.
function minOf<T>(items: readonly T[], value: (item: T) => number): number {
  let m = Infinity;
  for (const item of items) m = Math.min(m, value(item));
  return m;
}

function maxOf<T>(items: readonly T[], value: (item: T) => number): number {
  let m = -Infinity;
  for (const item of items) m = Math.max(m, value(item));
  return m;
}
