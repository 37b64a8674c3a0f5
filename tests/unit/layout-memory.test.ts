import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  flushLayoutMemory,
  MAX_PLACES,
  rememberDocument,
  rememberedDocument,
  rememberedPanels,
  rememberedPlace,
  rememberPanels,
  rememberPlace,
  resetLayoutMemoryForTests,
} from '../../renderer/layout-memory';

// What the window remembers per project on this computer, in the page's storage.

/** A localStorage of the page's kind, over a Map. */
class MemoryStorage {
  readonly items = new Map<string, string>();
  refuse = false;
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    if (this.refuse) throw new Error('QuotaExceededError');
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

let storage: MemoryStorage;
const g = globalThis as { localStorage?: unknown };

beforeEach(() => {
  storage = new MemoryStorage();
  g.localStorage = storage;
  resetLayoutMemoryForTests();
});
afterEach(() => {
  delete g.localStorage;
  resetLayoutMemoryForTests();
});

/** As a reloaded page would find it: only what reached storage. */
function reload(): void {
  flushLayoutMemory();
  resetLayoutMemoryForTests();
}

describe('the layout memory', () => {
  it('keeps panels, the last document and reading places across a reload, per project folder', () => {
    rememberPanels('/p/one', { documents: false, rightWidth: 420 });
    rememberDocument('/p/one', 'doc-b');
    rememberPlace('/p/one', 'doc-b', { offset: 1234, within: 7 });
    rememberPlace('/p/one', 'doc-a', { px: 90 });
    rememberPanels('/p/two', { passages: false });
    reload();
    expect(rememberedPanels('/p/one')).toEqual({ documents: false, rightWidth: 420 });
    expect(rememberedPanels('/p/two')).toEqual({ passages: false });
    expect(rememberedDocument('/p/one', [{ id: 'doc-a' }, { id: 'doc-b' }])).toBe('doc-b');
    expect(rememberedPlace('/p/one', 'doc-b')).toEqual({ offset: 1234, within: 7 });
    expect(rememberedPlace('/p/one', 'doc-a')).toEqual({ px: 90 });
    expect(rememberedPlace('/p/two', 'doc-b')).toBeUndefined();
    // Nothing of it is in a key another project could read.
    expect([...storage.items.keys()].sort()).toEqual(['gloss.layout:/p/one', 'gloss.layout:/p/two']);
  });

  it('falls back when the document last open is gone', () => {
    rememberDocument('/p', 'deleted');
    reload();
    expect(rememberedDocument('/p', [{ id: 'other' }])).toBeUndefined();
  });

  it('forgets a place at the start, and the least recently read places beyond its bound', () => {
    rememberPlace('/p', 'top', { offset: 10, within: 0 });
    rememberPlace('/p', 'top', null);
    for (let i = 0; i < MAX_PLACES + 5; i++) rememberPlace('/p', `d${i}`, { offset: i, within: 0 }, 1000 + i);
    reload();
    expect(rememberedPlace('/p', 'top')).toBeUndefined();
    expect(rememberedPlace('/p', 'd0')).toBeUndefined();
    expect(rememberedPlace('/p', 'd4')).toBeUndefined();
    expect(rememberedPlace('/p', 'd5')).toEqual({ offset: 5, within: 0 });
    expect(rememberedPlace('/p', `d${MAX_PLACES + 4}`)).toEqual({ offset: MAX_PLACES + 4, within: 0 });
  });

  it('ignores what it did not write, and keeps going in memory where storage refuses', () => {
    storage.items.set('gloss.layout:/p', JSON.stringify({ panels: { documents: 'yes', leftWidth: 300 }, document: 7, places: { a: { offset: 'x' }, b: { px: 4, at: 1 } } }));
    expect(rememberedPanels('/p')).toEqual({ leftWidth: 300 });
    expect(rememberedDocument('/p', [{ id: '7' }])).toBeUndefined();
    expect(rememberedPlace('/p', 'a')).toBeUndefined();
    expect(rememberedPlace('/p', 'b')).toEqual({ px: 4 });
    storage.items.set('gloss.layout:/broken', '{not json');
    expect(rememberedPanels('/broken')).toEqual({});

    storage.refuse = true;
    rememberPanels('/q', { codes: false });
    flushLayoutMemory();
    expect(rememberedPanels('/q')).toEqual({ codes: false });
  });

  it('writes nothing when nothing changed', () => {
    rememberPanels('/p', { codes: true });
    flushLayoutMemory();
    storage.items.clear();
    rememberPanels('/p', { codes: true });
    rememberPlace('/p', 'a', null);
    flushLayoutMemory();
    expect(storage.items.size).toBe(0);
  });
});
