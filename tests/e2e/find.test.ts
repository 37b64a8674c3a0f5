import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { plainText } from '../../shared/plain-text';
import { skipBrowserTests, testClient, useAppAndBrowser, type App } from './harness';
import { selectionText } from './ui';

/**
 * Find in the article (Ctrl/⌘+F): the bar, its count (checked against a count made here from the
 * article's own text), next and previous scrolling the match into view, the options, a
 * malformed and a catastrophic regular expression, and the focus going back to the article
 * with the match selected.
 */

const PYONGYANG = { id: 'pyongyang-moves-to-identify-defectors', title: 'Pyongyang Moves to Identify Defectors' };
const DIACRITICS = { title: 'Find diacritics', text: 'Letters from Pyŏngyang.\nThe café on Kim Il-sung Square.\n' };
/** `(a+)+$` backtracks for ever on a line of a's that ends in something else. */
const AS = { title: 'Find a line of a', text: `${'a'.repeat(5000)}!\n` };

/** Adds a text document through the core, as importing a file would; its id. */
async function addText(app: App, fileName: string, text: string): Promise<string> {
  const prepared = await app.core.handlers['documents.prepareImport']({ requestId: randomUUID(), fileName, content: Buffer.from(text).toString('base64') }, testClient);
  const done = await app.core.handlers['documents.commitImport']({ tokens: [prepared.token] }, testClient);
  return done.documentIds![0]!;
}

/** How often `word` occurs in a text, case folded or not: counted here, independently of Gloss's search. */
function occurrences(text: string, word: string, caseSensitive = false): number {
  return text.match(new RegExp(word, caseSensitive ? 'g' : 'gi'))?.length ?? 0;
}

/** The current match as drawn: its text, and whether its box lies inside the article's scrolled view. */
function currentMatch(page: Page): Promise<{ text: string; inView: boolean } | null> {
  return page.evaluate(() => {
    const [range] = (CSS.highlights.get('find-current') as unknown as Set<AbstractRange> | undefined) ?? [];
    if (!range) return null;
    const live = document.createRange();
    live.setStart(range.startContainer, range.startOffset);
    live.setEnd(range.endContainer, range.endOffset);
    const r = live.getBoundingClientRect();
    const box = document.querySelector('main.reader')!.getBoundingClientRect();
    return { text: live.toString(), inView: r.height > 0 && r.top >= box.top && r.bottom <= box.bottom };
  });
}

