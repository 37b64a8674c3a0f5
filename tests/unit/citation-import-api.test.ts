import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../shared/api';
import { PROJECT_FILE } from '../../main/core/files';
import { ProjectStore } from '../../main/core/store';
import { docFile, p } from '../support/project';
import { refusal, useServices } from '../support/services';

// A document's citation imported from a bibliography file (BibTeX, RIS, CSL-JSON as Zotero
// exports them) through the API: read without changing anything, set in one undo step that
// fills the properties, quoted from, kept strictly in the project file.

const ctx = { client: 'window-1' };
const other = { client: 'window-2' };
const TEXT = 'The families are watched by the police, one of them said.';
const DOC = docFile('doc-a', 'Interview 3', p(TEXT));

const BIBTEX = `@article{kim_families_2023,
	title = {Families left behind: {North} {Korean} defectors and guilt by association},
	journal = {Journal of Korean Studies},
	author = {Kim, Jiyoung and Lee, Chul and Park, Min-ji},
	year = {2023},
	doi = {10.1000/xyz123},
}

@incollection{lee_politics_2019,
	address = {London},
	title = {The politics of memory},
	booktitle = {Divided families in {Korea}},
	publisher = {Routledge},
	author = {Lee, Chul},
	editor = {Smith, Jane A. and Doe, John},
	year = {2019},
	pages = {45--67},
}
`;

const RIS = `TY  - NEWS
TI  - Pyongyang moves to identify defectors
AU  - Kim, Joon-Ho
AU  - Ponnudurai, Parameswaran
T2  - Radio Free Asia
DA  - 2012/03/05/
UR  - https://www.rfa.org/english/news/korea/defectors-03052012.html
ER  - 
`;

const CSL_JSON = JSON.stringify([
  { id: 'item-1', type: 'book', title: 'Divided families in Korea', editor: [{ family: 'Smith', given: 'Jane A.' }], publisher: 'Routledge', issued: { 'date-parts': [['2019']] }, note: 'type: thesis' },
]);

