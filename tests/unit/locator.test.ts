import { describe, expect, it } from 'vitest';
import type { Block } from '../../shared/model';
import { locatorFor } from '../../shared/locator';
import { plainText } from '../../shared/plain-text';

// The locator a quotation cites: pages for texts read from pages, paragraph numbers otherwise.

const p = (text: string): Block => ({ type: 'paragraph', text });
const h = (text: string): Block => ({ type: 'heading', level: 2, text });
const BLOCKS: Block[] = [h('Intro'), p('First para.'), p('Second para.'), { type: 'blockquote', children: [p('Quoted para.')] }, h('Later'), { type: 'list', ordered: false, items: [[p('Item one.')], [p('Item two.')]] }];
const TEXT = plainText(BLOCKS);
const at = (words: string): [number, number] => {
  const start = TEXT.indexOf(words);
  return [start, start + words.length];
};

describe('locators', () => {
  it('numbers paragraphs as a reader does, not counting headings', () => {
    expect(locatorFor(BLOCKS, undefined, ...at('First'))).toEqual({ label: 'paragraph', value: '1' });
    expect(locatorFor(BLOCKS, undefined, ...at('Quoted para.'))).toEqual({ label: 'paragraph', value: '3' });
    expect(locatorFor(BLOCKS, undefined, ...at('Item two'))).toEqual({ label: 'paragraph', value: '5' });
  });

  it('gives a range for a passage over several paragraphs', () => {
    const [start] = at('Second');
    const [, end] = at('Item one.');
    expect(locatorFor(BLOCKS, undefined, start, end)).toEqual({ label: 'paragraph', value: '2–4' });
  });

  it('counts a passage starting in a heading from the paragraph after it', () => {
    const [start] = at('Later');
    const [, end] = at('Item one');
    expect(locatorFor(BLOCKS, undefined, start, end)).toEqual({ label: 'paragraph', value: '4' });
    expect(locatorFor(BLOCKS, undefined, ...at('Intro'))).toEqual({ label: 'paragraph', value: '1' });
  });

  it('cites pages when the text has them', () => {
    const pages = [1, 1, 2, 2, 3, 4];
    expect(locatorFor(BLOCKS, pages, ...at('Second'))).toEqual({ label: 'page', value: '2' });
    const [start] = at('Quoted');
    const [, end] = at('Item two');
    expect(locatorFor(BLOCKS, pages, start, end)).toEqual({ label: 'page', value: '2–4' });
  });

  it('falls back to paragraphs when the pages do not fit the blocks, and gives nothing for no text', () => {
    expect(locatorFor(BLOCKS, [1, 2], ...at('Second'))).toEqual({ label: 'paragraph', value: '2' });
    expect(locatorFor([], undefined, 0, 0)).toBeNull();
  });
});
