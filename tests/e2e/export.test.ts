import { describe, expect, it } from 'vitest';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Download, Page } from 'playwright-core';
import type { PlacedAnnotation } from '../../shared/model';
import { plainText } from '../../shared/plain-text';
import { openCore } from '../../main/core/open';
import { ProjectStore } from '../../main/core/store';
import { docFile, meta, p, seedOf, tempDir } from '../support/project';
import { launchBrowser, passagesOf, repoRoot, skipBrowserTests, startApp, testClient, type App, type Ui } from './harness';

/**
 * The CSV export as a user of browser mode meets it: the export dialog, the download the browser
 * saves, and the error notice when the project holds a file Gloss refuses. Each test builds its
 * own small project (test codebook: Alpha, Alpha › Beta, Gamma) so the expected rows are known.
 */

const CODER = 'E2E Coder';
const BOM_LABEL = 'Add a byte-order mark (for Microsoft Excel)';
// The column list written out, so the export is checked against the spec rather than against itself.
const HEADER = [
  'document_id',
  'document_title',
  'publication',
  'document_date',
  'annotation_id',
  'code_id',
  'code_path',
  'start',
  'end',
  'quote',
  'memo',
  'coder',
  'created_at',
  'modified_at',
];

const FIRST = {
  ...docFile('first-doc', 'Café notes, part 1', p('Officials said the "quota" was raised, again, in spring.'), p('A naïve résumé 🙂 arrived late.')),
  meta: meta('Café notes, part 1', { publication: 'Daily "Herald"', date: '2024-05-01' }),
};
const SECOND = {
  ...docFile('second-doc', 'Second report', p('Families were questioned at night.'), p('Nobody was told why.')),
  meta: meta('Second report', { publication: 'Border Weekly', date: '2024-06-02' }),
};
const CODE_PATHS: Record<string, string> = { a: 'Alpha', 'a.b': 'Alpha > Beta', c: 'Gamma' };

interface Planned {
  doc: typeof FIRST;
  phrase: string;
  codeIds: string[];
  memo: string;
}

/** Passages, deliberately not created in text order; quotes and memos need CSV quoting. */
const PLANNED: Planned[] = [
  { doc: FIRST, phrase: 'naïve résumé 🙂', codeIds: ['a'], memo: '' },
  { doc: FIRST, phrase: 'the "quota" was raised, again', codeIds: ['a.b', 'c'], memo: 'Line one\nline two, with "quotes"' },
  { doc: SECOND, phrase: 'Nobody was told why', codeIds: [], memo: '=1+1' },
  { doc: SECOND, phrase: 'Families were questioned', codeIds: ['c'], memo: 'Café, again' },
];

/** The coder profile of the project in `projectDir`: where `startApp` looks for it too, outside the project. */
const profileOf = (projectDir: string): string => path.join(path.dirname(projectDir), 'profile.json');

/**
 * Creates the project in `projectDir` (the two documents and the test codebook), codes the
 * planned passages through the core as `CODER`, and closes it, so every file is on disk.
 */
async function buildProject(projectDir: string): Promise<PlacedAnnotation[]> {
  const seeded = await ProjectStore.open(projectDir, { seed: seedOf(FIRST, SECOND) });
  await seeded.close();
  const core = await openCore({ projectDir, corpusDir: path.join(repoRoot, 'corpus'), profileFile: profileOf(projectDir), coderName: CODER, createIfMissing: false });
  try {
    const created: PlacedAnnotation[] = [];
    for (const { doc, phrase, codeIds, memo } of PLANNED) {
      // Offsets count in the body: the title is not part of the text.
      const start = plainText(doc.blocks).indexOf(phrase);
      expect(start, phrase).toBeGreaterThanOrEqual(0);
      const { annotation: a } = await core.handlers['annotations.create']({ documentId: doc.id, start, end: start + phrase.length, codeIds, memo }, testClient);
      expect(a && [a.quote.exact, a.position.start, a.position.end]).toEqual([phrase, start, start + phrase.length]);
      created.push(a!);
    }
    return created;
  } finally {
    await core.close();
  }
}

