/**
 * Fast open (goal 5): the real app in browser mode opening the shared project of 100 documents
 * and 100,000 passages. Each run starts from nothing: `openCore` on the project folder (with a
 * coder profile, so no "Who is coding?" dialog), `startWebServer` over dist/renderer, then a new
 * window of headless Chromium (a fresh browser context: nothing cached) navigates to the server's address. Two moments are
 * timed in the page, from its navigation start, each after the DOM first holds it and then a
 * requestAnimationFrame plus a posted message (so the frame showing it has been painted):
 *
 *   (i)  the documents list: its rows in the DOM, saying the list holds every document (it is
 *        virtualised: only the rows on screen are drawn);
 *   (ii) the first document (which the app opens by itself): its article with its title and
 *        highlights drawn.
 *
 * The figure is openCore + server start + page navigation to painted. (Playwright's own
 * messaging between the two is left out; the wall-clock total, which includes it, is printed too.)
 * Baseline, in the same run, alternately: what opening cost before Core 2, reading, parsing and
 * validating every annotations file (`ProjectStore.open` + `readAnnotationsUncached` per document)
 * — without starting a server or painting anything.
 */
import type { Page } from 'playwright-core';
import { ProjectStore } from '../main/core/store';
import { startWebServer } from '../main/web/server';
import { launchChromium, staticDirOf } from './app';
import { detail, median, ms, quantile, section, spread, type GoalRow } from './report';
import { openProject, type StoreProject } from './store';

const gc = (globalThis as { gc?: () => void }).gc;

/** What the page's observer records, in ms since its navigation start. */
interface OpenMarks {
  listInDom?: number;
  list?: number;
  articleInDom?: number;
  article?: number;
  highlights?: number;
}

interface OpenRun {
  openCore: number;
  server: number;
  /** openCore + server + page to painted. */
  list: number;
  article: number;
  /** The page's part alone, from its navigation start. */
  pageList: number;
  pageArticle: number;
  /** From just before openCore to painted, on the wall clock (includes Playwright's messaging). */
  wallArticle: number;
  highlights: number;
  /** Page milestones from its navigation start: index.html and app.js received, the app's first API call sent, two API answers received. */
  responseEnd: number;
  script: number;
  firstCall: number;
  workspace: number;
  documentGet: number;
  annotationsList: number;
  /** The list's rows first in the DOM (before the frame that paints them). */
  listInDom: number;
  /** The viewer module (the second part of the bundle) received. */
  viewerScript: number;
}

/** Installed before the page's own scripts: watches the DOM for the two moments. */
async function watchOpen(page: Page, documents: number): Promise<void> {
  await page.addInitScript((expected: number) => {
    const marks: Record<string, number> = {};
    (window as unknown as { __benchOpen: Record<string, number> }).__benchOpen = marks;
    let list = false;
    let article = false;
    const painted = (key: string): void => {
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => {
          marks[key] = performance.now();
        };
        channel.port2.postMessage(null);
      });
    };
    const observer = new MutationObserver(() => {
      // The list is virtualised: its rows say how many documents it holds.
      const row = document.querySelector('nav.documents li[aria-posinset] button.doc-item')?.closest('li');
      if (!list && row?.getAttribute('aria-setsize') === String(expected)) {
        list = true;
        marks['listInDom'] = performance.now();
        painted('list');
      }
      if (!article) {
        const root = document.querySelector('[aria-label="Article text"]');
        if (root?.querySelector('.doc-title')?.textContent && root.querySelector('.hl')) {
          article = true;
          marks['articleInDom'] = performance.now();
          marks['highlights'] = root.querySelectorAll('.hl').length;
          painted('article');
        }
      }
      if (list && article) observer.disconnect();
    });
    observer.observe(document, { childList: true, subtree: true });
  }, documents);
}

