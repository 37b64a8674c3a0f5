import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { rememberedPanels, rememberPanels, type PanelMemory } from '../layout-memory';
import { arrangeSides, drawerWidth, SIDE_OF, type Arrangement, type PanelId, type SideId } from '../panel-layout';
import { panelKeyLabel, panelOfKey } from '../shortcuts';
import type { AppState } from '../state';
import { useStore, type Store } from '../store';
import { Splitter } from './Splitter';

/**
 * The side panels around the article, as a desktop app has them: each shown or hidden by its
 * toggle in the toolbar or its key, the columns resized by the splitters between them, all of it
 * remembered per project (layout-memory.ts). Where the window leaves the article less than its
 * least measure, a side stops being docked (panel-layout.ts) and its panels open as drawers over
 * the article: the focus goes into the drawer, and Escape, the toggle or a click on the article
 * closes it, the focus going back where it was.
 */

export const PANELS: readonly PanelId[] = ['documents', 'codes', 'passages'];
/** The toggles' names: the panels' own headings. */
export const PANEL_NAMES: Readonly<Record<PanelId, string>> = { documents: 'Documents', codes: 'Codes', passages: 'Passages' };
/** The article's measure in characters (widths of its font's “0”): the most a line holds… */
export const MEASURE = 66;
/** …and the least it keeps before the panels make way for it. */
export const MIN_MEASURE = 45;
export const MIN_WIDTH: Readonly<Record<SideId, number>> = { left: 220, right: 280 };
/** A splitter's width; styles.css draws it. */
const SPLITTER = 6;
/** What a resized panel steps by per arrow key (Shift: four times as much). */
const STEP = 16;

interface PanelPrefs {
  open: Record<PanelId, boolean>;
  leftWidth: number;
  rightWidth: number;
  /** The documents list's share of the left column, in percent, when the codes are shown too. */
  documentsShare: number;
}

const DEFAULTS: PanelPrefs = { open: { documents: true, codes: true, passages: true }, leftWidth: 260, rightWidth: 360, documentsShare: 45 };
const SHARE = { min: 15, max: 85 };

const clamp = (v: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, v));

/** The remembered panels, with anything missing or out of range taken from the defaults. */
function fromMemory(m: PanelMemory): PanelPrefs {
  return {
    open: { documents: m.documents ?? DEFAULTS.open.documents, codes: m.codes ?? DEFAULTS.open.codes, passages: m.passages ?? DEFAULTS.open.passages },
    leftWidth: clamp(m.leftWidth ?? DEFAULTS.leftWidth, MIN_WIDTH.left, 2000),
    rightWidth: clamp(m.rightWidth ?? DEFAULTS.rightWidth, MIN_WIDTH.right, 2000),
    documentsShare: clamp(m.documentsShare ?? DEFAULTS.documentsShare, SHARE.min, SHARE.max),
  };
}

function toMemory(p: PanelPrefs): PanelMemory {
  return { ...p.open, leftWidth: p.leftWidth, rightWidth: p.rightWidth, documentsShare: p.documentsShare };
}

/** What the article needs beside its text: measured from the page (fonts, paddings, scrollbar). */
interface Metrics {
  /** The window's width. */
  total: number;
  /** The width of the article font's “0”. */
  ch: number;
  /** The reader's paddings, scrollbar and room for the coding stripes. */
  overhead: number;
}

const px = (v: string): number => Number.parseFloat(v) || 0;

function measure(root: HTMLElement): Metrics {
  const probe = root.querySelector<HTMLElement>('.measure-probe');
  const reader = root.querySelector<HTMLElement>('main.reader');
  const mount = reader?.querySelector<HTMLElement>('.viewer-mount');
  let overhead = 0;
  if (reader) {
    const cs = getComputedStyle(reader);
    overhead += px(cs.paddingLeft) + px(cs.paddingRight) + Math.max(0, reader.offsetWidth - reader.clientWidth);
  }
  if (mount) {
    const ms = getComputedStyle(mount);
    overhead += px(ms.paddingLeft) + px(ms.paddingRight);
  }
  // The probe is 10ch wide in the article's font.
  const ch = probe ? probe.getBoundingClientRect().width / 10 : 9;
  return { total: root.clientWidth, ch: ch || 9, overhead: Math.ceil(overhead) };
}

/** Where the focus goes in a panel that opens: the open document, the code search, the details or the list. */
const FOCUS_FIRST: Readonly<Record<PanelId, string>> = {
  documents: '[aria-current="page"]',
  codes: 'input[type="search"]',
  passages: '#details-heading, #passages-heading',
};
const TABBABLE = 'button:not([disabled]), input, select, textarea, [href], [tabindex]:not([tabindex="-1"])';

