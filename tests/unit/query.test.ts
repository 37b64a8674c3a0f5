import { describe, expect, it } from 'vitest';
import { fold } from '../../shared/folded-text';
import type { Code, PlacedAnnotation } from '../../shared/model';
import { compileQuery, PassageIndex, QueryError, type QueryProject } from '../../shared/query';
import { parseQuery } from '../../shared/query-parse';
import { SpanSet, wordStarts, wordsIn } from '../../shared/query-relations';

// The passage query language: each operator, sub-code inclusion, relations on nested and
// overlapping passages, variables of every type, and clear errors for what cannot be meant.

const code = (id: string, name: string, parentId: string | null = null): Code => ({ id, name, color: '#336699', description: '', parentId, slot: 0 });
const CODES = [code('rep', 'Repression tactic'), code('sur', 'Surveillance', 'rep'), code('int', 'Interrogation', 'rep'), code('eco', 'Economic change'), code('src', 'Source reliability'), code('sur2', 'Surveillance', 'src')];

// One text, words spaced so that offsets are easy: "w0 w1 w2 …".
const TEXT = Array.from({ length: 60 }, (_, i) => `w${i}`).join(' ');
const at = (word: number): number => TEXT.indexOf(`w${word} `) >= 0 ? TEXT.indexOf(`w${word} `) : TEXT.indexOf(`w${word}`);
/** A passage over words [from, to] of TEXT. */
function passage(id: string, from: number, to: number, codeIds: string[], extra: Partial<PlacedAnnotation> = {}): PlacedAnnotation {
  const start = at(from);
  const end = at(to) + `w${to}`.length;
  return {
    id,
    documentId: 'd1',
    textHash: 'h',
    position: { type: 'TextPositionSelector', start, end },
    quote: { type: 'TextQuoteSelector', exact: TEXT.slice(start, end), prefix: '', suffix: '' },
    codeIds,
    memo: '',
    coderId: 'me',
    created: '2024-05-02T10:00:00.000Z',
    modified: '2024-05-02T10:00:00.000Z',
    rev: 1,
    anchor: { status: 'exact', start, end },
    ...extra,
  };
}

const PROJECT: QueryProject = {
  codes: CODES,
  documents: [
    { id: 'd1', title: 'Families of defectors', values: { site: 'Busan', wave: 2, consent: true, when: '2021-03', notes: 'Rice prices' } },
    { id: 'd2', title: 'Markets in Hyesan', values: { site: 'Seoul', wave: 1, consent: false } },
  ],
  variables: [
    { id: 'site', name: 'Site', type: 'choice', choices: ['Seoul', 'Busan', 'Incheon'] },
    { id: 'wave', name: 'Wave', type: 'number' },
    { id: 'consent', name: 'Consent', type: 'boolean' },
    { id: 'when', name: 'Interview date', type: 'date' },
    { id: 'notes', name: 'Notes', type: 'text' },
  ],
  coders: [
    { id: 'me', name: 'Min-ji Park', initials: 'MP', color: '#000000' },
    { id: 'you', name: 'Lee Chul', initials: 'LC', color: '#000000' },
  ],
};

const P = [
  passage('outer', 0, 20, ['rep']),
  passage('inner', 5, 8, ['sur'], { memo: 'Watched by the Bowibu', coderId: 'you' }),
  passage('cross', 18, 25, ['eco'], { created: '2025-01-15T12:00:00.000Z' }),
  passage('far', 40, 42, ['int']),
  passage('both', 30, 31, ['eco', 'src']),
  passage('bare', 50, 51, [], { documentId: 'd2' }),
  passage('lost', 2, 3, ['sur2'], { anchor: { status: 'orphan', start: 0, end: 0 } }),
];

/** The passages a query keeps, asked one by one; the index's answer must be the same. */
function ids(query: string, passages = P): string[] {
  const q = compileQuery(query, PROJECT, { passages, text: (id) => (id === 'd1' ? TEXT : '') });
  const one = passages.filter((p) => q.match(p)).map((p) => p.id);
  expect(q.select(new PassageIndex(passages)).map((i) => passages[i]!.id), `${query}, through the index`).toEqual(one);
  return one;
}

