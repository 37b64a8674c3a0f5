import type { Block } from '../../../shared/model';
import type { Line } from './pdf-lines';

/**
 * A PDF's lines (per page, in reading order) to the viewer's blocks:
 *
 * - **Running heads and feet.** A line among the two topmost or two lowest of its page whose text,
 *   with numbers counted alike ("Page 3 of 9" = "Page 4 of 9"), stands at the same height on
 *   half of the pages or on three (two at least) is a running header, footer or page number, and
 *   is left out.
 * - **Headings.** A line whose font is clearly larger than the body's (the size most of the text
 *   is set in) is a heading, if the text in such sizes is a small share of the whole; the larger
 *   the size, the higher the level (the largest is level 1).
 * - **Paragraphs.** A line continues the paragraph above it unless (1) its size or its direction
 *   (left-to-right or right-to-left, whose lines are measured from the right) differs, (2) the
 *   gap between their baselines is clearly more than the usual line spacing, (3) it is indented
 *   (or the paragraph was, and it is not) while the line above ends a sentence or ends short, or
 *   (4) the line above ended short — the first word of this one would have fitted on it — and
 *   ended a sentence (or is very short), (5) it starts with a bullet or an item number and the
 *   line above ended short or ended a sentence, or (6) the line above ends in dot leaders and a
 *   page number (a table of contents). At the foot of a column or page the paragraph goes on
 *   at the head of the next unless that line is indented or rule 4 says it ended.
 * - **Joining lines.** A soft hyphen at a line's end is dropped. A hyphen after a letter with a
 *   lowercase letter next is a word broken in two ("repres-" "sion" → "repression"), unless the
 *   document writes the same pair hyphenated within a line elsewhere ("well-known"). Before a
 *   capital or a digit the hyphen is the word's own and stays ("North-" "Korean" →
 *   "North-Korean"): hyphenation never splits a word before a capital. A dash or slash at the end
 *   joins without a space, as do two Chinese or Japanese characters; anything else gets a space.
 */

/** The blocks, the page (1-based) each top-level block starts on, and how many running lines were left out. */
export interface LaidOut {
  blocks: Block[];
  pages: number[];
  dropped: number;
}

/** A line is a heading when its font is at least this much larger than the body's. */
const HEADING_RATIO = 1.15;
/**
 * Text in heading sizes is at most this share of all text, or comes in runs of at most this many
 * lines on average; a larger size holding more, in longer runs, is a second body size.
 */
const HEADING_SHARE = 0.2;
const HEADING_RUN = 2;
/** Longer lines are never headings: a large-type paragraph is still a paragraph. */
const HEADING_MAX_CHARS = 200;
/** A heading of more lines than this is a large-type paragraph. */
const HEADING_MAX_LINES = 4;
/** Sizes differing by more than this share are different kinds of text (body, footnote, caption). */
const SIZE_TOLERANCE = 0.08;
/**
 * A baseline gap this many times the usual spacing is a paragraph break. Spacing between
 * paragraphs is at least a third of a line in practice (half an em in a browser's default, 1.33);
 * within a paragraph an inline glyph of another font may stretch a line by a tenth or so.
 */
const PARAGRAPH_GAP = 1.25;
/** The spacing assumed for a size that has no two consecutive lines to measure (× font size). */
const DEFAULT_SPACING = 1.2;
/** A line starting this much (× font size) right of the one above is indented: first-line indents are 1–3 em. */
const INDENT = 0.8;
/** A word space, for judging whether a word would have fitted (× font size). */
const WORD_SPACE = 0.25;
/** Extra room (× font size) needed before a line counts as ended short, for estimates of word widths. */
const ROOM_SLACK = 0.5;
/** A line ending this share of its column short has ended, sentence or not (a heading in body type, an address). */
const LONG_ROOM = 1 / 3;
/** How many lines at the top and at the foot of a page may be running heads and feet. */
const MARGIN_LINES = 2;
/**
 * A running line is on half of the pages, or on three at least: a book's running head names its
 * chapter, so each is on that chapter's pages only.
 */
const RUNNING_SHARE = 0.5;
const RUNNING_PAGES = 3;
/** Running lines on different pages stand this close in height (× font size). */
const RUNNING_Y_TOLERANCE = 0.5;
/** Column edges: the left edge is where most lines start, the right edge where nearly all end. */
const LEFT_PERCENTILE = 0.2;
const RIGHT_PERCENTILE = 0.9;
/** A column with fewer lines on a page takes its edges from the same column on every page. */
const MIN_EDGE_LINES = 4;

