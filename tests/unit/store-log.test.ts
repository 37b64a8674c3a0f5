import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { LOG_DIR } from '../../main/core/change-log';
import { ProjectOpenError, ProjectStore } from '../../main/core/store';
import type { ApiHandlers, CallContext } from '../../shared/api';
import { docFile, p, seedOf, servicesFor, tempDir } from '../support/project';

// The store over its change log (change-log.ts): commits are log lines, the JSON files a
// checkpoint written in the background and on closing. What a crash leaves (the folder as it is
// while the app runs) opens with every acknowledged change; damage is refused untouched.

const seed = seedOf(docFile('one', 'One', p('alpha beta gamma delta')), docFile('two', 'Two', p('epsilon zeta eta theta')), docFile('three', 'Three', p('iota kappa lambda mu')));
const ctx: CallContext = { client: 'test-window' };
let root: string;
let dir: string;
beforeEach(async () => {
  root = await tempDir('gloss-store-log-');
  dir = path.join(root, 'project');
});
afterEach(async () => {
  await fsp.rm(root, { recursive: true, force: true });
});

async function apiOf(store: ProjectStore, d = dir): Promise<ApiHandlers> {
  return (await servicesFor(store, d)).handlers;
}

/** The project folder as a crash would leave it now: every file, without the lock. */
async function crashCopy(name: string): Promise<string> {
  const to = path.join(root, name);
  await fsp.cp(dir, to, { recursive: true, filter: (src) => !path.basename(src).startsWith('.gloss-lock') });
  return to;
}

const logFiles = async (d: string): Promise<string[]> => fsp.readdir(path.join(d, LOG_DIR)).catch(() => []);

describe('the store over its change log', () => {
  it('opens what a crash left with every acknowledged change, from the log', async () => {
    const store = await ProjectStore.open(dir, { seed });
    const api = await apiOf(store);
    const made = await api['annotations.create']({ documentId: 'one', start: 0, end: 5, codeIds: ['a'] }, ctx);
    await api['annotations.create']({ documentId: 'two', start: 0, end: 7, codeIds: ['c'], memo: 'second' }, ctx);
    await api['annotations.setMemo']({ documentId: 'one', id: made.annotation!.id, memo: 'edited', base: '' }, ctx);
    await api['project.rename']({ name: 'Renamed' }, ctx);
    const crashed = await crashCopy('crashed');
    expect(await logFiles(crashed)).toHaveLength(1);
    await store.close();

    const reopened = await ProjectStore.open(crashed);
    expect(reopened.revision).toBe(store.revision);
    expect(reopened.project.name).toBe('Renamed');
    expect((await reopened.annotations('one')).map((a) => a.memo)).toEqual(['edited']);
    expect((await reopened.annotations('two')).map((a) => a.memo)).toEqual(['second']);
    expect(reopened.summary('two')!.annotationCount).toBe(1);
    expect(reopened.notices).toEqual([]);
    await reopened.close();
    expect(await logFiles(crashed)).toEqual([]);
  });

  it('lets a read-only reader (an export while the app runs) see what is only in the log', async () => {
    const store = await ProjectStore.open(dir, { seed });
    await (await apiOf(store))['annotations.create']({ documentId: 'three', start: 0, end: 4, codeIds: ['c'] }, ctx);
    const reader = await ProjectStore.open(dir, { readOnly: true });
    expect((await reader.readAnnotationsUncached('three')).map((a) => a.quote.exact)).toEqual(['iota']);
    expect(reader.revision).toBe(store.revision);
    await reader.close();
    await store.close();
  });

  it('writes checkpoints in the background while commits go on, and loses none of them', async () => {
    const store = await ProjectStore.open(dir, { seed, checkpointBytes: 1 });
    const api = await apiOf(store);
    const docs = ['one', 'two', 'three'];
    await Promise.all(Array.from({ length: 30 }, (_, i) => api['annotations.create']({ documentId: docs[i % 3]!, start: i % 5, end: 5 + (i % 5), codeIds: ['a'] }, ctx)));
    // Some checkpoint has reached the files while the store is still open.
    await expect.poll(async () => JSON.parse(await fsp.readFile(path.join(dir, 'gloss-project.json'), 'utf8')).revision).toBeGreaterThan(1);
    await store.close();
    expect(await logFiles(dir)).toEqual([]);
    const again = await ProjectStore.open(dir);
    for (const id of docs) expect((await again.annotations(id)).length, id).toBe(10);
    expect(again.revision).toBe(store.revision);
    await again.close();
  });

  it('leaves out a torn last change, says so, and keeps everything before it', async () => {
    const store = await ProjectStore.open(dir, { seed });
    await (await apiOf(store))['annotations.create']({ documentId: 'one', start: 0, end: 5, codeIds: ['a'] }, ctx);
    const crashed = await crashCopy('crashed');
    await store.close();
    const [segment] = await logFiles(crashed);
    await fsp.appendFile(path.join(crashed, LOG_DIR, segment!), '0badc0de {"revision":');
    const reopened = await ProjectStore.open(crashed);
    expect(reopened.notices.join(' ')).toMatch(/had not reached the disk whole, and was left out/);
    expect(await reopened.annotations('one')).toHaveLength(1);
    await reopened.close();
  });

  it('refuses a log with a change missing, and leaves the project as it is', async () => {
    const store = await ProjectStore.open(dir, { seed });
    const api = await apiOf(store);
    for (const start of [0, 6, 11]) await api['annotations.create']({ documentId: 'one', start, end: start + 4, codeIds: ['a'] }, ctx);
    const crashed = await crashCopy('crashed');
    await store.close();
    const [segment] = await logFiles(crashed);
    const file = path.join(crashed, LOG_DIR, segment!);
    const lines = (await fsp.readFile(file, 'utf8')).split('\n');
    await fsp.writeFile(file, [lines[0], lines[2], ''].join('\n'));
    const before = await fsp.readFile(file);
    await expect(ProjectStore.open(crashed)).rejects.toThrow(ProjectOpenError);
    await expect(ProjectStore.open(crashed)).rejects.toThrow(/missing changes \(revision 2 is not there, 3 is\)/);
    expect(await fsp.readFile(file)).toEqual(before);
  });

  it('does not create a new project over a folder holding only a change log', async () => {
    const store = await ProjectStore.open(dir, { seed });
    await (await apiOf(store))['annotations.create']({ documentId: 'one', start: 0, end: 5, codeIds: ['a'] }, ctx);
    const crashed = await crashCopy('crashed');
    await store.close();
    for (const name of ['gloss-project.json', 'annotations', 'documents']) await fsp.rm(path.join(crashed, name), { recursive: true });
    await expect(ProjectStore.open(crashed, { seed })).rejects.toThrow(/holds Gloss documents or coded passages/);
  });
});

