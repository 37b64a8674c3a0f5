import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { bundleChild } from '../support/child-bundle';
import { parse } from 'csv-parse/sync';
import { writeCodedPassagesCsv } from '../../main/core/export-csv';
import { csvSource } from '../../main/core/csv-source';
import { ProjectStore } from '../../main/core/store';
import { SCHEMA_VERSION } from '../../main/core/files';
import { canonicalText, plainText } from '../../shared/plain-text';
import type { Annotation } from '../../shared/model';
import { servicesFor, tempDir } from '../support/project';

// A project written by Gloss 0.1 itself (tests/fixtures/project-v1, made from this repository's
// history by scripts/make-v1-fixture.mjs) opened by this Gloss: every passage, code and memo
// survives, the migration runs once, keeps a backup, and survives being killed at any step.

const FIXTURE = path.resolve('tests/fixtures/project-v1');
interface Expected {
  commit: string;
  documents: { id: string; title: string; text: string; annotations: (Omit<Annotation, 'coderId' | 'rev'> & { coder: string })[] }[];
}
let expected: Expected;
let v1Csv: Record<string, string>[];

async function freshCopy(name: string): Promise<string> {
  const dir = path.join(await tempDir('gloss-migrate-'), name);
  await fsp.cp(FIXTURE, dir, { recursive: true });
  return dir;
}

async function filesOf(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const sub of ['', 'documents', 'annotations']) {
    for (const name of await fsp.readdir(path.join(dir, sub)).catch(() => [] as string[])) {
      const full = path.join(dir, sub, name);
      if ((await fsp.stat(full)).isFile() && !name.startsWith('.gloss-lock')) out[path.join(sub, name)] = await fsp.readFile(full, 'utf8');
    }
  }
  return out;
}

async function csvOf(store: ProjectStore): Promise<Record<string, string>[]> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await writeCodedPassagesCsv(csvSource(store), out, { bom: false });
  return parse(Buffer.concat(chunks), { columns: true }) as Record<string, string>[];
}

/** Checks that the migrated project holds exactly what 0.1 held. */
async function expectSameAsV1(store: ProjectStore, dir: string): Promise<void> {
  const { handlers } = await servicesFor(store, dir);
  const ctx = { client: 'test' };
  const coderNames = new Map(store.project.coders.map((c) => [c.id, c.name]));
  for (const doc of expected.documents) {
    const content = (await handlers['documents.get']({ documentId: doc.id }, ctx));
    const text = plainText(content.blocks);
    const { annotations } = await handlers['annotations.list']({ documentId: doc.id }, ctx);
    expect(annotations.map((a) => a.id).sort(), doc.id).toEqual(doc.annotations.map((a) => a.id).sort());
    for (const old of doc.annotations) {
      const now = annotations.find((a) => a.id === old.id)!;
      expect(now.codeIds, `${doc.id} ${old.id} codes`).toEqual(old.codeIds);
      expect(now.memo, `${doc.id} ${old.id} memo`).toBe(old.memo);
      expect(now.created).toBe(old.created);
      expect(now.modified).toBe(old.modified);
      expect(coderNames.get(now.coderId), `${old.id} coder`).toBe(old.coder);
      // Found exactly where the stored position says, in the body text, holding the same words.
      expect(now.anchor.status, `${old.id} placed`).toBe('exact');
      expect(text.slice(now.position.start, now.position.end), `${old.id} text`).toBe(canonicalText(old.quote.exact));
      expect(now.quote.exact).toBe(canonicalText(old.quote.exact));
    }
  }
}

beforeAll(async () => {
  expected = JSON.parse(await fsp.readFile(path.resolve('tests/fixtures/project-v1.expected.json'), 'utf8')) as Expected;
  v1Csv = parse(await fsp.readFile(path.resolve('tests/fixtures/project-v1.expected.csv')), { columns: true }) as Record<string, string>[];
  // The fixture is real 0.1 output, with the cases that matter.
  const all = expected.documents.flatMap((d) => d.annotations);
  expect(all.length).toBeGreaterThanOrEqual(15);
  expect(all.some((a) => a.codeIds.length > 1)).toBe(true);
  expect(new Set(all.map((a) => a.coder)).size).toBeGreaterThan(1);
});

