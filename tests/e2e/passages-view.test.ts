import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { codePhrase, passagesOf, skipBrowserTests, testClient, useAppAndBrowser } from './harness';

// The passages view as a user meets it: every coded passage of the project in one list, chosen
// with a boolean query, following changes made elsewhere, opening a passage in its article, and
// exported as it is shown.

const SECRET = 'secret-police-pressure-on-families';
const OFFICIALS = 'officials-bankroll-flight-risk-relatives';

describe.skipIf(skipBrowserTests)('the passages view', () => {
  const env = useAppAndBrowser();
  const view = () => env.ui.page.getByRole('region', { name: 'All coded passages' });
  const rows = () => view().getByRole('list', { name: 'Passages matching the query' }).getByRole('listitem');
  const status = () => view().getByRole('status');
  const query = () => view().getByRole('searchbox', { name: 'Query' });

  beforeAll(async () => {
    await codePhrase(env.app, SECRET, 'The MSS is responsible for internal policing', ['repression-tactic.surveillance']);
    await codePhrase(env.app, SECRET, 'internal policing', ['source-reliability.named-source']);
    await codePhrase(env.app, OFFICIALS, 'High-ranking officials in North Korea', ['economic-change.officials-support-relatives', 'repression-tactic']);
    // A document variable to filter by.
    const made = await env.app.core.handlers['variables.create']({ name: 'Outlet', type: 'text' }, testClient);
    await env.app.core.handlers['documents.update']({ documentId: OFFICIALS, changes: {}, base: {}, values: { [made.variableId!]: 'RFA' }, valuesBase: { [made.variableId!]: null } }, testClient);
  });

  it('lists every passage, and narrows them with a boolean query and a variable', async () => {
    const { page } = env.ui;
    await page.goto(env.app.url);
    await page.getByRole('navigation', { name: 'Documents' }).waitFor();
    await page.keyboard.press('Control+Shift+L');
    await expect.poll(() => status().textContent()).toBe('3 passages in the project');
    expect(await page.getByRole('tab', { name: 'All passages' }).getAttribute('aria-selected')).toBe('true');
    // The query field has the focus: the user can type at once.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('retrieval-query');
    expect(await rows().count()).toBe(3);
    // In the documents' order, then the text's.
    const titles = (await rows().allTextContents()).map((t) => (t.startsWith('North Korean Officials') ? 'officials' : t.startsWith('Secret Police') ? 'secret' : t));
    const order = (await env.app.core.handlers['documents.list']({}, testClient)).map((d) => d.id);
    expect(titles).toEqual(order.indexOf(OFFICIALS) < order.indexOf(SECRET) ? ['officials', 'secret', 'secret'] : ['secret', 'secret', 'officials']);

    await query().fill('code:"Repression tactic" AND NOT code:"Source reliability"');
    await expect.poll(() => status().textContent()).toBe('2 passages match');
    await query().fill('code:"Repression tactic" AND @Outlet=RFA');
    await expect.poll(() => status().textContent()).toBe('1 passage match');
    expect(await rows().first().textContent()).toContain('High-ranking officials in North Korea');
    expect(await rows().first().textContent()).toContain('Officials supporting poor relatives');

    // A code from the list joins the query with AND.
    await query().fill('');
    await view().getByRole('combobox', { name: 'Filter by code' }).selectOption({ label: 'Source reliability › Named source' });
    expect(await query().inputValue()).toBe('code:"Source reliability › Named source"');
    await expect.poll(() => status().textContent()).toBe('1 passage match');
  });

  it('says what is wrong with a query, and lists nothing meanwhile', async () => {
    await query().fill('code:"Nowhere"');
    await expect.poll(() => status().textContent()).toMatch(/^This query cannot be run: No code is named “Nowhere”/);
    expect(await query().getAttribute('aria-invalid')).toBe('true');
    expect(await rows().count()).toBe(0);
    await query().fill('code:Interrogation AND');
    await expect.poll(() => status().textContent()).toBe('This query cannot be run: The query ends where a term was expected.');
    await query().fill('code:Interrogation');
    await expect.poll(() => status().textContent()).toBe('0 passages match');
    expect(await query().getAttribute('aria-invalid')).toBeNull();
  });

  it('follows a change made elsewhere, without a reload', async () => {
    await query().fill('code:"Repression tactic"');
    await expect.poll(() => status().textContent()).toBe('2 passages match');
    await codePhrase(env.app, SECRET, 'families', ['repression-tactic.interrogation']);
    await expect.poll(() => status().textContent(), { timeout: 3000 }).toBe('3 passages match');
    await expect.poll(() => rows().count()).toBe(3);
  });

  it('exports what it shows as CSV and Markdown', async () => {
    const { page } = env.ui;
    const [csv] = await Promise.all([page.waitForEvent('download'), view().getByRole('button', { name: 'Export CSV…' }).click()]);
    expect(csv.suggestedFilename()).toBe('passages.csv');
    const text = await readFile((await csv.path())!, 'utf8');
    const lines = text.trim().split('\r\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^document_id,document_title,passage_id,/);
    expect(text).toContain('High-ranking officials in North Korea');
    expect(text).not.toContain(',internal policing,');
    const [md] = await Promise.all([page.waitForEvent('download'), view().getByRole('button', { name: 'Export Markdown…' }).click()]);
    expect(md.suggestedFilename()).toBe('passages.md');
    const markdown = await readFile((await md.path())!, 'utf8');
    expect(markdown).toContain('3 passages matching `code:"Repression tactic"`.');
    expect(markdown).toContain('> The MSS is responsible for internal policing');
    await expect.poll(() => page.getByText(/^Exported passages\.md \(3 passages\)/).count()).toBe(1);
  });

  it('recodes the passages chosen, or every passage of the query, in one undo step each', async () => {
    const { page } = env.ui;
    const codesOf = async () => {
      const all = [...(await passagesOf(env.app, SECRET)), ...(await passagesOf(env.app, OFFICIALS))];
      return all.filter((a) => a.codeIds.includes('source-reliability.anonymous-source')).map((a) => a.quote.exact).sort();
    };
    await rows().nth(0).getByRole('checkbox').check();
    // Shift and a click take the run between.
    await rows().nth(2).getByRole('checkbox').click({ modifiers: ['Shift'] });
    const bar = view().getByRole('group', { name: 'Recode the chosen passages' });
    expect(await bar.textContent()).toContain('3 chosen');
    await rows().nth(1).getByRole('checkbox').uncheck();
    expect(await bar.textContent()).toContain('2 chosen');
    const chosen = (await Promise.all([0, 2].map((i) => rows().nth(i).locator('mark').textContent()))).map((t) => t!).sort();
    await bar.getByRole('combobox', { name: 'Add code' }).selectOption({ label: 'Source reliability › Anonymous source' });
    await expect.poll(codesOf).toEqual(chosen);
    await expect.poll(() => page.getByText('Recoded 2 passages. Undo takes it back.').count()).toBe(1);
    // The rows show their new code, without a reload.
    await expect.poll(() => rows().getByText('Source reliability › Anonymous source').count()).toBe(2);
    await page.getByRole('button', { name: /^Undo recode 2 passages/ }).click();
    await expect.poll(codesOf).toEqual([]);

    await bar.getByRole('button', { name: 'Choose all 3' }).click();
    expect(await bar.textContent()).toContain('3 chosen (every passage of the query)');
    await bar.getByRole('combobox', { name: 'Add code' }).selectOption({ label: 'Source reliability › Anonymous source' });
    await expect.poll(async () => (await codesOf()).length).toBe(3);
    await expect.poll(() => bar.textContent()).toContain('No passage chosen');
    await page.keyboard.press('Control+z');
    await expect.poll(codesOf).toEqual([]);
  });

  it('copies a passage as a quotation with its citation, in the style chosen', async () => {
    const { page, context } = env.ui;
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(env.app.url).origin });
    const clipboard = () => page.evaluate(async () => {
      const [item] = await navigator.clipboard.read();
      return { text: await (await item!.getType('text/plain')).text(), html: item!.types.includes('text/html') ? await (await item!.getType('text/html')).text() : null };
    });
    const row = rows().filter({ hasText: 'High-ranking officials in North Korea' });
    await view().getByRole('combobox', { name: 'Citation style' }).selectOption({ label: 'MLA 9' });
    await row.getByRole('button', { name: /^Copy quotation “High-ranking officials/ }).click();
    await expect.poll(async () => (await clipboard()).text).toContain('“High-ranking officials in North Korea”');
    const copied = await clipboard();
    // MLA: author and paragraph, "par."; the reference follows.
    expect(copied.text).toMatch(/\(Kim and Lipes, par\. \d+\)/);
    expect(copied.html).toContain('<i>RFA</i>');
    // The key on a row does the same, in the same style.
    await page.evaluate(() => navigator.clipboard.writeText('-'));
    await row.getByRole('button', { name: /High-ranking officials/ }).first().focus();
    await page.keyboard.press('Alt+Shift+C');
    await expect.poll(async () => (await clipboard()).text).toContain('“High-ranking officials in North Korea”');
  });

  it('opens a passage in its article, and comes back to the list as it was', async () => {
    const { page } = env.ui;
    await rows().filter({ hasText: 'High-ranking officials in North Korea' }).getByRole('button', { name: /^North Korean Officials/ }).click();
    await expect.poll(() => view().isVisible()).toBe(false);
    await page.getByRole('textbox', { name: 'Article text' }).getByRole('heading', { level: 1, name: /Officials, Businessmen Bankroll/ }).waitFor();
    const details = page.getByRole('region', { name: 'Passage details' });
    await details.waitFor();
    expect(await details.textContent()).toContain('High-ranking officials in North Korea');
    await page.getByRole('tab', { name: 'All passages' }).click();
    await expect.poll(() => status().textContent()).toBe('3 passages match');
    expect(await query().inputValue()).toBe('code:"Repression tactic"');
    // Choosing a document goes back to its article.
    await page.getByRole('navigation', { name: 'Documents' }).getByRole('button', { name: /Secret Police/ }).click();
    await expect.poll(() => view().isVisible()).toBe(false);
  });

  it('leaves the article where it was read, and out of reach while the view covers it', async () => {
    const { page } = env.ui;
    const reader = page.getByRole('main', { name: 'Article' });
    await reader.evaluate((el) => void (el.scrollTop = 600));
    const at = await reader.evaluate((el) => el.scrollTop);
    expect(at).toBeGreaterThan(300);
    await page.keyboard.press('Control+Shift+L');
    await view().waitFor();
    expect(await reader.evaluate((el) => (el as HTMLElement).inert)).toBe(true);
    // Find goes to the query field while the view is shown, not to the hidden article.
    await view().getByRole('button', { name: 'Run' }).focus();
    await page.keyboard.press('Control+f');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('retrieval-query');
    expect(await page.getByRole('search', { name: 'Find in article' }).count()).toBe(0);
    await page.keyboard.press('Control+Shift+L');
    await expect.poll(() => view().isVisible()).toBe(false);
    expect(Math.abs((await reader.evaluate((el) => el.scrollTop)) - at)).toBeLessThan(2);
  });
});
