import type { Page } from 'playwright-core';

interface Box {
  left: number;
  right: number;
  top: number;
  height: number;
}

/**
 * The boxes of characters of `phrase` (which must lie in one text node of the article), at the
 * given fractions of its length (0 is the first character, 1 the last), after scrolling it into view.
 */
function charBoxes(page: Page, phrase: string, along: readonly number[]): Promise<Box[]> {
  return page.evaluate(
    ([needle, fractions]) => {
      const root = document.querySelector('[aria-label="Article text"]');
      if (!root) throw new Error('no article');
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
        const i = n.data.indexOf(needle);
        if (i < 0) continue;
        n.parentElement!.scrollIntoView({ block: 'center' });
        return fractions.map((f) => {
          const at = i + Math.min(needle.length - 1, Math.floor(f * needle.length));
          const r = document.createRange();
          r.setStart(n, at);
          r.setEnd(n, at + 1);
          const { left, right, top, height } = r.getBoundingClientRect();
          return { left, right, top, height };
        });
      }
      throw new Error(`phrase not found in one text node: ${needle}`);
    },
    [phrase, along] as const,
  );
}

/** The middle of the character of `phrase` at fraction `where` of it, scrolled into view. */
export async function pointAt(page: Page, phrase: string, where = 0.5): Promise<{ x: number; y: number }> {
  const [box] = await charBoxes(page, phrase, [where]);
  return { x: (box!.left + box!.right) / 2, y: box!.top + box!.height / 2 };
}

/** Drags the mouse across `phrase` in the article, as a user selecting it would. */
export async function selectWithMouse(page: Page, phrase: string): Promise<void> {
  const [a, b] = await charBoxes(page, phrase, [0, 1]);
  await page.mouse.move(a!.left + 1, a!.top + a!.height / 2);
  await page.mouse.down();
  await page.mouse.move(b!.right - 1, b!.top + b!.height / 2, { steps: 8 });
  await page.mouse.up();
}

/** The text of the page's current DOM selection. */
export function selectionText(page: Page): Promise<string> {
  return page.evaluate(() => document.getSelection()?.toString() ?? '');
}
