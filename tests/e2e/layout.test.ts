import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { buildProject } from '../../bench/project';
import { audit } from './axe';
import { codePhrase, launchBrowser, skipBrowserTests, startApp, testClient, useAppAndBrowser, type App, type Ui } from './harness';

// The window at any size: the article keeps its measure, panels collapse into toggles and
// drawers, nothing is cut off or scrolls sideways; pop-ups stay in the window and off the
// selection; and what the user left (document, place, panels) is back after a reload.

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

const heading = (page: Page) => page.getByRole('textbox', { name: 'Article text' }).getByRole('heading', { level: 1 });

/** Clears what the page remembered when the address says `#fresh` (before the app's scripts run). */
async function clearMemoryOnFresh(ui: Ui): Promise<void> {
  await ui.context.addInitScript(() => {
    if (location.hash !== '#fresh') return;
    localStorage.clear();
    history.replaceState(null, '', location.pathname + location.search);
  });
}

/** The app at a window size, with nothing remembered from earlier tests. */
async function fresh(page: Page, url: string, width: number, height: number): Promise<void> {
  await page.setViewportSize({ width, height });
  await page.goto('about:blank');
  await page.goto(`${url}#fresh`);
  await heading(page).waitFor();
}

/** What the reflow criteria look at, measured in the page. */
function layoutFacts(page: Page) {
  return page.evaluate(() => {
    const root = document.scrollingElement!;
    const article = document.querySelector('[aria-label="Article text"]')!;
    const p = [...article.querySelectorAll('p')].find((el) => (el.textContent ?? '').length > 300)!;
    // The width of “0” in the paragraph's font (what CSS calls 1ch).
    const probe = document.createElement('span');
    probe.textContent = '0'.repeat(20);
    probe.style.font = getComputedStyle(p).font;
    probe.style.position = 'fixed';
    probe.style.whiteSpace = 'pre';
    probe.style.visibility = 'hidden';
    document.body.append(probe);
    const ch = probe.getBoundingClientRect().width / 20;
    probe.remove();
    // Characters on the paragraph's first line.
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    let firstTop: number | null = null;
    let firstLine = 0;
    outer: for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
      for (let i = 0; i < n.length; i++) {
        const r = document.createRange();
        r.setStart(n, i);
        r.setEnd(n, i + 1);
        const rect = r.getBoundingClientRect();
        if (rect.height === 0) continue;
        firstTop ??= rect.top;
        if (rect.top > firstTop + 4) break outer;
        firstLine += 1;
      }
    }
    // Every control of the toolbar and above the article: inside the window and not covered.
    const vw = root.clientWidth;
    const vh = root.clientHeight;
    const cut = [...document.querySelectorAll<HTMLElement>('.topbar button, .reader-head button')]
      .filter((el) => el.getClientRects().length > 0)
      .filter((el) => {
        const r = el.getBoundingClientRect();
        if (r.left < 0 || r.top < 0 || r.right > vw + 0.5 || r.bottom > vh + 0.5) return true;
        const hit = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
        return !hit || !(el === hit || el.contains(hit));
      })
      .map((el) => el.textContent ?? '');
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, measure: p.getBoundingClientRect().width / ch, firstLine, cut };
  });
}

