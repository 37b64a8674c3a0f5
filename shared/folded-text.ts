/**
 * A text folded for searching, with the way back: each code unit of the folded text knows the
 * offset in the original it came from, so that a match found in "pyongyang" highlights
 * "Pyŏngyang" in the article. Folding is per character, so a match never starts or ends inside
 * a character of the original.
 *
 * - Case: upper- then lower-casing, per character, approximates Unicode full case folding
 *   ("ß" and "SS" both become "ss"; "Σ" and "ς" both "σ").
 * - Diacritics: compatibility decomposition with the non-spacing marks dropped ("ŏ" → "o",
 *   "ﬁ" → "fi"). Hangul syllables are left whole: they decompose into jamo, which no reader
 *   types, and their decomposition is not a diacritic.
 * - Any white space is one space, so a search for "two words" matches across a line break.
 */

export interface FoldOptions {
  /** Keep upper and lower case apart. */
  caseSensitive?: boolean;
  /** Keep letters with diacritics apart from those without. */
  diacriticSensitive?: boolean;
}

export interface FoldedText {
  text: string;
  /** The original offset of each folded code unit, and one past the end; null when they are the same. */
  map: Int32Array | null;
}

const HANGUL = /[\uac00-\ud7a3]/;
const MARKS = /\p{Mn}/gu;

function foldChar(ch: string, opts: FoldOptions): string {
  let out = ch;
  if (!opts.diacriticSensitive && !HANGUL.test(ch)) out = out.normalize('NFKD').replace(MARKS, '');
  if (!opts.caseSensitive) out = out.toUpperCase().toLowerCase();
  return out;
}

/** What each ASCII character folds to, by code (white space to a space; lower case unless case counts). */
const ASCII_FOLDS = [false, true].map((caseSensitive) =>
  Uint16Array.from({ length: 128 }, (_, c) => (c === 32 || (c >= 9 && c <= 13) ? 32 : !caseSensitive && c >= 65 && c <= 90 ? c + 32 : c)),
);

/** Code units turned into a string a slice at a time (an argument list has a length limit; 4096 measured fastest). */
function unitsToString(units: Uint16Array): string {
  const parts: string[] = [];
  for (let i = 0; i < units.length; i += 4096) parts.push(String.fromCharCode.apply(null, units.subarray(i, i + 4096) as unknown as number[]));
  return parts.join('');
}

/** Folds `text` (see the module comment). Plain ASCII folds in one pass with no map. */
export function foldText(text: string, opts: FoldOptions = {}): FoldedText {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) {
    const spaced = text.replace(/\s/g, ' ');
    return { text: opts.caseSensitive ? spaced : spaced.toLowerCase(), map: null };
  }
  // One pass over code units into typed arrays: ASCII through a table, each other character
  // folded once per call (a text repeats few of them: curly quotes, dashes, accented letters).
  // A 5 MB article folds in tens of milliseconds, not the half second that building a string
  // per character takes, so Find's first search does not stall the window.
  const ascii = ASCII_FOLDS[opts.caseSensitive ? 1 : 0]!;
  const folds = new Map<string, string>();
  let out: Uint16Array = new Uint16Array(text.length + 16);
  let map: Int32Array = new Int32Array(text.length + 17);
  let n = 0;
  let same = true;
  for (let i = 0; i < text.length; ) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      if (n >= out.length) [out, map] = wider(out, map, n, 1);
      out[n] = ascii[code]!;
      map[n++] = i++;
      continue;
    }
    const width = code >= 0xd800 && code <= 0xdbff && i + 1 < text.length ? 2 : 1;
    const ch = text.slice(i, i + width);
    let folded = folds.get(ch);
    if (folded === undefined) {
      folded = /\s/.test(ch) ? ' ' : foldChar(ch, opts);
      folds.set(ch, folded);
    }
    if (folded.length !== width) same = false;
    if (n + folded.length > out.length) [out, map] = wider(out, map, n, folded.length);
    for (let k = 0; k < folded.length; k++) {
      out[n] = folded.charCodeAt(k);
      map[n++] = i;
    }
    i += width;
  }
  map[n] = text.length;
  return { text: unitsToString(out.subarray(0, n)), map: same ? null : map.slice(0, n + 1) };
}

/** The folded text's buffers, grown to take `extra` more units after the first `n`. */
function wider(out: Uint16Array, map: Int32Array, n: number, extra: number): [Uint16Array, Int32Array] {
  const size = Math.max(out.length * 2, n + extra + 16);
  const o = new Uint16Array(size);
  o.set(out.subarray(0, n));
  const m = new Int32Array(size + 1);
  m.set(map.subarray(0, n));
  return [o, m];
}

/**
 * Folded text with runs of spaces made one, for `includes` tests where no offset is wanted
 * (the query language's words, names and values).
 */
export function fold(s: string, opts: FoldOptions = {}): string {
  return foldText(s, opts).text.replace(/ {2,}/g, ' ');
}

/** Folds what the user typed to search for. */
export function foldNeedle(needle: string, opts: FoldOptions = {}): string {
  return fold(needle.trim(), opts);
}

/** The original range of the folded range [start, end), widened to whole characters of the original. */
export function originalRange(f: FoldedText, start: number, end: number): { start: number; end: number } {
  const map = f.map;
  if (!map) return { start, end };
  // Ending inside one character's folding ("s" of the "ss" from "ß") ends after that character.
  let k = end;
  while (k < map.length - 1 && map[k] === map[end - 1]) k++;
  return { start: map[start]!, end: map[k]! };
}
