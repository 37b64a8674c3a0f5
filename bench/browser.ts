/**
 * Viewer benchmarks (goals 1 and 2) in Debian's Chromium, headless, driven by playwright-core.
 * A tiny server on 127.0.0.1 serves bench/page.html, the bundled page and the app's styles.css;
 * the page builds the synthetic article itself (same seed, same data as every run).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { OpenTiming, SetupInfo } from './page';
import { bytes, detail, median, ms, quantile, section, spread, type GoalRow } from './report';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/support/chromium';

const VIEWPORT = { width: 1200, height: 900 };

export interface BrowserBenchOptions {
  root: string;
  quick: boolean;
}

async function serve(root: string): Promise<{ url: string; close(): Promise<void> }> {
  const files: Record<string, [string, string]> = {
    '/': [path.join(root, 'bench', 'page.html'), 'text/html; charset=utf-8'],
    '/page.js': [path.join(root, 'dist', 'bench', 'page.js'), 'text/javascript; charset=utf-8'],
    '/styles.css': [path.join(root, 'renderer', 'styles.css'), 'text/css; charset=utf-8'],
  };
  const server = http.createServer((req, res) => {
    const file = files[new URL(req.url ?? '/', 'http://127.0.0.1').pathname];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    readFile(file[0]).then(
      (body) => res.writeHead(200, { 'content-type': file[1], 'cache-control': 'no-store' }).end(body),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export async function browserBench({ root, quick }: BrowserBenchOptions): Promise<GoalRow[]> {
  section('Viewer (Chromium)');
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium is not installed at ${CHROMIUM_PATH} (apt-get install chromium); the bench never downloads a browser.`);
  const sizes = quick ? { chars: 200_000, passages: 2_000, runs: 3, adds: 10 } : { chars: 1_000_000, passages: 10_000, runs: 5, adds: 30 };
  const server = await serve(root);
  const profile = await mkdtemp(path.join(os.tmpdir(), 'gloss-bench-profile-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      viewport: VIEWPORT,
      args: [
        ...CHROMIUM_ARGS,
        // No --disable-frame-rate-limit / --disable-gpu-vsync: headless Chromium keeps its 60 Hz
        // frame clock with them, and with --run-all-compositor-stages-before-draw added as well it
        // draws frames back to back even on an idle page, busying both cores of a small machine.
        // The page starts each timed action at the start of a frame instead (see page.ts).
        '--js-flags=--expose-gc',
      ],
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      const setup = { chars: sizes.chars, passages: sizes.passages, seed: 1 };
      // A fresh page, so that what one measurement leaves behind (a dozen destroyed 1 MB
      // documents for the garbage collector) does not slow the next.
      const freshPage = async (): Promise<SetupInfo> => {
        await page.goto(server.url);
        await page.waitForFunction(() => 'glossBench' in window);
        return page.evaluate((o) => window.glossBench.setup(o), setup);
      };
      const info = await freshPage();
      detail(
        `article: ${info.textLength.toLocaleString('en')} UTF-16 units (${bytes(info.utf8Bytes)} UTF-8), ${info.textblocks.toLocaleString('en')} textblocks; ` +
          `${info.passages.toLocaleString('en')} passages (${info.multiBlock.toLocaleString('en')} spanning blocks); viewport ${VIEWPORT.width}×${VIEWPORT.height}`,
      );

      // One untimed pair to warm up the JIT and the font caches, then alternate.
      await page.evaluate(() => window.glossBench.openGloss());
      await page.evaluate(() => window.glossBench.openBaseline());
      const gloss: OpenTiming[] = [];
      const base: OpenTiming[] = [];
      for (let i = 0; i < sizes.runs; i++) {
        gloss.push(await page.evaluate(() => window.glossBench.openGloss()));
        base.push(await page.evaluate(() => window.glossBench.openBaseline()));
      }
      const gTotal = gloss.map((t) => t.total);
      const bTotal = base.map((t) => t.total);
      detail(`Gloss open → painted:     ${spread(gTotal)}; synchronous part median ${ms(median(gloss.map((t) => t.sync)))}; ${gloss[0]!.drawn} highlight elements in the DOM`);
      detail(`  (the ±${info.marginBlocks}-block margin is drawn when idle, done after a median ${ms(median(gloss.map((t) => t.settled ?? NaN)))})`);
      detail(`baseline open → painted:  ${spread(bTotal)}; synchronous part median ${ms(median(base.map((t) => t.sync)))}; ${base[0]!.drawn.toLocaleString('en')} ranges`);

      await freshPage();
      await page.evaluate(() => window.glossBench.openBaseline());
      const baseAdds = await page.evaluate((n) => window.glossBench.addToBaseline(n), sizes.adds);
      await freshPage();
      await page.evaluate(() => window.glossBench.openGloss());
      const glossAdds = await page.evaluate((n) => window.glossBench.addToGloss(n), sizes.adds);
      const glossAdd = glossAdds.map((t) => t.total);
      const baseAdd = baseAdds.map((t) => t.total);
      detail(`Gloss add one → painted:    ${spread(glossAdd)}; synchronous part median ${ms(median(glossAdds.map((t) => t.sync)))}`);
      detail(`baseline add one → painted: ${spread(baseAdd)}; synchronous part median ${ms(median(baseAdds.map((t) => t.sync)))}`);
      await page.evaluate(() => window.glossBench.clear());
      if (errors.length) throw new Error(`the bench page failed: ${errors.join('; ')}`);

      const openRatio = median(gTotal) / median(bTotal);
      return [
        {
          // The viewer alone, after its data are in the page: a diagnostic. Where the user waits
          // (the whole app, from the click) is suite `long` (L1, L3).
          goal: `1. Viewer alone: open ${bytes(info.utf8Bytes)} article, ${info.passages.toLocaleString('en')} passages → painted`,
          info: true,
          target: '≤ 1.5× baseline',
          measured: ms(median(gTotal)),
          baseline: `${ms(median(bTotal))} (DOM + Highlight API)`,
          ratio: openRatio,
          pass: openRatio <= 1.5,
        },
        {
          goal: '2. Viewer alone: add one passage → painted',
          info: true,
          target: '≤ 16 ms median',
          measured: `${ms(median(glossAdd))} (p95 ${ms(quantile(glossAdd, 0.95))})`,
          baseline: `${ms(median(baseAdd))} (Highlight API)`,
          ratio: median(glossAdd) / median(baseAdd),
          pass: median(glossAdd) <= 16,
        },
      ];
    } finally {
      await context.close();
    }
  } finally {
    await server.close();
    await rm(profile, { recursive: true, force: true });
  }
}
