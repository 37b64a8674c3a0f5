/**
 * The change feed between windows (goal 7): two windows of headless Chromium (fresh profile) on one
 * browser-mode server (`openCore` + `startWebServer` over dist/renderer) and one fresh default
 * project (the five bundled corpus articles, made by `openCore` with createIfMissing), both
 * showing the same document. In window A a passage is coded as a user does it: a mouse drag over
 * some text, "interrog" typed into the code picker, then Enter. The clock starts at that Enter's
 * keydown (its event timestamp in window A) and stops in each window once the passage list holds
 * one more passage (its rows' aria-setsize) and main's new passage is highlighted in the article,
 * a requestAnimationFrame plus a posted message later (the frame showing them has been painted).
 *
 *   measured: Enter in A → painted in B (main commits with fsync, the SSE feed carries the event
 *             to B, B applies it and paints);
 *   baseline: Enter in A → painted in A (the same change's own round trip).
 *
 * Both ends are read on the browser's clock (performance.timeOrigin + performance.now(), one
 * machine, one browser), so no Node-side timing enters the figures.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { openCore } from '../main/core/open';
import { startWebServer } from '../main/web/server';
import { APP_TEXTBLOCKS, charBoxes, frameInterval, launchChromium, staticDirOf } from './app';
import { detail, median, ms, quantile, section, spread, type GoalRow } from './report';

/** A passage to code: characters [start, end) of the article's textblock number `block`. */
interface Target {
  block: number;
  start: number;
  end: number;
}

/** What the page-side watcher records: wall-clock milliseconds (timeOrigin + now). */
interface FeedMarks {
  enter?: number;
  painted?: number;
  id?: string;
}

declare global {
  interface Window {
    __benchFeed?: FeedMarks;
  }
}


/** Non-overlapping 30-character targets over the article's longer textblocks. */
function targets(page: Page, count: number): Promise<Target[]> {
  return page.evaluate(
    ([selector, wanted]) => {
      const out: { block: number; start: number; end: number }[] = [];
      const blocks = [...document.querySelectorAll(selector)];
      for (let b = 0; b < blocks.length && out.length < wanted; b++) {
        const length = blocks[b]!.textContent?.length ?? 0;
        for (let s = 8; s + 32 <= length && out.length < wanted; s += 70) out.push({ block: b, start: s, end: s + 30 });
      }
      return out;
    },
    [APP_TEXTBLOCKS, count] as const,
  );
}

/** Scrolls the target's textblock to the middle of the view. */
function scrollTo(page: Page, t: Target): Promise<void> {
  return page.evaluate(
    ([selector, b]) => {
      document.querySelectorAll(selector)[b]!.scrollIntoView({ block: 'center' });
    },
    [APP_TEXTBLOCKS, t.block] as const,
  );
}


/**
 * Starts watching for the next new passage: once its list item (`.passage-item` with an id not
 * listed now) and its highlight are both in the DOM, waits for the frame and records the time.
 * With `enter`, also records the timestamp of the next Enter keydown (the action).
 */
function watchNext(page: Page, enter: boolean): Promise<void> {
  return page.evaluate((withEnter) => {
    const marks: FeedMarks = {};
    window.__benchFeed = marks;
    const now = (): number => performance.timeOrigin + performance.now();
    if (withEnter) {
      const onKey = (e: KeyboardEvent): void => {
        if (e.key !== 'Enter') return;
        marks.enter = performance.timeOrigin + e.timeStamp;
        window.removeEventListener('keydown', onKey, true);
      };
      window.addEventListener('keydown', onKey, true);
    }
    // Passages already drawn, and how many the list says it holds (its rows are virtualised: the
    // new one's row may be out of view, but the list's size is on every row and in its heading).
    const article = document.querySelector('[aria-label="Article text"]')!;
    const drawn = (): string[] => [...article.querySelectorAll<HTMLElement>('.hl[data-passages]')].flatMap((e) => (e.dataset['passages'] ?? '').split(' '));
    const known = new Set(drawn());
    const listSize = (): number => Number(document.querySelector('.passages li[aria-setsize]')?.getAttribute('aria-setsize') ?? 0);
    const before = listSize();
    const check = (): void => {
      if (listSize() !== before + 1) return;
      // Window A shows the passage at once under a provisional id (renderer/state.ts) while
      // main saves it; what is timed, in both windows, is main's passage.
      const id = drawn().find((x) => x !== '' && !known.has(x) && !x.startsWith('pending:'));
      if (!id) return;
      observer.disconnect();
      marks.id = id;
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => {
          marks.painted = now();
        };
        channel.port2.postMessage(null);
      });
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-passages', 'aria-setsize'] });
  }, enter);
}

