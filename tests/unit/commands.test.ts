import { describe, expect, it } from 'vitest';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { dispatch } from '../../shared/api';
import { docFile, p } from '../support/project';
import { refusal, useServices } from '../support/services';

// Two windows on one project, as main sees them: each call carries its window's client id.

const A = docFile('doc-a', 'Alpha', p('The first article talks about surveillance of families.'), p('A second paragraph.'));
const B = docFile('doc-b', 'Beta', p('The second article is about smuggling across the border.'));
const one = { client: 'window-1' };
const two = { client: 'window-2' };

const env = useServices('gloss-commands-', A, B);

async function code(phrase: string, codeIds = ['a'], ctx = one, doc = A) {
  const text = doc.blocks.map((b) => (b.type === 'paragraph' ? b.text : '')).join('\n\n');
  const start = text.indexOf(phrase);
  const r = await env.api['annotations.create']({ documentId: doc.id, start, end: start + phrase.length, codeIds }, ctx);
  return r.annotation!;
}

const list = async (documentId = A.id) => (await env.api['annotations.list']({ documentId }, one)).annotations;

describe('commands from two windows', () => {
  it('keeps both codes when two windows add different codes to one passage', async () => {
    const a = await code('surveillance');
    await Promise.all([
      env.api['annotations.addCodes']({ documentId: A.id, id: a.id, codeIds: ['a.b'] }, one),
      env.api['annotations.addCodes']({ documentId: A.id, id: a.id, codeIds: ['c'] }, two),
    ]);
    expect((await list())[0]!.codeIds.sort()).toEqual(['a', 'a.b', 'c']);
    // Also on disk, after a reopen.
    await env.reopen();
    expect((await list())[0]!.codeIds.sort()).toEqual(['a', 'a.b', 'c']);
  });

  it('refuses a memo save made over a memo this window never saw, and keeps the other text', async () => {
    const a = await code('surveillance');
    await env.api['annotations.setMemo']({ documentId: A.id, id: a.id, memo: 'from one', base: '' }, one);
    const e = await refusal(env.api['annotations.setMemo']({ documentId: A.id, id: a.id, memo: 'from two', base: '' }, two));
    expect(e.code).toBe('conflict');
    expect(e.details?.memo).toBe('from one');
    expect(e.message).toMatch(/changed in another window/);
    expect((await list())[0]!.memo).toBe('from one');
    // Over what it now knows, the save goes through.
    await env.api['annotations.setMemo']({ documentId: A.id, id: a.id, memo: 'from two', base: 'from one' }, two);
    expect((await list())[0]!.memo).toBe('from two');
  });

  it('gives each window its own undo: undo in one takes back its own action, not the other’s', async () => {
    const mine = await code('surveillance', ['a'], one);
    const theirs = await code('families', ['c'], two);
    expect((await env.api['history.get']({}, one)).undo).toBe('code passage');
    const undone = await env.api['history.undo']({}, one);
    expect(undone!.reveal).toEqual({ documentId: A.id, annotationId: mine.id, restored: false });
    expect((await list()).map((a) => a.id)).toEqual([theirs.id]);
    expect(await env.api['history.undo']({}, one)).toBeNull();
    expect((await env.api['history.get']({}, two)).undo).toBe('code passage');
    // Redo brings back the very same passage.
    const redone = await env.api['history.redo']({}, one);
    expect(redone!.reveal).toEqual({ documentId: A.id, annotationId: mine.id, restored: true });
    expect((await list()).map((a) => a.id).sort()).toEqual([mine.id, theirs.id].sort());
  });

  it('does not overwrite a change made elsewhere: undoing a coding the other window has since added to says so and deletes nothing', async () => {
    const a = await code('surveillance', ['a'], one);
    await env.api['annotations.addCodes']({ documentId: A.id, id: a.id, codeIds: ['c'] }, two);
    const e = await refusal(env.api['history.undo']({}, one));
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(/changed elsewhere since \(code “Gamma” added\)/);
    expect((await list()).map((x) => x.id)).toEqual([a.id]);
    // The step that cannot run is dropped: Undo no longer offers it.
    expect((await env.api['history.get']({}, one)).undo).toBeNull();
  });

  it('does not put back a memo that another window changed since; says what happened', async () => {
    const a = await code('surveillance');
    await env.api['annotations.setMemo']({ documentId: A.id, id: a.id, memo: 'first', base: '' }, one);
    await env.api['annotations.setMemo']({ documentId: A.id, id: a.id, memo: 'second', base: 'first' }, two);
    const e = await refusal(env.api['history.undo']({}, one));
    expect(e.code).toBe('conflict');
    expect((await list())[0]!.memo).toBe('second');
  });

  it('undoes a removed code even after another window added a different one (the changes do not touch)', async () => {
    const a = await code('surveillance', ['a', 'a.b']);
    await env.api['annotations.removeCodes']({ documentId: A.id, id: a.id, codeIds: ['a.b'] }, one);
    await env.api['annotations.addCodes']({ documentId: A.id, id: a.id, codeIds: ['c'] }, two);
    await env.api['history.undo']({}, one);
    expect((await list())[0]!.codeIds).toEqual(['a', 'c', 'a.b']);
  });

  it('says so when undoing an action on a passage another window deleted', async () => {
    const a = await code('surveillance');
    await env.api['annotations.addCodes']({ documentId: A.id, id: a.id, codeIds: ['c'] }, one);
    await env.api['annotations.delete']({ documentId: A.id, id: a.id }, two);
    const e = await refusal(env.api['history.undo']({}, one));
    expect(e.message).toMatch(/deleted/);
    expect(await list()).toEqual([]);
  });

  it('makes one undo step of the saves of one memo editing session', async () => {
    const a = await code('surveillance');
    const session = '4f1e8a52-7a55-4a8e-9a3e-1b2c3d4e5f60';
    await env.api['annotations.setMemo']({ documentId: A.id, id: a.id, memo: 'H', base: '', session }, one);
    await env.api['annotations.setMemo']({ documentId: A.id, id: a.id, memo: 'Hel', base: 'H', session }, one);
    await env.api['annotations.setMemo']({ documentId: A.id, id: a.id, memo: 'Hello', base: 'Hel', session }, one);
    await env.api['history.undo']({}, one);
    expect((await list())[0]!.memo).toBe('');
    expect((await env.api['history.get']({}, one)).undo).toBe('code passage');
    await env.api['history.redo']({}, one);
    expect((await list())[0]!.memo).toBe('Hello');
  });

  it('undoes an action in another document and says where', async () => {
    const b = await code('smuggling', ['a'], one, B);
    await code('surveillance', ['a'], two);
    const r = await env.api['history.undo']({}, one);
    expect(r!.reveal!.documentId).toBe(B.id);
    expect(r!.event.changes).toContainEqual({ type: 'annotation-removed', documentId: B.id, id: b.id });
  });

  it('keeps a window’s history for that window only, across calls from a reloaded page (same client id)', async () => {
    await code('surveillance', ['a'], one);
    // A reload is the same client id: the history is still there.
    expect((await env.api['history.get']({}, { client: 'window-1' })).undo).toBe('code passage');
    expect((await env.api['history.get']({}, { client: 'window-3' })).undo).toBeNull();
  });
});

