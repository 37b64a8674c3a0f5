/**
 * The page-side watchers of the `codebook-ui` suite (bench/codebook-ui.ts): each is installed
 * in the page before the gesture it times, records times on the page's clock, and resolves a
 * promise once the frame showing the result has been painted (a requestAnimationFrame callback,
 * then a posted message, delivered once that frame's style, layout and paint are done). The
 * same watchers time the app and its baselines.
 */
import type { Page } from 'playwright-core';
import { settle } from './long';

/** What the keystroke watcher records, on the page's clock. */
interface KeyMarks {
  keydown?: number;
  inDom?: number;
  painted?: number;
  /** The codes the listbox showed when the watcher gave up waiting. */
  options?: number;
}

/** What the recolour watcher records, on the page's clock. */
export interface RecolourMarks {
  click?: number;
  /** The details pane's swatch showing as pressed. */
  inDom?: number;
  /** In the frame whose style has the new colour everywhere on screen: when the watcher saw it (after the frame's layout, before its paint). */
  styled?: number;
  /** How long that check took, inside the frame measured. */
  check?: number;
  painted?: number;
  requestStart?: number;
  answered?: number;
  /** Highlights of the code on screen, and those in the new colour after the frame. */
  shown: number;
  recoloured: number;
  /** Long animation frames (≥ 50 ms) between the click and the paint: start, duration, longest scripts. */
  loaf: string[];
}

declare global {
  interface Window {
    __cbKey?: { marks: KeyMarks; done: Promise<KeyMarks> };
    __cbRecolour?: { marks: RecolourMarks; done: Promise<RecolourMarks> };
  }
}

/** What a listbox must show after a key: how many codes (rows with a swatch, whatever other options follow them). */
export interface Expect {
  codes: number;
  /** The rows that count: the baseline hides rows rather than removing them. */
  rows: string;
  /**
   * For a virtual listbox, which draws only the options in view: how many options it holds (the
   * codes and any option after them), as its options' `aria-setsize` says, instead of counting rows.
   */
  options?: number;
}

/** Pause between keys once the previous one is painted (a quick typist's rhythm). */
const KEY_PAUSE_MS = 120;

/**
 * Arms the keystroke watcher: resolves `__cbKey.done` once the frame is painted after the next
 * key's listbox shows the codes expected. The first change of the listbox after the key is the
 * whole of its new state (a render is one task), so a count equal to the last key's still marks it.
 * A key may change nothing in the listbox's DOM (a virtual list whose rows in view stay the same):
 * the listbox is also checked in each animation frame after the key, which follows the key's task.
 */
function armKey(page: Page, expect: Expect): Promise<void> {
  return page.evaluate(({ codes, rows, options }) => {
    const marks: KeyMarks = {};
    let resolveDone: (m: KeyMarks) => void = () => undefined;
    const done = new Promise<KeyMarks>((r) => (resolveDone = r));
    window.__cbKey = { marks, done };
    const list = document.getElementById('picker-codes')!;
    const shows = (): boolean => {
      if (options === undefined) return list.querySelectorAll(rows).length === codes;
      const size = Number(list.querySelector('li[aria-setsize]')?.getAttribute('aria-setsize') ?? 0);
      return size === options && (codes === 0 || list.querySelector(rows) !== null);
    };
    const painted = (): void => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        marks.painted = performance.now();
        resolveDone(marks);
      };
      channel.port2.postMessage(null);
    };
    /** In an animation frame, the frame being made is the one to wait for; otherwise the next. */
    const check = (inFrame = false): void => {
      if (marks.keydown === undefined || marks.inDom !== undefined) return;
      if (!shows()) return;
      marks.inDom = performance.now();
      observer.disconnect();
      if (inFrame) painted();
      else requestAnimationFrame(painted);
    };
    const eachFrame = (): void => {
      check(true);
      if (marks.inDom === undefined) requestAnimationFrame(eachFrame);
    };
    const onKey = (e: KeyboardEvent): void => {
      if (e.key.length !== 1) return;
      marks.keydown = e.timeStamp;
      window.removeEventListener('keydown', onKey, true);
      requestAnimationFrame(eachFrame);
    };
    window.addEventListener('keydown', onKey, true);
    const observer = new MutationObserver(() => check());
    observer.observe(list, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['style'] });
    setTimeout(() => {
      marks.options = options === undefined ? list.querySelectorAll(rows).length : Number(list.querySelector('li[aria-setsize]')?.getAttribute('aria-setsize') ?? 0);
      resolveDone(marks);
    }, 10_000);
  }, expect);
}

