import { describe, expect, it } from 'vitest';
import { CodePointMap } from '../../shared/codepoints';

/** The reference: count code points by walking the string. */
function cpOf(text: string, utf16: number): number {
  return Array.from(text.slice(0, utf16)).length;
}

describe('UTF-16 ↔ code point offsets', () => {
  const texts = ['plain ASCII', '', '𝒳', 'a😀b', '👨‍👩‍👧 family 🇰🇷 flag', 'e\u0301 combining', '조선 한글 𠀀𠀁 ext-B', '\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00'];

  it('agrees with walking the string at every boundary, both ways', () => {
    for (const text of texts) {
      const map = new CodePointMap(text);
      expect(map.length, text).toBe(Array.from(text).length);
      for (let u = 0; u <= text.length; u++) {
        const inside = u > 0 && u < text.length && /[\uDC00-\uDFFF]/.test(text[u]!) && /[\uD800-\uDBFF]/.test(text[u - 1]!);
        if (inside) continue;
        const cp = map.toCodePoints(u);
        expect(cp, `${text} @${u}`).toBe(cpOf(text, u));
        expect(map.toUtf16(cp), `${text} back from ${cp}`).toBe(u);
      }
    }
  });

  it('resolves an offset inside a surrogate pair to the character’s start', () => {
    const map = new CodePointMap('a😀b');
    expect(map.toCodePoints(2)).toBe(1);
    expect(map.toUtf16(map.toCodePoints(2))).toBe(1);
  });

  it('clamps offsets outside the text', () => {
    const map = new CodePointMap('a😀');
    expect(map.toCodePoints(-5)).toBe(0);
    expect(map.toCodePoints(99)).toBe(2);
    expect(map.toUtf16(99)).toBe(3);
  });

  it('treats lone surrogates as one code point each, as JavaScript does', () => {
    const text = 'a\uD800b\uDC00c';
    const map = new CodePointMap(text);
    expect(map.length).toBe(5);
    for (let u = 0; u <= text.length; u++) expect(map.toCodePoints(u)).toBe(u);
  });

  it('stays exact on long texts with many astral characters', () => {
    let text = '';
    for (let i = 0; i < 5000; i++) text += i % 3 === 0 ? '😀' : i % 7 === 0 ? '𝒳x' : 'ab';
    const map = new CodePointMap(text);
    for (let u = 0; u <= text.length; u += 37) {
      const inside = /[\uDC00-\uDFFF]/.test(text[u] ?? '');
      if (inside) continue;
      expect(map.toCodePoints(u)).toBe(cpOf(text, u));
      expect(map.toUtf16(map.toCodePoints(u))).toBe(u);
    }
  });
});
