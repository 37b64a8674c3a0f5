import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { documentIdFor } from '../../main/core/import-service';
import { plainText } from '../../shared/plain-text';
import { docFile, p } from '../support/project';
import { refusal, useServices } from '../support/services';

// Importing documents through the API: files prepared one by one (nothing changes), committed
// together as one undoable step; duplicates skipped; deleting documents with their passages,
// undoable; every window told through the feed; all of it surviving a reopen.

const ctx = { client: 'window-1' };
const other = { client: 'window-2' };
const b64 = (s: string | Uint8Array): string => Buffer.from(typeof s === 'string' ? new TextEncoder().encode(s) : s).toString('base64');

describe('importing documents', () => {
  const env = useServices('gloss-import-api-', docFile('one', 'One', p('alpha beta gamma')));
  const prepare = (fileName: string, content: string | Uint8Array, encoding?: string) =>
    env.api['documents.prepareImport']({ requestId: randomUUID(), fileName, content: b64(content), ...(encoding ? { encoding } : {}) }, ctx);

  it('prepares files without changing anything, then adds them in one step that one undo takes back', async () => {
    const a = await prepare('Interview 1.txt', 'I: When?\nR: In 2011.');
    const b = await prepare('notes.md', '---\ntitle: Field notes\nauthor: Ana\n---\n# Day 1\n\nSaw the border.\n');
    expect(a).toMatchObject({ title: 'Interview 1', format: 'txt', characters: 'I: When?\n\nR: In 2011.'.length, duplicateOf: null });
    expect(b).toMatchObject({ title: 'Field notes', format: 'md' });
    const revision = env.store.revision;
    expect(env.events).toEqual([]);

    const done = await env.api['documents.commitImport']({ tokens: [a.token, b.token] }, ctx);
    expect(env.store.revision).toBe(revision + 1);
    expect(done.documentIds).toHaveLength(2);
    const [idA, idB] = done.documentIds!;
    expect(idA).toMatch(/^interview-1-[0-9a-f]{6}$/);
    expect(done.history.undo).toBe('import documents');
    const list = await env.api['documents.list']({}, ctx);
    expect(list.map((d) => d.meta.title)).toEqual(['One', 'Interview 1', 'Field notes']);
    expect(list[2]!.meta.author).toBe('Ana');
    const content = await env.api['documents.get']({ documentId: idB! }, ctx);
    expect(plainText(content.blocks)).toBe('Day 1\n\nSaw the border.');
    // Every window hears of them, with their place in the list.
    expect(done.event.changes.filter((c) => c.type === 'document').map((c) => c.type === 'document' && c.index)).toEqual([1, 2]);

    // They can be coded, and they survive a reopen.
    await env.api['annotations.create']({ documentId: idA!, start: 0, end: 2, codeIds: ['a'] }, other);
    await env.reopen();
    expect((await env.api['documents.list']({}, ctx)).map((d) => d.id)).toEqual(['one', idA, idB]);
    expect((await env.api['annotations.list']({ documentId: idA! }, ctx)).annotations).toHaveLength(1);
  });

  it('undoes an import (also after a reopen of the window), and redoes it, unless passages were coded in it since', async () => {
    const a = await prepare('a.txt', 'first text');
    const { documentIds } = await env.api['documents.commitImport']({ tokens: [a.token] }, ctx);
    const id = documentIds![0]!;
    const undone = await env.api['history.undo']({}, ctx);
    expect(undone!.event.changes).toEqual([{ type: 'document-removed', documentId: id }]);
    expect((await env.api['documents.list']({}, ctx)).map((d) => d.id)).toEqual(['one']);
    await env.api['history.redo']({}, ctx);
    expect((await env.api['documents.list']({}, ctx)).map((d) => d.id)).toEqual(['one', id]);
    // Another window codes a passage in it: undoing the import would delete that, so it is refused.
    await env.api['annotations.create']({ documentId: id, start: 0, end: 5, codeIds: ['a'] }, other);
    const e = await refusal(env.api['history.undo']({}, ctx));
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(/“a” has 1 coded passage now \(0 before\).*Gloss did not delete it/);
    expect((await env.api['documents.list']({}, ctx)).map((d) => d.id)).toEqual(['one', id]);
  });

  it('skips a text the project holds already, or that an earlier file of the batch holds', async () => {
    const same = await prepare('copy.txt', 'alpha beta gamma');
    expect(same.duplicateOf).toEqual({ id: 'one', title: 'One' });
    const x = await prepare('x.txt', 'new text');
    const y = await prepare('y.html', '<p>new text</p>');
    const done = await env.api['documents.commitImport']({ tokens: [same.token, x.token, y.token] }, ctx);
    expect(done.documentIds).toHaveLength(1);
    expect(done.notice).toBe('Skipped as already in the project: “copy” (the same text as “One”), “y” (the same text as “x”).');
    expect(done.skipped).toEqual([same.token, y.token]);
    const again = await prepare('z.txt', 'new text');
    expect((await refusal(env.api['documents.commitImport']({ tokens: [again.token] }, ctx))).message).toMatch(/Nothing to import: the file holds a text the project has already/);
  });

  it("refuses a file with the importer's reason, and asks for an encoding with the likeliest first", async () => {
    const bad = await refusal(prepare('thesis.docx', '%PDF-1.4 not really'));
    expect(bad.code).toBe('invalid_input');
    expect(bad.message).toMatch(/named \.docx but is not one/);
    const latin = Uint8Array.from([...'Família coração'].map((c) => c.charCodeAt(0)));
    const asked = await refusal(prepare('old.txt', latin));
    expect(asked.message).toMatch(/not UTF-8 text/);
    expect(asked.details?.encodings?.length).toBeGreaterThan(0);
    expect(asked.details?.choices).toContainEqual({ label: 'windows-1252', name: 'Western European (Windows-1252)' });
    const chosen = await prepare('old.txt', latin, 'windows-1252');
    const { documentIds } = await env.api['documents.commitImport']({ tokens: [chosen.token] }, ctx);
    expect(plainText((await env.api['documents.get']({ documentId: documentIds![0]! }, ctx)).blocks)).toBe('Família coração');
    expect(env.store.project.documents).toHaveLength(2);
  });

  it('keeps the page each block of a PDF starts on, through a reopen and a delete undone', async () => {
    const { readFile } = await import('node:fs/promises');
    const pdf = await readFile('tests/fixtures/import/pdf/letters.pdf');
    const r = await prepare('letters.pdf', pdf);
    const { documentIds } = await env.api['documents.commitImport']({ tokens: [r.token] }, ctx);
    const id = documentIds![0]!;
    const content = await env.api['documents.get']({ documentId: id }, ctx);
    expect(content.pages).toHaveLength(content.blocks.length);
    expect(content.pages![0]).toBe(1);
    expect(content.pages!.at(-1)).toBe(3);
    await env.api['documents.remove']({ documentIds: [id] }, ctx);
    await env.api['history.undo']({}, ctx);
    await env.reopen();
    expect((await env.api['documents.get']({ documentId: id }, ctx)).pages).toEqual(content.pages);
  });

  it('refuses tokens it does not hold, and a token twice', async () => {
    const e = await refusal(env.api['documents.commitImport']({ tokens: [randomUUID()] }, ctx));
    expect(e.message).toMatch(/no longer waiting/);
    const a = await prepare('a.txt', 'some text');
    await env.api['documents.commitImport']({ tokens: [a.token] }, ctx);
    expect((await refusal(env.api['documents.commitImport']({ tokens: [a.token] }, ctx))).message).toMatch(/no longer waiting/);
  });

  it('validates its input', async () => {
    const { dispatch } = await import('../../shared/api');
    const res = await dispatch(env.api, 'documents.prepareImport', { requestId: randomUUID(), fileName: 'a.txt', content: 'not base64!' }, ctx);
    expect(res.ok).toBe(false);
    const extra = await dispatch(env.api, 'documents.commitImport', { tokens: [], more: 1 }, ctx);
    expect(extra.ok).toBe(false);
  });
});

