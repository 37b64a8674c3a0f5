import type { Element } from '@xmldom/xmldom';
import { parse as parseHtml, type DefaultTreeAdapterMap } from 'parse5';
import { canonicalText, plainText } from '../../../shared/plain-text';
import type { ImportOptions } from './formats';
import { markNotes, notesSentence, type NoteCounts } from './footnotes';
import { htmlToBlocks } from './html';
import { assertText } from './text';
import { IMPORT_LIMITS, emptyMeta, isoDate, type ImportedText } from './types';
import { attrNS, child, childrenNamed, readXml, textIn } from './xml';
import { ZipArchive, resolveInArchive } from './zip';

/**
 * EPUB (2 and 3): the guarded zip (zip.ts), its `mimetype` checked, META-INF/container.xml to
 * the package document (OPF), its metadata, then the spine's chapters in reading order, each
 * XHTML document parsed as HTML by parse5 (an HTML parser never reads a DTD or expands an
 * entity it declares) and mapped to blocks by the HTML walk (html.ts), as for HTML files.
 * Every path the package names is resolved inside the archive, and one that leads out of it is
 * refused. The navigation document (EPUB 3 `properties="nav"`) is left out: it repeats the
 * headings. Notes become numbered paragraphs where the book puts them (footnotes.ts).
 */

const KIND = 'EPUB book';
const MIME = 'application/epub+zip';

const NS = {
  container: 'urn:oasis:names:tc:opendocument:xmlns:container',
  opf: 'http://www.idpf.org/2007/opf',
  dc: 'http://purl.org/dc/elements/1.1/',
} as const;

/** Limits on a book's chapters (the spine's documents). */
export const EPUB_LIMITS = {
  /** Chapters in the spine: a long book has a few hundred. */
  chapters: 5_000,
  /**
   * The markup of all chapters together, as for one HTML page: every chapter is parsed before
   * the walk, so this bounds the memory of the parsed trees.
   */
  markupChars: IMPORT_LIMITS.markupBytes,
} as const;

const CHAPTER_TYPES = new Set(['application/xhtml+xml', 'text/html']);

type Body = DefaultTreeAdapterMap['element'];

