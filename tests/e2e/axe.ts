import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

interface AxeResult {
  violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
}

/** The WCAG levels audited: 2.0, 2.1 and 2.2, A and AA. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/** Runs axe-core on the page as it is now; one line per violation (none: an empty list). */
export async function audit(page: Page, tags: readonly string[] = WCAG_TAGS): Promise<string[]> {
  const source = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // evaluate() runs outside the page's CSP, which rightly forbids injected inline scripts.
  await page.evaluate(`${source};0`);
  const result = (await page.evaluate(
    (values) => (window as unknown as { axe: { run(o: object): Promise<unknown> } }).axe.run({ runOnly: { type: 'tag', values } }),
    [...tags],
  )) as AxeResult;
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