interface Entry {
  line: Line;
  page: number;
  /** Heading level, 0 for body text. */
  level: number;
}

interface Edges {
  left: number;
  right: number;
}

/** Lays out the lines of every page (`pages[i]` is page i + 1) as blocks; see the module comment. */
export function pagesToBlocks(pages: readonly Line[][]): LaidOut {
  const kept = dropRunningLines(pages);
  const levels = headingLevels(kept.pages.flat());
  const entries: Entry[] = [];
  kept.pages.forEach((lines, i) => {
    for (const line of lines) if (line.text !== '') entries.push({ line: line.rtl ? mirrored(line) : line, page: i + 1, level: levels(line) });
  });
  const spacing = lineSpacing(entries);
  const edges = columnEdges(entries);
  const compounds = hyphenatedPairs(entries);

  const blocks: Block[] = [];
  const starts: number[] = [];
  // The block's lines so far, each after what joins it to the one before: joined once, at the end.
  let cur: { first: Entry; last: Entry; parts: string[] } | null = null;
  const flush = (): void => {
    if (!cur) return;
    const { first, parts } = cur;
    const lines = parts.length;
    // Soft hyphens left inside lines are invisible, and would only stand between a search and its word.
    const text = parts.join('').replace(/\u00ad/g, '').normalize('NFC');
    const level = first.level > 0 && lines <= HEADING_MAX_LINES ? (first.level as 1 | 2 | 3 | 4 | 5 | 6) : 0;
    cur = null;
    if (text.trim() === '') return;
    blocks.push(level ? { type: 'heading', level, text } : { type: 'paragraph', text });
    starts.push(first.page);
  };
  for (const e of entries) {
    if (cur && continues(cur.last, e, cur.parts.length, spacing, edges)) {
      const { cut, glue } = joint(cur.last.line.text, e.line.text, compounds);
      const prev = cur.parts[cur.parts.length - 1]!;
      cur.parts[cur.parts.length - 1] = prev.slice(0, prev.length - cut);
      cur.parts.push(glue + e.line.text);
      cur.last = e;
      continue;
    }
    flush();
    cur = { first: e, last: e, parts: [e.line.text] };
  }
  flush();
  return { blocks, pages: starts, dropped: kept.dropped };
}

/**
 * A right-to-left line seen in a mirror (x → −x), so that where it starts and ends, its indent
 * and the room left at its end mean the same as in left-to-right text.
 */
function mirrored(line: Line): Line {
  return { ...line, x0: -line.x1, x1: -line.x0 };
}

function roundSize(size: number): number {
  return Math.round(size * 2) / 2;
}

/** Running heads, feet and page numbers left out (see the module comment). */
function dropRunningLines(pages: readonly Line[][]): { pages: Line[][]; dropped: number } {
  const used = pages.filter((p) => p.length > 0).length;
  const needed = Math.max(2, Math.min(RUNNING_PAGES, Math.ceil(RUNNING_SHARE * used)));
  const byKey = new Map<string, { page: number; line: Line }[]>();
  pages.forEach((lines, page) => {
    const byHeight = [...lines].sort((a, b) => b.y - a.y);
    const margin = new Set([...byHeight.slice(0, MARGIN_LINES), ...byHeight.slice(-MARGIN_LINES)]);
    for (const line of margin) {
      if (line.text === '') continue;
      const key = runningKey(line.text);
      push(byKey, key, { page, line });
    }
  });
  const drop = new Set<Line>();
  for (const found of byKey.values()) {
    if (found.length < needed) continue;
    found.sort((a, b) => a.line.y - b.line.y);
    // Clusters of equal height: the same line in the same place on many pages.
    let cluster: typeof found = [];
    const close = (): void => {
      if (new Set(cluster.map((f) => f.page)).size >= needed) for (const f of cluster) drop.add(f.line);
    };
    for (const f of found) {
      const prev = cluster[cluster.length - 1];
      if (prev && f.line.y - prev.line.y > RUNNING_Y_TOLERANCE * f.line.size) {
        close();
        cluster = [];
      }
      cluster.push(f);
    }
    close();
  }
  return { pages: pages.map((lines) => lines.filter((l) => !drop.has(l))), dropped: drop.size };
}

