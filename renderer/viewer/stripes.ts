import type { EditorView } from 'prosemirror-view';
import { offsetToPos, posToOffset, type PositionIndex } from '../../shared/positions';
import type { HighlightLayer } from './highlights';

/**
 * Coding stripes: beside the article, one column per code coded in the text on screen, with a
 * bar down the side of every passage of that code and the code's name written along it, so the
 * codes can be read without hovering (as NVivo and MAXQDA draw them). Where two codes share a
 * colour, their names tell them apart. Only what is on screen is drawn, again after scrolling,
 * resizing or a change of passages, in one animation frame: every position is read first, then
 * the stripes are written, so the page is laid out once.
 *
 * A visual aid only (hidden from assistive technology): the codes of a passage are in its
 * highlight's label and in the passage list.
 */
export class StripeLayer {
  private readonly root: HTMLElement;
  private enabled = false;
  private names = new Map<number, string>();
  private frame = 0;
  private readonly resize: ResizeObserver;

  constructor(
    private readonly mount: HTMLElement,
    private readonly scroller: HTMLElement,
    private readonly view: EditorView,
    private readonly index: PositionIndex,
    private readonly highlights: HighlightLayer,
  ) {
    this.root = document.createElement('div');
    this.root.className = 'stripes';
    this.root.setAttribute('aria-hidden', 'true');
    this.root.hidden = true;
    mount.appendChild(this.root);
    this.scroller.addEventListener('scroll', this.schedule, { passive: true });
    this.resize = new ResizeObserver(this.schedule);
    this.resize.observe(mount);
  }

  /** Shows or hides the stripes. */
  setEnabled(on: boolean): void {
    this.enabled = on;
    this.root.hidden = !on;
    this.schedule();
  }

  /** Code names by colour slot, written along the stripes. */
  setNames(names: Map<number, string>): void {
    this.names = names;
    this.schedule();
  }

  /** Draws again in the next frame (the passages, the scroll position or the size changed). */
  readonly schedule = (): void => {
    if (!this.enabled || this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  };

  private draw(): void {
    if (!this.enabled || this.view.isDestroyed) return;
    const box = this.scroller.getBoundingClientRect();
    const article = this.view.dom.getBoundingClientRect();
    const origin = this.mount.getBoundingClientRect();
    const x = Math.min(article.left + 40, article.right - 1);
    const top = this.view.posAtCoords({ left: x, top: Math.max(box.top, article.top) + 1 });
    const bottom = this.view.posAtCoords({ left: x, top: Math.min(box.bottom, article.bottom) - 1 });
    const from = top ? posToOffset(this.index, top.pos) : 0;
    const to = bottom ? posToOffset(this.index, bottom.pos) + 1 : this.index.text.length;
    // Reads: the vertical extent of each passage on screen.
    const segments: { slot: number; top: number; height: number }[] = [];
    for (const p of this.highlights.passagesOverlapping(from, to)) {
      if (p.colors.length === 0) continue;
      const a = this.view.coordsAtPos(offsetToPos(this.index, Math.max(p.start, from), 1));
      const b = this.view.coordsAtPos(offsetToPos(this.index, Math.min(p.end, to), -1));
      const y = a.top - origin.top;
      const height = Math.max(4, b.bottom - a.top);
      for (const slot of p.colors) if (slot >= 0) segments.push({ slot, top: y, height });
    }
    // One column per code, in the order codes first appear going down the text.
    segments.sort((m, n) => m.top - n.top);
    const columns = new Map<number, number>();
    for (const s of segments) if (!columns.has(s.slot)) columns.set(s.slot, columns.size);
    // Writes.
    const left = article.right - origin.left + 12;
    const fragment = document.createDocumentFragment();
    // A name runs down from the top of its bar, past a short bar if need be; a bar starting
    // where the column's last name still runs goes without one.
    const labelEnds = new Map<number, number>();
    for (const s of segments) {
      const bar = document.createElement('div');
      bar.className = `stripe code-${s.slot}`;
      bar.style.left = `${left + columns.get(s.slot)! * STRIPE_PITCH}px`;
      bar.style.top = `${s.top}px`;
      bar.style.height = `${s.height}px`;
      const name = this.names.get(s.slot) ?? '';
      if (name && s.top >= (labelEnds.get(s.slot) ?? -Infinity)) {
        const label = document.createElement('span');
        label.className = 'stripe-label';
        label.textContent = name;
        bar.appendChild(label);
        labelEnds.set(s.slot, s.top + Math.min(name.length, LABEL_MAX_CHARS) * LABEL_PX_PER_CHAR + 8);
      }
      fragment.appendChild(bar);
    }
    this.root.replaceChildren(fragment);
  }

  destroy(): void {
    cancelAnimationFrame(this.frame);
    this.scroller.removeEventListener('scroll', this.schedule);
    this.resize.disconnect();
    this.root.remove();
  }
}

/** Horizontal distance between two columns of stripes, in CSS pixels. */
const STRIPE_PITCH = 18;
/** A name's length along its bar: characters shown at most, and the room each takes (11 px type). */
const LABEL_MAX_CHARS = 28;
const LABEL_PX_PER_CHAR = 6.5;
