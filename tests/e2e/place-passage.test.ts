import { describe, expect, it, onTestFailed } from 'vitest';
import type { Page } from 'playwright-core';
import { plainText } from '../../shared/plain-text';
import { passagesOf, skipBrowserTests, testClient, useAppAndBrowser } from './harness';
import { selectWithMouse } from './ui';

// A passage left unplaced by a new version of the text, placed by hand on the words the user
// selects in the article: it leaves the unplaced list with its codes, its highlight covers
// exactly those words, and Undo and Redo take it off and put it back.

const DOC = 'dilemma-of-leaving-family';
const OLD_WORDS = 'My friends were subject to days of torture and interrogation.';
const NEW_SENTENCE = 'My friends endured long days of questioning and beatings.';
const NEW_WORDS = 'long days of questioning and beatings';
/** Within NEW_WORDS (one text node of the article, as the mouse helper needs). */
const NARROWER = 'days of questioning';

describe.skipIf(skipBrowserTests)('placing an unplaced passage on selected text', () => {
  const env = useAppAndBrowser();

  const panel = (page: Page) => page.getByRole('complementary', { name: 'Coded passages panel' });
  const details = (page: Page) => page.getByRole('region', { name: 'Passage details' });
  const placeButton = (page: Page) => details(page).getByRole('button', { name: 'Place on selected text' });
  const orphanRows = (page: Page) => page.getByRole('heading', { name: /^Could not be placed in the text/ }).locator('xpath=following-sibling::ol[1]').getByRole('listitem');
  const placedRows = (page: Page) => page.getByRole('list', { name: 'Coded passages in text order' }).getByRole('listitem');
  /** The words drawn as passage `id`'s highlight. */
  const highlighted = (page: Page, id: string) =>
    page.evaluate((pid) => [...document.querySelectorAll(`[aria-label="Article text"] .hl[data-passages~="${pid}"]`)].map((e) => e.textContent).join(''), id);
  const stored = async (id: string) => (await passagesOf(env.app, DOC)).find((a) => a.id === id)!;

  it('codes a passage, keeps it unplaced in the review, places it on new words from the keyboard, and undoes and redoes that', async () => {
    const { page } = env.ui;
    onTestFailed(async () => console.log('on failure:', env.ui.consoleErrors, await panel(page).ariaSnapshot().catch(() => 'no panel')));
    await page.goto(env.app.url);
    await page.getByRole('textbox', { name: 'Article text' }).getByText(OLD_WORDS).waitFor();

    // Code the passage in the article: select it, then the first code's key in the picker.
    await selectWithMouse(page, OLD_WORDS);
    const picker = page.getByRole('dialog', { name: 'Code the selection' });
    await picker.waitFor();
    await page.keyboard.press('1');
    await expect.poll(async () => (await passagesOf(env.app, DOC)).map((a) => a.quote.exact)).toEqual([OLD_WORDS]);
    const passage = (await passagesOf(env.app, DOC))[0]!;
    const codeName = (await env.app.core.handlers['codebook.get']({}, testClient)).codes.find((c) => c.id === passage.codeIds[0])!.name;

    // A new version whose sentence was rewritten; the review keeps the passage unplaced.
    const old = plainText((await env.app.core.handlers['documents.get']({ documentId: DOC }, testClient)).blocks);
    const next = old.replace(OLD_WORDS, NEW_SENTENCE);
    await page.getByRole('main', { name: 'Article' }).getByRole('button', { name: 'New version of the text…' }).click();
    const dialog = page.getByRole('dialog', { name: 'New version of the text' });
    await dialog.getByLabel('Choose a file').setInputFiles({ name: 'dilemma-v2.txt', mimeType: 'text/plain', buffer: Buffer.from(next) });
    // Its first and last words survive, so it is a changed passage, offered its new place.
    await dialog.getByText(/\d+ unchanged, \d+ moved, 1 changed, 0 orphaned/).waitFor();
    // Unplaced is not the end: the review says how to place it afterwards.
    await dialog.getByText(/choose Place on selected text in the passage list/).waitFor();
    const keep = dialog.getByRole('radio', { name: 'Keep it unplaced' });
    expect(await keep.getAttribute('aria-describedby')).toBe('replace-unplaced-note');
    await keep.check();
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('textbox', { name: 'Article text' }).getByText(NEW_SENTENCE).waitFor();
    await expect.poll(() => orphanRows(page).count()).toBe(1);
    expect((await stored(passage.id)).anchor.status).toBe('orphan');
    expect(await placedRows(page).count()).toBe(0);

    // The orphan, chosen, shows its old words, its codes and what to do.
    await orphanRows(page).getByRole('button').click();
    await details(page).getByText('Select its words in the article, then choose Place on selected text.').waitFor();
    expect(await details(page).locator('blockquote').textContent()).toBe(OLD_WORDS);
    expect(await details(page).getByText(codeName).count()).toBeGreaterThan(0);
    // With nothing selected, the button says what to do first (a live status), and places nothing.
    await placeButton(page).click();
    await expect.poll(() => details(page).getByRole('status').filter({ hasText: /./ }).last().textContent()).toBe('Select its words in the article first.');
    expect((await stored(passage.id)).anchor.status).toBe('orphan');

    // Select the new words; Escape leaves the code picker (the words stay selected and the article
    // focused); Tab goes past the details' Close button to Place on selected text.
    await selectWithMouse(page, NEW_WORDS);
    await picker.waitFor();
    await page.keyboard.press('Escape');
    await picker.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Article text');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Place on selected text');
    await page.keyboard.press('Enter');

    await expect.poll(() => highlighted(page, passage.id)).toBe(NEW_WORDS);
    await expect.poll(() => orphanRows(page).count()).toBe(0);
    // The list's rows follow a frame after the highlight.
    await expect.poll(() => placedRows(page).count()).toBe(1);
    expect(await placedRows(page).textContent()).toContain(NEW_WORDS);
    expect(await placedRows(page).getByRole('button').getAttribute('aria-current')).toBe('true');
    await details(page).getByText(`Placed on “${NEW_WORDS}”.`).waitFor();
    expect(await stored(passage.id)).toMatchObject({ quote: { exact: NEW_WORDS }, codeIds: passage.codeIds, anchor: { status: 'exact' } });
    await expect.poll(() => page.getByRole('toolbar', { name: 'Actions' }).getByRole('button', { name: /^Undo/ }).textContent()).toBe('Undo place passage');

    // Undo makes it unplaced again; Redo places it again.
    await page.keyboard.press('Control+z');
    await expect.poll(() => orphanRows(page).count()).toBe(1);
    await expect.poll(() => highlighted(page, passage.id)).toBe('');
    await expect.poll(() => placedRows(page).count()).toBe(0);
    expect(await stored(passage.id)).toMatchObject({ quote: { exact: OLD_WORDS }, anchor: { status: 'orphan' } });
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => highlighted(page, passage.id)).toBe(NEW_WORDS);
    await expect.poll(() => orphanRows(page).count()).toBe(0);
    expect((await stored(passage.id)).quote.exact).toBe(NEW_WORDS);
    expect(env.ui.consoleErrors).toEqual([]);
  });

  it('moves the edges of a placed passage on words selected with the mouse, with the code picker still open', async () => {
    const { page } = env.ui;
    const id = (await passagesOf(env.app, DOC))[0]!.id;
    await expect.poll(() => details(page).getByRole('button', { name: 'Place on selected text' }).count()).toBe(1);
    await details(page).getByText('To change its words, select them in the article, then choose Place on selected text.').waitFor();
    await selectWithMouse(page, NARROWER);
    await page.getByRole('dialog', { name: 'Code the selection' }).waitFor();
    await placeButton(page).click();
    await expect.poll(() => highlighted(page, id)).toBe(NARROWER);
    expect((await stored(id)).quote.exact).toBe(NARROWER);
    await expect.poll(() => placedRows(page).textContent()).toContain(NARROWER);
    expect(await placedRows(page).count()).toBe(1);
    expect(env.ui.consoleErrors).toEqual([]);
  });
});
