import type { Block } from './model';
import { forEachTextblock, textblockSpans } from './plain-text';

/**
 * Where a passage is, as a citation says it: the page for a text read from pages (a PDF, which
 * remembers the page each block starts on), otherwise the paragraph number, counted as a reader
 * counts them: paragraphs and list items, not headings. A passage over several gives a range
 * ("12–13"), which the citation style labels ("pp.", "paras.").
 */

export interface Locator {
  label: 'page' | 'paragraph';
  value: string;
}

/** The textblock holding `offset` (the one after it, when the offset falls between two). */
function textblockAt(ends: readonly number[], offset: number): number {
  let lo = 0;
  let hi = ends.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ends[mid]! < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const range = (a: number, b: number): string => (a === b ? String(a) : `${a}–${b}`);

/**
 * The locator of the passage [start, end) of the text of `blocks`; `pages[i]` is the page
 * top-level block i starts on, when the text has pages. Null for an empty text.
 */
export function locatorFor(blocks: readonly Block[], pages: readonly number[] | undefined, start: number, end: number): Locator | null {
  // Each textblock's text, and the top-level block it is in and whether it is a heading.
  const texts: string[] = [];
  const owners: { top: number; heading: boolean }[] = [];
  const tops = forEachTextblock(blocks, (text, top, heading) => {
    texts.push(text);
    owners.push({ top, heading });
  });
  if (texts.length === 0) return null;
  const ends = textblockSpans(texts).map((s) => s.end);
  const first = textblockAt(ends, start);
  const last = textblockAt(ends, Math.max(start, end - 1));
  if (pages && pages.length === tops) {
    const from = pages[owners[first]!.top]!;
    const to = pages[owners[last]!.top]!;
    return { label: 'page', value: range(from, Math.max(from, to)) };
  }
  // Paragraph numbers: a heading is no paragraph; a passage starting in one counts from the next.
  const numbers: number[] = [];
  let n = 0;
  for (const o of owners) numbers.push(o.heading ? n : ++n);
  const from = owners[first]!.heading ? Math.min(numbers[first]! + 1, Math.max(n, 1)) : numbers[first]!;
  const to = Math.max(from, numbers[last]!);
  return { label: 'paragraph', value: range(from, Math.max(from, to)) };
}
