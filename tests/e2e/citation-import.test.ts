import { describe, expect, it, onTestFailed } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { audit } from './axe';
import { codePhrase, skipBrowserTests, testClient, useAppAndBrowser } from './harness';

// A document's citation imported from a bibliography file in its properties dialog, as a user
// does it: a Zotero BibTeX export of two entries, one chosen, its fields previewed and applied
// in one undo step; quotations of the document are then cited from it. A file that cannot be
// read is refused in the dialog with nothing changed.

const DOC = 'pyongyang-moves-to-identify-defectors';
const TITLE = 'Pyongyang Moves to Identify Defectors';
const PHRASE = 'the government is interrogating families';

const LIBRARY = `@article{kim_families_2023,
	title = {Families left behind: {North} {Korean} defectors and guilt by association},
	journal = {Journal of Korean Studies},
	author = {Kim, Jiyoung and Lee, Chul and Park, Min-ji},
	year = {2023},
}

@incollection{lee_politics_2019,
	address = {London},
	title = {The politics of memory},
	booktitle = {Divided families in {Korea}},
	publisher = {Routledge},
	author = {Lee, Chul},
	editor = {Smith, Jane A. and Doe, John},
	year = {2019},
	pages = {45--67},
}
`;
const CHAPTER_REFERENCE = 'Lee, C. (2019). The politics of memory. In J. A. Smith & J. Doe (Eds.), Divided families in Korea (pp. 45–67). Routledge.';

