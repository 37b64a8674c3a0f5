import type { Page } from 'playwright-core';

/** Drags the mouse across `phrase` in the article, as a user selecting it would. */
export async function selectWithMouse(page: Page, phrase: string): Promise<void> {
  const points = await page.evaluate((needle) => {
    const root = document.querySelector('[aria-label="Article text"]');
    if (!root) throw new Error('no article');
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
      const i = n.data.indexOf(needle);
      if (i < 0) continue;
      n.parentElement!.scrollIntoView({ block: 'center' });
      const r = document.createRange();
      r.setStart(n, i);
      r.setEnd(n, i + 1);
      const a = r.getBoundingClientRect();
      r.setStart(n, i + needle.length - 1);
      r.setEnd(n, i + needle.length);
      const b = r.getBoundingClientRect();
      return { x1: a.left + 1, y1: a.top + a.height / 2, x2: b.right - 1, y2: b.top + b.height / 2 };
    }
    throw new Error(`phrase not found in one text node: ${needle}`);
  }, phrase);
  await page.mouse.move(points.x1, points.y1);
  await page.mouse.down();
  await page.mouse.move(points.x2, points.y2, { steps: 8 });
  await page.mouse.up();
}

/** The text of the page's current DOM selection. */
export function selectionText(page: Page): Promise<string> {
  return page.evaluate(() => document.getSelection()?.toString() ?? '');
}
