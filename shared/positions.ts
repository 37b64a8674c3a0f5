import type { Node as PMNode } from 'prosemirror-model';
import { BLOCK_SEPARATOR, textblockSpans, type TextblockSpan } from './plain-text';

/**
 * Exact maps between offsets in the canonical plain text and ProseMirror positions.
 *
 * Both count UTF-16 code units inside a textblock, so within a block the map is a shift; what
 * differs is the structure between blocks, which the index records once per document.
 */
export interface PositionIndex {
  /** The canonical plain text of the indexed document. */
  readonly text: string;
  /** Textblock spans in the plain text, in document order. */
  readonly spans: readonly TextblockSpan[];
  /** ProseMirror position of each textblock's content start, parallel to `spans`. */
  readonly pmStarts: readonly number[];
}

/** Which way an offset between two blocks resolves: to the next block's start or the previous block's end. */
export type Bias = 1 | -1;

/** Indexes the textblocks of a ProseMirror document. */
export function indexDoc(doc: PMNode): PositionIndex {
  const texts: string[] = [];
  const pmStarts: number[] = [];
  doc.descendants((node, pos) => {
    if (node.isTextblock) {
      texts.push(node.textContent);
      pmStarts.push(pos + 1);
      return false;
    }
    return true;
  });
  return { text: texts.join(BLOCK_SEPARATOR), spans: textblockSpans(texts), pmStarts };
}

/** Index of the last block whose start is ≤ `value` in an ascending array (−1 if none). */
function lastAtOrBefore(starts: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid]! <= value) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

const spanStarts = new WeakMap<PositionIndex, Int32Array>();
function startsOf(index: PositionIndex): Int32Array {
  let s = spanStarts.get(index);
  if (!s) {
    s = Int32Array.from(index.spans, (sp) => sp.start);
    spanStarts.set(index, s);
  }
  return s;
}

/** The block holding a plain-text offset, or the block an offset between blocks resolves to. */
export function blockAtOffset(index: PositionIndex, offset: number, bias: Bias = 1): number {
  const n = index.spans.length;
  if (n === 0) return -1;
  let i = lastAtOrBefore(startsOf(index), offset);
  if (i < 0) return 0;
  if (offset > index.spans[i]!.end && bias === 1 && i + 1 < n) i += 1;
  return i;
}

/** Plain-text offset → ProseMirror position. Offsets inside a separator follow `bias`. */
export function offsetToPos(index: PositionIndex, offset: number, bias: Bias = 1): number {
  const clamped = Math.max(0, Math.min(offset, index.text.length));
  const i = blockAtOffset(index, clamped, bias);
  if (i < 0) return 0;
  const span = index.spans[i]!;
  const inBlock = Math.max(0, Math.min(clamped - span.start, span.end - span.start));
  return index.pmStarts[i]! + inBlock;
}

/** ProseMirror position → plain-text offset. Positions between blocks follow `bias`. */
export function posToOffset(index: PositionIndex, pos: number, bias: Bias = 1): number {
  const n = index.spans.length;
  if (n === 0) return 0;
  const i = lastAtOrBefore(index.pmStarts, pos);
  if (i < 0) return 0;
  const span = index.spans[i]!;
  const len = span.end - span.start;
  const inBlock = pos - index.pmStarts[i]!;
  if (inBlock <= len) return span.start + inBlock;
  // Past the end of block i: structural position before block i+1.
  return bias === 1 && i + 1 < n ? index.spans[i + 1]!.start : span.end;
}
