import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import { locatorFor, type Locator } from '../../shared/locator';
import type { CollectionItem, DocumentContent, PlacedAnnotation } from '../../shared/model';
import { citeFor, cslItemFor, toBibtex, toCslJson, withCitationKeys, type CitationStyle, type CslItem } from './citations';
import { decodeEntities } from './citations/html';
import { markdownText } from './markdown-text';

/**
 * A quote collection as a file: Markdown with Pandoc citations (`[@key, para. 12]`), its
 * references as BibLaTeX or CSL-JSON under the same keys, or a Word document with the quotations
 * cited in a style and a reference list (the `docx` library writes the OOXML).
 */

/** A quote of the collection whose passage is still there, with what citing it needs. */
export interface CollectionQuote {
  item: CollectionItem;
  passage: PlacedAnnotation;
  content: DocumentContent;
  /** The document's imported citation (the fuller record), when it has one. */
  imported: Readonly<Record<string, unknown>> | undefined;
}

export interface CollectionFile {
  fileName: string;
  mimeType: string;
  content: string;
  encoding?: 'base64';
  quotes: number;
}

/** A file name from a collection's name, without characters file systems refuse. */
function baseName(name: string): string {
  // eslint-disable-next-line no-control-regex
  return name.replace(/[\u0000-\u001f<>:"/\\|?*]+/g, ' ').replace(/\s+/g, ' ').trim().replace(/[. ]+$/, '').slice(0, 80) || 'collection';
}

/** The file holds Pandoc citations: an `@` of the text itself is escaped too. */
const plain = (text: string): string => markdownText(text, { citations: true });

/** Pandoc's locator terms (citeproc's short forms), singular and for a range. */
function pandocLocator(locator: Locator | null): string {
  if (!locator) return '';
  const range = locator.value.includes('–');
  const term = locator.label === 'page' ? (range ? 'pp.' : 'p.') : range ? 'paras.' : 'para.';
  return `, ${term} ${locator.value}`;
}

/** Each document's CSL item under a citation key unique in the file, in the order first quoted. */
function keyedItems(quotes: readonly CollectionQuote[]): Map<string, CslItem> {
  const firsts = new Map<string, CollectionQuote>();
  for (const q of quotes) if (!firsts.has(q.item.documentId)) firsts.set(q.item.documentId, q);
  const ids = [...firsts.keys()];
  const keyed = withCitationKeys(ids.map((id) => cslItemFor(firsts.get(id)!.content.meta, firsts.get(id)!.imported)));
  return new Map(ids.map((id, i) => [id, keyed[i]!]));
}

const locatorOf = (q: CollectionQuote): Locator | null =>
  q.passage.anchor.status === 'orphan' ? null : locatorFor(q.content.blocks, q.content.pages, q.passage.anchor.start, q.passage.anchor.end);

const paragraphsOf = (text: string): string[] =>
  text
    .split(/\n\s*\n/)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter(Boolean);

/** The collection as Markdown: its name, then each quote as a block quote, its Pandoc citation and its note. */
export function collectionMarkdown(name: string, quotes: readonly CollectionQuote[]): string {
  const keys = keyedItems(quotes);
  const out = [`# ${plain(name)}`, ''];
  for (const q of quotes) {
    out.push(paragraphsOf(q.passage.quote.exact).map((p) => `> ${plain(p)}`).join('\n>\n'), '');
    out.push(`[@${keys.get(q.item.documentId)!['citation-key']}${pandocLocator(locatorOf(q))}]`, '');
    const note = paragraphsOf(q.item.note).map(plain).join('\n\n');
    if (note) out.push(note, '');
  }
  if (!quotes.length) out.push('No quote yet.', '');
  return out.join('\n');
}

/** Inline runs of sanitised CSL HTML (`<i>`, `<b>`, spans): italics and bold kept, other tags dropped. */
function runsOf(html: string): TextRun[] {
  const runs: TextRun[] = [];
  let italics = 0;
  let bold = 0;
  for (const part of html.split(/(<[^>]*>)/)) {
    if (!part) continue;
    const tag = /^<(\/?)([a-z]+)/i.exec(part);
    if (tag) {
      const d = tag[1] ? -1 : 1;
      if (tag[2]!.toLowerCase() === 'i' || tag[2]!.toLowerCase() === 'em') italics += d;
      else if (tag[2]!.toLowerCase() === 'b' || tag[2]!.toLowerCase() === 'strong') bold += d;
      continue;
    }
    runs.push(new TextRun({ text: decodeEntities(part), italics: italics > 0, bold: bold > 0 }));
  }
  return runs;
}

/** The collection as a Word document: each quotation with its in-text citation in `style`, its note, then the references. */
export async function collectionDocx(name: string, quotes: readonly CollectionQuote[], style: CitationStyle): Promise<string> {
  const keys = keyedItems(quotes);
  const children: Paragraph[] = [new Paragraph({ text: name, heading: HeadingLevel.HEADING_1 })];
  const references = new Map<string, string>();
  for (const q of quotes) {
    const cite = citeFor(keys.get(q.item.documentId)!, style, locatorOf(q) ?? undefined);
    references.set(cite.reference, cite.referenceHtml);
    const paragraphs = paragraphsOf(q.passage.quote.exact);
    paragraphs.forEach((p, i) => {
      const last = i === paragraphs.length - 1;
      const text = `${i === 0 ? '“' : ''}${p}${last ? '”' : ''}`;
      children.push(new Paragraph({ indent: { left: 720 }, children: [new TextRun(text), ...(last ? [new TextRun(` ${cite.inText}`)] : [])] }));
    });
    for (const p of paragraphsOf(q.item.note)) children.push(new Paragraph({ children: [new TextRun({ text: p, italics: true })] }));
  }
  if (references.size) {
    // MLA 9 calls the list Works Cited; APA 7 and Chicago, References.
    children.push(new Paragraph({ text: style === 'mla' ? 'Works Cited' : 'References', heading: HeadingLevel.HEADING_2 }));
    const sorted = [...references].sort(([a], [b]) => a.localeCompare(b));
    for (const [, html] of sorted) children.push(new Paragraph({ alignment: AlignmentType.LEFT, indent: { left: 720, hanging: 720 }, children: runsOf(html) }));
  }
  const doc = new Document({ title: name, creator: 'Gloss', sections: [{ children }] });
  return Packer.toBase64String(doc);
}

/** The collection as the file `format` asks for. */
export async function collectionFile(name: string, quotes: readonly CollectionQuote[], format: 'md' | 'bib' | 'csl-json' | 'docx', style: CitationStyle): Promise<CollectionFile> {
  const base = baseName(name);
  const items = (): CslItem[] => [...keyedItems(quotes).values()];
  switch (format) {
    case 'md':
      return { fileName: `${base}.md`, mimeType: 'text/markdown', content: collectionMarkdown(name, quotes), quotes: quotes.length };
    case 'bib':
      return { fileName: `${base}.bib`, mimeType: 'application/x-bibtex', content: toBibtex(items()), quotes: quotes.length };
    case 'csl-json':
      return { fileName: `${base}.json`, mimeType: 'application/json', content: toCslJson(items()), quotes: quotes.length };
    case 'docx':
      return {
        fileName: `${base}.docx`,
        mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        content: await collectionDocx(name, quotes, style),
        encoding: 'base64',
        quotes: quotes.length,
      };
  }
}
