import { Plugin, PluginKey, type EditorState } from 'prosemirror-state';
import { Decoration, DecorationSet, type EditorView } from 'prosemirror-view';
import type { Node as PMNode } from 'prosemirror-model';
import { segmentSpans, type Span } from '../../shared/segments';
import { blockAtOffset, type PositionIndex } from '../../shared/positions';
import { domSelection } from './dom-selection';

/**
 * Highlights of coded passages as a ProseMirror DecorationSet, kept incrementally.
 *
 * Passages are cut at block boundaries and, inside each block, into segments covered by a
 * constant set of passages (so nesting and overlap stay visible: each covering passage is a
 * layer with its own bar). Only blocks near the viewport carry decorations: the visible ones are
 * drawn at once, the margin around them when the browser is idle, so that opening a long
 * article or jumping through it paints after drawing one screen, not several. A change of
 * passages recuts and redraws only the blocks it touches.
 */

import { MAX_LAYERS } from './layers';

export { MAX_LAYERS };

/** Blocks decorated beyond the visible ones, either side. Enough to scroll a screen without a gap, few enough to keep updates cheap. */
export const WINDOW_MARGIN_BLOCKS = 40;

/**
 * Of that margin, the blocks drawn at once; the rest are drawn when the browser is idle. Two
 * blocks cover what a frame of scrolling can reveal before the next window update draws it.
 */
export const NEAR_MARGIN_BLOCKS = 2;

/** Blocks drawn per idle callback while the margin fills: each batch is one view update, short enough not to delay input. */
const FILL_BATCH_BLOCKS = 8;

/** What the layer needs to know of a passage. */
export interface HighlightPassage {
  id: string;
  start: number;
  end: number;
  /**
   * Colour slots of the passage's codes (see `Code.slot`), in order; -1 for a code not in the
   * codebook; empty for a passage without codes. Each code draws its own bar.
   */
  colors: readonly number[];
  /** Hover text: the passage's code names. */
  label: string;
}

export const highlightKey = new PluginKey<DecorationSet>('gloss-highlights');

/** The plugin holding the decoration set; `HighlightLayer` replaces it through transaction meta. */
export function highlightPlugin(): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key: highlightKey,
    state: {
      init: () => DecorationSet.empty,
      apply: (tr, set) => (tr.getMeta(highlightKey) as DecorationSet | undefined) ?? set.map(tr.mapping, tr.doc),
    },
    props: { decorations: (state: EditorState) => highlightKey.getState(state) },
  });
}

type Piece = Span;

/** Whether two versions of a passage draw the same. */
function sameDrawing(a: HighlightPassage, b: HighlightPassage): boolean {
  return a.start === b.start && a.end === b.end && a.label === b.label && a.colors.length === b.colors.length && a.colors.every((c, i) => c === b.colors[i]);
}

const NO_PIECES: readonly Piece[] = [];

/**
 * Whether the browser's selection in the view differs from ProseMirror's, which hears of
 * selection changes from the asynchronous `selectionchange` event. A view update then (one that
 * redraws decorations) would write ProseMirror's older selection back into the DOM, undoing the
 * user's last Shift+arrow step; so drawing waits until ProseMirror has caught up (at most
 * SELECTION_WAIT_MS, for a selection it never takes in as the DOM has it).
 */
function selectionUnread(view: EditorView): boolean {
  const dom = domSelection(view);
  const { anchor, head } = view.state.selection;
  return dom !== null && (dom.anchor !== anchor || dom.head !== head);
}

/** How long drawing waits for ProseMirror to read a selection change, at most (then it draws anyway). */
const SELECTION_WAIT_MS = 250;

/** Runs `run` when the browser is idle (soon, in any case). */
function whenIdle(run: () => void): () => void {
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(run, { timeout: 200 });
    return () => cancelIdleCallback(handle);
  }
  const handle = setTimeout(run, 16);
  return () => clearTimeout(handle);
}

/**
 * The passages drawn over one viewer. `setPassages` replaces them all (cheaply when few
 * changed), `update` changes some, `setWindow` says which blocks are near the viewport;
 * everything else is derived.
 */
export class HighlightLayer {
  /** Every passage by id, with the `setPassages` call that last listed it; updated in place, so a call allocates only for what changed. */
  private entries = new Map<string, { passage: HighlightPassage; listing: number }>();

