/**
 * The baseline pages of the `long` suite (bench/long.ts), bundled into dist/bench/page.js with
 * the viewer page (page.ts imports this module) and served as /long.html by the same
 * browser-mode server as the real app, so that they fetch their data the same way: the same
 * `POST /api/…` calls with the page's token, the same JSON answers. Nothing runs unless the page
 * is long.html.
 *
 * The page has the app's layout (styles.css: documents list, reader, panel columns, so the
 * article has the app's width and fonts) and draws the article one of two ways (`?mode=`):
 *
 *   dom  plain elements (h1, p, blockquote, ul/ol, li) and the CSS Custom Highlight API: one
 *        Range per (passage, textblock) added to the highlight of each of the passage's codes;
 *   pm   plain ProseMirror over the app's schema, one inline decoration per passage, all of them
 *        in one DecorationSet from the start (no windowing).
 *
 * As the app does, it opens the first document by itself once loaded; clicking a document in
 * its list opens that one (fetch both answers in parallel, drop the old article, draw the new).
 * In `dom` mode a digit key with text selected in the article codes it (optionally through
 * `annotations.create`, as the app persists a passage before drawing it) and records the key's
 * timestamp and the painted frame.
 */
import { appendBlocks, passageRanges } from './dom-blocks';
import { EditorState } from 'prosemirror-state';
import { Decoration, DecorationSet, EditorView } from 'prosemirror-view';
import type { DocumentContent, DocumentSummary, PlacedAnnotation } from '../shared/model';
import { normalizeBlocks, textblockSpans, textblockTexts, type TextblockSpan } from '../shared/plain-text';
import { indexDoc, offsetToPos } from '../shared/positions';
import { buildDoc, bylineText } from '../shared/schema';
import { benchCodes } from './data';

export type LongMode = 'dom' | 'pm';

/** One passage coded on the baseline page: times on its performance clock. */
export interface LongAdd {
  keydown: number;
  /** The API answer received (absent when not persisted). */
  answered?: number;
  painted: number;
  start: number;
  end: number;
}

export interface LongPage {
  mode: LongMode;
  /** Set once the first document is drawn and painted. */
  ready: boolean;
  /** The open document's id and what the page drew for it. */
  shown: { id: string; ranges: number; decorations: number } | null;
  /** Whether a digit key persists the passage through the API before drawing it. */
  persist: boolean;
  /** Passages coded with a digit key, in order. */
  adds: LongAdd[];
  errors: string[];
}

declare global {
  interface Window {
    glossLong?: LongPage;
  }
}

const codes = benchCodes();
const slotOf = new Map(codes.map((c) => [c.id, c.slot]));

