import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { codePhrase, skipBrowserTests, useAppAndBrowser } from './harness';
import { pointAt, selectWithMouse } from './ui';

/**
 * Where keyboard focus goes after the everyday actions of the passage panel, the overlap
 * chooser, the code picker and the export dialog (never to <body>), and copying a mouse
 * selection while the code picker is open. Each test codes the passages it needs through the
 * core and opens their article, so each can run alone.
 */

const DOCS = {
  dilemma: { id: 'dilemma-of-leaving-family', title: 'The dilemma of leaving my family behind in North Korea' },
  officials: { id: 'officials-bankroll-flight-risk-relatives', title: 'North Korean Officials, Businessmen Bankroll Poor Flight-Risk Relatives' },
  pyongyang: { id: 'pyongyang-moves-to-identify-defectors', title: 'Pyongyang Moves to Identify Defectors' },
  police: { id: 'secret-police-pressure-on-families', title: 'Secret Police Intensifies Pressure on Defectors’ Families' },
  threats: { id: 'threats-of-death-and-banishment', title: 'North Korea Said to Threaten Families of Defectors with Death and Banishment' },
} as const;
type Doc = (typeof DOCS)[keyof typeof DOCS];

/** Whether `locator` holds the keyboard focus. */
function focused(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => el === document.activeElement);
}

/** The focused element, described for failure messages ("BODY" when focus is lost). */
function activeElement(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'BODY';
    return `${el.tagName} ${el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 40) ?? ''}`.trim();
  });
}