/**
 * Types `query` into the focused filter one key at a time; returns each key's key → painted
 * time. `options` gives what the listbox must hold after each prefix.
 */
export async function typeQuery(page: Page, query: string, options: (typed: string) => Expect): Promise<number[]> {
  const out: number[] = [];
  for (let i = 1; i <= query.length; i++) {
    const typed = query.slice(0, i);
    const expect = options(typed);
    await armKey(page, expect);
    await page.keyboard.press(query[i - 1]!);
    const m = await page.evaluate(() => window.__cbKey!.done);
    if (m.painted === undefined) throw new Error(`after “${typed}” the listbox shows ${m.options} codes, not ${expect.options ?? expect.codes}`);
    out.push(m.painted - m.keydown!);
    await page.waitForTimeout(KEY_PAUSE_MS);
  }
  return out;
}

/** Empties the focused filter without timing it (Ctrl+A, Backspace), for another round on the baseline page. */
export async function clearFilter(page: Page): Promise<void> {
  await page.keyboard.press('Control+a');
  await page.keyboard.press('Backspace');
  await settle(page, 200);
}

/**
 * Arms the recolour watcher for the code in colour slot `slot`, to turn whichever of `colours`
 * it does not have now (returned): resolves `__cbRecolour.done` after the first painted frame in
 * which every highlight of the code on screen has that colour.
 *
 * The colours are read where the frame has computed them, not by forcing it to. A
 * `getComputedStyle` in an animation frame callback makes the browser restyle there, ahead of its
 * own update; measured in isolation on the app, that forced restyle went into the chunks the
 * browser otherwise skips (`content-visibility: auto`): twice the elements restyled and the layout
 * tree rebuilt, ~20 ms more in the frame measured. (In the suite's own frames the pointer resting
 * on the palette mostly made the browser hit-test, and so restyle, before any animation frame
 * callback, which hid the difference.) So each frame after the click resizes a hidden 1 px
 * element, and its ResizeObserver callback, which the browser runs after that frame's style and
 * layout and before its paint, reads the highlights' computed colours with nothing left to restyle. The frame in which all of
 * them have the new colour is the one whose paint is waited for; after it, every highlight of
 * the code on screen is checked again (`recoloured`). Highlights on screen are looked for in the
 * article's blocks on screen, found by bisection, so that no off-screen chunk is laid out and the
 * check costs a fraction of a millisecond in the frame it times (`check`).
 */
