import { describe, expect, it, onTestFailed } from 'vitest';
import { passagesOf, skipBrowserTests, testClient, useAppAndBrowser } from './harness';
import { selectWithMouse } from './ui';

// The code picker with a codebook far longer than its list: it draws only the options in view,
// yet the keyboard reaches every code the filter matches, and the list says how many there are.

const DOC = 'dilemma-of-leaving-family';
const PHRASE = '“North Korean defector”';
const MANY = 300;
const nameOf = (i: number): string => `Variant ${String(i).padStart(3, '0')}`;

describe.skipIf(skipBrowserTests)('the code picker with many codes', () => {
  const env = useAppAndBrowser();

  it('offers every matching code through the keyboard, though it draws only those in view', async () => {
    const ids: string[] = [];
    for (let i = 1; i <= MANY; i++) {
      const made = await env.app.core.handlers['codes.create']({ name: nameOf(i), parentId: null }, testClient);
      ids.push(made.codeId!);
    }
    const page = env.ui.page;
    const list = page.locator('#picker-codes');
    onTestFailed(async () => console.log('on failure:', env.ui.consoleErrors, await list.ariaSnapshot()));
    await page.goto(env.app.url);
    await page.getByRole('textbox', { name: 'Article text' }).getByRole('heading', { level: 1 }).waitFor();
    await selectWithMouse(page, PHRASE);
    const picker = page.getByRole('dialog', { name: 'Code the selection' });
    const filter = picker.getByRole('combobox', { name: 'Filter codes' });
    await expect.poll(() => filter.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('variant');

    // All 300 codes, then the offer to create “variant”: each option drawn says it is one of 301.
    const options = picker.getByRole('option');
    await expect.poll(() => options.first().getAttribute('aria-setsize')).toBe(String(MANY + 1));
    const drawn = await options.evaluateAll((els) => els.map((el) => [el.getAttribute('aria-setsize'), el.getAttribute('aria-posinset')]));
    expect(drawn.length).toBeLessThan(60);
    expect(drawn.every(([size]) => size === String(MANY + 1))).toBe(true);
    expect(drawn[0]).toEqual([String(MANY + 1), '1']);

    // Down past the rows on screen to the last code: it is drawn, named by the filter, and in view.
    for (let i = 1; i < MANY; i++) await page.keyboard.press('ArrowDown');
    const activeId = `picker-code-${ids[MANY - 1]}`;
    await expect.poll(() => filter.getAttribute('aria-activedescendant')).toBe(activeId);
    const active = page.locator(`[id="${activeId}"]`);
    expect(await active.getAttribute('aria-selected')).toBe('true');
    expect(await active.getAttribute('aria-posinset')).toBe(String(MANY));
    expect(await active.innerText()).toContain(nameOf(MANY));
    await expect
      .poll(() =>
        active.evaluate((el) => {
          const row = el.getBoundingClientRect();
          const box = el.closest('.picker-list')!.getBoundingClientRect();
          return row.top >= box.top - 1 && row.bottom <= box.bottom + 1;
        }),
      )
      .toBe(true);
    // One more is the Create option, the last; there it stops.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => filter.getAttribute('aria-activedescendant')).toBe('picker-create');
    expect(await page.locator('#picker-create').getAttribute('aria-posinset')).toBe(String(MANY + 1));
    await page.keyboard.press('ArrowUp');

    // Enter applies the last code to the selection.
    await expect.poll(() => filter.getAttribute('aria-activedescendant')).toBe(activeId);
    await page.keyboard.press('Enter');
    await picker.waitFor({ state: 'detached' });
    await expect.poll(async () => (await passagesOf(env.app, DOC)).map((p) => [p.quote.exact, p.codeIds])).toEqual([[PHRASE, [ids[MANY - 1]]]]);
    expect(env.ui.consoleErrors).toEqual([]);
  });
});
