import { describe, expect, it } from 'vitest';
import type { Block } from '../../shared/model';
import { forEachTextblock, plainText, textblockTexts } from '../../shared/plain-text';

// The one walk over a document's textblocks, shared by the plain text and the locator: each
// textblock in order with the top-level block it is in, over the tree as the viewer shows it.

const h = (text: string): Block => ({ type: 'heading', level: 1, text });
const p = (text: string): Block => ({ type: 'paragraph', text });

function walked(blocks: Block[]): { seen: [string, number, boolean][]; tops: number } {
  const seen: [string, number, boolean][] = [];
  const tops = forEachTextblock(blocks, (text, top, heading) => seen.push([text, top, heading]));
  return { seen, tops };
}

describe('walking the textblocks of a document', () => {
  it('visits headings and paragraphs in order, inside quotes and lists, with their top-level block', () => {
    const blocks: Block[] = [
      h('Title'),
      { type: 'blockquote', children: [p('quoted'), { type: 'list', ordered: false, items: [[p('one')], [p('two')]] }] },
      p('last'),
    ];
    expect(walked(blocks)).toEqual({
      seen: [['Title', 0, true], ['quoted', 1, false], ['one', 1, false], ['two', 1, false], ['last', 2, false]],
      tops: 3,
    });
    expect(textblockTexts(blocks)).toEqual(['Title', 'quoted', 'one', 'two', 'last']);
    expect(plainText(blocks)).toBe('Title\n\nquoted\n\none\n\ntwo\n\nlast');
  });

  it('walks the normalised tree: an empty quote or list item has an empty paragraph', () => {
    const blocks: Block[] = [{ type: 'blockquote', children: [] }, { type: 'list', ordered: true, items: [[]] }];
    expect(walked(blocks)).toEqual({ seen: [['', 0, false], ['', 1, false]], tops: 2 });
  });

  it('visits nothing for no blocks', () => {
    expect(walked([])).toEqual({ seen: [], tops: 0 });
  });
});
