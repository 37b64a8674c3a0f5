import { afterAll, describe, expect, it, onTestFailed } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, passagesOf, repoRoot, skipBrowserTests, useAppAndBrowser, type Ui } from './harness';
import { selectWithMouse } from './ui';

// The codebook panel, driven with the keyboard only (each control reached by focus and keys,
// found by role and name as a user finds it): create a child code, code a passage with it,
// rename it, merge it into another code, undo and redo — checked in a second window too.

const DOC = 'dilemma-of-leaving-family';
const PHRASE = 'My father is currently under heavy surveillance';
const SURVEILLANCE = 'repression-tactic.surveillance';

describe.skipIf(skipBrowserTests)('the codebook panel', () => {
  const env = useAppAndBrowser();
  let second: Ui | undefined;
  afterAll(async () => {
    await second?.close();
  });

  const tree = (page: Page) => page.getByRole('list', { name: 'Codebook' });
  /** A code's row in the tree; its name is followed by its key and counts ("Surveillance (key 2; 1 in this document, 1 in the project)"). */
  const codeButton = (page: Page, name: string) => tree(page).getByRole('button', { name: new RegExp(`^${name} \\((key \\S+; )?\\d`) });
  const details = (page: Page) => page.getByRole('region').filter({ has: page.getByRole('textbox', { name: 'Name' }) });
  /** Focuses `locator` and presses `key`, as Tab and a key would. */
  const press = async (locator: ReturnType<Page['getByRole']>, key = 'Enter') => {
    await locator.focus();
    await locator.press(key);
  };

  it('creates a child code, codes with it, renames and merges it, with undo and redo, in both windows', async () => {
    const one = env.ui.page;
    onTestFailed(async () => console.log('on failure:', env.ui.consoleErrors, await tree(one).ariaSnapshot()));
    await one.goto(env.app.url);
    await one.getByRole('textbox', { name: 'Article text' }).getByRole('heading', { level: 1 }).waitFor();
    second = await launchBrowser();
    const two = second.page;
    await two.goto(env.app.url);
    await codeButton(two, 'Repression tactic').waitFor();
    await one.bringToFront();

    // Choose "Repression tactic", then "Add child code" and type a name.
    await press(codeButton(one, 'Repression tactic'));
    await press(details(one).getByRole('button', { name: 'Add child code' }));
    const nameField = one.getByRole('textbox', { name: 'New code under “Repression tactic”' });
    await expect.poll(() => nameField.evaluate((el) => el === document.activeElement)).toBe(true);
    await one.keyboard.type('Informants');
    await one.keyboard.press('Enter');
    const made = codeButton(one, 'Informants');
    await made.waitFor();
    // A child: one level below its parent, with its place among the siblings.
    const item = made.locator('xpath=ancestor::li[1]');
    expect(await item.getAttribute('aria-level')).toBe('2');
    await expect.poll(() => codeButton(two, 'Informants').count(), { timeout: 2000 }).toBe(1);

    // Code a passage with it from the picker.
    await selectWithMouse(one, PHRASE);
    await one.getByRole('dialog', { name: 'Code the selection' }).waitFor();
    await one.keyboard.type('informants');
    await one.keyboard.press('Enter');
    await expect.poll(async () => (await passagesOf(env.app, DOC)).length).toBe(1);
    const informants = (await passagesOf(env.app, DOC))[0]!.codeIds[0]!;
    await expect.poll(() => made.evaluate((el) => el.textContent)).toMatch(/1 in this document, 1 in the project/);

    // Rename it in its details (the new code is the one shown).
    const name = details(one).getByRole('textbox', { name: 'Name' });
    await name.focus();
    await one.keyboard.press('Control+a');
    await one.keyboard.type('Informant networks');
    await one.keyboard.press('Enter');
    await codeButton(one, 'Informant networks').waitFor();
    await expect.poll(() => codeButton(two, 'Informant networks').count(), { timeout: 2000 }).toBe(1);

    // Merge it into Surveillance: the confirmation says what it touches.
    await details(one).getByRole('combobox', { name: 'Merge into' }).selectOption({ label: 'Repression tactic › Surveillance' });
    await press(details(one).getByRole('button', { name: 'Merge…' }));
    const confirm = one.getByRole('alertdialog');
    await expect.poll(() => confirm.innerText()).toMatch(/1 passage in 1 document will be coded/);
    await one.keyboard.press('Enter');
    await expect.poll(() => codeButton(one, 'Informant networks').count()).toBe(0);
    await expect.poll(async () => (await passagesOf(env.app, DOC))[0]!.codeIds).toEqual([SURVEILLANCE]);
    await expect.poll(() => codeButton(two, 'Informant networks').count(), { timeout: 2000 }).toBe(0);
    await expect.poll(() => one.getByRole('button', { name: /^Undo merge “Informant networks” into “Surveillance”/ }).count()).toBe(1);

    // Undo brings the code and its passage back; redo merges again.
    await one.keyboard.press('Control+z');
    await codeButton(one, 'Informant networks').waitFor();
    await expect.poll(async () => (await passagesOf(env.app, DOC))[0]!.codeIds).toEqual([informants]);
    await expect.poll(() => codeButton(two, 'Informant networks').count(), { timeout: 2000 }).toBe(1);
    await one.keyboard.press('Control+Shift+z');
    await expect.poll(() => codeButton(one, 'Informant networks').count()).toBe(0);
    await expect.poll(async () => (await passagesOf(env.app, DOC))[0]!.codeIds).toEqual([SURVEILLANCE]);
    expect(env.ui.consoleErrors).toEqual([]);
  });

  it('creates a code from the picker by typing a new name, and applies it', async () => {
    const page = env.ui.page;
    await page.bringToFront();
    await selectWithMouse(page, 'giving you the chance');
    const picker = page.getByRole('dialog', { name: 'Code the selection' });
    await picker.waitFor();
    await page.keyboard.type('Reader questions');
    await picker.getByRole('option', { name: 'Create code “Reader questions”' }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const madeCode = async () => (await env.app.core.handlers['codebook.get']({}, { client: 'x' })).codes.find((c) => c.name === 'Reader questions');
    await expect.poll(async () => (await madeCode())?.parentId).toBeNull();
    const made = (await madeCode())!;
    // Last at the top level, so below the rows on screen: found by searching.
    await page.getByRole('searchbox', { name: 'Search codes' }).fill('reader q');
    await codeButton(page, 'Reader questions').waitFor();
    await page.getByRole('searchbox', { name: 'Search codes' }).fill('');
    // Two commits in a row (the code, then the passage): room for a loaded machine.
    await expect.poll(async () => (await passagesOf(env.app, DOC)).some((p) => p.codeIds.includes(made.id) && p.quote.exact === 'giving you the chance'), { timeout: 5000 }).toBe(true);
  });

  it('gives a code a key that codes a selection, from the picker and straight from the article', async () => {
    const page = env.ui.page;
    await press(codeButton(page, 'Economic change'));
    await details(page).getByRole('combobox', { name: 'Shortcut key' }).selectOption('Alt+E');
    await expect.poll(() => codeButton(page, 'Economic change').getAttribute('aria-current')).toBe('true');
    await tree(page).getByRole('button', { name: /^Economic change \(key Alt\+E; / }).waitFor();
    const economic = 'economic-change';
    const coded = async (phrase: string) => (await passagesOf(env.app, DOC)).find((p) => p.quote.exact === phrase)?.codeIds;

    // In the picker, the key applies the code even while the filter holds text.
    await selectWithMouse(page, 'my mother and sister');
    const picker = page.getByRole('dialog', { name: 'Code the selection' });
    await picker.waitFor();
    expect(await picker.getByRole('option', { name: /Economic change$/ }).getAttribute('aria-keyshortcuts')).toBe('Alt+E');
    await page.keyboard.type('x');
    await page.keyboard.press('Alt+e');
    await picker.waitFor({ state: 'detached' });
    await expect.poll(() => coded('my mother and sister')).toEqual([economic]);

    // Without the picker: Escape leaves the selection in the article, and the key codes it.
    await selectWithMouse(page, 'living a new life');
    await picker.waitFor();
    await page.keyboard.press('Escape');
    await picker.waitFor({ state: 'detached' });
    await page.keyboard.press('Alt+e');
    await expect.poll(() => coded('living a new life')).toEqual([economic]);
    expect(await picker.count()).toBe(0);
  });

  it("shows only one code's passages in the text from the document's legend, and all again", async () => {
    const page = env.ui.page;
    const legend = page.getByRole('region', { name: 'Codes in this document' });
    /** The article's highlighted text, in order. */
    const drawn = () => page.evaluate(() => [...new Set([...document.querySelectorAll('[aria-label="Article text"] .hl')].map((e) => e.textContent))].join(' | '));
    await expect.poll(drawn).toMatch(/my mother and sister/);
    expect(await drawn()).toMatch(/giving you the chance/);
    await legend.getByRole('button', { name: 'Show only Economic change' }).click();
    await expect.poll(drawn).not.toMatch(/giving you the chance/);
    expect(await drawn()).toMatch(/my mother and sister.*living a new life/);
    await legend.getByRole('checkbox', { name: /Economic change/ }).uncheck();
    await expect.poll(drawn).toBe('');
    // The list of passages is not filtered: hiding is for reading.
    expect(await page.getByRole('heading', { name: /Coded passages \(4\)/ }).count()).toBe(1);
    await legend.getByRole('button', { name: 'Show all' }).click();
    await expect.poll(drawn).toMatch(/giving you the chance/);
  });

  it("recolours a code's highlights and legend swatch, and back on undo", async () => {
    const page = env.ui.page;
    /** The colour a highlight's first layer and the legend's swatch of Economic change are drawn in, as `#rrggbb`. */
    const colours = () =>
      page.evaluate(() => {
        const hex = (css: string): string => {
          const ctx = document.createElement('canvas').getContext('2d')!;
          ctx.fillStyle = css.trim();
          return ctx.fillStyle;
        };
        const hl = [...document.querySelectorAll('[aria-label="Article text"] .hl')].find((e) => e.textContent?.includes('living a new life'))!;
        const row = [...document.querySelectorAll('.legend-row')].find((e) => e.textContent?.includes('Economic change'))!;
        return { highlight: hex(getComputedStyle(hl).getPropertyValue('--l1')), swatch: hex(getComputedStyle(row.querySelector('.swatch')!).backgroundColor) };
      });
    const before = await colours();
    expect(before.highlight).toBe(before.swatch);
    await codeButton(page, 'Economic change').click();
    const swatch = details(page).getByRole('button', { name: /^Colour \d+ / }).and(page.locator('[aria-pressed="false"]')).first();
    const chosen = /\((#[0-9a-f]{6})\)/.exec((await swatch.getAttribute('aria-label'))!)![1]!;
    await swatch.click();
    await expect.poll(colours).toEqual({ highlight: chosen, swatch: chosen });
    await page.getByRole('button', { name: /^Undo/ }).click();
    await expect.poll(colours).toEqual(before);
  });

  it('draws coding stripes with the code names beside the text when switched on', async () => {
    const page = env.ui.page;
    const names = () => page.evaluate(() => [...document.querySelectorAll('.stripes:not([hidden]) .stripe-label')].map((e) => e.textContent));
    expect(await names()).toEqual([]);
    const toggle = page.getByRole('button', { name: 'Stripes' });
    await toggle.click();
    expect(await toggle.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(names).toContain('Economic change');
    expect(await names()).toContain('Reader questions');
    // A hidden code draws no stripe.
    const legend = page.getByRole('region', { name: 'Codes in this document' });
    await legend.getByRole('checkbox', { name: /Economic change/ }).uncheck();
    await expect.poll(names).not.toContain('Economic change');
    await legend.getByRole('button', { name: 'Show all' }).click();
    await expect.poll(names).toContain('Economic change');
    // Each stripe lies beside the text it stands for.
    const beside = await page.evaluate(() => {
      const bar = [...document.querySelectorAll('.stripe')].find((b) => b.textContent === 'Reader questions')!.getBoundingClientRect();
      const hl = [...document.querySelectorAll('[aria-label="Article text"] .hl')].find((e) => e.textContent?.includes('giving you the chance'))!.getBoundingClientRect();
      const article = document.querySelector('[aria-label="Article text"]')!.getBoundingClientRect();
      return { right: bar.left >= article.right, overlaps: bar.top < hl.bottom && bar.bottom > hl.top };
    });
    expect(beside).toEqual({ right: true, overlaps: true });
    await toggle.click();
    await expect.poll(names).toEqual([]);
  });

  it('exports the codebook as a REFI-QDA file and as Markdown, as downloads', async () => {
    const page = env.ui.page;
    await page.getByRole('region', { name: 'Codes' }).getByRole('button', { name: 'Export…' }).click();
    const form = page.getByRole('form', { name: 'Export the codebook' });
    const [qdc] = await Promise.all([page.waitForEvent('download'), form.getByRole('button', { name: 'Export' }).click()]);
    expect(qdc.suggestedFilename()).toBe('Families of defectors codebook.qdc');
    const xml = await readFile((await qdc.path())!, 'utf8');
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>/);
    expect(xml).toMatch(/<CodeBook [^>]*xmlns="urn:QDA-XML:codebook:1\.0"/);
    expect(xml).toMatch(/<CodeBook [^>]*origin="Gloss"/);
    expect(xml).toContain('name="Reader questions"');
    await form.waitFor({ state: 'detached' });
    await page.getByRole('region', { name: 'Codes' }).getByRole('button', { name: 'Export…' }).click();
    await form.getByRole('combobox', { name: 'Format' }).selectOption('md');
    const [md] = await Promise.all([page.waitForEvent('download'), form.getByRole('button', { name: 'Export' }).click()]);
    expect(md.suggestedFilename()).toBe('Families of defectors codebook.md');
    expect(await readFile((await md.path())!, 'utf8')).toMatch(/^# Families of defectors codebook\n/);
  });

  it('imports a REFI-QDA codebook after a preview, as one undoable step, and refuses a broken file', async () => {
    const page = env.ui.page;
    const panel = page.getByRole('region', { name: 'Codes' });
    const search = page.getByRole('searchbox', { name: 'Search codes' });
    const file = path.join(repoRoot, 'tests', 'fixtures', 'refi-qda', 'qualcoder-3.8.2_codebook.qdc');
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), panel.getByRole('button', { name: 'Import…' }).click()]);
    await chooser.setFiles(file);
    const dialog = page.getByRole('dialog', { name: 'Import codebook' });
    await dialog.waitFor();
    expect(await dialog.getByText(/from QualCoder\): \d+ new, 0 matched/).count()).toBe(1);
    expect(await dialog.getByRole('list', { name: 'What the import does' }).innerText()).toContain('New Implementation Quality › Curriculum fidelity');
    // The Import button has the focus: Enter imports.
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await search.fill('curriculum');
    await codeButton(page, 'Curriculum fidelity').waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Undo import codebook from QualCoder' }).click();
    await expect.poll(() => codeButton(page, 'Curriculum fidelity').count()).toBe(0);

    // Not a codebook: the reason, no dialog, nothing changed.
    const scratch = await mkdtemp(path.join(os.tmpdir(), 'gloss-e2e-qdc-'));
    try {
      const broken = path.join(scratch, 'broken.qdc');
      await writeFile(broken, '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code');
      const [again] = await Promise.all([page.waitForEvent('filechooser'), panel.getByRole('button', { name: 'Import…' }).click()]);
      await again.setFiles(broken);
      await expect.poll(() => page.getByRole('alert').innerText()).toMatch(/Reading the codebook file failed: .*XML/);
      expect(await dialog.count()).toBe(0);
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
    await search.fill('');
  });

  it('filters by name or definition and shows each match under its parents', async () => {
    const page = env.ui.page;
    await page.bringToFront();
    const search = page.getByRole('searchbox', { name: 'Search codes' });
    await search.fill('no such code');
    await expect.poll(() => tree(page).getByRole('listitem').count()).toBe(0);
    await page.getByText('No code matches.').waitFor();
    // "Watching, monitoring or informant networks…" is Surveillance's definition.
    await search.fill('monitoring');
    await expect.poll(async () => (await tree(page).getByRole('button').allInnerTexts()).map((t) => t.split('\n')[0]!.trim())).toEqual(['Repression tactic', 'Surveillance']);
    await search.fill('');
    // The whole tree again (virtualised: the rows on screen).
    await expect.poll(() => tree(page).getByRole('listitem').count()).toBeGreaterThan(5);
  });

  it('collapses and expands a code with the arrow keys', async () => {
    const page = env.ui.page;
    const parent = codeButton(page, 'Economic change');
    await parent.focus();
    expect(await parent.getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => codeButton(page, 'Remittances').count()).toBe(0);
    expect(await parent.getAttribute('aria-expanded')).toBe('false');
    await page.keyboard.press('ArrowRight');
    await codeButton(page, 'Remittances').waitFor();
  });

  it('says what deleting a code touches, and keeps its passages', async () => {
    const page = env.ui.page;
    await press(codeButton(page, 'Surveillance'));
    await press(details(page).getByRole('button', { name: 'Delete…' }));
    const confirm = page.getByRole('alertdialog');
    await expect.poll(() => confirm.innerText()).toMatch(/on 1 passage in 1 document.*1 passage left without any code will be listed as uncoded/s);
    await page.keyboard.press('Enter');
    await expect.poll(() => codeButton(page, 'Surveillance').count()).toBe(0);
    const surveilled = async () => (await passagesOf(env.app, DOC)).filter((p) => p.quote.exact === PHRASE).map((p) => p.codeIds);
    await expect.poll(surveilled).toEqual([[]]);
    await page.keyboard.press('Control+z');
    await codeButton(page, 'Surveillance').waitFor();
    await expect.poll(surveilled).toEqual([[SURVEILLANCE]]);
  });
});
