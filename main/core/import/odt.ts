import type { Document, Element, Node } from '@xmldom/xmldom';
import type { Block } from '../../../shared/model';
import { canonicalText } from '../../../shared/plain-text';
import type { ImportOptions } from './formats';
import { notesSentence } from './footnotes';
import { IMPORT_LIMITS, ImportFailure, emptyMeta, type ImportedText } from './types';
import { XML_LIMITS, attrNS, child, customMeta, elements, readXml, textIn } from './xml';
import { StyleBook } from './odt-styles';
import { ZipArchive } from './zip';

/**
 * OpenDocument text (.odt): the guarded zip (zip.ts), its `mimetype` checked, then content.xml
 * read with xmldom (xml.ts) and mapped to blocks here.
 *
 * Kept: headings (outline level 1–6; deeper ones are level 6), paragraphs, the Title style as a
 * heading, the quotation styles as block quotes, lists (ordered or bulleted as their list style
 * says, read from content.xml and styles.xml), tables (a paragraph per row, cells joined by
 * " | "), explicit spaces, tabs and line breaks, text boxes' text, footnotes and endnotes
 * (numbered paragraphs at the end; their citation "[1]" stays in the text), images and embedded
 * objects as placeholders. Dropped: comments, tracked deletions, tables of contents and other
 * generated indexes, forms, formatting.
 */

const KIND = 'OpenDocument text (.odt)';
const MIME = 'application/vnd.oasis.opendocument.text';

const NS = {
  office: 'urn:oasis:names:tc:opendocument:xmlns:office:1.0',
  text: 'urn:oasis:names:tc:opendocument:xmlns:text:1.0',
  table: 'urn:oasis:names:tc:opendocument:xmlns:table:1.0',
  draw: 'urn:oasis:names:tc:opendocument:xmlns:drawing:1.0',
  style: 'urn:oasis:names:tc:opendocument:xmlns:style:1.0',
  svg: 'urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0',
  meta: 'urn:oasis:names:tc:opendocument:xmlns:meta:1.0',
  dc: 'http://purl.org/dc/elements/1.1/',
} as const;

/** Elements whose text is generated from the rest of the document, or not part of it. */
const SKIPPED = new Set([
  'table-of-content', 'alphabetical-index', 'illustration-index', 'table-index', 'object-index', 'user-index', 'bibliography',
  'tracked-changes', 'sequence-decls', 'variable-decls', 'user-field-decls', 'dde-connection-decls', 'forms', 'annotation', 'annotation-end',
  'note-citation', 'ruby-text', 'soft-page-break', 'binary-data', 'title', 'desc',
]);
const INDEXES = new Set(['table-of-content', 'alphabetical-index', 'illustration-index', 'table-index', 'object-index', 'user-index', 'bibliography']);

/** Imports an OpenDocument text (.odt). */
export async function importOdt(bytes: Uint8Array, _opts: ImportOptions = {}): Promise<ImportedText> {
  const zip = ZipArchive.open(bytes, KIND);
  if (!zip.has('mimetype')) throw zip.fail(zip.has('[Content_Types].xml') ? 'it seems to be a Word document renamed; open it as .docx' : 'it has no “mimetype” entry, so it is not an OpenDocument file');
  const mime = zip.readText('mimetype', 1024).trim();
  if (mime !== MIME) {
    const what = /^application\/vnd\.oasis\.opendocument\.(\w+)/.exec(mime)?.[1];
    throw zip.fail(what ? `it is an OpenDocument ${what} file (“${mime}”), not a text document` : `its mimetype is “${mime.slice(0, 80)}”, not “${MIME}”`);
  }
  const content = readXml(zip, 'content.xml');
  const styles = zip.has('styles.xml') ? readXml(zip, 'styles.xml') : null;
  const body = child(content.documentElement!, NS.office, 'body');
  const text = body && child(body, NS.office, 'text');
  if (!text) throw zip.fail('its content.xml has no text body (it may be a template or another kind of document)');

  const reader = new Reader(new StyleBook(content, styles), zip);
  const blocks = reader.flow(text, 0, { list: '', level: 0 });
  blocks.push(...reader.noteBlocks());
  return { meta: zip.has('meta.xml') ? metaOf(readXml(zip, 'meta.xml')) : emptyMeta(), blocks, notes: reader.notes() };
}

/** The list style and nesting level a block is read in. */
interface ListContext {
  list: string;
  level: number;
}