describe.skipIf(skipBrowserTests)('keyboard focus and copying', () => {
  const env = useAppAndBrowser();
  const mod = process.platform === 'darwin' ? 'Meta' : 'Control';

  /** A tab opened by the test running, if it needs one of its own. */
  let tab: Page | null = null;
  const page = (): Page => tab ?? env.ui.page;
  const details = () => page().getByRole('region', { name: 'Passage details' });
  const detailsHeading = () => details().getByRole('heading', { name: 'Passage details' });
  const passageList = () => page().getByRole('list', { name: 'Coded passages in text order' });
  const listItem = (phrase: string) => passageList().getByRole('button', { name: new RegExp(`“${phrase}”`) });
  const article = () => page().getByRole('textbox', { name: 'Article text' });
  const picker = (name: 'Add a code to the passage' | 'Code the selection') => page().getByRole('dialog', { name });

  /** Codes the first occurrence of `phrase` in `doc` through the core (not the UI). */
  async function seed(doc: Doc, phrase: string, codeIds: string[]): Promise<void> {
    await codePhrase(env.app, doc.id, phrase, codeIds);
  }

  async function open(doc: Doc): Promise<void> {
    await page().goto(env.app.url);
    await page().getByRole('navigation', { name: 'Documents' }).getByRole('button', { name: new RegExp(doc.title) }).click();
    await article().getByRole('heading', { level: 1, name: doc.title }).waitFor();
    // The passage list is drawn a frame after the article.
    await expect.poll(() => passageList().getAttribute('aria-busy')).toBeNull();
  }

  /** Waits until `locator` has the focus, saying where the focus is otherwise. */
  async function expectFocus(locator: Locator): Promise<void> {
    await expect.poll(async () => ((await focused(locator)) ? 'there' : await activeElement(page()))).toBe('there');
  }

  it('moves focus to the next remove button, then to “Add code…”, as codes are removed', async () => {
    await seed(DOCS.officials, 'supporting their poor relatives financially', ['economic-change.officials-support-relatives', 'economic-change.bribery', 'source-reliability.anonymous-source']);
    await open(DOCS.officials);
    await listItem('supporting their poor relatives financially').click();
    await details().getByRole('button', { name: 'Remove code Economic change › Officials supporting poor relatives' }).click();
    await expectFocus(details().getByRole('button', { name: 'Remove code Economic change › Bribery' }));
    // The last code in the list: focus goes to the one before it.
    await details().getByRole('button', { name: 'Remove code Source reliability › Anonymous source' }).click();
    await expectFocus(details().getByRole('button', { name: 'Remove code Economic change › Bribery' }));
    await page().keyboard.press('Enter');
    await expect.poll(() => details().innerText()).toContain('No codes');
    await expectFocus(details().getByRole('button', { name: 'Add code…' }));
  });

  it('returns focus to “Add code…” after choosing a code or pressing Escape in the picker', async () => {
    await seed(DOCS.officials, 'collective punishment', ['repression-tactic.prison-camps-collective-punishment']);
    await open(DOCS.officials);
    await listItem('collective punishment').click();
    const add = details().getByRole('button', { name: 'Add code…' });
    await add.click();
    await picker('Add a code to the passage').waitFor();
    await page().keyboard.type('bribery');
    await page().keyboard.press('Enter');
    await expect.poll(() => details().innerText()).toContain('Economic change › Bribery');
    await expectFocus(add);
    await page().keyboard.press('Enter');
    await picker('Add a code to the passage').waitFor();
    await page().keyboard.press('Escape');
    await picker('Add a code to the passage').waitFor({ state: 'detached' });
    await expectFocus(add);
  });

  it('returns focus to the passage in the list when its details are closed', async () => {
    await seed(DOCS.dilemma, 'My father is currently under heavy surveillance', ['repression-tactic.surveillance']);
    await open(DOCS.dilemma);
    await listItem('My father is currently under heavy surveillance').click();
    await details().getByRole('button', { name: 'Close passage details' }).click();
    await details().waitFor({ state: 'detached' });
    await expectFocus(listItem('My father is currently under heavy surveillance'));
  });

  it('moves focus to the next passage, then to the list heading, as passages are deleted, and to the details when a delete is undone', async () => {
    await seed(DOCS.threats, 'put to death', ['repression-tactic.threats-of-execution']);
    await seed(DOCS.threats, 'exiled to remote areas', ['repression-tactic.banishment-relocation']);
    await open(DOCS.threats);
    await listItem('put to death').click();
    await details().getByRole('button', { name: 'Delete passage' }).click();
    await expect.poll(() => passageList().getByRole('listitem').count()).toBe(1);
    await expectFocus(listItem('exiled to remote areas'));
    // Open the last passage from the keyboard and delete it: no passage follows it.
    await page().keyboard.press('Enter');
    await details().getByRole('button', { name: 'Delete passage' }).click();
    await expect.poll(() => passageList().getByRole('listitem').count()).toBe(0);
    await expectFocus(page().getByRole('heading', { name: 'Coded passages (0)' }));
    await page().getByRole('button', { name: 'Undo delete passage' }).click();
    await expect.poll(() => details().innerText()).toContain('exiled to remote areas');
    await expectFocus(detailsHeading());
    // Again from the keyboard: the earlier delete is undone and its details take the focus.
    await page().keyboard.press(`${mod}+z`);
    await expect.poll(() => details().innerText()).toContain('put to death');
    await expectFocus(detailsHeading());
    await expect.poll(() => passageList().getByRole('listitem').count()).toBe(2);
  });

  it('focuses the details after a choice in the overlap chooser, the article after Escape, and closes the chooser on a click elsewhere', async () => {
    await seed(DOCS.police, 'The MSS is responsible for internal policing', ['source-reliability.named-source']);
    await seed(DOCS.police, 'internal policing', ['repression-tactic.surveillance']);
    await open(DOCS.police);
    const chooser = page().getByRole('dialog', { name: 'Choose a passage' });
    // Consecutive clicks land apart, or ProseMirror takes the second for a double click.
    const clickOverlap = async (where: number): Promise<void> => {
      // Polled: the highlights are drawn a moment after the article.
      await expect.poll(() => page().locator('.hl', { hasText: /^internal policing$/ }).count()).toBeGreaterThan(0);
      const at = await pointAt(page(), 'internal policing', where);
      await page().mouse.click(at.x, at.y);
      await chooser.waitFor();
    };
    await clickOverlap(0.2);
    await expectFocus(chooser.getByRole('button').first());
    await page().keyboard.press('ArrowDown');
    await page().keyboard.press('Enter');
    await chooser.waitFor({ state: 'detached' });
    await expect.poll(() => details().innerText()).toContain('Repression tactic › Surveillance');
    await expectFocus(detailsHeading());

    await clickOverlap(0.8);
    await page().keyboard.press('Escape');
    await chooser.waitFor({ state: 'detached' });
    await expectFocus(article());

    await clickOverlap(0.2);
    const elsewhere = await pointAt(page(), 'controls the labor camps');
    await page().mouse.click(elsewhere.x, elsewhere.y);
    await chooser.waitFor({ state: 'detached' });
    await expectFocus(article());

    // Tabbing out of the chooser closes it too.
    await clickOverlap(0.8);
    await page().keyboard.press('Tab');
    await page().keyboard.press('Tab');
    await chooser.waitFor({ state: 'detached' });
  });

  it('opens a passage with the first click on its highlight after Escape in the code picker', async () => {
    await seed(DOCS.pyongyang, 'the government is interrogating families', ['repression-tactic.interrogation']);
    await open(DOCS.pyongyang);
    await expect.poll(() => page().locator('.hl', { hasText: 'the government is interrogating families' }).count()).toBeGreaterThan(0);
    await selectWithMouse(page(), 'identify and punish families of defectors');
    await picker('Code the selection').waitFor();
    await page().keyboard.press('Escape');
    await picker('Code the selection').waitFor({ state: 'detached' });
    const at = await pointAt(page(), 'the government is interrogating families');
    await page().mouse.click(at.x, at.y);
    await expect.poll(() => details().count()).toBe(1);
    expect(await details().innerText()).toContain('the government is interrogating families');
  });

  it('copies the selected text with the keyboard while the code picker is open', async () => {
    const phrase = 'thorough investigations on families of people';
    // Headless Chromium keeps its own clipboard, which the page may read once allowed to.
    await env.ui.context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const clipboard = (): Promise<string> => page().evaluate(() => navigator.clipboard.readText());
    await open(DOCS.pyongyang);
    await page().evaluate(() => navigator.clipboard.writeText('(nothing copied)'));
    await selectWithMouse(page(), phrase);
    const filter = picker('Code the selection').getByRole('combobox', { name: 'Filter codes' });
    await expectFocus(filter);
    await page().keyboard.press(`${mod}+c`);
    await expect.poll(clipboard).toBe(phrase);
    // Text selected in the filter itself is copied as usual.
    await page().keyboard.type('surv');
    await page().keyboard.press(`${mod}+a`);
    await page().keyboard.press(`${mod}+c`);
    await expect.poll(clipboard).toBe('surv');
    await page().keyboard.press('Escape');
  });

  it('keeps Tab inside the export dialog, closes it with Escape from anywhere in it, and returns focus to “Export CSV…”', async () => {
    const exportButton = page().getByRole('button', { name: 'Export CSV…' });
    const dialog = page().getByRole('dialog', { name: 'Export coded passages (CSV)' });
    const inDialog = (): Promise<boolean> => dialog.evaluate((el) => el.contains(document.activeElement));
    await open(DOCS.dilemma);
    await exportButton.click();
    await expectFocus(dialog.getByRole('button', { name: 'Export' }));
    for (const key of ['Tab', 'Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
      await page().keyboard.press(key);
      expect(await inDialog(), `after ${key}: ${await activeElement(page())}`).toBe(true);
    }
    await page().keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expectFocus(exportButton);

    // Escape after a click on the dialog's text, which takes the focus from its buttons.
    await exportButton.click();
    await dialog.getByText('One row per coded passage').click();
    await page().keyboard.press('Tab');
    expect(await inDialog(), await activeElement(page())).toBe(true);
    await dialog.getByText('One row per coded passage').click();
    await page().keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await expectFocus(exportButton);

    await exportButton.click();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expectFocus(exportButton);

    await exportButton.click();
    await Promise.all([page().waitForEvent('download'), dialog.getByRole('button', { name: 'Export' }).click()]);
    await dialog.waitFor({ state: 'detached' });
    await expectFocus(exportButton);
    expect(env.ui.consoleErrors).toEqual([]);

    // A failed export leaves the dialog open, with the focus where it was.
    await page().route('**/api/download/coded-passages.csv', (route) => route.fulfill({ status: 500, contentType: 'text/plain', body: 'broken' }));
    await exportButton.click();
    await dialog.getByRole('button', { name: 'Export' }).click();
    await page().getByRole('alert').waitFor();
    await expectFocus(dialog.getByRole('button', { name: 'Export' }));
    await page().unroute('**/api/download/coded-passages.csv');
  });

  it('keeps focus on the Undo button when its last step is undone, and ignores it while nothing is left', async () => {
    // Main keeps each tab's undo history across reloads: a tab of its own starts with none,
    // whatever the tests before did in theirs.
    tab = await env.ui.context.newPage();
    try {
      await open(DOCS.pyongyang);
      const undo = page().getByRole('toolbar', { name: 'Actions' }).getByRole('button', { name: /^Undo/ });
      await expect.poll(() => undo.getAttribute('aria-disabled')).toBe('true');
      const before = await passageList().getByRole('listitem').count();
      // In the body: the title is the document's name, not text to code.
      await selectWithMouse(page(), 'The campaign is aimed');
      await picker('Code the selection').waitFor();
      await page().keyboard.press('1');
      await expect.poll(() => passageList().getByRole('listitem').count()).toBe(before + 1);
      await expect.poll(() => undo.textContent()).toBe('Undo code passage');
      await undo.click();
      await expect.poll(() => passageList().getByRole('listitem').count()).toBe(before);
      await expect.poll(() => undo.getAttribute('aria-disabled')).toBe('true');
      await expectFocus(undo);
      await page().keyboard.press('Enter'); // nothing to undo: nothing happens, and no error
      await expect.poll(() => passageList().getByRole('listitem').count()).toBe(before);
      expect(await page().getByRole('alert').count()).toBe(0);
    } finally {
      await tab.close();
      tab = null;
    }
  });
});
