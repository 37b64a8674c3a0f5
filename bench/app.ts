/**
 * Shared pieces of the benchmarks that drive the real app in browser mode: headless Chromium
 * with a fresh, temporary profile and the switches the e2e tests use.
 *
 * Every page gets a browser context of its own, which headless Chromium shows as a window of its
 * own. Two tabs of one context would not do: only the front tab draws frames at the display's
 * rate, a background tab gets about one frame a second (and so handles input just as slowly).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/support/chromium';

export const APP_VIEWPORT = { width: 1280, height: 900 };

/** The built UI that `startWebServer` serves (as `gloss web` and the e2e harness do). */
export function staticDirOf(root: string): string {
  const dir = path.join(root, 'dist', 'renderer');
  if (!existsSync(path.join(dir, 'index.html'))) throw new Error(`${dir}/index.html is missing: build first (\`npm run bench\` does).`);
  return dir;
}

export interface BenchBrowser {
  browser: Browser;
  /** A new window: a page in a browser context of its own (no cookies, storage or cache shared). */
  newWindow(): Promise<Page>;
  close(): Promise<void>;
}

/** Headless Chromium; Playwright gives it a fresh temporary profile, removed when it closes. */
export async function launchChromium(): Promise<BenchBrowser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium is not installed at ${CHROMIUM_PATH} (apt-get install chromium); the bench never downloads a browser.`);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS] });
  return {
    browser,
    async newWindow() {
      const context = await browser.newContext({ viewport: APP_VIEWPORT });
      const page = await context.newPage();
      page.on('close', () => void context.close().catch(() => undefined));
      return page;
    },
    close: () => browser.close(),
  };
}

/** The page's mean interval between frames over `frames` frames, in ms (about 16.7 at 60 Hz). */
export function frameInterval(page: Page, frames = 10): Promise<number> {
  return page.evaluate(
    (n) =>
      new Promise<number>((resolve) => {
        let i = 0;
        let t0 = 0;
        const step = (t: number): void => {
          if (i === 0) t0 = t;
          if (i++ === n) resolve((t - t0) / n);
          else requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      }),
    frames,
  );
}

/** The article's textblocks in the app's page (the byline is not one), in text order. */
export const APP_TEXTBLOCKS = '[aria-label="Article text"] :is(p:not(.doc-byline), h2, h3, h4, h5, h6)';

/**
 * Viewport boxes of the first and last characters of `[start, end)` in the `block`-th element
 * matching `selector` (a textblock; scroll it into view first).
 */
export function charBoxes(page: Page, selector: string, t: { block: number; start: number; end: number }): Promise<{ left: number; right: number; top: number; height: number }[]> {
  return page.evaluate(
    ([selector, target]) => {
      const block = document.querySelectorAll(selector)[target.block]!;
      const box = (offset: number) => {
        const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
        let at = 0;
        for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
          if (offset < at + n.length) {
            const r = document.createRange();
            r.setStart(n, offset - at);
            r.setEnd(n, offset - at + 1);
            const { left, right, top, height } = r.getBoundingClientRect();
            return { left, right, top, height };
          }
          at += n.length;
        }
        throw new Error(`offset ${offset} is past the end of textblock ${target.block}`);
      };
      return [box(target.start), box(target.end - 1)];
    },
    [selector, t] as const,
  );
}
