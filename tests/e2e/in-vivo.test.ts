import { describe, expect, it, onTestFailed } from 'vitest';
import type { Page } from 'playwright-core';
import type { Code } from '../../shared/model';
import { passagesOf, skipBrowserTests, testClient, useAppAndBrowser } from './harness';
import { selectWithMouse } from './ui';

// In-vivo coding as a user does it: words selected in the article, Ctrl+I (or the picker's
// entry), a code named after them in the codebook and the passage in the list, one Undo for
// both; where new in-vivo codes go, chosen in Project settings.

const DOC = 'dilemma-of-leaving-family';
const REPRESSION = 'repression-tactic';

describe.skipIf(skipBrowserTests)('in-vivo coding', () => {
  const env = useAppAndBrowser();

  const tree = (page: Page) => page.getByRole('list', { name: 'Codebook' });
  /** A code's row in the tree ("Surveillance (key 2; 1 in this document, 1 in the project)"). */
  const codeButton = (page: Page, name: string) => tree(page).getByRole('button', { name: new RegExp(`^${name} \\((key \\S+; )?\\d`) });
  const search = (page: Page) => page.getByRole('searchbox', { name: 'Search codes' });
  const passageRows = (page: Page) => page.getByRole('list', { name: 'Coded passages in text order' }).getByRole('listitem');
  const picker = (page: Page) => page.getByRole('dialog', { name: 'Code the selection' });
  const said = (page: Page, text: RegExp) => page.getByRole('status').filter({ hasText: text });
  const codes = async (): Promise<Code[]> => (await env.app.core.handlers['codebook.get']({}, testClient)).codes;
  const named = async (name: string): Promise<Code[]> => (await codes()).filter((c) => c.name === name);
  const codedWith = async (codeId: string) => (await passagesOf(env.app, DOC)).filter((p) => p.codeIds.includes(codeId)).map((p) => p.quote.exact);

  /** Selects `phrase` with the mouse and closes the picker: the selection stays in the article, where Ctrl+I codes it. */
  async function selectInArticle(page: Page, phrase: string): Promise<void> {
    await selectWithMouse(page, phrase);
    await picker(page).waitFor();
    await page.keyboard.press('Escape');
    await picker(page).waitFor({ state: 'detached' });
  }

  /** Searches the codebook for `name` and returns its row (the tree draws only the rows on screen). */
  async function findInTree(page: Page, name: string) {
    await search(page).fill(name.toLowerCase());
    return codeButton(page, name);
  }

  it('codes a selection with Ctrl+I under a code named after its words, and one Undo takes back both', async () => {
    const page = env.ui.page;
    onTestFailed(async () => console.log('on failure:', env.ui.consoleErrors, await tree(page).ariaSnapshot()));
    await page.goto(env.app.url);
    await page.getByRole('textbox', { name: 'Article text' }).getByRole('heading', { level: 1 }).waitFor();
    const codesBefore = (await codes()).length;

    await selectInArticle(page, '“North Korean defector”');
    await page.keyboard.press('Control+i');
    // The quotes around the words are not part of the name.
    await said(page, /Created code “North Korean defector” and coded the passage/).waitFor();
    await expect.poll(async () => (await named('North Korean defector')).length).toBe(1);
    const [made] = await named('North Korean defector');
    expect(made!.parentId).toBeNull();
    await expect.poll(() => codedWith(made!.id)).toEqual(['“North Korean defector”']);
    await expect.poll(() => passageRows(page).filter({ hasText: '“North Korean defector”' }).count()).toBe(1);
    const row = await findInTree(page, 'North Korean defector');
    await expect.poll(() => row.innerText()).toMatch(/1 in this document, 1 in the project/);
    expect(await row.locator('xpath=ancestor::li[1]').getAttribute('aria-level')).toBe('1');
    // One step in the history.
    await page.getByRole('button', { name: 'Undo in-vivo code “North Korean defector”' }).waitFor();

    // An empty search field does not own Ctrl+Z: it undoes the in-vivo coding, code and passage alike.
    await search(page).fill('');
    await page.keyboard.press('Control+z');
    await expect.poll(async () => (await named('North Korean defector')).length).toBe(0);
    expect(await passagesOf(env.app, DOC)).toEqual([]);
    expect((await codes()).length).toBe(codesBefore);
    await expect.poll(() => passageRows(page).count()).toBe(0);
    await search(page).fill('north korean def');
    await page.getByText('No code matches.').waitFor();
    await search(page).fill('');
    // Redo brings both back.
    await page.getByRole('button', { name: 'Redo in-vivo code “North Korean defector”' }).click();
    await expect.poll(async () => (await named('North Korean defector')).length).toBe(1);
    await expect.poll(async () => (await passagesOf(env.app, DOC)).length).toBe(1);
    expect(env.ui.consoleErrors).toEqual([]);
  });

  it('puts new in-vivo codes under the code chosen in Project settings, kept after a reload', async () => {
    const page = env.ui.page;
    await page.getByRole('banner').getByRole('button', { name: 'Families of defectors' }).click();
    const dialog = page.getByRole('dialog', { name: 'Project settings' });
    const choice = dialog.getByRole('combobox', { name: 'In-vivo codes go under' });
    expect(await choice.inputValue()).toBe('');
    await choice.selectOption({ label: 'Repression tactic' });
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });

    await page.reload();
    await page.getByRole('textbox', { name: 'Article text' }).getByRole('heading', { level: 1 }).waitFor();
    await page.getByRole('banner').getByRole('button', { name: 'Families of defectors' }).click();
    expect(await choice.inputValue()).toBe(REPRESSION);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    await selectInArticle(page, 'strict surveillance');
    await page.keyboard.press('Control+i');
    await said(page, /Created code “strict surveillance” under “Repression tactic” and coded the passage/).waitFor();
    await expect.poll(async () => (await named('strict surveillance')).map((c) => c.parentId)).toEqual([REPRESSION]);
    const child = await findInTree(page, 'strict surveillance');
    await child.waitFor();
    // A child of Repression tactic: one level below it in the tree.
    expect(await child.locator('xpath=ancestor::li[1]').getAttribute('aria-level')).toBe('2');
    await search(page).fill('');
  });

  it("codes from the picker's In-vivo button and with Ctrl+I there, applying a code of that name there already", async () => {
    const page = env.ui.page;
    const surveillance = 'repression-tactic.surveillance';
    const before = (await codes()).length;
    await selectWithMouse(page, 'surveillance in the North');
    await picker(page).waitFor();
    const entry = picker(page).getByRole('button', { name: /^In-vivo code “surveillance in the North” \(new, under Repression tactic\)$/ });
    expect(await entry.getAttribute('aria-keyshortcuts')).toBe('Control+I');
    // Not one of the options: arrows and Enter choose codes as they always did. Tab reaches it.
    expect(await picker(page).getByRole('option', { name: /In-vivo/ }).count()).toBe(0);
    await page.keyboard.press('Tab');
    await expect.poll(() => entry.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await picker(page).waitFor({ state: 'detached' });
    await said(page, /Created code “surveillance in the North” under “Repression tactic” and coded the passage/).waitFor();
    await expect.poll(async () => (await named('surveillance in the North')).map((c) => c.parentId)).toEqual([REPRESSION]);

    // Ctrl+I in the picker does what its entry does, whatever was typed in the filter.
    await selectWithMouse(page, 'the family you left behind');
    await picker(page).waitFor();
    await page.keyboard.type('fam');
    await picker(page).getByRole('button', { name: /^In-vivo code “the family you left behind” \(new/ }).waitFor();
    await page.keyboard.press('Control+i');
    await picker(page).waitFor({ state: 'detached' });
    await expect.poll(async () => (await named('the family you left behind')).map((c) => c.parentId)).toEqual([REPRESSION]);
    expect((await codes()).length).toBe(before + 2);

    // “Surveillance” is a child of Repression tactic already: the entry says so, and applies it.
    expect(await codedWith(surveillance)).toEqual([]);
    await selectWithMouse(page, 'surveillance');
    await picker(page).waitFor();
    await picker(page).getByRole('button', { name: /^In-vivo code “surveillance” \(there already: applies it\)$/ }).click();
    await said(page, /Coded the passage with “Repression tactic › Surveillance”, which was there already/).waitFor();
    await expect.poll(() => codedWith(surveillance)).toEqual(['surveillance']);
    expect((await codes()).length).toBe(before + 2);
    expect(env.ui.consoleErrors).toEqual([]);
  });

  it('goes back to the top level when the chosen parent is deleted', async () => {
    const page = env.ui.page;
    await env.app.core.handlers['codes.delete']({ id: REPRESSION, children: 'lift' }, testClient);
    await expect.poll(() => codeButton(page, 'Repression tactic').count()).toBe(0);
    await selectInArticle(page, 'torture and interrogation');
    await page.keyboard.press('Control+i');
    await said(page, /Created code “torture and interrogation” and coded the passage/).waitFor();
    await expect.poll(async () => (await named('torture and interrogation')).map((c) => c.parentId)).toEqual([null]);
    // Project settings say so too.
    await page.getByRole('banner').getByRole('button', { name: 'Families of defectors' }).click();
    const choice = page.getByRole('dialog', { name: 'Project settings' }).getByRole('combobox', { name: 'In-vivo codes go under' });
    expect(await choice.inputValue()).toBe('');
    await page.keyboard.press('Escape');
    expect(env.ui.consoleErrors).toEqual([]);
  });
});
