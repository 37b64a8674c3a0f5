import { beforeAll, describe, expect, it } from 'vitest';
import { plainText } from '../../shared/plain-text';
import { passagesOf, skipBrowserTests, testClient, useAppAndBrowser } from './harness';
import { selectionText, selectWithMouse } from './ui';

const DOC = 'secret-police-pressure-on-families';
const TITLE = 'Secret Police Intensifies Pressure on Defectors’ Families';

describe.skipIf(skipBrowserTests)('working with coded passages', () => {
  const env = useAppAndBrowser();
  let text: string;
  beforeAll(async () => {
    const content = await env.app.core.handlers['documents.get']({ documentId: DOC }, testClient);
    text = plainText(content.blocks);
  });

  const list = () => env.ui.page.getByRole('list', { name: 'Coded passages in text order' }).getByRole('listitem');
  const stored = () => passagesOf(env.app, DOC);
  /** The layer classes (one per passage and code) on the highlighted segment whose text is `segment`. */
  function barsOn(segment: string): Promise<string[]> {
    return env.ui.page.evaluate((wanted) => {
      const seg = [...document.querySelectorAll('[aria-label="Article text"] .hl')].find((e) => e.textContent === wanted);
      return seg ? [...seg.classList].filter((c) => /^l\d-c/.test(c)) : [];
    }, segment);
  }
  async function open(): Promise<void> {
    await env.ui.page.goto(env.app.url);
    await env.ui.page.getByRole('navigation', { name: 'Documents' }).getByRole('button', { name: new RegExp(TITLE) }).click();
    // By name: the first article of the list is shown on load, and may draw before the one clicked.
    await env.ui.page.getByRole('textbox', { name: 'Article text' }).getByRole('heading', { level: 1, name: TITLE }).waitFor();
  }

  it('codes a keyboard selection with a digit key', async () => {
    await open();
    const { page } = env.ui;
    const phrase = 'The MSS is responsible for internal policing';
    // Put the caret just before the phrase (a click), then select with Shift+Right only.
    await selectWithMouse(page, phrase);
    const picker = page.getByRole('dialog', { name: 'Code the selection' });
    await picker.waitFor();
    await page.keyboard.press('Escape');
    await picker.waitFor({ state: 'detached' });
    // Known race, narrowed but not closed (highlights.ts, selectionUnread): highlights drawn
    // while Shift+arrows extend the selection can still move its end. The test lets that
    // drawing finish first, so that it checks keyboard coding, not that race.
    await page.waitForTimeout(600);
    await page.keyboard.press('ArrowLeft');
    for (let i = 0; i < phrase.length; i++) await page.keyboard.press('Shift+ArrowRight');
    expect(await selectionText(page)).toBe(phrase);
    await page.keyboard.press('Enter');
    await picker.waitFor();
    await page.keyboard.press('2'); // the second code in the codebook: Repression tactic › Surveillance
    await expect.poll(async () => (await stored()).map((a) => [a.quote.exact, a.codeIds])).toEqual([[phrase, ['repression-tactic.surveillance']]]);
  });

  it('shows nested and overlapping passages as layers, and asks which one a click means', async () => {
    const outer = text.indexOf('The MSS is responsible');
    const inner = text.indexOf('internal policing');
    await env.app.core.handlers['annotations.create']({ documentId: DOC, start: inner, end: inner + 'internal policing'.length, codeIds: ['source-reliability.named-source'] }, testClient);
    await env.app.core.handlers['annotations.create']({ documentId: DOC, start: outer + 4, end: outer + 60, codeIds: ['economic-change'] }, testClient);
    await open();
    const { page } = env.ui;
    await expect.poll(() => list().count()).toBe(3);
    // "internal policing" lies under all three passages: three layers, not one colour over another.
    // Polled: highlights away from the first screen are drawn when the browser is idle.
    await expect.poll(async () => (await barsOn('internal policing')).length).toBe(3);
    const box = await page.evaluate(() => {
      const seg = [...document.querySelectorAll('[aria-label="Article text"] .hl')].find((e) => e.textContent === 'internal policing')!;
      seg.scrollIntoView({ block: 'center' });
      const r = seg.getBoundingClientRect();
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    });
    await page.mouse.click(box.x, box.y);
    const chooser = page.getByRole('dialog', { name: 'Choose a passage' });
    await chooser.waitFor();
    expect(await chooser.getByRole('button').count()).toBe(3);
    await chooser.getByRole('button', { name: /Named source/ }).click();
    const details = page.getByRole('region', { name: 'Passage details' });
    // A second code on a passage adds its own bar in its own colour.
    const namedSource = (await stored()).find((a) => a.quote.exact === 'internal policing')!;
    await env.app.core.handlers['annotations.addCodes']({ documentId: DOC, id: namedSource.id, codeIds: ['economic-change.bribery'] }, testClient);
    await open();
    await expect.poll(async () => (await barsOn('internal policing')).length).toBe(4);
    expect(new Set((await barsOn('internal policing')).map((b) => b.split('-c')[1])).size).toBe(4);
    await env.app.core.handlers['annotations.removeCodes']({ documentId: DOC, id: namedSource.id, codeIds: ['economic-change.bribery'] }, testClient);
    await open();
    await expect.poll(() => list().count()).toBe(3);
    await page.getByRole('list', { name: 'Coded passages in text order' }).getByRole('button', { name: /“internal policing”/ }).click();
    expect(await details.innerText()).toContain('Source reliability › Named source');
  });

  it('adds and removes codes in the details, deletes, and undoes the delete', async () => {
    const { page } = env.ui;
    const details = page.getByRole('region', { name: 'Passage details' });
    await open();
    await page.getByRole('list', { name: 'Coded passages in text order' }).getByRole('button', { name: /“internal policing”/ }).click();
    await expect.poll(() => details.innerText()).toContain('Source reliability › Named source');
    await details.getByRole('button', { name: 'Add code…' }).click();
    const picker = page.getByRole('dialog', { name: 'Add a code to the passage' });
    await picker.waitFor();
    await page.keyboard.type('state media');
    await page.keyboard.press('Enter');
    await expect.poll(() => details.innerText()).toContain('Source reliability › State media');
    await details.getByRole('button', { name: 'Remove code Source reliability › Named source' }).click();
    await expect.poll(() => details.innerText()).not.toContain('Named source');
    const id = (await stored()).find((a) => a.quote.exact === 'internal policing')!.id;
    expect((await stored()).find((a) => a.id === id)!.codeIds).toEqual(['source-reliability.state-media']);
    await details.getByRole('button', { name: 'Delete passage' }).click();
    await expect.poll(() => list().count()).toBe(2);
    await page.getByRole('button', { name: 'Undo delete passage' }).click();
    await expect.poll(() => list().count()).toBe(3);
    expect((await stored()).find((a) => a.id === id)!.codeIds).toEqual(['source-reliability.state-media']);
    // Undo twice more: the removed code comes back, then the added one goes.
    await page.getByRole('button', { name: 'Undo remove code' }).click();
    await page.getByRole('button', { name: 'Undo add code' }).click();
    await expect.poll(async () => (await stored()).find((a) => a.id === id)!.codeIds).toEqual(['source-reliability.named-source']);
  });

  it('scrolls to a passage chosen in the list and flashes it', async () => {
    const { page } = env.ui;
    const first = (await stored()).sort((a, b) => a.position.start - b.position.start)[0]!;
    // Let the flash of the previous test's undo end, so only the chosen passage can flash.
    await expect.poll(() => page.evaluate(() => document.querySelectorAll('.hl.hl-flash').length), { timeout: 5000 }).toBe(0);
    await page.evaluate(() => document.querySelector('.reader')!.scrollTo(0, 100_000));
    await list().first().getByRole('button').click();
    const flashing = `.hl.hl-flash[data-passages~="${first.id}"]`;
    await expect.poll(() => page.evaluate((sel) => document.querySelectorAll(sel).length, flashing)).toBeGreaterThan(0);
    const visible = (): Promise<boolean> =>
      page.evaluate((sel) => {
        const r = document.querySelector(sel)!.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight;
      }, flashing);
    await expect.poll(visible).toBe(true);
    expect(env.ui.consoleErrors).toEqual([]);
  });
});
