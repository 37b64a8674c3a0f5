import type { Code } from './model';

/**
 * The codebook as a tree: pure functions over the flat list of codes (hierarchy by `parentId`,
 * sibling order by position in the list), shared by main's commands and the UI's panel.
 */

/** The tree's shape: each code's children in sibling order (`null` = the top level). */
export function childrenOf(codes: readonly Code[]): Map<string | null, Code[]> {
  const ids = new Set(codes.map((c) => c.id));
  const children = new Map<string | null, Code[]>();
  for (const c of codes) {
    // A code whose parent is missing is shown at the top level rather than lost.
    const parent = c.parentId !== null && ids.has(c.parentId) ? c.parentId : null;
    let list = children.get(parent);
    if (!list) children.set(parent, (list = []));
    list.push(c);
  }
  return children;
}

/** Every code below `id` (children, their children, …), parents before children. */
export function descendantsOf(codes: readonly Code[], id: string): Code[] {
  const children = childrenOf(codes);
  const out: Code[] = [];
  const seen = new Set<string>([id]);
  const walk = (parent: string): void => {
    for (const c of children.get(parent) ?? []) {
      if (seen.has(c.id)) continue;
      seen.add(c.id);
      out.push(c);
      walk(c.id);
    }
  };
  walk(id);
  return out;
}

/** Whether `id` is `ancestor` or lies below it. */
export function isWithin(codes: readonly Code[], id: string, ancestor: string): boolean {
  const byId = new Map(codes.map((c) => [c.id, c]));
  const seen = new Set<string>();
  for (let c = byId.get(id); c && !seen.has(c.id); c = c.parentId === null ? undefined : byId.get(c.parentId)) {
    if (c.id === ancestor) return true;
    seen.add(c.id);
  }
  return false;
}

/** One row of the tree as drawn: the code, its depth (0 = top level) and whether it has children. */
export interface TreeRow {
  code: Code;
  depth: number;
  hasChildren: boolean;
  /** The row's place among its siblings (1-based) and their number, for assistive technology. */
  position: number;
  siblings: number;
}

/**
 * The tree in reading order (parents before children, siblings in order), leaving out the
 * children of collapsed codes. A cycle of parents (damage) cannot loop: each code is drawn once.
 */
export function treeRows(codes: readonly Code[], collapsed: ReadonlySet<string> = new Set()): TreeRow[] {
  const children = childrenOf(codes);
  const rows: TreeRow[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | null, depth: number): void => {
    const list = (children.get(parent) ?? []).filter((c) => !seen.has(c.id));
    list.forEach((code, i) => {
      seen.add(code.id);
      const kids = children.get(code.id) ?? [];
      rows.push({ code, depth, hasChildren: kids.length > 0, position: i + 1, siblings: list.length });
      if (!collapsed.has(code.id)) walk(code.id, depth + 1);
    });
  };
  walk(null, 0);
  return rows;
}

/** How names are compared for clashes: Unicode-normalised, trimmed, case-folded. */
export function nameKey(name: string): string {
  return name.normalize('NFC').trim().toLocaleLowerCase('und');
}

/** A code name as stored: NFC, trimmed, inner runs of white space made one space. */
export function cleanName(name: string): string {
  return name.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** The longest code name accepted. */
export const CODE_NAME_MAX = 200;

/** Why `name` cannot name a code (a sentence), or null when it can. */
export function nameProblem(name: string): string | null {
  const clean = cleanName(name);
  if (clean === '') return 'A code needs a name.';
  if (clean.length > CODE_NAME_MAX) return `A code's name can be at most ${CODE_NAME_MAX} characters long.`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(clean)) return 'A code name cannot hold control characters.';
  return null;
}

/** The sibling of `exceptId` under `parentId` already named like `name`, if any. */
export function siblingNamed(codes: readonly Code[], parentId: string | null, name: string, exceptId?: string): Code | undefined {
  const key = nameKey(name);
  return codes.find((c) => c.parentId === parentId && c.id !== exceptId && nameKey(c.name) === key);
}

/**
 * A palette of 24 clearly distinguishable colours for highlights and stripes on white. Chosen by
 * maximin over the sRGB gamut in OKLCH (each added colour the farthest, by CIEDE2000, from those
 * already in), among colours with at least 1.9:1 contrast against white so that a stripe or an
 * underline shows, and no grey (grey stands for a code Gloss does not know): any two differ by
 * ΔE00 ≥ 16 (a just-noticeable difference is about 2; the previous palette had two reds 3.1
 * apart). The order is the order of choice, so the first colours a codebook takes are the most
 * distinct from one another. The unit test measures it.
 */
export const CODE_PALETTE: readonly string[] = [
  '#d62728', '#21cd36', '#37a8ec', '#3b04d5', '#4d5217', '#f485fe', '#e8ab3e', '#147174',
  '#8c5c80', '#e6a49f', '#54cec2', '#1364b0', '#996019', '#858d37', '#8a8cc2', '#f83b8c',
  '#733a37', '#f0772d', '#039256', '#b624da', '#4b4576', '#abc189', '#8c0553', '#b17564',
];

