/**
 * The baseline pages of the `codebook-ui` suite (bench/codebook-ui.ts), bundled into
 * dist/bench/page.js (page.ts imports this module) and served as /codebook-ui.html by the same
 * browser-mode server as the real app, with the app's stylesheet. Nothing runs unless the page
 * is codebook-ui.html. Both fetch the project's codebook with `codebook.get`, as the app does
 * with the rest of the workspace. `?mode=`:
 *
 *   picker    a plain <input> over a plain <ul> of every code's path ("Theme › Aspect › …", the
 *             names the app's picker lists, in tree order), in the app's picker box (same
 *             classes, so the same styles and size); each input event shows the rows whose path
 *             holds the filter and hides the others (`display`).
 *   recolour  the open document (the first of the project, as the app opens it) as plain
 *             elements, every passage drawn at once (`&draw=`): `spans` (the baseline) cuts each
 *             textblock where its covering passages change into spans with the app's classes
 *             (`hl`, `depth-n`, `l1-c5`…), drawn by the app's styles.css from one rule per
 *             (code, layer) of a constructed stylesheet (`.hl.l1-c5 { --l1: … }`); `hl` adds one
 *             Range per (passage, textblock) to one Highlight per code (CSS Custom Highlight
 *             API), each coloured by one rule. A palette of buttons for code `&code=` (labelled
 *             as the app labels its own): a click sends the same `codes.update` the app sends
 *             and, once it is answered (main has committed it), changes that code's rules;
 *             `persist = false` changes them at the click instead.
 */
import { appendBlocks, passageRanges, textblockAt } from './dom-blocks';
import { installCodeStyles } from '../renderer/code-styles';
import { MAX_LAYERS } from '../renderer/viewer/layers';
import { CODE_PALETTE, treeRows } from '../shared/codebook';
import type { Code, DocumentContent, DocumentSummary, PlacedAnnotation } from '../shared/model';
import { codePathNames } from '../shared/order';
import { normalizeBlocks, textblockSpans, textblockTexts } from '../shared/plain-text';
import { bylineText } from '../shared/schema';
import { segmentSpans, type Span } from '../shared/segments';

export type CodebookUiMode = 'picker' | 'recolour';
export type CodebookUiDraw = 'spans' | 'hl';

/** One recolour on the baseline page, on its performance clock. */
export interface BaselineRecolour {
  click: number;
  /** `codes.update` answered (absent when not persisted). */
  answered?: number;
  painted: number;
  color: string;
}

export interface CodebookUiPage {
  mode: CodebookUiMode;
  ready: boolean;
  /** How many codes the page lists (picker) or highlights it drew, and of them the code's own (recolour). */
  codes: number;
  ranges: number;
  codeRanges: number;
  persist: boolean;
  recolours: BaselineRecolour[];
  errors: string[];
  /** The rule the code's highlight is drawn with now (to check a recolour). */
  ruleText(): string;
  /** `n` round trips of a request that changes nothing (`history.get`), in ms. */
  roundTrips(n: number): Promise<number[]>;
}

declare global {
  interface Window {
    glossCodebookUi?: CodebookUiPage;
  }
}

const CLIENT = 'bench-codebook-ui-baseline';

