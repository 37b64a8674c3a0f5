import { describe, expect, it } from 'vitest';
import { anchor, describeRange, QUOTE_CONTEXT, snapToCodePoints, snapToGraphemes, trimRange } from '../../shared/anchoring';

const text = 'The MSS raided the home. Later the MSS raided the home again, said a source.';

describe('describing a passage', () => {
  it('keeps the exact text and about 32 characters of context either side', () => {
    const long = 'x'.repeat(100) + 'PASSAGE' + 'y'.repeat(100);
    const { position, quote } = describeRange(long, 100, 107);
    expect(position).toEqual({ type: 'TextPositionSelector', start: 100, end: 107 });
    expect(quote.exact).toBe('PASSAGE');
    expect(quote.prefix).toBe('x'.repeat(QUOTE_CONTEXT));
    expect(quote.suffix).toBe('y'.repeat(QUOTE_CONTEXT));
  });
  it('clips context at the ends of the text', () => {
    const { quote } = describeRange('abc', 0, 3);
    expect(quote).toMatchObject({ prefix: '', suffix: '', exact: 'abc' });
  });
});

describe('anchoring', () => {
  it('trusts the position when the quote still matches there', () => {
    const s = text.indexOf('raided');
    const sel = describeRange(text, s, s + 6);
    expect(anchor(text, sel.position, sel.quote)).toEqual({ status: 'exact', start: s, end: s + 6 });
  });

  it('finds a moved passage by its quote when text was inserted before it', () => {
    const s = text.lastIndexOf('raided the home again');
    const sel = describeRange(text, s, s + 21);
    const edited = 'NEW SENTENCE. ' + text;
    expect(anchor(edited, sel.position, sel.quote)).toEqual({ status: 'moved', start: s + 14, end: s + 35 });
  });

  it('tells repeated phrases apart by their context, not by position alone', () => {
    const second = text.lastIndexOf('the MSS raided the home');
    const sel = describeRange(text, second, second + 23);
    // Shift everything so the stored position now points at nothing useful.
    const edited = 'Preface. '.repeat(3) + text;
    const found = anchor(edited, sel.position, sel.quote);
    expect(found.status).toBe('moved');
    expect(edited.slice(found.start, found.end)).toBe('the MSS raided the home');
    expect(found.start).toBe(second + 27);
  });

  it('makes an orphan of a passage whose quote is gone, and keeps its old offsets', () => {
    const sel = describeRange(text, 4, 7);
    expect(anchor(text.replace('MSS', 'police').replace('MSS', 'police'), sel.position, sel.quote)).toEqual({ status: 'orphan', start: 4, end: 7 });
  });
});

describe('ranges from selections', () => {
  it('never splits a surrogate pair', () => {
    const t = 'a😀b';
    expect(snapToCodePoints(t, 2, 3)).toEqual({ start: 1, end: 3 });
    expect(snapToCodePoints(t, 0, 2)).toEqual({ start: 0, end: 3 });
    expect(snapToCodePoints(t, 1, 3)).toEqual({ start: 1, end: 3 });
  });
  it('trims white space at both ends', () => {
    expect(trimRange('  ab c \n', 0, 8)).toEqual({ start: 2, end: 6 });
    expect(trimRange('   ', 0, 3).end - trimRange('   ', 0, 3).start).toBe(0);
  });
});

describe('grapheme snapping', () => {
  it('never cuts a user-perceived character in two', () => {
    const t = 'a👩‍👩‍👧b🇰🇷c e\u0301d';
    const family = t.indexOf('👩');
    // Start inside the family emoji, end inside the flag.
    const r = snapToGraphemes(t, family + 3, t.indexOf('🇰🇷') + 2);
    expect(t.slice(r.start, r.end)).toBe('👩‍👩‍👧b🇰🇷');
    const acute = t.indexOf('e\u0301');
    const r2 = snapToGraphemes(t, acute, acute + 1);
    expect(t.slice(r2.start, r2.end)).toBe('e\u0301');
    expect(snapToGraphemes(t, 0, 1)).toEqual({ start: 0, end: 1 });
  });
  it('cuts quote context on code points', () => {
    const t = '😀'.repeat(40) + 'X' + '😀'.repeat(40);
    const at = t.indexOf('X');
    const { quote } = describeRange(t, at, at + 1);
    expect(quote.prefix.length % 2).toBe(0);
    expect(quote.suffix.length % 2).toBe(0);
    expect(quote.prefix.charCodeAt(0)).toBe(0xd83d);
  });
});
