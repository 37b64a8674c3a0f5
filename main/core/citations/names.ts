/**
 * Authors as the user typed them in a document's properties, read into CSL names, and back.
 *
 * The rule (there is no way to know which word of "Kim Jiyoung" is the family name):
 *  1. The list is split on ";" when there is one, otherwise on " and " and "&" (never inside
 *     braces). Names of two or more words joined by commas are a list too: "Jiyoung Kim, Chul
 *     Lee and Min Park", or three or more of them alone ("Jiyoung Kim, Chul Lee, Min Park").
 *  2. Within one name, a comma means "Family, Given" (and "Family, Given, Jr." for a suffix).
 *  3. Without a comma, the last word is the family name ("Jiyoung Kim" → Kim, Jiyoung), with the
 *     lower-case particles before it ("Ludwig van Beethoven" → van Beethoven) and a trailing
 *     "Jr."/"Sr."/"II"… as the suffix, unless the name is written in Hangul, Han or kana, where
 *     the first word is the family name ("김 지영" → 김, 지영). So a romanised Korean name in its
 *     own order needs the comma: "Kim, Jiyoung".
 *  4. An organisation is written in double braces ("{{Human Rights Watch}}"); a name of one
 *     word ("Reuters", "김지영") is also taken as written, whole.
 */
import type { CslName } from './csl-json';

const SUFFIXES = /^(jr\.?|sr\.?|ii|iii|iv|v|vi)$/i;
const EAST_ASIAN = /[\p{Script=Hangul}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
// Lower-case particles that belong to the family name ("van", "de la", "al-" is part of a word).
const PARTICLE = /^(?:\p{Ll}+|d'|l')$/u;

/** The CSL names of an author string (see the module comment for the rule); [] for ''. */
export function parseAuthors(input: string): CslName[] {
  const names: CslName[] = [];
  const parts = splitList(input);
  const inList = parts.length > 1 && !hasOutside(input, /;/);
  for (const part of parts) {
    for (const one of splitCommaList(part, inList)) {
      const name = parseName(one);
      if (name) names.push(name);
    }
  }
  return names;
}

/** One name (no list separators) as a CSL name, or null when it is empty. */
export function parseName(input: string): CslName | null {
  const s = input.replace(/\s+/g, ' ').trim();
  if (s === '') return null;
  const org = /^\{\{(.*)\}\}$/.exec(s) ?? /^\{([^{}]*)\}$/.exec(s);
  if (org) return org[1]!.trim() === '' ? null : { literal: org[1]!.trim() };

  if (s.includes(',')) {
    const [family, given, ...rest] = s.split(',').map((p) => p.trim());
    const name: CslName = { family: family! };
    if (given) name.given = given;
    const suffix = rest.filter(Boolean).join(', ');
    if (suffix) name.suffix = suffix;
    return family === '' ? (given ? { literal: given } : null) : name;
  }

  const words = s.split(' ');
  if (words.length === 1) return { literal: s };
  if (EAST_ASIAN.test(s)) return { family: words[0]!, given: words.slice(1).join(' ') };

  let suffix: string | undefined;
  if (words.length > 2 && SUFFIXES.test(words[words.length - 1]!)) suffix = words.pop();
  let start = words.length - 1;
  while (start > 1 && PARTICLE.test(words[start - 1]!)) start--;
  const name: CslName = { family: words.slice(start).join(' '), given: words.slice(0, start).join(' ') };
  if (suffix) name.suffix = suffix;
  return name;
}

/**
 * The author string of CSL names, in the form `parseAuthors` reads back to the same names:
 * "Family, Given; Family, Given", organisations in double braces.
 */
export function formatAuthors(names: readonly CslName[]): string {
  return names
    .map((n) => {
      if (n.literal !== undefined) return /[\s;&,]/.test(n.literal) ? `{{${n.literal}}}` : n.literal;
      const family = [n['non-dropping-particle'], n.family].filter(Boolean).join(' ');
      const given = [n.given, n['dropping-particle']].filter(Boolean).join(' ');
      if (!given) return /[\s;&,]/.test(family) ? `{{${family}}}` : family;
      return [family, given, n.suffix].filter(Boolean).join(', ');
    })
    .filter((s) => s !== '')
    .join('; ');
}

/** Splits on ";" if present, otherwise on " and " / "&", never inside braces. */
function splitList(s: string): string[] {
  const separator = hasOutside(s, /;/) ? /;/y : /\s+(?:and|&)\s+|\s*&\s*/iy;
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '{') depth++;
    else if (c === '}') depth = Math.max(0, depth - 1);
    // A separator starts at ";", "&" or the first blank of a run (trying every blank of a long
    // run would be quadratic).
    else if (depth === 0 && (c === ';' || c === '&' || (/\s/.test(c) && !/\s/.test(s[i - 1] ?? '')))) {
      separator.lastIndex = i;
      const m = separator.exec(s);
      if (m && m[0].length > 0) {
        parts.push(s.slice(start, i));
        start = i + m[0].length;
        i = start - 1;
      }
    }
  }
  parts.push(s.slice(start));
  // "A, B, and C": the serial comma leaves "A, B," and "C".
  return parts.map((p) => p.replace(/,\s*$/, '').replace(/^\s*and\s+/i, '').trim()).filter(Boolean);
}

/**
 * "Jiyoung Kim, Chul Lee, Min Park" (every comma-separated piece a name of two or more words) →
 * its names; `inList` when the part came from a list split on "and"/"&", where one comma is enough.
 */
function splitCommaList(s: string, inList: boolean): string[] {
  if (s.startsWith('{')) return [s];
  const pieces = s.split(',').map((p) => p.trim());
  if (pieces.length < 2) return [s];
  const isName = (p: string) => p.split(/\s+/).length >= 2 && !SUFFIXES.test(p);
  // One comma between two multi-word pieces alone is ambiguous ("García Márquez, Gabriel José"):
  // the rule says a comma means "Family, Given". Two or more commas cannot be that, nor can
  // "A B, C D and E F".
  return (pieces.length >= 3 || inList) && pieces.every(isName) ? pieces : [s];
}

function hasOutside(s: string, re: RegExp): boolean {
  let depth = 0;
  for (const c of s) {
    if (c === '{') depth++;
    else if (c === '}') depth = Math.max(0, depth - 1);
    else if (depth === 0 && re.test(c)) return true;
  }
  return false;
}
