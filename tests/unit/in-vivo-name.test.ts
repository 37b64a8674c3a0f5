import { describe, expect, it } from 'vitest';
import { IN_VIVO_NAME_MAX, inVivoName, nameProblem } from '../../shared/codebook';

// The name an in-vivo code gets from the words of its passage.

const words = (n: number, word = 'word'): string => Array.from({ length: n }, () => word).join(' ');
/** No half of a surrogate pair left alone. */
const wellFormed = (s: string): boolean => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

describe('in-vivo code names', () => {
  it('makes every run of white space one space and trims the ends', () => {
    expect(inVivoName('  under heavy\n\n  surveillance\t')).toBe('under heavy surveillance');
    expect(inVivoName('a\u00a0b\u2003c')).toBe('a b c');
  });

  it('takes off the quotes and punctuation around the words, not inside them', () => {
    expect(inVivoName('“We had no choice.”')).toBe('We had no choice');
    expect(inVivoName('"they watch us," she said')).toBe('they watch us," she said');
    expect(inVivoName('‘sold out’')).toBe('sold out');
    expect(inVivoName('«la famille»')).toBe('la famille');
    expect(inVivoName('„Grenze“')).toBe('Grenze');
    expect(inVivoName('— and then, ')).toBe('and then');
    expect(inVivoName('¿Por qué?')).toBe('Por qué');
    expect(inVivoName('「家族」。')).toBe('家族');
    expect(inVivoName("don't leave...")).toBe("don't leave");
  });

  it('keeps signs that carry meaning at the ends', () => {
    expect(inVivoName('50%')).toBe('50%');
    expect(inVivoName('#MeToo')).toBe('#MeToo');
    expect(inVivoName('$100')).toBe('$100');
  });

  it('takes off brackets around all of it or cut off from their partner, and keeps pairs inside', () => {
    expect(inVivoName('(laughs)')).toBe('laughs');
    expect(inVivoName('the state (MSS)')).toBe('the state (MSS)');
    expect(inVivoName('(laughs) we left')).toBe('(laughs) we left');
    expect(inVivoName('(MSS watched')).toBe('MSS watched');
    expect(inVivoName('watched them)')).toBe('watched them');
    expect(inVivoName('(a (b) c')).toBe('a (b) c');
    // Inside the words, what was selected stays.
    expect(inVivoName('security (MSS')).toBe('security (MSS');
    expect(inVivoName('said) they')).toBe('said) they');
    expect(inVivoName('[“informants”]')).toBe('informants');
  });

  it('is empty when the words are only punctuation and spaces', () => {
    expect(inVivoName(' … — ” ')).toBe('');
    expect(inVivoName('()')).toBe('');
  });

  it('keeps a name up to the limit as it is', () => {
    const exact = 'x'.repeat(IN_VIVO_NAME_MAX);
    expect(inVivoName(exact)).toBe(exact);
    expect(IN_VIVO_NAME_MAX).toBe(60);
  });

  it('cuts a longer name after its last whole word that fits, with an ellipsis', () => {
    const long = 'My father is currently under heavy surveillance by the security services, my mother said';
    const name = inVivoName(long);
    expect(name).toBe('My father is currently under heavy surveillance by the…');
    expect(name.length).toBeLessThanOrEqual(IN_VIVO_NAME_MAX);
    // Punctuation before the cut goes too: the name ends on a word.
    expect(inVivoName(`${'a'.repeat(50)} bcdefgh, ijklmnopqrst`)).toBe(`${'a'.repeat(50)} bcdefgh…`);
    for (let n = 10; n < 40; n++) {
      const cut = inVivoName(words(n, 'abcde'));
      expect(cut.length).toBeLessThanOrEqual(IN_VIVO_NAME_MAX);
      if (n * 6 - 1 > IN_VIVO_NAME_MAX) expect(cut).toMatch(/^(abcde )*abcde…$/);
    }
  });

  it('cuts inside the first word only when it alone is too long', () => {
    expect(inVivoName(`${'x'.repeat(80)} end`)).toBe(`${'x'.repeat(59)}…`);
  });

  it('never splits a surrogate pair or an emoji sequence', () => {
    // 😀 is two UTF-16 units: cutting at 59 would leave half of one.
    const name = inVivoName('😀'.repeat(40));
    expect(name).toBe(`${'😀'.repeat(29)}…`);
    expect(wellFormed(name)).toBe(true);
    const family = '👨‍👩‍👧'; // 8 units, one user-perceived character
    const cut = inVivoName(family.repeat(10));
    expect(cut).toBe(`${family.repeat(7)}…`);
    const flags = inVivoName(`${'🇰🇷'.repeat(20)}`);
    expect(flags).toBe(`${'🇰🇷'.repeat(14)}…`);
    // Words beside emoji: still cut after a whole word.
    const mixed = inVivoName(`we 🙂 left ${words(20, 'home')}`);
    expect(mixed.endsWith('home…')).toBe(true);
    expect(wellFormed(mixed)).toBe(true);
  });

  it('gives names the codebook accepts', () => {
    for (const text of ['x'.repeat(1000), '😀'.repeat(500), words(300), 'a\u0007b', '“quoted”']) {
      const name = inVivoName(text);
      expect(nameProblem(name)).toBeNull();
    }
  });
});