/** One pass over the body; collects notes, counts what became placeholders or was left out. */
class Reader {
  private blockCount = 0;
  private chars = 0;
  private images = 0;
  private objects = 0;
  private comments = 0;
  private indexes = 0;
  private readonly noteList: { label: string; endnote: boolean; blocks: Block[] }[] = [];

  constructor(
    private readonly styles: StyleBook,
    private readonly zip: ZipArchive,
  ) {}

  /** The blocks of `el`'s block-level children. */
  flow(el: Node, depth: number, ctx: ListContext): Block[] {
    this.guard(depth);
    const out: Block[] = [];
    let quote: Block[] | null = null;
    const add = (block: Block): void => {
      this.count();
      out.push(block);
      quote = null;
    };
    for (const c of elements(el)) {
      const local = c.localName ?? '';
      if (SKIPPED.has(local)) {
        if (INDEXES.has(local)) this.indexes++;
        if (local === 'annotation') this.comments++;
        continue;
      }
      if (c.namespaceURI === NS.text && local === 'h') {
        const text = this.inline(c, depth + 1);
        const level = Math.min(6, Math.max(1, Number.parseInt(attrNS(c, NS.text, 'outline-level'), 10) || 1)) as 1 | 2 | 3 | 4 | 5 | 6;
        if (text) add({ type: 'heading', level, text });
      } else if (c.namespaceURI === NS.text && local === 'p') {
        const text = this.inline(c, depth + 1);
        if (!text) continue;
        const role = this.styles.role(attrNS(c, NS.text, 'style-name'));
        if (role === 'quote') {
          const para: Block = { type: 'paragraph', text };
          this.count();
          if (quote) quote.push(para);
          else {
            const block: Block = { type: 'blockquote', children: [para] };
            add(block);
            quote = block.children;
          }
        } else {
          add(role === 'title' ? { type: 'heading', level: 1, text } : { type: 'paragraph', text });
        }
      } else if (c.namespaceURI === NS.text && local === 'list') {
        for (const b of this.list(c, depth + 1, ctx)) add(b);
      } else if (c.namespaceURI === NS.table && local === 'table') {
        for (const row of this.rows(c, depth + 1)) add({ type: 'paragraph', text: row });
      } else if (c.namespaceURI === NS.draw) {
        // A frame or shape anchored to the page rather than in a paragraph.
        const text = local === 'frame' ? this.frame(c, depth + 1) : this.inline(c, depth + 1);
        if (text) add({ type: 'paragraph', text });
      } else {
        // Sections, numbered paragraphs and containers of other vocabularies: their content.
        for (const b of this.flow(c, depth + 1, ctx)) {
          out.push(b);
          quote = null;
        }
      }
    }
    return out;
  }

  /** A list, or its blocks alone when its items are headings (outline numbering). */
  private list(el: Element, depth: number, outer: ListContext): Block[] {
    const ctx: ListContext = { list: attrNS(el, NS.text, 'style-name') || outer.list, level: outer.level + 1 };
    const items: Block[][] = [];
    let firstStyle = '';
    for (const item of elements(el)) {
      if (item.namespaceURI !== NS.text || (item.localName !== 'list-item' && item.localName !== 'list-header')) continue;
      firstStyle ||= attrNS(child(item, NS.text, 'p') ?? item, NS.text, 'style-name');
      const blocks = this.flow(item, depth + 1, ctx);
      if (blocks.length) items.push(blocks);
    }
    if (!items.length) return [];
    if (items.some((item) => item[0]!.type === 'heading')) return items.flat();
    const style = ctx.list || this.styles.listOf(firstStyle);
    return [{ type: 'list', ordered: this.styles.ordered(style, ctx.level), items }];
  }

  /** One line per table row, its cells' text joined by " | ". */
  private rows(table: Element, depth: number): string[] {
    this.guard(depth);
    const rows: string[] = [];
    for (const c of elements(table)) {
      if (c.namespaceURI !== NS.table) continue;
      if (c.localName === 'table-row') {
        const cells = elements(c)
          .filter((cell) => cell.namespaceURI === NS.table && cell.localName === 'table-cell')
          .map((cell) => this.cellText(cell, depth + 1));
        if (cells.some((t) => t !== '')) rows.push(canonicalText(cells.join(' | ')));
      } else if (c.localName === 'table-header-rows' || c.localName === 'table-rows' || c.localName === 'table-row-group') {
        rows.push(...this.rows(c, depth + 1));
      }
    }
    return rows;
  }

