import { describe, expect, it } from 'vitest';
import type { DocumentSummary, DocumentVariable, VariableValue } from '../../shared/model';
import { DEFAULT_VIEW, boundProblem, isFiltering, isListOrder, queryDocuments, readView, sortDocuments, type DocumentView, type VariableFilter } from '../../renderer/document-query';

// The documents list as a window sorts and filters it (renderer/document-query.ts).

const site: DocumentVariable = { id: 'site', name: 'Site', type: 'choice', choices: ['Seoul', 'Busan', 'Incheon'] };
const wave: DocumentVariable = { id: 'wave', name: 'Wave', type: 'number' };
const when: DocumentVariable = { id: 'when', name: 'Interviewed', type: 'date' };
const consent: DocumentVariable = { id: 'consent', name: 'Consent', type: 'boolean' };
const who: DocumentVariable = { id: 'who', name: 'Interviewee', type: 'text' };
const variables = [site, wave, when, consent, who];

function doc(id: string, title: string, values: Record<string, VariableValue> = {}, extra: Partial<DocumentSummary> = {}): DocumentSummary {
  const d: DocumentSummary = { id, meta: { title, author: '', publication: '', date: '', url: '' }, textHash: id, annotationCount: 0, codeCounts: {}, ...extra };
  if (Object.keys(values).length) d.values = values;
  return d;
}

const docs = [
  doc('a', 'Interview 10', { site: 'Busan', wave: 2, when: '2020', consent: true, who: 'Émile' }, { annotationCount: 3 }),
  doc('b', 'interview 9', { site: 'Seoul', wave: 1, when: '2019-06-01', consent: false, who: 'anna' }, { annotationCount: 7 }),
  doc('c', 'Field notes', { wave: 10, when: '2021-02' }, { meta: { title: 'Field notes', author: 'Ana Lima', publication: 'Notebook', date: '2021-02', url: '' } }),
  doc('d', 'Ärztin', { site: 'Incheon', who: 'Bo' }, { meta: { title: 'Ärztin', author: 'Kim', publication: 'Seoul Daily', date: '2020', url: '' } }),
  doc('e', 'Ärztin'),
];

const ids = (list: readonly DocumentSummary[]): string[] => list.map((d) => d.id);
const view = (sort: Partial<DocumentView['sort']> = {}, filter: Partial<DocumentView['filter']> = {}): DocumentView => ({
  sort: { ...DEFAULT_VIEW.sort, ...sort },
  filter: { ...DEFAULT_VIEW.filter, ...filter },
});
const by = (key: DocumentView['sort']['key'], descending = false) => ids(sortDocuments(docs, { key, descending }, variables));
const only = (...filters: VariableFilter[]) => ids(queryDocuments(docs, variables, view({}, { variables: filters })));

