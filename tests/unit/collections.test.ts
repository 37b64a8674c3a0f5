import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ProjectStore } from '../../main/core/store';
import { docFile, meta, p } from '../support/project';
import { refusal, useServices } from '../support/services';

// Quote collections through the API: passages gathered under a name, in order, with a note each,
// each change one undo step, refused when another window changed it first, kept on disk, and
// exported as Markdown with Pandoc citations, BibLaTeX, CSL-JSON and Word.

const ctx = { client: 'window-1' };
const other = { client: 'window-2' };
const FIRST = 'Relatives are questioned at the border.';
const SECOND = 'The families are watched by the police every night.';
const A = { ...docFile('doc-a', 'Families under watch', p(FIRST), p(SECOND)), meta: meta('Families under watch', { author: 'Kim, Jae', date: '2023-05-01', publication: 'Daily News' }) };
const NOBODY = '00000000-0000-4000-8000-000000000000';

describe('quote collections', () => {
  const env = useServices('gloss-collections-', A);
  const collections = async () => (await env.api['workspace.get']({}, ctx)).collections;
  const passage = async (words: string) => {
    const text = `${FIRST}\n\n${SECOND}`;
    const start = text.indexOf(words);
    return (await env.api['annotations.create']({ documentId: 'doc-a', start, end: start + words.length, codeIds: ['a'] }, ctx)).annotation!;
  };
  const made = async (name = 'Chapter 3') => (await env.api['collections.create']({ name }, ctx)).collectionId!;

  it('makes, renames and deletes a collection, each one undo step, kept on disk', async () => {
    const r = await env.api['collections.create']({ name: '  Chapter   3 ' }, ctx);
    expect(r.history.undo).toBe('make collection “Chapter 3”');
    const all = await collections();
    expect(all.map((c) => [c.id, c.name, c.items])).toEqual([[r.collectionId, 'Chapter 3', []]]);
    expect(env.events.at(-1)!.changes).toEqual([{ type: 'collections', collections: all }]);
    expect((await env.api['collections.create']({ name: '' }, ctx)).history.undo).toBe('make collection “Untitled collection”');
    await env.api['history.undo']({}, ctx);
    await env.api['collections.rename']({ id: r.collectionId!, name: 'Border', base: 'Chapter 3' }, ctx);
    expect((await collections()).map((c) => c.name)).toEqual(['Border']);
    expect((await refusal(env.api['collections.rename']({ id: r.collectionId!, name: 'Border', base: 'Border' }, ctx))).code).toBe('invalid_input');
    await env.reopen();
    expect((await collections()).map((c) => c.name)).toEqual(['Border']);
    await env.api['collections.delete']({ id: r.collectionId! }, ctx);
    expect(await collections()).toEqual([]);
    expect(env.store.project.collections).toBeUndefined();
    await env.api['history.undo']({}, ctx);
    expect((await collections()).map((c) => c.name)).toEqual(['Border']);
  });

  it('adds, moves, notes and removes quotes, each undoable', async () => {
    const one = await passage('Relatives are questioned');
    const two = await passage('watched by the police');
    const id = await made();
    await env.api['collections.addQuote']({ id, passage: { documentId: 'doc-a', id: one.id } }, ctx);
    const added = await env.api['collections.addQuote']({ id, passage: { documentId: 'doc-a', id: two.id }, note: 'Night.' }, ctx);
    expect(added.history.undo).toBe('add a quote to collection “Chapter 3”');
    const order = async () => (await collections())[0]!.items.map((q) => [q.passageId, q.note]);
    expect(await order()).toEqual([[one.id, ''], [two.id, 'Night.']]);
    expect((await refusal(env.api['collections.addQuote']({ id, passage: { documentId: 'doc-a', id: one.id } }, ctx))).code).toBe('invalid_input');
    expect((await refusal(env.api['collections.addQuote']({ id, passage: { documentId: 'doc-a', id: NOBODY } }, ctx))).code).toBe('not_found');

    await env.api['collections.moveQuote']({ id, passageId: two.id, before: one.id }, ctx);
    expect(await order()).toEqual([[two.id, 'Night.'], [one.id, '']]);
    await env.api['collections.moveQuote']({ id, passageId: two.id, before: null }, ctx);
    expect(await order()).toEqual([[one.id, ''], [two.id, 'Night.']]);
    await env.api['history.undo']({}, ctx);
    expect(await order()).toEqual([[two.id, 'Night.'], [one.id, '']]);

    const noted = await env.api['collections.setNote']({ id, passageId: one.id, note: 'At the border.', base: '' }, ctx);
    expect(noted.history.undo).toBe('edit a note in collection “Chapter 3”');
    expect(await order()).toEqual([[two.id, 'Night.'], [one.id, 'At the border.']]);

    await env.api['collections.removeQuote']({ id, passageId: two.id }, ctx);
    expect(await order()).toEqual([[one.id, 'At the border.']]);
    await env.api['history.undo']({}, ctx);
    expect(await order()).toEqual([[two.id, 'Night.'], [one.id, 'At the border.']]);
    expect((await refusal(env.api['collections.removeQuote']({ id, passageId: NOBODY }, ctx))).code).toBe('not_found');
  });

  it('refuses a note saved over one another window changed, and an undo over it', async () => {
    const one = await passage('Relatives are questioned');
    const id = await made();
    await env.api['collections.addQuote']({ id, passage: { documentId: 'doc-a', id: one.id } }, ctx);
    await env.api['collections.setNote']({ id, passageId: one.id, note: 'window 2', base: '' }, other);
    const e = await refusal(env.api['collections.setNote']({ id, passageId: one.id, note: 'window 1', base: '' }, ctx));
    expect(e.code).toBe('conflict');
    expect(e.details).toMatchObject({ memo: 'window 2' });
    // Window 1's undo of its adding would drop the note window 2 wrote: refused, nothing changed.
    expect((await refusal(env.api['history.undo']({}, ctx))).code).toBe('conflict');
    expect((await collections())[0]!.items.map((q) => q.note)).toEqual(['window 2']);
    expect((await refusal(env.api['collections.rename']({ id, name: 'x', base: 'Not its name' }, ctx))).code).toBe('conflict');
  });

  it('exports Markdown with Pandoc citations and its notes, and the same keys as BibLaTeX and CSL-JSON', async () => {
    const one = await passage('Relatives are questioned');
    const two = await passage('watched by the police');
    const id = await made('Watch *and* wait');
    await env.api['collections.addQuote']({ id, passage: { documentId: 'doc-a', id: two.id }, note: 'Every night, she says.' }, ctx);
    await env.api['collections.addQuote']({ id, passage: { documentId: 'doc-a', id: one.id } }, ctx);
    const md = await env.api['collections.export']({ id, format: 'md' }, ctx);
    expect(md).toMatchObject({ fileName: 'Watch and wait.md', mimeType: 'text/markdown', quotes: 2 });
    expect(md.content).toContain('# Watch \\*and\\* wait');
    expect(md.content).toContain('> watched by the police\n\n[@kim2023families, para. 2]\n\nEvery night, she says.');
    expect(md.content).toContain('> Relatives are questioned\n\n[@kim2023families, para. 1]');
    expect(md.content.indexOf('watched')).toBeLessThan(md.content.indexOf('Relatives'));
    const bib = await env.api['collections.export']({ id, format: 'bib' }, ctx);
    expect(bib.fileName).toBe('Watch and wait.bib');
    expect(bib.content).toMatch(/^@\w+\{kim2023families,/m);
    expect(bib.content.match(/^@/gm)).toHaveLength(1);
    const csl = JSON.parse((await env.api['collections.export']({ id, format: 'csl-json' }, ctx)).content) as { id: string }[];
    expect(csl.map((i) => i.id)).toEqual(['kim2023families']);
    // A deleted passage is left out.
    await env.api['annotations.delete']({ documentId: 'doc-a', id: one.id }, ctx);
    expect((await env.api['collections.export']({ id, format: 'md' }, ctx)).quotes).toBe(1);
  });

  it('exports a Word document with the quotations cited in the style asked for and a reference list', async () => {
    const two = await passage('watched by the police');
    const id = await made();
    await env.api['collections.addQuote']({ id, passage: { documentId: 'doc-a', id: two.id }, note: 'Every night.' }, ctx);
    const file = await env.api['collections.export']({ id, format: 'docx', style: 'apa' }, ctx);
    expect(file).toMatchObject({ fileName: 'Chapter 3.docx', encoding: 'base64', quotes: 1 });
    const bytes = Buffer.from(file.content, 'base64');
    const xml = strFromU8(unzipSync(new Uint8Array(bytes))['word/document.xml']!);
    const words = xml.replace(/<[^>]+>/g, '');
    expect(words).toContain('watched by the police');
    expect(words).toContain('(Kim, 2023, para. 2)');
    expect(words).toContain('Every night.');
    expect(words).toContain('References');
    expect(words).toContain('Families under watch');
    const mla = await env.api['collections.export']({ id, format: 'docx', style: 'mla' }, ctx);
    expect(strFromU8(unzipSync(new Uint8Array(Buffer.from(mla.content, 'base64')))['word/document.xml']!).replace(/<[^>]+>/g, '')).toContain('Works Cited');

    let pandoc = '';
    try {
      pandoc = execFileSync('which', ['pandoc'], { encoding: 'utf8' }).trim();
    } catch {
      pandoc = '';
    }
    if (!pandoc) {
      console.warn('collections.test.ts: pandoc is not installed, so the DOCX was not converted with pandoc (only unzipped and read).');
      return;
    }
    const docx = path.join(env.dir, 'out.docx');
    await writeFile(docx, bytes);
    const text = execFileSync(pandoc, [docx, '-t', 'plain'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('watched by the police');
    expect(text).toContain('(Kim, 2023, para. 2)');
  });

  it('opens a project without collections, and refuses a project file whose collections are damaged, leaving it as it was', async () => {
    expect(await collections()).toEqual([]);
    expect(env.store.project.collections).toBeUndefined();
    await made('Kept');
    await env.store.close();
    const file = path.join(env.dir, 'gloss-project.json');
    const data = JSON.parse(await readFile(file, 'utf8')) as { collections: Record<string, unknown>[] };
    expect(data.collections).toHaveLength(1);
    data.collections.push({ ...data.collections[0], name: 'Twin' });
    const damaged = JSON.stringify(data);
    await writeFile(file, damaged);
    await expect(ProjectStore.open(env.dir)).rejects.toThrow(/two collections share an id/);
    expect(await readFile(file, 'utf8')).toBe(damaged);
    data.collections.pop();
    await writeFile(file, JSON.stringify(data));
    await env.open();
    expect((await collections()).map((c) => c.name)).toEqual(['Kept']);
  });
});
