import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiHandlers } from '../../shared/api';
import { plainText } from '../../shared/plain-text';
import { DOCUMENTS_DIR } from '../../main/core/files';
import { ProjectStore } from '../../main/core/store';
import { docFile, p, seedOf, servicesFor, tempDir } from '../support/project';

// A deleted document takes the files keeping its earlier texts along, in the same transaction;
// undo puts them back. Each step is read back from disk by another store: from the change log
// (a copy of the folder as a crash would leave it, or a read-only reader) and from a checkpoint.

const ctx = { client: 'window-1' };
const b64 = (s: string): string => Buffer.from(s).toString('base64');
const OLD = 'The first transcript, with its errors.';
const NEW = 'The second transcript, corrected.';
const seed = seedOf(docFile('doc', 'Doc', p(OLD)), docFile('other', 'Other', p('Something else.')));

let root: string;
let dir: string;
beforeEach(async () => {
  root = await tempDir('gloss-delete-versions-');
  dir = path.join(root, 'project');
});
afterEach(async () => {
  await fsp.rm(root, { recursive: true, force: true });
});

const files = async (d = dir): Promise<string[]> => (await fsp.readdir(path.join(d, DOCUMENTS_DIR))).filter((n) => n.endsWith('.json')).sort();
const versionsIn = async (api: ApiHandlers) => (await api['documents.versions']({ documentId: 'doc' }, ctx)).map((v) => plainText(v.content.blocks));

/** What another store opening the folder now reads: the listed documents and the earlier texts of `doc` (null: no such document). */
async function readBack(from = dir): Promise<{ documents: string[]; versions: string[] | null }> {
  const store = await ProjectStore.open(from, { readOnly: true });
  try {
    const api = (await servicesFor(store, from)).handlers;
    const documents = (await api['documents.list']({}, ctx)).map((d) => d.id);
    return { documents, versions: documents.includes('doc') ? await versionsIn(api) : null };
  } finally {
    await store.close();
  }
}

/** Opens a writer; `checkpointBytes: 1` writes a checkpoint after every commit. */
async function open(checkpointBytes?: number): Promise<{ store: ProjectStore; api: ApiHandlers }> {
  const store = await ProjectStore.open(dir, { seed, ...(checkpointBytes ? { checkpointBytes } : {}) });
  return { store, api: (await servicesFor(store, dir)).handlers };
}

async function replaceText(api: ApiHandlers): Promise<void> {
  const r = await api['documents.previewReplace']({ documentId: 'doc', requestId: randomUUID(), fileName: 'v2.txt', content: b64(NEW) }, ctx);
  await api['documents.replaceText']({ token: r.token }, ctx);
}

/**
 * Waits until the checkpoint that runs in the background after a commit is done (it has dropped
 * the log it wrote out) and the documents folder holds `expected`.
 */
async function filesBecome(expected: string[]): Promise<void> {
  const state = async () => ({ documents: await files(), log: await fsp.readdir(path.join(dir, 'log')).catch(() => []) });
  await expect.poll(state, { timeout: 5000 }).toEqual({ documents: [...expected].sort(), log: [] });
}

describe('deleting a document with earlier versions of its text', () => {
  it('removes their files with it, and undo puts them back: read from the log', async () => {
    let { store, api } = await open();
    await replaceText(api);
    await store.close();
    const kept = (await files()).find((n) => n.startsWith('doc.was-'))!;
    expect(kept).toBeDefined();
    ({ store, api } = await open());
    expect(await versionsIn(api)).toEqual([OLD]);

    await api['documents.remove']({ documentIds: ['doc'] }, ctx);
    expect(await store.versionFile(kept.replace(/\.json$/, ''))).toBeNull();
    expect(await readBack()).toEqual({ documents: ['other'], versions: null });

    await api['history.undo']({}, ctx);
    expect(await versionsIn(api)).toEqual([OLD]);
    expect(await readBack()).toEqual({ documents: ['doc', 'other'], versions: [OLD] });
    // A crash now: the copy replays the delete and the undo from the log.
    const crashed = path.join(root, 'crashed');
    await fsp.cp(dir, crashed, { recursive: true, filter: (src) => !path.basename(src).startsWith('.gloss-lock') });
    expect(await readBack(crashed)).toEqual({ documents: ['doc', 'other'], versions: [OLD] });

    // Removed and put back between two checkpoints: the checkpoint on closing keeps the file.
    await store.close();
    expect(await files()).toEqual(['doc.json', kept, 'other.json'].sort());
    ({ store, api } = await open());
    expect(await versionsIn(api)).toEqual([OLD]);
    await store.close();
  });

  it('removes their files from the documents folder at the checkpoint after the delete, and the undo writes them again', async () => {
    let { store, api } = await open();
    await replaceText(api);
    await store.close();
    const kept = (await files()).find((n) => n.startsWith('doc.was-'))!;
    ({ store, api } = await open(1));
    await filesBecome(['doc.json', kept, 'other.json']);

    await api['documents.remove']({ documentIds: ['doc'] }, ctx);
    await filesBecome(['other.json']);
    expect(await readBack()).toEqual({ documents: ['other'], versions: null });

    await api['history.undo']({}, ctx);
    await filesBecome(['doc.json', kept, 'other.json']);
    expect(await versionsIn(api)).toEqual([OLD]);
    expect(await readBack()).toEqual({ documents: ['doc', 'other'], versions: [OLD] });

    // (Whether a commit starts a checkpoint depends on the log's size since the last one: closing writes one.)
    await api['history.redo']({}, ctx);
    expect(await readBack()).toEqual({ documents: ['other'], versions: null });
    await store.close();
    expect(await files()).toEqual(['other.json']);
    ({ store, api } = await open());
    expect((await api['documents.list']({}, ctx)).map((d) => d.id)).toEqual(['other']);
    await store.close();
  });
});
