import { describe, expect, it, onTestFailed } from 'vitest';
import type { Page } from 'playwright-core';
import { passagesOf, skipBrowserTests, useAppAndBrowser } from './harness';
import { selectWithMouse } from './ui';

// Copying a coded passage as a quotation with its citation, as a user does it: code words of an
// article, choose a citation style in the passage's details, Copy quotation; what lands on the
// clipboard (plain text and HTML), what the window says, the style kept, and the key.

const DOC = 'pyongyang-moves-to-identify-defectors';
const TITLE = 'Pyongyang Moves to Identify Defectors';
const PHRASE = 'the government is interrogating families';

/** Per style: its name in the list, the in-text citation with the paragraph, and a piece of its reference. */
const STYLES = [
  { label: 'APA 7', inText: '(Kim & Ponnudurai, n.d., para. 5)', reference: 'Kim, J.-H., & Ponnudurai, P. (n.d.).' },
  { label: 'Chicago author-date', inText: '(Kim and Ponnudurai, n.d., para. 5)', reference: 'Kim, Joon-Ho, and Parameswaran Ponnudurai. n.d.' },
  { label: 'MLA 9', inText: '(Kim and Ponnudurai, par. 5)', reference: 'Kim, Joon-Ho, and Parameswaran Ponnudurai.' },
] as const;

/** What the clipboard holds now: its types, its plain text and its HTML (null when it has none). */
function readClipboard(page: Page): Promise<{ types: string[]; text: string; html: string | null }> {
  return page.evaluate(async () => {
    const [item] = await navigator.clipboard.read();
    if (!item) return { types: [], text: '', html: null };
    const text = item.types.includes('text/plain') ? await (await item.getType('text/plain')).text() : '';
    const html = item.types.includes('text/html') ? await (await item.getType('text/html')).text() : null;
    return { types: [...item.types], text, html };
  });
}

describe.skipIf(skipBrowserTests)('copying a passage as a quotation', () => {
  const env = useAppAndBrowser();
  const details = (page: Page) => page.getByRole('region', { name: 'Passage details' });
  const styleSelect = (page: Page) => details(page).getByRole('combobox', { name: 'Citation style' });
  const copyButton = (page: Page) => details(page).getByRole('button', { name: 'Copy quotation' });
  const said = (page: Page, text: string) => page.getByRole('status').filter({ hasText: text });
  /** Puts something else on the clipboard, so that each copy is seen to land. */
  const clearClipboard = (page: Page) => page.evaluate(() => navigator.clipboard.writeText('(nothing copied yet)'));

  async function open(page: Page): Promise<void> {
    await page.goto(env.app.url);
    await page.getByRole('navigation', { name: 'Documents' }).getByRole('button', { name: new RegExp(TITLE) }).click();
    await page.getByRole('textbox', { name: 'Article text' }).getByRole('heading', { level: 1, name: TITLE }).waitFor();
  }

  it('copies the passage with its citation in each style, as plain text and HTML, and says so', async () => {
    const { page, context } = env.ui;
    onTestFailed(async () => console.log('on failure:', env.ui.consoleErrors, await page.locator('body').ariaSnapshot()));
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(env.app.url).origin });
    await open(page);

    // Code the words: the new passage's details open.
    await selectWithMouse(page, PHRASE);
    await page.getByRole('dialog', { name: 'Code the selection' }).waitFor();
    await page.keyboard.press('1');
    await expect.poll(async () => (await passagesOf(env.app, DOC)).map((a) => a.quote.exact)).toEqual([PHRASE]);
    await details(page).waitFor();
    expect(await styleSelect(page).inputValue()).toBe('apa');

    for (const style of STYLES) {
      await styleSelect(page).selectOption({ label: style.label });
      await clearClipboard(page);
      await copyButton(page).click();
      await said(page, `Copied with citation ${style.inText}.`).waitFor();
      const copied = await readClipboard(page);
      expect(copied.types).toEqual(expect.arrayContaining(['text/plain', 'text/html']));
      // A short quotation: in quotation marks, the citation after it, a blank line, the reference.
      expect(copied.text, style.label).toContain(`“${PHRASE}” ${style.inText}.`);
      expect(copied.text, style.label).toContain(`\n\n${style.reference}`);
      expect(copied.html, style.label).toMatch(new RegExp(`<p>“${PHRASE}” \\(.*para?\\. 5\\)\\.</p>`));
      expect(copied.html, style.label).toContain(TITLE);
      // The reference keeps its italics (the publication, here).
      expect(copied.html, style.label).toContain('<i>RFA</i>');
    }
    expect(env.ui.consoleErrors).toEqual([]);
  });

  it('keeps the chosen style on this computer, and copies from the keyboard', async () => {
    const { page } = env.ui;
    await open(page);
    const row = page.getByRole('list', { name: 'Coded passages in text order' }).getByRole('button', { name: new RegExp(PHRASE) });
    await row.click();
    // The last style chosen (MLA 9) is this project's from now on.
    expect(await styleSelect(page).inputValue()).toBe('mla');

    // Every control is reached with Tab: the button, then its style.
    await copyButton(page).focus();
    await page.keyboard.press('Tab');
    expect(await styleSelect(page).evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Shift+Tab');
    await clearClipboard(page);
    await page.keyboard.press('Enter');
    await said(page, 'Copied with citation (Kim and Ponnudurai, par. 5).').waitFor();
    expect((await readClipboard(page)).text).toContain(`“${PHRASE}” (Kim and Ponnudurai, par. 5).`);

    // Alt+Shift+C on the passage's row in the list, and anywhere in its details but a text field.
    await styleSelect(page).selectOption({ label: 'APA 7' });
    await clearClipboard(page);
    await row.focus();
    await page.keyboard.press('Alt+Shift+KeyC');
    await said(page, 'Copied with citation (Kim & Ponnudurai, n.d., para. 5).').waitFor();
    expect((await readClipboard(page)).text).toContain(`“${PHRASE}” (Kim & Ponnudurai, n.d., para. 5).`);

    await clearClipboard(page);
    await details(page).getByRole('heading', { name: 'Passage details' }).focus();
    await page.keyboard.press('Alt+Shift+KeyC');
    await expect.poll(async () => (await readClipboard(page)).text).toContain(`“${PHRASE}” (Kim & Ponnudurai, n.d., para. 5).`);

    await clearClipboard(page);
    await details(page).getByRole('textbox', { name: 'Memo' }).focus();
    await page.keyboard.press('Alt+Shift+KeyC');
    await page.waitForTimeout(300);
    expect((await readClipboard(page)).text).toBe('(nothing copied yet)');
    expect(env.ui.consoleErrors).toEqual([]);
  });
});
