import { describe, expect, it } from 'vitest';
import { codePhrase, skipBrowserTests, useAppAndBrowser } from './harness';
import { pointAt, selectionText, selectWithMouse } from './ui';

// Reading with the keyboard as a user does: ] and [ from one coded passage to the next and back,
// } and { among those sharing a code, Escape closing the details back to the text; a double click
// selecting a word to copy without the picker; reduced motion without the flash.

const DOC = 'dilemma-of-leaving-family';
const TITLE = 'The dilemma of leaving my family behind in North Korea';

describe.skipIf(skipBrowserTests)('keyboard reading', () => {
  const env = useAppAndBrowser();
  const details = () => env.ui.page.getByRole('region', { name: 'Passage details' });
  const quote = () => details().locator('blockquote').textContent();

  it('goes from passage to passage with ] and [, among one code’s with } and {, and Escape returns to the text', async () => {
    const { page } = env.ui;
    await codePhrase(env.app, DOC, 'Ask a North Korean', ['repression-tactic.surveillance']);
    await codePhrase(env.app, DOC, 'the family you left behind', ['economic-change.remittances']);
    await codePhrase(env.app, DOC, 'under heavy surveillance in the North', ['repression-tactic.surveillance']);
    await page.goto(env.app.url);
    await page.getByRole('textbox', { name: 'Article text' }).getByRole('heading', { level: 1, name: TITLE }).waitFor();
    // The caret at the article's start (its title).
    await page.getByRole('textbox', { name: 'Article text' }).focus();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press(']');
    await expect.poll(quote).toBe('Ask a North Korean');
    await page.keyboard.press(']');
    await expect.poll(quote).toBe('the family you left behind');
    await page.keyboard.press('[');
    await expect.poll(quote).toBe('Ask a North Korean');
    // The next passage sharing a code skips the one of another code.
    await page.keyboard.press('}');
    await expect.poll(quote).toBe('under heavy surveillance in the North');
    await page.keyboard.press('{');
    await expect.poll(quote).toBe('Ask a North Korean');
    await page.keyboard.press('[');
    await page.getByRole('status').filter({ hasText: 'No coded passage before this point.' }).waitFor();

    // The focus never left the text; Escape closes the details and keeps it there.
    expect(await page.evaluate(() => document.activeElement?.closest('.article') !== null)).toBe(true);
    await page.keyboard.press('Escape');
    await details().waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.closest('.article') !== null)).toBe(true);
    // From inside the details too.
    await page.keyboard.press(']');
    await details().waitFor();
    await details().getByRole('button', { name: 'Add code…' }).focus();
    await page.keyboard.press('Escape');
    await details().waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.closest('.article') !== null)).toBe(true);
  });

  it('selects a word with a double click, to copy, without opening the picker; a drag still opens it', async () => {
    const { page } = env.ui;
    const at = await pointAt(page, 'Pyongyang');
    await page.mouse.dblclick(at.x, at.y);
    await expect.poll(() => selectionText(page)).toBe('Pyongyang');
    // Nothing is to appear: waited for as long as a picker takes to open on a loaded machine.
    await page.waitForTimeout(800);
    expect(await page.getByRole('dialog', { name: 'Code the selection' }).count()).toBe(0);
    // (Not over the word selected: pressing on a selection drags it.)
    await selectWithMouse(page, 'A few years ago I managed');
    await page.getByRole('dialog', { name: 'Code the selection' }).waitFor();
    await page.keyboard.press('Escape');
  });

  it('does not flash a passage shown when reduced motion is asked for', async () => {
    const { page } = env.ui;
    // The flash is a class on the passage's highlight (highlights.ts): what the page's styles do with it.
    const animation = () =>
      page.evaluate(() => {
        const probe = document.createElement('span');
        probe.className = 'hl hl-flash';
        document.querySelector('.article')!.append(probe);
        const name = getComputedStyle(probe).animationName;
        probe.remove();
        return name;
      });
    await page.emulateMedia({ reducedMotion: 'reduce' });
    try {
      expect(await animation()).toBe('none');
      await page.emulateMedia({ reducedMotion: 'no-preference' });
      expect(await animation()).toBe('flash');
    } finally {
      await page.emulateMedia({ reducedMotion: null });
    }
  });
});
