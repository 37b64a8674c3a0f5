/**
 * Citation keys for exports: the name a Markdown text cites an item by (`[@kim2023families,
 * para. 12]`) and its `.bib` / CSL-JSON entry is filed under. A key is the first author's family
 * name (or the organisation's first word, or the title's), the year (`nd` without one) and the
 * title's first significant word, in lower-case ASCII: `kim2023families`. Keys are unique within
 * an export: a second one gets `a`, `b`, … appended, as BibTeX tools do.
 */
import type { CslItem, CslName } from './csl-json';

/** A key Pandoc, BibTeX and biber all accept: letters, digits, `_`, and `-.:+/` inside. */
export const KEY_PATTERN = /^[A-Za-z0-9_](?:[A-Za-z0-9_:.+/-]{0,98}[A-Za-z0-9_])?$/;

const STOP_WORDS = new Set([
  'a', 'an', 'the', 'of', 'on', 'in', 'at', 'to', 'for', 'from', 'by', 'with', 'and', 'or', 'but',
  'as', 'is', 'are', 'what', 'how', 'why', 'when', 'who', 'de', 'la', 'le', 'les', 'el', 'los',
  'der', 'die', 'das', 'un', 'une', 'et',
]);

/**
 * A key for `item` that is not in `taken`, which it is then added to. The item's own
 * `citation-key` (from the file it was imported from) is kept when it is valid and free.
 */
export function citationKey(item: CslItem, taken: Set<string>): string {
  const own = item['citation-key'];
  if (own !== undefined && KEY_PATTERN.test(own) && !taken.has(own)) {
    taken.add(own);
    return own;
  }
  const base = baseKey(item);
  let key = base;
  for (let n = 0; taken.has(key); n++) key = base + suffix(n);
  taken.add(key);
  return key;
}

/** `items` with unique `citation-key`s (and ids), in order; for `toBibtex` and `toCslJson`. */
export function withCitationKeys(items: readonly CslItem[], taken = new Set<string>()): CslItem[] {
  return items.map((item) => {
    const key = citationKey(item, taken);
    return { ...item, id: key, 'citation-key': key };
  });
}

function baseKey(item: CslItem): string {
  const first = (item.author ?? item.editor ?? [])[0];
  const significant = words(item.title ?? '').filter((w) => !STOP_WORDS.has(w));
  const byName = first ? nameWord(first) : '';
  // Without a name the title's first significant word leads, and the next one follows the year.
  const who = byName || significant.shift() || 'ref';
  const year = item.issued?.['date-parts']?.[0]?.[0];
  const when = year === undefined ? 'nd' : String(year).replace(/^-/, '');
  const what = significant.find((w) => w !== who) ?? '';
  return `${who}${when}${what}`.slice(0, 60);
}

/** A person's family name run together ("van der Berg" → vanderberg); an organisation's first word. */
function nameWord(name: CslName): string {
  if (name.family) return words(name.family).join('');
  return words(name.literal ?? name.given ?? '')[0] ?? '';
}

/** The words of `s` in lower-case ASCII letters and digits (accents dropped, other scripts lost). */
function words(s: string): string[] {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/[æÆ]/g, 'ae')
    .replace(/[øØ]/g, 'o')
    .replace(/[łŁ]/g, 'l')
    .toLowerCase()
    .replace(/<[^>]*>/g, ' ')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** a, b, …, z, aa, ab, … */
function suffix(n: number): string {
  let s = '';
  for (let i = n; i >= 0; i = Math.floor(i / 26) - 1) s = String.fromCharCode(97 + (i % 26)) + s;
  return s;
}
