import { describe, expect, it } from 'vitest';
import { passagesOf, skipBrowserTests, useAppAndBrowser } from './harness';
import { selectionText } from './ui';

// Searching the texts of the whole project as a user does: matches in context grouped by
// document, a match opening its article with the words selected, autocoding the matches left
// ticked in one undo step, and a malformed regular expression refused with a message.

const DOCS = ['dilemma-of-leaving-family', 'officials-bankroll-flight-risk-relatives', 'secret-police-pressure-on-families'];
const CAMPS = 'repression-tactic.prison-camps-collective-punishment';

describe.skipIf(skipBrowserTests)('searching the texts', () => {
  const env = useAppAndBrowser();
  const view = () => env.ui.page.getByRole('region', { name: 'Search the texts' });
  const status = () => view().locator('#text-search-status');
  const field = () => view().getByRole('searchbox', { name: 'Search for' });
  const matches = () => view().getByRole('list', { name: 'Matches, by document' }).getByRole('listitem');
  const coded = async (): Promise<string[]> => (await Promise.all(DOCS.map((d) => passagesOf(env.app, d)))).flat().filter((p) => p.codeIds.includes(CAMPS)).map((p) => `${p.documentId}:${p.quote.exact}`);

  it('lists every match with its words around it, by document', async () => {
    const { page } = env.ui;
    await page.goto(env.app.url);
    await page.getByRole('textbox', { name: 'Article text' }).getByRole('heading', { level: 1 }).waitFor();
    await page.keyboard.press('Control+Shift+F');
    expect(await page.getByRole('tab', { name: 'Search texts' }).getAttribute('aria-selected')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('text-search');
    await page.keyboard.type('labor camp');
    await expect.poll(() => status().textContent()).toBe('4 matches in 3 documents');
    // Three document headings and four matches.
    expect(await matches().getByRole('heading', { level: 3 }).count()).toBe(3);
    const hits = matches().locator('mark');
    expect(await hits.count()).toBe(4);
    expect((await hits.allTextContents()).map((t) => t.toLowerCase())).toEqual(['labor camp', 'labor camp', 'labor camp', 'labor camp']);
  });

  it('codes the matches left ticked with one code, in one undo step', async () => {
    const { page } = env.ui;
    const bar = view().getByRole('group', { name: 'Code the matches' });
    // Leave out every match of one document, by its heading's box.
    await view().getByRole('checkbox', { name: /^Code the matches in “North Korean Officials/ }).uncheck();
    expect(await bar.textContent()).toContain('2 of 4 matches ticked');
    await bar.getByRole('combobox', { name: 'Code them with' }).selectOption({ label: 'Repression tactic › Prison camps and collective punishment' });
    await bar.getByRole('button', { name: 'Code 2 matches' }).click();
    await expect.poll(async () => (await coded()).sort()).toEqual([`${DOCS[0]}:labor camp`, `${DOCS[2]}:labor camp`].sort());
    await expect.poll(() => page.getByText(/^Coded 2 matches of “labor camp”\. Undo takes it back\./).count()).toBe(1);
    await page.getByRole('button', { name: /^Undo code 2 matches/ }).click();
    await expect.poll(coded).toEqual([]);
  });

  it('opens a match in its article with its words selected, ready to code', async () => {
    const { page } = env.ui;
    await matches().getByRole('button').filter({ hasText: /labor camp/i }).nth(1).click();
    await expect.poll(() => view().isVisible()).toBe(false);
    await page.getByRole('textbox', { name: 'Article text' }).getByRole('heading', { level: 1, name: /Officials, Businessmen Bankroll/ }).waitFor();
    await expect.poll(() => selectionText(page)).toMatch(/^labor camp$/i);
  });

  it('says what is wrong with a malformed regular expression', async () => {
    const { page } = env.ui;
    await page.getByRole('tab', { name: 'Search texts' }).click();
    await view().getByRole('button', { name: 'Regular expression' }).click();
    await field().fill('(labor');
    await page.keyboard.press('Enter');
    await expect.poll(() => status().textContent()).toMatch(/^This search cannot be run: .*regular expression/);
    expect(await field().getAttribute('aria-invalid')).toBe('true');
    expect(await matches().count()).toBe(0);
    await field().fill('labou?r camps?');
    await page.keyboard.press('Enter');
    await expect.poll(() => status().textContent()).toMatch(/^\d+ match(es)? in \d documents?$/);
  });
});
