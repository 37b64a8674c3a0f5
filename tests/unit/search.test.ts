import { describe, expect, it } from 'vitest';
import { foldText, originalRange } from '../../shared/folded-text';
import { compileRegex, findPlain, findRegex, inContext, searchTexts, SearchError } from '../../shared/text-search';

// Finding words as a reader means them: case and diacritics folded with offsets kept in the
// original text, whole words, regular expressions, and matches in context.

const words = (text: string, query: string, opts = {}) => findPlain(text, query, opts).map((h) => text.slice(h.start, h.end));

describe('plain search', () => {
  it('folds case and diacritics, reporting the original words', () => {
    const text = 'From Pyŏngyang to PYONGYANG and pyongyang.';
    expect(words(text, 'pyongyang')).toEqual(['Pyŏngyang', 'PYONGYANG', 'pyongyang']);
    expect(words(text, 'Pyŏngyang')).toEqual(['Pyŏngyang', 'PYONGYANG', 'pyongyang']);
    expect(words(text, 'pyongyang', { caseSensitive: true })).toEqual(['pyongyang']);
    expect(words(text, 'pyongyang', { diacriticSensitive: true })).toEqual(['PYONGYANG', 'pyongyang']);
  });

  it('maps matches back through characters that fold to several', () => {
    const text = 'Die Straße und die STRASSE; ﬁnance.';
    expect(words(text, 'strasse')).toEqual(['Straße', 'STRASSE']);
    expect(words(text, 'finance')).toEqual(['ﬁnance']);
    // Half of a character's folding matches the whole character, once.
    expect(words('ß', 's')).toEqual(['ß']);
  });

  it('keeps offsets right past characters outside the basic plane and combining marks', () => {
    const text = '𝐀 cafe\u0301 then café then 한국 then 한국어';
    expect(words(text, 'café')).toEqual(['cafe\u0301', 'café']);
    expect(words(text, '한국')).toEqual(['한국', '한국']);
    const f = foldText(text);
    expect(f.map).not.toBeNull();
    expect(originalRange(f, 0, f.text.length)).toEqual({ start: 0, end: text.length });
  });

  it('matches across a line break and any run of spaces in the query', () => {
    expect(words('two\nwords here', 'two   words')).toEqual(['two\nwords']);
  });

  it('finds whole words only when asked', () => {
    const text = 'Art, artist and ART. Kunst-art.';
    expect(words(text, 'art')).toHaveLength(4);
    expect(words(text, 'art', { wholeWord: true })).toEqual(['Art', 'ART', 'art']);
    expect(words('é art ément', 'ément', { wholeWord: true })).toEqual(['ément']);
  });

  it('refuses an empty query', () => {
    expect(() => findPlain('text', '   ')).toThrow(SearchError);
  });
});

describe('regular expressions', () => {
  it('runs on the original text, case-insensitive unless asked', () => {
    const text = 'Wave 1, wave 2 and WAVE 10.';
    expect(findRegex(text, compileRegex('wave \\d+')).map((h) => text.slice(h.start, h.end))).toEqual(['Wave 1', 'wave 2', 'WAVE 10']);
    expect(findRegex(text, compileRegex('wave \\d+', { caseSensitive: true })).map((h) => text.slice(h.start, h.end))).toEqual(['wave 2']);
    expect(findRegex(text, compileRegex('\\d', { wholeWord: true })).map((h) => text.slice(h.start, h.end))).toEqual(['1', '2']);
  });

  it('steps over empty matches instead of looping', () => {
    expect(findRegex('abc', compileRegex('x*'))).toEqual([]);
    // The empty match at the emoji steps over both of its code units.
    expect(findRegex('a😀b', compileRegex('b*'))).toEqual([{ start: 3, end: 4 }]);
  });

  it('says what is wrong with a malformed expression', () => {
    expect(() => compileRegex('(unclosed')).toThrow(/cannot be read/);
    expect(() => compileRegex('a{2,1}')).toThrow(SearchError);
    expect(() => compileRegex('')).toThrow(/Type what/);
  });
});

describe('matches in context', () => {
  it('cuts the context at word boundaries and flattens line breaks', () => {
    const text = 'The first words of a long sentence.\n\nThen the keyword appears here among other words that follow it.';
    const [hit] = findPlain(text, 'keyword');
    const k = inContext(text, hit!, 30);
    expect(k.match).toBe('keyword');
    expect(k.before).toBe('a long sentence. Then the ');
    expect(k.after).toBe(' appears here among other');
  });

  it('groups matches by document and stops at the limit, saying so', () => {
    const texts = [
      { documentId: 'a', text: 'rice and more rice' },
      { documentId: 'b', text: 'no match' },
      { documentId: 'c', text: 'rice rice rice' },
    ];
    const all = searchTexts(texts, 'rice');
    expect(all.documents.map((d) => [d.documentId, d.hits.length])).toEqual([['a', 2], ['c', 3]]);
    expect(all).toMatchObject({ total: 5, truncated: false });
    const cut = searchTexts(texts, 'rice', {}, 3);
    expect(cut.documents.map((d) => [d.documentId, d.hits.length])).toEqual([['a', 2], ['c', 1]]);
    expect(cut).toMatchObject({ total: 3, truncated: true });
    expect(searchTexts(texts, 'rice', {}, 5).truncated).toBe(false);
  });
});