  /** The passages drawn now that overlap the text offsets `[from, to)`. */
  passagesOverlapping(from: number, to: number): HighlightPassage[] {
    const out: HighlightPassage[] = [];
    for (const { passage } of this.entries.values()) if (passage.start < to && passage.end > from) out.push(passage);
    return out;
  }
  private listing = 0;
  /** Ids of the passages touching each block, so a block is recut without visiting every passage. */
  private byBlock = new Map<number, Set<string>>();
  /** Passage pieces per block, in plain-text offsets; cut when first needed. */
  private pieces = new Map<number, readonly Piece[]>();
  /** Blocks whose pieces must be recut before use. */
  private stale = new Set<number>();
  /** Decorations of the drawn blocks of the window (an empty list for a drawn block without passages). */
  private drawn = new Map<number, Decoration[]>();
  private set: DecorationSet = DecorationSet.empty;
  /** The window: blocks that may carry decorations. */
  private from = 0;
  private to = -1;
  /** The part of the window drawn at once. */
  private nearFrom = 0;
  private nearTo = -1;
  private cancelFill: (() => void) | null = null;
  private active: string | null = null;
  private flashing: string | null = null;

  constructor(
    private readonly view: EditorView,
    private readonly index: PositionIndex,
  ) {}

  private get doc(): PMNode {
    return this.view.state.doc;
  }

  /**
   * Replaces the passages; only blocks whose pieces changed are redrawn. The list is walked
   * once; everything else is proportional to what changed, so adding one passage to thousands
   * costs little more than drawing it.
   */
  setPassages(list: readonly HighlightPassage[]): void {
    const listing = ++this.listing;
    const before = this.entries.size;
    let kept = 0;
    const dirty = new Set<number>();
    const { index, unindex } = this.indexer(dirty);
    for (const p of list) {
      const entry = this.entries.get(p.id);
      if (!entry) {
        this.entries.set(p.id, { passage: p, listing });
        index(p);
        continue;
      }
      if (entry.listing !== listing) kept++;
      entry.listing = listing;
      const old = entry.passage;
      entry.passage = p;
      if (old === p || sameDrawing(old, p)) continue;
      unindex(old);
      index(p);
    }
    // Every earlier passage was listed again unless fewer were kept than there were.
    if (kept < before) {
      for (const [id, entry] of this.entries) {
        if (entry.listing === listing) continue;
        this.entries.delete(id);
        unindex(entry.passage);
      }
    }
    for (const b of dirty) this.stale.add(b);
    this.redraw(dirty);
  }

  /**
   * Adds or replaces the passages of `put` and removes those of `removed` (ids), leaving every
   * other passage as it is: a change costs what it touches, however many passages there are.
   */
  update(put: readonly HighlightPassage[], removed: readonly string[]): void {
    const dirty = new Set<number>();
    const { index, unindex } = this.indexer(dirty);
    for (const id of removed) {
      const entry = this.entries.get(id);
      if (!entry) continue;
      this.entries.delete(id);
      unindex(entry.passage);
    }
    for (const p of put) {
      const entry = this.entries.get(p.id);
      if (!entry) {
        this.entries.set(p.id, { passage: p, listing: this.listing });
        index(p);
        continue;
      }
      const old = entry.passage;
      entry.passage = p;
      if (old === p || sameDrawing(old, p)) continue;
      unindex(old);
      index(p);
    }
    if (dirty.size === 0) return;
    for (const b of dirty) this.stale.add(b);
    this.redraw(dirty);
  }

  /** Functions keeping `byBlock` in step with a passage, collecting the blocks they touch. */
  private indexer(dirty: Set<number>): { index(p: HighlightPassage): void; unindex(p: HighlightPassage): void } {
    return {
      unindex: (p) =>
        this.eachBlock(p, (b) => {
          this.byBlock.get(b)?.delete(p.id);
          dirty.add(b);
        }),
      index: (p) =>
        this.eachBlock(p, (b) => {
          let ids = this.byBlock.get(b);
          if (!ids) this.byBlock.set(b, (ids = new Set()));
          ids.add(p.id);
          dirty.add(b);
        }),
    };
  }

  private passage(id: string): HighlightPassage | undefined {
    return this.entries.get(id)?.passage;
  }

