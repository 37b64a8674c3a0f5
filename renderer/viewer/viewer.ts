import { AllSelection, EditorState, Plugin, PluginKey, Selection, TextSelection } from 'prosemirror-state';
import { Decoration, DecorationSet, EditorView } from 'prosemirror-view';
import type { Node as PMNode } from 'prosemirror-model';
import { buildDoc } from '../../shared/schema';
import { blockAtOffset, indexDoc, offsetToPos, posToOffset, type PositionIndex } from '../../shared/positions';
import { snapToCodePoints, trimRange } from '../../shared/anchoring';
import type { DocumentContent } from '../../shared/model';
import { BLOCK_SEPARATOR } from '../../shared/plain-text';
import { domSelection } from './dom-selection';
import { StripeLayer } from './stripes';
import { HighlightLayer, NEAR_MARGIN_BLOCKS, WINDOW_MARGIN_BLOCKS, highlightPlugin, type HighlightPassage } from './highlights';
import { rangeBoxes, readingPlace, restoreReadingPlace } from './view-geometry';
import type { ReadingPlace } from '../layout-memory';

const pendingKey = new PluginKey<DecorationSet>('gloss-pending');

/** Keeps a selection visible while focus is in the code picker. */
const pendingPlugin = new Plugin<DecorationSet>({
  key: pendingKey,
  state: {
    init: () => DecorationSet.empty,
    apply: (tr, set) => (tr.getMeta(pendingKey) as DecorationSet | undefined) ?? set,
  },
  props: { decorations: (state) => pendingKey.getState(state) },
});

/**
 * Top-level blocks per chunk: the browser lays out (and tracks for visibility) one element per
 * chunk rather than per paragraph, so a book-length article costs hundreds of elements to keep
 * track of, not tens of thousands, in every frame that lays the page out; a chunk is still small
 * enough that laying out the one on screen is cheap.
 */
const CHUNK_BLOCKS = 24;

/** A first guess at a chunk's height before the browser has laid it out (it keeps the real one after). */
function chunkHeightGuess(chunk: PMNode): number {
  // About what the article's measure and line height give: ~75 characters a line of ~35 px, and a paragraph's margin.
  let px = 0;
  chunk.descendants((node) => {
    if (!node.isTextblock) return true;
    // A textblock holds only text, so its content size is its text's length (no string is built).
    px += Math.max(1, Math.ceil(node.content.size / 75)) * 35 + 18;
    return false;
  });
  return Math.round(px);
}

/** After scrolling pauses this long, the decorated window is computed again (see `onScroll`). */
const SCROLL_SETTLE_MS = 60;

/** A range of the canonical plain text. */
export interface TextRange {
  start: number;
  end: number;
}

export interface ViewerEvents {
  /** The user finished selecting text (mouse up, or Enter on a keyboard selection). */
  onSelect(range: TextRange, at: DOMRect): void;
  /** The user clicked (or pressed Enter in) text covered by passages, outermost first. */
  onPassages(ids: string[], at: DOMRect): void;
  /** Any other key pressed in the article; true when it was taken (a code's shortcut). `selection` reads the selected range. */
  onKey?(event: KeyboardEvent, selection: () => TextRange | null): boolean;
}

/**
 * The read-only article viewer. ProseMirror renders the structure and tracks the selection;
 * every path that could change the text is closed, so the user can select and copy, never edit.
 * Selections leave the viewer as plain-text offsets, never as ProseMirror positions.
 */
export class Viewer {
  readonly view: EditorView;
  readonly index: PositionIndex;
  readonly highlights: HighlightLayer;
  /** Coding stripes beside the text (off until switched on). */
  readonly stripes: StripeLayer;
  private scrollFrame = 0;
  private settleTimer: ReturnType<typeof setTimeout> | undefined;
  private settleFrame = 0;
  private readonly scroller: HTMLElement;
  private pointerDown = false;
  /** Set while `focus()` gives the article focus back (after the code picker): its selection stays. */
  private ownFocus = false;