export async function openBench(opts: { root: string; quick: boolean; project: StoreProject }): Promise<GoalRow[]> {
  const { project, quick, root } = opts;
  const count = project.all.length.toLocaleString('en');
  section(`Fast open (browser mode, ${project.documentIds.length} documents, ${count} passages)`);
  const staticDir = staticDirOf(root);
  const runs = quick ? 3 : 7;
  const browser = await launchChromium();
  const app: OpenRun[] = [];
  const old: number[] = [];
  try {
    const openOnce = async (): Promise<OpenRun> => {
      const page = await browser.newWindow();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      try {
        await watchOpen(page, project.documentIds.length);
        gc?.();
        const wall0 = performance.timeOrigin + performance.now();
        const t0 = performance.now();
        const core = await openProject(root, project.dir);
        const t1 = performance.now();
        let server: Awaited<ReturnType<typeof startWebServer>> | null = null;
        try {
          server = await startWebServer({ core, staticDir });
          const t2 = performance.now();
          await page.goto(server.url, { waitUntil: 'commit' });
          await page.waitForFunction(() => {
            const m = (window as unknown as { __benchOpen?: OpenMarks }).__benchOpen;
            return m?.list !== undefined && m.article !== undefined;
          }, undefined, { timeout: 60_000 });
          const seen = await page.evaluate(() => ({
            marks: (window as unknown as { __benchOpen: OpenMarks }).__benchOpen,
            origin: performance.timeOrigin,
            responseEnd: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.responseEnd ?? NaN,
            resources: performance.getEntriesByType('resource').map((e) => ({ name: new URL(e.name).pathname, start: e.startTime, end: (e as PerformanceResourceTiming).responseEnd })),
          }));
          const at = (name: string, key: 'start' | 'end'): number => seen.resources.find((r) => r.name === name)?.[key] ?? NaN;
          if ((await page.getByRole('dialog', { name: 'Who is coding?' }).count()) > 0) throw new Error('the page asks "Who is coding?": the bench profile was not made');
          if (errors.length) throw new Error(`the app failed in the page: ${errors.join('; ')}`);
          const before = t2 - t0;
          return {
            openCore: t1 - t0,
            server: t2 - t1,
            list: before + seen.marks.list!,
            article: before + seen.marks.article!,
            pageList: seen.marks.list!,
            pageArticle: seen.marks.article!,
            wallArticle: seen.origin + seen.marks.article! - wall0,
            highlights: seen.marks.highlights ?? 0,
            responseEnd: seen.responseEnd,
            script: at('/app.js', 'end'),
            firstCall: Math.min(...seen.resources.filter((r) => r.name.startsWith('/api/')).map((r) => r.start)),
            workspace: at('/api/workspace.get', 'end'),
            documentGet: at('/api/documents.get', 'end'),
            annotationsList: at('/api/annotations.list', 'end'),
            listInDom: seen.marks.listInDom!,
            viewerScript: seen.resources.find((r) => /^\/viewer-[^/]*\.js$/.test(r.name))?.end ?? NaN,
          };
        } finally {
          await server?.close();
          await core.close();
        }
      } finally {
        await page.close();
      }
    };
    const oldOpen = async (): Promise<number> => {
      gc?.();
      const t0 = performance.now();
      const store = await ProjectStore.open(project.dir, { readOnly: true });
      try {
        for (const d of store.project.documents) await store.readAnnotationsUncached(d.id);
      } finally {
        await store.close();
      }
      return performance.now() - t0;
    };
    // One untimed pair warms up the JIT, the file cache and the browser.
    await openOnce();
    await oldOpen();
    for (let i = 0; i < runs; i++) {
      app.push(await openOnce());
      old.push(await oldOpen());
    }
  } finally {
    await browser.close();
  }
  const pick = (f: (r: OpenRun) => number): number[] => app.map(f);
  detail(`openCore (project file, coder profile, lock):       ${spread(pick((r) => r.openCore))}`);
  detail(`startWebServer:                                      ${spread(pick((r) => r.server))}`);
  detail(
    `page, from navigation (medians): index.html received ${ms(median(pick((r) => r.responseEnd)))}, app.js (the app's first module) received ${ms(median(pick((r) => r.script)))}, ` +
      `first API call sent ${ms(median(pick((r) => r.firstCall)))}, workspace.get answered ${ms(median(pick((r) => r.workspace)))}, documents.get answered ${ms(median(pick((r) => r.documentGet)))}, annotations.list answered ${ms(median(pick((r) => r.annotationsList)))}, ` +
      `viewer module received ${ms(median(pick((r) => r.viewerScript)))}, documents list in the DOM ${ms(median(pick((r) => r.listInDom)))}`,
  );
  detail(`page, navigation → documents list painted:          ${spread(pick((r) => r.pageList))}`);
  detail(`page, navigation → first article + highlights painted: ${spread(pick((r) => r.pageArticle))}; ${median(pick((r) => r.highlights))} highlight elements then`);
  detail(`total, openCore → documents list painted:           ${spread(pick((r) => r.list))}`);
  detail(`total, openCore → first article painted:            ${spread(pick((r) => r.article))}`);
  detail(`  wall clock, openCore → article painted (adds Playwright's messaging): median ${ms(median(pick((r) => r.wallArticle)))}`);
  detail(`baseline, reading + validating all ${project.documentIds.length} annotations files (${count} passages): ${spread(old)}`);
  const list = median(pick((r) => r.list));
  const article = median(pick((r) => r.article));
  const base = median(old);
  const baseline = `${ms(base)} (read all annotations files)`;
  return [
    {
      goal: `5. Open ${project.documentIds.length} docs / ${count} passages → documents list painted`,
      target: '≤ 0.3 s median',
      measured: `${ms(list)} (p95 ${ms(quantile(pick((r) => r.list), 0.95))})`,
      baseline,
      ratio: list / base,
      pass: list <= 300,
    },
    {
      goal: `5. Same → first article + highlights painted`,
      target: '≤ 0.5 s median',
      measured: `${ms(article)} (p95 ${ms(quantile(pick((r) => r.article), 0.95))})`,
      baseline,
      ratio: article / base,
      pass: article <= 500,
    },
  ];
}

