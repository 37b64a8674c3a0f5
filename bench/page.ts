/**
 * The browser side of the viewer benchmarks, driven by browser.ts through `window.glossBench`.
 *
 * Every measurement starts a clock, does the work, and stops the clock once the frame showing
 * the result has been painted: a requestAnimationFrame callback runs just before the frame's
 * style, layout and paint, and a message posted from it is delivered right after them (see
 * `timed`).
 */
import { appendBlocks, passageRanges, textblockAt } from './dom-blocks';
import { Viewer } from '../renderer/viewer/viewer';
import { WINDOW_MARGIN_BLOCKS } from '../renderer/viewer/highlights';
import { installCodeStyles } from '../renderer/code-styles';
import type { DocumentContent } from '../shared/model';
import { article, benchCodes, between, passages, seeded, type BenchPassage, type SyntheticArticle } from './data';
// The `long` and `codebook-ui` suites' baseline pages (long.html, codebook-ui.html) share this
// bundle; each of those modules runs only on its own page.
import './codebook-ui-page';
import './long-page';

/** What `setup` reports about the generated data. */
export interface SetupInfo {
  textLength: number;
  utf8Bytes: number;
  textblocks: number;
  passages: number;
  /** Passages that cover more than one textblock. */
  multiBlock: number;
  /** Blocks the viewer decorates either side of the visible ones. */
  marginBlocks: number;
}

/** One timed change: the synchronous part (the script's own work) and the total up to the painted frame. */
export interface Timing {
  sync: number;
  total: number;
}

/** One timed open, and what it drew. */
export interface OpenTiming extends Timing {
  /** Highlighted elements (Gloss) or ranges (baseline) present after the frame. */
  drawn: number;
  /** Gloss only: ms from the start until the margin around the visible text was drawn too (when idle). */
  settled?: number;
}

export interface GlossBench {
  setup(opts: { chars: number; passages: number; seed: number }): SetupInfo;
  openGloss(): Promise<OpenTiming>;
  openBaseline(): Promise<OpenTiming>;
  /** Adds `reps` passages one at a time to the open Gloss viewer. */
  addToGloss(reps: number): Promise<Timing[]>;
  /** Adds `reps` passages one at a time to the open baseline. */
  addToBaseline(reps: number): Promise<Timing[]>;
  /** Removes whatever is mounted and collects garbage when the page may. */
  clear(): void;
}

declare global {
  interface Window {
    glossBench: GlossBench;
    gc?: () => void;
  }
}

const codes = benchCodes();
/** Untimed additions before the timed ones, so that the code they run is compiled. */
const WARM_UP_ADDS = 3;
let data: { art: SyntheticArticle; list: BenchPassage[]; content: DocumentContent; rng: () => number } | null = null;
let mounted: { scroller: HTMLElement; viewer: Viewer | null; textNodes: Text[]; highlights: Highlight[] } | null = null;

function need<T>(value: T | null): T {
  if (value === null) throw new Error('call setup() first');
  return value;
}

/** Resolves once the next frame has been painted; lets the page settle between runs. */
function painted(): Promise<number> {
  return new Promise((resolve) =>
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve(performance.now());
      channel.port2.postMessage(null);
    }),
  );
}

/**
 * Times `work` up to the painted frame showing it, and leaves a `bench:<name>` measure on the
 * performance timeline, so that a DevTools trace of the bench shows each timed span.
 *
 * The work runs at the start of a frame (in a requestAnimationFrame callback), as a user's
 * action handled just before a frame would: the clock then covers the work and the frame's
 * style, layout and paint, and never the wait for the display's next refresh, which no code
 * controls (and which headless Chromium holds to 60 Hz).
 */
function timed(name: string, work: () => void): Promise<Timing> {
  return new Promise((resolve) =>
    requestAnimationFrame(() => {
      const t0 = performance.now();
      work();
      const sync = performance.now() - t0;
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        const t1 = performance.now();
        performance.measure(`bench:${name}`, { start: t0, end: t1 });
        resolve({ sync, total: t1 - t0 });
      };
      channel.port2.postMessage(null);
    }),
  );
}

/** A scrolling column filling the viewport, as the app's reader is. */
function scrollerBox(): HTMLElement {
  const scroller = document.createElement('main');
  scroller.className = 'reader bench-scroller';
  document.body.append(scroller);
  return scroller;
}

function clear(): void {
  if (mounted) {
    mounted.viewer?.destroy();
    mounted.scroller.remove();
    CSS.highlights.clear();
    mounted = null;
  }
  window.gc?.();
}

/** Plain elements for the article, as the viewer's schema draws them; returns each body textblock's text node. */
function plainArticle(content: DocumentContent): { root: HTMLElement; textNodes: Text[] } {
  const textNodes: Text[] = [];
  const el = (tag: string, text?: string): HTMLElement => {
    const e = document.createElement(tag);
    if (text !== undefined) {
      const t = document.createTextNode(text);
      textNodes.push(t);
      e.append(t);
    }
    return e;
  };
  const root = el('div');
  root.className = 'article';
  // The title is metadata, not text (no textblock span): its text node is not listed.
  const title = el('h1');
  title.textContent = content.meta.title;
  title.className = 'doc-title';
  const byline = document.createElement('p');
  byline.className = 'doc-byline';
  byline.textContent = [content.meta.author, content.meta.publication, content.meta.date].join(' · ');
  root.append(title, byline);
  appendBlocks(root, content.blocks, (tag, text) => el(tag, text));
  return { root, textNodes };
}

