import { afterAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { launchBrowser, skipBrowserTests, testClient, useAppAndBrowser, type Ui } from './harness';

// A document's properties and memo, edited in their dialog from the reader, and the documents
// list reordered from the keyboard: each one undoable step that every window shows, and a
// refusal (a date main does not read, a field changed in another window) said in the dialog.

/** `text` as a regular expression matching it literally. */
const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe.skipIf(skipBrowserTests)('document properties', () => {
  const env = useAppAndBrowser();
  let second: Ui | undefined;
  afterAll(async () => {
    await second?.close();
  });

  const docList = (page: Page) => page.getByRole('list', { name: 'Documents' });
  const docRow = (page: Page, title: string) => docList(page).getByRole('button', { name: new RegExp(`^${escaped(title)}`) });
  const articleTitle = (page: Page) => page.getByRole('textbox', { name: 'Article text' }).getByRole('heading', { level: 1 });
  const dialogOf = (page: Page) => page.getByRole('dialog', { name: 'Document properties' });
  const propertiesButton = (page: Page) => page.getByRole('main', { name: 'Article' }).getByRole('button', { name: 'Document properties…' });
  const focused = (locator: Locator) => locator.evaluate((el) => el === document.activeElement);
  const documents = () => env.app.core.handlers['documents.list']({}, testClient);
  const titles = async () => (await documents()).map((d) => d.meta.title);

  async function openDialog(page: Page): Promise<Locator> {
    await propertiesButton(page).click();
    const dialog = dialogOf(page);
    await dialog.waitFor();
    return dialog;
  }

  it('edits the title, authors, date, pages and memo in one step, shown in the list, the reader and another window; Undo restores them', async () => {
    const { page } = env.ui;
    onTestFailed(async () => console.log('on failure:', env.ui.consoleErrors, await dialogOf(page).ariaSnapshot().catch(() => 'no dialog')));
    await page.goto(env.app.url);
    const [first] = await documents();
    const oldTitle = first!.meta.title;
    await expect.poll(() => articleTitle(page).textContent()).toBe(oldTitle);
    second = await launchBrowser();
    await second.page.goto(env.app.url);
    await expect.poll(() => articleTitle(second!.page).textContent()).toBe(oldTitle);
    await page.bringToFront();

    const dialog = await openDialog(page);
    const title = dialog.getByRole('textbox', { name: 'Title' });
    // The title has the focus, its text selected: typing replaces it.
    expect(await focused(title)).toBe(true);
    expect(await title.inputValue()).toBe(oldTitle);
    await page.keyboard.type('Leaving family behind');
    await dialog.getByRole('textbox', { name: 'Authors' }).fill('Kim Ji-woo; Ana Lima');
    await dialog.getByRole('textbox', { name: 'Date', exact: true }).fill('2021-03');
    await dialog.getByRole('textbox', { name: 'Pages' }).fill('12–34');
    await dialog.getByRole('textbox', { name: 'Document memo' }).fill('Read twice.\nAsk about the broker.');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    // The focus goes back to the button that opened the dialog.
    expect(await focused(propertiesButton(page))).toBe(true);

    const saved = (await documents()).find((d) => d.id === first!.id)!;
    expect(saved.meta).toMatchObject({ title: 'Leaving family behind', author: 'Kim Ji-woo; Ana Lima', date: '2021-03', pages: '12–34', publication: first!.meta.publication });
    expect(saved.memo).toBe('Read twice.\nAsk about the broker.');
    await page.getByRole('button', { name: 'Undo edit document properties' }).waitFor();

    for (const p of [page, second.page]) {
      const row = docRow(p, 'Leaving family behind');
      await expect.poll(() => row.textContent()).toContain('Kim Ji-woo; Ana Lima');
      expect(await row.textContent()).toContain('2021-03');
      await expect.poll(() => articleTitle(p).textContent()).toBe('Leaving family behind');
      const reader = p.getByRole('main', { name: 'Article' });
      await expect.poll(() => reader.getByRole('textbox', { name: 'Article text' }).textContent()).toContain('Kim Ji-woo; Ana Lima');
      await reader.getByText('Pages 12–34').waitFor();
      await reader.getByText('Document memo').click();
      await reader.getByText('Ask about the broker.').waitFor();
    }

    await page.getByRole('button', { name: 'Undo edit document properties' }).click();
    for (const p of [page, second.page]) await expect.poll(() => articleTitle(p).textContent()).toBe(oldTitle);
    const undone = (await documents()).find((d) => d.id === first!.id)!;
    expect(undone.meta).toEqual(first!.meta);
    expect(undone.memo).toBeUndefined();
    await expect.poll(() => page.getByRole('main', { name: 'Article' }).getByText('Pages 12–34').count()).toBe(0);
    expect(env.ui.consoleErrors).toEqual([]);
  });

  it('shows main’s refusal of a date it does not read in the dialog, keeps what was typed, and changes nothing', async () => {
    const { page } = env.ui;
    await page.bringToFront();
    const before = await documents();
    const dialog = await openDialog(page);
    const date = dialog.getByRole('textbox', { name: 'Date', exact: true });
    await date.fill('March 2021');
    // The hint says so before Save; main, which validates, has the last word.
    expect(await date.getAttribute('aria-invalid')).toBe('true');
    await dialog.getByRole('textbox', { name: 'Pages' }).fill('7');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toMatch(/must be YYYY, YYYY-MM or YYYY-MM-DD/);
    expect(await date.inputValue()).toBe('March 2021');
    expect(await documents()).toEqual(before);

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await focused(propertiesButton(page))).toBe(true);
    expect(await documents()).toEqual(before);
  });

  it('refuses to save over a title changed in another window since the dialog opened', async () => {
    const { page } = env.ui;
    const [first] = await documents();
    const dialog = await openDialog(page);
    await dialog.getByRole('textbox', { name: 'Title' }).fill('Mine');
    await env.app.core.handlers['documents.update']({ documentId: first!.id, changes: { title: 'Theirs' }, base: { title: first!.meta.title } }, testClient);
    await docRow(page, 'Theirs').waitFor();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => dialog.getByRole('alert').textContent()).toMatch(/changed elsewhere/);
    expect(await dialog.getByRole('textbox', { name: 'Title' }).inputValue()).toBe('Mine');
    expect((await documents())[0]!.meta.title).toBe('Theirs');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(env.ui.consoleErrors.filter((e) => !/status of 409/.test(e) && !/status of 400/.test(e))).toEqual([]);
  });

  it('moves a document down the list with Alt+ArrowDown, the focus on it; Undo puts it back', async () => {
    const { page } = env.ui;
    onTestFailed(async () => console.log('on failure:', env.ui.consoleErrors, await docList(page).ariaSnapshot(), await page.evaluate(() => document.activeElement?.outerHTML)));
    const before = await titles();
    const row = docRow(page, before[0]!);
    await row.focus();
    await page.keyboard.press('Alt+ArrowDown');
    const moved = [before[1]!, before[0]!, ...before.slice(2)];
    await expect.poll(titles).toEqual(moved);
    await expect.poll(() => docList(page).getByRole('button').allTextContents()).toEqual(moved.map((t) => expect.stringMatching(new RegExp(`^${escaped(t)}`))));
    await expect.poll(() => focused(docRow(page, before[0]!))).toBe(true);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'is now' }).locator('span').textContent()).toBe(`“${before[0]}” is now 2 of ${before.length} documents.`);
    // In the other window too.
    await expect.poll(() => docList(second!.page).getByRole('button').first().textContent()).toMatch(new RegExp(`^${escaped(before[1]!)}`));

    // Alt+ArrowUp on the first row goes nowhere.
    await docRow(page, before[1]!).focus();
    await page.keyboard.press('Alt+ArrowUp');
    await page.getByRole('button', { name: 'Undo move document' }).click();
    await expect.poll(titles).toEqual(before);
    await expect.poll(() => docList(page).getByRole('button').first().textContent()).toMatch(new RegExp(`^${escaped(before[0]!)}`));
  });
});