function error(query: string): QueryError {
  try {
    ids(query);
  } catch (e) {
    if (e instanceof QueryError) return e;
    throw e;
  }
  throw new Error(`the query ${query} was accepted`);
}

describe('codes', () => {
  it('finds a code with its sub-codes, or alone with =', () => {
    expect(ids('code:"Repression tactic"')).toEqual(['outer', 'inner', 'far']);
    expect(ids('code="Repression tactic"')).toEqual(['outer']);
    expect(ids('code:Interrogation')).toEqual(['far']);
  });

  it('asks for the path when a name is shared, and takes it', () => {
    expect(error('code:Surveillance').message).toMatch(/names 2 codes.*Repression tactic › Surveillance.*Source reliability › Surveillance/);
    expect(ids('code:"Source reliability > Surveillance"')).toEqual(['lost']);
    expect(ids('code:"repression tactic › surveillance"')).toEqual(['inner']);
  });

  it('names an unknown code and suggests close ones', () => {
    const e = error('code:"Interrogations of relatives"');
    expect(e.message).toMatch(/No code is named “Interrogations of relatives”/);
    expect(e.at).toBe(0);
    expect(error('code:Interrog').message).toMatch(/Did you mean “Repression tactic › Interrogation”/);
  });

  it('finds uncoded and unplaced passages, and those with a memo', () => {
    expect(ids('uncoded')).toEqual(['bare']);
    expect(ids('unplaced')).toEqual(['lost']);
    expect(ids('hasmemo')).toEqual(['inner']);
    expect(ids('NOT hasmemo AND code:"Repression tactic"')).toEqual(['outer', 'far']);
  });
});

describe('boolean operators', () => {
  it('combines with AND, OR, NOT and brackets; juxtaposition is AND', () => {
    expect(ids('code:"Economic change" AND code:"Source reliability"')).toEqual(['both']);
    expect(ids('code:"Economic change" code:"Source reliability"')).toEqual(['both']);
    expect(ids('code:Interrogation OR code:"Economic change"')).toEqual(['cross', 'far', 'both']);
    expect(ids('NOT code:"Repression tactic"')).toEqual(['cross', 'both', 'bare', 'lost']);
    expect(ids('(code:Interrogation OR code:"Economic change") AND NOT code:"Source reliability"')).toEqual(['cross', 'far']);
    expect(ids('NOT NOT uncoded')).toEqual(['bare']);
  });

  it('binds AND tighter than OR', () => {
    expect(ids('uncoded OR code:"Economic change" AND code:"Source reliability"')).toEqual(['both', 'bare']);
  });

  it('reads lower-case and, or, not as words to look for', () => {
    expect(parseQuery('rice and beans')).toEqual({
      kind: 'and',
      items: [
        { kind: 'text', field: 'any', value: 'rice', at: 0, end: 4 },
        { kind: 'text', field: 'any', value: 'and', at: 5, end: 8 },
        { kind: 'text', field: 'any', value: 'beans', at: 9, end: 14 },
      ],
    });
  });

  it('says where a query is malformed', () => {
    expect(error('code:"Economic change').message).toMatch(/quote opened at 6 is not closed/);
    expect(error('(uncoded').message).toMatch(/bracket opened at 1 is not closed/);
    expect(error('uncoded)').message).toMatch(/closing bracket .* at 8/);
    expect(error('uncoded AND').message).toMatch(/ends where a term was expected/);
    expect(error('OR uncoded').message).toMatch(/OR at 1 needs something before it/);
    expect(error('   ').message).toMatch(/empty/);
    expect(error('code>x').message).toMatch(/code is followed by : .* or =/);
    expect(error('overlaps=x').message).toMatch(/overlaps is followed by a colon/);
    expect(error('within(3):x').message).toMatch(/Only near takes a number/);
  });

  it('refuses queries beyond its limits instead of working on them', () => {
    expect(error('('.repeat(100) + 'uncoded' + ')'.repeat(100)).message).toMatch(/nests deeper/);
    expect(error(Array(400).fill('a').join(' ')).message).toMatch(/more than 300 terms/);
    expect(error('x'.repeat(5000)).message).toMatch(/longer than 4000/);
  });
});