describe('opening a Gloss 0.1 project', () => {
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

  it('keeps every document, passage, code, memo, coder and time', async () => {
    expect(store.project.schemaVersion).toBe(SCHEMA_VERSION);
    expect(store.project.documents.map((d) => d.id)).toEqual(expected.documents.map((d) => d.id));
    await expectSameAsV1(store, dir);
  });

  it('counts every document’s passages in the project index', () => {
    for (const doc of expected.documents) expect(store.project.index.documents[doc.id]?.annotations).toBe(doc.annotations.length);
  });

  it('exports the same CSV rows as 0.1 did, but for offsets (now from the body) and text in NFC', async () => {
    const rows = await csvOf(store);
    const strip = (r: Record<string, string>) => ({ ...r, start: undefined, end: undefined, quote: canonicalText(r['quote']!), document_title: canonicalText(r['document_title']!) });
    expect(rows.map(strip)).toEqual(v1Csv.map(strip));
    // And the offsets are where the quote is in the body text.
    for (const r of rows) {
      const text = plainText((await store.document(r['document_id']!))!.blocks);
      expect(text.slice(Number(r['start']), Number(r['end']))).toBe(r['quote']!.replace(/^'(?=[=+\-@\t\r])/, ''));
    }
  });

  it('says what it did, and where the backup is', () => {
    expect(store.notices.join('\n')).toMatch(/updated this project from the Gloss 0\.1 format: 6 documents, 35 coded passages/);
    expect(store.notices.join('\n')).toMatch(/backups[/\\]schema-1-/);
  });

  it('keeps a backup of every file it replaced, byte for byte', async () => {
    const [backup] = await fsp.readdir(path.join(dir, 'backups'));
    expect(backup).toMatch(/^schema-1-/);
    const saved = await filesOf(path.join(dir, 'backups', backup!));
    expect(saved).toEqual(before);
  });

  it('keeps passages coded in the title where they were, and says so', async () => {
    const inTitle = expected.documents.filter((d) => d.annotations.some((a) => a.position.start < d.title.length + 2));
    expect(inTitle.length).toBeGreaterThan(0);
    for (const d of inTitle) {
      const content = (await store.document(d.id))!;
      expect(content.blocks[0]).toEqual({ type: 'heading', level: 1, text: canonicalText(d.title) });
      expect(store.notices.join('\n')).toContain(`“${d.title}”`);
      expect(content.meta.title).toBe(canonicalText(d.title));
    }
  });

  it('changes nothing when the migrated project is opened again', async () => {
    await store.close();
    const migrated = await filesOf(dir);
    store = await ProjectStore.open(dir);
    expect(store.notices).toEqual([]);
    await store.close();
    expect(await filesOf(dir)).toEqual(migrated);
    expect((await fsp.readdir(path.join(dir, 'backups'))).length).toBe(1);
    store = await ProjectStore.open(dir);
  });

  it('takes the codebook fields of this version (a shortcut key, a renamed project) and keeps every passage', async () => {
    const ctx = { client: 'test' };
    const { handlers } = await servicesFor(store, dir);
    const first = store.project.codebook.codes[0]!;
    await handlers['codes.update']({ id: first.id, shortcut: 'Alt+R' }, ctx);
    await handlers['project.rename']({ name: 'Renamed after migration' }, ctx);
    await store.close();
    store = await ProjectStore.open(dir);
    expect(store.project.codebook.codes.find((c) => c.id === first.id)!.shortcut).toBe('Alt+R');
    expect(store.project.name).toBe('Renamed after migration');
    // A code without a key stores none: the field is written only when set.
    const raw = JSON.parse(await fsp.readFile(path.join(dir, 'gloss-project.json'), 'utf8')) as { codebook: { codes: { id: string; shortcut?: string }[] } };
    expect(raw.codebook.codes.filter((c) => 'shortcut' in c).map((c) => c.id)).toEqual([first.id]);
    await expectSameAsV1(store, dir);
  });
});

describe('a migration killed before each step', () => {
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
    expect(steps.some((s) => s.startsWith('backup '))).toBe(true);
    expect(steps).toContain('manifest');
    for (let k = 0; k < steps.length; k++) {
      const dir = await freshCopy(`kill-${k}`);
      expect(await run(dir, k), `killed before ${steps[k]}`).toBeNull();
      const store = await ProjectStore.open(dir);
      expect(store.project.schemaVersion).toBe(SCHEMA_VERSION);
      await expectSameAsV1(store, dir);
      await store.close();
      await fsp.rm(path.dirname(dir), { recursive: true, force: true });
    }
  }, 180_000);
});
