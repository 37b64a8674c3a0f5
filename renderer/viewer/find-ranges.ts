import { blockAtOffset, posToOffset, type Bias } from '../../shared/positions';
import type { Hit } from '../../shared/text-search';
import { drawnRange } from '../find-matches';
import type { Viewer } from './viewer';

/**
 * Find's matches drawn over the article with the CSS Custom Highlight API: ranges of the DOM
 * painted by `::highlight(find)` and `::highlight(find-current)` (styles.css), so the document
 * and its decorations are never touched. An article can hold tens of thousands of matches, so
 * ranges are made only for those on screen and a few blocks around (at most MAX_DRAWN), again
 * after a scroll (once a frame), a resize, and whenever the article's DOM changes: passage
 * highlights redraw text nodes as the reader scrolls, which leaves ranges over the old ones
 * pointing at nothing.
 */

export const FIND_HIGHLIGHT = 'find';
export const FIND_CURRENT_HIGHLIGHT = 'find-current';

/** Blocks either side of those on screen whose matches are drawn too, so a scroll shows them at once. */
const MARGIN_BLOCKS = 4;
/** Ranges drawn at most: a screen of one-letter matches in a long paragraph costs no more. */
const MAX_DRAWN = 2000;

/** Whether this browser has the CSS Custom Highlight API (Chromium 105 and later). */
export function highlightsSupported(): boolean {
  return typeof CSS !== 'undefined' && 'highlights' in CSS && typeof Highlight === 'function';
}

/** A block's text nodes and where each starts in the block's text. */
interface BlockText {
  el: Node;
  nodes: Text[];
  starts: number[];
}

/** DOM positions of plain-text offsets, reading each block's text nodes once per drawing. */
class DomPoints {
  private blocks = new Map<number, BlockText | null>();

  constructor(private readonly viewer: Viewer) {}

  /** The DOM point of a text offset; an offset between two text nodes goes into the later one (`bias` 1) or the earlier. */
  at(offset: number, bias: Bias): { node: Node; offset: number } {
    const { index } = this.viewer;
    const block = blockAtOffset(index, offset, bias);
    const span = index.spans[block]!;
    const inBlock = Math.max(0, Math.min(offset - span.start, span.end - span.start));
    const text = this.textOf(block);
    if (!text) return this.viewer.view.domAtPos(index.pmStarts[block]! + inBlock, bias);
    if (text.nodes.length === 0) return { node: text.el, offset: 0 };
    // The last node starting before the offset (at it, for the later side).
    let lo = 0;
    let hi = text.nodes.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      const s = text.starts[mid]!;
      if (s < inBlock || (bias === 1 && s === inBlock)) lo = mid;
      else hi = mid - 1;
    }
    return { node: text.nodes[lo]!, offset: inBlock - text.starts[lo]! };
  }

  private textOf(block: number): BlockText | null {
    let text = this.blocks.get(block);
    if (text === undefined) {
      text = readBlock(this.viewer, block);
      this.blocks.set(block, text);
    }
    return text;
  }
}

/** A textblock's text nodes, or null when they do not add up to its text (then ProseMirror's own lookup is used). */
function readBlock(viewer: Viewer, block: number): BlockText | null {
  const el = viewer.view.nodeDOM(viewer.index.pmStarts[block]! - 1);
  if (!el) return null;
  const nodes: Text[] = [];
  const starts: number[] = [];
  let length = 0;
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
    if (n.data.length === 0) continue;
    nodes.push(n);
    starts.push(length);
    length += n.data.length;
  }
  const span = viewer.index.spans[block]!;
  return length === span.end - span.start ? { el, nodes, starts } : null;
}

function staticRange(points: DomPoints, hit: Hit): StaticRange {
  const a = points.at(hit.start, 1);
  const b = points.at(hit.end, -1);
  return new StaticRange({ startContainer: a.node, startOffset: a.offset, endContainer: b.node, endOffset: b.offset });
}

/** A DOM range over a match (for the current one, and for tests reading where it is drawn). */
export function domRange(viewer: Viewer, hit: Hit): Range {
  const points = new DomPoints(viewer);
  const a = points.at(hit.start, 1);
  const b = points.at(hit.end, -1);
  const range = document.createRange();
  range.setStart(a.node, a.offset);
  range.setEnd(b.node, b.offset);
  return range;
}