  constructor(mount: HTMLElement, content: DocumentContent, events: ViewerEvents, scroller: HTMLElement = mount) {
    this.scroller = scroller;
    const doc = buildDoc(content.meta, content.blocks, { chunk: CHUNK_BLOCKS });
    this.index = indexDoc(doc);
    const state = EditorState.create({ doc, plugins: [highlightPlugin(), pendingPlugin] });
    const rectAt = (pos: number): DOMRect => {
      const c = this.view.coordsAtPos(pos);
      return new DOMRect(c.left, c.top, Math.max(1, c.right - c.left), c.bottom - c.top);
    };
    this.view = new EditorView(mount, {
      state,
      // The view is contenteditable only so that keyboard users can move a caret and select with Shift+arrows; no change is ever let through.
      editable: () => true,
      attributes: {
        role: 'textbox',
        'aria-readonly': 'true',
        'aria-multiline': 'true',
        'aria-label': 'Article text',
        // Explicit, so that audits and assistive tech see the scrolling article as keyboard-reachable.
        tabindex: '0',
        spellcheck: 'false',
        autocorrect: 'off',
        autocapitalize: 'off',
        inputmode: 'none',
        class: 'article',
      },
      nodeViews: {
        chunk: (node) => {
          const dom = document.createElement('div');
          dom.className = 'chunk';
          // Through CSSOM: the content security policy refuses style attributes.
          dom.style.containIntrinsicSize = `auto ${chunkHeightGuess(node)}px`;
          return { dom, contentDOM: dom };
        },
      },
      dispatchTransaction: (tr) => {
        if (tr.docChanged) return;
        this.view.updateState(this.view.state.apply(tr));
      },
      handleTextInput: () => true,
      handlePaste: () => true,
      handleDrop: () => true,
      handleDOMEvents: {
        beforeinput: (_view, event) => {
          event.preventDefault();
          return true;
        },
        cut: (_view, event) => {
          event.preventDefault();
          return true;
        },
        copy: (_view, event) => this.copy(event),
        focus: () => {
          // Keyboard users (Tab, or a shortcut) go on reading where the article is scrolled to, not at its title.
          if (!this.pointerDown && !this.ownFocus && !domSelection(this.view) && !this.headInView()) this.caretAtTopOfView();
          return false;
        },
        mousedown: (_view, event) => {
          if (event.button !== 0) return false;
          this.press = { clicks: event.detail, x: event.clientX, y: event.clientY };
          this.pointerDown = true;
          this.highlights.hold();
          // The button may be let go outside the article, or the window.
          window.addEventListener('mouseup', this.onDragEnd, { once: true, capture: true });
          return false;
        },
        mouseup: (_view, event) => {
          // A double (or triple) click selects a word (a paragraph) to copy: no picker for it. A drag
          // (even one starting where the last click was), Enter or the toolbar codes.
          const clicked = (p: { clicks: number; x: number; y: number }, e: MouseEvent): boolean => p.clicks >= 2 && Math.hypot(e.clientX - p.x, e.clientY - p.y) <= 4;
          if (clicked(this.press, event)) return false;
          // Let the browser settle the selection first; a second press come meanwhile may make this the first half of a double click.
          const press = this.press;
          setTimeout(() => (this.press === press || !clicked(this.press, event)) && this.reportSelection(), 0);
          return false;
        },
      },
      handleKeyDown: (_view, event) => {
        if (event.key === 'Enter' && !event.ctrlKey && !event.metaKey && !event.altKey) {
          const range = this.selectedRange();
          if (range) events.onSelect(range, rectAt(offsetToPos(this.index, range.end, -1)));
          else {
            const offset = posToOffset(this.index, this.view.state.selection.head);
            const ids = this.highlights.passagesAt(offset);
            if (ids.length) events.onPassages(ids, rectAt(this.view.state.selection.head));
          }
          return true;
        }
        if (this.documentKey(event)) return true;
        if (events.onKey?.(event, () => this.selectedRange())) return true;
        // Keys that would edit are swallowed; navigation, selection and copy pass through.
        if (event.key === 'Backspace' || event.key === 'Delete' || event.key === 'Tab') return event.key !== 'Tab';
        return false;
      },
      handleClick: (_view, pos) => {
        // A click that leaves text selected opens nothing. ProseMirror hears of selection changes late, so its state may still hold the selection this click collapsed: the DOM decides.
        const { from, to } = domSelection(this.view) ?? this.view.state.selection;
        if (from !== to) return false;
        const ids = this.highlights.passagesAt(posToOffset(this.index, pos));
        if (ids.length === 0) return false;
        // The clicked line's box, which the chooser then stays clear of.
        events.onPassages(ids, rectAt(pos));
        return true;
      },
    });
    this.highlights = new HighlightLayer(this.view, this.index);
    this.stripes = new StripeLayer(mount, this.scroller, this.view, this.index, this.highlights);
    this.reportSelection = () => {
      const range = this.selectedRange();
      if (range) events.onSelect(range, rectAt(offsetToPos(this.index, range.end, -1)));
    };
    this.scroller.addEventListener('scroll', this.onScroll, { passive: true });
    this.updateWindow();
  }

