/**
 * Where a pop-up (the code picker, the overlap chooser, a menu) goes beside what it belongs to:
 * fully inside the window, never over the anchor (the selected text, the clicked line) when the
 * window leaves any room for it. Pure: boxes in, a position out; the DOM side is
 * `components/use-placement.ts`.
 *
 * Below the anchor first (where the eye goes after selecting), then above, then beside it (right,
 * then left). When none of those holds the pop-up whole, the side showing most of it is taken and
 * the pop-up is made shorter (`maxHeight`: its list scrolls). Only when no side has even
 * `minHeight` of room does it cover part of the anchor (`overlaps`), pinned to the window's edge
 * with more room.
 */

/** A box in viewport coordinates (CSS pixels), like a DOMRect's edges. */
export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface Size {
  width: number;
  height: number;
}

export type Side = 'below' | 'above' | 'right' | 'left';

export interface Placement {
  left: number;
  top: number;
  /** The pop-up may be at most this tall there (the room that side has); its list scrolls beyond. */
  maxHeight: number;
  /** The pop-up may be at most this wide (the window less its margins). */
  maxWidth: number;
  side: Side;
  /** No side had room: the pop-up covers part of the anchor. */
  overlaps: boolean;
}

export interface PlaceOptions {
  /** Space kept between the pop-up and the window's edges. */
  margin?: number;
  /** Space kept between the pop-up and the anchor. */
  gap?: number;
  /** The least height worth showing on a side (the filter and a row or two); below it, a side does not count. */
  minHeight?: number;
  /** Tried first: the side the pop-up is on now, so that it does not jump while it changes size. */
  prefer?: Side;
  /** Where the pop-up's left edge would like to be when below or above (the selection's end). */
  x?: number;
}

/** Space between a pop-up and the window's edges. */
export const MARGIN = 8;
/** Space between a pop-up and what it belongs to. */
export const GAP = 6;
/** Below this height a side is not worth showing the pop-up on. */
export const MIN_HEIGHT = 96;

const clamp = (v: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, v));

/** The smallest box holding every box (none: an empty box at the origin). */
export function unionOf(boxes: readonly Box[]): Box {
  if (boxes.length === 0) return { left: 0, top: 0, right: 0, bottom: 0 };
  let { left, top, right, bottom } = boxes[0]!;
  for (const b of boxes) {
    left = Math.min(left, b.left);
    top = Math.min(top, b.top);
    right = Math.max(right, b.right);
    bottom = Math.max(bottom, b.bottom);
  }
  return { left, top, right, bottom };
}

/**
 * The boxes kept inside `within` (the part of the article in view): a box wholly outside it
 * becomes a flat box on the edge it went past, so that a pop-up whose selection has scrolled
 * away waits at that edge of the article rather than leaving the window.
 */
export function clampBoxes(boxes: readonly Box[], within: Box): Box[] {
  return boxes.map((b) => {
    const top = clamp(b.top, within.top, within.bottom);
    const bottom = clamp(b.bottom, within.top, within.bottom);
    const left = clamp(b.left, within.left, within.right);
    const right = clamp(b.right, within.left, within.right);
    return { left, top, right: Math.max(left, right), bottom: Math.max(top, bottom) };
  });
}

/** Whether two boxes share any area (touching edges do not count). */
export function intersects(a: Box, b: Box): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

/** Where a pop-up of `size` goes beside `anchor` (one or more boxes) in a window of `viewport`. */
export function placePopup(anchor: readonly Box[], size: Size, viewport: Size, opts: PlaceOptions = {}): Placement {
  const m = opts.margin ?? MARGIN;
  const g = opts.gap ?? GAP;
  const vw = viewport.width;
  const vh = viewport.height;
  const maxWidth = Math.max(0, vw - 2 * m);
  const tallest = Math.max(0, vh - 2 * m);
  const w = Math.min(size.width, maxWidth);
  const h = size.height;
  const minHeight = Math.min(opts.minHeight ?? MIN_HEIGHT, h);
  const u = clampBoxes([unionOf(anchor)], { left: 0, top: 0, right: vw, bottom: vh })[0]!;
  const across = clamp(opts.x ?? u.left, m, Math.max(m, vw - m - w));

  /** What each side offers: the room there, and where a pop-up of height `height` would stand. */
  const sides: Record<Side, { room: number; fits: boolean; at: (height: number) => { left: number; top: number } }> = {
    below: { room: vh - m - (u.bottom + g), fits: false, at: () => ({ left: across, top: u.bottom + g }) },
    above: { room: u.top - g - m, fits: false, at: (height) => ({ left: across, top: u.top - g - height }) },
    right: { room: tallest, fits: false, at: (height) => ({ left: u.right + g, top: clamp(u.top, m, vh - m - height) }) },
    left: { room: tallest, fits: false, at: (height) => ({ left: u.left - g - w, top: clamp(u.top, m, vh - m - height) }) },
  };
  // Beside the anchor, the pop-up needs its whole width there.
  const wideEnough = { right: vw - m - (u.right + g) >= w, left: u.left - g - m >= w };
  for (const side of ['below', 'above'] as const) sides[side].fits = sides[side].room >= h;
  for (const side of ['right', 'left'] as const) sides[side].fits = wideEnough[side] && tallest >= h;

  const order: Side[] = ['below', 'above', 'right', 'left'];
  if (opts.prefer) order.unshift(opts.prefer);
  const result = (side: Side, height: number, overlaps = false): Placement => {
    const { left, top } = sides[side].at(height);
    return { left: Math.round(left), top: Math.round(top), maxHeight: Math.floor(Math.max(0, overlaps ? height : sides[side].room)), maxWidth, side, overlaps };
  };

  const whole = order.find((side) => sides[side].fits);
  if (whole) return result(whole, h);

  // Nowhere whole: the side that shows most of it, made shorter.
  let best: Side | null = null;
  let shown = 0;
  for (const side of order) {
    const usable = side === 'right' || side === 'left' ? (wideEnough[side] ? sides[side].room : 0) : sides[side].room;
    const visible = Math.min(h, usable);
    if (visible >= minHeight && visible > shown) {
      best = side;
      shown = visible;
    }
  }
  if (best) return result(best, shown);

  // No room anywhere without covering the anchor: against the window's edge with more room.
  const height = Math.min(h, tallest);
  const down = sides.below.room >= sides.above.room;
  return { left: Math.round(across), top: Math.round(down ? vh - m - height : m), maxHeight: Math.floor(height), maxWidth, side: down ? 'below' : 'above', overlaps: true };
}