  /** A block's pieces, recut from the passages indexed on it when they changed. */
  private piecesOf(block: number): readonly Piece[] {
    if (this.stale.delete(block)) {
      const ids = this.byBlock.get(block);
      const span = this.index.spans[block]!;
      const list: Piece[] = [];
      for (const id of ids ?? []) {
        const p = this.passage(id);
        const s = p ? Math.max(p.start, span.start) : 0;
        const e = p ? Math.min(p.end, span.end) : 0;
        if (e > s) list.push({ id, start: s, end: e });
        else ids!.delete(id);
      }
      if (ids?.size === 0) this.byBlock.delete(block);
      if (list.length) this.pieces.set(block, list);
      else this.pieces.delete(block);
    }
    return this.pieces.get(block) ?? NO_PIECES;
  }

  /** Which passages cover a plain-text offset, outermost first. */
  passagesAt(offset: number): string[] {
    const b = blockAtOffset(this.index, offset, 1);
    const covering = this.piecesOf(b).filter((p) => p.start <= offset && offset < p.end);
    const outer = (a: Piece, c: Piece): number => {
      const pa = this.passage(a.id)!;
      const pc = this.passage(c.id)!;
      return pa.start - pc.start || pc.end - pa.end;
    };
    return covering.sort(outer).map((p) => p.id);
  }

  /** Marks one passage as the one shown in the details panel. */
  setActive(id: string | null): void {
    if (id === this.active) return;
    const dirty = new Set<number>();
    for (const x of [this.active, id]) {
      const p = x ? this.passage(x) : undefined;
      if (p) this.blocksOf(p, dirty);
    }
    this.active = id;
    this.redraw(dirty);
  }

  /** Briefly emphasises a passage (after it is chosen from a list). */
  flash(id: string, ms = 1200): void {
    const p = this.passage(id);
    if (!p) return;
    const dirty = new Set<number>();
    // A flash cut short by this one loses its class now; its own timer will find it replaced.
    const previous = this.flashing === null ? undefined : this.passage(this.flashing);
    if (previous) this.blocksOf(previous, dirty);
    this.blocksOf(p, dirty);
    this.flashing = id;
    this.redraw(dirty);
    setTimeout(() => {
      if (this.flashing !== id) return;
      this.flashing = null;
      // The passage may have moved while it flashed.
      const now = this.passage(id);
      if (now) this.blocksOf(now, dirty);
      this.redraw(dirty);
    }, ms);
  }

  /**
   * Decorates blocks `[from, to]` (clamped), dropping decorations outside: blocks
   * `[nearFrom, nearTo]` at once, the others when the browser is idle.
   */
  setWindow(from: number, to: number, nearFrom = from, nearTo = to): void {
    const n = this.index.spans.length;
    const f = Math.max(0, Math.min(from, n - 1));
    const t = Math.max(f, Math.min(to, n - 1));
    this.nearFrom = Math.max(f, nearFrom);
    this.nearTo = Math.min(t, nearTo);
    const remove: Decoration[] = [];
    if (f !== this.from || t !== this.to) {
      for (const [b, decos] of this.drawn) {
        if (b >= f && b <= t) continue;
        remove.push(...decos);
        this.drawn.delete(b);
      }
      this.from = f;
      this.to = t;
    }
    const add: Decoration[] = [];
    for (let b = this.nearFrom; b <= this.nearTo; b++) if (!this.drawn.has(b)) add.push(...this.draw(b));
    this.commit(remove, add);
    if (this.drawn.size < t - f + 1) this.scheduleFill();
  }

  /** The decorated block window (for tests and benchmarks). */
  get window(): [number, number] {
    return [this.from, this.to];
  }

  /** Whether blocks of the window are still waiting to be drawn (for tests and benchmarks). */
  get filling(): boolean {
    return this.cancelFill !== null;
  }

  /** Stops drawing; call before the view is destroyed. */
  destroy(): void {
    this.cancelFill?.();
    this.cancelFill = null;
    clearTimeout(this.retry);
  }

  private scheduleFill(): void {
    if (this.cancelFill) return;
    this.cancelFill = whenIdle(() => {
      this.cancelFill = null;
      this.fill();
    });
  }

  /** Draws the undrawn blocks of the window nearest the visible ones, a batch at a time. */
  private fill(): void {
    if (this.view.isDestroyed) return;
    const todo: number[] = [];
    for (let b = this.from; b <= this.to; b++) if (!this.drawn.has(b)) todo.push(b);
    const distance = (b: number): number => (b < this.nearFrom ? this.nearFrom - b : b > this.nearTo ? b - this.nearTo : 0);
    todo.sort((a, b) => distance(a) - distance(b));
    const add: Decoration[] = [];
    for (const b of todo.slice(0, FILL_BATCH_BLOCKS)) add.push(...this.draw(b));
    this.commit([], add);
    if (todo.length > FILL_BATCH_BLOCKS) this.scheduleFill();
  }

