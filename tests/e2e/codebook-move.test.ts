import { afterAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { treeRows } from '../../shared/codebook';
import { launchBrowser, skipBrowserTests, testClient, useAppAndBrowser, type Ui } from './harness';

// Moving codes in the codebook tree: dragged with the mouse onto a code (a child) or onto its
// upper or lower edge (a sibling before or after it), refused onto the code's own descendants;
// stepped among siblings with Move up / Move down and with Alt+↑/↓ on a row, the focus staying
// on the moved code. Each move is one undo step and shows in another window.

describe.skipIf(skipBrowserTests)('moving codes in the codebook', () => {
  const env = useAppAndBrowser();
  let second: Ui | undefined;
  afterAll(async () => {
    await second?.close();
  });

  const tree = (page: Page) => page.getByRole('list', { name: 'Codebook' });
  /** A code's row in the tree; its name is followed by its key and counts ("Surveillance (key 2; 0 in this document, 0 in the project)"). */
  const codeButton = (page: Page, name: string) => tree(page).getByRole('button', { name: new RegExp(`^${name} \\((key \\S+; )?\\d`) });
  const details = (page: Page) => page.getByRole('region').filter({ has: page.getByRole('textbox', { name: 'Name' }) });
  const status = (page: Page) => page.getByRole('status').filter({ hasText: /is now|already/ });
  const focused = (locator: Locator) => locator.evaluate((el) => el === document.activeElement);
  /** The rows drawn (the list is virtualised: those on screen), each as its place in the tree and a line of an outline, indented by its `aria-level`. */
  const drawn = (page: Page) =>
    tree(page)
      .getByRole('listitem')
      .evaluateAll((items) => items.map((li) => ({ index: Number(li.getAttribute('data-index')), line: `${'  '.repeat(Number(li.getAttribute('aria-level')) - 1)}${li.querySelector('.code-name')?.textContent ?? ''}` })));
  /** The codebook as main has it, as an outline. */
  const saved = async () => treeRows((await env.app.core.handlers['codebook.get']({}, testClient)).codes).map((r) => `${'  '.repeat(r.depth)}${r.code.name}`);
  /** The rows drawn that are not what main's codebook has at their place (none when the page shows the codebook as saved). */
  const misdrawn = async (page: Page) => {
    const [rows, lines] = [await drawn(page), await saved()];
    return rows.length === 0 ? ['(no rows)'] : rows.filter((r) => lines[r.index] !== r.line).map((r) => `${r.index}: ${r.line}`);
  };
  /** Closes the details of a code, if open: the tree then has the height of the panel, every row on screen. */
  const closeDetails = async (page: Page) => {
    const close = details(page).getByRole('button', { name: 'Close code details' });
    if ((await close.count()) > 0) await close.click();
  };
  /** Where the pointer is over a code's row: its upper edge, its middle or its lower edge. */
  const spot = async (page: Page, name: string, zone: 'before' | 'into' | 'after') => {
    const b = (await codeButton(page, name).boundingBox())!;
    return { x: b.x + b.width / 2, y: zone === 'before' ? b.y + 2 : zone === 'after' ? b.y + b.height - 2 : b.y + b.height / 2 };
  };
  /**
   * Drags code `from` with the mouse onto `zone` of code `to`'s row; `release` false keeps the
   * button down. Both rows must be on screen: Chromium starts a drag at the old place of the
   * pointer when the button goes down during a scroll, which Playwright's own scroll-into-view
   * before a drag can cause.
   */
  const drag = async (page: Page, from: string, to: string, zone: 'before' | 'into' | 'after', release = true) => {
    await closeDetails(page);
    const start = await spot(page, from, 'into');
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    const end = await spot(page, to, zone);
    await page.mouse.move(end.x, end.y, { steps: 6 });
    if (release) await page.mouse.up();
  };
  /** The outline's lines from `first` up to (not including) the next line at `first`'s level or above. */
  const branch = (lines: readonly string[], first: string): string[] => {
    const at = lines.findIndex((l) => l.trim() === first);
    const indent = lines[at]!.length - lines[at]!.trimStart().length;
    const end = lines.findIndex((l, i) => i > at && l.length - l.trimStart().length <= indent);
    return lines.slice(at, end < 0 ? undefined : end);
  };

  const REPRESSION = [
    'Repression tactic',
    '  Surveillance',
    '  Interrogation',
    '  Banishment and relocation',
    '  Prison camps and collective punishment',
    '  Threats of execution',
    '  Family held as hostage',
    '  Background checks',
  ];
  const ECONOMIC = ['Economic change', '  Remittances', '  Bribery', '  Smuggling and cross-border trade', '  New wealth and status of defectors’ families', '  Officials supporting poor relatives'];

  it('draws every row of the default codebook, as main has it', async () => {
    const page = env.ui.page;
    onTestFailed(async () => console.log('on failure:', env.ui.consoleErrors, await tree(page).ariaSnapshot()));
    // Tall enough for the whole tree to be on screen while no code's details are open.
    await page.setViewportSize({ width: 1280, height: 1800 });
    await page.goto(env.app.url);
    await codeButton(page, 'Background checks').waitFor();
    await expect.poll(() => misdrawn(page)).toEqual([]);
    expect((await drawn(page)).length).toBe((await saved()).length);
    expect(branch(await saved(), 'Repression tactic')).toEqual(REPRESSION);
    expect(branch(await saved(), 'Economic change')).toEqual(ECONOMIC);
  });

  it('drags a code onto another to make it that code’s child, in every window, and undoes it', async () => {
    const page = env.ui.page;
    second = await launchBrowser();
    const other = second.page;
    await other.goto(env.app.url);
    await codeButton(other, 'Bribery').waitFor();
    await page.bringToFront();

    // Playwright's own drag: the pointer from the middle of one row to the middle of the other.
    await codeButton(page, 'Bribery').dragTo(codeButton(page, 'Surveillance'));
    const under = ['Repression tactic', '  Surveillance', '    Bribery', ...REPRESSION.slice(2)];
    await expect.poll(async () => branch(await saved(), 'Repression tactic')).toEqual(under);
    expect(branch(await saved(), 'Economic change')).toEqual(ECONOMIC.filter((l) => l !== '  Bribery'));
    await expect.poll(() => misdrawn(page)).toEqual([]);
    // The moved code is selected, its row has the focus, and the move is said.
    await expect.poll(() => codeButton(page, 'Bribery').getAttribute('aria-current')).toBe('true');
    await expect.poll(() => focused(codeButton(page, 'Bribery'))).toBe(true);
    expect(await details(page).getByRole('heading', { level: 3 }).innerText()).toMatch(/Repression tactic › Surveillance › Bribery/);
    await expect.poll(() => status(page).innerText()).toContain('“Bribery” is now 1 of 1 in “Repression tactic › Surveillance”.');
    await expect.poll(() => misdrawn(other), { timeout: 5000 }).toEqual([]);

    await page.keyboard.press('Control+z');
    await expect.poll(async () => branch(await saved(), 'Economic change')).toEqual(ECONOMIC);
    await expect.poll(() => misdrawn(page)).toEqual([]);
    await expect.poll(() => misdrawn(other), { timeout: 5000 }).toEqual([]);
    await second.close();
    second = undefined;
  });

  it('drags a code onto the upper edge of a row to place it before, and onto the lower edge to place it after', async () => {
    const page = env.ui.page;
    await page.bringToFront();
    await drag(page, 'Background checks', 'Interrogation', 'before');
    const before = ['Repression tactic', '  Surveillance', '  Background checks', ...REPRESSION.slice(2, -1)];
    await expect.poll(async () => branch(await saved(), 'Repression tactic')).toEqual(before);
    await expect.poll(() => misdrawn(page)).toEqual([]);
    await expect.poll(() => focused(codeButton(page, 'Background checks'))).toBe(true);

    // After a row that is not last: before its next sibling.
    await drag(page, 'Remittances', 'Smuggling and cross-border trade', 'after');
    const after = ['Economic change', '  Bribery', '  Smuggling and cross-border trade', '  Remittances', ...ECONOMIC.slice(4)];
    await expect.poll(async () => branch(await saved(), 'Economic change')).toEqual(after);
    await expect.poll(() => misdrawn(page)).toEqual([]);
    // A top-level code after the last top-level one: at the very end.
    await drag(page, 'Economic change', 'Source reliability', 'after');
    await expect.poll(async () => (await saved()).filter((l) => !l.startsWith(' '))).toEqual(['Repression tactic', 'Source reliability', 'Economic change']);
    await expect.poll(() => misdrawn(page)).toEqual([]);
    expect(branch(await saved(), 'Economic change')).toEqual(after);
  });

  it('shows where a drop lands, and refuses a drop onto the code’s own descendant', async () => {
    const page = env.ui.page;
    const indicators = page.locator('.drop-before, .drop-after, .drop-into');
    const was = await saved();
    // Over another code's middle: an outline on that row; over its edges, a line.
    await drag(page, 'Repression tactic', 'Named source', 'into', false);
    await expect.poll(() => indicators.count()).toBe(1);
    expect(await indicators.first().getAttribute('class')).toMatch(/drop-into/);
    expect(await indicators.first().innerText()).toMatch(/^Named source/);
    const edge = await spot(page, 'Named source', 'after');
    await page.mouse.move(edge.x, edge.y, { steps: 2 });
    await expect.poll(async () => (await indicators.first().getAttribute('class')) ?? '').toMatch(/drop-after/);
    const own = await spot(page, 'Interrogation', 'into');
    // Over one of its own children: no indicator, and dropping there does nothing.
    await page.mouse.move(own.x, own.y, { steps: 6 });
    await expect.poll(() => indicators.count()).toBe(0);
    await page.mouse.up();
    await expect.poll(() => indicators.count()).toBe(0);
    expect(await saved()).toEqual(was);
    expect(await misdrawn(page)).toEqual([]);
    expect(env.ui.consoleErrors).toEqual([]);
  });

  it('moves the selected code up and down among its siblings with the details’ buttons, disabled at the ends', async () => {
    const page = env.ui.page;
    await codeButton(page, 'Surveillance').click();
    const up = details(page).getByRole('button', { name: 'Move up' });
    const down = details(page).getByRole('button', { name: 'Move down' });
    expect(await up.getAttribute('aria-disabled')).toBe('true');
    expect(await down.getAttribute('aria-disabled')).toBeNull();
    const kids = async () => branch(await saved(), 'Repression tactic').slice(1, 4);
    // Disabled: pressing it changes nothing (Playwright does not click a disabled button: the keyboard does).
    await up.focus();
    await page.keyboard.press('Enter');
    expect(await kids()).toEqual(['  Surveillance', '  Background checks', '  Interrogation']);

    await down.click();
    await expect.poll(kids).toEqual(['  Background checks', '  Surveillance', '  Interrogation']);
    await expect.poll(() => up.getAttribute('aria-disabled')).toBeNull();
    await expect.poll(() => status(page).innerText()).toContain('“Surveillance” is now 2 of 7 in “Repression tactic”.');
    const row = codeButton(page, 'Surveillance').locator('xpath=ancestor::li[1]');
    await expect.poll(() => row.getAttribute('aria-posinset')).toBe('2');
    // The focus stays on the button, for the next press.
    expect(await focused(down)).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(kids).toEqual(['  Background checks', '  Interrogation', '  Surveillance']);
    await up.click();
    await up.click();
    await expect.poll(kids).toEqual(['  Surveillance', '  Background checks', '  Interrogation']);
    await expect.poll(() => up.getAttribute('aria-disabled')).toBe('true');
    await expect.poll(() => misdrawn(page)).toEqual([]);

    // The last of its siblings cannot go down.
    await codeButton(page, 'Family held as hostage').click();
    await expect.poll(() => details(page).getByRole('heading', { level: 3 }).innerText()).toMatch(/Family held as hostage/);
    expect(await down.getAttribute('aria-disabled')).toBe('true');
    expect(await up.getAttribute('aria-disabled')).toBeNull();
  });

  it('moves a code among its siblings with Alt+↑ and Alt+↓ on its row, keeping the focus there, and Ctrl+Z restores the order', async () => {
    const page = env.ui.page;
    onTestFailed(async () => console.log('on failure:', env.ui.consoleErrors, await page.evaluate(() => [document.activeElement?.outerHTML.slice(0, 300), document.querySelector('.notice')?.textContent])));
    const threats = codeButton(page, 'Threats of execution');
    const row = threats.locator('xpath=ancestor::li[1]');
    const order = async () => branch(await saved(), 'Repression tactic').slice(5, 8);
    expect(await order()).toEqual(['  Prison camps and collective punishment', '  Threats of execution', '  Family held as hostage']);
    expect(await row.getAttribute('aria-posinset')).toBe('6');
    await threats.focus();
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(order).toEqual(['  Threats of execution', '  Prison camps and collective punishment', '  Family held as hostage']);
    await expect.poll(() => row.getAttribute('aria-posinset')).toBe('5');
    await expect.poll(() => focused(threats)).toBe(true);
    await expect.poll(() => threats.getAttribute('aria-current')).toBe('true');
    await expect.poll(() => misdrawn(page)).toEqual([]);

    // Two presses in a row move it two places.
    await page.keyboard.press('Alt+ArrowDown');
    await page.keyboard.press('Alt+ArrowDown');
    await expect.poll(order).toEqual(['  Prison camps and collective punishment', '  Family held as hostage', '  Threats of execution']);
    await expect.poll(() => row.getAttribute('aria-posinset')).toBe('7');
    await expect.poll(() => focused(threats)).toBe(true);
    // At the end, it says so and stays.
    await page.keyboard.press('Alt+ArrowDown');
    await expect.poll(() => status(page).innerText()).toContain('“Threats of execution” is already last among its siblings.');
    expect(await order()).toEqual(['  Prison camps and collective punishment', '  Family held as hostage', '  Threats of execution']);
    // Plain arrows still move the focus through the tree.
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => focused(codeButton(page, 'Family held as hostage'))).toBe(true);
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => focused(threats)).toBe(true);

    await page.keyboard.press('Control+z');
    await expect.poll(order).toEqual(['  Prison camps and collective punishment', '  Threats of execution', '  Family held as hostage']);
    await expect.poll(() => misdrawn(page)).toEqual([]);
    await page.keyboard.press('Control+z');
    await expect.poll(order).toEqual(['  Threats of execution', '  Prison camps and collective punishment', '  Family held as hostage']);
    expect(env.ui.consoleErrors).toEqual([]);
  });
});