  private reportSelection: () => void;
  /** The last press of the mouse button in the article: its click count (2: a double click) and where. */
  private press = { clicks: 0, x: 0, y: 0 };

  /** The drag is over: once the selection is reported (it reads the DOM), draw what waited. */
  private onDragEnd = (): void => {
    this.pointerDown = false;
    // Two tasks: the selection is reported in the task after mouseup.
    setTimeout(() => setTimeout(() => this.highlights.release(), 0), 0);
  };

  /** Where the caret is (the selection's head), as a plain-text offset. */
  caretOffset(): number {
    const { head } = domSelection(this.view) ?? this.view.state.selection;
    return posToOffset(this.index, head);
  }

  /** The selection as a trimmed plain-text range, or null when nothing is selected. */
  selectedRange(): TextRange | null {
    const { from, to } = domSelection(this.view) ?? this.view.state.selection;
    if (from === to) return null;
    const start = posToOffset(this.index, from, 1);
    const end = posToOffset(this.index, to, -1);
    const trimmed = trimRange(this.index.text, start, end);
    if (trimmed.end <= trimmed.start) return null;
    return snapToCodePoints(this.index.text, trimmed.start, trimmed.end);
  }

  /** Draws these passages (replacing the previous set; unchanged ones are not redrawn). */
  setPassages(list: readonly HighlightPassage[]): void {
    this.highlights.setPassages(list);
    this.stripes.schedule();
  }

  /** Draws `put` (new or changed passages) and takes away the passages `removed` (ids). */
  updatePassages(put: readonly HighlightPassage[], removed: readonly string[]): void {
    this.highlights.update(put, removed);
    this.stripes.schedule();
  }

  /** The boxes a range covers on screen, for pop-ups to stay clear of (view-geometry.ts). */
  rangeBoxes(range: TextRange): DOMRect[] {
    return rangeBoxes(this.view, this.index, range.start, range.end);
  }

  /** What is at the top of the article's view, to come back to later. */
  readingPlace(): ReadingPlace {
    return readingPlace(this.view, this.index, this.scroller);
  }

  /** Scrolls back to a reading place, held there while the text around it is laid out. */
  restoreReadingPlace(place: ReadingPlace): void {
    this.stopRestoring();
    this.stopRestoring = restoreReadingPlace(this.view, this.index, this.scroller, place);
  }

  private stopRestoring: () => void = () => undefined;

  /** Scrolls a text offset into view and puts the caret there. */
  scrollTo(offset: number): void {
    const pos = offsetToPos(this.index, offset);
    this.view.dispatch(this.view.state.tr.setSelection(TextSelection.create(this.view.state.doc, pos)));
    this.reveal(pos);
  }

  /**
   * Selects a plain-text range and scrolls it into the middle of the view (Find's current
   * match). The selection shows once the article has the focus again; until then the DOM's
   * selection stays where it is (in the find field).
   */
  showRange(range: TextRange): void {
    this.select(range);
    this.reveal(offsetToPos(this.index, range.start, 1));
  }

