import { afterAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { plainText } from '../../shared/plain-text';
import { codePhrase, launchBrowser, passagesOf, skipBrowserTests, testClient, useAppAndBrowser, type Ui } from './harness';

// A new version of a document's text, chosen in the reader: the review says where each coded
// passage goes (changed ones side by side, orphans kept unplaced), Apply replaces the text in one
// undoable step that every window shows, and the text replaced stays readable.

const DOC = 'dilemma-of-leaving-family';
const EDITED = 'My father is currently under heavy surveillance in the North.';
const EDITED_NOW = 'My father is still under very heavy and constant surveillance in the North.';
const DELETED = 'My friends were subject to days of torture and interrogation.';

describe.skipIf(skipBrowserTests)('a new version of the text', () => {
  const env = useAppAndBrowser();
  let second: Ui | undefined;
  afterAll(async () => {
    await second?.close();
  });

  const reader = (page: Page) => page.getByRole('main', { name: 'Article' });
  const articleText = (page: Page) => reader(page).getByRole('textbox', { name: 'Article text' }).textContent();
  const dialogOf = (page: Page) => page.getByRole('dialog', { name: 'New version of the text' });
  /** The words drawn as passage `id`'s highlight. */
  const highlighted = (page: Page, id: string) =>
    page.evaluate((pid) => [...document.querySelectorAll(`[aria-label="Article text"] .hl[data-passages~="${pid}"]`)].map((e) => e.textContent).join(''), id);
  const orphanRows = (page: Page) => page.getByRole('heading', { name: /^Could not be placed in the text/ }).locator('xpath=following-sibling::ol[1]').getByRole('listitem');

  it('reviews a changed and an orphaned passage, applies the new text in every window, keeps the old one and undoes it all', async () => {
    const { page } = env.ui;
    onTestFailed(async () => console.log('on failure:', env.ui.consoleErrors, await dialogOf(page).ariaSnapshot().catch(() => 'no dialog')));
    const { codes } = await env.app.core.handlers['codebook.get']({}, testClient);
    const changed = await codePhrase(env.app, DOC, EDITED, [codes[0]!.id]);
    const orphan = await codePhrase(env.app, DOC, DELETED, [codes[0]!.id]);
    const old = plainText((await env.app.core.handlers['documents.get']({ documentId: DOC }, testClient)).blocks);
    const next = old.replace(EDITED, EDITED_NOW).replace(`${DELETED} `, '');
    expect(next).not.toContain(DELETED);

    await page.goto(env.app.url);
    await expect.poll(() => highlighted(page, changed.id)).toBe(EDITED);
    second = await launchBrowser();
    await second.page.goto(env.app.url);
    await expect.poll(() => highlighted(second!.page, changed.id)).toBe(EDITED);
    await page.bringToFront();
    // No earlier versions yet.
    expect(await reader(page).getByRole('button', { name: 'Earlier versions…' }).count()).toBe(0);

    await reader(page).getByRole('button', { name: 'New version of the text…' }).click();
    const dialog = dialogOf(page);
    await dialog.waitFor();
    await dialog.getByLabel('Choose a file').setInputFiles({ name: 'dilemma-v2.txt', mimeType: 'text/plain', buffer: Buffer.from(next) });
    await expect.poll(() => dialog.getByText(/\d+ unchanged, \d+ moved, 1 changed, 1 orphaned/).count()).toBe(1);
    const changedSection = dialog.getByRole('region', { name: /^Changed/ });
    const changedRow = changedSection.getByRole('listitem');
    expect(await changedRow.count()).toBe(1);
    expect(await changedRow.getByRole('figure', { name: 'Old words' }).textContent()).toContain(EDITED);
    expect(await changedRow.getByRole('figure', { name: 'New words' }).textContent()).toContain(EDITED_NOW);
    expect(await changedRow.getByRole('group').getByText(/\d+% alike/).count()).toBe(1);
    expect(await changedRow.getByRole('radio', { name: 'Accept the new place' }).isChecked()).toBe(true);
    expect(await changedRow.getByRole('radio', { name: 'Keep it unplaced' }).isChecked()).toBe(false);
    const orphanSection = dialog.getByRole('region', { name: /^Orphaned/ });
    expect(await orphanSection.getByRole('listitem').textContent()).toContain(DELETED);
    await orphanSection.getByText(/kept unplaced/).waitFor();
    // Nothing has changed yet.
    expect(plainText((await env.app.core.handlers['documents.get']({ documentId: DOC }, testClient)).blocks)).toBe(old);

    await dialog.getByRole('button', { name: 'Apply' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(plainText((await env.app.core.handlers['documents.get']({ documentId: DOC }, testClient)).blocks)).toBe(next);
    for (const p of [page, second.page]) {
      // The new text, without a reload, and the passages where they are now.
      await expect.poll(() => articleText(p)).toContain(EDITED_NOW);
      expect(await articleText(p)).not.toContain(DELETED);
      await expect.poll(() => highlighted(p, changed.id)).toBe(EDITED_NOW);
      await expect.poll(() => orphanRows(p).count()).toBe(1);
      expect(await orphanRows(p).textContent()).toContain(DELETED);
    }
    const placed = (await passagesOf(env.app, DOC)).find((a) => a.id === orphan.id);
    expect(placed?.anchor.status).toBe('orphan');

    // The text replaced is kept, and readable.
    await reader(page).getByRole('button', { name: 'Earlier versions…' }).click();
    const versions = page.getByRole('dialog', { name: 'Earlier versions' });
    await versions.waitFor();
    const shown = versions.getByRole('region', { name: /^Text replaced/ });
    await expect.poll(() => shown.textContent()).toContain(EDITED);
    expect(await shown.textContent()).toContain(DELETED);
    await page.keyboard.press('Escape');
    await versions.waitFor({ state: 'detached' });

    await page.getByRole('button', { name: /^Undo new version of the text/ }).click();
    for (const p of [page, second.page]) {
      await expect.poll(() => articleText(p)).toContain(EDITED);
      await expect.poll(() => highlighted(p, changed.id)).toBe(EDITED);
      await expect.poll(() => highlighted(p, orphan.id)).toBe(DELETED);
      expect(await orphanRows(p).count()).toBe(0);
    }
    expect(plainText((await env.app.core.handlers['documents.get']({ documentId: DOC }, testClient)).blocks)).toBe(old);
    await expect.poll(() => reader(page).getByRole('button', { name: 'Earlier versions…' }).count()).toBe(0);
    expect(env.ui.consoleErrors).toEqual([]);
  });

  it('closes on Cancel without changing anything, and shows a refusal in the dialog', async () => {
    const { page } = env.ui;
    await page.bringToFront();
    const before = await env.app.core.handlers['documents.get']({ documentId: DOC }, testClient);
    const dialog = await openDialog(page);
    // The same text again: main says nothing would change.
    await dialog.getByLabel('Choose a file').setInputFiles({ name: 'same.txt', mimeType: 'text/plain', buffer: Buffer.from(plainText(before.blocks)) });
    await expect.poll(() => dialog.getByRole('alert').textContent()).toMatch(/nothing would change/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('New version of the text…');
    expect(await env.app.core.handlers['documents.get']({ documentId: DOC }, testClient)).toEqual(before);
  });

  async function openDialog(page: Page): Promise<Locator> {
    await reader(page).getByRole('button', { name: 'New version of the text…' }).click();
    const dialog = dialogOf(page);
    await dialog.waitFor();
    return dialog;
  }
});