/** A line's text with its numbers counted alike (digits, or a lone roman numeral up to xxxix, as front matter has). */
function runningKey(text: string): string {
  const t = text.toLowerCase().replace(/\s+/g, ' ').trim();
  return t !== '' && /^x{0,3}(?:ix|iv|v?i{0,3})$/.test(t) ? '#' : t.replace(/\d+/g, '#');
}

/**
 * Heading level of a line (0 for body text). The body's size is the one most of the text is set
 * in; heading sizes are those clearly larger, taken from the largest down while the text set in
 * them stays a small share of the whole or comes in runs of a line or two, as headings do (a
 * specification whose XML examples, in small type, outweigh its prose must not make every line of
 * its prose a heading). A line ending in dot leaders is an entry of a table of contents, not a heading.
 */
function headingLevels(lines: readonly Line[]): (line: Line) => number {
  const chars = new Map<number, number>();
  const runs = new Map<number, { lines: number; runs: number }>();
  let total = 0;
  lines.forEach((l, i) => {
    const size = roundSize(l.size);
    chars.set(size, (chars.get(size) ?? 0) + l.text.length);
    total += l.text.length;
    const r = runs.get(size) ?? { lines: 0, runs: 0 };
    r.lines++;
    if (i === 0 || roundSize(lines[i - 1]!.size) !== size) r.runs++;
    runs.set(size, r);
  });
  const body = [...chars].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? 0;
  const sizes: number[] = [];
  let share = 0;
  for (const [size, n] of [...chars].sort((a, b) => b[0] - a[0])) {
    share += n;
    const r = runs.get(size)!;
    if (size < body * HEADING_RATIO || (share > HEADING_SHARE * total && r.lines > HEADING_RUN * r.runs)) break;
    sizes.push(size);
  }
  return (line) => {
    const rank = line.text.length <= HEADING_MAX_CHARS && !LEADERS.test(line.text) ? sizes.indexOf(roundSize(line.size)) : -1;
    return rank < 0 ? 0 : Math.min(6, rank + 1);
  };
}

/** The usual baseline spacing per size: the median gap between consecutive lines of that size in one column. */
function lineSpacing(entries: readonly Entry[]): (size: number) => number {
  const gaps = new Map<number, number[]>();
  for (let i = 1; i < entries.length; i++) {
    const p = entries[i - 1]!;
    const e = entries[i]!;
    if (p.page !== e.page || p.line.column !== e.line.column || roundSize(p.line.size) !== roundSize(e.line.size)) continue;
    const gap = p.line.y - e.line.y;
    if (gap > 0.5 * e.line.size && gap < 3 * e.line.size) push(gaps, roundSize(e.line.size), gap);
  }
  const usual = new Map([...gaps].map(([size, g]) => [size, percentile(g, 0.5)]));
  return (size) => usual.get(roundSize(size)) ?? DEFAULT_SPACING * size;
}

/** Where each column's text starts and ends, per page (or over the document, for a column with few lines on its page). */
function columnEdges(entries: readonly Entry[]): (e: Entry) => Edges {
  const byPage = new Map<string, Line[]>();
  const byColumn = new Map<string, Line[]>();
  // Right-to-left lines are mirrored (see `mirrored`), so they have edges of their own.
  const columnOf = (e: Entry): string => `${e.line.column}${e.line.rtl ? ':rtl' : ''}`;
  for (const e of entries) {
    if (e.level > 0) continue;
    push(byPage, `${e.page}:${columnOf(e)}`, e.line);
    push(byColumn, columnOf(e), e.line);
  }
  const edgesOf = (lines: Line[]): Edges => ({ left: percentile(lines.map((l) => l.x0), LEFT_PERCENTILE), right: percentile(lines.map((l) => l.x1), RIGHT_PERCENTILE) });
  const cache = new Map<string, Edges>();
  return (e) => {
    const key = `${e.page}:${columnOf(e)}`;
    let found = cache.get(key);
    if (!found) {
      const own = byPage.get(key) ?? [];
      const lines = own.length >= MIN_EDGE_LINES ? own : (byColumn.get(columnOf(e)) ?? own);
      found = lines.length ? edgesOf(lines) : { left: e.line.x0, right: e.line.x1 };
      cache.set(key, found);
    }
    return found;
  };
}