/** Runs axe-core (WCAG 2 A and AA rules) on the page as it is now. */
async function audit(page: Page): Promise<string[]> {
  const source = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(`${source};0`);
  const result = (await page.evaluate(() =>
    (window as unknown as { axe: { run(o: object): Promise<unknown> } }).axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
  )) as { violations: { id: string; help: string; nodes: { target: string[] }[] }[] };
  return result.violations.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe.skipIf(skipBrowserTests)('find in the article', () => {
  const env = useAppAndBrowser();
  const mod = process.platform === 'darwin' ? 'Meta' : 'Control';
  const page = (): Page => env.ui.page;
  const bar = () => page().getByRole('search', { name: 'Find in article' });
  const field = () => bar().getByRole('textbox', { name: 'Find' });
  const status = () => bar().getByRole('status');
  const option = (name: string) => bar().getByRole('button', { name });
  const article = () => page().getByRole('textbox', { name: 'Article text' });
  const docButton = (title: string) => page().getByRole('navigation', { name: 'Documents' }).getByRole('button', { name: new RegExp(title) });
  const statusText = async (): Promise<string> => (await status().textContent()) ?? '';
  const focused = (): Promise<boolean> => field().evaluate((el) => el === document.activeElement);
  let text = '';
  let diacriticsId = '';

  async function open(title: string): Promise<void> {
    await docButton(title).click();
    await article().getByRole('heading', { level: 1, name: title }).waitFor();
  }

  it('opens with Ctrl/⌘+F before the browser’s own find, the focus in its field', async () => {
    const content = await env.app.core.handlers['documents.get']({ documentId: PYONGYANG.id }, testClient);
    text = plainText(content.blocks);
    await page().goto(env.app.url);
    await open(PYONGYANG.title);
    await article().focus();
    // Heard after Gloss's own listener (which listens first, in the capture phase).
    await page().evaluate(() => window.addEventListener('keydown', (e) => ((window as unknown as { findPrevented: boolean }).findPrevented = e.defaultPrevented)));
    await page().keyboard.press(`${mod}+f`);
    await bar().waitFor();
    await expect.poll(focused).toBe(true);
    expect(await page().evaluate(() => (window as unknown as { findPrevented: boolean }).findPrevented)).toBe(true);
  });

  it('counts every match, steps to the next and back, the current one scrolled into view', async () => {
    const n = occurrences(text, 'families');
    expect(n).toBeGreaterThan(3);
    await page().keyboard.type('families');
    await expect.poll(statusText).toBe(`1 of ${n}`);
    await page().keyboard.press('Enter');
    await expect.poll(statusText).toBe(`2 of ${n}`);
    await expect.poll(() => currentMatch(page())).toEqual({ text: expect.stringMatching(/^families$/i), inView: true });
    // Far down the article: the match is scrolled to, not left under the fold.
    for (let i = 2; i < n; i++) await page().keyboard.press('Enter');
    await expect.poll(statusText).toBe(`${n} of ${n}`);
    await expect.poll(() => currentMatch(page())).toEqual({ text: expect.stringMatching(/^families$/i), inView: true });
    await page().keyboard.press('Enter');
    await expect.poll(statusText).toBe(`1 of ${n} · Back at the first match`);
    await page().keyboard.press('Shift+Enter');
    await expect.poll(statusText).toBe(`${n} of ${n} · Back at the last match`);
    await page().keyboard.press('Shift+Enter');
    await expect.poll(statusText).toBe(`${n - 1} of ${n}`);
    // Every match on screen is highlighted, the current one apart.
    // Drawn in the frame after the scroll to the match: asked until it has been.
    const drawnNow = () => page().evaluate(() => (CSS.highlights.get('find') as unknown as Set<AbstractRange> | undefined)?.size ?? 0);
    await expect.poll(drawnNow).toBeGreaterThan(0);
    const drawn = await drawnNow();
    expect(drawn).toBeLessThanOrEqual(n - 1);
    expect.soft(await audit(page()), 'find bar').toEqual([]);
  });

  it('counts again when an option changes', async () => {
    const matchCase = option('Match case');
    expect(await matchCase.getAttribute('aria-pressed')).toBe('false');
    await matchCase.click();
    expect(await matchCase.getAttribute('aria-pressed')).toBe('true');
    const exact = occurrences(text, 'families', true);
    expect(exact).not.toBe(occurrences(text, 'families'));
    await expect.poll(statusText).toMatch(new RegExp(`^\\d+ of ${exact}$`));
    // From the keyboard too.
    await field().focus();
    await page().keyboard.press('Alt+c');
    await expect.poll(() => matchCase.getAttribute('aria-pressed')).toBe('false');
    await expect.poll(statusText).toMatch(new RegExp(`^\\d+ of ${occurrences(text, 'families')}$`));
  });

  it('closes with Escape, the article focused with the current match selected', async () => {
    await field().focus();
    await page().keyboard.press('Enter');
    const current = await currentMatch(page());
    await page().keyboard.press('Escape');
    await bar().waitFor({ state: 'detached' });
    await expect.poll(() => article().evaluate((el) => el === document.activeElement)).toBe(true);
    await expect.poll(() => selectionText(page())).toBe(current!.text);
    expect(await page().evaluate(() => CSS.highlights.has('find'))).toBe(false);
    // Opened again, it holds the last query, selected, ready to be typed over.
    await page().keyboard.press(`${mod}+f`);
    await expect.poll(focused).toBe(true);
    expect(await field().evaluate((el: HTMLInputElement) => el.value.slice(el.selectionStart!, el.selectionEnd!))).toBe('families');
  });

  it('takes the words selected in the article as its query', async () => {
    await page().keyboard.press('Escape');
    await page().evaluate(() => {
      const root = document.querySelector('[aria-label="Article text"]')!;
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const i = (n as Text).data.indexOf('repatriate');
        if (i < 0) continue;
        getSelection()!.setBaseAndExtent(n, i, n, i + 'repatriate'.length);
        return;
      }
    });
    await page().keyboard.press(`${mod}+f`);
    await expect.poll(() => field().inputValue()).toBe('repatriate');
    await expect.poll(statusText).toBe(`1 of ${occurrences(text, 'repatriate')}`);
  });

  it('folds diacritics unless asked: “Pyongyang” finds “Pyŏngyang”', async () => {
    diacriticsId = await addText(env.app, 'Find diacritics.txt', DIACRITICS.text);
    await page().reload();
    await open(DIACRITICS.title);
    await article().focus();
    await page().keyboard.press(`${mod}+f`);
    await expect.poll(focused).toBe(true);
    await page().keyboard.type('Pyongyang');
    await expect.poll(statusText).toBe('1 of 1');
    await expect.poll(async () => (await currentMatch(page()))?.text).toBe('Pyŏngyang');
    await option('Match diacritics').click();
    await expect.poll(statusText).toBe('No matches');
    await option('Match diacritics').click();
    await expect.poll(statusText).toBe('1 of 1');
  });

  it('counts again when the article gets a new version of its text', async () => {
    const content = Buffer.from('Letters from Pyŏngyang.\nThe café on Kim Il-sung Square, in Pyongyang.\n').toString('base64');
    const preview = await env.app.core.handlers['documents.previewReplace']({ documentId: diacriticsId, requestId: randomUUID(), fileName: 'v2.txt', content }, testClient);
    await env.app.core.handlers['documents.replaceText']({ token: preview.token }, testClient);
    await expect.poll(() => article().textContent()).toContain('in Pyongyang.');
    // Counted and drawn, none made current (the text changed under the bar); Enter goes to the first.
    await expect.poll(statusText).toBe('2 matches');
    await field().focus();
    await page().keyboard.press('Enter');
    await expect.poll(statusText).toBe('1 of 2');
    await expect.poll(async () => (await currentMatch(page()))?.text).toBe('Pyŏngyang');
  });

  it('says what is wrong with a malformed regular expression', async () => {
    await option('Regular expression').click();
    await field().fill('caf(é');
    await expect.poll(statusText).toMatch(/^The regular expression cannot be read: .+/);
    expect(await field().getAttribute('aria-invalid')).toBe('true');
    await field().fill('caf(é|e)');
    await expect.poll(statusText).toBe('1 of 1');
    expect(await field().getAttribute('aria-invalid')).toBeNull();
  });

  it('stops a catastrophic regular expression in time, and the window goes on answering', async () => {
    await addText(env.app, 'Find a line of a.txt', AS.text);
    await page().reload();
    await open(AS.title);
    await article().focus();
    await page().keyboard.press(`${mod}+f`);
    await expect.poll(focused).toBe(true);
    // A new page: the options are as they start.
    expect(await option('Regular expression').getAttribute('aria-pressed')).toBe('false');
    await option('Regular expression').click();
    const started = Date.now();
    await field().fill('(a+)+$');
    // While the worker backtracks, the window answers at once.
    const answered = Date.now();
    expect(await page().evaluate(() => document.title)).toBe('Gloss');
    expect(Date.now() - answered).toBeLessThan(500);
    await expect.poll(statusText, { timeout: 5000 }).toBe('The regular expression took too long on this text (more than 1.5 s); expressions with nested repetition such as (a+)+ can take practically forever.');
    expect(Date.now() - started).toBeLessThan(5000);
    // Right after, a click in the documents list opens another article.
    await open(PYONGYANG.title);
    // The bar stays open and counts in the new article, where the expression is harmless, making
    // no match current: the article stays where it opened (no jump to a first match).
    await expect.poll(statusText).toMatch(/^(\d+ match(es)?|No matches)$/);
    expect(await currentMatch(page())).toBeNull();
    await field().fill('famil(y|ies)');
    await expect.poll(statusText).toBe(`1 of ${occurrences(text, 'famil(y|ies)')}`);
    expect(env.ui.consoleErrors).toEqual([]);
  });
});