  private blocksOf(p: HighlightPassage, into: Set<number>): void {
    this.eachBlock(p, (b) => into.add(b));
  }

  private eachBlock(p: HighlightPassage, visit: (block: number) => void): void {
    const first = blockAtOffset(this.index, p.start, 1);
    const last = blockAtOffset(this.index, p.end, -1);
    for (let b = first; b <= last; b++) visit(b);
  }

  /**
   * Redraws these blocks: their old decorations go at once; the new ones are drawn at once near
   * the visible text, and with the rest of the margin (out of sight) when the browser is idle.
   */
  private redraw(blocks: Set<number>): void {
    const remove: Decoration[] = [];
    const add: Decoration[] = [];
    let later = false;
    for (const b of blocks) {
      const old = this.drawn.get(b);
      if (old) {
        remove.push(...old);
        this.drawn.delete(b);
      }
      if (b < this.from || b > this.to) continue;
      if (b >= this.nearFrom && b <= this.nearTo) add.push(...this.draw(b));
      else later = true;
    }
    this.commit(remove, add);
    if (later) this.scheduleFill();
  }

  private draw(block: number): Decoration[] {
    const decos = this.decorate(block);
    this.drawn.set(block, decos);
    return decos;
  }

  private commit(remove: Decoration[], add: Decoration[], again = false): void {
    if ((remove.length === 0 && add.length === 0 && !again) || this.view.isDestroyed) return;
    let set = this.set;
    if (remove.length) set = set.remove(remove);
    if (add.length) set = set.add(this.doc, add);
    this.set = set;
    if (this.held) {
      this.unshown = true;
      return;
    }
    const unread = selectionUnread(this.view);
    if (unread && this.waitingSince === 0) this.waitingSince = performance.now();
    if (unread && performance.now() - this.waitingSince < SELECTION_WAIT_MS) {
      this.unshown = true;
      clearTimeout(this.retry);
      this.retry = setTimeout(() => this.showWaiting(), 10);
      return;
    }
    this.waitingSince = 0;
    this.unshown = false;
    this.view.dispatch(this.view.state.tr.setMeta(highlightKey, set).setMeta('addToHistory', false));
  }

  /** Draws what waited for ProseMirror to read the selection (see `commit`). */
  private showWaiting(): void {
    if (!this.unshown || this.held || this.view.isDestroyed) return;
    this.commit([], [], true);
  }

  private held = false;
  private unshown = false;
  /** When drawing started waiting for ProseMirror to read the selection (0: not waiting). */
  private waitingSince = 0;
  private retry: ReturnType<typeof setTimeout> | undefined;

  /**
   * Holds drawing while the user drags a selection: a view update in the middle of a drag puts
   * ProseMirror's (lagging) selection back into the DOM and the user's selection is lost, as
   * happens when a change from another window arrives just then. `release` draws what waited.
   */
  hold(): void {
    this.held = true;
  }

  release(): void {
    this.held = false;
    this.showWaiting();
  }

  private decorate(block: number): Decoration[] {
    const pieces = this.piecesOf(block);
    if (pieces.length === 0) return [];
    const span = this.index.spans[block]!;
    const pmStart = this.index.pmStarts[block]!;
    const out: Decoration[] = [];
    for (const seg of segmentSpans(pieces)) {
      // One bar per (passage, code), outermost passage first, so several codes on one passage
      // show as several colours just as overlapping passages do.
      const bars = seg.ids.flatMap((id) => {
        const colors = this.passage(id)!.colors;
        return colors.length ? colors : [-1];
      });
      const classes = ['hl', `depth-${Math.min(bars.length, MAX_LAYERS + 1)}`];
      bars.slice(0, MAX_LAYERS).forEach((color, layer) => classes.push(`l${layer + 1}-c${color < 0 ? 'x' : color}`));
      const labels: string[] = [];
      seg.ids.forEach((id) => {
        const p = this.passage(id)!;
        labels.push(p.label);
        if (p.start === seg.start) classes.push('hl-start');
        if (id === this.active) classes.push('hl-active');
        if (id === this.flashing) classes.push('hl-flash');
      });
      out.push(
        Decoration.inline(pmStart + (seg.start - span.start), pmStart + (seg.end - span.start), {
          class: classes.join(' '),
          title: labels.join('\n'),
          'data-passages': seg.ids.join(' '),
        }),
      );
    }
    return out;
  }
}