describe('deleting documents', () => {
  const env = useServices('gloss-delete-api-', docFile('one', 'One', p('alpha beta gamma')), docFile('two', 'Two', p('delta epsilon')), docFile('three', 'Three', p('zeta eta')));

  it('deletes documents with their passages in one step, for every window and after a reopen; one undo puts them all back', async () => {
    await env.api['annotations.create']({ documentId: 'two', start: 0, end: 5, codeIds: ['a'], memo: 'kept' }, ctx);
    const done = await env.api['documents.remove']({ documentIds: ['two', 'one'] }, ctx);
    expect(done.history.undo).toBe('delete documents');
    expect(done.event.changes).toEqual([
      { type: 'document-removed', documentId: 'two' },
      { type: 'document-removed', documentId: 'one' },
    ]);
    expect((await env.api['documents.list']({}, ctx)).map((d) => d.id)).toEqual(['three']);
    expect((await refusal(env.api['documents.get']({ documentId: 'two' }, ctx))).code).toBe('not_found');
    await env.api['history.undo']({}, ctx);
    expect((await env.api['documents.list']({}, ctx)).map((d) => d.id)).toEqual(['one', 'two', 'three']);
    await env.api['history.redo']({}, ctx);
    await env.reopen();
    expect((await env.api['documents.list']({}, ctx)).map((d) => d.id)).toEqual(['three']);
    expect(env.store.project.index.documents['two']).toBeUndefined();
  });

  it('restores passages with the document, in its place in the list, and survives a reopen', async () => {
    await env.api['annotations.create']({ documentId: 'two', start: 0, end: 5, codeIds: ['a'], memo: 'kept' }, ctx);
    await env.api['documents.remove']({ documentIds: ['two'] }, ctx);
    const back = await env.api['history.undo']({}, ctx);
    expect(back!.event.changes.find((c) => c.type === 'document')).toMatchObject({ index: 1, summary: { id: 'two', annotationCount: 1 } });
    expect((await env.api['documents.list']({}, ctx)).map((d) => d.id)).toEqual(['one', 'two', 'three']);
    expect((await env.api['annotations.list']({ documentId: 'two' }, ctx)).annotations.map((a) => a.memo)).toEqual(['kept']);
    await env.reopen();
    expect((await env.api['annotations.list']({ documentId: 'two' }, ctx)).annotations.map((a) => a.memo)).toEqual(['kept']);
    expect(env.store.summary('two')!.annotationCount).toBe(1);
  });

  it('refuses a document it does not have, changing nothing', async () => {
    const e = await refusal(env.api['documents.remove']({ documentIds: ['one', 'nope'] }, ctx));
    expect(e.code).toBe('not_found');
    expect(env.store.project.documents).toHaveLength(3);
  });
});

describe('ids of imported documents', () => {
  it('are the title in letters and digits, with a random tail, never taken', () => {
    expect(documentIdFor('Família — “Kim” 2024!', new Set())).toMatch(/^familia-kim-2024-[0-9a-f]{6}$/);
    expect(documentIdFor('조선', new Set())).toMatch(/^document-[0-9a-f]{6}$/);
    expect(documentIdFor('x'.repeat(100), new Set()).length).toBe(47);
  });
});
