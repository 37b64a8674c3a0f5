import type { Block } from '../shared/model';
import type { TextblockSpan } from '../shared/plain-text';

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

/** The first textblock whose span ends at or after `offset` (binary search). */
export function textblockAt(spans: readonly TextblockSpan[], offset: number): number {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid]!.end < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The plain-DOM baselines' ranges for a passage `[start, end)` of the plain text: one Range per
 * textblock piece, over `textNodes[b]`, the text node of textblock `b` (whose span is `spans[b]`).
 */
export function passageRanges(spans: readonly TextblockSpan[], textNodes: readonly Text[], start: number, end: number): Range[] {
  const out: Range[] = [];
  for (let b = textblockAt(spans, start); b < spans.length; b++) {
    const span = spans[b]!;
    if (span.start >= end) break;
    const s = Math.max(start, span.start);
    const e = Math.min(end, span.end);
    if (e <= s) continue;
    const range = new Range();
    range.setStart(textNodes[b]!, s - span.start);
    range.setEnd(textNodes[b]!, e - span.start);
    out.push(range);
  }
  return out;
}
