import { describe, expect, it } from 'vitest';
import { entriesById } from '../../main/core/retrieval-service';

// The passages query looks each document's entry up by id: one map per documents list, not a
// scan of the list for every document.

describe('a documents list by id', () => {
  const list = [{ id: 'a', textHash: '1' }, { id: 'b', textHash: '2' }];

  it('finds every entry, and nothing for an id the list lacks', () => {
    expect(entriesById(list).get('b')).toBe(list[1]);
    expect(entriesById(list).get('c')).toBeUndefined();
  });

  it('is made once per list, and afresh for a new list', () => {
    expect(entriesById(list)).toBe(entriesById(list));
    const next = [...list.slice(0, 1), { id: 'b', textHash: '3' }];
    expect(entriesById(next)).not.toBe(entriesById(list));
    expect(entriesById(next).get('b')?.textHash).toBe('3');
  });
});
