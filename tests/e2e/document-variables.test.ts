import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { describe, expect, it, onTestFailed } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { skipBrowserTests, testClient, useAppAndBrowser } from './harness';

// Document variables, end to end: defined in their dialog (from the documents list), given
// values in the properties dialog, then the documents list sorted by one and filtered by
// another; a value change undone. Elements are found by role and accessible name.

/** `text` as a regular expression matching it literally. */
const escaped = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The WCAG 2 A and AA violations axe-core finds on the page as it is now (as accessibility.test.ts runs it). */
async function audit(page: Page): Promise<string[]> {
  const source = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(`${source};0`);
  const result = (await page.evaluate(() =>
    (window as unknown as { axe: { run(o: object): Promise<unknown> } }).axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
  )) as { violations: { id: string; help: string; nodes: { target: string[] }[] }[] };
  return result.violations.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe.skipIf(skipBrowserTests)('document variables', () => {
  const env = useAppAndBrowser();

  const docList = (page: Page) => page.getByRole('list', { name: 'Documents' });
  const rows = (page: Page) => docList(page).getByRole('button');
  const docRow = (page: Page, title: string) => docList(page).getByRole('button', { name: new RegExp(`^${escaped(title)}`) });
  const documentsPanel = (page: Page) => page.getByRole('navigation', { name: 'Documents' });
  const variablesDialog = (page: Page) => page.getByRole('dialog', { name: 'Document variables' });
  const propertiesDialog = (page: Page) => page.getByRole('dialog', { name: 'Document properties' });
  const articleTitle = (page: Page) => page.getByRole('textbox', { name: 'Article text' }).getByRole('heading', { level: 1 });
  const focused = (locator: Locator) => locator.evaluate((el) => el === document.activeElement);
  const documents = () => env.app.core.handlers['documents.list']({}, testClient);
  const variables = async () => (await env.app.core.handlers['workspace.get']({}, testClient)).variables;
  const rowTitles = async (page: Page) => (await rows(page).allTextContents()).map((t) => t.slice(0, 12));

  async function setValues(page: Page, title: string, site: string, wave: string): Promise<Locator> {
    await docRow(page, title).click();
    await expect.poll(() => articleTitle(page).textContent()).toBe(title);
    await page.getByRole('main', { name: 'Article' }).getByRole('button', { name: 'Document properties…' }).click();
    const dialog = propertiesDialog(page);
    await dialog.waitFor();
    const group = dialog.getByRole('group', { name: 'Variables' });
    await group.getByRole('combobox', { name: 'Site' }).selectOption({ label: site });
    await group.getByRole('textbox', { name: 'Wave' }).fill(wave);
    return dialog;
  }

  it('defines Site (one of Seoul, Busan) and Wave (a number) in the Variables dialog', async () => {
    const { page } = env.ui;
    onTestFailed(async () => console.log('on failure:', env.ui.consoleErrors, await variablesDialog(page).ariaSnapshot().catch(() => 'no dialog')));
    await page.goto(env.app.url);
    const opener = documentsPanel(page).getByRole('button', { name: 'Variables…' });
    await opener.click();
    const dialog = variablesDialog(page);
    await dialog.waitFor();
    // No variables yet: the new variable's name has the focus.
    const name = dialog.getByRole('textbox', { name: 'Name' });
    expect(await focused(name)).toBe(true);
    await name.fill('Site');
    await dialog.getByRole('combobox', { name: 'Type' }).selectOption({ label: 'One of a list' });
    await dialog.getByRole('textbox', { name: 'Choice 1' }).fill('Seoul');
    await dialog.getByRole('button', { name: 'Add choice' }).click();
    const second = dialog.getByRole('textbox', { name: 'Choice 2' });
    expect(await focused(second)).toBe(true);
    await second.fill('Busan');
    await dialog.getByRole('button', { name: 'Add variable' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Added “Site”.' }).waitFor();

    await dialog.getByRole('button', { name: 'New variable' }).click();
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Wave');
    await dialog.getByRole('combobox', { name: 'Type' }).selectOption({ label: 'Number' });
    await page.keyboard.press('Enter');
    await dialog.getByRole('status').filter({ hasText: 'Added “Wave”.' }).waitFor();
    const list = dialog.getByRole('list', { name: 'Variables' });
    await expect.poll(() => list.getByRole('button').allTextContents()).toEqual([expect.stringMatching(/^SiteOne of: Seoul, Busan/), expect.stringMatching(/^WaveNumber/)]);
    expect(await variables()).toMatchObject([
      { name: 'Site', type: 'choice', choices: ['Seoul', 'Busan'] },
      { name: 'Wave', type: 'number' },
    ]);

    // Alt+ArrowUp on Wave's row moves it first, one undoable step; the focus stays on it.
    const waveRow = list.getByRole('button', { name: /^Wave/ });
    await waveRow.focus();
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(async () => (await variables()).map((v) => v.name)).toEqual(['Wave', 'Site']);
    await expect.poll(() => focused(list.getByRole('button', { name: /^Wave/ }))).toBe(true);
    await page.keyboard.press('Alt+ArrowDown');
    await expect.poll(async () => (await variables()).map((v) => v.name)).toEqual(['Site', 'Wave']);

    await list.getByRole('button', { name: /^Site/ }).click();
    expect.soft(await audit(page), 'variables dialog').toEqual([]);
    await dialog.getByRole('button', { name: 'Delete…' }).click();
    const question = page.getByRole('alertdialog', { name: 'Delete variable' });
    await question.getByText('Delete “Site”? No document has a value of it. You can undo this.').waitFor();
    expect.soft(await audit(page), 'delete variable question').toEqual([]);
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Tab');
      expect(await question.evaluate((el) => el.contains(document.activeElement))).toBe(true);
    }
    // Escape asks no more, and keeps the variables dialog.
    await page.keyboard.press('Escape');
    await question.waitFor({ state: 'detached' });
    await expect.poll(() => focused(dialog.getByRole('button', { name: 'Delete…' }))).toBe(true);

    // Escape closes it, and the focus goes back to the button that opened it.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => focused(opener)).toBe(true);
    expect(env.ui.consoleErrors).toEqual([]);
  });

  it('sets values in the properties dialog, refusing one that is not a number, and undoes a change', async () => {
    const { page } = env.ui;
    onTestFailed(async () => console.log('on failure:', env.ui.consoleErrors, await propertiesDialog(page).ariaSnapshot().catch(() => 'no dialog')));
    const [first, second] = await documents();
    let dialog = await setValues(page, first!.meta.title, 'Busan', '2');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });

    dialog = await setValues(page, second!.meta.title, 'Seoul', 'two');
    // The variables' own dialog opens over this one; Escape closes it alone, the focus back on its button.
    const manage = dialog.getByRole('button', { name: 'Variables…' });
    await manage.click();
    await variablesDialog(page).waitFor();
    await page.keyboard.press('Tab');
    expect(await variablesDialog(page).evaluate((el) => el.contains(document.activeElement))).toBe(true);
    await page.keyboard.press('Escape');
    await variablesDialog(page).waitFor({ state: 'detached' });
    await expect.poll(() => focused(manage)).toBe(true);
    expect(await dialog.isVisible()).toBe(true);
    const wave = dialog.getByRole('textbox', { name: 'Wave' });
    expect(await wave.getAttribute('aria-invalid')).toBe('true');
    await dialog.getByText('Not a value of “Wave”: it must be a number').waitFor();
    // Save saves nothing while a value is not one; what was typed stays.
    expect(await dialog.getByRole('button', { name: 'Save' }).getAttribute('aria-disabled')).toBe('true');
    await wave.press('Enter');
    expect(await dialog.isVisible()).toBe(true);
    expect.soft(await audit(page), 'properties dialog with variables and a refused value').toEqual([]);
    expect(await wave.inputValue()).toBe('two');
    await wave.fill('1');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });

    const [site, waveVar] = await variables();
    const valuesOf = async (id: string) => (await documents()).find((d) => d.id === id)!.values;
    expect(await valuesOf(first!.id)).toEqual({ [site!.id]: 'Busan', [waveVar!.id]: 2 });
    expect(await valuesOf(second!.id)).toEqual({ [site!.id]: 'Seoul', [waveVar!.id]: 1 });
    await expect.poll(() => docRow(page, first!.meta.title).textContent()).toContain('Site: Busan · Wave: 2');

    // One save of the dialog is one step: Undo takes both values back.
    await page.getByRole('button', { name: 'Undo edit document properties' }).click();
    await expect.poll(() => valuesOf(second!.id)).toBeUndefined();
    await expect.poll(() => docRow(page, second!.meta.title).textContent()).not.toContain('Site:');
    await page.getByRole('button', { name: 'Redo edit document properties' }).click();
    await expect.poll(() => valuesOf(second!.id)).toEqual({ [site!.id]: 'Seoul', [waveVar!.id]: 1 });
    expect(env.ui.consoleErrors).toEqual([]);
  });

  it('sorts the documents list by Wave and filters it by Site = Busan, then clears the filter', async () => {
    const { page } = env.ui;
    onTestFailed(async () => console.log('on failure:', env.ui.consoleErrors, await documentsPanel(page).ariaSnapshot()));
    const [first, second, ...rest] = await documents();
    const short = (t: string) => t.slice(0, 12);
    const panel = documentsPanel(page);
    await panel.getByRole('combobox', { name: 'Sort by' }).selectOption({ label: 'Wave' });
    // Missing values last.
    await expect.poll(() => rowTitles(page)).toEqual([second!, first!, ...rest].map((d) => short(d.meta.title)));
    await panel.getByRole('combobox', { name: 'Sort direction' }).selectOption({ label: 'Descending' });
    await expect.poll(() => rowTitles(page)).toEqual([first!, second!, ...rest].map((d) => short(d.meta.title)));

    // Sorted, Alt+ArrowDown moves nothing, and says why.
    await docRow(page, first!.meta.title).focus();
    await page.keyboard.press('Alt+ArrowDown');
    await page.getByRole('status').filter({ hasText: 'Documents move only in list order' }).waitFor();
    expect((await documents()).map((d) => d.id)).toEqual([first, second, ...rest].map((d) => d!.id));

    // The open document (the second) is hidden by the filter: the count says so.
    await panel.getByRole('combobox', { name: 'Filter by variable' }).selectOption({ label: 'Site' });
    await panel.getByRole('group', { name: 'Site' }).getByRole('checkbox', { name: 'Busan' }).check();
    await expect.poll(() => rowTitles(page)).toEqual([short(first!.meta.title)]);
    const total = rest.length + 2;
    await panel.getByRole('status').filter({ hasText: `1 of ${total} documents; the open document is hidden by the filter` }).waitFor();
    expect(await articleTitle(page).textContent()).toBe(second!.meta.title);
    expect.soft(await audit(page), 'documents list sorted and filtered').toEqual([]);

    // The view is this window's, kept for the project: a reload shows it again.
    await page.reload();
    await expect.poll(() => rowTitles(page)).toEqual([short(first!.meta.title)]);
    expect(await panel.getByRole('combobox', { name: 'Sort by' }).inputValue()).toMatch(/^variable:/);

    await panel.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => rowTitles(page)).toEqual([first!, second!, ...rest].map((d) => short(d.meta.title)));
    expect(await focused(panel.getByRole('searchbox', { name: 'Filter documents' }))).toBe(true);
    await panel.getByRole('combobox', { name: 'Sort by' }).selectOption({ label: 'List order' });
    await expect.poll(() => rowTitles(page)).toEqual((await documents()).map((d) => short(d.meta.title)));

    // A variable renamed elsewhere (another window) is renamed here, in the rows and the choices.
    const wave = (await variables()).find((v) => v.name === 'Wave')!;
    await env.app.core.handlers['variables.update']({ id: wave.id, name: 'Round' }, testClient);
    await expect.poll(() => docRow(page, first!.meta.title).textContent()).toContain('Site: Busan · Round: 2');
    expect(await panel.getByRole('combobox', { name: 'Filter by variable' }).getByRole('option').allTextContents()).toEqual(['Filter by variable…', 'Site', 'Round']);
    expect(env.ui.consoleErrors).toEqual([]);
  });
});