/** Whether `e` goes on the block whose last line is `p` (see the module comment). */
function continues(p: Entry, e: Entry, lines: number, spacing: (size: number) => number, edges: (e: Entry) => Edges): boolean {
  if (e.level !== p.level) return false;
  const above = p.line;
  const line = e.line;
  if (Math.abs(line.size - above.size) > SIZE_TOLERANCE * Math.max(line.size, above.size)) return false;
  if (!line.rtl !== !above.rtl) return false;
  const sameColumn = p.page === e.page && above.column === line.column && line.y < above.y;
  const tooFar = above.y - line.y > PARAGRAPH_GAP * spacing(above.size);
  if (e.level > 0) return sameColumn && !tooFar;
  const room = edges(p).right - above.x1;
  const need = firstWordWidth(line) + (WORD_SPACE + ROOM_SLACK) * line.size;
  const endsShort = !/[-\u2010\u2013\u2014\u00ad/]$/.test(above.text) && room >= need;
  const colWidth = edges(p).right - edges(p).left;
  if (endsShort && (endsSentence(above.text) || room >= LONG_ROOM * colWidth)) return false;
  if (LIST_ITEM.test(line.text) && (endsShort || endsSentence(above.text))) return false;
  if (LEADERS.test(above.text)) return false;
  const indent = INDENT * line.size;
  if (!sameColumn) return line.x0 - edges(e).left < indent;
  if (tooFar) return false;
  const ended = endsShort || endsSentence(above.text);
  if (line.x0 - above.x0 >= indent && ended) return false;
  if (above.x0 - line.x0 >= indent && lines > 1 && ended) return false;
  return true;
}

/** A bullet or an item number ("•", "–", "3.", "b)", "(iv)") and a space: the start of a list item. */
const LIST_ITEM = /^(?:[•◦▪▫●○■□‣⁃∙–—*-]|\(?(?:\d{1,3}|[a-z]|[ivx]{1,4})[.)])\s/u;

/** Dot leaders and a page number: an entry of a table of contents or an index, a line of its own. */
const LEADERS = /(?:\.\s?){4,}\s*(?:\d+|[ivxlc]+)$/i;

const SENTENCE_END = /[.!?…:。！？：][)\]"'»”’]*$/u;

function endsSentence(text: string): boolean {
  return SENTENCE_END.test(text);
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const CJK_END = new RegExp(`${CJK.source}$`, 'u');
const CJK_START = new RegExp(`^${CJK.source}`, 'u');

/** The width of a line's first word, estimated from its share of the line's characters (one character for Chinese or Japanese, which has no spaces). */
function firstWordWidth(line: Line): number {
  const chars = [...line.text];
  if (!chars.length) return 0;
  const first = CJK.test(chars[0]!) ? 1 : [...(line.text.split(' ')[0] ?? '')].length;
  return ((line.x1 - line.x0) * first) / chars.length;
}

/** Letter pairs the document hyphenates within a line ("well-known"), lowercased. */
function hyphenatedPairs(entries: readonly Entry[]): Set<string> {
  const pairs = new Set<string>();
  for (const { line } of entries) {
    for (const m of line.text.matchAll(/(\p{L}+)[-\u2010](?=(\p{L}+))/gu)) pairs.add(`${m[1]}-${m[2]}`.toLowerCase());
  }
  return pairs;
}

/** How a line joins the next: how many characters to cut off its end (a broken word's hyphen) and what goes between. */
function joint(line: string, next: string, compounds: ReadonlySet<string>): { cut: number; glue: string } {
  if (line.endsWith('\u00ad')) return { cut: 1, glue: '' };
  const broken = /(\p{L}+)[-\u2010]$/u.exec(line);
  if (broken) {
    if (!/^\p{Ll}/u.test(next)) return { cut: 0, glue: '' };
    const after = /^\p{L}+/u.exec(next)![0];
    return { cut: compounds.has(`${broken[1]}-${after}`.toLowerCase()) ? 0 : 1, glue: '' };
  }
  if (/\S[-\u2010\u2013\u2014/]$/u.test(line)) return { cut: 0, glue: '' };
  if (CJK_END.test(line) && CJK_START.test(next)) return { cut: 0, glue: '' };
  return { cut: 0, glue: ' ' };
}

/** Two lines joined (see the module comment); `compounds` are the pairs the document hyphenates within lines. */
export function joinLines(line: string, next: string, compounds: ReadonlySet<string> = new Set()): string {
  const { cut, glue } = joint(line, next, compounds);
  return line.slice(0, line.length - cut) + glue + next;
}

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