const slotOf = (id: PanelId): HTMLElement | null => document.getElementById(`panel-${id}`);
const toggleOf = (id: PanelId): HTMLElement | null => document.getElementById(`toggle-${id}`);

/**
 * Focuses the panel's first place (FOCUS_FIRST), else its first control. A list hidden until now
 * draws its rows in the next frames (they are measured once on screen): a few frames are waited
 * for, as long as the focus has not moved meanwhile.
 */
function focusInto(id: PanelId, frames = 3, from = document.activeElement): void {
  const slot = slotOf(id);
  if (!slot || slot.hidden || document.activeElement !== from) return;
  const first = slot.querySelector<HTMLElement>(FOCUS_FIRST[id]);
  if (!first && frames > 0) {
    requestAnimationFrame(() => focusInto(id, frames - 1, from));
    return;
  }
  const target = first ?? [...slot.querySelectorAll<HTMLElement>(TABBABLE)].find((el) => el.getClientRects().length > 0) ?? slot;
  target.focus();
}

export interface Panels {
  /** Which panels are on screen, docked or as a drawer. */
  shown: Readonly<Record<PanelId, boolean>>;
  arrangement: Arrangement;
  /** The panel open as a drawer, if any. */
  drawer: PanelId | null;
  /** Shows or hides a panel; from the keyboard (`key`), the focus goes into it. */
  toggle(id: PanelId, via: 'button' | 'key'): void;
  /** Shows the passages (a passage was chosen in the article) without moving the focus. */
  showPassages(): void;
  /** Escape in a drawer closes it. */
  onSideKeyDown(e: JSX.TargetedKeyboardEvent<HTMLElement>): void;
  splitters: { left: ComponentChildren; right: ComponentChildren; documents: ComponentChildren };
}

/**
 * The panels' state and layout for the app element `app`: `--left-col`, `--right-col`, the drawers'
 * widths, the documents' share and the article's `--measure` are set on it through CSSOM.
 */