/** Imports an EPUB book. */
export async function importEpub(bytes: Uint8Array, _opts: ImportOptions = {}): Promise<ImportedText> {
  const zip = ZipArchive.open(bytes, KIND);
  if (!zip.has('mimetype')) throw zip.fail('it has no “mimetype” entry, so it is not an EPUB book');
  const mime = zip.readText('mimetype', 1024).trim();
  if (mime !== MIME) throw zip.fail(`its mimetype is “${mime.slice(0, 80)}”, not “${MIME}”`);
  if (!zip.has('META-INF/container.xml')) throw zip.fail('it has no “META-INF/container.xml”, which says where the book’s contents are');

  const container = readXml(zip, 'META-INF/container.xml').documentElement!;
  const rootfiles = child(container, NS.container, 'rootfiles');
  const rootfile = rootfiles && childrenNamed(rootfiles, NS.container, 'rootfile').find((r) => (r.getAttribute('media-type') ?? 'application/oebps-package+xml') === 'application/oebps-package+xml');
  const fullPath = rootfile?.getAttribute('full-path') ?? '';
  if (!fullPath) throw zip.fail('its container.xml names no package document');
  const opfPath = resolveInArchive('', fullPath);
  if (opfPath === null) throw zip.fail(`its container.xml points outside the book (“${fullPath.slice(0, 80)}”)`);
  if (!zip.has(opfPath)) throw zip.fail(`it has no “${opfPath}”, the package document its container.xml names`);

  const opf = readXml(zip, opfPath).documentElement!;
  const metadata = child(opf, NS.opf, 'metadata');
  const manifest = child(opf, NS.opf, 'manifest');
  const spine = child(opf, NS.opf, 'spine');
  if (!manifest || !spine) throw zip.fail(`its package document “${opfPath}” has no ${manifest ? 'spine' : 'manifest'}`);

  const items = new Map<string, Element>();
  for (const item of childrenNamed(manifest, NS.opf, 'item')) {
    const id = item.getAttribute('id');
    if (id && !items.has(id)) items.set(id, item);
  }
  const refs = childrenNamed(spine, NS.opf, 'itemref');
  if (refs.length > EPUB_LIMITS.chapters) throw zip.fail(`its spine lists ${refs.length.toLocaleString('en')} documents; the limit is ${EPUB_LIMITS.chapters.toLocaleString('en')}`);

  const bodies: Body[] = [];
  let markup = 0;
  let skipped = 0;
  const seen = new Set<string>();
  for (const ref of refs) {
    const item = items.get(ref.getAttribute('idref') ?? '');
    if (!item) throw zip.fail(`its spine names “${(ref.getAttribute('idref') ?? '').slice(0, 80)}”, which its manifest does not list`);
    if ((item.getAttribute('properties') ?? '').split(/\s+/).includes('nav')) continue;
    const href = item.getAttribute('href') ?? '';
    const path = resolveInArchive(opfPath, href);
    if (path === null) throw zip.fail(`its package document points outside the book (“${href.slice(0, 80)}”)`);
    if (!CHAPTER_TYPES.has((item.getAttribute('media-type') ?? '').toLowerCase())) {
      skipped++;
      continue;
    }
    if (seen.has(path)) continue;
    seen.add(path);
    if (!zip.has(path)) throw zip.fail(`its chapter “${path.slice(0, 80)}” is missing`);
    const html = zip.readText(path);
    markup += html.length;
    if (markup > EPUB_LIMITS.markupChars) throw zip.fail(`its chapters come to more than ${EPUB_LIMITS.markupChars / 1048576} MB of markup; the limit is that of an HTML page`);
    const doc = parseHtml(asHtml(html));
    const root = doc.childNodes.find((n): n is Body => n.nodeName === 'html');
    const body = root?.childNodes.find((n): n is Body => n.nodeName === 'body');
    if (body) bodies.push(body);
  }

  // One walk over all chapters, so the block limit and the placeholder counts are the book's.
  const book: DefaultTreeAdapterMap['documentFragment'] = { nodeName: '#document-fragment', childNodes: bodies };
  const counts: NoteCounts = markNotes(book);
  const { blocks, notes } = htmlToBlocks(book);
  assertText(plainText(blocks));
  const kept = notesSentence(counts, 'in place');
  if (kept) notes.push(kept);
  if (skipped) notes.push(`${skipped === 1 ? 'A document' : `${skipped} documents`} of the reading order that ${skipped === 1 ? 'is' : 'are'} not XHTML (such as images) ${skipped === 1 ? 'was' : 'were'} left out.`);
  return { meta: metadata ? metaOf(metadata) : emptyMeta(), blocks, notes };
}

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr', 'param', 'keygen']);
// Bounded repeats, and no '<' inside a name: unbounded ones overflow the regular expression
// engine's stack on a tag with a million attributes, and let one attempt scan the whole file.
const SELF_CLOSED = /<([A-Za-z][\w:.-]{0,64})((?:\s+[^\s=/<>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?){0,64})\s*\/>/g;


/**
 * XHTML made safe to parse as HTML: an HTML parser reads `<title/>` or `<div/>` as an open tag,
 * and an unclosed `title` (as some writers leave an empty title) would swallow the whole
 * chapter as its text. Self-closed elements that are not void in HTML get their end tag. A
 * DOCTYPE's entity declarations are dropped unread (HTML never expands them either).
 */
function asHtml(xhtml: string): string {
  return withoutDtd(xhtml).replace(SELF_CLOSED, (whole, name: string, attrs: string) => (VOID.has(name.toLowerCase()) ? whole : `<${name}${attrs}></${name}>`));
}

/** The document with a leading DOCTYPE's internal subset removed (HTML would show it as text). */
function withoutDtd(xhtml: string): string {
  const start = xhtml.search(/<!DOCTYPE/i);
  // Only in the prolog: after the XML declaration and white space, before any element.
  if (start === -1 || xhtml.slice(0, start).replace(/<\?xml[^>]*\?>/, '').trim() !== '') return xhtml;
  const close = xhtml.indexOf('>', start);
  const open = xhtml.indexOf('[', start);
  if (close === -1) return xhtml;
  if (open === -1 || open > close) return xhtml;
  const subsetEnd = xhtml.indexOf(']', open);
  const end = subsetEnd === -1 ? -1 : xhtml.indexOf('>', subsetEnd);
  return end === -1 ? xhtml : `${xhtml.slice(0, start)}<!DOCTYPE html>${xhtml.slice(end + 1)}`;
}

/** Title, creators, publisher, date and a web address from the package's Dublin Core. */
function metaOf(metadata: Element): ImportedText['meta'] {
  const all = (local: string): string[] =>
    childrenNamed(metadata, NS.dc, local)
      .map((el) => canonicalText(textIn(el).replace(/\s+/g, ' ').trim()))
      .filter((v) => v !== '');
  const meta = emptyMeta();
  meta.title = all('title')[0] ?? '';
  meta.author = [...new Set(all('creator'))].join('; ');
  meta.publication = all('publisher')[0] ?? '';
  // EPUB 2 may give several dates with opf:event; the publication one is the date of the work.
  const dates = childrenNamed(metadata, NS.dc, 'date');
  const published = dates.find((d) => attrNS(d, NS.opf, 'event') === 'publication') ?? dates.find((d) => !attrNS(d, NS.opf, 'event'));
  meta.date = isoDate(published ? textIn(published) : '');
  meta.url = all('identifier').find((v) => /^https?:\/\/\S+$/i.test(v)) ?? '';
  return meta;
}