/** Adds one Range per textblock piece of `p` to each of its codes' highlights (as Gloss draws a bar per code); returns the ranges added. */
function addRanges(art: SyntheticArticle, textNodes: Text[], highlights: Highlight[], p: BenchPassage): number {
  let added = 0;
  const targets = (p.colors.length ? p.colors : [-1]).map((c) => highlights[c < 0 ? codes.length : c]!);
  for (const range of passageRanges(art.spans, textNodes, p.start, p.end)) {
    for (const h of targets) {
      h.add(range);
      added++;
    }
  }
  return added;
}

/** A passage inside the textblocks that are on screen right after opening. */
function visiblePassage(id: string): BenchPassage {
  const d = need(data);
  const from = d.art.spans[0]!.start;
  const to = d.art.spans[Math.min(2, d.art.spans.length - 1)]!.end;
  const start = between(d.rng, from, Math.max(from, to - 200));
  const colorIndex = between(d.rng, 0, codes.length - 1);
  return { id, start, end: start + between(d.rng, 20, 200), colors: [colorIndex], label: codes[colorIndex]!.name };
}

const highlightSheet = new CSSStyleSheet();
highlightSheet.replaceSync(
  [...codes.map((c, i) => `::highlight(bench-c${i}) { background-color: color-mix(in srgb, ${c.color} 22%, transparent); }`), `::highlight(bench-cx) { background-color: #8a8a8a33; }`].join('\n'),
);
document.adoptedStyleSheets = [...document.adoptedStyleSheets, highlightSheet];
installCodeStyles(codes);

window.glossBench = {
  setup({ chars, passages: count, seed }) {
    const rng = seeded(seed);
    const art = article(rng, chars);
    const list = passages(rng, art.text, count, codes);
    const content: DocumentContent = { id: 'bench', meta: art.meta, blocks: art.blocks, textHash: '' };
    data = { art, list, content, rng };
    const multiBlock = list.filter((p) => textblockAt(art.spans, p.start) !== textblockAt(art.spans, p.end)).length;
    return { textLength: art.text.length, utf8Bytes: new TextEncoder().encode(art.text).length, textblocks: art.spans.length, passages: list.length, multiBlock, marginBlocks: WINDOW_MARGIN_BLOCKS };
  },

  async openGloss() {
    clear();
    const d = need(data);
    const scroller = scrollerBox();
    const mount = document.createElement('div');
    mount.className = 'viewer-mount';
    scroller.append(mount);
    await painted();
    let viewer: Viewer | null = null;
    const timing = await timed('gloss-open', () => {
      viewer = new Viewer(mount, d.content, { onSelect: () => undefined, onPassages: () => undefined }, scroller);
      viewer.setPassages(d.list);
    });
    mounted = { scroller, viewer, textNodes: [], highlights: [] };
    const drawn = mount.querySelectorAll('.hl').length;
    const shown = performance.now();
    const layer = (viewer as Viewer | null)!.highlights;
    for (let i = 0; i < 500 && layer.filling; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    return { ...timing, drawn, settled: timing.total + performance.now() - shown };
  },

  async openBaseline() {
    clear();
    const d = need(data);
    const scroller = scrollerBox();
    await painted();
    let drawn = 0;
    let textNodes: Text[] = [];
    const highlights = [...codes.map(() => new Highlight()), new Highlight()];
    const timing = await timed('baseline-open', () => {
      const plain = plainArticle(d.content);
      textNodes = plain.textNodes;
      scroller.append(plain.root);
      highlights.forEach((h, i) => CSS.highlights.set(i < codes.length ? `bench-c${i}` : 'bench-cx', h));
      for (const p of d.list) drawn += addRanges(d.art, textNodes, highlights, p);
    });
    mounted = { scroller, viewer: null, textNodes, highlights };
    return { ...timing, drawn };
  },

  async addToGloss(reps) {
    const d = need(data);
    const viewer = need(mounted?.viewer ?? null);
    let list: BenchPassage[] = d.list;
    // Let the margin around the visible text finish drawing first (bounded: a few seconds at most).
    for (let i = 0; i < 200 && viewer.highlights.filling; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    window.gc?.();
    const times: Timing[] = [];
    for (let i = -WARM_UP_ADDS; i < reps; i++) {
      const extra = visiblePassage(`added-${i}`);
      await painted();
      const timing = await timed('gloss-add', () => {
        list = [...list, extra];
        viewer.setPassages(list);
      });
      if (i >= 0) times.push(timing);
    }
    return times;
  },

  async addToBaseline(reps) {
    const d = need(data);
    const m = need(mounted);
    window.gc?.();
    const times: Timing[] = [];
    for (let i = -WARM_UP_ADDS; i < reps; i++) {
      const extra = visiblePassage(`added-${i}`);
      await painted();
      const timing = await timed('baseline-add', () => addRanges(d.art, m.textNodes, m.highlights, extra));
      if (i >= 0) times.push(timing);
    }
    return times;
  },

  clear,
};