/** The text offsets of the first and last text on screen, or null when the article is not laid out. */
function textOnScreen(viewer: Viewer, scroller: HTMLElement): [number, number] | null {
  const { view, index } = viewer;
  const box = scroller.getBoundingClientRect();
  const inner = view.dom.getBoundingClientRect();
  const top = Math.max(box.top, inner.top) + 2;
  const bottom = Math.min(box.bottom, inner.bottom) - 2;
  if (bottom <= top || inner.width === 0) return null;
  const left = inner.left + Math.min(40, inner.width / 2);
  const first = view.posAtCoords({ left, top });
  const last = view.posAtCoords({ left, top: bottom });
  if (!first || !last) return null;
  return [posToOffset(index, first.pos), posToOffset(index, last.pos)];
}

/**
 * Draws one search's matches over one viewer. `set` gives the matches and which is current;
 * `destroy` takes the highlights away and stops listening.
 */
export class FindHighlights {
  private hits: readonly Hit[] = [];
  private current = -1;
  private frame = 0;
  /** What the last drawing covered, so a scroll that reveals no other match draws nothing. */
  private drawnKey = '';
  private readonly mutations: MutationObserver;
  private readonly resize: ResizeObserver;
  private destroyed = false;

  constructor(
    private readonly viewer: Viewer,
    private readonly scroller: HTMLElement,
  ) {
    this.scroller.addEventListener('scroll', this.schedule, { passive: true });
    // At once, before the next paint: decorations redrawn took the ranges' text nodes away.
    this.mutations = new MutationObserver(() => this.draw(true));
    this.mutations.observe(viewer.view.dom, { childList: true, subtree: true, characterData: true });
    this.resize = new ResizeObserver(this.schedule);
    this.resize.observe(this.scroller);
  }

  /** Draws these matches (in text order), `current` (an index, or −1) emphasised. */
  set(hits: readonly Hit[], current: number): void {
    this.hits = hits;
    this.current = current;
    this.draw(true);
  }

  /** Draws again in the next frame (after a scroll or a resize). */
  readonly schedule = (): void => {
    if (this.frame || this.destroyed) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw(false);
    });
  };

  private draw(force: boolean): void {
    if (this.destroyed || this.viewer.view.isDestroyed || !highlightsSupported()) return;
    const { hits, current } = this;
    let first = 0;
    let last = 0;
    const screen = hits.length ? textOnScreen(this.viewer, this.scroller) : null;
    if (screen) {
      const { index } = this.viewer;
      const top = blockAtOffset(index, screen[0], 1);
      const bottom = blockAtOffset(index, screen[1], -1);
      const from = index.spans[Math.max(0, top - MARGIN_BLOCKS)]!.start;
      const to = index.spans[Math.min(index.spans.length - 1, bottom + MARGIN_BLOCKS)]!.end;
      [first, last] = drawnRange(hits, from, to + 1, MAX_DRAWN, (screen[0] + screen[1]) / 2);
    }
    const key = `${first}:${last}:${current}`;
    if (!force && key === this.drawnKey) return;
    this.drawnKey = key;
    const points = new DomPoints(this.viewer);
    const ranges: StaticRange[] = [];
    for (let i = first; i < last; i++) if (i !== current) ranges.push(staticRange(points, hits[i]!));
    CSS.highlights.set(FIND_HIGHLIGHT, new Highlight(...ranges));
    const hit = hits[current];
    if (hit) {
      const emphasis = new Highlight(domRange(this.viewer, hit));
      emphasis.priority = 1;
      CSS.highlights.set(FIND_CURRENT_HIGHLIGHT, emphasis);
    } else CSS.highlights.delete(FIND_CURRENT_HIGHLIGHT);
  }

  destroy(): void {
    this.destroyed = true;
    cancelAnimationFrame(this.frame);
    this.scroller.removeEventListener('scroll', this.schedule);
    this.mutations.disconnect();
    this.resize.disconnect();
    if (highlightsSupported()) {
      CSS.highlights.delete(FIND_HIGHLIGHT);
      CSS.highlights.delete(FIND_CURRENT_HIGHLIGHT);
    }
  }
}
