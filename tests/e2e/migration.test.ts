import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser, repoRoot, skipBrowserTests, startApp, type App, type Ui } from './harness';

// A project written by Gloss 0.1 (tests/fixtures/project-v1), opened in the app as a user would.

describe.skipIf(skipBrowserTests)('opening a Gloss 0.1 project', () => {
  let app: App;
  let ui: Ui;
  let base: string;
  beforeAll(async () => {
    base = await mkdtemp(path.join(os.tmpdir(), 'gloss-e2e-v1-'));
    await cp(path.join(repoRoot, 'tests', 'fixtures', 'project-v1'), path.join(base, 'project'), { recursive: true });
    app = await startApp({ projectDir: path.join(base, 'project'), profileFile: path.join(base, 'profile.json') });
    ui = await launchBrowser();
  });
  afterAll(async () => {
    await ui?.close();
    await app?.close();
    await rm(base, { recursive: true, force: true });
  });

  it('says what the update did, until the user dismisses it', async () => {
    const { page } = ui;
    await page.goto(app.url);
    const status = page.getByRole('status').filter({ hasText: 'updated this project' });
    await status.waitFor();
    expect(await status.innerText()).toMatch(/6 documents, 35 coded passages/);
    await new Promise((r) => setTimeout(r, 5500));
    expect(await status.isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Dismiss message' }).click();
    await status.waitFor({ state: 'detached' });
  });

  it('shows every document with its passages, codes, memos and coders', async () => {
    const { page } = ui;
    const docs = page.getByRole('navigation', { name: 'Documents' });
    await expect.poll(() => docs.getByRole('button', { name: /The dilemma of leaving/ }).innerText()).toContain('9 coded passages');
    await docs.getByRole('button', { name: /Famílias/ }).click();
    const list = page.getByRole('list', { name: 'Coded passages in text order' }).getByRole('listitem');
    // Virtualised: the rows say how many the list holds.
    await expect.poll(() => list.first().getAttribute('aria-setsize')).toBe('13');
    await list.first().getByRole('button').click();
    const details = page.getByRole('region', { name: 'Passage details' });
    await expect.poll(() => details.innerText()).toMatch(/Ana Lima|Kim Ji-woo/);
    // Nothing lies outside the text: no passage is listed as "could not be placed".
    expect(await page.getByRole('heading', { name: /Could not be placed/ }).count()).toBe(0);
  });
});