  /** Scrolls the text at a document position into the middle of the view, with its highlights drawn. */
  private reveal(pos: number): void {
    const block = blockAtOffset(this.index, posToOffset(this.index, pos));
    this.highlights.setWindow(block - WINDOW_MARGIN_BLOCKS, block + WINDOW_MARGIN_BLOCKS, block - NEAR_MARGIN_BLOCKS, block + NEAR_MARGIN_BLOCKS);
    const dom = this.view.domAtPos(pos);
    const el = dom.node instanceof Element ? dom.node : dom.node.parentElement;
    el?.scrollIntoView({ block: 'center' });
    // Blocks between here and there are laid out only as they come into view (content-visibility),
    // so the first jump lands by estimated heights; it is corrected over the next frames until
    // the passage stays where it was put.
    if (el) this.settleScroll(el, pos, 6);
  }

  /**
   * Select all and the keys to the document's start or end (with Shift, selecting to there). The
   * browser's own handling stops at blocks it has not laid out (content-visibility) and, for
   * select all, takes in the whole page; here they work on the document, however long.
   */
  private documentKey(event: KeyboardEvent): boolean {
    if (event.altKey) return false;
    const mod = event.ctrlKey || event.metaKey;
    const { state } = this.view;
    if (mod && !event.shiftKey && event.key.toLowerCase() === 'a') {
      this.view.dispatch(state.tr.setSelection(new AllSelection(state.doc)));
      return true;
    }
    // Ctrl+Home/End on Windows and Linux, Cmd+Up/Down on macOS.
    const toStart = (event.ctrlKey && event.key === 'Home') || (event.metaKey && event.key === 'ArrowUp');
    const toEnd = (event.ctrlKey && event.key === 'End') || (event.metaKey && event.key === 'ArrowDown');
    if (!toStart && !toEnd) return false;
    const target = toStart ? Selection.atStart(state.doc) : Selection.atEnd(state.doc);
    const anchor = domSelection(this.view)?.anchor ?? state.selection.anchor;
    const selection = event.shiftKey ? TextSelection.create(state.doc, anchor, target.head) : target;
    this.view.dispatch(state.tr.setSelection(selection));
    this.reveal(target.head);
    return true;
  }

  /** Whether ProseMirror's caret (the selection's head) is in the article's view. */
  private headInView(): boolean {
    const box = this.scroller.getBoundingClientRect();
    const at = this.view.coordsAtPos(this.view.state.selection.head);
    return at.bottom > box.top && at.top < box.bottom;
  }

  /** Puts the caret at the start of the first text on screen. */
  private caretAtTopOfView(): void {
    const box = this.scroller.getBoundingClientRect();
    const inner = this.view.dom.getBoundingClientRect();
    const hit = this.view.posAtCoords({ left: inner.left + Math.min(40, inner.width / 2), top: Math.max(box.top, inner.top) + 2 });
    const { doc } = this.view.state;
    const block = hit ? blockAtOffset(this.index, posToOffset(this.index, hit.pos)) : 0;
    const pos = hit ? this.index.pmStarts[block] ?? hit.pos : Selection.atStart(doc).head;
    this.view.dispatch(this.view.state.tr.setSelection(Selection.near(doc.resolve(pos))));
  }

  /**
   * Copies the selection as the document has it, whether or not its blocks were laid out: plain
   * text is the textblocks joined by a blank line (so a passage's text is exactly what is copied),
   * with the title and byline where they are selected.
   */
  private copy(event: ClipboardEvent): boolean {
    const { from, to } = domSelection(this.view) ?? this.view.state.selection;
    if (from === to || !event.clipboardData) return false;
    const { doc } = this.view.state;
    const text = doc.textBetween(from, to, BLOCK_SEPARATOR, (leaf) => String(leaf.attrs['text'] ?? ''));
    const { dom } = this.view.serializeForClipboard(doc.slice(from, to));
    event.preventDefault();
    event.clipboardData.clearData();
    event.clipboardData.setData('text/html', dom.innerHTML);
    event.clipboardData.setData('text/plain', text);
    return true;
  }