async function marksOf(page: Page): Promise<FeedMarks> {
  await page.waitForFunction(() => window.__benchFeed?.painted !== undefined, undefined, { timeout: 15_000 });
  return page.evaluate(() => window.__benchFeed!);
}

/** Waits for two frames and a pause, so the viewer's idle work after a scroll or a change is done. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 120)))));
}

export async function feedBench(opts: { root: string; quick: boolean }): Promise<GoalRow[]> {
  section('Change feed (two windows, browser mode)');
  const { root, quick } = opts;
  const changes = quick ? 8 : 20;
  const warmUp = 3;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-bench-feed-'));
  const core = await openCore({ projectDir: path.join(dir, 'project'), corpusDir: path.join(root, 'corpus'), profileFile: path.join(dir, 'profile.json'), coderName: 'Bench Coder', createIfMissing: true });
  const inA: number[] = [];
  const inB: number[] = [];
  let title = '';
  try {
    const server = await startWebServer({ core, staticDir: staticDirOf(root) });
    const browser = await launchChromium();
    try {
      const a = await browser.newWindow();
      const b = await browser.newWindow();
      const errors: string[] = [];
      for (const p of [a, b]) p.on('pageerror', (e) => errors.push(e.message));
      for (const p of [a, b]) {
        await p.goto(server.url);
        await p.locator('[aria-label="Article text"] .doc-title').waitFor();
        await p.locator('nav.documents button.doc-item[aria-current="page"]').waitFor();
      }
      title = (await a.locator('[aria-label="Article text"] .doc-title').textContent()) ?? '';
      if ((await b.locator('[aria-label="Article text"] .doc-title').textContent()) !== title) throw new Error('the two windows show different documents');
      // Both windows must draw at the display's rate, or the figures would measure throttling.
      const frames = await Promise.all([a, b].map((p) => frameInterval(p)));
      if (frames.some((f) => f > 40)) throw new Error(`a window draws a frame only every ${frames.map((f) => ms(f)).join(' / ')}: it is throttled`);

      const list = await targets(a, warmUp + changes);
      if (list.length < warmUp + changes) throw new Error(`the article has room for only ${list.length} test passages`);
      const picker = a.getByRole('dialog', { name: 'Code the selection' });
      for (let i = 0; i < list.length; i++) {
        const t = list[i]!;
        await scrollTo(b, t);
        await scrollTo(a, t);
        await settle(b);
        const [from, to] = await charBoxes(a, APP_TEXTBLOCKS, t);
        await a.mouse.move(from!.left + 1, from!.top + from!.height / 2);
        await a.mouse.down();
        await a.mouse.move(to!.right - 1, to!.top + to!.height / 2, { steps: 6 });
        await a.mouse.up();
        await picker.waitFor();
        await a.keyboard.type('interrog');
        await picker.getByRole('option').first().waitFor();
        await a.waitForFunction(() => document.querySelectorAll('[role="dialog"] [role="option"]').length === 1);
        await settle(a);
        await watchNext(a, true);
        await watchNext(b, false);
        await a.keyboard.press('Enter');
        const [ma, mb] = await Promise.all([marksOf(a), marksOf(b)]);
        if (ma.id !== mb.id) throw new Error(`the windows painted different passages (${ma.id}, ${mb.id})`);
        if (ma.enter === undefined) throw new Error('the Enter keydown was not seen');
        if (i >= warmUp) {
          inA.push(ma.painted! - ma.enter);
          inB.push(mb.painted! - ma.enter);
        }
        await settle(a);
      }
      if (errors.length) throw new Error(`the app failed in a window: ${errors.join('; ')}`);
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    await core.close();
    await rm(dir, { recursive: true, force: true });
  }
  detail(`document "${title}"; ${changes} passages coded in window A (mouse selection, picker, Enter), after ${warmUp} untimed`);
  detail(`Enter in A → painted in B: ${spread(inB)}`);
  detail(`Enter in A → painted in A (baseline): ${spread(inA)}`);
  detail(`B after A, per change: median ${ms(median(inB.map((x, i) => x - inA[i]!)))}`);
  return [
    {
      goal: '7. Change in one window → painted in a second window',
      target: '≤ 100 ms median',
      measured: `${ms(median(inB))} (p95 ${ms(quantile(inB, 0.95))})`,
      baseline: `${ms(median(inA))} (p95 ${ms(quantile(inA, 0.95))}; own window)`,
      ratio: median(inB) / median(inA),
      pass: median(inB) <= 100,
    },
  ];
}
