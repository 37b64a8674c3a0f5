import { afterAll, describe, expect, it, onTestFailed } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { codePhrase, launchBrowser, passagesOf, skipBrowserTests, testClient, useAppAndBrowser, type Ui } from './harness';

// Importing documents from the UI (the dialog, its file chooser, drag and drop onto the window,
// progress, Cancel, encodings, the report) and deleting them, found by role and name as a user
// finds them: each import is one undo step, and every window shows what it changed.

/** A file to choose, built in memory. */
const file = (name: string, content: string | Buffer, mimeType = 'text/plain') => ({ name, mimeType, buffer: Buffer.isBuffer(content) ? content : Buffer.from(content) });

const ANNA = file('interview-anna.txt', 'Anna spoke about the crossing at night.\n\nShe waited three days near the river.');
const BEN = file('interview-ben.txt', 'Ben described the market in Hyesan and the traders there.');
const PRESS = file(
  'press-release.html',
  '<!doctype html><html><head><title>Press release on families</title></head><body><p>Families of defectors face new pressure from the security services.</p></body></html>',
  'text/html',
);

const DOC = 'dilemma-of-leaving-family';
const TITLE = 'The dilemma of leaving my family behind in North Korea';

describe.skipIf(skipBrowserTests)('importing and deleting documents', () => {
  const env = useAppAndBrowser();
  let second: Ui | undefined;
  afterAll(async () => {
    await second?.close();
  });

  const docList = (page: Page) => page.getByRole('list', { name: 'Documents' });
  const docRow = (page: Page, title: string) => docList(page).getByRole('button', { name: new RegExp(`^${title}`) });
  const dialogOf = (page: Page) => page.getByRole('dialog', { name: 'Import documents' });
  const status = (dialog: Locator) => dialog.getByRole('status').textContent();
  const fileRow = (dialog: Locator, name: string) => dialog.getByRole('list', { name: 'Files' }).locator(':scope > li').filter({ hasText: name });
  const titles = async () => (await env.app.core.handlers['documents.list']({}, testClient)).map((d) => d.meta.title);
  /** The page's console errors, but for the refusals the tests ask for (files main will not import as they are). */
  const unexpectedErrors = () => env.ui.consoleErrors.filter((e) => !/status of 400 .*\/api\/documents\.prepareImport\)$/.test(e));
  const focused = (locator: Locator) => locator.evaluate((el) => el === document.activeElement);

  /** Moves through the (virtualised) documents list from the keyboard, as a user reaching its first or last rows. */
  async function goToRow(page: Page, key: 'Home' | 'End'): Promise<void> {
    await docList(page).getByRole('button').first().focus();
    await page.keyboard.press(key);
  }

  async function openImport(page: Page): Promise<Locator> {
    await page.getByRole('button', { name: 'Import documents…' }).click();
    const dialog = dialogOf(page);
    await dialog.waitFor();
    return dialog;
  }

  it('imports files chosen in the dialog as one undo step, in every window', async () => {
    const { page } = env.ui;
    onTestFailed(async () => console.log('on failure:', env.ui.consoleErrors, await dialogOf(page).ariaSnapshot().catch(() => 'no dialog')));
    await page.goto(env.app.url);
    await page.getByRole('textbox', { name: 'Article text' }).getByRole('heading', { level: 1 }).waitFor();
    second = await launchBrowser();
    await second.page.goto(env.app.url);
    await docRow(second.page, TITLE).waitFor();
    await page.bringToFront();
    const before = await titles();

    const dialog = await openImport(page);
    const chooser = dialog.getByLabel('Choose files');
    // The file chooser has the focus, so the keyboard reaches it at once.
    expect(await focused(chooser)).toBe(true);
    await chooser.setInputFiles([ANNA, BEN, PRESS]);
    await expect.poll(() => status(dialog)).toBe('Imported 3 documents.');
    const progress = dialog.getByRole('progressbar', { name: 'Files read' });
    expect(await progress.evaluate((el) => [(el as HTMLProgressElement).value, (el as HTMLProgressElement).max])).toEqual([3, 3]);
    expect(await fileRow(dialog, 'interview-anna.txt').textContent()).toBe('interview-anna.txt Imported');
    expect(await fileRow(dialog, 'press-release.html').textContent()).toBe('press-release.html Imported as “Press release on families”');
    expect(await titles()).toEqual([...before, 'interview-anna', 'interview-ben', 'Press release on families']);

    // In the list of this window and of the other one, and Undo names the import.
    for (const p of [page, second.page]) for (const t of ['interview-anna', 'interview-ben', 'Press release on families']) await docRow(p, t).waitFor();
    await page.getByRole('button', { name: 'Undo import documents' }).waitFor();

    // Open the first one from the report: its text is in the article.
    await dialog.getByRole('button', { name: 'Open “interview-anna”' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('textbox', { name: 'Article text' }).getByRole('heading', { level: 1, name: 'interview-anna' }).waitFor();
    await expect.poll(() => page.getByRole('textbox', { name: 'Article text' }).textContent()).toContain('She waited three days near the river.');
    // The focus is back on the button that opened the dialog.
    expect(await focused(page.getByRole('button', { name: 'Import documents…' }))).toBe(true);

    // One Undo takes all three away, in both windows; the article shown goes, and the focus it
    // had comes to the documents list.
    await page.getByRole('textbox', { name: 'Article text' }).focus();
    await page.keyboard.press('Control+z');
    await expect.poll(titles).toEqual(before);
    await page.getByText('Choose a document').waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('doc-item'))).toBe(true);
    for (const p of [page, second.page]) await expect.poll(() => docList(p).getByRole('button', { name: /^(interview-|Press release)/ }).count(), { timeout: 5000 }).toBe(0);
    expect(env.ui.consoleErrors).toEqual([]);
  });

  it('skips a file whose text the project holds, and fails a file that is not what its name says, importing the others', async () => {
    const { page } = env.ui;
    let dialog = await openImport(page);
    await dialog.getByLabel('Choose files').setInputFiles([ANNA]);
    await expect.poll(() => status(dialog)).toBe('Imported 1 document.');
    await dialog.getByRole('button', { name: 'Close' }).click();

    dialog = await openImport(page);
    await dialog.getByLabel('Choose files').setInputFiles([file('anna-again.txt', ANNA.buffer), file('report.docx', randomBytes(4096), 'application/octet-stream'), BEN]);
    await expect.poll(() => status(dialog)).toBe('Imported 1 document; 1 skipped as duplicate; 1 failed.');
    expect(await fileRow(dialog, 'anna-again.txt').textContent()).toBe('anna-again.txt Duplicate of “interview-anna”: skipped');
    expect(await fileRow(dialog, 'report.docx').textContent()).toMatch(/^report\.docx Failed: The file is named \.docx but is not one/);
    expect(await fileRow(dialog, 'interview-ben.txt').textContent()).toBe('interview-ben.txt Imported');
    const all = await titles();
    expect(all.filter((t) => t === 'interview-anna')).toHaveLength(1);
    expect(all).toContain('interview-ben');
    expect(all).not.toContain('report');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('asks for the encoding of a text file that is not UTF-8, and imports it with the one chosen', async () => {
    const { page } = env.ui;
    const dialog = await openImport(page);
    const latin = Buffer.from('Caf\xe9 cr\xe8me, na\xefve r\xe9sum\xe9 \x96 \x93quoted\x94 in Windows-1252.', 'latin1');
    await dialog.getByLabel('Choose files').setInputFiles([file('cafe-notes.txt', latin)]);
    await expect.poll(() => status(dialog)).toBe('Imported no documents; 1 needs its encoding.');
    const row = fileRow(dialog, 'cafe-notes.txt');
    expect(await row.locator('.import-file-status').textContent()).toMatch(/^Needs its encoding: /);
    const choice = row.getByRole('combobox', { name: 'Encoding of cafe-notes.txt' });
    // The likeliest first, then every encoding, each by its name.
    const groups = await choice.evaluate((el) => [...el.querySelectorAll('optgroup')].map((g) => g.label));
    expect(groups).toEqual(['Likeliest', 'All encodings']);
    expect(await choice.locator('option[value="windows-1252"]').first().textContent()).toBe('Western European (Windows-1252)');
    await choice.selectOption('windows-1252');
    await row.getByRole('button', { name: 'Try again' }).click();
    await expect.poll(() => status(dialog)).toBe('Imported 1 document.');
    expect(await row.locator('.import-file-status').textContent()).toBe('Imported');
    // What main noted while reading it.
    expect(await row.getByRole('listitem').allTextContents()).toEqual(['Read as Western European (Windows-1252).']);
    await page.getByRole('button', { name: 'Undo import documents' }).waitFor();
    await dialog.getByRole('button', { name: 'Open “cafe-notes”' }).click();
    await expect.poll(() => page.getByRole('textbox', { name: 'Article text' }).textContent()).toContain('Café crème, naïve résumé – “quoted” in Windows-1252.');
  });

  it('on Cancel, stops after the file in flight and adds only what was ready', async () => {
    const { page } = env.ui;
    const before = await titles();
    // The second file's request is held on its way to Gloss until Cancel has been pressed.
    let calls = 0;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/documents.prepareImport', async (route) => {
      if (++calls === 2) await held;
      await route.continue();
    });
    try {
      const dialog = await openImport(page);
      const batch = [1, 2, 3, 4].map((n) => file(`batch-${n}.txt`, `Batch file number ${n}, about the border.`));
      await dialog.getByLabel('Choose files').setInputFiles(batch);
      await expect.poll(() => fileRow(dialog, 'batch-1.txt').textContent()).toBe('batch-1.txt Ready');
      await expect.poll(() => fileRow(dialog, 'batch-2.txt').textContent()).toBe('batch-2.txt Reading…');
      expect(await status(dialog)).toBe('1 of 4 files read');
      const cancelSent = page.waitForRequest('**/api/documents.cancelImport');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await cancelSent;
      release();
      await expect.poll(() => status(dialog)).toBe('Imported 1 document; 3 not imported (cancelled).');
      expect(calls).toBe(2);
      expect(await titles()).toEqual([...before, 'batch-1']);
      expect(await fileRow(dialog, 'batch-2.txt').textContent()).toBe('batch-2.txt Not imported (cancelled)');
      await dialog.getByRole('button', { name: 'Close' }).click();
    } finally {
      release();
      await page.unroute('**/api/documents.prepareImport');
    }
  });

  it('opens the dialog with the files dropped onto the window, and ignores drags without files', async () => {
    const { page } = env.ui;
    const article = page.getByRole('main', { name: 'Article' });
    const text = await page.evaluateHandle(() => {
      const dt = new DataTransfer();
      dt.setData('text/plain', 'just some words');
      return dt;
    });
    await article.dispatchEvent('dragenter', { dataTransfer: text });
    expect(await page.getByText('Drop to import').count()).toBe(0);
    await article.dispatchEvent('dragleave', { dataTransfer: text });

    const files = await page.evaluateHandle(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['Dropped notes on the river crossing.'], 'dropped-notes.txt', { type: 'text/plain' }));
      return dt;
    });
    await article.dispatchEvent('dragenter', { dataTransfer: files });
    await page.getByText('Drop to import').waitFor();
    await article.dispatchEvent('dragover', { dataTransfer: files });
    await article.dispatchEvent('drop', { dataTransfer: files });
    const dialog = dialogOf(page);
    await expect.poll(() => status(dialog)).toBe('Imported 1 document.');
    expect(await page.getByText('Drop to import').count()).toBe(0);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await goToRow(page, 'End');
    await docRow(page, 'dropped-notes').waitFor();
  });

  it('deletes a document with its coded passages after asking, and Undo puts them back', async () => {
    const { page } = env.ui;
    await codePhrase(env.app, DOC, 'My father is currently under heavy surveillance', ['repression-tactic.surveillance']);
    await goToRow(page, 'Home');
    await docRow(page, TITLE).click();
    await page.getByRole('textbox', { name: 'Article text' }).getByRole('heading', { level: 1, name: TITLE }).waitFor();
    await expect.poll(() => docRow(page, TITLE).textContent()).toMatch(/1 coded passage$/);

    // From the keyboard: Delete on the document's row asks; Escape keeps it.
    await docRow(page, TITLE).focus();
    await page.keyboard.press('Delete');
    const confirm = page.getByRole('alertdialog', { name: 'Delete document' });
    await confirm.waitFor();
    expect(await confirm.locator('p').textContent()).toBe(`Delete “${TITLE}” and its 1 coded passage? You can undo this.`);
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    expect(await focused(docRow(page, TITLE))).toBe(true);

    await page.getByRole('button', { name: 'Delete document…' }).click();
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => docRow(page, TITLE).count()).toBe(0);
    expect(await titles()).not.toContain(TITLE);
    await expect.poll(() => docRow(second!.page, TITLE).count(), { timeout: 5000 }).toBe(0);
    // The open document went: the reader says to choose one, and the focus is on a document.
    await page.getByText('Choose a document').waitFor();
    expect(await page.evaluate(() => document.activeElement?.classList.contains('doc-item'))).toBe(true);
    await page.getByRole('button', { name: 'Undo delete documents' }).waitFor();

    await page.keyboard.press('Control+z');
    await expect.poll(() => docRow(page, TITLE).textContent()).toMatch(/1 coded passage$/);
    expect((await passagesOf(env.app, DOC)).map((a) => a.quote.exact)).toEqual(['My father is currently under heavy surveillance']);
    await expect.poll(() => docRow(second!.page, TITLE).count(), { timeout: 5000 }).toBe(1);
    expect(unexpectedErrors()).toEqual([]);
  });
});
