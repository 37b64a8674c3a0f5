import type { EditorView } from 'prosemirror-view';
import { offsetToPos, posToOffset, type PositionIndex } from '../../shared/positions';
import type { ReadingPlace } from '../layout-memory';

/**
 * Where text is on screen, for what sits beside the article: the boxes a range covers (for pop-ups
 * to stay clear of), and the reading place (what is at the top of the view) to come back to.
 */

/** Frames over which a restored place is held while the chunks around it are laid out. */
const SETTLE_FRAMES = 8;

/**
 * The boxes a plain-text range covers, at most three: its first line from its start to the
 * article's right edge, the full-width lines between, and its last line up to its end (one box
 * when it is on one line). Two positions are measured whatever the range's length, so a
 * selection of a whole book costs no more than a word.
 */
export function rangeBoxes(view: EditorView, index: PositionIndex, start: number, end: number): DOMRect[] {
  const a = view.coordsAtPos(offsetToPos(index, start, 1), 1);
  const b = view.coordsAtPos(offsetToPos(index, end, -1), -1);
  const article = view.dom.getBoundingClientRect();
  const box = (left: number, top: number, right: number, bottom: number): DOMRect => new DOMRect(left, top, Math.max(1, right - left), Math.max(0, bottom - top));
  // On one line: the end's box starts before the start's box ends.
  if (b.top < a.bottom - 1) return [box(Math.min(a.left, b.left), Math.min(a.top, b.top), Math.max(a.right, b.right), Math.max(a.bottom, b.bottom))];
  const boxes = [box(a.left, a.top, article.right, a.bottom)];
  if (b.top > a.bottom) boxes.push(box(article.left, a.bottom, article.right, b.top));
  boxes.push(box(article.left, b.top, b.right, b.bottom));
  return boxes;
}

/** What is at the top of the article's view in `scroller`. */
export function readingPlace(view: EditorView, index: PositionIndex, scroller: HTMLElement): ReadingPlace {
  const box = scroller.getBoundingClientRect();
  const inner = view.dom.getBoundingClientRect();
  const hit = inner.bottom > box.top ? view.posAtCoords({ left: inner.left + Math.min(40, inner.width / 2), top: Math.max(box.top, inner.top) + 1 }) : null;
  // Above the body's first line (the title, the byline, what is above the article): pixels, which nothing lazy changes there.
  const first = index.pmStarts[0];
  if (!hit || first === undefined || hit.pos < first || inner.top >= box.top) return { px: Math.round(scroller.scrollTop) };
  const offset = posToOffset(index, hit.pos);
  const line = view.coordsAtPos(offsetToPos(index, offset));
  return { offset, within: Math.round(box.top - line.top) };
}

/**
 * Scrolls back to a reading place. The chunks above it keep guessed heights until they are laid
 * out (content-visibility), which moves the text once they are: the place is held for the next
 * frames, and let go as soon as anything else scrolls the article (the user).
 */
export function restoreReadingPlace(view: EditorView, index: PositionIndex, scroller: HTMLElement, place: ReadingPlace): () => void {
  if ('px' in place) {
    scroller.scrollTop = place.px;
    return () => undefined;
  }
  const pos = offsetToPos(index, place.offset);
  const align = (): number => {
    if (view.isDestroyed) return scroller.scrollTop;
    const at = view.coordsAtPos(pos).top;
    const want = scroller.getBoundingClientRect().top - place.within;
    if (Math.abs(at - want) > 1) scroller.scrollTop += at - want;
    return scroller.scrollTop;
  };
  let set = align();
  let frame = 0;
  let left = SETTLE_FRAMES;
  const next = (): void => {
    frame = requestAnimationFrame(() => {
      if (view.isDestroyed || Math.abs(scroller.scrollTop - set) > 2 || left-- <= 0) return;
      set = align();
      next();
    });
  };
  next();
  return () => cancelAnimationFrame(frame);
}