/** A call of the app's API, as renderer/transport-http.ts makes it. */
async function call<T>(token: string, method: string, input: unknown): Promise<T> {
  const response = await fetch(`/api/${encodeURIComponent(method)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Gloss-Client': 'bench-long-baseline', 'X-Gloss-Token': token },
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

/** What a drawn article must be able to do. */
interface Drawn {
  ranges: number;
  decorations: number;
  destroy(): void;
}

/** Plain elements + Highlight API. */
class DomArticle implements Drawn {
  readonly root: HTMLElement;
  readonly textNodes: Text[] = [];
  readonly nodeIndex = new Map<Node, number>();
  readonly spans: TextblockSpan[];
  readonly highlights: Highlight[];
  ranges = 0;
  decorations = 0;

  constructor(
    mount: HTMLElement,
    readonly content: DocumentContent,
    readonly annotations: PlacedAnnotation[],
  ) {
    const root = el('div', 'article');
    root.setAttribute('aria-label', 'Article text');
    root.setAttribute('role', 'textbox');
    root.setAttribute('aria-readonly', 'true');
    root.append(el('h1', 'doc-title', content.meta.title), el('p', 'doc-byline', bylineText(content.meta)));
    const block = (tag: string, text: string): HTMLElement => {
      const e = document.createElement(tag);
      const t = document.createTextNode(text);
      this.nodeIndex.set(t, this.textNodes.length);
      this.textNodes.push(t);
      e.append(t);
      return e;
    };
    const blocks = normalizeBlocks(content.blocks);
    appendBlocks(root, blocks, block);
    this.root = root;
    this.spans = textblockSpans(textblockTexts(blocks));
    this.highlights = [...codes.map(() => new Highlight()), new Highlight()];
    this.highlights.forEach((h, i) => CSS.highlights.set(i < codes.length ? `bench-c${i}` : 'bench-cx', h));
    for (const a of annotations) if (a.anchor.status !== 'orphan') this.addPassage(a.anchor.start, a.anchor.end, a.codeIds);
    mount.append(root);
  }

  /** One Range per textblock piece, added to each code's highlight. */
  addPassage(start: number, end: number, codeIds: readonly string[]): void {
    const targets = (codeIds.length ? codeIds : ['']).map((id) => this.highlights[slotOf.get(id) ?? codes.length]!);
    for (const range of passageRanges(this.spans, this.textNodes, start, end)) {
      for (const h of targets) {
        h.add(range);
        this.ranges++;
      }
    }
  }

  /** A DOM point in the article as a plain-text offset, or null outside its textblocks. */
  offsetOf(node: Node, offset: number): number | null {
    const b = this.nodeIndex.get(node);
    return b === undefined ? null : this.spans[b]!.start + offset;
  }

  destroy(): void {
    CSS.highlights.clear();
    this.root.remove();
  }
}

/** Plain ProseMirror, every passage one inline decoration. */
class PmArticle implements Drawn {
  readonly view: EditorView;
  ranges = 0;
  decorations: number;

  constructor(mount: HTMLElement, content: DocumentContent, annotations: PlacedAnnotation[]) {
    const doc = buildDoc(content.meta, content.blocks);
    const index = indexDoc(doc);
    const decos: Decoration[] = [];
    for (const a of annotations) {
      if (a.anchor.status === 'orphan') continue;
      const from = offsetToPos(index, a.anchor.start, 1);
      const to = offsetToPos(index, a.anchor.end, -1);
      if (to <= from) continue;
      const slot = a.codeIds.length ? (slotOf.get(a.codeIds[0]!) ?? 'x') : 'x';
      decos.push(Decoration.inline(from, to, { class: `hl depth-1 l1-c${slot}` }));
    }
    const set = DecorationSet.create(doc, decos);
    this.decorations = decos.length;
    const view: EditorView = new EditorView(mount, {
      state: EditorState.create({ doc }),
      decorations: () => set,
      editable: () => true,
      attributes: { role: 'textbox', 'aria-readonly': 'true', 'aria-label': 'Article text', tabindex: '0', spellcheck: 'false', class: 'article' },
      dispatchTransaction: (tr) => {
        if (!tr.docChanged) view.updateState(view.state.apply(tr));
      },
    });
    this.view = view;
  }

  destroy(): void {
    this.view.destroy();
  }
}

async function startLongPage(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const token = params.get('token') ?? '';
  const mode: LongMode = params.get('mode') === 'pm' ? 'pm' : 'dom';
  const state: LongPage = { mode, ready: false, shown: null, persist: true, adds: [], errors: [] };
  window.glossLong = state;
  const root = document.getElementById('root')!;
  const app = el('div', 'app');
  const top = el('header', 'topbar');
  top.append(el('h1', 'brand', `Gloss baseline (${mode === 'dom' ? 'plain DOM + Highlight API' : 'plain ProseMirror'})`));
  const nav = el('nav', 'documents');
  nav.setAttribute('aria-label', 'Documents');
  const list = el('ul');
  nav.append(el('h2', undefined, 'Documents'), list);
  const reader = el('main', 'reader');
  reader.setAttribute('aria-label', 'Article');
  const mount = el('div', 'viewer-mount');
  reader.append(mount);
  const panel = el('aside', 'panel');
  const heading = el('h2', undefined, 'Coded passages');
  heading.id = 'passages-heading';
  panel.append(heading);
  app.append(top, nav, reader, panel);
  root.append(app);

  let current: (Drawn & { id: string; dom?: DomArticle }) | null = null;
  let count = 0;
  let seq = 0;
  const open = async (id: string): Promise<void> => {
    const mine = ++seq;
    const [content, listed] = await Promise.all([
      call<DocumentContent>(token, 'documents.get', { documentId: id }),
      call<{ annotations: PlacedAnnotation[] }>(token, 'annotations.list', { documentId: id }),
    ]);
    if (mine !== seq) return;
    current?.destroy();
    reader.scrollTop = 0;
    if (mode === 'dom') {
      const dom = new DomArticle(mount, content, listed.annotations);
      current = Object.assign(dom, { id, dom });
    } else current = Object.assign(new PmArticle(mount, content, listed.annotations), { id });
    count = listed.annotations.length;
    heading.textContent = `Coded passages (${count})`;
    state.shown = { id, ranges: current.ranges, decorations: current.decorations };
  };

  const documents = await call<DocumentSummary[]>(token, 'documents.list', {});
  for (const d of documents) {
    const li = el('li');
    const button = el('button', 'doc-item');
    button.type = 'button';
    button.append(el('span', 'doc-title', d.meta.title), el('span', 'doc-count', `${d.annotationCount} coded passages`));
    button.addEventListener('click', () => void open(d.id).catch((e: unknown) => state.errors.push(String(e))));
    li.append(button);
    list.append(li);
  }

  // A digit key codes the selected text (dom mode only): the same gesture as in the app's picker.
  document.addEventListener('keydown', (e) => {
    const dom = current?.dom;
    if (!dom || !/^[1-9]$/.test(e.key)) return;
    const keydown = e.timeStamp;
    const sel = document.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return;
    const r = sel.getRangeAt(0);
    const start = dom.offsetOf(r.startContainer, r.startOffset);
    const end = dom.offsetOf(r.endContainer, r.endOffset);
    if (start === null || end === null || end <= start) return;
    e.preventDefault();
    const codeId = codes[Number(e.key) - 1]!.id;
    const draw = (answered?: number): void => {
      dom.addPassage(start, end, [codeId]);
      heading.textContent = `Coded passages (${++count})`;
      sel.collapseToEnd();
      void painted().then((t) => state.adds.push({ keydown, painted: t, start, end, ...(answered === undefined ? {} : { answered }) }));
    };
    if (!state.persist) draw();
    else
      call(token, 'annotations.create', { documentId: current!.id, start, end, codeIds: [codeId] }).then(
        () => draw(performance.now()),
        (err: unknown) => state.errors.push(String(err)),
      );
  });

  if (documents[0]) await open(documents[0].id);
  await painted();
  state.ready = true;
}

if (typeof location !== 'undefined' && location.pathname.endsWith('/long.html')) {
  startLongPage().catch((e: unknown) => {
    if (window.glossLong) window.glossLong.errors.push(String(e));
    console.error(e);
  });
}