/** A call of the app's API, as renderer/transport-http.ts makes it. */
async function call<T>(token: string, method: string, input: unknown): Promise<T> {
  const response = await fetch(`/api/${encodeURIComponent(method)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Gloss-Client': CLIENT, 'X-Gloss-Token': token },
    body: JSON.stringify(input),
    credentials: 'same-origin',
    cache: 'no-store',
    redirect: 'error',
  });
  const reply = (await response.json()) as { ok: true; result: T } | { ok: false; error: { message: string } };
  if (!reply.ok) throw new Error(`${method}: ${reply.error.message}`);
  return reply.result;
}

function painted(): Promise<number> {
  return new Promise((resolve) =>
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve(performance.now());
      channel.port2.postMessage(null);
    }),
  );
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** The plain picker: an input over a list of every name, each shown or hidden as the filter matches it. */
function drawPicker(root: HTMLElement, codes: readonly Code[], state: CodebookUiPage): void {
  const byId = new Map(codes.map((c) => [c.id, c]));
  const box = el('div', 'picker');
  box.setAttribute('role', 'dialog');
  box.setAttribute('aria-label', 'Code the selection');
  box.style.top = '120px';
  box.style.left = '400px';
  const input = el('input');
  input.type = 'text';
  input.setAttribute('aria-label', 'Filter codes');
  const list = el('ul');
  list.id = 'picker-codes';
  list.setAttribute('role', 'listbox');
  const entries = treeRows(codes).map((r) => {
    const path = codePathNames(byId, r.code.id).join(' › ');
    const li = el('li', `picker-code code-${r.code.slot}${r.code.parentId !== null ? ' child' : ''}`);
    li.setAttribute('role', 'option');
    li.append(el('span', 'key'), el('span', 'swatch'), el('span', 'name', path));
    return { key: path.toLowerCase(), li };
  });
  const none = el('li', 'empty');
  none.style.display = 'none';
  list.append(...entries.map((e) => e.li), none);
  // `display`, not the hidden attribute: the picker's styles make its rows flex boxes.
  input.addEventListener('input', () => {
    const needle = input.value.trim().toLowerCase();
    let shown = 0;
    for (const e of entries) {
      const match = needle === '' || e.key.includes(needle);
      e.li.style.display = match ? '' : 'none';
      if (match) shown++;
    }
    none.textContent = `No code matches “${input.value}”`;
    none.style.display = shown ? 'none' : '';
  });
  box.append(input, list);
  root.append(box);
  state.codes = entries.length;
  input.focus();
}

/**
 * The plain article with the passages drawn (`draw`): as spans with the app's classes, each
 * code's colour one rule per layer; or as one Highlight per code, each coloured by one rule. A
 * palette recolours code `codeId` by changing its rules.
 */
async function drawRecolour(root: HTMLElement, token: string, codes: readonly Code[], codeId: string, draw: CodebookUiDraw, state: CodebookUiPage): Promise<void> {
  const code = codes.find((c) => c.id === codeId);
  if (!code) throw new Error(`no code ${codeId}`);
  const app = el('div', 'app');
  const reader = el('main', 'reader');
  reader.setAttribute('aria-label', 'Article');
  const mount = el('div', 'viewer-mount');
  reader.append(mount);
  const panel = el('aside', 'panel');
  // The side panels in docked sides, as the app's window places them.
  const side = (cls: string, child: HTMLElement): HTMLElement => {
    const s = el('div', `side ${cls} docked`);
    s.append(child);
    return s;
  };
  app.append(el('header', 'topbar'), side('side-left', el('nav', 'documents')), reader, side('side-right slot', panel));
  root.append(app);

  const documents = await call<DocumentSummary[]>(token, 'documents.list', {});
  const id = documents[0]!.id;
  const [content, listed] = await Promise.all([
    call<DocumentContent>(token, 'documents.get', { documentId: id }),
    call<{ annotations: PlacedAnnotation[] }>(token, 'annotations.list', { documentId: id }),
  ]);
  const passages = listed.annotations.filter((a) => a.anchor.status !== 'orphan');
  const article = el('div', 'article');
  article.setAttribute('aria-label', 'Article text');
  article.append(el('h1', 'doc-title', content.meta.title), el('p', 'doc-byline', bylineText(content.meta)));
  const blocks = normalizeBlocks(content.blocks);
  const spans = textblockSpans(textblockTexts(blocks));
  const sheet = new CSSStyleSheet();
  /** The rules that colour the code, and what a recolour writes into each. */
  let rules: { rule: CSSStyleRule; property: string; value: (color: string) => string }[];
  if (draw === 'spans') {
    const slotOf = new Map(codes.map((c) => [c.id, c.slot]));
    const byId = new Map(passages.map((a) => [a.id, a]));
    // Each textblock's passages, then its text cut where the set of covering passages changes.
    const within: Span[][] = spans.map(() => []);
    for (const a of passages) {
      for (let b = textblockAt(spans, a.anchor.start); b < spans.length && spans[b]!.start < a.anchor.end; b++) {
        const s = Math.max(a.anchor.start, spans[b]!.start);
        const e = Math.min(a.anchor.end, spans[b]!.end);
        if (e > s) within[b]!.push({ id: a.id, start: s, end: e });
      }
    }
    let b = 0;
    appendBlocks(article, blocks, (tag, text) => {
      const e = document.createElement(tag);
      const span = spans[b]!;
      let at = span.start;
      for (const seg of segmentSpans(within[b++]!)) {
        if (seg.start > at) e.append(text.slice(at - span.start, seg.start - span.start));
        const bars = seg.ids.flatMap((p) => byId.get(p)!.codeIds.map((c) => slotOf.get(c) ?? -1));
        const hl = el('span', `hl depth-${Math.min(bars.length, MAX_LAYERS + 1)}`, text.slice(seg.start - span.start, seg.end - span.start));
        bars.slice(0, MAX_LAYERS).forEach((slot, layer) => hl.classList.add(`l${layer + 1}-c${slot < 0 ? 'x' : slot}`));
        e.append(hl);
        state.ranges++;
        if (bars.includes(code.slot)) state.codeRanges++;
        at = seg.end;
      }
      if (at < span.end) e.append(text.slice(at - span.start));
      return e;
    });
    const layers = Array.from({ length: MAX_LAYERS }, (_, k) => k + 1);
    sheet.replaceSync(codes.flatMap((c) => layers.map((k) => `.hl.l${k}-c${c.slot} { --l${k}: ${c.color}; }`)).join('\n'));
    const first = codes.indexOf(code) * MAX_LAYERS;
    rules = layers.map((k) => ({ rule: sheet.cssRules[first + k - 1] as CSSStyleRule, property: `--l${k}`, value: (color: string) => color }));
  } else {
    const textNodes: Text[] = [];
    appendBlocks(article, blocks, (tag, text) => {
      const e = document.createElement(tag);
      const t = document.createTextNode(text);
      textNodes.push(t);
      e.append(t);
      return e;
    });
    const highlights = new Map(codes.map((c) => [c.id, new Highlight()]));
    for (const c of codes) CSS.highlights.set(`cb-c${c.slot}`, highlights.get(c.id)!);
    for (const a of passages) {
      const targets = a.codeIds.flatMap((c) => highlights.get(c) ?? []);
      for (const range of passageRanges(spans, textNodes, a.anchor.start, a.anchor.end)) for (const h of targets) h.add(range);
    }
    for (const h of highlights.values()) state.ranges += h.size;
    state.codeRanges = highlights.get(codeId)!.size;
    const shade = (color: string): string => `color-mix(in srgb, ${color} 22%, transparent)`;
    sheet.replaceSync(codes.map((c) => `::highlight(cb-c${c.slot}) { background-color: ${shade(c.color)}; }`).join('\n'));
    rules = [{ rule: sheet.cssRules[codes.indexOf(code)] as CSSStyleRule, property: 'background-color', value: shade }];
  }
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  state.ruleText = () => rules.map((r) => r.rule.cssText).join('\n');
  mount.append(article);

  const palette = el('fieldset', 'field palette');
  palette.append(el('legend', undefined, 'Colour'));
  CODE_PALETTE.forEach((color, i) => {
    const button = el('button', `swatch-button palette-${i}`);
    button.type = 'button';
    button.setAttribute('aria-label', `Colour ${i + 1} (${color})`);
    button.addEventListener('click', (e) => {
      const click = e.timeStamp;
      const apply = (answered?: number): void => {
        for (const r of rules) r.rule.style.setProperty(r.property, r.value(color));
        void painted().then((t) => state.recolours.push({ click, painted: t, color, ...(answered === undefined ? {} : { answered }) }));
      };
      if (!state.persist) apply();
      else
        call(token, 'codes.update', { id: codeId, color }).then(
          () => apply(performance.now()),
          (err: unknown) => state.errors.push(String(err)),
        );
    });
    palette.append(button);
  });
  panel.append(palette);
  state.codes = codes.length;
}

async function startCodebookUiPage(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const token = params.get('token') ?? '';
  const mode: CodebookUiMode = params.get('mode') === 'recolour' ? 'recolour' : 'picker';
  const state: CodebookUiPage = {
    mode,
    ready: false,
    codes: 0,
    ranges: 0,
    codeRanges: 0,
    persist: true,
    recolours: [],
    errors: [],
    ruleText: () => '',
    async roundTrips(n) {
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        await call(token, 'history.get', {});
        out.push(performance.now() - t0);
      }
      return out;
    },
  };
  window.glossCodebookUi = state;
  const { codes } = await call<{ codes: Code[] }>(token, 'codebook.get', {});
  installCodeStyles(codes);
  const root = document.getElementById('root')!;
  if (mode === 'picker') drawPicker(root, codes, state);
  else await drawRecolour(root, token, codes, params.get('code') ?? '', params.get('draw') === 'hl' ? 'hl' : 'spans', state);
  await painted();
  state.ready = true;
}

if (typeof location !== 'undefined' && location.pathname.endsWith('/codebook-ui.html')) {
  startCodebookUiPage().catch((e: unknown) => {
    if (window.glossCodebookUi) window.glossCodebookUi.errors.push(String(e));
    console.error(e);
  });
}