describe('importing a citation through the API', () => {
  const env = useServices('gloss-citation-api-', DOC);
  const code = async () => {
    const start = TEXT.indexOf('families are watched');
    return (await env.api['annotations.create']({ documentId: DOC.id, start, end: start + 'families are watched'.length, codeIds: ['a'] }, ctx)).annotation!;
  };
  const chapter = async () => (await env.api['documents.readCitation']({ fileName: 'My Library.bib', content: BIBTEX }, ctx)).items[1]!;
  const shown = { title: 'Interview 3', author: '', publication: '', date: '', url: '', accessed: '', pages: '' };

  it('reads a Zotero BibTeX file of two entries, each with a label, its type and the properties it fills, changing nothing', async () => {
    const revision = env.store.revision;
    const r = await env.api['documents.readCitation']({ fileName: 'My Library.bib', content: BIBTEX }, ctx);
    expect(r.format).toBe('bibtex');
    expect(r.warnings).toEqual([]);
    expect(r.items.map((i) => [i.label, i.type, i.kind])).toEqual([
      ['Kim, Lee & Park 2023 — Families left behind: North Korean defectors and guilt by…', 'article-journal', 'journal article'],
      ['Lee 2019 — The politics of memory', 'chapter', 'book chapter'],
    ]);
    expect(r.items[1]!.fills).toEqual({ title: 'The politics of memory', publication: 'Divided families in Korea', author: 'Lee, Chul', date: '2019', pages: '45-67' });
    expect(env.store.revision).toBe(revision);
    expect(env.events).toEqual([]);
  });

  it('reads a RIS record and a CSL-JSON item', async () => {
    const ris = await env.api['documents.readCitation']({ fileName: 'export.ris', content: RIS }, ctx);
    expect(ris.format).toBe('ris');
    expect(ris.items).toHaveLength(1);
    expect(ris.items[0]).toMatchObject({ type: 'article-newspaper', label: 'Kim & Ponnudurai 2012 — Pyongyang moves to identify defectors' });
    expect(ris.items[0]!.fills).toMatchObject({ publication: 'Radio Free Asia', date: '2012-03-05', url: 'https://www.rfa.org/english/news/korea/defectors-03052012.html' });
    const json = await env.api['documents.readCitation']({ fileName: 'library.json', content: CSL_JSON }, ctx);
    expect(json.format).toBe('csl-json');
    expect(json.items[0]).toMatchObject({ type: 'book', kind: 'book', label: 'Smith 2019 — Divided families in Korea' });
    // A field the processor would interpret is not kept.
    expect(json.items[0]!.item['note']).toBeUndefined();
    expect(json.items[0]!.fills).toEqual({ title: 'Divided families in Korea', author: 'Smith, Jane A.', date: '2019' });
  });

  it('refuses a malformed file with the reason, changing nothing', async () => {
    const revision = env.store.revision;
    const broken = await refusal(env.api['documents.readCitation']({ fileName: 'broken.bib', content: '@article{kim,\n  title = {Unclosed\n' }, ctx));
    expect(broken.code).toBe('invalid_input');
    expect(broken.message).toMatch(/^broken\.bib cannot be imported: /);
    expect((await refusal(env.api['documents.readCitation']({ fileName: 'notes.ris', content: 'just some words' }, ctx))).message).toMatch(/is not BibTeX/);
    expect((await refusal(env.api['documents.readCitation']({ fileName: 'x.json', content: '{"id": 1' }, ctx))).message).toMatch(/not valid JSON/);
    expect(env.store.revision).toBe(revision);
  });

  it('sets a chapter as the citation in one undo step: the properties filled, the quote cited from the chapter; undo puts everything back', async () => {
    const passage = await code();
    const before = await env.api['passages.quote']({ documentId: DOC.id, id: passage.id, style: 'apa' }, ctx);
    expect(before.reference).toBe('Interview 3. (n.d.).');
    const choice = await chapter();
    const done = await env.api['documents.setCitation']({ documentId: DOC.id, citation: { format: 'bibtex', item: choice.item }, base: shown }, ctx);
    expect(done.history.undo).toBe('import citation');
    const summary = (await env.api['documents.list']({}, ctx))[0]!;
    expect(summary.meta).toMatchObject({ title: 'The politics of memory', author: 'Lee, Chul', publication: 'Divided families in Korea', date: '2019', pages: '45-67' });
    expect(summary.citation).toEqual({ format: 'bibtex', type: 'chapter', kind: 'book chapter', label: 'Lee 2019 — The politics of memory' });
    expect((await env.api['documents.get']({ documentId: DOC.id }, ctx)).citation).toMatchObject({ format: 'bibtex', item: { type: 'chapter', publisher: 'Routledge' } });

    const quoted = await env.api['passages.quote']({ documentId: DOC.id, id: passage.id, style: 'apa' }, ctx);
    expect(quoted.reference).toBe('Lee, C. (2019). The politics of memory. In J. A. Smith & J. Doe (Eds.), Divided families in Korea (pp. 45–67). Routledge.');
    expect(quoted.inText).toBe('(Lee, 2019, para. 1)');

    // Kept on disk, and read back as it was.
    await env.reopen();
    expect((await env.api['documents.get']({ documentId: DOC.id }, ctx)).citation?.item).toEqual(choice.item);

    await env.api['documents.setCitation']({ documentId: DOC.id, citation: null, base: {} }, ctx);
    expect((await env.api['documents.list']({}, ctx))[0]!.citation).toBeUndefined();
    // Removing the item leaves the properties: the quote is cited from them again.
    expect((await env.api['passages.quote']({ documentId: DOC.id, id: passage.id, style: 'apa' }, ctx)).reference).toBe('Lee, C. (2019). The politics of memory. Divided Families in Korea, 45–67.');
  });

  it('undo restores the properties and removes the item', async () => {
    await env.api['documents.update']({ documentId: DOC.id, changes: { author: 'Ana Lima', url: 'https://example.org/i3' }, base: {} }, ctx);
    const before = (await env.api['documents.list']({}, ctx))[0]!;
    const choice = await chapter();
    await env.api['documents.setCitation']({ documentId: DOC.id, citation: { format: 'bibtex', item: choice.item }, base: { ...shown, author: 'Ana Lima', url: 'https://example.org/i3' } }, ctx);
    expect((await env.api['history.undo']({}, ctx))!.event.label).toBe('undo import citation');
    const undone = (await env.api['documents.list']({}, ctx))[0]!;
    expect(undone.meta).toEqual(before.meta);
    expect(undone.citation).toBeUndefined();
    expect((await env.api['documents.get']({ documentId: DOC.id }, ctx)).citation).toBeUndefined();
    await env.api['history.redo']({}, ctx);
    expect((await env.api['documents.list']({}, ctx))[0]!.citation?.type).toBe('chapter');
  });

  it('refuses to fill properties changed elsewhere since the window showed them, changing nothing', async () => {
    await env.api['documents.update']({ documentId: DOC.id, changes: { title: 'Renamed elsewhere' }, base: {} }, other);
    const revision = env.store.revision;
    const e = await refusal(env.api['documents.setCitation']({ documentId: DOC.id, citation: { format: 'bibtex', item: (await chapter()).item }, base: shown }, ctx));
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(/the title of “Renamed elsewhere” changed elsewhere since/);
    expect(env.store.revision).toBe(revision);
    expect((await env.api['documents.list']({}, ctx))[0]!.citation).toBeUndefined();
  });

  it('refuses to undo an import over a citation changed elsewhere since', async () => {
    await env.api['documents.setCitation']({ documentId: DOC.id, citation: { format: 'bibtex', item: (await chapter()).item }, base: shown }, ctx);
    await env.api['documents.setCitation']({ documentId: DOC.id, citation: null, base: {} }, other);
    const e = await refusal(env.api['history.undo']({}, ctx));
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(/imported citation of “The politics of memory” changed elsewhere since/);
    expect((await env.api['documents.list']({}, ctx))[0]!.meta.title).toBe('The politics of memory');
  });

  it('refuses an item from the page that does not read whole, and a removal with nothing to remove', async () => {
    const call = (citation: unknown) => dispatch(env.api, 'documents.setCitation', { documentId: DOC.id, citation, base: {} }, ctx);
    const badTitle = await call({ format: 'bibtex', item: { id: 'x', type: 'book', title: { toString: 'evil' } } });
    expect(badTitle).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/the field "title" cannot be read/) } });
    const badType = await call({ format: 'ris', item: { id: 'x', type: 'spaceship', title: 'T' } });
    expect(badType).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/no CSL type/) } });
    const tooMany = await call({ format: 'ris', item: { id: 'x', type: 'book', ...Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`f${i}`, 'x'])) } });
    expect(tooMany).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect((await refusal(env.api['documents.setCitation']({ documentId: DOC.id, citation: null, base: {} }, ctx))).message).toMatch(/has no imported citation/);
    expect(env.events).toEqual([]);
  });
});

