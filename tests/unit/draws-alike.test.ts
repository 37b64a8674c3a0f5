import { describe, expect, it } from 'vitest';
import type { Code } from '../../shared/model';
import { drawsAlike } from '../../renderer/state';

const codebook = (): Code[] => [
  { id: 'a', name: 'Alpha', color: '#112233', description: '', parentId: null, slot: 0 },
  { id: 'b', name: 'Beta', color: '#445566', description: '', parentId: 'a', slot: 1, shortcut: '1' },
];
/** The codebook with code `i` changed by `change`. */
const changed = (i: number, change: Partial<Code>): Code[] => codebook().map((c, k) => (k === i ? { ...c, ...change } : c));

describe('whether two codebooks draw passages alike', () => {
  it('ignores colours, descriptions and shortcuts', () => {
    expect(drawsAlike(codebook(), changed(1, { color: '#abcdef' }))).toBe(true);
    expect(drawsAlike(codebook(), changed(0, { description: 'Memo' }))).toBe(true);
    expect(drawsAlike(codebook(), changed(1, { shortcut: '2' }))).toBe(true);
  });

  it('tells a new name, parent or slot', () => {
    expect(drawsAlike(codebook(), changed(0, { name: 'Renamed' }))).toBe(false);
    expect(drawsAlike(codebook(), changed(1, { parentId: null }))).toBe(false);
    expect(drawsAlike(codebook(), changed(1, { slot: 7 }))).toBe(false);
  });

  it('tells a code added, removed or moved', () => {
    const extra: Code = { id: 'c', name: 'Gamma', color: '#778899', description: '', parentId: null, slot: 2 };
    expect(drawsAlike(codebook(), [...codebook(), extra])).toBe(false);
    expect(drawsAlike(codebook(), codebook().slice(1))).toBe(false);
    expect(drawsAlike(codebook(), codebook().reverse())).toBe(false);
  });
});