  /** A cell's text: its blocks' texts (a nested table's rows among them) joined by spaces. */
  private cellText(cell: Element, depth: number): string {
    const texts: string[] = [];
    const walk = (blocks: Block[]): void => {
      for (const b of blocks) {
        if (b.type === 'heading' || b.type === 'paragraph') texts.push(b.text);
        else if (b.type === 'blockquote') walk(b.children);
        else for (const item of b.items) walk(item);
      }
    };
    walk(this.flow(cell, depth, { list: '', level: 0 }));
    return texts.join(' ');
  }

  /**
   * The text of a paragraph or heading: white space collapsed as ODF says, explicit spaces,
   * tabs and line breaks kept, notes cited, images named.
   */
  private inline(el: Element, depth: number): string {
    const parts: string[] = [];
    let space = true;
    // After a placeholder or a text box: a space before the next word, none before punctuation.
    let padded = false;
    const text = (s: string): void => {
      const collapsed = s.replace(/[ \t\r\n]+/g, ' ');
      let t = space && collapsed.startsWith(' ') ? collapsed.slice(1) : collapsed;
      if (!t) return;
      if (padded && !/^[\s,.;:!?)\]]/.test(t)) t = ` ${t}`;
      padded = false;
      parts.push(t);
      space = t.endsWith(' ');
    };
    const exact = (s: string): void => {
      parts.push(s);
      space = false;
      padded = false;
    };
    const visit = (node: Node, d: number): void => {
      this.guard(d);
      for (let n = node.firstChild; n; n = n.nextSibling) {
        if (n.nodeType === 3 || n.nodeType === 4) {
          text((n as unknown as { data: string }).data);
          continue;
        }
        if (n.nodeType !== 1) continue;
        const c = n as Element;
        const local = c.localName ?? '';
        if (SKIPPED.has(local)) {
          if (local === 'annotation') this.comments++;
          continue;
        }
        if (c.namespaceURI === NS.text && local === 's') exact(' '.repeat(Math.min(1000, Math.max(1, Number.parseInt(attrNS(c, NS.text, 'c'), 10) || 1))));
        else if (c.namespaceURI === NS.text && local === 'tab') exact('\t');
        else if (c.namespaceURI === NS.text && local === 'line-break') exact('\n');
        else if (c.namespaceURI === NS.text && local === 'note') exact(`[${this.note(c, d + 1)}]`);
        else if (c.namespaceURI === NS.draw && local === 'frame') {
          const shown = this.frame(c, d + 1);
          if (shown) {
            text(' ');
            exact(shown);
            padded = true;
          }
        } else if (c.namespaceURI === NS.text && (local === 'p' || local === 'h')) {
          // Paragraphs inside inline content (a text box, a shape): a space between them.
          text(' ');
          visit(c, d + 1);
          text(' ');
        } else visit(c, d + 1);
      }
    };
    visit(el, depth);
    const out = canonicalText(tidyLines(parts.join('')));
    this.chars += out.length;
    if (this.chars > IMPORT_LIMITS.textChars) throw new ImportFailure(`The text is too long to import (the limit is ${IMPORT_LIMITS.textChars / 1048576} million characters).`);
    return out;
  }

  /** A frame's placeholder, or the text of its text box. */
  private frame(frame: Element, depth: number): string {
    const textOf = (el: Element | undefined): string => (el ? textIn(el) : '');
    const label = (textOf(child(frame, NS.svg, 'title')) || textOf(child(frame, NS.svg, 'desc')) || attrNS(frame, NS.draw, 'name'))
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 200);
    if (child(frame, NS.draw, 'image')) {
      this.images++;
      return label ? `[Image: ${label}]` : '[Image]';
    }
    const box = child(frame, NS.draw, 'text-box');
    if (box) return this.inline(box, depth);
    if (child(frame, NS.draw, 'object') || child(frame, NS.draw, 'object-ole') || child(frame, NS.draw, 'plugin')) {
      this.objects++;
      return label ? `[Object: ${label}]` : '[Object]';
    }
    return '';
  }

  /** Collects a note's body for the end and returns its citation. */
  private note(note: Element, depth: number): string {
    const citation = child(note, NS.text, 'note-citation');
    const label = ((citation && (attrNS(citation, NS.text, 'label') || textIn(citation))) || String(this.noteList.length + 1)).replace(/\s+/g, ' ').trim().slice(0, 20);
    const body = child(note, NS.text, 'note-body');
    const blocks = body ? this.flow(body, depth + 1, { list: '', level: 0 }) : [];
    this.noteList.push({ label, endnote: attrNS(note, NS.text, 'note-class') === 'endnote', blocks });
    return label;
  }

  /** The notes' bodies as blocks: each starting "[label] ". */
  noteBlocks(): Block[] {
    const out: Block[] = [];
    for (const { label, blocks } of this.noteList) {
      const [first, ...rest] = blocks;
      if (first && first.type === 'paragraph') out.push({ type: 'paragraph', text: canonicalText(`[${label}] ${first.text}`) }, ...rest);
      else out.push({ type: 'paragraph', text: canonicalText(`[${label}]`) }, ...blocks);
    }
    return out;
  }

  /** What the user should know: placeholders, notes moved, what was left out. */
  notes(): string[] {
    const out: string[] = [];
    const placeholders = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'} became ${n === 1 ? 'a placeholder' : 'placeholders'} naming ${n === 1 ? 'it' : 'them'}.`;
    if (this.images) out.push(placeholders(this.images, 'image'));
    if (this.objects) out.push(placeholders(this.objects, 'embedded object'));
    const endnotes = this.noteList.filter((n) => n.endnote).length;
    const moved = notesSentence({ footnotes: this.noteList.length - endnotes, endnotes }, 'at the end');
    if (moved) out.push(moved);
    if (this.comments) out.push(`${this.comments === 1 ? 'A comment was' : `${this.comments} comments were`} left out.`);
    if (this.indexes) out.push(`${this.indexes === 1 ? 'A table of contents or index was' : `${this.indexes} tables of contents or indexes were`} left out: ${this.indexes === 1 ? 'it repeats' : 'they repeat'} text found elsewhere.`);
    return out;
  }

  private count(): void {
    if (++this.blockCount > IMPORT_LIMITS.blocks) throw new ImportFailure(`The text has more than ${IMPORT_LIMITS.blocks.toLocaleString('en')} paragraphs and headings; Gloss does not import texts that long.`);
  }

  /** checkXml bounds the depth already; this keeps every walk bounded whatever reaches it. */
  private guard(depth: number): void {
    if (depth > XML_LIMITS.depth * 2) throw this.zip.fail(`its content nests more than ${XML_LIMITS.depth} levels deep`);
  }
}

