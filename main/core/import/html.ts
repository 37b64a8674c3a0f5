import { parse } from 'parse5';
import type { DefaultTreeAdapterMap } from 'parse5';
import type { Block, DocumentMeta } from '../../../shared/model';
import { canonicalText } from '../../../shared/plain-text';
import { IMPORT_LIMITS, ImportFailure, emptyMeta, isSpace, isoDate, trimEnds, type ImportedText } from './types';

/**
 * HTML to the viewer's blocks, by an allow-list walk over parse5's tree: the walk *is* the
 * sanitiser. Only text is ever taken from the markup; no element, attribute or URL survives, so
 * nothing imported can execute or fetch. What it keeps:
 *
 *   h1–h6 → headings; p, div and other boxes → paragraphs; blockquote → block quotes; ul/ol/dl →
 *   lists; table → one paragraph per row, cells joined by " | "; pre → a paragraph keeping its
 *   line breaks; br → a line break; img, svg, video, audio, picture, canvas → a short placeholder
 *   naming them ("[Image: a map of the border]").
 *
 * Dropped with everything inside: head, script, style, template, noscript, iframe, frame, object,
 * embed, form controls, select, button, dialog, math. Links keep their text only. Markdown and
 * (through mammoth) DOCX reach Gloss through this walk too, and EPUB chapters.
 */

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

const DROPPED = new Set([
  'head', 'script', 'style', 'template', 'noscript', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet',
  'form', 'input', 'textarea', 'select', 'option', 'button', 'dialog', 'math', 'meta', 'link', 'base', 'param', 'source', 'track', 'area', 'map',
]);
const MEDIA: Record<string, string> = { img: 'Image', svg: 'Image', picture: 'Image', canvas: 'Image', video: 'Video', audio: 'Audio' };
const HEADINGS: Record<string, 1 | 2 | 3 | 4 | 5 | 6> = { h1: 1, h2: 2, h3: 3, h4: 4, h5: 5, h6: 6 };
/** Elements that are a block box: text before and after them is another paragraph. */
const BOXES = new Set([
  'p', 'div', 'section', 'article', 'main', 'aside', 'header', 'footer', 'nav', 'address', 'figure', 'figcaption', 'center',
  'details', 'summary', 'fieldset', 'legend', 'caption', 'body', 'html', 'hgroup', 'search', 'li', 'dd', 'dt', 'td', 'th', 'tr', 'tbody', 'thead', 'tfoot',
]);

interface Walk {
  notes: Map<string, number>;
  blocks: number;
}

/** Imports an HTML document: its blocks and what its head says (title, author, date, publication, address). */
export function importHtml(html: string): ImportedText {
  if (html.length > IMPORT_LIMITS.markupBytes) throw new ImportFailure(`The page is too large to import (${Math.round(html.length / 1048576)} MB of markup; the limit is ${IMPORT_LIMITS.markupBytes / 1048576} MB).`);
  const doc = parse(html);
  const htmlEl = doc.childNodes.find((n): n is Element => n.nodeName === 'html');
  const head = htmlEl?.childNodes.find((n): n is Element => n.nodeName === 'head');
  const body = htmlEl?.childNodes.find((n): n is Element => n.nodeName === 'body');
  const { blocks, notes } = htmlToBlocks(body ?? doc);
  return { meta: head ? metaOf(head) : emptyMeta(), blocks, notes };
}

/** The blocks of an element's content (a body, or a fragment a caller parsed). */
export function htmlToBlocks(root: Node): { blocks: Block[]; notes: string[] } {
  const walk: Walk = { notes: new Map(), blocks: 0 };
  const blocks = flow(root, walk, 0);
  const notes = [...walk.notes].map(([what, n]) => `${n} ${what.toLowerCase()}${n === 1 ? '' : 's'} became ${n === 1 ? 'a placeholder' : 'placeholders'} naming ${n === 1 ? 'it' : 'them'}.`);
  return { blocks, notes };
}

/**
 * The blocks of `el`'s children: block elements become blocks, and runs of inline content
 * between them become paragraphs.
 */
function flow(el: Node, walk: Walk, depth: number): Block[] {
  return flowNodes(childrenOf(el), walk, depth);
}