describe('relations to passages of another code', () => {
  it('finds overlapping, containing and contained passages, never the passage itself', () => {
    // outer (0–20) holds inner (5–8) and overlaps cross (18–25).
    expect(ids('overlaps:"Economic change"')).toEqual(['outer']);
    expect(ids('overlaps:"Repression tactic"')).toEqual(['outer', 'inner', 'cross']);
    expect(ids('contains:"Repression tactic"')).toEqual(['outer']);
    expect(ids('within:"Repression tactic"')).toEqual(['inner']);
    expect(ids('code:"Repression tactic" AND within:"Repression tactic"')).toEqual(['inner']);
    // A passage alone of its code relates to nothing of it.
    expect(ids('code:Interrogation AND overlaps:Interrogation')).toEqual([]);
  });

  it('counts the words between passages for near', () => {
    // both (30–31) is 4 words after cross (ends at 25: w26 … w29 between) and 8 before far (40).
    // cross and both, both Economic change, are near each other.
    expect(ids('near(4):"Economic change"')).toEqual(['outer', 'cross', 'both']);
    expect(ids('code:"Source reliability" AND near(4):"Economic change"')).toEqual(['both']);
    expect(ids('code:"Source reliability" AND near(3):"Economic change"')).toEqual([]);
    expect(ids('near(8):Interrogation')).toEqual(['both']);
    expect(ids('near(7):Interrogation')).toEqual([]);
    expect(ids('near:Interrogation')).toEqual(['both']);
  });

  it('leaves unplaced passages out of relations on both sides', () => {
    expect(ids('overlaps:"Source reliability > Surveillance"')).toEqual([]);
    expect(ids('unplaced AND within:"Repression tactic"')).toEqual([]);
  });

  it('holds on many nested and overlapping spans, as a brute force says', () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const spans = Array.from({ length: 300 }, (_, i) => {
      const start = rand(1000);
      return { id: `s${i}`, start, end: start + 1 + rand(60) };
    });
    const set = new SpanSet(spans.slice(0, 150));
    const starts = wordStarts(Array.from({ length: 1100 }, (_, i) => (i % 3 === 0 ? ' ' : 'a')).join(''));
    for (const p of spans) {
      const others = spans.slice(0, 150).filter((q) => q.id !== p.id);
      expect(set.overlaps(p)).toBe(others.some((q) => q.start < p.end && q.end > p.start));
      expect(set.contains(p)).toBe(others.some((q) => q.start >= p.start && q.end <= p.end));
      expect(set.within(p)).toBe(others.some((q) => q.start <= p.start && q.end >= p.end));
      const gap = (q: { start: number; end: number }) => (q.end <= p.start ? wordsIn(starts, q.end, p.start) : q.start >= p.end ? wordsIn(starts, p.end, q.start) : 0);
      expect(set.near(p, 5, starts)).toBe(others.some((q) => gap(q) <= 5));
    }
  });
});

describe('documents, coders and dates', () => {
  it('finds passages by document id or title words', () => {
    expect(ids('doc:d2')).toEqual(['bare']);
    expect(ids('doc:"markets in"')).toEqual(['bare']);
    expect(error('doc:Pyongyang').message).toMatch(/No document has the id or words “Pyongyang”/);
  });

  it('finds passages by coder name, initials or id', () => {
    expect(ids('coder:"Lee Chul"')).toEqual(['inner']);
    expect(ids('coder:lc')).toEqual(['inner']);
    expect(error('coder:Kim').message).toMatch(/the coders: “Min-ji Park”, “Lee Chul”/);
  });

  it('compares dates whole or partial', () => {
    expect(ids('created>=2025')).toEqual(['cross']);
    expect(ids('created<2025-01')).not.toContain('cross');
    expect(ids('created=2025-01')).toEqual(['cross']);
    expect(ids('modified<=2024-05-02')).toHaveLength(P.length);
    expect(error('created:2024').message).toMatch(/created compares with a date/);
    expect(error('created>=May').message).toMatch(/not a date/);
  });
});