describe('the imported citation in the project file', () => {
  const env = useServices('gloss-citation-file-', DOC);
  const projectFile = () => path.join(env.dir, PROJECT_FILE);

  it('opens a project whose documents have no citation field, unchanged', async () => {
    await env.store.close();
    const data = JSON.parse(await fsp.readFile(projectFile(), 'utf8'));
    expect(data.documents.every((d: object) => !('citation' in d))).toBe(true);
    await env.open();
    const [summary] = await env.api['documents.list']({}, ctx);
    expect(summary!.citation).toBeUndefined();
    expect((await env.api['documents.get']({ documentId: DOC.id }, ctx)).citation).toBeUndefined();
  });

  it('refuses, untouched, a project file whose citation does not read whole', async () => {
    await env.store.close();
    const data = JSON.parse(await fsp.readFile(projectFile(), 'utf8'));
    data.documents[0].citation = { format: 'bibtex', item: { id: 'x', type: 'chapter', title: ['not', 'text'] } };
    const text = JSON.stringify(data, null, 2);
    await fsp.writeFile(projectFile(), text);
    await expect(ProjectStore.open(env.dir, {})).rejects.toThrow(/citation/);
    expect(await fsp.readFile(projectFile(), 'utf8')).toBe(text);
    // Put back as it was, for the test's own clean-up.
    delete data.documents[0].citation;
    await fsp.writeFile(projectFile(), JSON.stringify(data, null, 2));
    await env.open();
  });
});

describe('an imported entry said in words', () => {
  it('names up to three authors, then the first et al., else the editors; cuts a long title at a word', async () => {
    const { citationLabel, cslTypeName } = await import('../../main/core/citations');
    const names = (...families: string[]) => families.map((family) => ({ family, given: 'A.' }));
    expect(citationLabel({ type: 'book', author: names('Kim', 'Lee', 'Park', 'Choi'), issued: { 'date-parts': [[2020]] }, title: 'Short' })).toBe('Kim et al. 2020 — Short');
    expect(citationLabel({ type: 'book', editor: [{ literal: 'Human Rights Watch' }], title: 'A report' })).toBe('Human Rights Watch — A report');
    expect(citationLabel({ type: 'book', issued: { literal: 'spring 1999' } })).toBe('1999');
    expect(citationLabel({ type: 'book' })).toBe('(an entry without author, year or title)');
    expect(citationLabel({ type: 'book', title: 'Families left behind: North Korean defectors and guilt by association in the 2010s' })).toBe('Families left behind: North Korean defectors and guilt by…');
    expect([cslTypeName('chapter'), cslTypeName('article-journal'), cslTypeName('post-weblog'), cslTypeName('some_new-type')]).toEqual(['book chapter', 'journal article', 'blog post', 'some new type']);
  });
});