  /**
   * Keeps the text at `pos` in the middle half of the article's view for the next frames. Stops
   * as soon as anything else scrolls the article (the user, or the browser keeping its place).
   */
  private settleScroll(el: Element, pos: number, tries: number, top = this.scroller.scrollTop): void {
    cancelAnimationFrame(this.settleFrame);
    this.settleFrame = requestAnimationFrame(() => {
      if (!el.isConnected || tries <= 0 || this.view.isDestroyed || Math.abs(this.scroller.scrollTop - top) > 2) return;
      const box = this.scroller.getBoundingClientRect();
      const at = this.view.coordsAtPos(pos);
      const middle = (at.top + at.bottom) / 2;
      if (middle < box.top + box.height * 0.25 || middle > box.bottom - box.height * 0.25) this.scroller.scrollTop += middle - (box.top + box.height / 2);
      this.settleScroll(el, pos, tries - 1, this.scroller.scrollTop);
    });
  }

  /** Selects a plain-text range (used after undo, and by tests). */
  select(range: TextRange): void {
    const { doc } = this.view.state;
    this.view.dispatch(this.view.state.tr.setSelection(TextSelection.create(doc, offsetToPos(this.index, range.start, 1), offsetToPos(this.index, range.end, -1))));
  }

  /** Marks the range being coded (null to clear). */
  setPending(range: TextRange | null): void {
    const { state } = this.view;
    const set = range
      ? DecorationSet.create(state.doc, [Decoration.inline(offsetToPos(this.index, range.start, 1), offsetToPos(this.index, range.end, -1), { class: 'sel-pending' })])
      : DecorationSet.empty;
    this.view.dispatch(state.tr.setMeta(pendingKey, set));
  }

  /** Focuses the article, collapsing any selection to its end so new highlights show. */
  focus(collapse = false): void {
    // After the render the caller's change scheduled (a microtask queued before this one): putting
    // the selection into the DOM lays the page out, and done first it would be laid out twice
    // before the next frame, once before that render changed the DOM and once after.
    queueMicrotask(() => this.focusNow(collapse));
  }

  private focusNow(collapse: boolean): void {
    if (this.view.isDestroyed) return;
    // Collapsed first, so that focusing puts the selection into the DOM once.
    if (collapse && !this.view.state.selection.empty) {
      const { doc, selection } = this.view.state;
      this.view.dispatch(this.view.state.tr.setSelection(TextSelection.create(doc, selection.to)));
    }
    this.ownFocus = true;
    try {
      this.view.focus();
    } finally {
      this.ownFocus = false;
    }
  }

  private onScroll = (): void => {
    // Once more when scrolling pauses: blocks that came into view get their real heights only
    // after the frame that first showed them (content-visibility), which moves what is on screen.
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => this.updateWindow(), SCROLL_SETTLE_MS);
    if (this.scrollFrame) return;
    this.scrollFrame = requestAnimationFrame(() => {
      this.scrollFrame = 0;
      this.updateWindow();
    });
  };

  /** Decorates the blocks around what is on screen. */
  private updateWindow(): void {
    const box = this.scroller.getBoundingClientRect();
    const inner = this.view.dom.getBoundingClientRect();
    const left = inner.left + Math.min(40, inner.width / 2);
    const top = this.view.posAtCoords({ left, top: Math.max(box.top, inner.top) + 2 });
    const bottom = this.view.posAtCoords({ left, top: Math.min(box.bottom, inner.bottom) - 2 });
    const first = top ? blockAtOffset(this.index, posToOffset(this.index, top.pos)) : 0;
    const last = bottom ? blockAtOffset(this.index, posToOffset(this.index, bottom.pos)) : first + WINDOW_MARGIN_BLOCKS;
    this.highlights.setWindow(first - WINDOW_MARGIN_BLOCKS, last + WINDOW_MARGIN_BLOCKS, first - NEAR_MARGIN_BLOCKS, last + NEAR_MARGIN_BLOCKS);
  }

  destroy(): void {
    window.removeEventListener('mouseup', this.onDragEnd, { capture: true });
    this.scroller.removeEventListener('scroll', this.onScroll);
    cancelAnimationFrame(this.scrollFrame);
    cancelAnimationFrame(this.settleFrame);
    clearTimeout(this.settleTimer);
    this.stopRestoring();
    this.highlights.destroy();
    this.stripes.destroy();
    this.view.destroy();
  }
}
