import { describe, expect, it, onTestFailed } from 'vitest';
import type { Page } from 'playwright-core';
import { afterAll } from 'vitest';
import { codePhrase, launchBrowser, passagesOf, skipBrowserTests, testClient, useAppAndBrowser, type Ui } from './harness';
import { selectWithMouse } from './ui';

// Two tabs on one project (as two desktop windows would be): what one does shows in the other
// without a reload, nothing is silently lost, and each has its own undo.

const DOC = 'threats-of-death-and-banishment';
const TITLE = 'North Korea Said to Threaten Families of Defectors with Death and Banishment';
const OTHER_TITLE = 'The dilemma of leaving my family behind in North Korea';

describe.skipIf(skipBrowserTests)('two windows on one project', () => {
  const env = useAppAndBrowser();
  let one: Page;
  let two: Page;
  // The second window is a browser of its own: headless Chromium throttles the timers, frames
  // and input of a tab that is not in front, which two windows side by side never are.
  let second: Ui | undefined;
  afterAll(async () => {
    await second?.close();
  });

  const passages = (page: Page) => page.getByRole('list', { name: 'Coded passages in text order' }).getByRole('listitem');
  const docButton = (page: Page, title: string) => page.getByRole('navigation', { name: 'Documents' }).getByRole('button', { name: new RegExp(title) });
  const highlighted = (page: Page, text: string) =>
    page.evaluate((t) => [...document.querySelectorAll('[aria-label="Article text"] .hl')].some((e) => e.textContent?.includes(t)), text);
  // Headless Chromium treats only the front tab as visible (timers and frames of the others are
  // throttled), so a test brings a tab to the front before acting in it, as a user would.
  async function show(page: Page, title: string): Promise<void> {
    await page.bringToFront();
    // Clicking the open document reads it again, which would scroll it back to the top later on.
    if ((await docButton(page, title).getAttribute('aria-current')) !== 'page') await docButton(page, title).click();
    await page.getByRole('textbox', { name: 'Article text' }).getByRole('heading', { level: 1, name: title }).waitFor();
  }
  async function codeWithKeyboard(page: Page, phrase: string, filter: string): Promise<void> {
    await page.bringToFront();
    await selectWithMouse(page, phrase);
    const picker = page.getByRole('dialog', { name: 'Code the selection' });
    await picker.waitFor();
    await page.keyboard.type(filter);
    await page.keyboard.press('Enter');
    await picker.waitFor({ state: 'detached' });
  }
  const undo = async (page: Page) => {
    await page.bringToFront();
    await page.keyboard.press('Control+z');
  };
  const debug = (name: string) =>
    onTestFailed(async () => {
      if (process.env['GLOSS_E2E_SHOTS'])
        for (const [n, p] of [['one', one], ['two', two]] as const) {
          await p?.screenshot({ path: `${process.env['GLOSS_E2E_SHOTS']}/${name}-${n}.png` });
          console.log('DEBUG', n, await p?.evaluate(() => ({ active: document.activeElement?.outerHTML.slice(0, 200), sel: document.getSelection()?.toString(), dialogs: [...document.querySelectorAll('[role=dialog],[role=alertdialog]')].map((d) => d.outerHTML.slice(0, 200)) })));
        }
    });

  it('shows a passage coded in one window in the other, without a reload: list, highlight and count', async () => {
    debug('t1');
    one = env.ui.page;
    second = await launchBrowser();
    two = second.page;
    await one.goto(env.app.url);
    await two.goto(env.app.url);
    await show(one, TITLE);
    await show(two, TITLE);
    await codeWithKeyboard(one, 'put to death', 'threats of exec');
    await expect.poll(() => passages(two).count(), { timeout: 1000 }).toBe(1);
    expect(await passages(two).first().innerText()).toContain('Threats of execution');
    await expect.poll(() => highlighted(two, 'put to death')).toBe(true);
    await expect.poll(() => docButton(two, TITLE).innerText()).toContain('1 coded passage');
  });

  it('keeps both codes when each window adds a different code to the same passage', async () => {
    debug('t2');
    const [a] = await passagesOf(env.app, DOC);
    for (const [page, filter] of [
      [one, 'surveil'],
      [two, 'interrog'],
    ] as const) {
      await page.bringToFront();
      await passages(page).first().getByRole('button').click();
      await page.getByRole('region', { name: 'Passage details' }).getByRole('button', { name: 'Add code…' }).click();
      const picker = page.getByRole('dialog', { name: 'Add a code' });
      await picker.waitFor();
      await page.keyboard.type(filter);
      await page.keyboard.press('Enter');
    }
    await expect.poll(async () => (await passagesOf(env.app, DOC)).find((p) => p.id === a!.id)?.codeIds.length).toBe(3);
    // Both windows show all three codes.
    for (const page of [one, two]) {
      for (const name of ['Threats of execution', 'Surveillance', 'Interrogation']) await expect.poll(() => passages(page).first().innerText()).toContain(name);
    }
  });

  it('refuses a memo save over a memo changed elsewhere meanwhile, shows both texts, and keeps the one chosen', async () => {
    debug('t3');
    const [a] = await passagesOf(env.app, DOC);
    const memo = two.getByRole('textbox', { name: 'Memo' });
    await memo.click();
    await two.keyboard.type('My reading: a direct threat.');
    // Before this window's autosave runs, another window saves its own memo for the passage.
    // (Through the API, so the order of the two saves is certain; a window's UI makes the same call.)
    await env.app.core.handlers['annotations.setMemo']({ documentId: DOC, id: a!.id, memo: 'Their reading: a report.', base: '' }, { client: 'another-window' });
    const dialog = two.getByRole('alertdialog', { name: 'The memo was changed in another window' });
    await dialog.waitFor();
    expect(await dialog.getByRole('textbox', { name: 'Your text' }).inputValue()).toBe('My reading: a direct threat.');
    expect(await dialog.getByRole('textbox', { name: 'The memo now' }).inputValue()).toBe('Their reading: a report.');
    // Nothing was overwritten.
    expect((await passagesOf(env.app, DOC))[0]!.memo).toBe('Their reading: a report.');
    await dialog.getByRole('button', { name: 'Keep my text' }).click();
    await expect.poll(async () => (await passagesOf(env.app, DOC))[0]!.memo).toBe('My reading: a direct threat.');
    // The other window shows the memo kept.
    await expect.poll(() => one.getByRole('textbox', { name: 'Memo' }).inputValue()).toBe('My reading: a direct threat.');
  });

  it('undoes this window’s own last action, not the other window’s', async () => {
    debug('t4');
    await show(one, TITLE);
    await show(two, TITLE);
    await codeWithKeyboard(one, 'exiled to remote areas', 'banish');
    await codeWithKeyboard(two, 'Average citizens', 'hostage');
    await expect.poll(() => passages(one).count()).toBe(3);
    await one.getByRole('textbox', { name: 'Article text' }).focus();
    await undo(one);
    await expect.poll(async () => (await passagesOf(env.app, DOC)).map((a) => a.quote.exact).sort()).toEqual(['Average citizens', 'put to death']);
    await expect.poll(() => passages(two).count()).toBe(2);
    expect(await two.getByRole('button', { name: /^Undo code passage/ }).count()).toBe(1);
  });

  it('keeps a window’s undo across a reload of that window', async () => {
    debug('t5');
    await two.bringToFront();
    await two.reload();
    await two.getByRole('button', { name: 'Undo code passage' }).waitFor();
    await two.getByRole('button', { name: 'Undo code passage' }).click();
    await expect.poll(async () => (await passagesOf(env.app, DOC)).map((a) => a.quote.exact)).toEqual(['put to death']);
  });

  it('says what changed instead of undoing over a change made in the other window', async () => {
    debug('t6');
    await show(one, TITLE);
    await codeWithKeyboard(one, 'will be executed', 'threats of exec');
    await expect.poll(async () => (await passagesOf(env.app, DOC)).some((a) => a.quote.exact === 'will be executed')).toBe(true);
    await one.getByRole('button', { name: 'Undo code passage' }).waitFor();
    const made = (await passagesOf(env.app, DOC)).find((a) => a.quote.exact === 'will be executed')!;
    await env.app.core.handlers['annotations.addCodes']({ documentId: DOC, id: made.id, codeIds: ['source-reliability.state-media'] }, { client: 'another-window' });
    await one.getByRole('textbox', { name: 'Article text' }).focus();
    await undo(one);
    await expect.poll(() => one.getByRole('alert').innerText()).toMatch(/changed elsewhere since \(code “Source reliability › State media” added\)/);
    expect((await passagesOf(env.app, DOC)).some((a) => a.id === made.id)).toBe(true);
  });

  it('opens the document of an action undone from another document, and shows the passage there', async () => {
    debug('t7');
    await show(one, TITLE);
    const [first] = await passagesOf(env.app, DOC);
    await passages(one).first().getByRole('button').click();
    await one.getByRole('region', { name: 'Passage details' }).getByRole('button', { name: 'Delete passage' }).click();
    await expect.poll(async () => (await passagesOf(env.app, DOC)).some((a) => a.id === first!.id)).toBe(false);
    await show(one, OTHER_TITLE);
    await one.getByRole('textbox', { name: 'Article text' }).focus();
    await undo(one);
    await one.getByRole('textbox', { name: 'Article text' }).getByRole('heading', { level: 1, name: TITLE }).waitFor();
    await expect.poll(async () => (await passagesOf(env.app, DOC)).some((a) => a.id === first!.id)).toBe(true);
    await expect.poll(() => one.getByRole('region', { name: 'Passage details' }).innerText()).toContain(first!.quote.exact);
  });

  it('goes on to undo coding actions from an empty or unchanged memo field', async () => {
    debug('t8');
    await show(one, TITLE);
    await codeWithKeyboard(one, 'Border guards', 'bribery');
    const memo = one.getByRole('textbox', { name: 'Memo' });
    await memo.click();
    expect(await memo.inputValue()).toBe('');
    await undo(one);
    await expect.poll(async () => (await passagesOf(env.app, DOC)).some((a) => a.quote.exact === 'Border guards')).toBe(false);
  });

  it('follows the other window within a second even when changes come in quick succession', async () => {
    debug('t9');
    await show(one, TITLE);
    await show(two, TITLE);
    const before = await passages(two).count();
    for (const phrase of ['Radio Free Asia', 'Diamond Mountain', 'Mount Kumgang']) await codePhrase(env.app, DOC, phrase, ['economic-change']).catch(() => undefined);
    const expected = (await passagesOf(env.app, DOC)).length;
    expect(expected).toBeGreaterThan(before);
    await expect.poll(() => passages(two).count(), { timeout: 1000 }).toBe(expected);
    expect(testClient.client).toBe('test');
  });
});
