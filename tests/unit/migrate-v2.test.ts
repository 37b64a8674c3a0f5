import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { writeCodedPassagesCsv } from '../../main/core/export-csv';
import { csvSource } from '../../main/core/csv-source';
import { SCHEMA_VERSION } from '../../main/core/files';
import { ProjectStore } from '../../main/core/store';
import type { Codebook, PlacedAnnotation } from '../../shared/model';
import { bundleChild } from '../support/child-bundle';
import { servicesFor, tempDir } from '../support/project';

// A project written by the schema-2 Gloss itself (tests/fixtures/project-v2, made from this
// repository's history by scripts/make-v2-fixture.mjs: a 0.1 project migrated by that code, then
// renamed, its codebook edited, codes merged and deleted, passages coded, memos edited) opened by
// this Gloss: everything reads back exactly as the schema-2 code read it, the migration touches
// only the project file, keeps a backup of it, runs once, and survives being killed at any step.

const FIXTURE = path.resolve('tests/fixtures/project-v2');
interface Expected {
  commit: string;
  name: string;
  revision: number;
  codebook: Codebook;
  documents: { id: string; title: string; annotations: { revision: number; annotations: PlacedAnnotation[] } }[];
}
let expected: Expected;
let expectedCsv: string;

async function freshCopy(name: string): Promise<string> {
  const dir = path.join(await tempDir('gloss-migrate-v2-'), name);
  await fsp.cp(FIXTURE, dir, { recursive: true });
  return dir;
}

async function filesOf(dir: string, subs = ['', 'documents', 'annotations']): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const sub of subs) {
    for (const name of await fsp.readdir(path.join(dir, sub)).catch(() => [] as string[])) {
      const full = path.join(dir, sub, name);
      if ((await fsp.stat(full)).isFile() && !name.startsWith('.gloss-lock')) out[path.join(sub, name)] = await fsp.readFile(full, 'utf8');
    }
  }
  return out;
}

async function csvOf(store: ProjectStore): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await writeCodedPassagesCsv(csvSource(store), out, { bom: false });
  return Buffer.concat(chunks).toString('utf8');
}

/** Checks that the project holds exactly what the schema-2 code read from it. */
async function expectSameAsV2(store: ProjectStore, dir: string): Promise<void> {
  const { handlers } = await servicesFor(store, dir);
  const ctx = { client: 'test' };
  expect(store.project.name).toBe(expected.name);
  expect(await handlers['codebook.get']({}, ctx)).toEqual(expected.codebook);
  for (const doc of expected.documents) {
    expect(await handlers['annotations.list']({ documentId: doc.id }, ctx), doc.id).toEqual(doc.annotations);
  }
  expect(await csvOf(store)).toBe(expectedCsv);
}

beforeAll(async () => {
  expected = JSON.parse(await fsp.readFile(path.resolve('tests/fixtures/project-v2.expected.json'), 'utf8')) as Expected;
  expectedCsv = await fsp.readFile(path.resolve('tests/fixtures/project-v2.expected.csv'), 'utf8');
  // The fixture is real schema-2 output, with what schema 2 added.
  expect(JSON.parse(await fsp.readFile(path.join(FIXTURE, 'gloss-project.json'), 'utf8')).schemaVersion).toBe(2);
  expect(expected.codebook.codes.some((c) => c.shortcut)).toBe(true);
  expect(expected.documents.flatMap((d) => d.annotations.annotations).length).toBeGreaterThanOrEqual(30);
});

describe('opening a schema-2 project', () => {
  let dir: string;
  let before: Record<string, string>;
  let store: ProjectStore;
  beforeAll(async () => {
    dir = await freshCopy('project');
    before = await filesOf(dir);
    store = await ProjectStore.open(dir);
  });
  afterAll(async () => {
    await store.close();
    await fsp.rm(path.dirname(dir), { recursive: true, force: true });
  });

  it('reads every document, passage, code and memo as the schema-2 code did', async () => {
    expect(store.project.schemaVersion).toBe(SCHEMA_VERSION);
    expect(store.revision).toBe(expected.revision);
    await expectSameAsV2(store, dir);
  });

  it('rewrites only the project file, after keeping a copy of it, and says so', async () => {
    const after = await filesOf(dir);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    expect(Object.keys(after).filter((f) => after[f] !== before[f])).toEqual(['gloss-project.json']);
    const record = store.project.migrations.at(-1)!;
    expect(record).toMatchObject({ from: 2, to: SCHEMA_VERSION });
    expect(await fsp.readFile(path.join(dir, record.backup, 'gloss-project.json'), 'utf8')).toBe(before['gloss-project.json']);
    expect(store.notices.join('\n')).toContain(record.backup);
    // The 0.1 migration's record is kept.
    expect(store.project.migrations.map((m) => m.from)).toEqual([1, 2]);
  });

  it('runs once, and what is coded after it survives a reopen', async () => {
    const { handlers } = await servicesFor(store, dir);
    const doc = expected.documents[0]!;
    const code = expected.codebook.codes[0]!.id;
    await handlers['annotations.create']({ documentId: doc.id, start: 0, end: 3, codeIds: [code] }, { client: 'test' });
    await store.close();
    store = await ProjectStore.open(dir);
    expect(store.notices).toEqual([]);
    expect(store.project.migrations).toHaveLength(2);
    expect((await store.annotations(doc.id)).length).toBe(doc.annotations.annotations.length + 1);
  });
});

describe('a schema-2 migration killed before each step', () => {
  let child: Awaited<ReturnType<typeof bundleChild>>;
  beforeAll(async () => {
    child = await bundleChild('tests/support/crash-child.ts');
  });
  afterAll(async () => {
    await child.remove();
  });

  const run = async (dir: string, killAt: number): Promise<string[] | null> => {
    const r = await child.run(['migrate', dir, String(killAt)]);
    if (r.killed) return null;
    if (r.code !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout.trim()) as string[];
  };

  it('is finished (or done again) by the next start, with nothing lost', async () => {
    const probe = await freshCopy('probe');
    const steps = (await run(probe, -1))!;
    expect(steps).toContain('backup gloss-project.json');
    expect(steps).toContain('single');
    for (let k = 0; k < steps.length; k++) {
      const dir = await freshCopy(`kill-${k}`);
      expect(await run(dir, k), `killed before ${steps[k]}`).toBeNull();
      const store = await ProjectStore.open(dir);
      expect(store.project.schemaVersion).toBe(SCHEMA_VERSION);
      await expectSameAsV2(store, dir);
      await store.close();
      await fsp.rm(path.dirname(dir), { recursive: true, force: true });
    }
  }, 120_000);
});
