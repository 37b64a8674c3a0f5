import { describe, expect, it } from 'vitest';
import { docFile, p } from '../support/project';
import { refusal, useServices } from '../support/services';

// Getting passages and words back out through the API: the project search, autocoding from it
// in one undo step, the passages query and quotations with their citation.

const ctx = { client: 'window-1' };
const A_TEXT = 'Relatives are questioned. The families are watched by the police.';
const B_TEXT = 'In Hyesan the families trade. Familiés, said one, are on their own.';
const A = docFile('doc-a', 'Families under watch', p(A_TEXT));
const B = docFile('doc-b', 'Markets', p(B_TEXT));

describe('retrieval through the API', () => {
  const env = useServices('gloss-retrieval-', A, B);
  const code = async (doc: typeof A, text: string, words: string, codeIds: string[]) => {
    const start = text.indexOf(words);
    return (await env.api['annotations.create']({ documentId: doc.id, start, end: start + words.length, codeIds }, ctx)).annotation!;
  };

  it('searches every document, folding case and diacritics, with the words around each match', async () => {
    const r = await env.api['search.project']({ query: 'families' }, ctx);
    expect(r.total).toBe(3);
    expect(r.documents.map((d) => [d.documentId, d.title, d.hits.map((h) => h.match)])).toEqual([
      ['doc-a', 'Families under watch', ['families']],
      ['doc-b', 'Markets', ['families', 'Familiés']],
    ]);
    expect(r.documents[0]!.hits[0]).toMatchObject({ before: 'Relatives are questioned. The ', after: ' are watched by the police.' });
    expect((await env.api['search.project']({ query: 'families', diacriticSensitive: true, documentIds: ['doc-b'] }, ctx)).total).toBe(1);
    expect((await refusal(env.api['search.project']({ query: 'famil(', regex: true }, ctx))).message).toMatch(/regular expression cannot be read/);
  });

  it('codes every match but those left out, in one undo step, adding codes where a passage covers the words', async () => {
    const existing = await code(A, A_TEXT, 'families', ['c']);
    const preview = await env.api['search.project']({ query: 'famil\\w+', regex: true }, ctx);
    const expect_ = Object.fromEntries(preview.documents.map((d) => [d.documentId, d.textHash]));
    const left = preview.documents[1]!.hits[1]!;
    const r = await env.api['annotations.autocode']({ query: 'famil\\w+', regex: true, codeIds: ['a'], skip: [{ documentId: 'doc-b', start: left.start }], expect: expect_ }, ctx);
    expect(r.history.undo).toBe('code 2 matches of “famil\\w+”');
    const a = (await env.api['annotations.list']({ documentId: 'doc-a' }, ctx)).annotations;
    expect(a).toHaveLength(1);
    expect(a[0]!).toMatchObject({ id: existing.id, codeIds: ['c', 'a'] });
    const b = (await env.api['annotations.list']({ documentId: 'doc-b' }, ctx)).annotations;
    expect(b.map((x) => [x.quote.exact, x.codeIds])).toEqual([['families', ['a']]]);

    await env.api['history.undo']({}, ctx);
    expect((await env.api['annotations.list']({ documentId: 'doc-a' }, ctx)).annotations[0]!.codeIds).toEqual(['c']);
    expect((await env.api['annotations.list']({ documentId: 'doc-b' }, ctx)).annotations).toEqual([]);
  });

  it('refuses to autocode over a text that changed since the preview', async () => {
    const revision = env.store.revision;
    const e = await refusal(env.api['annotations.autocode']({ query: 'families', codeIds: ['a'], expect: { 'doc-a': 'stale', 'doc-b': 'stale' } }, ctx));
    expect(e.code).toBe('conflict');
    expect(env.store.revision).toBe(revision);
  });

  it('answers passage queries a page at a time, and says what is wrong with a query', async () => {
    await code(A, A_TEXT, 'Relatives are questioned', ['a.b']);
    await code(B, B_TEXT, 'the families trade', ['c']);
    await code(A, A_TEXT, 'watched by the police', ['a']);
    const all = await env.api['passages.query']({ query: 'code:Alpha', sort: 'document', offset: 0, limit: 10 }, ctx);
    expect(all.total).toBe(2);
    expect(all.rows.map((r) => [r.documentTitle, r.passage.quote.exact])).toEqual([
      ['Families under watch', 'Relatives are questioned'],
      ['Families under watch', 'watched by the police'],
    ]);
    const page = await env.api['passages.query']({ query: '', sort: 'length', offset: 1, limit: 1 }, ctx);
    expect(page).toMatchObject({ total: 3, rows: [{ passage: { quote: { exact: 'watched by the police' } } }] });
    expect((await refusal(env.api['passages.query']({ query: 'code:Delta', sort: 'document', offset: 0, limit: 10 }, ctx))).message).toMatch(/No code is named “Delta”/);
  });

  it('exports what a query gives as CSV and Markdown, every page of it', async () => {
    await code(A, A_TEXT, 'Relatives are questioned', ['a']);
    const memo = await code(B, B_TEXT, 'the families trade', ['a', 'c']);
    await env.api['annotations.setMemo']({ documentId: 'doc-b', id: memo.id, memo: '=SUM(1) and *more*', base: '' }, ctx);
    await code(A, A_TEXT, 'watched by the police', ['c']);
    const csv = await env.api['passages.export']({ query: 'code:Alpha', sort: 'length', format: 'csv' }, ctx);
    expect(csv).toMatchObject({ fileName: 'passages.csv', mimeType: 'text/csv', rows: 2 });
    const lines = csv.content.split('\r\n');
    expect(lines[0]).toBe('document_id,document_title,passage_id,status,start,end,codes,text,memo,coder,created,modified');
    expect(lines.slice(1, -1).map((l) => l.split(',').slice(0, 2))).toEqual([
      ['doc-a', 'Families under watch'],
      ['doc-b', 'Markets'],
    ]);
    // A memo a spreadsheet would run as a formula is neutralised.
    expect(lines[2]).toContain("'=SUM(1) and *more*");
    expect(lines.at(-1)).toBe('');
    const md = await env.api['passages.export']({ query: 'code:Alpha', sort: 'document', format: 'md' }, ctx);
    expect(md.rows).toBe(2);
    expect(md.content).toContain('2 passages matching `code:Alpha`.');
    expect(md.content).toMatch(/## Families under watch\n\n> Relatives are questioned\n\nCodes: Alpha\n/);
    expect(md.content).toContain('Memo: =SUM(1) and \\*more\\*');
    expect((await refusal(env.api['passages.export']({ query: 'code:(', sort: 'document', format: 'csv' }, ctx))).code).toBe('invalid_input');
  });

  it('recodes a selection, or every passage of a query, in one undo step', async () => {
    const one = await code(A, A_TEXT, 'Relatives are questioned', ['a']);
    const two = await code(B, B_TEXT, 'the families trade', ['a', 'c']);
    const three = await code(A, A_TEXT, 'watched by the police', ['c']);
    const r = await env.api['annotations.recode']({ passages: [{ documentId: 'doc-a', id: one.id }, { documentId: 'doc-b', id: two.id }], add: ['a.b'], remove: ['a'] }, ctx);
    expect(r.history.undo).toBe('recode 2 passages');
    expect(r.notice).toBe('Recoded 2 passages. Undo takes it back.');
    const codesOf = async () => {
      const all = [...(await env.api['annotations.list']({ documentId: 'doc-a' }, ctx)).annotations, ...(await env.api['annotations.list']({ documentId: 'doc-b' }, ctx)).annotations];
      // As sets: an undone removal puts a code back last.
      return Object.fromEntries(all.map((a) => [a.id, [...a.codeIds].sort()]));
    };
    expect(await codesOf()).toEqual({ [one.id]: ['a.b'], [two.id]: ['a.b', 'c'], [three.id]: ['c'] });
    // By query: every passage coded Gamma loses it; the one left without a code stays, uncoded.
    const q = await env.api['annotations.recode']({ query: 'code:Gamma', add: [], remove: ['c'] }, ctx);
    expect(q.history.undo).toBe('recode 2 passages');
    expect(await codesOf()).toEqual({ [one.id]: ['a.b'], [two.id]: ['a.b'], [three.id]: [] });
    await env.api['history.undo']({}, ctx);
    await env.api['history.undo']({}, ctx);
    expect(await codesOf()).toEqual({ [one.id]: ['a'], [two.id]: ['a', 'c'], [three.id]: ['c'] });

    const revision = env.store.revision;
    expect((await refusal(env.api['annotations.recode']({ passages: [{ documentId: 'doc-a', id: three.id }], add: ['c'], remove: [] }, ctx))).code).toBe('invalid_input');
    const gone = await refusal(env.api['annotations.recode']({ passages: [{ documentId: 'doc-a', id: one.id }, { documentId: 'doc-a', id: '00000000-0000-4000-8000-000000000000' }], add: ['a.b'], remove: [] }, ctx));
    expect(gone.code).toBe('not_found');
    expect((await refusal(env.api['annotations.recode']({ passages: [{ documentId: 'doc-a', id: one.id }], add: ['zeta'], remove: [] }, ctx))).message).toMatch(/zeta/);
    expect(env.store.revision).toBe(revision);
  });

  it('quotes a passage with its citation and paragraph', async () => {
    const a = await code(A, A_TEXT, 'The families are watched by the police.', ['a']);
    const q = await env.api['passages.quote']({ documentId: 'doc-a', id: a.id, style: 'apa' }, ctx);
    expect(q.locator).toEqual({ label: 'paragraph', value: '1' });
    expect(q.inText).toMatch(/para\. 1\)$/);
    expect(q.text).toContain('“The families are watched by the police”');
    expect(q.reference).toContain('Families under watch');
    const mla = await env.api['passages.quote']({ documentId: 'doc-a', id: a.id, style: 'mla' }, ctx);
    expect(mla.inText).toMatch(/par\. 1\)$/);
  });
});