/** Scrolls the article so that `phrase` (in one text node) is at the top, middle or bottom of its view, then drags across it. */
async function selectAt(page: Page, phrase: string, y: 'top' | 'middle' | 'bottom'): Promise<void> {
  const [a, b] = await page.evaluate(
    ([needle, where]) => {
      const reader = document.querySelector('main.reader')!;
      const root = document.querySelector('[aria-label="Article text"]')!;
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
        const i = n.data.indexOf(needle);
        if (i < 0) continue;
        const boxOf = (at: number) => {
          const r = document.createRange();
          r.setStart(n, at);
          r.setEnd(n, at + 1);
          return r.getBoundingClientRect();
        };
        const view = reader.getBoundingClientRect();
        const want = where === 'top' ? view.top + 8 : where === 'bottom' ? view.bottom - 44 : (view.top + view.bottom) / 2;
        reader.scrollTop += boxOf(i).top - want;
        const first = boxOf(i);
        const last = boxOf(i + needle.length - 1);
        return [
          { x: first.left + 1, y: first.top + first.height / 2 },
          { x: last.right - 1, y: last.top + last.height / 2 },
        ];
      }
      throw new Error(`not in one text node: ${needle}`);
    },
    [phrase, y] as const,
  );
  // The article decorates the blocks a scroll brought into view when the browser is idle; a drag
  // begun before that, on a loaded machine, can have its text redrawn under it and select nothing
  // (seen in CI: the presses below, the selection empty at mouseup). A reader's hand is slower.
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => requestIdleCallback(() => resolve(), { timeout: 1000 })))));
  await page.mouse.move(a!.x, a!.y);
  await page.mouse.down();
  await page.mouse.move(b!.x, b!.y, { steps: 6 });
  await page.mouse.up();
}

/** The pop-up's box and the boxes it must stay clear of (the selection being coded), with the window's size. */
function popupFacts(page: Page, popup: string, clearOf: string) {
  return page.evaluate(
    ([sel, avoid]) => {
      const el = document.querySelector(sel)!;
      const r = el.getBoundingClientRect();
      const boxes = [...document.querySelectorAll(avoid)].flatMap((e) => [...e.getClientRects()]).map((b) => ({ left: b.left, top: b.top, right: b.right, bottom: b.bottom }));
      return { box: { left: r.left, top: r.top, right: r.right, bottom: r.bottom }, boxes, vw: document.documentElement.clientWidth, vh: document.documentElement.clientHeight };
    },
    [popup, clearOf] as const,
  );
}

const overlap = (a: Box, b: Box): boolean => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;

function expectInViewAndClear(facts: Awaited<ReturnType<typeof popupFacts>>, what: string): void {
  const { box, boxes, vw, vh } = facts;
  expect(boxes.length, `${what}: boxes to keep clear of`).toBeGreaterThan(0);
  expect(box.left, what).toBeGreaterThanOrEqual(0);
  expect(box.top, what).toBeGreaterThanOrEqual(0);
  expect(box.right, what).toBeLessThanOrEqual(vw);
  expect(box.bottom, what).toBeLessThanOrEqual(vh);
  for (const b of boxes) expect(overlap(box, b), `${what}: over the selection at ${JSON.stringify(b)}`).toBe(false);
}

const PHRASE = 'Many years have passed since I escaped from North Korea';
const picker = (page: Page) => page.getByRole('dialog', { name: 'Code the selection' });
/** The picker open, and the selection it codes marked in the article (drawn a moment after it opens). */
async function pickerShown(page: Page): Promise<void> {
  await picker(page).waitFor();
  await page.locator('.sel-pending').first().waitFor();
}
/**
 * Escape closes the picker; the selection's mark goes a moment later (redrawing its text, which
 * would drop a selection begun meanwhile), and the selection is collapsed (a drag starting on
 * selected text would move that text, not select).
 */
async function closePicker(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await picker(page).waitFor({ state: 'detached' });
  await page.locator('.sel-pending').first().waitFor({ state: 'detached' });
  await page.keyboard.press('ArrowRight');
}
const toggle = (page: Page, name: 'Documents' | 'Codes' | 'Passages') => page.getByRole('group', { name: 'Panels' }).getByRole('button', { name, exact: true });