function flowNodes(nodes: readonly Node[], walk: Walk, depth: number): Block[] {
  const out: Block[] = [];
  let inline: string[] = [];
  const flush = (): void => {
    const text = tidy(inline.join(''));
    inline = [];
    if (text !== '') push(out, { type: 'paragraph', text }, walk);
  };
  for (const child of nodes) {
    if (isText(child)) {
      inline.push(child.value);
      continue;
    }
    if (!isElement(child)) continue;
    const name = child.nodeName;
    if (DROPPED.has(name)) continue;
    if (depth >= IMPORT_LIMITS.depth) {
      // Nested past reason (a hostile page): the rest is read as plain text.
      inline.push(' ', textOf(child), ' ');
      continue;
    }
    const level = HEADINGS[name];
    if (level) {
      flush();
      const text = tidy(inlineText(child, walk));
      if (text !== '') push(out, { type: 'heading', level, text }, walk);
    } else if (name === 'blockquote') {
      flush();
      const children = flow(child, walk, depth + 1);
      if (children.length) push(out, { type: 'blockquote', children }, walk);
    } else if (name === 'ul' || name === 'ol' || name === 'menu' || name === 'dl') {
      flush();
      const items = listItems(child, walk, depth + 1);
      if (items.length) push(out, { type: 'list', ordered: name === 'ol', items }, walk);
    } else if (name === 'table') {
      flush();
      for (const row of tableRows(child, walk)) push(out, { type: 'paragraph', text: row }, walk);
    } else if (name === 'pre') {
      flush();
      const text = trimEnds(canonicalText(preText(child, walk)), isSpace, (c) => c === '\n');
      if (text !== '') push(out, { type: 'paragraph', text }, walk);
    } else if (name === 'hr') {
      flush();
    } else if (BOXES.has(name)) {
      flush();
      out.push(...flow(child, walk, depth + 1));
    } else {
      inline.push(inlineText(child, walk));
    }
  }
  flush();
  return out;
}

function push(out: Block[], block: Block, walk: Walk): void {
  if (++walk.blocks > IMPORT_LIMITS.blocks) throw new ImportFailure(`The text has more than ${IMPORT_LIMITS.blocks.toLocaleString('en')} paragraphs and headings; Gloss does not import texts that long.`);
  out.push(block);
}

/** The items of a list: each `li` (or `dt`/`dd`) its own blocks; stray content an item of its own. */
function listItems(list: Element, walk: Walk, depth: number): Block[][] {
  const items: Block[][] = [];
  for (const child of childrenOf(list)) {
    if (isElement(child) && (child.nodeName === 'li' || child.nodeName === 'dt' || child.nodeName === 'dd')) {
      const blocks = flow(child, walk, depth);
      if (blocks.length) items.push(blocks);
    } else if (isElement(child) && !DROPPED.has(child.nodeName)) {
      const blocks = flowNodes([child], walk, depth);
      if (blocks.length) items.push(blocks);
    } else if (isText(child) && child.value.trim() !== '') {
      items.push([{ type: 'paragraph', text: tidy(child.value) }]);
    }
  }
  return items;
}

/** One line per table row: the caption, then each row's cells joined by " | ". */
function tableRows(table: Element, walk: Walk): string[] {
  const rows: string[] = [];
  const visit = (el: Element): void => {
    for (const child of childrenOf(el)) {
      if (!isElement(child) || DROPPED.has(child.nodeName)) continue;
      if (child.nodeName === 'caption') {
        const text = tidy(inlineText(child, walk));
        if (text) rows.push(text);
      } else if (child.nodeName === 'tr') {
        const cells = childrenOf(child)
          .filter((c): c is Element => isElement(c) && (c.nodeName === 'td' || c.nodeName === 'th'))
          .map((c) => tidy(inlineText(c, walk)));
        if (cells.some((c) => c !== '')) rows.push(cells.join(' | '));
      } else if (child.nodeName === 'thead' || child.nodeName === 'tbody' || child.nodeName === 'tfoot') {
        visit(child);
      }
    }
  };
  visit(table);
  return rows;
}

