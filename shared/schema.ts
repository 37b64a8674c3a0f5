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
    doc: { content: 'title byline (block | chunk)*' },
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
    /**
     * A run of consecutive top-level blocks, drawn as one element that the browser lays out only
     * when it comes near the viewport (see `buildDoc`'s `chunk`). Structure only: no text of its own.
     */
    chunk: { content: 'block+', toDOM: () => ['div', { class: 'chunk' }, 0] },
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
 * textblocks are exactly those of `textblockTexts()` and it satisfies the schema. With `chunk`,
 * every `chunk` consecutive top-level blocks are grouped in one chunk node; the textblocks, and
 * so the plain text and every offset in it, stay the same.
 */
export function buildDoc(meta: DocumentMeta, blocks: readonly Block[], opts: { chunk?: number } = {}): PMNode {
  const nodes = normalizeBlocks(blocks).map(blockToNode);
  const size = opts.chunk ?? 0;
  const body: PMNode[] = [];
  if (size > 0) for (let i = 0; i < nodes.length; i += size) body.push(schema.node('chunk', null, nodes.slice(i, i + size)));
  else body.push(...nodes);
  return schema.topNodeType.createChecked(null, [schema.node('title', { text: meta.title }), schema.node('byline', { text: bylineText(meta) }), ...body]);
}
