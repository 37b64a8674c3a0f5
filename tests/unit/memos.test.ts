import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProjectStore } from '../../main/core/store';
import { docFile, p } from '../support/project';
import { refusal, useServices } from '../support/services';

// Memos with a title through the API: the project's journal and memos on documents and codes,
// each one undo step, refused when another window saved first, linked to passages, kept on disk,
// and exported with every other memo of the project as Markdown.

const ctx = { client: 'window-1' };
const other = { client: 'window-2' };
const A_TEXT = 'Relatives are questioned. The families are watched by the police.';
const A = docFile('doc-a', 'Families under watch', p(A_TEXT));

describe('memos', () => {
  const env = useServices('gloss-memos-', A);
  const memos = async () => (await env.api['workspace.get']({}, ctx)).memos;

  it('writes a journal entry and memos on a document and a code, by the coder, each one undo step', async () => {
    const journal = await env.api['memos.create']({ title: '  Day   one ', text: 'First reading.\n\nSecond thought.', about: { kind: 'project' } }, ctx);
    expect(journal.history.undo).toBe('write memo “Day one”');
    const onDoc = await env.api['memos.create']({ title: '', text: 'About this article.', about: { kind: 'document', id: 'doc-a' } }, ctx);
    const onCode = await env.api['memos.create']({ title: 'What Alpha means', text: '', about: { kind: 'code', id: 'a' } }, ctx);
    const all = await memos();
    expect(all.map((m) => [m.title, m.about])).toEqual([
      ['Day one', { kind: 'project' }],
      ['Untitled memo', { kind: 'document', id: 'doc-a' }],
      ['What Alpha means', { kind: 'code', id: 'a' }],
    ]);
    expect(all[0]!.authorId).toBe((await env.api['project.info']({}, ctx)).coder!.id);
    expect([journal.memoId, onDoc.memoId, onCode.memoId]).toEqual(all.map((m) => m.id));
    // A change event carries them all, for every window.
    expect(env.events.at(-1)!.changes).toEqual([{ type: 'memos', memos: all }]);
    await env.api['history.undo']({}, ctx);
    expect((await memos()).map((m) => m.title)).toEqual(['Day one', 'Untitled memo']);
    await env.api['history.redo']({}, ctx);
    expect(await memos()).toEqual(all);
    // Kept on disk.
    await env.reopen();
    expect(await memos()).toEqual(all);
  });

  it('refuses a save over a memo another window changed since, and says what it holds now', async () => {
    const { memoId } = await env.api['memos.create']({ title: 'Shared', text: 'one', about: { kind: 'project' } }, ctx);
    await env.api['memos.update']({ id: memoId!, text: 'two (window 2)', base: { title: 'Shared', text: 'one' } }, other);
    const e = await refusal(env.api['memos.update']({ id: memoId!, text: 'three (window 1)', base: { title: 'Shared', text: 'one' } }, ctx));
    expect(e.code).toBe('conflict');
    expect(e.details).toMatchObject({ memo: 'two (window 2)', title: 'Shared' });
    expect((await memos())[0]!.text).toBe('two (window 2)');
    // Window 1's undo of its own creation would delete what window 2 changed: refused too.
    expect((await refusal(env.api['history.undo']({}, ctx))).code).toBe('conflict');
    expect(await memos()).toHaveLength(1);
  });

  it('links passages, and refuses what does not exist', async () => {
    const start = A_TEXT.indexOf('watched');
    const passage = (await env.api['annotations.create']({ documentId: 'doc-a', start, end: start + 7, codeIds: ['a'] }, ctx)).annotation!;
    const { memoId } = await env.api['memos.create']({ title: 'Watching', text: '', about: { kind: 'code', id: 'a' } }, ctx);
    const linked = await env.api['memos.link']({ id: memoId!, passage: { documentId: 'doc-a', id: passage.id }, linked: true }, ctx);
    expect(linked.history.undo).toBe('link a passage to memo “Watching”');
    expect((await memos())[0]!.passages).toEqual([{ documentId: 'doc-a', id: passage.id }]);
    expect((await refusal(env.api['memos.link']({ id: memoId!, passage: { documentId: 'doc-a', id: passage.id }, linked: true }, ctx))).code).toBe('invalid_input');
    expect((await refusal(env.api['memos.link']({ id: memoId!, passage: { documentId: 'doc-a', id: '00000000-0000-4000-8000-000000000000' }, linked: true }, ctx))).code).toBe('not_found');
    expect((await refusal(env.api['memos.create']({ title: 'x', text: '', about: { kind: 'code', id: 'nope' } }, ctx))).code).toBe('not_found');
    await env.api['memos.link']({ id: memoId!, passage: { documentId: 'doc-a', id: passage.id }, linked: false }, ctx);
    expect((await memos())[0]!.passages).toEqual([]);
    await env.api['history.undo']({}, ctx);
    expect((await memos())[0]!.passages).toHaveLength(1);
  });

  it('deletes a memo, and undo puts it back with its links', async () => {
    const { memoId } = await env.api['memos.create']({ title: 'Gone soon', text: 'text', about: { kind: 'project' } }, ctx);
    const before = await memos();
    const r = await env.api['memos.delete']({ id: memoId! }, ctx);
    expect(r.history.undo).toBe('delete memo “Gone soon”');
    expect(await memos()).toEqual([]);
    await env.api['history.undo']({}, ctx);
    expect(await memos()).toEqual(before);
  });

  it('exports every memo as Markdown: the journal, documents with their passages’ memos, codes', async () => {
    const start = A_TEXT.indexOf('questioned');
    const passage = (await env.api['annotations.create']({ documentId: 'doc-a', start, end: start + 10, codeIds: ['a'] }, ctx)).annotation!;
    await env.api['annotations.setMemo']({ documentId: 'doc-a', id: passage.id, memo: 'Who asks *them*?', base: '' }, ctx);
    await env.api['memos.create']({ title: 'Day one', text: 'Read <b>it</b>.', about: { kind: 'project' } }, ctx);
    await env.api['memos.create']({ title: 'Alpha', text: 'A code memo.', about: { kind: 'code', id: 'a' }, passages: [{ documentId: 'doc-a', id: passage.id }] }, ctx);
    const file = await env.api['memos.export']({ format: 'md' }, ctx);
    expect(file).toMatchObject({ fileName: 'memos.md', memos: 3 });
    const md = file.content;
    expect(md.indexOf('## Project journal')).toBeLessThan(md.indexOf('## Document “Families under watch”'));
    expect(md.indexOf('## Document “Families under watch”')).toBeLessThan(md.indexOf('## Code “Alpha”'));
    expect(md).toContain('Read \\<b\\>it\\</b\\>.');
    expect(md).toContain('### On “questioned”');
    expect(md).toContain('Who asks \\*them\\*?');
    expect(md).toContain('- Families under watch: “questioned”');
  });

  it('opens a project without memos, and refuses a project file whose memos are damaged, leaving it as it was', async () => {
    expect(await memos()).toEqual([]);
    expect(env.store.project.memos).toBeUndefined();
    await env.api['memos.create']({ title: 'Kept', text: '', about: { kind: 'project' } }, ctx);
    await env.store.close();
    const file = path.join(env.dir, 'gloss-project.json');
    const data = JSON.parse(await readFile(file, 'utf8')) as { memos: Record<string, unknown>[] };
    expect(data.memos).toHaveLength(1);
    data.memos.push({ ...data.memos[0], title: 'Twin' });
    const damaged = JSON.stringify(data);
    await writeFile(file, damaged);
    await expect(ProjectStore.open(env.dir)).rejects.toThrow(/two memos share an id/);
    expect(await readFile(file, 'utf8')).toBe(damaged);
    // Put right, it opens again (the test's own clean-up closes it).
    data.memos.pop();
    await writeFile(file, JSON.stringify(data));
    await env.open();
    expect((await memos()).map((m) => m.title)).toEqual(['Kept']);
  });
});
