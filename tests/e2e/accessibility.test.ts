import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import path from 'node:path';
import { plainText } from '../../shared/plain-text';
import { codePhrase, repoRoot, skipBrowserTests, testClient, useAppAndBrowser } from './harness';
import { selectWithMouse } from './ui';

interface AxeResult {
  violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
}

/** Runs axe-core (WCAG 2 A and AA rules) on the page as it is now. */
async function audit(page: Page): Promise<string[]> {
  const source = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // evaluate() runs outside the page's CSP, which rightly forbids injected inline scripts.
  await page.evaluate(`${source};0`);
  const result = (await page.evaluate(() =>
    (window as unknown as { axe: { run(o: object): Promise<unknown> } }).axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
  )) as AxeResult;
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe.skipIf(skipBrowserTests)('accessibility', () => {
  const env = useAppAndBrowser();

  it('has no WCAG A/AA violations in the main screen, the code picker, passage details and the export dialog', async () => {
    const { page } = env.ui;
    await page.goto(env.app.url);
    await page.getByRole('textbox', { name: 'Article text' }).getByRole('heading', { level: 1 }).waitFor();
    // Soft: every screen is audited, and reported, whatever an earlier one found.
    expect.soft(await audit(page), 'main screen').toEqual([]);
    await selectWithMouse(page, 'My father is currently under heavy surveillance');
    await page.getByRole('dialog', { name: 'Code the selection' }).waitFor();
    expect.soft(await audit(page), 'code picker').toEqual([]);
    await page.keyboard.press('1');
    await page.getByRole('region', { name: 'Passage details' }).waitFor();
    expect.soft(await audit(page), 'passage details').toEqual([]);
    await page.getByRole('button', { name: 'Export CSV…' }).click();
    await page.getByRole('dialog', { name: 'Export coded passages (CSV)' }).waitFor();
    expect.soft(await audit(page), 'export dialog').toEqual([]);
  });

  it('has no WCAG A/AA violations in the codebook panel, a code’s details and the delete confirmation', async () => {
    const { page } = env.ui;
    await page.goto(env.app.url);
    const tree = page.getByRole('list', { name: 'Codebook' });
    await tree.getByRole('button', { name: /^Surveillance \(/ }).click();
    await page.getByRole('textbox', { name: 'Name' }).waitFor();
    expect.soft(await audit(page), 'code details').toEqual([]);
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('alertdialog').waitFor();
    expect.soft(await audit(page), 'delete confirmation').toEqual([]);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'New code' }).click();
    await page.getByRole('textbox', { name: 'New code' }).waitFor();
    expect.soft(await audit(page), 'new code').toEqual([]);
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Import…' }).click()]);
    await chooser.setFiles(path.join(repoRoot, 'tests', 'fixtures', 'refi-qda', 'qualcoder-3.8.2_codebook.qdc'));
    await page.getByRole('dialog', { name: 'Import codebook' }).waitFor();
    expect.soft(await audit(page), 'codebook import preview').toEqual([]);
    await page.keyboard.press('Escape');
  });

  it('has no WCAG A/AA violations in the document import dialog, its report, the drop overlay and the delete confirmation', async () => {
    const { page } = env.ui;
    await page.goto(env.app.url);
    await page.getByRole('textbox', { name: 'Article text' }).getByRole('heading', { level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Import documents…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import documents' });
    await dialog.waitFor();
    expect.soft(await audit(page), 'import dialog').toEqual([]);
    await dialog.getByLabel('Choose files').setInputFiles([
      { name: 'audit-notes.txt', mimeType: 'text/plain', buffer: Buffer.from('Notes taken for the accessibility audit.') },
      { name: 'audit-latin.txt', mimeType: 'text/plain', buffer: Buffer.from('Caf\xe9 au lait, cr\xe8me br\xfbl\xe9e.', 'latin1') },
    ]);
    await expect.poll(() => dialog.getByRole('status').textContent()).toBe('Imported 1 document; 1 needs its encoding.');
    expect.soft(await audit(page), 'import report with an encoding to choose').toEqual([]);
    await dialog.getByRole('button', { name: 'Close' }).click();
    const files = await page.evaluateHandle(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['x'], 'x.txt', { type: 'text/plain' }));
      return dt;
    });
    await page.getByRole('main', { name: 'Article' }).dispatchEvent('dragenter', { dataTransfer: files });
    await page.getByText('Drop to import').waitFor();
    expect.soft(await audit(page), 'drop overlay').toEqual([]);
    await page.getByRole('main', { name: 'Article' }).dispatchEvent('dragleave', { dataTransfer: files });
    await page.getByRole('button', { name: 'Delete document…' }).click();
    await page.getByRole('alertdialog', { name: 'Delete document' }).waitFor();
    expect.soft(await audit(page), 'delete document confirmation').toEqual([]);
    await page.keyboard.press('Escape');
  });

  it('has no WCAG A/AA violations in the document properties dialog, with a refusal shown, and the reader with a memo', async () => {
    const { page } = env.ui;
    await page.goto(env.app.url);
    await page.getByRole('textbox', { name: 'Article text' }).getByRole('heading', { level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Document properties…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Document properties' });
    await dialog.waitFor();
    expect.soft(await audit(page), 'document properties dialog').toEqual([]);
    await dialog.getByRole('textbox', { name: 'Date', exact: true }).fill('soon');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('alert').waitFor();
    expect.soft(await audit(page), 'document properties refused').toEqual([]);
    await dialog.getByRole('textbox', { name: 'Date', exact: true }).fill('2014');
    await dialog.getByRole('textbox', { name: 'Pages' }).fill('3–9');
    await dialog.getByRole('textbox', { name: 'Document memo' }).fill('Audited.');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('main', { name: 'Article' }).getByText('Document memo').click();
    await page.getByText('Audited.').waitFor();
    expect.soft(await audit(page), 'reader with pages and memo').toEqual([]);
    await page.getByRole('button', { name: 'Undo edit document properties' }).click();
  });

  it('has no WCAG A/AA violations in the new version dialog, its review, and the earlier versions dialog', async () => {
    const { page } = env.ui;
    const documentId = 'dilemma-of-leaving-family';
    const { codes } = await env.app.core.handlers['codebook.get']({}, testClient);
    await codePhrase(env.app, documentId, 'My father is currently under heavy surveillance in the North.', [codes[0]!.id]);
    await codePhrase(env.app, documentId, 'Many years have passed since I escaped from North Korea.', [codes[0]!.id]);
    await codePhrase(env.app, documentId, 'My friends were subject to days of torture and interrogation.', [codes[0]!.id]);
    const old = plainText((await env.app.core.handlers['documents.get']({ documentId }, testClient)).blocks);
    await page.goto(env.app.url);
    await page.getByRole('textbox', { name: 'Article text' }).getByRole('heading', { level: 1 }).waitFor();
    await page.getByRole('button', { name: 'New version of the text…' }).click();
    const dialog = page.getByRole('dialog', { name: 'New version of the text' });
    await dialog.waitFor();
    expect.soft(await audit(page), 'new version dialog').toEqual([]);
    const next = old.replace('My father is currently under heavy surveillance in the North.', 'My father is still under very heavy and constant surveillance in the North.').replace('My friends were subject to days of torture and interrogation. ', '');
    await dialog.getByLabel('Choose a file').setInputFiles({ name: 'audit-v2.txt', mimeType: 'text/plain', buffer: Buffer.from(next) });
    await dialog.getByText(/[1-9]\d* changed, [1-9]\d* orphaned/).waitFor();
    await dialog.getByText(/keeps? (its|their) words/).click();
    expect.soft(await audit(page), 'new version review').toEqual([]);
    await dialog.getByRole('button', { name: 'Apply' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Earlier versions…' }).click();
    await page.getByRole('dialog', { name: 'Earlier versions' }).getByRole('region').waitFor();
    expect.soft(await audit(page), 'earlier versions dialog').toEqual([]);
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: /^Undo new version of the text/ }).click();
    await page.getByRole('button', { name: 'Earlier versions…' }).waitFor({ state: 'detached' });
  });

  it('has no WCAG A/AA violations in the passages view, with passages chosen, a refused query and the query help open', async () => {
    const { page } = env.ui;
    const documentId = 'secret-police-pressure-on-families';
    await codePhrase(env.app, documentId, 'The MSS is responsible for internal policing', ['repression-tactic.surveillance']);
    await page.goto(env.app.url);
    await page.getByRole('textbox', { name: 'Article text' }).getByRole('heading', { level: 1 }).waitFor();
    await page.getByRole('tab', { name: 'All passages' }).click();
    const view = page.getByRole('region', { name: 'All coded passages' });
    const rows = view.getByRole('list', { name: 'Passages matching the query' }).getByRole('listitem');
    await rows.first().getByRole('checkbox').check();
    await view.getByText('How to write a query').click();
    expect.soft(await audit(page), 'passages view').toEqual([]);
    await view.getByRole('searchbox', { name: 'Query' }).fill('code:"No such code"');
    await view.getByText(/^This query cannot be run/).waitFor();
    expect.soft(await audit(page), 'passages view, query refused').toEqual([]);
    await page.getByRole('tab', { name: 'Article' }).click();
  });

  it('has no WCAG A/AA violations in the memos view, the memo dialog and the search of the texts', async () => {
    const { page } = env.ui;
    await env.app.core.handlers['memos.create']({ title: 'Audit memo', text: 'Text', about: { kind: 'project' } }, testClient);
    await page.goto(env.app.url);
    await page.getByRole('textbox', { name: 'Article text' }).getByRole('heading', { level: 1 }).waitFor();
    await page.getByRole('tab', { name: 'Memos' }).click();
    const view = page.getByRole('region', { name: 'Memos' });
    await view.getByRole('button', { name: /^Audit memo/ }).waitFor();
    expect.soft(await audit(page), 'memos view').toEqual([]);
    await view.getByRole('button', { name: /^Audit memo/ }).click();
    await page.getByRole('dialog', { name: 'Memo' }).waitFor();
    expect.soft(await audit(page), 'memo dialog').toEqual([]);
    await page.keyboard.press('Escape');
    await page.getByRole('tab', { name: 'Search texts' }).click();
    await page.getByRole('searchbox', { name: 'Search for' }).fill('labor camp');
    await page.getByRole('group', { name: 'Code the matches' }).waitFor();
    expect.soft(await audit(page), 'search of the texts').toEqual([]);
    await page.getByRole('tab', { name: 'Article' }).click();
  });

  it('has no WCAG A/AA violations in the collections view, its delete question and a passage’s “Add to collection”', async () => {
    const { page } = env.ui;
    const documentId = 'dilemma-of-leaving-family';
    const passage = await codePhrase(env.app, documentId, 'under heavy surveillance in the North', ['repression-tactic.surveillance']);
    const { collectionId } = await env.app.core.handlers['collections.create']({ name: 'Audit collection' }, testClient);
    await env.app.core.handlers['collections.addQuote']({ id: collectionId!, passage: { documentId, id: passage.id }, note: 'A note' }, testClient);
    await page.goto(env.app.url);
    await page.getByRole('textbox', { name: 'Article text' }).getByRole('heading', { level: 1 }).waitFor();
    await page.getByRole('tab', { name: 'Collections', exact: true }).click();
    const view = page.getByRole('region', { name: 'Collections' });
    await view.getByRole('textbox', { name: /^Note on “under heavy/ }).waitFor();
    expect.soft(await audit(page), 'collections view').toEqual([]);
    await view.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('alertdialog', { name: /^Delete the collection/ }).waitFor();
    expect.soft(await audit(page), 'collection delete question').toEqual([]);
    await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click();
    await view.getByRole('button', { name: /^Open in article “under heavy/ }).click();
    await page.getByRole('region', { name: 'Passage details' }).getByRole('combobox', { name: 'Add the passage to a collection' }).waitFor();
    expect.soft(await audit(page), 'passage details with Add to collection').toEqual([]);
  });

  it('reaches every part of the app with the keyboard alone', async () => {
    const { page } = env.ui;
    await page.keyboard.press('Escape');
    await page.goto(env.app.url);
    await page.getByRole('textbox', { name: 'Article text' }).getByRole('heading', { level: 1 }).waitFor();
    const reached = new Set<string>();
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      reached.add(await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return el ? (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40) : '';
      }));
    }
    for (const name of ['Undo', 'Redo', 'Code selection…', 'Codes', 'Export CSV…', 'E2E Coder', 'Article text', 'Search codes', 'New code']) expect([...reached].some((r) => r.startsWith(name))).toBe(true);
    expect([...reached].some((r) => r.startsWith('The dilemma of leaving'))).toBe(true);
    expect([...reached].some((r) => /Repression tactic/.test(r))).toBe(true);
  });
});
