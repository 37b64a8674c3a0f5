import { readFile } from 'node:fs/promises';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { codePhrase, skipBrowserTests, testClient, useAppAndBrowser } from './harness';

// Quote collections as a user gathers them: a collection made in its view, passages added from
// a row of All passages and from a passage's details, reordered, noted, exported as Markdown
// with Pandoc citations, as BibTeX with the same key and as DOCX, and a removal undone.

const DOC = 'dilemma-of-leaving-family';
const OTHER = 'secret-police-pressure-on-families';
const FIRST = 'under heavy surveillance in the North';
const SECOND = 'The MSS is responsible for internal policing';

describe.skipIf(skipBrowserTests)('quote collections', () => {
  const env = useAppAndBrowser();
  const view = () => env.ui.page.getByRole('region', { name: 'Collections' });
  const collections = async () => (await env.app.core.handlers['workspace.get']({}, testClient)).collections;
  const order = async () => (await collections())[0]?.items.map((q) => q.passageId) ?? [];

  it('makes a collection, gathers two passages, reorders them, notes one, exports it, and undoes a removal', async () => {
    const { page } = env.ui;
    const one = await codePhrase(env.app, DOC, FIRST, ['repression-tactic.surveillance']);
    const two = await codePhrase(env.app, OTHER, SECOND, ['repression-tactic.surveillance']);
    await page.goto(env.app.url);
    await page.getByRole('textbox', { name: 'Article text' }).getByRole('heading', { level: 1 }).waitFor();

    // Made in the view.
    await page.getByRole('tab', { name: 'Collections', exact: true }).click();
    await view().getByText(/^No collection yet/).waitFor();
    await view().getByRole('button', { name: 'New collection…' }).click();
    await view().getByRole('textbox', { name: 'Name of the new collection' }).fill('Chapter 3');
    await view().getByRole('button', { name: 'Make collection' }).click();
    await expect.poll(async () => (await collections()).map((c) => c.name)).toEqual(['Chapter 3']);

    // One from a row of All passages…
    await page.getByRole('tab', { name: 'All passages' }).click();
    const rows = page.getByRole('region', { name: 'All coded passages' }).getByRole('list', { name: 'Passages matching the query' }).getByRole('listitem');
    const row = rows.filter({ hasText: FIRST });
    await row.getByRole('combobox', { name: /^Add “under heavy surveillance/ }).selectOption({ label: 'Chapter 3' });
    await expect.poll(order).toEqual([one.id]);
    // …and one from its details.
    await rows.filter({ hasText: SECOND }).locator('.hit-open').click();
    const details = page.getByRole('region', { name: 'Passage details' });
    await details.getByRole('combobox', { name: 'Add the passage to a collection' }).selectOption({ label: 'Chapter 3' });
    await expect.poll(order).toEqual([one.id, two.id]);
    await details.getByText('In “Chapter 3”').waitFor();

    // Reordered and noted in the view.
    await page.getByRole('tab', { name: 'Collections', exact: true }).click();
    await view().getByRole('button', { name: /^Move up “The MSS/ }).click();
    await expect.poll(order).toEqual([two.id, one.id]);
    const note = view().getByRole('textbox', { name: /^Note on “under heavy surveillance/ });
    await note.fill('Watched for years.');
    await note.blur();
    await expect.poll(async () => (await collections())[0]!.items.find((q) => q.passageId === one.id)?.note).toBe('Watched for years.');

    // Markdown with a Pandoc citation and paragraph locator, and the note.
    const [md] = await Promise.all([page.waitForEvent('download'), view().getByRole('button', { name: 'Export Markdown…' }).click()]);
    expect(md.suggestedFilename()).toBe('Chapter 3.md');
    const text = await readFile((await md.path())!, 'utf8');
    expect(text).toContain('# Chapter 3');
    expect(text).toContain(`> ${FIRST}`);
    expect(text).toContain('Watched for years.');
    expect(text.indexOf('The MSS')).toBeLessThan(text.indexOf(FIRST));
    const cites = [...text.matchAll(/\[@([A-Za-z0-9_:.+/-]+), para\. \d+(?:–\d+)?\]/g)].map((m) => m[1]!);
    expect(cites).toHaveLength(2);
    // BibTeX under the same keys.
    const [bib] = await Promise.all([page.waitForEvent('download'), view().getByRole('button', { name: 'Export BibTeX…' }).click()]);
    expect(bib.suggestedFilename()).toBe('Chapter 3.bib');
    const bibText = await readFile((await bib.path())!, 'utf8');
    for (const key of cites) expect(bibText).toContain(`{${key},`);
    // DOCX: a Word file holding the words.
    const [docx] = await Promise.all([page.waitForEvent('download'), view().getByRole('button', { name: 'Export DOCX…' }).click()]);
    expect(docx.suggestedFilename()).toBe('Chapter 3.docx');
    const xml = strFromU8(unzipSync(new Uint8Array(await readFile((await docx.path())!)))['word/document.xml']!).replace(/<[^>]+>/g, '');
    expect(xml).toContain(FIRST);
    expect(xml).toContain('Watched for years.');

    // A removal, undone.
    await view().getByRole('button', { name: /^Remove “The MSS/ }).click();
    await expect.poll(order).toEqual([one.id]);
    await page.getByRole('button', { name: /^Undo remove a quote from collection “Chapter 3”/ }).click();
    await expect.poll(order).toEqual([two.id, one.id]);
    await view().getByRole('button', { name: /^Remove “The MSS/ }).waitFor();
    expect(env.ui.consoleErrors).toEqual([]);
  });
});
