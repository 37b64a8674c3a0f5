import { Plugin, PluginKey, type EditorState } from 'prosemirror-state';
import { Decoration, DecorationSet, type EditorView } from 'prosemirror-view';
import type { Node as PMNode } from 'prosemirror-model';
import { segmentSpans, type Span } from '../../shared/segments';
import { blockAtOffset, type PositionIndex } from '../../shared/positions';

/**
 * Highlights of coded passages as a ProseMirror DecorationSet, kept incrementally.
 *
 * Passages are cut at block boundaries and, inside each block, into segments covered by a
 * constant set of passages (so nesting and overlap stay visible: each covering passage is a
 * layer with its own bar). Only blocks near the viewport carry decorations; scrolling widens
 * the decorated window, and a change of passages rebuilds only the blocks it touches.
 */

/** Bars drawn per segment; deeper nesting is marked as such rather than drawn. */
export const MAX_LAYERS = 4;

/** Blocks decorated beyond the visible ones, either side. Enough to scroll a screen without a gap, few enough to keep updates cheap. */
export const WINDOW_MARGIN_BLOCKS = 40;

/** What the layer needs to know of a passage. */
export interface HighlightPassage {
  id: string;
  start: number;
  end: number;
  /** Index of the passage's first code in the codebook (colour), or -1 for a passage without codes. */
  colorIndex: number;
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

export class HighlightLayer {
  private passages = new Map<string, HighlightPassage>();
  /** Passage pieces per block, in plain-text offsets. */
  private pieces = new Map<number, Piece[]>();
  private blockDecos = new Map<number, Decoration[]>();
  private set: DecorationSet = DecorationSet.empty;
  private from = 0;
  private to = -1;
  private active: string | null = null;
  private flashing: string | null = null;

  constructor(
    private readonly view: EditorView,
    private readonly index: PositionIndex,
  ) {}

  private get doc(): PMNode {
    return this.view.state.doc;
  }

  /** Replaces the passages; only blocks whose pieces changed are redrawn. */
  setPassages(list: readonly HighlightPassage[]): void {
    const next = new Map(list.map((p) => [p.id, p]));
    const dirty = new Set<number>();
    for (const [id, old] of this.passages) {
      const now = next.get(id);
      if (!now || now.start !== old.start || now.end !== old.end || now.colorIndex !== old.colorIndex || now.label !== old.label) this.blocksOf(old, dirty);
    }
    for (const [id, now] of next) {
      const old = this.passages.get(id);
      if (!old || now.start !== old.start || now.end !== old.end || now.colorIndex !== old.colorIndex || now.label !== old.label) this.blocksOf(now, dirty);
    }
    this.passages = next;
    for (const b of dirty) this.pieces.delete(b);
    for (const p of next.values()) {
      const first = blockAtOffset(this.index, p.start, 1);
      const last = blockAtOffset(this.index, p.end, -1);
      for (let b = first; b <= last; b++) {
        if (!dirty.has(b)) continue;
        const span = this.index.spans[b]!;
        const s = Math.max(p.start, span.start);
        const e = Math.min(p.end, span.end);
        if (e <= s) continue;
        let list = this.pieces.get(b);
        if (!list) this.pieces.set(b, (list = []));
        list.push({ id: p.id, start: s, end: e });
      }
    }
    this.redraw(dirty);
  }

  /** Which passages cover a plain-text offset, outermost first. */
  passagesAt(offset: number): string[] {
    const b = blockAtOffset(this.index, offset, 1);
    const covering = (this.pieces.get(b) ?? []).filter((p) => p.start <= offset && offset < p.end);
    const outer = (a: Piece, c: Piece): number => {
      const pa = this.passages.get(a.id)!;
      const pc = this.passages.get(c.id)!;
      return pa.start - pc.start || pc.end - pa.end;
    };
    return covering.sort(outer).map((p) => p.id);
  }

  /** Marks one passage as the one shown in the details panel. */
  setActive(id: string | null): void {
    if (id === this.active) return;
    const dirty = new Set<number>();
    for (const x of [this.active, id]) {
      const p = x ? this.passages.get(x) : undefined;
      if (p) this.blocksOf(p, dirty);
    }
    this.active = id;
    this.redraw(dirty);
  }

  /** Briefly emphasises a passage (after it is chosen from a list). */
  flash(id: string, ms = 1200): void {
    const p = this.passages.get(id);
    if (!p) return;
    const dirty = new Set<number>();
    this.blocksOf(p, dirty);
    this.flashing = id;
    this.redraw(dirty);
    setTimeout(() => {
      if (this.flashing !== id) return;
      this.flashing = null;
      this.redraw(dirty);
    }, ms);
  }

  /** Decorates blocks `[from, to]` (clamped), dropping decorations outside. */
  setWindow(from: number, to: number): void {
    const n = this.index.spans.length;
    const f = Math.max(0, Math.min(from, n - 1));
    const t = Math.max(f, Math.min(to, n - 1));
    if (f === this.from && t === this.to) return;
    const remove: Decoration[] = [];
    for (const [b, decos] of this.blockDecos) {
      if (b < f || b > t) {
        remove.push(...decos);
        this.blockDecos.delete(b);
      }
    }
    const add: Decoration[] = [];
    for (let b = f; b <= t; b++) {
      if (this.blockDecos.has(b) || !this.pieces.has(b)) continue;
      const decos = this.decorate(b);
      this.blockDecos.set(b, decos);
      add.push(...decos);
    }
    this.from = f;
    this.to = t;
    this.commit(remove, add);
  }

  /** The decorated block window (for tests and benchmarks). */
  get window(): [number, number] {
    return [this.from, this.to];
  }

  private blocksOf(p: HighlightPassage, into: Set<number>): void {
    const first = blockAtOffset(this.index, p.start, 1);
    const last = blockAtOffset(this.index, p.end, -1);
    for (let b = first; b <= last; b++) into.add(b);
  }

  private redraw(blocks: Set<number>): void {
    const remove: Decoration[] = [];
    const add: Decoration[] = [];
    for (const b of blocks) {
      const old = this.blockDecos.get(b);
      if (old) remove.push(...old);
      this.blockDecos.delete(b);
      if (b < this.from || b > this.to || !this.pieces.has(b)) continue;
      const decos = this.decorate(b);
      this.blockDecos.set(b, decos);
      add.push(...decos);
    }
    this.commit(remove, add);
  }

  private commit(remove: Decoration[], add: Decoration[]): void {
    if (remove.length === 0 && add.length === 0) return;
    let set = this.set;
    if (remove.length) set = set.remove(remove);
    if (add.length) set = set.add(this.doc, add);
    this.set = set;
    this.view.dispatch(this.view.state.tr.setMeta(highlightKey, set).setMeta('addToHistory', false));
  }

  private decorate(block: number): Decoration[] {
    const pieces = this.pieces.get(block);
    if (!pieces) return [];
    const span = this.index.spans[block]!;
    const pmStart = this.index.pmStarts[block]!;
    const out: Decoration[] = [];
    for (const seg of segmentSpans(pieces)) {
      const classes = ['hl', `depth-${Math.min(seg.ids.length, MAX_LAYERS + 1)}`];
      const labels: string[] = [];
      seg.ids.forEach((id, layer) => {
        const p = this.passages.get(id)!;
        if (layer < MAX_LAYERS) classes.push(`l${layer + 1}-c${p.colorIndex < 0 ? 'x' : p.colorIndex}`);
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
