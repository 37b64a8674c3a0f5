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
