import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { buildProject } from '../../bench/project';
import { plainText } from '../../shared/plain-text';
import { bylineText } from '../../shared/schema';
import { launchBrowser, skipBrowserTests, startApp, testClient, type App, type Ui } from './harness';

// A book-length document: 5 MB of text with 50,000 coded passages. The passage list keeps a
// constant number of rows in the page and stays usable from the keyboard and by screen readers.

const PASSAGES = 50_000;

describe.skipIf(skipBrowserTests)('a long document with 50,000 passages', () => {
  let app: App;
  let ui: Ui;
  let base: string;
  beforeAll(async () => {
    base = await mkdtemp(path.join(os.tmpdir(), 'gloss-e2e-long-'));
    await buildProject(path.join(base, 'project'), { documents: 1, annotationsPerDocument: PASSAGES, chars: 5_000_000, seed: 11 });
    app = await startApp({ projectDir: path.join(base, 'project'), profileFile: path.join(base, 'profile.json') });
    ui = await launchBrowser();
    await ui.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  }, 120_000);
  afterAll(async () => {
    await ui?.close();
    await app?.close();
    await rm(base, { recursive: true, force: true });
  });

  const list = () => ui.page.getByRole('list', { name: 'Coded passages in text order' });
  const rows = () => list().getByRole('listitem');

  it('opens, with only the rows on screen in the passage list, each saying its place', async () => {
    const { page } = ui;
    await page.goto(app.url);
    await page.getByRole('textbox', { name: 'Article text' }).getByRole('heading', { level: 1 }).waitFor({ timeout: 60_000 });
    await expect.poll(() => list().getAttribute('aria-busy'), { timeout: 60_000 }).toBeNull();
    await expect.poll(() => rows().count()).toBeGreaterThan(3);
    expect(await rows().count()).toBeLessThan(80);
    expect(await rows().first().getAttribute('aria-setsize')).toBe(String(PASSAGES));
    expect(await rows().first().getAttribute('aria-posinset')).toBe('1');
    expect(await page.getByRole('heading', { name: `Coded passages (${PASSAGES})` }).count()).toBe(1);
  }, 90_000);

  it('moves through the list with the keyboard, to the last passage and back, keeping few rows', async () => {
    const { page } = ui;
    await rows().first().getByRole('button').focus();
    await page.keyboard.press('End');
    const focusedRow = () => page.evaluate(() => document.activeElement?.closest('li')?.getAttribute('aria-posinset') ?? null);
    await expect.poll(focusedRow).toBe(String(PASSAGES));
    await page.keyboard.press('ArrowUp');
    await expect.poll(focusedRow).toBe(String(PASSAGES - 1));
    await page.keyboard.press('PageUp');
    await expect.poll(async () => Number(await focusedRow())).toBeLessThan(PASSAGES - 2);
    expect(await rows().count()).toBeLessThan(80);
  });

  it('scrolls the article to a passage chosen far down the list, and shows it', async () => {
    const { page } = ui;
    await page.keyboard.press('End');
    const id = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset['id'] ?? null);
    expect(id).not.toBeNull();
    await page.keyboard.press('Enter');
    const details = page.getByRole('region', { name: 'Passage details' });
    await details.waitFor();
    await expect
      .poll(
        () =>
          page.evaluate((pid) => {
            const hl = [...document.querySelectorAll('[aria-label="Article text"] .hl')].find((e) => (e.getAttribute('data-passages') ?? '').split(' ').includes(pid!));
            if (!hl) return 'not drawn';
            const r = hl.getBoundingClientRect();
            const box = document.querySelector('main.reader')!.getBoundingClientRect();
            return r.bottom > box.top && r.top < box.bottom ? 'visible' : `off screen ${JSON.stringify([r.top, r.bottom, box.top, box.bottom, document.querySelector('main.reader')!.scrollTop, document.querySelector('main.reader')!.scrollHeight])}`;
          }, id),
        { timeout: 20_000 },
      )
      .toBe('visible');
  }, 60_000);

  it('copies selections reaching blocks not yet laid out exactly as the text has them', async () => {
    const { page } = ui;
    const [doc] = await app.core.handlers['documents.list']({}, testClient);
    const content = await app.core.handlers['documents.get']({ documentId: doc!.id }, testClient);
    const text = plainText(content.blocks);
    const article = page.getByRole('textbox', { name: 'Article text' });
    const clipboard = async (): Promise<string> => {
      await page.keyboard.press('Control+c');
      return page.evaluate(() => navigator.clipboard.readText());
    };
    // The article is scrolled far down, with the caret at the passage chosen above; from there
    // Shift+Ctrl+Home selects back over thousands of blocks never laid out.
    await page.evaluate(() => navigator.clipboard.writeText('-'));
    await article.focus();
    await page.keyboard.press('Control+Shift+Home');
    const back = await clipboard();
    expect(back.length).toBeGreaterThan(text.length / 2);
    expect(back === text.slice(0, back.length)).toBe(true);
    // From there to the end: the text after the caret, to its last character.
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Control+Shift+End');
    expect((await clipboard()) === text).toBe(true);
    // Select all takes the article (title, byline, text), not the page around it.
    await page.keyboard.press('Control+a');
    const all = await clipboard();
    expect(all === [content.meta.title, bylineText(content.meta), text].filter((t) => t !== '').join('\n\n')).toBe(true);
  }, 60_000);

  it('passes an accessibility audit of the passage panel', async () => {
    const { page } = ui;
    const source = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    await page.evaluate(`${source};0`);
    const result = (await page.evaluate(() =>
      (window as unknown as { axe: { run(c: unknown, o: object): Promise<unknown> } }).axe.run(document.querySelector('aside.panel'), { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
    )) as { violations: { id: string; help: string }[] };
    expect(result.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  }, 60_000);
});