describe.skipIf(skipBrowserTests)('importing a citation', () => {
  const env = useAppAndBrowser();
  const dialogOf = (page: Page) => page.getByRole('dialog', { name: 'Document properties' });
  const propertiesButton = (page: Page) => page.getByRole('main', { name: 'Article' }).getByRole('button', { name: 'Document properties…' });
  const summary = async () => (await env.app.core.handlers['documents.list']({}, testClient)).find((d) => d.id === DOC)!;
  const focused = (locator: Locator) => locator.evaluate((el) => el === document.activeElement);

  async function openDialog(page: Page): Promise<Locator> {
    await propertiesButton(page).click();
    const dialog = dialogOf(page);
    await dialog.waitFor();
    return dialog;
  }

  /** Chooses a file through the dialog's "Import citation…" button, as the user's file chooser would. */
  async function importFile(page: Page, dialog: Locator, name: string, content: string): Promise<void> {
    const chooser = page.waitForEvent('filechooser');
    await dialog.getByRole('button', { name: 'Import citation…' }).click();
    await (await chooser).setFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(content) });
  }

  it('imports a BibTeX file of two entries: the user chooses one, sees what it fills, applies it in one step, and quotations cite it', async () => {
    const { page, context } = env.ui;
    onTestFailed(async () => console.log('on failure:', env.ui.consoleErrors, await dialogOf(page).ariaSnapshot().catch(() => 'no dialog')));
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(env.app.url).origin });
    const [code] = (await env.app.core.handlers['codebook.get']({}, testClient)).codes;
    const passage = await codePhrase(env.app, DOC, PHRASE, [code!.id]);
    const before = await summary();
    await page.goto(env.app.url);
    await page.getByRole('navigation', { name: 'Documents' }).getByRole('button', { name: new RegExp(TITLE) }).click();
    await page.getByRole('textbox', { name: 'Article text' }).getByRole('heading', { level: 1, name: TITLE }).waitFor();

    const dialog = await openDialog(page);
    await dialog.getByText('Cited from the properties above.').waitFor();
    await importFile(page, dialog, 'My Library.bib', LIBRARY);
    const entries = dialog.getByRole('group', { name: 'My Library.bib holds 2 entries: choose one' });
    await entries.waitFor();
    const article = entries.getByRole('radio', { name: /^Kim, Lee & Park 2023 — Families left behind/ });
    // The focus is on the first entry; nothing is chosen, so nothing can be applied yet.
    expect(await focused(article)).toBe(true);
    expect(await dialog.getByRole('button', { name: 'Use this citation' }).getAttribute('aria-disabled')).toBe('true');
    // Arrow keys move between the entries, choosing them.
    await page.keyboard.press('ArrowDown');
    const chapter = entries.getByRole('radio', { name: 'Lee 2019 — The politics of memory (book chapter)' });
    await expect.poll(() => chapter.isChecked()).toBe(true);
    await dialog.getByText('This BibTeX entry (book chapter); it fills:').waitFor();
    const fills = dialog.locator('.citation-fills');
    expect(await fills.locator('dt').allTextContents()).toEqual(['Title', 'Authors', 'Publication', 'Date', 'Pages']);
    expect(await fills.locator('dd').allTextContents()).toEqual(['The politics of memory', 'Lee, Chul', 'Divided families in Korea', '2019', '45-67']);
    // Nothing is saved until the user says so.
    expect(await summary()).toEqual(before);
    expect.soft(await audit(page), 'citation entries and preview').toEqual([]);

    await dialog.getByRole('button', { name: 'Use this citation' }).click();
    await dialog.getByText('Cited from an imported BibTeX entry (book chapter): Lee 2019 — The politics of memory.').waitFor();
    expect(await focused(dialog.getByRole('button', { name: 'Remove imported citation' }))).toBe(true);
    expect.soft(await audit(page), 'imported citation').toEqual([]);
    expect(await dialog.getByRole('textbox', { name: 'Title' }).inputValue()).toBe('The politics of memory');
    expect(await dialog.getByRole('textbox', { name: 'Authors' }).inputValue()).toBe('Lee, Chul');
    expect(await dialog.getByRole('textbox', { name: 'Publication' }).inputValue()).toBe('Divided families in Korea');
    expect(await dialog.getByRole('textbox', { name: 'Pages' }).inputValue()).toBe('45-67');
    const saved = await summary();
    expect(saved.meta).toMatchObject({ title: 'The politics of memory', author: 'Lee, Chul', publication: 'Divided families in Korea', date: '2019', pages: '45-67', url: before.meta.url });
    expect(saved.citation).toMatchObject({ format: 'bibtex', type: 'chapter' });
    // Saving the dialog afterwards is no conflict: the filled fields are its base now.
    await dialog.getByRole('textbox', { name: 'Document memo' }).fill('Cited from the book.');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((await summary()).memo).toBe('Cited from the book.');

    expect((await env.app.core.handlers['passages.quote']({ documentId: DOC, id: passage.id, style: 'apa' }, testClient)).reference).toBe(CHAPTER_REFERENCE);
    const row = page.getByRole('list', { name: 'Coded passages in text order' }).getByRole('button', { name: new RegExp(PHRASE) });
    await row.click();
    const details = page.getByRole('region', { name: 'Passage details' });
    await details.getByRole('combobox', { name: 'Citation style' }).selectOption({ label: 'APA 7' });
    await details.getByRole('button', { name: 'Copy quotation' }).click();
    await page.getByRole('status').filter({ hasText: 'Copied with citation (Lee, 2019, para. 5).' }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain(`“${PHRASE}” (Lee, 2019, para. 5).`);
    expect(copied).toContain(CHAPTER_REFERENCE);

    // Undo the memo, then the import: the properties are back and the item is gone.
    await page.getByRole('button', { name: 'Undo edit document properties' }).click();
    await page.getByRole('button', { name: 'Undo import citation' }).click();
    await expect.poll(async () => (await summary()).citation).toBeUndefined();
    expect((await summary()).meta).toEqual(before.meta);
    expect(env.ui.consoleErrors).toEqual([]);
  });

  it('shows why a malformed file cannot be imported, and changes nothing', async () => {
    const { page } = env.ui;
    const before = await summary();
    const revision = (await env.app.core.handlers['project.info']({}, testClient)).revision;
    const dialog = await openDialog(page);
    await importFile(page, dialog, 'broken.bib', '@article{kim,\n  title = {Unclosed\n');
    await expect.poll(() => dialog.getByRole('alert').textContent()).toMatch(/^broken\.bib cannot be imported: .*Nothing was changed\.$/);
    expect(await dialog.getByRole('button', { name: 'Use this citation' }).count()).toBe(0);
    expect.soft(await audit(page), 'citation file refused').toEqual([]);
    expect(await dialog.getByRole('textbox', { name: 'Title' }).inputValue()).toBe(before.meta.title);
    expect(await summary()).toEqual(before);
    expect((await env.app.core.handlers['project.info']({}, testClient)).revision).toBe(revision);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await summary()).toEqual(before);
    expect(env.ui.consoleErrors.filter((e) => !/status of 400/.test(e))).toEqual([]);
  });

  it('removes an imported citation from the dialog, keeping the properties', async () => {
    const { page } = env.ui;
    const dialog = await openDialog(page);
    await importFile(page, dialog, 'chapter.bib', LIBRARY.slice(LIBRARY.indexOf('@incollection')));
    // One entry: no choice to make, the focus on applying it.
    await dialog.getByText('chapter.bib holds one BibTeX entry (book chapter); it fills:').waitFor();
    expect(await focused(dialog.getByRole('button', { name: 'Use this citation' }))).toBe(true);
    await page.keyboard.press('Enter');
    await dialog.getByRole('button', { name: 'Remove imported citation' }).waitFor();
    await dialog.getByRole('button', { name: 'Remove imported citation' }).click();
    await dialog.getByText('Cited from the properties above.').waitFor();
    expect(await focused(dialog.getByRole('button', { name: 'Import citation…' }))).toBe(true);
    const after = await summary();
    expect(after.citation).toBeUndefined();
    expect(after.meta.title).toBe('The politics of memory');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Undo remove imported citation' }).click();
    await expect.poll(async () => (await summary()).citation?.type).toBe('chapter');
  });
});
