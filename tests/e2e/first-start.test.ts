import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { launchBrowser, passagesOf, skipBrowserTests, startApp, type App, type Ui } from './harness';
import { selectWithMouse } from './ui';

// The first start on a computer: Gloss asks who is coding, and the answer is a coder profile
// (id, name, initials, colour) that every passage records and that can be edited later.

describe.skipIf(skipBrowserTests)('first start: who is coding', () => {
  let app: App;
  let ui: Ui;
  beforeAll(async () => {
    app = await startApp({ coderName: null });
    ui = await launchBrowser();
  });
  afterAll(async () => {
    await ui?.close();
    await app?.close();
  });
  const profileFile = () => path.join(path.dirname(app.projectDir), 'profile.json');

  it('asks for a name, offering the login name, before anything can be coded', async () => {
    const { page } = ui;
    await page.goto(app.url);
    const dialog = page.getByRole('dialog', { name: 'Who is coding?' });
    await dialog.waitFor();
    const name = dialog.getByRole('textbox', { name: 'Name' });
    expect(await name.inputValue()).toBe(os.userInfo().username);
    await expect.poll(() => name.evaluate((el) => el === document.activeElement)).toBe(true);
    // Escape does not dismiss it: there is no coding without a coder.
    await page.keyboard.press('Escape');
    expect(await dialog.isVisible()).toBe(true);
    await name.fill('Dana Reyes');
    await dialog.getByRole('button', { name: 'Start coding' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Dana Reyes' }).waitFor();
    const stored = JSON.parse(await readFile(profileFile(), 'utf8')) as { coder: { id: string; name: string; initials: string; color: string } };
    expect(stored.coder).toMatchObject({ name: 'Dana Reyes', initials: 'DR' });
    expect(stored.coder.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('records the coder’s id with every passage, and shows their name', async () => {
    const { page } = ui;
    await selectWithMouse(page, 'My father is currently under heavy surveillance');
    await page.getByRole('dialog', { name: 'Code the selection' }).waitFor();
    await page.keyboard.press('1');
    const details = page.getByRole('region', { name: 'Passage details' });
    await expect.poll(() => details.innerText()).toContain('Dana Reyes');
    const stored = JSON.parse(await readFile(profileFile(), 'utf8')) as { coder: { id: string } };
    const [passage] = await passagesOf(app, 'dilemma-of-leaving-family');
    expect(passage!.coderId).toBe(stored.coder.id);
  });

  it('lets the coder change name, initials and colour later; passages keep pointing to them', async () => {
    const { page } = ui;
    await page.getByRole('button', { name: 'Dana Reyes' }).click();
    const dialog = page.getByRole('dialog', { name: 'Coder profile' });
    await dialog.waitFor();
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Dana Reyes-Ortiz');
    await dialog.getByRole('textbox', { name: 'Initials' }).fill('DRO');
    await dialog.getByRole('radio', { name: 'Colour #2ca02c' }).check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    const details = page.getByRole('region', { name: 'Passage details' });
    await expect.poll(() => details.innerText()).toContain('Dana Reyes-Ortiz');
    const stored = JSON.parse(await readFile(profileFile(), 'utf8')) as { coder: { id: string; initials: string; color: string } };
    expect(stored.coder).toMatchObject({ initials: 'DRO', color: '#2ca02c' });
    const [passage] = await passagesOf(app, 'dilemma-of-leaving-family');
    expect(passage!.coderId).toBe(stored.coder.id);
    // The project's coders list has the new name too (what exports show).
    expect((await app.core.handlers['coders.list']({}, { client: 'test' })).find((c) => c.id === stored.coder.id)?.name).toBe('Dana Reyes-Ortiz');
  });

  it('does not ask again once the coder is known', async () => {
    const { page } = ui;
    await page.reload();
    await page.getByRole('button', { name: 'Dana Reyes-Ortiz' }).waitFor();
    expect(await page.getByRole('dialog', { name: 'Who is coding?' }).count()).toBe(0);
  });
});
