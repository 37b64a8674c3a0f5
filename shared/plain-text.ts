import type { Block } from './model';

/**
 * The canonical plain text of a document is the text of its body's textblocks (every heading,
 * paragraph and list-item paragraph in document order) joined by this separator. The title is
 * metadata, not text: renaming a document moves no passage. All selectors count UTF-16 code
 * units of this string.
 */
export const BLOCK_SEPARATOR = '\n\n';

/** One textblock's place in the canonical plain text. */
export interface TextblockSpan {
  /** Offset of the block's first character in the plain text. */
  start: number;
  /** Offset just past the block's last character. */
  end: number;
}

const emptyParagraph = (): Block => ({ type: 'paragraph', text: '' });

/**
 * The block tree as the viewer shows it: a block quote holds at least one block, a list at least
 * one item, and a list item starts with a paragraph (empty ones are added where missing). Both
 * the plain text and the viewer's document are built from this form, so they always agree.
 */
export function normalizeBlocks(blocks: readonly Block[]): Block[] {
  return blocks.map((b): Block => {
    switch (b.type) {
      case 'heading':
      case 'paragraph':
        return b;
      case 'blockquote':
        return { type: 'blockquote', children: b.children.length ? normalizeBlocks(b.children) : [emptyParagraph()] };
      case 'list': {
        const items = (b.items.length ? b.items : [[]]).map((item) => {
          const inner = normalizeBlocks(item);
          return inner[0]?.type === 'paragraph' ? inner : [emptyParagraph(), ...inner];
        });
        return { type: 'list', ordered: b.ordered, items };
      }
    }
  });
}

/**
 * Calls `visit` for each textblock of the body (heading or paragraph, in document order) with
 * its text, the index of the top-level block it is in (of the normalised tree), and whether it is
 * a heading. Returns the number of top-level blocks. The one walk every textblock view uses.
 */
export function forEachTextblock(blocks: readonly Block[], visit: (text: string, top: number, heading: boolean) => void): number {
  const walk = (list: readonly Block[], top: number): void => {
    for (const b of list) {
      switch (b.type) {
        case 'heading':
        case 'paragraph':
          visit(b.text, top, b.type === 'heading');
          break;
        case 'blockquote':
          walk(b.children, top);
          break;
        case 'list':
          for (const item of b.items) walk(item, top);
          break;
      }
    }
  };
  const tops = normalizeBlocks(blocks);
  tops.forEach((b, i) => walk([b], i));
  return tops.length;
}

/** Textblock texts of the body, in document order. */
export function textblockTexts(blocks: readonly Block[]): string[] {
  const out: string[] = [];
  forEachTextblock(blocks, (text) => out.push(text));
  return out;
}

/** The canonical plain text of a document's body. */
export function plainText(blocks: readonly Block[]): string {
  return textblockTexts(blocks).join(BLOCK_SEPARATOR);
}

/** Where each textblock sits in the plain text, in order. */
export function textblockSpans(texts: readonly string[]): TextblockSpan[] {
  const spans: TextblockSpan[] = [];
  let at = 0;
  for (const t of texts) {
    spans.push({ start: at, end: at + t.length });
    at += t.length + BLOCK_SEPARATOR.length;
  }
  return spans;
}

/**
 * Why a text cannot enter a project as it is, or null when it is canonical: Unicode NFC and LF
 * line ends only. Text is normalised once when it enters (see `canonicalText`), so offsets never
 * depend on how a file happened to encode a character or a line end.
 */
export function nonCanonical(text: string): string | null {
  if (text.includes('\r')) return 'holds carriage returns (line ends must be LF)';
  if (text.normalize('NFC') !== text) return 'is not in Unicode normalisation form C';
  return null;
}

/** A text in canonical form: CRLF and CR line ends become LF, then NFC. */
export function canonicalText(text: string): string {
  return text.replace(/\r\n?/g, '\n').normalize('NFC');
}

/** A block tree with every text in canonical form (see `canonicalText`). */
export function canonicalBlocks(blocks: readonly Block[]): Block[] {
  return blocks.map((b): Block => {
    switch (b.type) {
      case 'heading':
      case 'paragraph':
        return { ...b, text: canonicalText(b.text) };
      case 'blockquote':
        return { ...b, children: canonicalBlocks(b.children) };
      case 'list':
        return { ...b, items: b.items.map(canonicalBlocks) };
    }
  });
}

/** Document metadata with every text field in canonical form (unknown extra fields kept as they are). */
export function canonicalMeta<M extends object>(meta: M): M {
  return Object.fromEntries(Object.entries(meta).map(([k, v]) => [k, typeof v === 'string' ? canonicalText(v) : v])) as M;
}
