import { describe, expect, it } from 'vitest';
import { skipBrowserTests, useAppAndBrowser } from './harness';

// Project settings: the project's name, changed from the toolbar, kept, and undoable.

describe.skipIf(skipBrowserTests)('project settings', () => {
  const env = useAppAndBrowser();

  it('renames the project from its name in the toolbar; the name stays after a reload, and Undo puts the old one back', async () => {
    const { page } = env.ui;
    await page.goto(env.app.url);
    const nameButton = page.getByRole('banner').getByRole('button', { name: 'Families of defectors' });
    await nameButton.click();
    const dialog = page.getByRole('dialog', { name: 'Project settings' });
    const field = dialog.getByRole('textbox', { name: 'Name' });
    await expect.poll(() => field.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('Thesis, chapter 3');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    const renamed = page.getByRole('banner').getByRole('button', { name: 'Thesis, chapter 3' });
    await renamed.waitFor();
    // Focus goes back to what opened the dialog.
    expect(await renamed.evaluate((el) => el === document.activeElement)).toBe(true);
    expect((await env.app.core.handlers['project.info']({}, { client: 'x' })).name).toBe('Thesis, chapter 3');
    await page.reload();
    await renamed.waitFor();
    await page.getByRole('button', { name: 'Undo rename project' }).click();
    await page.getByRole('banner').getByRole('button', { name: 'Families of defectors' }).waitFor();

    // Escape closes without renaming; the coder profile is one step away.
    await page.getByRole('banner').getByRole('button', { name: 'Families of defectors' }).click();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('banner').getByRole('button', { name: 'Families of defectors' }).click();
    await dialog.getByRole('button', { name: 'Coder profile…' }).click();
    await page.getByRole('dialog', { name: 'Coder profile' }).waitFor();
    expect(env.ui.consoleErrors).toEqual([]);
  });
});
