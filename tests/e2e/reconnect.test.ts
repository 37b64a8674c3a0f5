import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { openCore } from '../../main/core/open';
import { startWebServer } from '../../main/web/server';
import { codePhrase, launchBrowser, repoRoot, skipBrowserTests, staticDir, startApp, type App, type Ui } from './harness';

// A window whose connection to main breaks (the server restarted, the computer slept) catches
// up on what it missed when it reconnects, or reloads its state when main no longer has it.

const DOC = 'dilemma-of-leaving-family';
const TITLE = 'The dilemma of leaving my family behind in North Korea';

describe.skipIf(skipBrowserTests)('reconnecting to main', () => {
  let app: App;
  let ui: Ui;
  const extra: { close(): Promise<void> }[] = [];
  beforeAll(async () => {
    app = await startApp();
    ui = await launchBrowser();
  });
  afterAll(async () => {
    for (const e of extra.reverse()) await e.close().catch(() => undefined);
    await ui?.close();
    await app?.close();
  });

  const passages = () => ui.page.getByRole('list', { name: 'Coded passages in text order' }).getByRole('listitem');
  const count = () => ui.page.getByRole('navigation', { name: 'Documents' }).getByRole('button', { name: new RegExp(TITLE) }).innerText();

  it('catches up on changes made while the server was away', async () => {
    const { page } = ui;
    await page.goto(app.url);
    await page.getByRole('textbox', { name: 'Article text' }).getByRole('heading', { level: 1, name: TITLE }).waitFor();
    await app.server.close();
    await codePhrase(app, DOC, 'My father is currently under heavy surveillance', ['repression-tactic.surveillance']);
    // The same address again (as `gloss web --port` would give after a restart).
    const server = await startWebServer({ core: app.core, staticDir, port: app.server.port, token: app.server.token });
    extra.push(server);
    await expect.poll(() => passages().count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => count()).toContain('1 coded passage');
  });

  it('reloads its state when main was restarted and no longer has the events missed', async () => {
    const { page } = ui;
    const port = app.server.port;
    const token = app.server.token;
    await extra.pop()!.close();
    await app.core.close();
    // Main starts again on the same project: its feed starts empty at the project's revision.
    const core = await openCore({ projectDir: app.projectDir, corpusDir: path.join(repoRoot, 'corpus'), profileFile: path.join(path.dirname(app.projectDir), 'profile.json') });
    extra.push(core);
    await codePhrase({ ...app, core }, DOC, 'Ask a North Korean', ['economic-change']);
    await codePhrase({ ...app, core }, DOC, 'January 23rd', ['economic-change']);
    const server = await startWebServer({ core, staticDir, port, token });
    extra.push(server);
    await expect.poll(() => passages().count(), { timeout: 15_000 }).toBe(3);
    await expect.poll(() => count()).toContain('3 coded passages');
    expect(await page.getByRole('alert').count()).toBe(0);
  });
});
