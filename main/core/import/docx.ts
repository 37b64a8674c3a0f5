import { zipSync, type Zippable } from 'fflate';
import mammoth from 'mammoth';
import { parse as parseHtml } from 'parse5';
import { canonicalText, plainText } from '../../../shared/plain-text';
import type { ImportOptions } from './formats';
import { htmlToBlocks } from './html';
import { markNotes, notesSentence } from './footnotes';
import { assertText } from './text';
import { IMPORT_LIMITS, ImportFailure, emptyMeta, type ImportedText } from './types';
import type { Document } from '@xmldom/xmldom';
import { checkXml, child, customMeta, elements, parseXml, textIn } from './xml';
import { ZipArchive } from './zip';

/**
 * Word documents (.docx): mammoth turns the document into plain semantic HTML (headings from
 * Word's heading styles, lists, tables, footnotes and endnotes), and the HTML walk (html.ts)
 * maps that to blocks, as for Markdown and HTML.
 *
 * mammoth never sees the user's file. The archive is opened with the guarded reader (zip.ts),
 * every XML part is inflated through it and checked (xml.ts: no DTD, bounded size, elements and
 * depth), and mammoth is given a new archive of just those parts, stored uncompressed, so its
 * own zip library never inflates anything hostile and cannot read an entry other than the one
 * checked. Images are left out of that archive: mammoth is given an image converter that reads
 * nothing and keeps only the alt text, which the walk turns into a placeholder. External file
 * access stays off (mammoth ≥ 1.13's default, and said again here), so a linked image is never
 * read from disk.
 *
 * Kept: headings, paragraphs, line breaks, block quotes (Word's and LibreOffice's quotation
 * styles), lists, tables (a paragraph per row), footnotes and endnotes (numbered paragraphs at
 * the end, their references "[1]" in the text), image placeholders. Dropped: comments, headers
 * and footers, text boxes mammoth does not read, formatting.
 */

const KIND = 'Word document (.docx)';

/**
 * Paragraph styles mapped beyond mammoth's defaults. The document's own embedded style map is
 * ignored: a file should not choose the markup it becomes.
 */
const STYLE_MAP = [
  "p[style-name='Title'] => h1:fresh",
  "p[style-name='Subtitle'] => p:fresh",
  "p[style-name='Quote'] => blockquote > p:fresh",
  "p[style-name='Intense Quote'] => blockquote > p:fresh",
  "p[style-name='Block Text'] => blockquote > p:fresh",
  "p[style-name='Quotations'] => blockquote > p:fresh",
];

const NS = {
  dc: 'http://purl.org/dc/elements/1.1/',
  cp: 'http://schemas.openxmlformats.org/package/2006/metadata/core-properties',
  custom: 'http://schemas.openxmlformats.org/officeDocument/2006/custom-properties',
  w: 'http://schemas.openxmlformats.org/wordprocessingml/2006/main',
} as const;

/** Imports a Word document (.docx). */
export async function importDocx(bytes: Uint8Array, _opts: ImportOptions = {}): Promise<ImportedText> {
  const zip = ZipArchive.open(bytes, KIND);
  if (zip.has('mimetype') && !zip.has('[Content_Types].xml')) throw zip.fail('it seems to be an OpenDocument or EPUB file renamed; open it under its own extension');
  if (!zip.has('[Content_Types].xml')) throw zip.fail('it has no “[Content_Types].xml”, so it is not a Word document');

  const texts = new Map<string, string>();
  const parts: Zippable = {};
  for (const name of zip.names()) {
    if (!/\.(xml|rels)$/i.test(name)) continue;
    const text = zip.readText(name);
    checkXml(text, name, (p) => zip.fail(p));
    texts.set(name, text);
    parts[name] = [new TextEncoder().encode(text), { level: 0 }];
  }
  const repacked = zipSync(parts, { level: 0, mtime: new Date(Date.UTC(1980, 0, 1)) });

  let html: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(repacked.buffer, repacked.byteOffset, repacked.byteLength) },
      {
        styleMap: STYLE_MAP,
        includeEmbeddedStyleMap: false,
        externalFileAccess: false,
        // Never reads the image: only its alt text reaches the HTML.
        convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })),
      },
    );
    html = result.value;
  } catch (e) {
    throw mammothFailure(zip, e);
  }
  if (html.length > IMPORT_LIMITS.markupBytes) throw zip.fail(`its text is too long to import (over ${IMPORT_LIMITS.markupBytes / 1048576} MB as HTML)`);

  const tree = parseHtml(`<body>${html}</body>`);
  const noteCounts = markNotes(tree);
  const { blocks, notes } = htmlToBlocks(tree);
  assertText(plainText(blocks));
  const moved = notesSentence(noteCounts, 'at the end');
  if (moved) notes.push(moved);
  const comments = commentCount(zip, texts);
  if (comments > 0) notes.push(`${comments === 1 ? 'A comment was' : `${comments} comments were`} left out.`);
  return { meta: metaOf(zip, texts), blocks, notes };
}

/** mammoth's failures, worded for the user. */
function mammothFailure(zip: ZipArchive, e: unknown): ImportFailure {
  if (e instanceof ImportFailure) return e;
  const message = e instanceof Error ? e.message : String(e);
  if (/main document part/i.test(message)) return zip.fail('it has no main document part (word/document.xml)');
  if (/^(warning|error|fatalError):|xmldom|entity|unclosed|not well-formed|element/i.test(message)) return zip.fail(`a part of it is not well-formed XML (${message.split('\n')[0]!.slice(0, 120)})`);
  return zip.fail(`it could not be converted (${message.split('\n')[0]!.slice(0, 120)})`);
}

function commentCount(zip: ZipArchive, texts: ReadonlyMap<string, string>): number {
  const doc = part(zip, texts, 'word/comments.xml');
  if (!doc) return 0;
  return elements(doc.documentElement!).filter((el) => el.namespaceURI === NS.w && el.localName === 'comment').length;
}

/**
 * Title and author from docProps/core.xml; publication, date and address only from custom
 * properties the author gave those names (pandoc writes them so). The core properties'
 * `dcterms:created` and `modified` are when the file was saved, not when the work was
 * published, so they never become its date.
 */
function metaOf(zip: ZipArchive, texts: ReadonlyMap<string, string>): ImportedText['meta'] {
  const meta = emptyMeta();
  const core = part(zip, texts, 'docProps/core.xml');
  if (core) {
    const root = core.documentElement!;
    meta.title = clean(textOf(child(root, NS.dc, 'title')));
    meta.author = clean(textOf(child(root, NS.dc, 'creator')));
  }
  const customDoc = part(zip, texts, 'docProps/custom.xml');
  if (customDoc) {
    const custom = new Map<string, string>();
    for (const prop of elements(customDoc.documentElement!)) {
      const name = prop.getAttribute('name')?.trim().toLowerCase();
      if (prop.localName === 'property' && name && !custom.has(name)) custom.set(name, clean(textIn(prop)));
    }
    Object.assign(meta, customMeta(custom));
  }
  return meta;
}

function part(zip: ZipArchive, texts: ReadonlyMap<string, string>, name: string): Document | null {
  const text = texts.get(name);
  return text === undefined ? null : parseXml(text, name, (p) => zip.fail(p));
}

function textOf(el: ReturnType<typeof child>): string {
  return el ? textIn(el) : '';
}

function clean(text: string): string {
  return canonicalText(text.replace(/\s+/g, ' ').trim());
}
