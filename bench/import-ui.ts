/**
 * Importing many files in the window (issue goal: 20 files imported at once stay cancellable and
 * the UI keeps painting). The real app in browser mode (a fresh default project, `openCore` +
 * `startWebServer`, headless Chromium at 1280×900 with the article and every panel on screen),
 * its Import documents… dialog given 20 synthetic text files of 250 KB (5 MB in all) through the
 * file chooser, as a user picks them:
 *
 *   painting  while the 20 files are read, sent, imported in main's worker and committed, every
 *             animation frame's time is recorded in the page: the longest gap between two frames
 *             is how long the window was frozen. Baseline: the longest gap over as long a stretch
 *             of the same window doing nothing (what the machine itself costs).
 *   cancel    another 20 files (other texts: no duplicates); once 2 are done, Cancel is clicked:
 *             click → the dialog stops (its Close button shown, the files left marked "Not
 *             imported"). Baseline: a click on the dialog's Close button after an import, to the
 *             dialog gone (a click and a redraw).
 * Also printed: how long the 20 files took, click of the chooser to the report.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { GlossCore } from '../main/core/core';
import { openCore } from '../main/core/open';
import { startWebServer, type WebServer } from '../main/web/server';
import { launchChromium, staticDirOf, type BenchBrowser } from './app';
import { article, seeded } from './data';
import { detail, median, ms, section, type GoalRow } from './report';
import { benchProfileFile } from './store';

const FILES = 20;

/**
 * 20 text files on disk, as a user chooses them. Paths, not buffers: Playwright builds files
 * given as buffers inside the page, with script that blocks its main thread for half a second —
 * the harness's cost, not the app's; paths go to the chooser as a user's choice does.
 */
async function files(dir: string, seed: number): Promise<string[]> {
  const rng = seeded(seed);
  await mkdir(dir, { recursive: true });
  const out: string[] = [];
  for (let i = 0; i < FILES; i++) {
    const file = path.join(dir, `interview-${seed}-${i + 1}.txt`);
    await writeFile(file, article(rng, 250_000).text);
    out.push(file);
  }
  return out;
}

/** Starts recording frame times in the page; `stop` gives the longest gap between frames, in ms. */
async function recordFrames(page: Page): Promise<{ stop(): Promise<{ longest: number; frames: number }> }> {
  await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __recording: boolean };
    w.__frames = [];
    w.__recording = true;
    const step = (t: number): void => {
      w.__frames.push(t);
      if (w.__recording) requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
  return {
    stop: () =>
      page.evaluate(() => {
        const w = window as unknown as { __frames: number[]; __recording: boolean };
        w.__recording = false;
        let longest = 0;
        for (let i = 1; i < w.__frames.length; i++) longest = Math.max(longest, w.__frames[i]! - w.__frames[i - 1]!);
        return { longest, frames: w.__frames.length };
      }),
  };
}

export async function importUiBench(opts: { root: string; quick: boolean; scratch: string }): Promise<GoalRow[]> {
  section('Importing 20 files in the window (browser mode: the real app with every panel)');
  const rounds = opts.quick ? 1 : 3;
  const scratch = await mkdtemp(path.join(opts.scratch, 'import-ui-'));
  let core: GlossCore | null = null;
  let server: WebServer | null = null;
  let bench: BenchBrowser | null = null;
  try {
    const dir = path.join(scratch, 'project');
    core = await openCore({ projectDir: dir, corpusDir: path.join(opts.root, 'corpus'), profileFile: benchProfileFile(dir), coderName: 'Bench Coder', createIfMissing: true, readOnly: false });
    server = await startWebServer({ core, staticDir: staticDirOf(opts.root) });
    bench = await launchChromium();
    const page = await bench.newWindow();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    await page.locator('[aria-label="Article text"]').first().waitFor({ timeout: 60_000 });
    await page.waitForTimeout(500);

    const longest: number[] = [];
    const idle: number[] = [];
    const whole: number[] = [];
    const cancels: number[] = [];
    const closes: number[] = [];
    for (let r = 0; r < rounds; r++) {
      // Painting while 20 files are imported.
      await page.getByRole('button', { name: 'Import documents…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Import documents' });
      const chosen = await files(path.join(scratch, `files-${r}a`), 100 + r * 2);
      const frames = await recordFrames(page);
      const t0 = Date.now();
      await dialog.getByLabel('Choose files').setInputFiles(chosen);
      await dialog.getByRole('button', { name: 'Close' }).waitFor({ timeout: 120_000 });
      const took = Date.now() - t0;
      const { longest: gap } = await frames.stop();
      const report = await dialog.getByRole('status').innerText();
      if (!report.includes(`Imported ${FILES} documents`)) throw new Error(`the import did not import every file: “${report}”`);
      whole.push(took);
      longest.push(gap);
      // The same window doing nothing, as long.
      const still = await recordFrames(page);
      await page.waitForTimeout(Math.min(took, 10_000));
      idle.push((await still.stop()).longest);
      const c0 = await page.evaluate(() => performance.now());
      await dialog.getByRole('button', { name: 'Close' }).click();
      await dialog.waitFor({ state: 'detached' });
      closes.push((await page.evaluate(() => performance.now())) - c0);

      // Cancel once 2 files are done.
      await page.getByRole('button', { name: 'Import documents…' }).click();
      await dialog.getByLabel('Choose files').setInputFiles(await files(path.join(scratch, `files-${r}b`), 101 + r * 2));
      const progress = dialog.getByRole('progressbar', { name: 'Files read' });
      await page.waitForFunction(() => Number(document.querySelector('progress.import-progress')?.getAttribute('value') ?? 0) >= 2, undefined, { timeout: 60_000 });
      const k0 = await page.evaluate(() => performance.now());
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.getByRole('button', { name: 'Close' }).waitFor({ timeout: 60_000 });
      cancels.push((await page.evaluate(() => performance.now())) - k0);
      const left = await dialog.getByText('Not imported (cancelled)').count();
      if (left === 0) throw new Error('Cancel left no file unimported: it came too late to measure');
      void progress;
      await dialog.getByRole('button', { name: 'Close' }).click();
      await dialog.waitFor({ state: 'detached' });
    }
    if (errors.length) throw new Error(`the page failed: ${errors.join('; ')}`);
    detail(`20 files of 250 KB (5 MB), chooser → report: median ${ms(median(whole))}`);
    detail(`longest frame gap while importing: median ${ms(median(longest))} (per round ${longest.map(ms).join(', ')}); idle window, as long: ${ms(median(idle))}`);
    detail(`Cancel click → import stopped: median ${ms(median(cancels))}; Close click → dialog gone: ${ms(median(closes))}`);
    const gap = median(longest);
    const cancel = median(cancels);
    return [
      { goal: 'Import 20 files: the window keeps painting (longest frame gap)', target: '≤ 100 ms', measured: ms(gap), baseline: `${ms(median(idle))} (idle)`, ratio: gap / Math.max(1, median(idle)), pass: gap <= 100 },
      { goal: 'Import 20 files: Cancel → stopped', target: '≤ 500 ms', measured: ms(cancel), baseline: `${ms(median(closes))} (Close → gone)`, ratio: cancel / Math.max(1, median(closes)), pass: cancel <= 500 },
    ];
  } finally {
    await bench?.close();
    await server?.close();
    await core?.close();
    await rm(scratch, { recursive: true, force: true });
  }
}
