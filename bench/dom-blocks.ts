import type { Block } from '../shared/model';

/**
 * The plain-DOM baselines' article: block structure as ordinary elements, with every textblock
 * made by `textblock` (which decides how its text node is recorded).
 */
export function appendBlocks(parent: HTMLElement, blocks: readonly Block[], textblock: (tag: string, text: string) => HTMLElement): void {
  for (const b of blocks) {
    if (b.type === 'paragraph') parent.append(textblock('p', b.text));
    else if (b.type === 'heading') parent.append(textblock(`h${Math.min(6, b.level + 1)}`, b.text));
    else if (b.type === 'blockquote') {
      const q = document.createElement('blockquote');
      parent.append(q);
      appendBlocks(q, b.children, textblock);
    } else {
      const list = document.createElement(b.ordered ? 'ol' : 'ul');
      parent.append(list);
      for (const item of b.items) {
        const li = document.createElement('li');
        list.append(li);
        appendBlocks(li, item, textblock);
      }
    }
  }
}