describe('the change feed', () => {
  it('publishes every commit once, with consecutive revisions, the window it came from and the new list entries', async () => {
    const a = await code('surveillance', ['a'], one);
    await env.api['annotations.addCodes']({ documentId: A.id, id: a.id, codeIds: ['c'] }, two);
    await env.api['annotations.delete']({ documentId: A.id, id: a.id }, one);
    expect(env.events.map((e) => [e.revision, e.origin, e.label])).toEqual([
      [1, 'window-1', 'code passage'],
      [2, 'window-2', 'add code'],
      [3, 'window-1', 'delete passage'],
    ]);
    expect(env.events[0]!.changes).toContainEqual(expect.objectContaining({ type: 'document', summary: expect.objectContaining({ id: A.id, annotationCount: 1 }) }));
    expect(env.events[2]!.changes).toContainEqual(expect.objectContaining({ type: 'document', summary: expect.objectContaining({ id: A.id, annotationCount: 0 }) }));
  });

  it('gives a window that missed revisions what it missed, or tells it to reload when they are gone', async () => {
    await code('surveillance');
    await code('families');
    const since = await env.api['changes.since']({ revision: 1 }, one);
    expect('events' in since && since.events.map((e) => e.revision)).toEqual([2]);
    const none = await env.api['changes.since']({ revision: 2 }, one);
    expect(none).toEqual({ revision: 2, events: [] });
  });

  it('survives a restart: revisions go on from where they were', async () => {
    await code('surveillance');
    await env.reopen();
    expect((await env.api['project.info']({}, one)).revision).toBe(1);
    // Events from before the restart are gone: a window that had revision 0 reloads.
    expect(await env.api['changes.since']({ revision: 0 }, one)).toEqual({ revision: 1, reset: true });
    await code('families');
    expect(env.events.map((e) => e.revision)).toEqual([2]);
  });

  it('validates every input on the way in, through dispatch', async () => {
    const res = await dispatch(env.api, 'annotations.setMemo', { documentId: A.id, id: 'not-a-uuid', memo: 'x', base: '' }, one);
    expect(res.ok).toBe(false);
  });
});

