import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { profileFile } from '../../main/core/paths';
import { ProfileStore } from '../../main/core/profile';
import { launchBrowser, repoRoot, skipBrowserTests, type Ui } from './harness';
import { selectWithMouse } from './ui';

/**
 * The environment of a `gloss web` whose per-user folder (and so its coder profile) is `home`,
 * never the user's own.
 */
function envWithHome(home: string): NodeJS.ProcessEnv {
  return { ...process.env, HOME: home, USERPROFILE: home, XDG_CONFIG_HOME: path.join(home, '.config'), APPDATA: path.join(home, 'AppData', 'Roaming') };
}

/** Gives the Gloss run with `envWithHome(home)` a coder profile, so it does not ask who is coding. */
async function makeProfile(home: string): Promise<void> {
  const profile = await ProfileStore.open(profileFile(envWithHome(home), process.platform, home));
  await profile.save({ name: 'E2E Coder' });
}

/** Runs `gloss web` as a real process and resolves with it and the address it prints. */
async function startGloss(projectDir: string, home: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'node', 'cli.mjs'), 'web', '--project', projectDir], { stdio: ['ignore', 'pipe', 'pipe'], env: envWithHome(home) });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => /^http:\/\/127\.0\.0\.1:\d+\/\?token=/.test(l));
      if (line) resolve(line.trim());
    });
    child.once('exit', (code) => reject(new Error(`gloss web exited (${code}): ${err}`)));
  });
  return { child, url };
}

describe.skipIf(skipBrowserTests)('a killed process loses nothing it acknowledged', () => {
  let ui: Ui;
  let dir: string;
  let gloss: { child: ChildProcess; url: string } | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-crash-'));
    ui = await launchBrowser();
  });
  afterAll(async () => {
    gloss?.child.kill('SIGKILL');
    await ui?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps a coded passage and its memo after SIGKILL of the app', async () => {
    const project = path.join(dir, 'project');
    const home = path.join(dir, 'home');
    await makeProfile(home);
    gloss = await startGloss(project, home);
    const { page } = ui;
    await page.goto(gloss.url);
    await page.getByRole('textbox', { name: 'Article text' }).getByRole('heading', { level: 1 }).waitFor();
    await selectWithMouse(page, 'My father is currently under heavy surveillance');
    await page.getByRole('dialog', { name: 'Code the selection' }).waitFor();
    await page.keyboard.press('1');
    await page.getByRole('textbox', { name: 'Memo' }).fill('Written just before the crash');
    await page.getByRole('region', { name: 'Passage details' }).getByRole('status').getByText('Saved').waitFor();
    // The same moment a user would see "Saved": no flush, no goodbye.
    gloss.child.kill('SIGKILL');
    await new Promise((r) => gloss!.child.once('exit', r));

    gloss = await startGloss(project, home);
    await page.goto(gloss.url);
    const list = page.getByRole('list', { name: 'Coded passages in text order' }).getByRole('listitem');
    await expect.poll(() => list.count()).toBe(1);
    const item = await list.first().innerText();
    expect(item).toContain('My father is currently under heavy surveillance');
    expect(item).toContain('Memo: Written just before the crash');
    expect(item).toContain('Repression tactic');
  });
});