/** A colour for a new code: the first palette colour no code uses yet, else the least used one. */
export function nextColor(codes: readonly Code[]): string {
  return colorPicker(codes)();
}

/**
 * Colours for several new codes in a row (an import): each call gives the palette colour least
 * used so far, counting the ones it gave. The codes are read once.
 */
export function colorPicker(codes: readonly Code[]): () => string {
  const uses = new Map<string, number>(CODE_PALETTE.map((c) => [c, 0]));
  for (const c of codes) {
    const k = c.color.toLowerCase();
    if (uses.has(k)) uses.set(k, uses.get(k)! + 1);
  }
  return () => {
    let best = CODE_PALETTE[0]!;
    for (const [color, n] of uses) if (n < uses.get(best)!) best = color;
    uses.set(best, uses.get(best)! + 1);
    return best;
  };
}

/** The longest name (in UTF-16 units, as `nameProblem` counts) an in-vivo code is given; longer ones are cut, with “…”. */
export const IN_VIVO_NAME_MAX = 60;

/** Quotes, dashes and sentence punctuation (Latin and CJK) that a name does not start or end with. */
const EDGE_MARKS = /^[\s\p{Pi}\p{Pf}\p{Pd}"'`´„‚「」『』〝〞＂＇.,;:!?…¡¿·•。、，；：！？．]+|[\s\p{Pi}\p{Pf}\p{Pd}"'`´„‚「」『』〝〞＂＇.,;:!?…¡¿·•。、，；：！？．]+$/gu;
const BRACKETS: readonly (readonly [string, string])[] = [['(', ')'], ['[', ']'], ['{', '}'], ['（', '）'], ['【', '】']];

/** Where the bracket at `from` is closed (or, read backwards, opened); -1 when never. */
function matching(s: string, from: number, open: string, close: string, step: 1 | -1): number {
  let depth = 0;
  for (let i = from; i >= 0 && i < s.length; i += step) {
    if (s[i] === (step === 1 ? open : close)) depth++;
    else if (s[i] === (step === 1 ? close : open) && --depth === 0) return i;
  }
  return -1;
}

/**
 * `s` without the quotes and punctuation around it, nor brackets that enclose all of it or that
 * the selection cut off from their partner ("(laughs) we left" keeps its brackets).
 */
function trimEdges(s: string): string {
  for (;;) {
    s = s.replace(EDGE_MARKS, '');
    const first = BRACKETS.find(([open]) => s.startsWith(open));
    const last = BRACKETS.find(([, close]) => s.endsWith(close));
    if (first && matching(s, 0, first[0], first[1], 1) === s.length - 1) s = s.slice(1, -1);
    else if (first && matching(s, 0, first[0], first[1], 1) < 0) s = s.slice(1);
    else if (last && matching(s, s.length - 1, last[0], last[1], -1) < 0) s = s.slice(0, -1);
    else return s;
  }
}

let words: Intl.Segmenter | null | undefined;
let graphemes: Intl.Segmenter | null | undefined;
const segmenter = (granularity: 'word' | 'grapheme'): Intl.Segmenter | null =>
  typeof Intl !== 'undefined' && 'Segmenter' in Intl ? new Intl.Segmenter(undefined, { granularity }) : null;

/** The end of the last whole word of `s` that ends at or before `limit` (0 when even the first word is longer). */
function wordCut(s: string, limit: number): number {
  if (words === undefined) words = segmenter('word');
  let cut = 0;
  if (!words) {
    for (let i = s.indexOf(' '); i >= 0 && i <= limit; i = s.indexOf(' ', i + 1)) cut = i;
    return cut;
  }
  for (const w of words.segment(s)) {
    const end = w.index + w.segment.length;
    if (end > limit) break;
    if (w.isWordLike) cut = end;
  }
  return cut;
}

/** The last grapheme-cluster boundary of `s` at or before `limit`: an emoji, flag or accented letter is never split. */
function graphemeCut(s: string, limit: number): number {
  // Off the middle of a surrogate pair, at least; a cluster longer than `limit` (Zalgo text) is cut there.
  const codePoint = /[\uDC00-\uDFFF]/.test(s[limit] ?? '') ? limit - 1 : limit;
  if (graphemes === undefined) graphemes = segmenter('grapheme');
  if (!graphemes) return codePoint;
  let cut = 0;
  for (const g of graphemes.segment(s)) {
    const end = g.index + g.segment.length;
    if (end > limit) break;
    cut = end;
  }
  return cut || codePoint;
}

/**
 * The name of an in-vivo code made from `text`, the words of a passage: white space made single
 * spaces, the quotes and punctuation around it taken off, and a name longer than `max` cut after
 * its last whole word that fits (inside the word only when the first word alone is too long),
 * with “…”. Empty when the text holds nothing but punctuation and spaces.
 */
export function inVivoName(text: string, max = IN_VIVO_NAME_MAX): string {
  // eslint-disable-next-line no-control-regex
  const name = trimEdges(text.normalize('NFC').replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, ' '));
  if (name.length <= max) return name;
  const room = max - 1;
  const cut = wordCut(name, room) || graphemeCut(name, room);
  return `${trimEdges(name.slice(0, cut))}…`;
}