export function usePanels(store: Store<AppState>, app: { current: HTMLElement | null }, isMac: boolean): Panels {
  const location = useStore(store, (s) => s.project?.location ?? null);
  const stripes = useStore(store, (s) => s.stripes);
  const openDocumentId = useStore(store, (s) => s.openDocumentId);
  const [prefs, setPrefs] = useState<PanelPrefs>(DEFAULTS);
  const [drawerAsked, setDrawer] = useState<PanelId | null>(null);
  const [metrics, setMetrics] = useState<Metrics>(() => ({ total: typeof window === 'undefined' ? 1280 : window.innerWidth, ch: 9, overhead: 80 }));
  /** Where the focus was before a panel took it, to go back to when it closes. */
  const opener = useRef<HTMLElement | null>(null);
  /** A panel to focus once it is on screen (after the render that shows it). */
  const focusNext = useRef<PanelId | null>(null);
  /** The project whose memory `prefs` came from: until then, nothing is written. */
  const loadedFor = useRef<string | null>(null);

  // A pixel to spare: the measure must not fall a fraction short of it.
  const articleMin = Math.ceil(MIN_MEASURE * metrics.ch + metrics.overhead) + 1;
  const arrange = (p: PanelPrefs): Arrangement =>
    arrangeSides(metrics.total, articleMin, SPLITTER, {
      left: { open: p.open.documents || p.open.codes, width: p.leftWidth, min: MIN_WIDTH.left },
      right: { open: p.open.passages, width: p.rightWidth, min: MIN_WIDTH.right },
    });
  const arrangement = arrange(prefs);
  // A drawer whose side is docked now (the window grew) is simply a shown panel.
  const drawer = drawerAsked && !arrangement[SIDE_OF[drawerAsked]].docked ? drawerAsked : null;
  const docked = (id: PanelId): boolean => arrangement[SIDE_OF[id]].docked && (prefs.open[id] || drawerAsked === id);
  const shown: Record<PanelId, boolean> = {
    documents: drawer === 'documents' || docked('documents'),
    codes: drawer === 'codes' || docked('codes'),
    passages: drawer === 'passages' || docked('passages'),
  };

  const latest = useRef({ prefs, shown, drawer, arrange });
  latest.current = { prefs, shown, drawer, arrange };
  // The window grew under a drawer: its panel stays shown, docked now.
  useLayoutEffect(() => {
    if (!drawerAsked || drawer) return;
    setDrawer(null);
    if (!prefs.open[drawerAsked]) setPrefs((p) => ({ ...p, open: { ...p.open, [drawerAsked]: true } }));
  }, [drawerAsked, drawer]);

  // The project's remembered panels, once it is known.
  useLayoutEffect(() => {
    if (!location) return;
    loadedFor.current = location;
    setPrefs(fromMemory(rememberedPanels(location)));
  }, [location]);
  useEffect(() => {
    if (location && loadedFor.current === location) rememberPanels(location, toMemory(prefs));
  }, [prefs, location]);

  // The window's width and what the article needs, again on every resize and when the stripes take room.
  useLayoutEffect(() => {
    const root = app.current;
    if (!root) return;
    const update = (): void => {
      const next = measure(root);
      setMetrics((m) => (m.total === next.total && Math.abs(m.ch - next.ch) < 0.01 && m.overhead === next.overhead ? m : next));
    };
    update();
    let frame = 0;
    const onResize = (): void => {
      frame ||= requestAnimationFrame(() => {
        frame = 0;
        update();
      });
    };
    // Once more in the next frame: the reader may take the stripes' room in a render of its own.
    onResize();
    window.addEventListener('resize', onResize);
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener('resize', onResize);
    };
  }, [stripes]);

  // Sizes into CSS, before the frame is painted.
  useLayoutEffect(() => {
    const root = app.current;
    if (!root) return;
    const { left, right } = arrangement;
    root.style.setProperty('--left-col', `${left.docked ? left.width : 0}px`);
    root.style.setProperty('--right-col', `${right.docked ? right.width : 0}px`);
    root.style.setProperty('--left-drawer', `${drawerWidth(metrics.total, prefs.leftWidth)}px`);
    root.style.setProperty('--right-drawer', `${drawerWidth(metrics.total, prefs.rightWidth)}px`);
    root.style.setProperty('--documents-share', String(prefs.documentsShare));
    root.style.setProperty('--measure', `${Math.round(MEASURE * metrics.ch)}px`);
  });

  // Focus into a panel the render just showed.
  useLayoutEffect(() => {
    const id = focusNext.current;
    if (!id || !shown[id]) return;
    focusNext.current = null;
    focusInto(id);
  });

  const show = (id: PanelId, focus: boolean): void => {
    const { prefs: p, arrange: arrangeNow } = latest.current;
    const open = { ...p.open, [id]: true };
    if (focus) {
      const from = document.activeElement;
      opener.current = from instanceof HTMLElement && from !== document.body ? from : null;
      focusNext.current = id;
    }
    if (arrangeNow({ ...p, open })[SIDE_OF[id]].docked) {
      setPrefs({ ...p, open });
      setDrawer(null);
    } else {
      // Not enough room beside the article: over it, as a drawer (one at a time).
      if (!focus) opener.current = null;
      setDrawer(id);
    }
  };

  const hide = (id: PanelId, focusBack = true): void => {
    const { prefs: p, drawer: d } = latest.current;
    const slot = slotOf(id);
    if (focusBack && slot?.contains(document.activeElement)) {
      // Back where the focus was before (if that is still on screen), else to the panel's toggle.
      const back = opener.current;
      const target = back?.isConnected && !slot.contains(back) && back.getClientRects().length > 0 ? back : toggleOf(id);
      target?.focus();
    }
    opener.current = null;
    if (d === id) setDrawer(null);
    else setPrefs({ ...p, open: { ...p.open, [id]: false } });
  };

  const toggle = (id: PanelId, via: 'button' | 'key'): void => {
    if (latest.current.shown[id]) hide(id);
    // From a button, a docked panel leaves the focus on the button; a drawer, which covers the article, takes it.
    else show(id, via === 'key' || !latest.current.arrange({ ...latest.current.prefs, open: { ...latest.current.prefs.open, [id]: true } })[SIDE_OF[id]].docked);
  };

  // The panels' keys, anywhere in the window but behind a modal dialog.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const id = panelOfKey(e, isMac);
      if (!id || e.defaultPrevented) return;
      e.preventDefault();
      if (e.repeat || document.querySelector('[aria-modal="true"]')) return;
      toggle(id, 'key');
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [isMac]);

  // A click on the article (or the other side) closes a drawer; the focus stays where the click puts it.
  useEffect(() => {
    if (!drawer) return;
    const onDown = (e: PointerEvent): void => {
      const target = e.target instanceof Element ? e.target : null;
      if (!target || slotOf(drawer)?.contains(target) || target.closest('.panel-toggles, .picker, .chooser, .modal-backdrop, .notice')) return;
      hide(drawer, false);
    };
    document.addEventListener('pointerdown', onDown, true);
    return () => document.removeEventListener('pointerdown', onDown, true);
  }, [drawer]);

  // Choosing a document in the documents drawer closes it: the article is what the user wants to see.
  const lastDocument = useRef(openDocumentId);
  useLayoutEffect(() => {
    if (lastDocument.current === openDocumentId) return;
    lastDocument.current = openDocumentId;
    if (latest.current.drawer === 'documents') hide('documents');
  }, [openDocumentId]);

  const setWidth = (side: SideId, width: number): void => setPrefs((p) => (side === 'left' ? { ...p, leftWidth: width } : { ...p, rightWidth: width }));
  const preview = (property: string, value: string): void => app.current?.style.setProperty(property, value);
  const leftColumn = (): number => document.getElementById('side-left')?.clientHeight ?? 600;
  const pixels = (v: number): string => `${v} pixels`;

  const splitters = {
    left: arrangement.left.docked ? (
      <div class="splitter-slot splitter-left">
        <Splitter
          label="Resize the documents and codes"
          controls="side-left"
          orientation="vertical"
          value={arrangement.left.width}
          min={MIN_WIDTH.left}
          max={arrangement.left.max}
          step={STEP}
          grows={1}
          unit={pixels}
          onPreview={(v) => preview('--left-col', `${v}px`)}
          onChange={(v) => setWidth('left', v)}
          onReset={() => setWidth('left', DEFAULTS.leftWidth)}
        />
      </div>
    ) : null,
    right: arrangement.right.docked ? (
      <div class="splitter-slot splitter-right">
        <Splitter
          label="Resize the passages"
          controls="panel-passages"
          orientation="vertical"
          value={arrangement.right.width}
          min={MIN_WIDTH.right}
          max={arrangement.right.max}
          step={STEP}
          grows={-1}
          unit={pixels}
          onPreview={(v) => preview('--right-col', `${v}px`)}
          onChange={(v) => setWidth('right', v)}
          onReset={() => setWidth('right', DEFAULTS.rightWidth)}
        />
      </div>
    ) : null,
    documents:
      shown.documents && shown.codes ? (
        <Splitter
          label="Resize the documents list"
          controls="panel-documents"
          orientation="horizontal"
          value={prefs.documentsShare}
          min={SHARE.min}
          max={SHARE.max}
          step={5}
          grows={1}
          unit={(v) => `${v}% of the column`}
          pixelsPerUnit={() => leftColumn() / 100}
          onPreview={(v) => preview('--documents-share', String(v))}
          onChange={(v) => setPrefs((p) => ({ ...p, documentsShare: v }))}
          onReset={() => setPrefs((p) => ({ ...p, documentsShare: DEFAULTS.documentsShare }))}
        />
      ) : null,
  };

  return {
    shown,
    arrangement,
    drawer,
    toggle,
    showPassages: () => {
      if (!latest.current.shown.passages) show('passages', false);
    },
    onSideKeyDown: (e) => {
      const d = latest.current.drawer;
      if (e.key !== 'Escape' || !d || e.defaultPrevented) return;
      // A dialog opened from the drawer (a confirmation) closes first, by its own Escape.
      if ((e.target as Element).closest('[role="dialog"], [role="alertdialog"]') || document.querySelector('[aria-modal="true"]')) return;
      e.preventDefault();
      hide(d);
    },
    splitters,
  };
}

/** The toggles of the panels, each with its key (Ctrl+Shift+D… or ⌘⇧D… on macOS). */
export function PanelToggles({ panels, isMac }: { panels: Panels; isMac: boolean }) {
  return (
    <div class="panel-toggles" role="group" aria-label="Panels">
      {PANELS.map((id) => {
        const key = panelKeyLabel(id, isMac);
        return (
          <button
            key={id}
            type="button"
            id={`toggle-${id}`}
            class="panel-toggle"
            aria-expanded={panels.shown[id]}
            aria-controls={`panel-${id}`}
            aria-keyshortcuts={key.aria}
            title={`${panels.shown[id] ? 'Hide' : 'Show'} ${PANEL_NAMES[id].toLowerCase()} (${key.label})`}
            onClick={() => panels.toggle(id, 'button')}
          >
            {PANEL_NAMES[id]}
          </button>
        );
      })}
    </div>
  );
}