describe('sorting the documents list', () => {
  it('keeps list order by default, untouched', () => {
    expect(sortDocuments(docs, DEFAULT_VIEW.sort, variables)).toBe(docs);
  });

  it('sorts titles as people read them: numbers by value, case and accents aside, ties in list order', () => {
    expect(by('title')).toEqual(['d', 'e', 'c', 'b', 'a']);
    expect(by('title', true)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('sorts by date, coded passages and each type of variable, with missing values last both ways', () => {
    expect(by('date')).toEqual(['d', 'c', 'a', 'b', 'e']);
    expect(by('date', true)).toEqual(['c', 'd', 'a', 'b', 'e']);
    expect(by('passages')).toEqual(['c', 'd', 'e', 'a', 'b']);
    expect(by('variable:wave')).toEqual(['b', 'a', 'c', 'd', 'e']);
    expect(by('variable:wave', true)).toEqual(['c', 'a', 'b', 'd', 'e']);
    // One of a list: in the order of its choices, not of the alphabet.
    expect(by('variable:site')).toEqual(['b', 'a', 'd', 'c', 'e']);
    expect(by('variable:site', true)).toEqual(['d', 'a', 'b', 'c', 'e']);
    // A year before its months and days.
    expect(by('variable:when')).toEqual(['b', 'a', 'c', 'd', 'e']);
    expect(by('variable:consent')).toEqual(['b', 'a', 'c', 'd', 'e']);
    expect(by('variable:consent', true)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(by('variable:who')).toEqual(['b', 'd', 'a', 'c', 'e']);
  });

  it('keeps ranks right as titles come and go between sorts', () => {
    expect(by('title')).toEqual(['d', 'e', 'c', 'b', 'a']);
    const more = [...docs, doc('f', 'Interview 9b'), doc('g', 'ärztin')];
    expect(ids(sortDocuments(more, { key: 'title', descending: false }, variables))).toEqual(['d', 'e', 'g', 'c', 'b', 'f', 'a']);
  });

  it('falls back to list order for a variable deleted since', () => {
    expect(by('variable:gone')).toEqual(ids(docs));
  });
});

describe('filtering the documents list', () => {
  it('finds words in the title, authors and publication, case and accents aside', () => {
    expect(ids(queryDocuments(docs, variables, view({}, { text: 'INTERVIEW' })))).toEqual(['a', 'b']);
    expect(ids(queryDocuments(docs, variables, view({}, { text: 'arztin' })))).toEqual(['d', 'e']);
    expect(ids(queryDocuments(docs, variables, view({}, { text: 'lima' })))).toEqual(['c']);
    expect(ids(queryDocuments(docs, variables, view({}, { text: 'seoul daily' })))).toEqual(['d']);
  });

  it('filters by a condition suited to each type', () => {
    expect(only({ variableId: 'site', condition: { type: 'choice', values: ['Busan', 'Incheon'], notSet: false } })).toEqual(['a', 'd']);
    expect(only({ variableId: 'site', condition: { type: 'choice', values: ['Seoul'], notSet: true } })).toEqual(['b', 'c', 'e']);
    expect(only({ variableId: 'consent', condition: { type: 'boolean', value: 'yes' } })).toEqual(['a']);
    expect(only({ variableId: 'consent', condition: { type: 'boolean', value: 'no' } })).toEqual(['b']);
    expect(only({ variableId: 'consent', condition: { type: 'boolean', value: 'unset' } })).toEqual(['c', 'd', 'e']);
    expect(only({ variableId: 'wave', condition: { type: 'number', min: '2', max: '' } })).toEqual(['a', 'c']);
    expect(only({ variableId: 'wave', condition: { type: 'number', min: '', max: ' 2 ' } })).toEqual(['a', 'b']);
    expect(only({ variableId: 'wave', condition: { type: 'number', min: '1.5', max: '9' } })).toEqual(['a']);
    expect(only({ variableId: 'who', condition: { type: 'text', contains: 'EMI' } })).toEqual(['a']);
  });

  it('compares partial dates by the days they cover', () => {
    const dates = (from: string, to: string) => only({ variableId: 'when', condition: { type: 'date', from, to } });
    // '2020' is within 2019–2021; 2019-06-01 too.
    expect(dates('2019', '2021')).toEqual(['a', 'b', 'c']);
    expect(dates('2020', '2020')).toEqual(['a']);
    // A year overlaps any of its months.
    expect(dates('2020-05', '2020-07')).toEqual(['a']);
    expect(dates('2021-02-15', '')).toEqual(['c']);
    expect(dates('', '2019-12')).toEqual(['b']);
    expect(dates('2019-06-02', '2019-12-31')).toEqual([]);
  });

  it('combines conditions, every one of them, with the words', () => {
    const f = (text: string, ...filters: VariableFilter[]) => ids(queryDocuments(docs, variables, view({ key: 'variable:wave', descending: true }, { text, variables: filters })));
    expect(f('', { variableId: 'wave', condition: { type: 'number', min: '1', max: '' } }, { variableId: 'when', condition: { type: 'date', from: '2020', to: '' } })).toEqual(['c', 'a']);
    expect(f('interview', { variableId: 'site', condition: { type: 'choice', values: ['Seoul'], notSet: false } })).toEqual(['b']);
  });

  it('leaves out what constrains nothing: empty conditions, bounds that are not numbers or dates, deleted variables', () => {
    const none: VariableFilter[] = [
      { variableId: 'site', condition: { type: 'choice', values: [], notSet: false } },
      { variableId: 'consent', condition: { type: 'boolean', value: 'any' } },
      { variableId: 'wave', condition: { type: 'number', min: 'two', max: '' } },
      { variableId: 'when', condition: { type: 'date', from: '2021-02-30', to: '' } },
      { variableId: 'who', condition: { type: 'text', contains: '  ' } },
      { variableId: 'gone', condition: { type: 'text', contains: 'x' } },
      // A condition of the type the variable had before it was changed.
      { variableId: 'wave', condition: { type: 'text', contains: 'x' } },
    ];
    expect(only(...none)).toEqual(ids(docs));
    expect(isFiltering({ text: ' ', variables: none }, variables)).toBe(false);
    expect(isListOrder(view({}, { variables: none }), variables)).toBe(true);
    expect(isListOrder(view({ key: 'title' }), variables)).toBe(false);
    expect(isListOrder(view({}, { text: 'a' }), variables)).toBe(false);
    expect(boundProblem('number', 'two')).toMatch(/Not a number/);
    expect(boundProblem('date', '2021-02-30')).toMatch(/Not a date/);
    expect(boundProblem('date', '2021-02')).toBeNull();
    expect(boundProblem('number', '')).toBeNull();
  });

  it('reads a view kept by the page, whatever it holds', () => {
    expect(readView(null)).toEqual(DEFAULT_VIEW);
    expect(readView({ sort: { key: 'nonsense' }, filter: { text: 3, variables: [{ variableId: 'site' }, { variableId: 'wave', condition: { type: 'number', min: 1 } }] } })).toEqual({
      sort: { key: 'list', descending: false },
      filter: { text: '', variables: [{ variableId: 'wave', condition: { type: 'number', min: '', max: '' } }] },
    });
    const kept = view({ key: 'variable:wave', descending: true }, { text: 'x', variables: [{ variableId: 'site', condition: { type: 'choice', values: ['Seoul'], notSet: true } }] });
    expect(readView(JSON.parse(JSON.stringify(kept)))).toEqual(kept);
  });
});