describe('damaged annotations files', () => {
  async function damage(change: (file: string) => Promise<void>): Promise<{ file: string; bytes: Buffer }> {
    await code('surveillance');
    await env.store.close();
    const file = path.join(env.dir, 'annotations', `${A.id}.json`);
    await change(file);
    const bytes = await fsp.readFile(file).catch(() => Buffer.alloc(0));
    await env.open();
    return { file, bytes };
  }

  it('refuses a file copied from another document, and leaves it untouched', async () => {
    const { file, bytes } = await damage(async (f) => {
      await fsp.copyFile(path.join(env.dir, 'annotations', `${B.id}.json`), f);
    });
    const e = await refusal(env.api['annotations.list']({ documentId: A.id }, one));
    expect(e.code).toBe('store_refused');
    expect(e.message).toMatch(/another document \("doc-b"\)/);
    await refusal(env.api['annotations.create']({ documentId: A.id, start: 0, end: 3, codeIds: ['a'] }, one));
    await env.store.close();
    expect(await fsp.readFile(file)).toEqual(bytes);
    await env.open();
  });

  it('refuses a file in which one passage belongs to another document', async () => {
    const { file, bytes } = await damage(async (f) => {
      const data = JSON.parse(await fsp.readFile(f, 'utf8'));
      data.annotations[0].documentId = B.id;
      await fsp.writeFile(f, JSON.stringify(data));
    });
    expect((await refusal(env.api['annotations.list']({ documentId: A.id }, one))).message).toMatch(/another document/);
    expect(await fsp.readFile(file)).toEqual(bytes);
  });

  it('refuses a file holding two passages with one id', async () => {
    const { file, bytes } = await damage(async (f) => {
      const data = JSON.parse(await fsp.readFile(f, 'utf8'));
      data.annotations.push({ ...data.annotations[0], memo: 'twin' });
      await fsp.writeFile(f, JSON.stringify(data));
    });
    expect((await refusal(env.api['annotations.list']({ documentId: A.id }, one))).message).toMatch(/two coded passages share the id/);
    expect(await fsp.readFile(file)).toEqual(bytes);
  });

  it('names a missing annotations file, shows the problem in the documents list, and never writes an empty one over the loss', async () => {
    const { file } = await damage(async (f) => fsp.rm(f));
    const e = await refusal(env.api['annotations.list']({ documentId: A.id }, one));
    expect(e.message).toContain(file);
    expect(e.message).toMatch(/recorded 1 passage/);
    expect((await env.api['documents.list']({}, one)).find((d) => d.id === A.id)!.problem).toContain(file);
    await refusal(env.api['annotations.create']({ documentId: A.id, start: 0, end: 3, codeIds: ['a'] }, one));
    await expect(fsp.access(file)).rejects.toThrow();
  });

  it('names the file of a missing document text', async () => {
    await env.store.close();
    const file = path.join(env.dir, 'documents', `${A.id}.json`);
    await fsp.rm(file);
    await env.open();
    const e = await refusal(env.api['documents.get']({ documentId: A.id }, one));
    expect(e.message).toContain(file);
  });
});

describe('the documents list', () => {
  it('comes from the project index: no annotations file is read to show it', async () => {
    await code('surveillance');
    await code('families');
    await env.store.close();
    // Unreadable files would be refused if they were read.
    await fsp.writeFile(path.join(env.dir, 'annotations', `${B.id}.json`), '{ damaged');
    await env.open();
    const docs = await env.api['documents.list']({}, one);
    expect(docs.map((d) => [d.id, d.annotationCount, d.problem])).toEqual([
      [A.id, 2, undefined],
      [B.id, 0, undefined],
    ]);
    expect(env.store.isLoaded(A.id) || env.store.isLoaded(B.id)).toBe(false);
    // The background read finds the damaged file, and the list says so from then on.
    await env.store.loadAll();
    expect(env.store.isLoaded(A.id) && env.store.isLoaded(B.id)).toBe(true);
    expect((await env.api['documents.list']({}, one)).find((d) => d.id === B.id)!.problem).toMatch(/damaged/);
  });
});

describe('renaming the project', () => {
  it('renames it in one undoable step that every window hears of, and keeps the name on disk', async () => {
    const r = await env.api['project.rename']({ name: '  Thesis   chapter 3 ' }, one);
    expect(r.history.undo).toBe('rename project');
    expect(env.events.at(-1)!.changes).toEqual([{ type: 'project', name: 'Thesis chapter 3' }]);
    expect((await env.api['project.info']({}, two)).name).toBe('Thesis chapter 3');
    await env.reopen();
    expect((await env.api['project.info']({}, one)).name).toBe('Thesis chapter 3');
  });

  it('undo puts the old name back, and refuses when another window renamed it since', async () => {
    await env.api['project.rename']({ name: 'First' }, one);
    await env.api['history.undo']({}, one);
    expect((await env.api['project.info']({}, one)).name).toBe('Test project');
    await env.api['history.redo']({}, one);
    await env.api['project.rename']({ name: 'Second' }, two);
    const e = await refusal(env.api['history.undo']({}, one));
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(/renamed “Second” elsewhere/);
    expect((await env.api['project.info']({}, one)).name).toBe('Second');
  });

  it('refuses an empty name, control characters and the same name', async () => {
    for (const name of ['', '   ', 'a\u0007b']) {
      const r = await dispatch(env.api, 'project.rename', { name }, one);
      expect(r.ok === false && r.error.code).toBe('invalid_input');
    }
    expect((await refusal(env.api['project.rename']({ name: 'Test project' }, one))).message).toMatch(/already/);
    expect(env.events).toEqual([]);
  });
});
