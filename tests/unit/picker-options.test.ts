import { describe, expect, it } from 'vitest';
import type { Code } from '../../shared/model';
import { creatableName, matchingEntries, pickerEntries, recentFirst } from '../../renderer/picker-options';

// What the code picker offers for a filter, without a window.

/** A code under `parentId`; slots by creation order. */
let slot = 0;
const code = (id: string, name: string, parentId: string | null = null): Code => ({ id, name, color: '#000000', description: '', parentId, slot: slot++ });

const codebook: Code[] = [code('work', 'Work'), code('pay', 'Pay', 'work'), code('home', 'Home'), code('rent', 'Rent paid', 'home')];
const ids = (list: readonly { code: Code }[]) => list.map((e) => e.code.id);

describe('the picker options', () => {
  it('lists every code in tree order with its path, matched without regard to case', () => {
    const entries = pickerEntries(codebook);
    expect(entries.map((e) => e.path)).toEqual(['Work', 'Work › Pay', 'Home', 'Home › Rent paid']);
    expect(ids(matchingEntries(entries, entries, '  PAY '))).toEqual(['pay']);
    expect(ids(matchingEntries(entries, entries, 'pa'))).toEqual(['pay', 'rent']);
    expect(ids(matchingEntries(entries, entries, 'home'))).toEqual(['home', 'rent']);
    expect(matchingEntries(entries, entries, 'nothing')).toEqual([]);
  });

  it('puts the recent codes first while the filter is empty, and the tree order once it is not', () => {
    const entries = pickerEntries(codebook);
    const recent = recentFirst(entries, ['rent', 'gone', 'work']);
    expect(ids(recent)).toEqual(['rent', 'work', 'pay', 'home']);
    expect(ids(matchingEntries(entries, recent, ''))).toEqual(['rent', 'work', 'pay', 'home']);
    expect(ids(matchingEntries(entries, recent, 'r'))).toEqual(['work', 'pay', 'rent']);
    expect(recentFirst(entries, [])).toBe(entries);
  });

  it('offers every code of a large codebook that matches', () => {
    const many = Array.from({ length: 1000 }, (_, i) => code(`c${i}`, `Code ${i}`));
    const entries = pickerEntries(many);
    expect(matchingEntries(entries, entries, 'code 9').length).toBe(111);
    expect(matchingEntries(entries, entries, 'code').length).toBe(1000);
  });

  it('offers to create a top-level code for a name no top-level code has', () => {
    expect(creatableName(codebook, '  Travel ')).toBe('Travel');
    expect(creatableName(codebook, 'work')).toBeNull();
    // A child's name is free at the top level.
    expect(creatableName(codebook, 'Pay')).toBe('Pay');
    expect(creatableName(codebook, '   ')).toBeNull();
    expect(creatableName(codebook, 'x'.repeat(201))).toBeNull();
  });
});
