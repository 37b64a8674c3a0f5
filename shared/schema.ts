import { Schema, type Node as PMNode } from 'prosemirror-model';
import type { Block, DocumentMeta } from './model';
import { normalizeBlocks } from './plain-text';

/**
 * The viewer's ProseMirror schema. The document is read-only, so the schema describes article
 * structure only: no marks, no editing affordances. `title` and `byline` are atoms: shown, but
 * metadata rather than text, so they take no part in the canonical plain text.
 */
export const schema = new Schema({
  nodes: {
    doc: { content: 'title byline block*' },
    title: {
      atom: true,
      selectable: false,
      attrs: { text: { default: '' } },
      toDOM: (node) => ['h1', { class: 'doc-title' }, String(node.attrs['text'])],
    },
    byline: {
      atom: true,
      selectable: false,
      attrs: { text: { default: '' } },
      toDOM: (node) => ['p', { class: 'doc-byline', 'data-byline': '' }, String(node.attrs['text'])],
    },
    paragraph: { group: 'block', content: 'text*', toDOM: () => ['p', 0] },
    heading: {
      group: 'block',
      content: 'text*',
      attrs: { level: { default: 2 } },
      defining: true,
      // The article title is the page's h1, so article headings start one level below it.
      toDOM: (node) => [`h${Math.min(6, Number(node.attrs['level']) + 1)}`, 0],
    },
    blockquote: { group: 'block', content: 'block+', toDOM: () => ['blockquote', 0] },
    bullet_list: { group: 'block', content: 'list_item+', toDOM: () => ['ul', 0] },
    ordered_list: { group: 'block', content: 'list_item+', toDOM: () => ['ol', 0] },
    list_item: { content: 'paragraph block*', toDOM: () => ['li', 0] },
    text: {},
  },
  marks: {},
});

/** The byline shown under the title: author, publication and date where known. */
export function bylineText(meta: DocumentMeta): string {
  return [meta.author, meta.publication, meta.date].filter((s) => s.trim() !== '').join(' · ');
}

function textblock(type: 'paragraph', text: string): PMNode {
  return schema.node(type, null, text === '' ? [] : [schema.text(text)]);
}

function blockToNode(b: Block): PMNode {
  switch (b.type) {
    case 'paragraph':
      return textblock('paragraph', b.text);
    case 'heading':
      return schema.node('heading', { level: b.level }, b.text === '' ? [] : [schema.text(b.text)]);
    case 'blockquote':
      return schema.node('blockquote', null, b.children.map(blockToNode));
    case 'list':
      return schema.node(
        b.ordered ? 'ordered_list' : 'bullet_list',
        null,
        b.items.map((item) => schema.node('list_item', null, item.map(blockToNode))),
      );
  }
}

/**
 * Builds the viewer document from the normalised blocks (see `normalizeBlocks`), so its
 * textblocks are exactly those of `textblockTexts()` and it satisfies the schema.
 */
export function buildDoc(meta: DocumentMeta, blocks: readonly Block[]): PMNode {
  return schema.topNodeType.createChecked(null, [
    schema.node('title', { text: meta.title }),
    schema.node('byline', { text: bylineText(meta) }),
    ...normalizeBlocks(blocks).map(blockToNode),
  ]);
}