describe('documents added and removed through the log', () => {
  const newDoc = docFile('four', 'Four', p('nu xi omicron pi'));
  const add = (store: ProjectStore, doc = newDoc) =>
    store.transact({ origin: null, label: 'add' }, (tx) => {
      tx.putDocument(doc);
      tx.project.documents.push({ id: doc.id, meta: doc.meta, textHash: doc.textHash, added: '2026-01-01T00:00:00.000Z' });
      tx.project.index.documents[doc.id] = { annotations: 0, codes: {} };
    });
  const remove = (store: ProjectStore, id: string) =>
    store.transact({ origin: null, label: 'remove', documents: [id] }, (tx) => {
      tx.removeDocument(id);
      tx.project.documents = tx.project.documents.filter((d) => d.id !== id);
      delete tx.project.index.documents[id];
    });
  const files = async (d: string, id: string) => ({
    document: await fsp.access(path.join(d, 'documents', `${id}.json`)).then(() => true, () => false),
    annotations: await fsp.access(path.join(d, 'annotations', `${id}.json`)).then(() => true, () => false),
  });

  it('adds a document: there after a crash, and in its own files after closing', async () => {
    const store = await ProjectStore.open(dir, { seed });
    await add(store);
    await (await apiOf(store))['annotations.create']({ documentId: 'four', start: 0, end: 2, codeIds: ['a'] }, ctx);
    expect(await files(dir, 'four')).toEqual({ document: false, annotations: false });
    const crashed = await crashCopy('crashed');
    await store.close();
    expect(await files(dir, 'four')).toEqual({ document: true, annotations: true });
    for (const d of [dir, crashed]) {
      const again = await ProjectStore.open(d);
      expect((await again.document('four'))?.meta.title, d).toBe('Four');
      expect((await again.annotations('four')).map((a) => a.quote.exact), d).toEqual(['nu']);
      await again.close();
    }
  });

  it('removes a document with its passages, and deletes its files at the checkpoint', async () => {
    const store = await ProjectStore.open(dir, { seed });
    await (await apiOf(store))['annotations.create']({ documentId: 'two', start: 0, end: 7, codeIds: ['a'] }, ctx);
    await store.close();
    const again = await ProjectStore.open(dir);
    await remove(again, 'two');
    expect(await again.document('two')).toBeNull();
    const crashed = await crashCopy('crashed');
    await again.close();
    expect(await files(dir, 'two')).toEqual({ document: false, annotations: false });
    const fromCrash = await ProjectStore.open(crashed);
    expect(fromCrash.project.documents.map((d) => d.id)).toEqual(['one', 'three']);
    expect(await fromCrash.document('two')).toBeNull();
    await fromCrash.close();
    expect(await files(crashed, 'two')).toEqual({ document: false, annotations: false });
  });

  it('puts a removed document back afresh: none of its old passages come back', async () => {
    const store = await ProjectStore.open(dir, { seed });
    const api = await apiOf(store);
    await api['annotations.create']({ documentId: 'two', start: 0, end: 7, codeIds: ['a'] }, ctx);
    await store.close();
    const again = await ProjectStore.open(dir);
    const api2 = await apiOf(again);
    await remove(again, 'two');
    await add(again, docFile('two', 'Two again', p('epsilon zeta eta theta')));
    await api2['annotations.create']({ documentId: 'two', start: 8, end: 12, codeIds: ['c'] }, ctx);
    expect((await again.annotations('two')).map((a) => a.quote.exact)).toEqual(['zeta']);
    const crashed = await crashCopy('crashed');
    await again.close();
    for (const d of [dir, crashed]) {
      const reopened = await ProjectStore.open(d);
      expect((await reopened.document('two'))?.meta.title, d).toBe('Two again');
      expect((await reopened.annotations('two')).map((a) => a.quote.exact), d).toEqual(['zeta']);
      expect(reopened.summary('two')!.annotationCount).toBe(1);
      await reopened.close();
    }
  });
});
