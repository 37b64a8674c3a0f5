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

/** Folds `text` (see the module comment). Plain ASCII folds in one pass with no map. */
export function foldText(text: string, opts: FoldOptions = {}): FoldedText {
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(text)) {
    const spaced = text.replace(/\s/g, ' ');
    return { text: opts.caseSensitive ? spaced : spaced.toLowerCase(), map: null };
  }
  const parts: string[] = [];
  const map: number[] = [];
  let same = true;
  for (let i = 0; i < text.length; ) {
    const code = text.charCodeAt(i);
    const width = code >= 0xd800 && code <= 0xdbff && i + 1 < text.length ? 2 : 1;
    const ch = text.slice(i, i + width);
    let folded: string;
    if (code < 0x80) folded = code === 32 || (code >= 9 && code <= 13) ? ' ' : opts.caseSensitive ? ch : ch.toLowerCase();
    else if (/\s/.test(ch)) folded = ' ';
    else folded = foldChar(ch, opts);
    if (folded.length !== width) same = false;
    parts.push(folded);
    for (let k = 0; k < folded.length; k++) map.push(i);
    i += width;
  }
  map.push(text.length);
  return { text: parts.join(''), map: same ? null : Int32Array.from(map) };
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
