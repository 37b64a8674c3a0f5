import { describe, expect, it } from 'vitest';
import { segmentSpans } from '../../shared/segments';

describe('segments of overlapping passages', () => {
  it('cuts nested and overlapping passages into runs with their covering set, outermost first', () => {
    const segs = segmentSpans([
      { id: 'inner', start: 4, end: 6 },
      { id: 'outer', start: 0, end: 10 },
      { id: 'cross', start: 8, end: 14 },
    ]);
    expect(segs).toEqual([
      { start: 0, end: 4, ids: ['outer'] },
      { start: 4, end: 6, ids: ['outer', 'inner'] },
      { start: 6, end: 8, ids: ['outer'] },
      { start: 8, end: 10, ids: ['outer', 'cross'] },
      { start: 10, end: 14, ids: ['cross'] },
    ]);
  });
  it('leaves gaps uncovered and ignores empty spans', () => {
    expect(segmentSpans([{ id: 'a', start: 0, end: 2 }, { id: 'b', start: 5, end: 6 }, { id: 'z', start: 3, end: 3 }])).toEqual([
      { start: 0, end: 2, ids: ['a'] },
      { start: 5, end: 6, ids: ['b'] },
    ]);
  });
  it('keeps two passages on the same span as two layers', () => {
    expect(segmentSpans([{ id: 'b', start: 1, end: 3 }, { id: 'a', start: 1, end: 3 }])).toEqual([{ start: 1, end: 3, ids: ['a', 'b'] }]);
  });
});