/**
 * Trims white space at both ends and spaces around line breaks, by scanning: a regular
 * expression such as / +$/ takes quadratic time on the long runs of spaces `text:s` can make.
 */
function tidyLines(text: string): string {
  const lines = text.split('\n').map((line) => {
    let start = 0;
    let end = line.length;
    while (start < end && line[start] === ' ') start++;
    while (end > start && line[end - 1] === ' ') end--;
    return line.slice(start, end);
  });
  let first = 0;
  let last = lines.length;
  while (first < last && lines[first]!.trim() === '') first++;
  while (last > first && lines[last - 1]!.trim() === '') last--;
  const out = lines.slice(first, last).join('\n');
  let a = 0;
  let b = out.length;
  while (a < b && out[a] === '\t') a++;
  while (b > a && out[b - 1] === '\t') b--;
  return out.slice(a, b);
}

/** Title and author from meta.xml; publication, date and address from user-defined properties. */
function metaOf(doc: Document): ImportedText['meta'] {
  const meta = emptyMeta();
  const office = child(doc.documentElement!, NS.office, 'meta');
  if (!office) return meta;
  const field = (ns: string, local: string): string => {
    const el = child(office, ns, local);
    return el ? canonicalText(textIn(el).replace(/\s+/g, ' ').trim()) : '';
  };
  meta.title = field(NS.dc, 'title');
  // meta:initial-creator is the author; dc:creator is whoever saved it last.
  meta.author = field(NS.meta, 'initial-creator') || field(NS.dc, 'creator');
  // meta:creation-date and dc:date are when the file was made and last saved, not published.
  const custom = new Map<string, string>();
  for (const el of elements(office)) {
    const name = el.namespaceURI === NS.meta && el.localName === 'user-defined' ? attrNS(el, NS.meta, 'name').trim().toLowerCase() : '';
    if (name && !custom.has(name)) custom.set(name, canonicalText(textIn(el).replace(/\s+/g, ' ').trim()));
  }
  return { ...meta, ...customMeta(custom) };
}
