import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { plainText } from '../../shared/plain-text';
import type { Block, Code, Coder, DocumentMeta, ProjectInfo } from '../../shared/model';
import { FORMAT, SCHEMA_VERSION, type DocumentFileData } from '../../main/core/files';
import { importBytes } from '../../main/core/import/formats';
import type { Importer } from '../../main/core/import-service';
import { textHash } from '../../main/core/hash';
import type { ProjectSeed, ProjectStore } from '../../main/core/store';
import { ProfileStore } from '../../main/core/profile';
import { createServices } from '../../main/core/services';

/** Tiny builders for test documents: `doc('Title', p('one'), p('two'))`. */
export const p = (text: string): Block => ({ type: 'paragraph', text });
export const h = (text: string, level: 1 | 2 | 3 = 1): Block => ({ type: 'heading', level, text });
export const quote = (...children: Block[]): Block => ({ type: 'blockquote', children });
export const ul = (...items: Block[][]): Block => ({ type: 'list', ordered: false, items });

export function meta(title: string, extra: Partial<DocumentMeta> = {}): DocumentMeta {
  return { title, publication: '', author: '', date: '', url: '', ...extra };
}

export function docFile(id: string, title: string, ...blocks: Block[]): DocumentFileData {
  const m = meta(title);
  return { format: FORMAT.document, schemaVersion: SCHEMA_VERSION, id, meta: m, blocks, textHash: textHash(plainText(blocks)) };
}

export const testCodes: Code[] = [
  { id: 'a', name: 'Alpha', color: '#aa0000', description: '', parentId: null, slot: 0 },
  { id: 'a.b', name: 'Beta', color: '#00aa00', description: '', parentId: 'a', slot: 1 },
  { id: 'c', name: 'Gamma', color: '#0000aa', description: '', parentId: null, slot: 2 },
];

/** The coder the test projects are coded by. */
export const testCoder: Coder = { id: 'coder-ana', name: 'Ana', initials: 'A', color: '#1f77b4' };

/** A seed with the given documents and the test codebook. */
export function seedOf(...documents: DocumentFileData[]): () => Promise<ProjectSeed> {
  return async () => ({
    documents,
    project: {
      format: FORMAT.project,
      schemaVersion: SCHEMA_VERSION,
      id: 'test-project',
      name: 'Test project',
      created: '2026-01-01T00:00:00.000Z',
      codebook: { codes: testCodes },
      revision: 0,
      documents: documents.map((d) => ({ id: d.id, meta: d.meta, textHash: d.textHash, added: '2026-01-01T00:00:00.000Z' })),
      coders: [],
      index: { documents: Object.fromEntries(documents.map((d) => [d.id, { annotations: 0, codes: {} }])) },
      settings: {},
      migrations: [],
    },
  });
}

export async function tempDir(prefix = 'gloss-test-'): Promise<string> {
  return fsp.mkdtemp(path.join(os.tmpdir(), prefix));
}

/**
 * The API handlers over an open store, with a coder profile (in `dir`) already made, and a
 * call context: `const api = await servicesFor(store, dir); await api.call('annotations.list', {…})`.
 */
export async function servicesFor(store: ProjectStore, dir: string, opts: { now?: () => Date; coder?: string | null; importer?: Importer } = {}) {
  const profile = await ProfileStore.open(path.join(dir, '..', `${path.basename(dir)}-profile.json`));
  if (opts.coder !== null && !profile.coder) await profile.save({ name: opts.coder ?? 'Ana' });
  // Files are read in this process: the worker that reads them in the app has tests of its own.
  const importer: Importer = opts.importer ?? ((name, bytes, o) => importBytes(name, bytes, o));
  const services = createServices({ store, profile, suggestedCoderName: 'ana', importer, ...(opts.now ? { now: opts.now } : {}) });
  return { ...services, profile };
}

/** The project a fake core (tests of transports, without the store) says it has open. */
export function fakeProjectInfo(revision: number): ProjectInfo {
  return {
    name: 'Fixture',
    location: '/nowhere',
    coder: { id: 'coder-1', name: 'Ada', initials: 'A', color: '#1f77b4' },
    suggestedCoderName: 'ada',
    schemaVersion: 2,
    revision,
    notices: [],
  };
}
