import { useLayoutEffect, useRef } from 'preact/hooks';
import { clampBoxes, placePopup, unionOf, type Box, type PlaceOptions, type Side } from '../placement';
import type { Place } from '../state';

/**
 * Keeps a pop-up (position: fixed) beside its anchor and inside the window: placed before the
 * first frame from its real size, and again whenever its size changes (the list filtered), the
 * article scrolls or the window is resized. Positions go through CSSOM (the content security
 * policy forbids style attributes). The anchor is read anew each time, so it follows the text.
 *
 * `open` is what the pop-up shows (a new value places it afresh); `anchor` gives the boxes to stay
 * clear of, in viewport coordinates; `watch` the elements whose size makes the pop-up's (its
 * field, its list's rows: not the box that scrolls, whose size the placement itself sets, which
 * would make the observer loop).
 */
export function usePlacement(
  box: { current: HTMLElement | null },
  open: unknown,
  anchor: () => readonly Box[],
  opts: Omit<PlaceOptions, 'prefer'> & { watch?: () => Element[] } = {},
): void {
  const latest = useRef({ anchor, opts });
  latest.current = { anchor, opts };
  useLayoutEffect(() => {
    const el = box.current;
    if (!open || !el) return;
    let side: Side | undefined;
    let frame = 0;
    /** `sticky`: the pop-up changed size (its list filtered): it keeps its side while that still holds it, rather than jump. */
    const place = (sticky = false): void => {
      frame = 0;
      if (!el.isConnected) return;
      const root = document.documentElement;
      // The pop-up's own size, unconstrained by where it stood before.
      el.style.maxHeight = '';
      el.style.maxWidth = '';
      const { width, height } = el.getBoundingClientRect();
      const { anchor: boxes, opts: { watch: _watch, ...options } } = latest.current;
      const p = placePopup(boxes(), { width, height }, { width: root.clientWidth, height: root.clientHeight }, { ...options, ...(sticky && side ? { prefer: side } : {}) });
      side = p.side;
      el.style.left = `${p.left}px`;
      el.style.top = `${p.top}px`;
      el.style.maxHeight = `${p.maxHeight}px`;
      el.style.maxWidth = `${p.maxWidth}px`;
      el.dataset['side'] = p.side;
    };
    place();
    const later = (): void => {
      frame ||= requestAnimationFrame(() => place());
    };
    // Scrolling inside the pop-up (its list) moves nothing.
    const onScroll = (e: Event): void => {
      if (!(e.target instanceof Node && el.contains(e.target))) later();
    };
    // Called after layout and before paint: the new place is in the same frame as the new size.
    const resized = new ResizeObserver(() => place(true));
    for (const watched of latest.current.opts.watch?.() ?? []) resized.observe(watched);
    window.addEventListener('resize', later);
    document.addEventListener('scroll', onScroll, { capture: true, passive: true });
    return () => {
      cancelAnimationFrame(frame);
      resized.disconnect();
      window.removeEventListener('resize', later);
      document.removeEventListener('scroll', onScroll, { capture: true });
    };
  }, [open]);
}

/** A place as a box (the line it was taken from). */
export function boxOfPlace(at: Place): Box {
  return { left: at.x, top: at.y, right: at.x + 1, bottom: at.bottom };
}

/** The article's scrolling box, where the text is. */
function readerElement(): HTMLElement | null {
  return document.querySelector<HTMLElement>('main.reader');
}

/** The part of the window the article shows: an anchor scrolled out of it waits at its edge. */
export function articleView(): Box | null {
  const reader = readerElement();
  if (!reader) return null;
  const r = reader.getBoundingClientRect();
  return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
}

/** `boxes` kept inside the article's view (when there is an article). */
export function inArticleView(boxes: readonly Box[]): Box[] {
  const view = articleView();
  return view ? clampBoxes(boxes, view) : [...boxes];
}

/**
 * The line at a caret's box, with the inline boxes drawn there (a highlight's coding bars reach
 * below the text): what a pop-up opened on that line stays clear of.
 */
export function lineBoxAt(box: Box): Box {
  const x = box.left + 0.5;
  const y = (box.top + box.bottom) / 2;
  let line = box;
  for (const el of document.elementsFromPoint(x, y)) {
    if (!el.closest('.article') || getComputedStyle(el).display !== 'inline') continue;
    for (const r of el.getClientRects()) {
      if (r.top <= y && r.bottom >= y) line = unionOf([line, { left: r.left, top: r.top, right: r.right, bottom: r.bottom }]);
    }
  }
  return line;
}

/**
 * A box of the article taken at one moment (a clicked line), moved as the article scrolls since:
 * it stays on its text until the window is resized (which reflows the text).
 */
export function followArticleScroll(box: Box): () => Box[] {
  const reader = readerElement();
  const from = reader?.scrollTop ?? 0;
  return () => {
    const dy = (reader?.scrollTop ?? from) - from;
    return inArticleView([{ left: box.left, right: box.right, top: box.top - dy, bottom: box.bottom - dy }]);
  };
}
