import { afterEach, describe, expect, it, vi } from 'vitest';
import { inVivoParentOf, inVivoTarget, storedInVivoParent } from '../../renderer/in-vivo';
import { readPreferences, writePreferences } from '../../renderer/preferences';
import { isInVivoKey } from '../../renderer/shortcuts';
import { testCodes } from '../support/project';

// The window's side of in-vivo coding: its key, where its codes go, and that choice kept per project.

/** A key press as the browser reports it (only what isInVivoKey reads). */
const press = (key: string, mods: { ctrl?: boolean; meta?: boolean; alt?: boolean; shift?: boolean } = {}, code = `Key${key.toUpperCase()}`) =>
  ({ key, code, ctrlKey: !!mods.ctrl, metaKey: !!mods.meta, altKey: !!mods.alt, shiftKey: !!mods.shift }) as KeyboardEvent;

/** A Storage in memory, or one that refuses every write. */
function memoryStorage(refuse = false): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    key: (i: number) => [...items.keys()][i] ?? null,
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => {
      if (refuse) throw new DOMException('full', 'QuotaExceededError');
      items.set(k, v);
    },
    removeItem: (k: string) => void items.delete(k),
    clear: () => items.clear(),
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the In-vivo code key', () => {
  it('is Ctrl+I, and ⌘I on macOS', () => {
    expect(isInVivoKey(press('i', { ctrl: true }), false)).toBe(true);
    expect(isInVivoKey(press('I', { ctrl: true }), false)).toBe(true);
    expect(isInVivoKey(press('i', { meta: true }), false)).toBe(false);
    expect(isInVivoKey(press('i', { meta: true }), true)).toBe(true);
    expect(isInVivoKey(press('i', { ctrl: true }), true)).toBe(false);
  });

  it('is not I with other modifiers, nor another letter', () => {
    expect(isInVivoKey(press('i'), false)).toBe(false);
    expect(isInVivoKey(press('i', { ctrl: true, shift: true }), false)).toBe(false);
    expect(isInVivoKey(press('i', { ctrl: true, alt: true }), false)).toBe(false);
    expect(isInVivoKey(press('i', { ctrl: true, meta: true }), false)).toBe(false);
    expect(isInVivoKey(press('u', { ctrl: true }), false)).toBe(false);
  });

  it('goes by the letter typed where it is Latin (Dvorak), by the physical key otherwise (Cyrillic)', () => {
    // Dvorak: the key where QWERTY has I types C.
    expect(isInVivoKey(press('c', { ctrl: true }, 'KeyI'), false)).toBe(false);
    expect(isInVivoKey(press('i', { ctrl: true }, 'KeyG'), false)).toBe(true);
    // Russian: the same key types ш.
    expect(isInVivoKey(press('ш', { ctrl: true }, 'KeyI'), false)).toBe(true);
  });
});

describe('where in-vivo codes go', () => {
  it('is the chosen code while it is in the codebook, the top level once it is deleted', () => {
    expect(inVivoParentOf({ codes: testCodes, inVivoParent: 'a' })).toBe('a');
    expect(inVivoParentOf({ codes: testCodes, inVivoParent: null })).toBeNull();
    expect(inVivoParentOf({ codes: testCodes.filter((c) => c.id !== 'c'), inVivoParent: 'c' })).toBeNull();
  });

  it('names the code and finds one of that name there already', () => {
    expect(inVivoTarget({ codes: testCodes, inVivoParent: 'a' }, '  “beta”  ')).toEqual({ name: 'beta', parentId: 'a', existing: testCodes[1] });
    expect(inVivoTarget({ codes: testCodes, inVivoParent: null }, 'beta')).toEqual({ name: 'beta', parentId: null, existing: undefined });
    expect(inVivoTarget({ codes: testCodes, inVivoParent: null }, ' … ')).toBeNull();
  });

  it('is kept per project folder', () => {
    vi.stubGlobal('localStorage', memoryStorage());
    expect(storedInVivoParent('/projects/one')).toBeNull();
    writePreferences('/projects/one', { inVivoParent: 'a' });
    expect(storedInVivoParent('/projects/one')).toBe('a');
    expect(storedInVivoParent('/projects/two')).toBeNull();
    writePreferences('/projects/one', { inVivoParent: null });
    expect(storedInVivoParent('/projects/one')).toBeNull();
  });

  it('ignores damaged entries, and lasts the page where storage refuses to keep it', () => {
    const storage = memoryStorage();
    vi.stubGlobal('localStorage', storage);
    storage.setItem('gloss.project-preferences:/p', '{not json');
    expect(readPreferences('/p')).toEqual({});
    storage.setItem('gloss.project-preferences:/p', JSON.stringify({ inVivoParent: 42 }));
    expect(storedInVivoParent('/p')).toBeNull();

    vi.stubGlobal('localStorage', memoryStorage(true));
    writePreferences('/refused', { inVivoParent: 'c' });
    expect(storedInVivoParent('/refused')).toBe('c');
  });
});