/** The text of inline content: line breaks kept, media named, dropped elements gone. */
function inlineText(el: Node, walk: Walk): string {
  const parts: string[] = [];
  // Iterative: inline markup can be nested as deep as a hostile page likes.
  const stack: Node[] = [el];
  while (stack.length) {
    const node = stack.pop()!;
    if (isText(node)) {
      parts.push(node.value);
      continue;
    }
    if (!isElement(node) && node !== el) continue;
    const name = node.nodeName;
    if (node !== el && DROPPED.has(name)) continue;
    if (name === 'br') {
      parts.push(LINE_BREAK);
      continue;
    }
    const media = MEDIA[name];
    if (media) {
      parts.push(` ${placeholder(node as Element, media, walk)} `);
      continue;
    }
    // Block elements inside inline content (a <p> inside a <td>): a space between them.
    if (node !== el && (BOXES.has(name) || HEADINGS[name])) parts.push(' ');
    const kids = childrenOf(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  return parts.join('');
}

/** Text inside `pre`, white space as it is. */
function preText(el: Element, walk: Walk): string {
  return inlineText(el, walk).replaceAll(LINE_BREAK, '\n');
}

/** Every text inside `el`, without structure (for content nested past the depth limit). */
function textOf(el: Node): string {
  const parts: string[] = [];
  const stack: Node[] = [el];
  while (stack.length) {
    const node = stack.pop()!;
    if (isText(node)) parts.push(node.value);
    else if (isElement(node) && DROPPED.has(node.nodeName)) continue;
    else {
      const kids = childrenOf(node);
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
    }
  }
  return parts.join(' ');
}

function placeholder(el: Element, kind: string, walk: Walk): string {
  walk.notes.set(kind, (walk.notes.get(kind) ?? 0) + 1);
  const label = attr(el, 'alt') || attr(el, 'aria-label') || attr(el, 'title') || fileNameOf(attr(el, 'src'));
  const clean = label.replace(/\s+/g, ' ').trim().slice(0, 200);
  return clean ? `[${kind}: ${clean}]` : `[${kind}]`;
}

/** The last path segment of a URL, never the URL itself (it may be remote). */
function fileNameOf(src: string): string {
  if (!src || src.startsWith('data:')) return '';
  const path = src.split(/[?#]/)[0]!;
  try {
    return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
  } catch {
    return path.slice(path.lastIndexOf('/') + 1);
  }
}

/** A `br` while inline text is gathered (source line ends are white space, this is not). */
const LINE_BREAK = '\u2028';

/** HTML white space collapsed to single spaces, line breaks kept, trimmed; canonical. */
function tidy(text: string): string {
  const collapsed = text.replace(/[ \t\n\f\r]+/g, ' ').replace(/ ?\u2028 ?/g, '\n');
  return canonicalText(trimEnds(collapsed, (c) => c === ' ' || c === '\n'));
}

function metaOf(head: Element): DocumentMeta {
  const meta = emptyMeta();
  const named = new Map<string, string>();
  let title = '';
  let canonical = '';
  for (const el of childrenOf(head)) {
    if (!isElement(el)) continue;
    if (el.nodeName === 'title') title = tidy(textOf(el));
    if (el.nodeName === 'meta') {
      const key = (attr(el, 'name') || attr(el, 'property')).toLowerCase();
      const content = attr(el, 'content').replace(/\s+/g, ' ').trim();
      if (key && content && !named.has(key)) named.set(key, content);
    }
    if (el.nodeName === 'link' && attr(el, 'rel').toLowerCase().split(/\s+/).includes('canonical')) canonical = attr(el, 'href');
  }
  const first = (...keys: string[]): string => keys.map((k) => named.get(k) ?? '').find((v) => v !== '') ?? '';
  meta.title = canonicalText(first('citation_title', 'dc.title', 'og:title') || title);
  meta.author = canonicalText(first('citation_author', 'dc.creator', 'author', 'article:author'));
  meta.publication = canonicalText(first('citation_journal_title', 'og:site_name', 'dc.publisher', 'citation_publisher'));
  meta.date = isoDate(first('citation_publication_date', 'citation_date', 'dc.date', 'article:published_time', 'date'));
  const url = first('citation_public_url', 'og:url') || canonical;
  // Only an absolute web address is an address; anything else (javascript:, relative) is not kept.
  meta.url = /^https?:\/\/[^\s]+$/i.test(url) ? url : '';
  return meta;
}

function attr(el: Element, name: string): string {
  return el.attrs.find((a) => a.name === name)?.value ?? '';
}

function childrenOf(node: Node): Node[] {
  if (node.nodeName === 'template') return [];
  return 'childNodes' in node ? (node.childNodes as Node[]) : [];
}

function isText(node: Node): node is DefaultTreeAdapterMap['textNode'] {
  return node.nodeName === '#text';
}

function isElement(node: Node): node is Element {
  return 'tagName' in node;
}
