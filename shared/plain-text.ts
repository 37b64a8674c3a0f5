import type { Block } from './model';

/**
 * The canonical plain text of a document is the text of its textblocks (title first, then every
 * heading, paragraph and list-item paragraph in document order) joined by this separator. All
 * selectors count UTF-16 code units of this string.
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

/** Textblock texts in document order; the title counts as the first textblock. */
export function textblockTexts(title: string, blocks: readonly Block[]): string[] {
  const out: string[] = [title];
  const walk = (list: readonly Block[]): void => {
    for (const b of list) {
      switch (b.type) {
        case 'heading':
        case 'paragraph':
          out.push(b.text);
          break;
        case 'blockquote':
          walk(b.children);
          break;
        case 'list':
          for (const item of b.items) walk(item);
          break;
      }
    }
  };
  walk(normalizeBlocks(blocks));
  return out;
}

/** The canonical plain text of a document. */
export function plainText(title: string, blocks: readonly Block[]): string {
  return textblockTexts(title, blocks).join(BLOCK_SEPARATOR);
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