describe.skipIf(skipBrowserTests)('the window at any size', () => {
  const env = useAppAndBrowser();
  beforeAll(() => clearMemoryOnFresh(env.ui));

  it.each([
    [1440, 900, true],
    [1024, 700, true],
    [800, 600, true],
    [320, 640, false],
  ] as const)('reflows at %i×%i: no sideways scroll, nothing cut off, the article’s measure kept where the window allows', async (width, height, roomy) => {
    const { page } = env.ui;
    await fresh(page, env.app.url, width, height);
    const facts = await layoutFacts(page);
    expect(facts.scrollWidth).toBeLessThanOrEqual(facts.clientWidth);
    expect(facts.cut).toEqual([]);
    if (roomy) {
      expect(facts.measure).toBeGreaterThanOrEqual(45);
      expect(facts.measure).toBeLessThanOrEqual(85);
      expect(facts.firstLine).toBeGreaterThanOrEqual(45);
    }
    // Every panel toggle is there and says whether its panel shows.
    for (const name of ['Documents', 'Codes', 'Passages'] as const) expect(await toggle(page, name).getAttribute('aria-expanded')).toMatch(/^(true|false)$/);
    expect(env.ui.consoleErrors).toEqual([]);
  });

  it('shows and hides the panels with their toggles and keys, and resizes them from the keyboard', async () => {
    const { page } = env.ui;
    await fresh(page, env.app.url, 1440, 900);
    for (const name of ['Documents', 'Codes', 'Passages'] as const) expect(await toggle(page, name).getAttribute('aria-expanded')).toBe('true');
    const passages = page.locator('#panel-passages');
    const readerWidth = () => page.locator('main.reader').evaluate((el) => el.getBoundingClientRect().width);
    const before = await readerWidth();

    // The toggle from the keyboard: the panel goes, the focus stays on the toggle, the article widens.
    await toggle(page, 'Passages').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => toggle(page, 'Passages').getAttribute('aria-expanded')).toBe('false');
    expect(await passages.isVisible()).toBe(false);
    expect(await toggle(page, 'Passages').evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await readerWidth()).toBeGreaterThan(before + 300);

    // Its key brings it back with the focus in it; again, it goes and the focus comes back.
    await page.keyboard.press('Control+Shift+P');
    await expect.poll(() => passages.isVisible()).toBe(true);
    await expect.poll(() => passages.evaluate((el) => el.contains(document.activeElement))).toBe(true);
    await page.keyboard.press('Control+Shift+P');
    await expect.poll(() => passages.isVisible()).toBe(false);
    expect(await toggle(page, 'Passages').evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Control+Shift+P');
    await expect.poll(() => toggle(page, 'Passages').getAttribute('aria-expanded')).toBe('true');

    // The documents and codes: hidden by their keys, the documents' focus on the open document when shown.
    await page.keyboard.press('Control+Shift+K');
    await expect.poll(() => page.locator('#panel-codes').isVisible()).toBe(false);
    await page.keyboard.press('Control+Shift+D');
    await expect.poll(() => toggle(page, 'Documents').getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator('#side-left').isVisible()).toBe(false);
    await page.keyboard.press('Control+Shift+D');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-current'))).toBe('page');
    await page.keyboard.press('Control+Shift+K');
    await expect.poll(() => page.locator('#panel-codes').isVisible()).toBe(true);

    // The separator beside the passages: arrows widen (to the left) and narrow it, Home and End go to its limits.
    const separator = page.getByRole('separator', { name: 'Resize the passages' });
    const width = () => passages.evaluate((el) => Math.round(el.getBoundingClientRect().width));
    expect(await separator.getAttribute('aria-valuenow')).toBe('360');
    expect(await width()).toBe(360);
    await separator.focus();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(width).toBe(376);
    expect(await separator.getAttribute('aria-valuenow')).toBe('376');
    await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(width).toBe(312);
    await page.keyboard.press('End');
    const max = Number(await separator.getAttribute('aria-valuemax'));
    await expect.poll(width).toBe(max);
    expect((await layoutFacts(page)).measure).toBeGreaterThanOrEqual(45);
    await page.keyboard.press('Home');
    await expect.poll(width).toBe(Number(await separator.getAttribute('aria-valuemin')));

    // The one beside the documents, dragged with the pointer.
    const left = page.getByRole('separator', { name: 'Resize the documents and codes' });
    const leftWidth = () => page.locator('#side-left').evaluate((el) => Math.round(el.getBoundingClientRect().width));
    const from = await leftWidth();
    const grip = (await left.boundingBox())!;
    await page.mouse.move(grip.x + grip.width / 2, grip.y + 200);
    await page.mouse.down();
    await page.mouse.move(grip.x + grip.width / 2 + 60, grip.y + 200, { steps: 5 });
    await page.mouse.up();
    await expect.poll(leftWidth).toBe(from + 60);
    expect(await left.getAttribute('aria-valuenow')).toBe(String(from + 60));
    expect(env.ui.consoleErrors).toEqual([]);
  });

  it('opens panels as drawers where the article has no room beside them, closed by Escape or a click on the article', async () => {
    const { page } = env.ui;
    await fresh(page, env.app.url, 800, 600);
    for (const name of ['Documents', 'Codes', 'Passages'] as const) expect(await toggle(page, name).getAttribute('aria-expanded')).toBe('false');
    await toggle(page, 'Documents').click();
    const drawer = page.locator('#side-left');
    await expect.poll(() => drawer.evaluate((el) => el.classList.contains('drawer') && el.getClientRects().length > 0)).toBe(true);
    // Over the article, with the focus on the open document.
    const over = await page.evaluate(() => {
      const d = document.querySelector('#side-left')!.getBoundingClientRect();
      const r = document.querySelector('main.reader')!.getBoundingClientRect();
      return d.left < r.right && r.left < d.right && d.top < r.bottom;
    });
    expect(over).toBe(true);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-current'))).toBe('page');
    expect(await toggle(page, 'Documents').getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('Escape');
    await expect.poll(() => drawer.isVisible()).toBe(false);
    expect(await toggle(page, 'Documents').evaluate((el) => el === document.activeElement)).toBe(true);

    // Choosing a document closes the drawer; so does a click on the article.
    await page.keyboard.press('Control+Shift+D');
    await page.locator('#panel-documents').getByRole('button', { name: /^North Korea Said to Threaten/ }).click();
    await expect.poll(() => drawer.isVisible()).toBe(false);
    await expect.poll(() => heading(page).textContent()).toMatch(/^North Korea Said to Threaten/);
    await toggle(page, 'Passages').click();
    await expect.poll(() => page.locator('#panel-passages').isVisible()).toBe(true);
    const text = (await page.locator('main.reader').boundingBox())!;
    await page.mouse.click(text.x + 40, text.y + text.height / 2);
    await expect.poll(() => page.locator('#panel-passages').isVisible()).toBe(false);
    expect((await layoutFacts(page)).scrollWidth).toBeLessThanOrEqual(800);

    // A drawer open when the window grows stays shown, beside the article now.
    await toggle(page, 'Codes').click();
    await expect.poll(() => drawer.evaluate((el) => el.classList.contains('drawer'))).toBe(true);
    await page.setViewportSize({ width: 1440, height: 900 });
    await expect.poll(() => drawer.evaluate((el) => el.classList.contains('docked'))).toBe(true);
    expect(await page.locator('#panel-codes').isVisible()).toBe(true);
    expect(await toggle(page, 'Codes').getAttribute('aria-expanded')).toBe('true');
    expect((await layoutFacts(page)).measure).toBeGreaterThanOrEqual(45);
  });

  it('keeps everything reachable at 320 px, with a drawer that passes axe (WCAG 2.2 A/AA)', async () => {
    const { page } = env.ui;
    await fresh(page, env.app.url, 320, 640);
    expect.soft(await audit(page), 'narrow main screen').toEqual([]);
    await page.keyboard.press('Control+Shift+K');
    const codes = page.locator('#panel-codes');
    await expect.poll(() => codes.isVisible()).toBe(true);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Search codes');
    const fits = await page.evaluate(() => {
      const root = document.scrollingElement!;
      const d = document.querySelector('#side-left')!.getBoundingClientRect();
      return root.scrollWidth <= root.clientWidth && d.left >= 0 && d.right <= root.clientWidth;
    });
    expect(fits).toBe(true);
    expect.soft(await audit(page), 'codes drawer at 320 px').toEqual([]);
    await page.keyboard.press('Escape');
    await expect.poll(() => codes.isVisible()).toBe(false);
    await toggle(page, 'Passages').click();
    await expect.poll(() => page.locator('#panel-passages').isVisible()).toBe(true);
    expect.soft(await audit(page), 'passages drawer at 320 px').toEqual([]);
  });

  it('keeps the code picker in the window and off the selection at every edge, following it as the article scrolls', async () => {
    const { page } = env.ui;
    // A picker that did not open on a loaded machine (seen twice, not reproduced since): the presses the page saw say why.
    onTestFailed(async () => console.log('on failure:', env.ui.consoleErrors, 'presses:', JSON.stringify(await page.evaluate(() => (window as unknown as { __presses?: unknown }).__presses).catch(() => null))));
    await fresh(page, env.app.url, 1024, 700);
    await page.evaluate(() => {
      const log: unknown[] = [];
      (window as unknown as { __presses: unknown[] }).__presses = log;
      for (const type of ['mousedown', 'mouseup']) document.addEventListener(type, (e) => log.push([type, (e as MouseEvent).detail, Math.round((e as MouseEvent).clientX), Math.round((e as MouseEvent).clientY), Math.round(performance.now()), document.getSelection()?.toString().length]), true);
    });
    for (const where of ['top', 'bottom'] as const) {
      await selectAt(page, PHRASE, where);
      await pickerShown(page);
      expectInViewAndClear(await popupFacts(page, '.picker', '.sel-pending'), `picker, selection at the ${where}`);
      await closePicker(page);
    }

    // Attached while the article scrolls: it moves with the selection, and waits at the article's edge once it is out of view.
    await selectAt(page, PHRASE, 'top');
    await pickerShown(page);
    const at = await popupFacts(page, '.picker', '.sel-pending');
    await page.locator('main.reader').evaluate((el) => (el.scrollTop -= 60));
    await expect.poll(async () => Math.round((await popupFacts(page, '.picker', '.sel-pending')).box.top - at.box.top)).toBe(60);
    expectInViewAndClear(await popupFacts(page, '.picker', '.sel-pending'), 'picker, scrolled');
    await page.locator('main.reader').evaluate((el) => (el.scrollTop += 2000));
    await page.waitForTimeout(100);
    const away = await popupFacts(page, '.picker', '.sel-pending');
    const reader = (await page.locator('main.reader').boundingBox())!;
    expect(away.box.top).toBeGreaterThanOrEqual(reader.y);
    expect(away.box.bottom).toBeLessThanOrEqual(away.vh);
    await closePicker(page);

    // At the window's left and right edges (at 320 px the text meets both): a paragraph's first word, and the last word of its first line.
    await fresh(page, env.app.url, 320, 640);
    for (const edge of ['left', 'right'] as const) {
      const drag = await page.evaluate((which) => {
        const reader = document.querySelector('main.reader')!;
        const root = document.querySelector('[aria-label="Article text"]')!;
        const p = [...root.querySelectorAll('p')].find((el) => (el.textContent ?? '').length > 300 && el.firstChild instanceof Text)!;
        const view = reader.getBoundingClientRect();
        reader.scrollTop += p.getBoundingClientRect().top - (view.top + view.bottom) / 2;
        const n = p.firstChild as Text;
        const boxOf = (i: number) => {
          const r = document.createRange();
          r.setStart(n, i);
          r.setEnd(n, i + 1);
          return r.getBoundingClientRect();
        };
        let start = 0;
        let end = n.data.indexOf(' ') - 1;
        if (which === 'right') {
          end = 0;
          while (end + 1 < n.length && boxOf(end + 1).top <= boxOf(0).top + 2) end++;
          while (n.data[end] === ' ') end--;
          start = n.data.lastIndexOf(' ', end) + 1;
        }
        const a = boxOf(start);
        const b = boxOf(end);
        return { word: n.data.slice(start, end + 1), from: { x: a.left + 1, y: a.top + a.height / 2 }, to: { x: b.right - 1, y: b.top + b.height / 2 } };
      }, edge);
      await page.mouse.move(drag.from.x, drag.from.y);
      await page.mouse.down();
      await page.mouse.move(drag.to.x, drag.to.y, { steps: 6 });
      await page.mouse.up();
      await pickerShown(page);
      expectInViewAndClear(await popupFacts(page, '.picker', '.sel-pending'), `picker, selection at the ${edge} edge (“${drag.word}”)`);
      await closePicker(page);
    }
    expect(env.ui.consoleErrors).toEqual([]);
  });

  it('keeps the overlap chooser in the window and off the clicked line near the top and the bottom', async () => {
    const { page } = env.ui;
    const documentId = 'dilemma-of-leaving-family';
    const { codes } = await env.app.core.handlers['codebook.get']({}, testClient);
    await codePhrase(env.app, documentId, 'Many years have passed since I escaped from North Korea.', [codes[0]!.id]);
    await codePhrase(env.app, documentId, 'since I escaped', [codes[1]!.id]);
    await fresh(page, env.app.url, 1024, 700);
    expect(await heading(page).textContent()).toMatch(/^The dilemma/);
    for (const where of ['top', 'bottom'] as const) {
      // Where both passages are: a click there asks which one is meant.
      // The clicked line: the boxes of the highlighted words under the click.
      const { point, line } = await page.evaluate((w) => {
        const reader = document.querySelector('main.reader')!;
        const hl = [...document.querySelectorAll('[aria-label="Article text"] .hl')].find((e) => e.textContent?.includes('since I'))!;
        const view = reader.getBoundingClientRect();
        reader.scrollTop += hl.getBoundingClientRect().top - (w === 'top' ? view.top + 8 : view.bottom - 44);
        const r = hl.getBoundingClientRect();
        return { point: { x: r.left + 4, y: r.top + r.height / 2 }, line: [...hl.getClientRects()].map((b) => ({ left: b.left, top: b.top, right: b.right, bottom: b.bottom })) };
      }, where);
      await page.mouse.click(point.x, point.y);
      const chooser = page.getByRole('dialog', { name: 'Choose a passage' });
      await chooser.waitFor();
      const facts = await popupFacts(page, '.chooser', '.none');
      expectInViewAndClear({ ...facts, boxes: line }, `chooser near the ${where}`);
      await page.keyboard.press('Escape');
      await chooser.waitFor({ state: 'detached' });
    }
    expect(env.ui.consoleErrors).toEqual([]);
  });
});

describe.skipIf(skipBrowserTests)('what the window remembers', () => {
  let app: App;
  let ui: Ui;
  let base: string;
  beforeAll(async () => {
    base = await mkdtemp(path.join(os.tmpdir(), 'gloss-e2e-layout-'));
    // Long documents: many chunks, laid out only as they come near the view.
    await buildProject(path.join(base, 'project'), { documents: 3, annotationsPerDocument: 20, chars: 250_000, seed: 5 });
    app = await startApp({ projectDir: path.join(base, 'project'), profileFile: path.join(base, 'profile.json') });
    ui = await launchBrowser();
    await clearMemoryOnFresh(ui);
  }, 120_000);
  afterAll(async () => {
    await ui?.close();
    await app?.close();
    await rm(base, { recursive: true, force: true });
  });

  /** The text at the top of the article's view and how far below the view's top its line starts. */
  const topOfView = (page: Page) =>
    page.evaluate(() => {
      const view = document.querySelector('main.reader')!.getBoundingClientRect();
      const article = document.querySelector('[aria-label="Article text"]')!.getBoundingClientRect();
      for (let y = view.top + 2; y < view.top + 80; y += 3) {
        const r = document.caretRangeFromPoint(article.left + 30, y);
        if (!r || !(r.startContainer instanceof Text) || r.startContainer.length - r.startOffset < 40) continue;
        const t = r.startContainer;
        const box = document.createRange();
        box.setStart(t, r.startOffset);
        box.setEnd(t, r.startOffset + 1);
        return { text: t.data.slice(r.startOffset, r.startOffset + 40), top: box.getBoundingClientRect().top - view.top };
      }
      throw new Error('no text at the top of the view');
    });
  /** Where `text` is now, relative to the top of the article's view. */
  const topOf = (page: Page, text: string) =>
    page.evaluate((needle) => {
      const view = document.querySelector('main.reader')!.getBoundingClientRect();
      const walker = document.createTreeWalker(document.querySelector('[aria-label="Article text"]')!, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
        const i = n.data.indexOf(needle);
        if (i < 0) continue;
        const r = document.createRange();
        r.setStart(n, i);
        r.setEnd(n, i + 1);
        return r.getBoundingClientRect().top - view.top;
      }
      return null;
    }, text);
  const lineHeight = (page: Page) => page.locator('[aria-label="Article text"] p').first().evaluate((el) => Number.parseFloat(getComputedStyle(el).lineHeight));

  it('reopens the document, the panels and the place in the text after a reload', async () => {
    const { page } = ui;
    await fresh(page, app.url, 1440, 900);
    expect(await heading(page).textContent()).toMatch(/^Document 0/);
    // Panels: the codes hidden, the passages wider.
    await toggle(page, 'Codes').click();
    await page.getByRole('separator', { name: 'Resize the passages' }).focus();
    await page.keyboard.press('Shift+ArrowLeft');
    // Another document, read far into it.
    await page.locator('#panel-documents').getByRole('button', { name: /^Document 2/ }).click();
    await expect.poll(() => heading(page).textContent()).toMatch(/^Document 2/);
    await page.locator('main.reader').evaluate((el) => el.scrollTo(0, el.scrollHeight * 0.6));
    await page.waitForTimeout(400);
    // Where the scrolling ended (chunks laid out on the way may have moved it).
    const left = await topOfView(page);
    await page.reload();
    await heading(page).waitFor();
    expect(await heading(page).textContent()).toMatch(/^Document 2/);
    expect(await toggle(page, 'Codes').getAttribute('aria-expanded')).toBe('false');
    expect(await toggle(page, 'Documents').getAttribute('aria-expanded')).toBe('true');
    expect(await page.locator('#panel-passages').evaluate((el) => Math.round(el.getBoundingClientRect().width))).toBe(424);
    const line = await lineHeight(page);
    await expect.poll(async () => Math.abs(((await topOf(page, left.text)) ?? 1e9) - left.top)).toBeLessThan(line);

    // Another document opens at its start, and going back to this one finds the place again.
    await page.locator('#panel-documents').getByRole('button', { name: /^Document 1/ }).click();
    await expect.poll(() => heading(page).textContent()).toMatch(/^Document 1/);
    expect(await page.locator('main.reader').evaluate((el) => el.scrollTop)).toBe(0);
    await page.locator('#panel-documents').getByRole('button', { name: /^Document 2/ }).click();
    await expect.poll(() => heading(page).textContent()).toMatch(/^Document 2/);
    await expect.poll(async () => Math.abs(((await topOf(page, left.text)) ?? 1e9) - left.top)).toBeLessThan(line);
    expect(ui.consoleErrors).toEqual([]);
  });

  it('opens the first document when the one last open is gone', async () => {
    const { page } = ui;
    await page.waitForTimeout(500);
    await app.core.handlers['documents.remove']({ documentIds: ['doc-0002'] }, testClient);
    await page.reload();
    await heading(page).waitFor();
    expect(await heading(page).textContent()).toMatch(/^Document 0/);
    expect(ui.consoleErrors).toEqual([]);
  });
});