/** The CSV rows the project must export: documents in project order, passages in text order, one row per code. */
function expectedRows(created: PlacedAnnotation[]): string[][] {
  const rows: string[][] = [];
  for (const doc of [FIRST, SECOND]) {
    const passages = created.filter((a) => a.documentId === doc.id).sort((x, y) => x.position.start - y.position.start);
    for (const a of passages) {
      for (const codeId of a.codeIds.length ? a.codeIds : ['']) {
        rows.push([
          doc.id,
          doc.meta.title,
          doc.meta.publication,
          doc.meta.date,
          a.id,
          codeId,
          codeId ? CODE_PATHS[codeId]! : '',
          String(a.position.start),
          String(a.position.end),
          a.quote.exact,
          // A memo a spreadsheet would run as a formula is exported behind a single quote.
          a.memo.startsWith('=') ? `'${a.memo}` : a.memo,
          CODER,
          a.created,
          a.modified,
        ]);
      }
    }
  }
  return rows;
}

/**
 * In a new temp folder: `prepare` builds the project, then Gloss is started on it with a browser,
 * and `body` runs; then both are closed, what `body` returned runs (checks of the project folder
 * once Gloss has let go of it), and the temp folder is removed. Everything is closed and removed
 * whatever fails.
 */
async function inTempProject<T>(
  prepare: (projectDir: string) => Promise<T>,
  body: (env: { app: App; ui: Ui; prepared: T }) => Promise<(() => Promise<void>) | void>,
): Promise<void> {
  const root = await tempDir('gloss-e2e-export-');
  let app: App | undefined;
  let ui: Ui | undefined;
  try {
    const projectDir = path.join(root, 'project');
    const prepared = await prepare(projectDir);
    app = await startApp({ projectDir, profileFile: profileOf(projectDir), coderName: CODER });
    ui = await launchBrowser();
    const afterClose = await body({ app, ui, prepared });
    await ui.close();
    ui = undefined;
    await app.close();
    app = undefined;
    if (afterClose) await afterClose();
  } finally {
    try {
      await ui?.close();
      await app?.close();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }
}

/** Loads the page and waits until the project's two documents are listed and the first is open. */
async function openProject(page: Page, url: string): Promise<void> {
  await page.goto(url);
  const docs = page.getByRole('navigation', { name: 'Documents' });
  await expect.poll(() => docs.getByRole('list', { name: 'Documents' }).getByRole('button').count()).toBe(2);
  await page.getByRole('textbox', { name: 'Article text' }).getByRole('heading', { level: 1, name: FIRST.meta.title }).waitFor();
}

describe.skipIf(skipBrowserTests)('exporting coded passages as CSV in browser mode', () => {
  it('downloads every coded passage after a byte-order mark when that option is checked', async () => {
    await inTempProject(buildProject, async ({ app, ui, prepared: created }) => {
      const expected = expectedRows(created);
      // 4 passages, one with two codes and one with none.
      expect(expected).toHaveLength(5);
      const { page } = ui;
      await openProject(page, app.url);
      const docs = page.getByRole('navigation', { name: 'Documents' });
      expect(await docs.getByRole('button', { name: /Second report/ }).innerText()).toContain('2 coded passages');

      await page.getByRole('button', { name: 'Export CSV…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Export coded passages (CSV)' });
      await dialog.waitFor();
      const bom = dialog.getByRole('checkbox', { name: BOM_LABEL });
      expect(await bom.isChecked()).toBe(false);
      await bom.check();
      expect(await bom.isChecked()).toBe(true);

      const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Export' }).click()]);
      expect(download.suggestedFilename()).toBe('coded-passages.csv');
      expect(await download.failure()).toBeNull();
      const bytes = await readFile((await download.path())!);

      // One UTF-8 byte-order mark, then the header.
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(bytes.subarray(3, 3 + HEADER[0]!.length).toString('utf8')).toBe(HEADER[0]);
      const records = parse(bytes, { bom: true }) as string[][];
      expect(records[0]).toEqual(HEADER);
      expect(records.slice(1)).toEqual(expected);

      await expect.poll(() => page.getByRole('status').textContent()).toContain('Exported coded-passages.csv');
      await dialog.waitFor({ state: 'detached' });
      expect(ui.consoleErrors).toEqual([]);
    });
  });

  it('shows why the export failed when an annotations file is damaged, downloads nothing and leaves the file alone', async () => {
    const damage = async (projectDir: string): Promise<{ damaged: string; truncated: Buffer }> => {
      await buildProject(projectDir);
      // Cut the second document's passages file in half, as a crash or a bad sync might, before Gloss opens it.
      const damaged = path.join(projectDir, 'annotations', `${SECOND.id}.json`);
      const whole = await readFile(damaged);
      expect(JSON.parse(whole.toString('utf8'))).toMatchObject({ documentId: SECOND.id, annotations: [{}, {}] });
      const truncated = whole.subarray(0, Math.floor(whole.length / 2));
      await writeFile(damaged, truncated);
      expect(() => JSON.parse(truncated.toString('utf8'))).toThrow();
      return { damaged, truncated };
    };
    await inTempProject(damage, async ({ app, ui, prepared: { damaged, truncated } }) => {
      const { page } = ui;
      const downloads: Download[] = [];
      page.on('download', (d) => downloads.push(d));
      await openProject(page, app.url);
      const docs = page.getByRole('navigation', { name: 'Documents' });
      // The list counts from the project index and reads no passages file, so it cannot know yet;
      // the first document is fine, so nothing has gone wrong yet.
      expect(await page.getByRole('alert').count()).toBe(0);

      await page.getByRole('button', { name: 'Export CSV…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Export coded passages (CSV)' });
      await dialog.waitFor();
      const [response] = await Promise.all([
        page.waitForResponse((r) => new URL(r.url()).pathname === '/api/download/coded-passages.csv'),
        dialog.getByRole('button', { name: 'Export' }).click(),
      ]);
      expect(response.status()).toBe(409);
      expect(await response.json()).toMatchObject({ ok: false, error: { code: 'store_refused' } });

      const alert = page.getByRole('alert');
      await alert.waitFor();
      const text = (await alert.textContent()) ?? '';
      expect(text).toContain(`Exporting the CSV failed: ${damaged} is damaged`);
      expect(text).toContain('Gloss left it untouched');
      expect(text).not.toContain('Exported');

      expect(await readFile(damaged)).toEqual(truncated);
      // The readable document's passages are still there to work with.
      expect(await passagesOf(app, FIRST.id)).toHaveLength(2);
      expect(downloads).toEqual([]);

      // Opening the damaged document shows its text and says why its passages are not shown;
      // from then on the documents list marks it too.
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByRole('button', { name: 'Dismiss message' }).click();
      await expect.poll(() => page.getByRole('alert').count()).toBe(0);
      const second = docs.getByRole('button', { name: /Second report/ });
      await second.click();
      await page.getByRole('textbox', { name: 'Article text' }).getByRole('heading', { level: 1, name: SECOND.meta.title }).waitFor();
      await expect.poll(async () => (await page.getByRole('alert').textContent()) ?? '').toContain(`This document's coded passages cannot be shown: ${damaged} is damaged`);
      expect(await readFile(damaged)).toEqual(truncated);
      // Soft, so the checks after closing still run while this fails.
      await second.getByText('Coded passages unavailable').waitFor({ timeout: 5000 }).catch(() => undefined);
      expect.soft(await second.innerText(), 'the documents list, once the file was found damaged').toContain('Coded passages unavailable');
      // Closing the project (which saves it) does not touch the refused file either.
      return async () => expect(await readFile(damaged)).toEqual(truncated);
    });
  });
});