export function armRecolour(page: Page, slot: number, colours: readonly [string, string]): Promise<string> {
  return page.evaluate(
    ({ slot, colours }) => {
      const marks: RecolourMarks = { shown: 0, recoloured: 0, loaf: [] };
      let resolveDone: (m: RecolourMarks) => void = () => undefined;
      const done = new Promise<RecolourMarks>((r) => (resolveDone = r));
      window.__cbRecolour = { marks, done };
      performance.clearResourceTimings();
      const reader = document.querySelector('main.reader')!;
      const article = reader.querySelector('[aria-label="Article text"]')!;
      const layerOf = (h: Element): number => {
        for (let k = 1; k <= 4; k++) if (h.classList.contains(`l${k}-c${slot}`)) return k;
        return 0;
      };
      /** The children of `parent` (blocks, one below the other) that reach into `box`, found by bisection. */
      const childrenIn = (parent: Element, box: DOMRect): Element[] => {
        const kids = parent.children;
        let lo = 0;
        let hi = kids.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (kids[mid]!.getBoundingClientRect().bottom <= box.top) lo = mid + 1;
          else hi = mid;
        }
        const out: Element[] = [];
        for (let i = lo; i < kids.length && kids[i]!.getBoundingClientRect().top < box.bottom; i++) out.push(kids[i]!);
        return out;
      };
      /** The code's highlights on screen: in the blocks on screen (inside the app's chunks of blocks, those on screen). */
      const onScreen = (): HTMLElement[] => {
        const box = reader.getBoundingClientRect();
        const out: HTMLElement[] = [];
        for (const top of childrenIn(article, box)) {
          for (const block of top.classList.contains('chunk') ? childrenIn(top, box) : [top]) {
            for (const h of block.querySelectorAll<HTMLElement>('.hl')) {
              if (!layerOf(h)) continue;
              const r = h.getBoundingClientRect();
              if (r.bottom > box.top && r.top < box.bottom && r.height > 0) out.push(h);
            }
          }
        }
        return out;
      };
      const colourOf = (h: Element, layer: number): string => getComputedStyle(h).getPropertyValue(`--l${layer}`).trim().toLowerCase();
      const shown = onScreen();
      let probe = shown.find((h) => layerOf(h) === 1);
      if (!probe) throw new Error(`no highlight of colour slot ${slot} on screen`);
      marks.shown = shown.length;
      const color = colourOf(probe, 1) === colours[0] ? colours[1] : colours[0];
      const frames: PerformanceEntry[] = [];
      const loaf = new PerformanceObserver((l) => frames.push(...l.getEntries()));
      try {
        loaf.observe({ type: 'long-animation-frame' });
      } catch {
        // Not every Chromium reports long animation frames; the figures do not depend on it.
      }
      const palette = document.querySelector('fieldset.palette')!;
      const pressed = new MutationObserver(() => {
        if (marks.click !== undefined) marks.inDom ??= performance.now();
      });
      pressed.observe(palette, { subtree: true, attributes: true, attributeFilter: ['aria-pressed'] });
      const finish = (): void => {
        pressed.disconnect();
        resize.disconnect();
        sentinel.remove();
        const after = onScreen();
        marks.shown = after.length;
        marks.recoloured = after.filter((h) => colourOf(h, layerOf(h)) === color).length;
        const req = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/api/codes.update')) as PerformanceResourceTiming | undefined;
        if (req) {
          marks.requestStart = req.startTime;
          marks.answered = req.responseEnd;
        }
        // The observer reports a frame after it ends.
        setTimeout(() => {
          loaf.disconnect();
          for (const f of [...frames, ...loaf.takeRecords()]) {
            if (f.startTime + f.duration < marks.click!) continue;
            const scripts = (f as PerformanceEntry & { scripts: { duration: number; invoker: string; sourceFunctionName: string }[] }).scripts;
            const top = [...scripts].sort((a, b) => b.duration - a.duration).slice(0, 2);
            marks.loaf.push(`+${Math.round(f.startTime - marks.click!)} ms, ${Math.round(f.duration)} ms long: ${top.map((s) => `${s.invoker}${s.sourceFunctionName ? ` (${s.sourceFunctionName})` : ''} ${Math.round(s.duration)} ms`).join(', ') || 'no script'}`);
          }
          resolveDone(marks);
        }, 50);
      };
      // Resized in every animation frame after the click, so that its observer runs in each.
      const sentinel = document.createElement('div');
      sentinel.setAttribute('aria-hidden', 'true');
      Object.assign(sentinel.style, { position: 'fixed', top: '0', left: '0', width: '1px', height: '1px', visibility: 'hidden', pointerEvents: 'none', contain: 'strict' });
      document.body.append(sentinel);
      let watching = false;
      const resize = new ResizeObserver(() => {
        if (!watching || marks.styled !== undefined) return;
        const start = performance.now();
        if (!probe!.isConnected) probe = onScreen().find((h) => layerOf(h) === 1) ?? probe;
        // The probe first: in the frames before the answer, one read.
        if (colourOf(probe!, 1) === color && onScreen().every((h) => colourOf(h, layerOf(h)) === color)) {
          marks.styled = performance.now();
          marks.check = marks.styled - start;
          const channel = new MessageChannel();
          channel.port1.onmessage = () => {
            marks.painted = performance.now();
            finish();
          };
          channel.port2.postMessage(null);
        }
      });
      resize.observe(sentinel);
      const frame = (): void => {
        if (marks.styled !== undefined) return;
        if (performance.now() - marks.click! > 10_000) {
          finish();
          return;
        }
        sentinel.style.width = sentinel.style.width === '1px' ? '2px' : '1px';
        requestAnimationFrame(frame);
      };
      const onClick = (e: MouseEvent): void => {
        if (!(e.target instanceof Element) || !e.target.closest('fieldset.palette button')) return;
        marks.click = e.timeStamp;
        watching = true;
        window.removeEventListener('click', onClick, true);
        requestAnimationFrame(frame);
      };
      window.addEventListener('click', onClick, true);
      return color;
    },
    { slot, colours },
  );
}
