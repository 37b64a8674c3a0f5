import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { codePhrase, skipBrowserTests, testClient, useAppAndBrowser } from './harness';

// Memos as a user writes them: a research-journal entry from the memos view, edited while
// another window saved it (both texts shown, the user chooses), a passage linked to it from the
// passage's details, every memo (passages' too) listed and filtered, and exported as Markdown.

const DOC = 'dilemma-of-leaving-family';

describe.skipIf(skipBrowserTests)('memos', () => {
  const env = useAppAndBrowser();
  const view = () => env.ui.page.getByRole('region', { name: 'Memos' });
  const dialog = () => env.ui.page.getByRole('dialog', { name: /^(New memo|Memo)$/ });
  const memos = async () => (await env.app.core.handlers['workspace.get']({}, testClient)).memos;

  it('writes a journal entry from the memos view, undoably', async () => {
    const { page } = env.ui;
    await page.goto(env.app.url);
    await page.getByRole('textbox', { name: 'Article text' }).getByRole('heading', { level: 1 }).waitFor();
    await page.getByRole('tab', { name: 'Memos' }).click();
    await view().getByText(/^No memo yet/).waitFor();
    await view().getByRole('button', { name: 'New memo…' }).click();
    await dialog().waitFor();
    expect(await page.evaluate(() => document.activeElement?.getAttribute('placeholder'))).toBe('Untitled memo');
    await dialog().getByRole('textbox', { name: 'Title' }).fill('First impressions');
    expect(await dialog().getByRole('combobox', { name: 'About' }).inputValue()).toBe('project');
    await dialog().getByRole('textbox', { name: 'Memo' }).fill('Families are punished for one member’s flight.');
    await dialog().getByRole('button', { name: 'Save' }).click();
    await dialog().waitFor({ state: 'detached' });
    await expect.poll(async () => (await memos()).map((m) => [m.title, m.about.kind])).toEqual([['First impressions', 'project']]);
    const row = view().getByRole('button', { name: /^First impressions/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('Project journal');
    await page.getByRole('button', { name: 'Undo write memo “First impressions”' }).click();
    await expect.poll(memos).toEqual([]);
    await page.getByRole('button', { name: 'Redo write memo “First impressions”' }).click();
    await expect.poll(async () => (await memos()).length).toBe(1);
  });

  it('shows both texts when another window saved the memo first, and keeps the one chosen', async () => {
    const { page } = env.ui;
    await view().getByRole('button', { name: /^First impressions/ }).click();
    await dialog().waitFor();
    await dialog().getByRole('textbox', { name: 'Memo' }).fill('My second thoughts.');
    const [memo] = await memos();
    // Another window saves first.
    await env.app.core.handlers['memos.update']({ id: memo!.id, text: 'Their edit.', base: { title: memo!.title, text: memo!.text } }, { client: 'other-window' });
    await dialog().getByRole('button', { name: 'Save' }).click();
    const alert = dialog().getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/changed in another window/);
    expect(await alert.getByRole('textbox', { name: 'The memo now' }).inputValue()).toBe('Their edit.');
    await alert.getByRole('button', { name: 'Keep my text' }).click();
    await dialog().waitFor({ state: 'detached' });
    await expect.poll(async () => (await memos())[0]!.text).toBe('My second thoughts.');
    // The focus is back where it was.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toMatch(/^First impressions/);
  });

  it('links a passage to the memo from its details, and lists passages’ memos too', async () => {
    const { page } = env.ui;
    const passage = await codePhrase(env.app, DOC, 'under heavy surveillance in the North', ['repression-tactic.surveillance']);
    await env.app.core.handlers['annotations.setMemo']({ documentId: DOC, id: passage.id, memo: 'Watched still, years later.', base: '' }, testClient);
    await expect.poll(() => view().getByRole('button', { name: /^On “under heavy surveillance/ }).count()).toBe(1);
    await view().getByRole('combobox', { name: 'Show' }).selectOption({ label: 'On codes' });
    await expect.poll(() => view().getByRole('status').textContent()).toBe('0 memos');
    await view().getByRole('combobox', { name: 'Show' }).selectOption({ label: 'Every memo' });
    await expect.poll(() => view().getByRole('status').textContent()).toBe('2 memos');
    // From the passage's row, to the article and its details.
    await view().getByRole('button', { name: /^On “under heavy surveillance/ }).click();
    const details = page.getByRole('region', { name: 'Passage details' });
    await details.waitFor();
    await details.getByRole('combobox', { name: 'Link to a memo' }).selectOption({ label: 'First impressions' });
    await expect.poll(async () => (await memos())[0]!.passages).toEqual([{ documentId: DOC, id: passage.id }]);
    await details.getByRole('button', { name: 'First impressions', exact: true }).click();
    await dialog().waitFor();
    await dialog().getByText('“under heavy surveillance in the North”').waitFor();
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    await dialog().waitFor({ state: 'detached' });
  });

  it('exports every memo as one Markdown file', async () => {
    const { page } = env.ui;
    await page.getByRole('tab', { name: 'Memos' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), view().getByRole('button', { name: 'Export Markdown…' }).click()]);
    expect(download.suggestedFilename()).toBe('memos.md');
    const md = await readFile((await download.path())!, 'utf8');
    expect(md).toContain('## Project journal');
    expect(md).toContain('### First impressions');
    expect(md).toContain('My second thoughts.');
    expect(md).toContain('Watched still, years later.');
    // The one refused save (409, the other window's) is the only error the page logged.
    expect(env.ui.consoleErrors.filter((e) => !/status of 409 .*memos\.update/.test(e))).toEqual([]);
  });
});
