import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { passagesOf, skipBrowserTests, testClient, useAppAndBrowser } from './harness';
import { selectWithMouse } from './ui';

const TITLE = 'Pyongyang Moves to Identify Defectors';
const PHRASE = 'the government is interrogating families';
const DOC = 'pyongyang-moves-to-identify-defectors';
const MEMO = 'Key claim, from a resident: "interrogating", not "punishing".';

describe.skipIf(skipBrowserTests)('coding a passage in browser mode', () => {
  const env = useAppAndBrowser();

  const passages = () => env.ui.page.getByRole('list', { name: 'Coded passages in text order' }).getByRole('listitem');
  const memo = () => env.ui.page.getByRole('textbox', { name: 'Memo' });
  const stored = () => passagesOf(env.app, DOC);

  it('opens an article from the documents list, read-only and structured', async () => {
    const { page } = env.ui;
    await page.goto(env.app.url);
    const docs = page.getByRole('navigation', { name: 'Documents' });
    await expect.poll(() => docs.getByRole('list', { name: 'Documents' }).getByRole('button').count()).toBe(5);
    await docs.getByRole('button', { name: new RegExp(TITLE) }).click();
    const article = page.getByRole('textbox', { name: 'Article text' });
    await article.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    expect(await article.getAttribute('aria-readonly')).toBe('true');
    // The token has left the address bar.
    expect(page.url()).not.toMatch(/token=/);
    // Typing into the article changes nothing.
    // textContent, not innerText: content-visibility skips off-screen blocks in innerText.
    const before = await article.textContent();
    await article.click();
    await page.keyboard.type('zzz');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Enter');
    expect(await article.textContent()).toBe(before);
  });

  it('codes a mouse selection from the keyboard, and adds a memo', async () => {
    const { page } = env.ui;
    await selectWithMouse(page, PHRASE);
    const picker = page.getByRole('dialog', { name: 'Code the selection' });
    await picker.waitFor();
    const filter = picker.getByRole('combobox', { name: 'Filter codes' });
    await expect.poll(() => filter.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('interrog');
    // The one matching code, and the offer to create a code of that name.
    await expect.poll(() => picker.getByRole('option').filter({ hasNotText: 'Create code' }).count()).toBe(1);
    await page.keyboard.press('Enter');
    await picker.waitFor({ state: 'detached' });
    await expect.poll(() => passages().count()).toBe(1);
    expect(await passages().first().innerText()).toContain(PHRASE);
    expect(await passages().first().innerText()).toContain('Repression tactic › Interrogation');
    const details = page.getByRole('region', { name: 'Passage details' });
    expect(await details.innerText()).toContain(PHRASE);
    await memo().click();
    await page.keyboard.type(MEMO);
    await page.keyboard.press('Tab');
    await expect.poll(async () => (await stored())[0]?.memo).toBe(MEMO);
    expect(await page.getByRole('navigation', { name: 'Documents' }).getByRole('button', { name: new RegExp(TITLE) }).innerText()).toContain('1 coded passage');
  });

  it('undoes and redoes the memo and the coding', async () => {
    const { page } = env.ui;
    const mod = process.platform === 'darwin' ? 'Meta' : 'Control';
    await page.getByRole('textbox', { name: 'Article text' }).focus();
    await page.keyboard.press(`${mod}+z`);
    await expect.poll(() => memo().inputValue()).toBe('');
    await page.keyboard.press(`${mod}+z`);
    await expect.poll(() => passages().count()).toBe(0);
    await page.keyboard.press(`${mod}+Shift+z`);
    await expect.poll(() => passages().count()).toBe(1);
    await page.getByRole('button', { name: /^Redo edit memo$/ }).click();
    await expect.poll(() => memo().inputValue()).toBe(MEMO);
    expect((await stored()).map((a) => [a.quote.exact, a.memo])).toEqual([[PHRASE, MEMO]]);
  });

  it('finds the passage again after a reload', async () => {
    const { page } = env.ui;
    await page.reload();
    await page.getByRole('navigation', { name: 'Documents' }).getByRole('button', { name: new RegExp(TITLE) }).click();
    await expect.poll(() => passages().count()).toBe(1);
    await passages().first().getByRole('button').click();
    expect(await memo().inputValue()).toBe(MEMO);
    // The highlight is drawn over exactly the passage.
    const highlighted = (): Promise<string> => page.evaluate(() => [...document.querySelectorAll('[aria-label="Article text"] .hl')].map((e) => e.textContent).join(''));
    await expect.poll(highlighted).toBe(PHRASE);
  });

  it('keeps memo text typed just before a reload', async () => {
    const { page } = env.ui;
    await memo().click();
    await page.keyboard.press('End');
    await page.keyboard.type(' Reload now.');
    await page.reload();
    await expect.poll(async () => (await stored())[0]?.memo).toBe(`${MEMO} Reload now.`);
    // Put it back for the export below.
    const [typed] = await stored();
    await env.app.core.handlers['annotations.setMemo']({ documentId: DOC, id: typed!.id, memo: MEMO, base: typed!.memo }, testClient);
    await page.reload();
    await page.getByRole('navigation', { name: 'Documents' }).getByRole('button', { name: new RegExp(TITLE) }).click();
    await expect.poll(() => passages().count()).toBe(1);
  });

  it('exports a CSV holding exactly that passage', async () => {
    const { page } = env.ui;
    await page.getByRole('button', { name: 'Export CSV…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export coded passages (CSV)' });
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Export' }).click()]);
    const file = await download.path();
    const rows = parse(await readFile(file!), { columns: true, bom: true }) as Record<string, string>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      document_id: 'pyongyang-moves-to-identify-defectors',
      document_title: TITLE,
      code_id: 'repression-tactic.interrogation',
      code_path: 'Repression tactic > Interrogation',
      quote: PHRASE,
      memo: MEMO,
      coder: 'E2E Coder',
    });
    expect(env.ui.consoleErrors).toEqual([]);
  });
});