describe('document variables', () => {
  it('compares each type', () => {
    expect(ids('@Site=Busan')).toEqual(P.filter((p) => p.documentId === 'd1').map((p) => p.id));
    expect(ids('@site=seoul')).toEqual(['bare']);
    expect(ids('@Site>Seoul AND doc:d2')).toEqual([]);
    expect(ids('@Site>=Busan')).toHaveLength(6);
    expect(ids('@Wave>=2')).toHaveLength(6);
    expect(ids('@Wave<2')).toEqual(['bare']);
    expect(ids('@Consent=no')).toEqual(['bare']);
    expect(ids('@"Interview date">=2021')).toHaveLength(6);
    expect(ids('@"Interview date"<2021-03-05')).toHaveLength(0);
    expect(ids('@"Interview date"=2021')).toHaveLength(6);
    expect(ids('@Notes~rice')).toHaveLength(6);
  });

  it('treats a missing value as no match, and @Name alone as having one', () => {
    expect(ids('@Notes')).toHaveLength(6);
    expect(ids('NOT @Notes')).toEqual(['bare']);
    expect(ids('@Notes!=x')).toHaveLength(6);
  });

  it('refuses values that do not fit the variable', () => {
    expect(error('@Site=Pyongyang').message).toMatch(/not one of “Site”’s values \(“Seoul”, “Busan”, “Incheon”\)/);
    expect(error('@Wave>=two').message).toMatch(/holds numbers/);
    expect(error('@Consent>yes').message).toMatch(/compare it with = or !=/);
    expect(error('@Consent=maybe').message).toMatch(/neither/);
    expect(error('@Wave~2').message).toMatch(/for text variables/);
    expect(error('@Region=North').message).toMatch(/No document variable is named “Region” \(the variables: “Site”/);
  });
});

describe('the index', () => {
  it('answers like the passages asked one by one, past a word of bits and for NOT', () => {
    const many = Array.from({ length: 70 }, (_, i) => passage(`m${i}`, i % 50, (i % 50) + 2, i % 3 === 0 ? [] : i % 3 === 1 ? ['sur'] : ['eco', 'int'], { documentId: i % 2 ? 'd1' : 'd2' }));
    for (const q of ['uncoded', 'NOT uncoded', 'code:"Repression tactic" OR uncoded', 'NOT (doc:d2 AND code:Interrogation)', '@Site=Busan AND NOT code:"Economic change"', 'NOT NOT uncoded OR w1']) {
      const n = ids(q, many).length;
      expect(n, q).toBeGreaterThan(0);
    }
    expect(ids('NOT uncoded', many).length + ids('uncoded', many).length).toBe(70);
  });
});

describe('words in passages and memos', () => {
  it('matches folded words in the passage, the memo, or either', () => {
    expect(ids('memo:bowibu')).toEqual(['inner']);
    expect(ids('text:"W5 w6"')).toEqual(['outer', 'inner']);
    expect(ids('BOWIBU')).toEqual(['inner']);
    expect(ids('"watched by"')).toEqual(['inner']);
  });

  it('folds case, diacritics, ligatures and spacing', () => {
    expect(fold('Pyŏngyang')).toBe(fold('PYONGYANG'));
    expect(fold('Straße')).toBe(fold('STRASSE'));
    expect(fold('ﬁnance')).toBe('finance');
    expect(fold('two\n\n  lines')).toBe('two lines');
    const p = passage('accent', 0, 1, [], { quote: { type: 'TextQuoteSelector', exact: 'Hamgyŏng Province', prefix: '', suffix: '' } });
    expect(ids('hamgyong', [p])).toEqual(['accent']);
  });
});
