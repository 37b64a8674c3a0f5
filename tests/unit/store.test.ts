import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { ProjectOpenError, ProjectStore, StoreRefusedError, type Tx } from '../../main/core/store';
import { dispatch, type ApiHandlers, type CallContext } from '../../shared/api';
import { docFile, p, seedOf, servicesFor, tempDir } from '../support/project';

let dir: string;
const seed = seedOf(docFile('one', 'First', p('Alpha beta gamma.')), docFile('two', 'Second', p('Delta epsilon.')));

beforeEach(async () => {
  dir = await tempDir();
});
afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
  // servicesFor keeps the coder profile beside the project folder.
  await fsp.rm(`${dir}-profile.json`, { force: true });
});

async function filesOf(d: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const sub of ['', 'documents', 'annotations', 'log']) {
    for (const name of await fsp.readdir(path.join(d, sub)).catch(() => [] as string[])) {
      const full = path.join(d, sub, name);
      if ((await fsp.stat(full)).isFile()) out[path.join(sub, name)] = await fsp.readFile(full, 'utf8');
    }
  }
  return out;
}

const ctx: CallContext = { client: 'test-window' };

/** The API handlers over `store`, with a coder profile made. */
async function handlersFor(store: ProjectStore): Promise<ApiHandlers> {
  return (await servicesFor(store, dir)).handlers;
}

/** Codes a passage through the API, as the UI does; returns the passage made. */
async function code(store: ProjectStore, input: { documentId: string; start: number; end: number; codeIds: string[]; memo?: string }) {
  const result = await (await handlersFor(store))['annotations.create'](input, ctx);
  return result.annotation!;
}

describe('project store', () => {
  it('creates a project folder: project file, one text file and one annotations file per document', async () => {
    const store = await ProjectStore.open(dir, { seed });
    await store.close();
    expect(Object.keys(await filesOf(dir)).sort()).toEqual(
      ['annotations/one.json', 'annotations/two.json', 'documents/one.json', 'documents/two.json', 'gloss-project.json'].map((f) => path.normalize(f)),
    );
  });

  it('keeps coded passages across close and reopen, with real files', async () => {
    let store = await ProjectStore.open(dir, { seed });
    const created = await code(store, { documentId: 'one', start: 6, end: 10, codeIds: ['a'] });
    await store.close();
    store = await ProjectStore.open(dir, { seed });
    const list = await (await handlersFor(store))['annotations.list']({ documentId: 'one' }, ctx);
    expect(list.annotations).toEqual([created]);
    expect(list.annotations[0]!.quote.exact).toBe('beta');
    expect(list.revision).toBe(store.revision);
    await store.close();
  });

  it('commits a change as one line of the change log, and the next checkpoint rewrites only the files it touched', async () => {
    const store = await ProjectStore.open(dir, { seed });
    const api = await handlersFor(store);
    // The first passage also enters the coder in the project's coders list.
    await api['annotations.create']({ documentId: 'one', start: 0, end: 5, codeIds: ['a'] }, ctx);
    const before = await filesOf(dir);
    await api['annotations.create']({ documentId: 'two', start: 6, end: 13, codeIds: ['c'] }, ctx);
    const logged = await filesOf(dir);
    const segments = Object.keys(logged).filter((f) => f.startsWith(`log${path.sep}`));
    expect(segments).toHaveLength(1);
    // The log grew by one line; no other file changed.
    expect(Object.keys(logged).filter((f) => logged[f] !== before[f])).toEqual(segments);
    expect(logged[segments[0]!]!.split('\n').filter(Boolean)).toHaveLength(2);
    await store.close();
    const after = await filesOf(dir);
    // The checkpoint on closing: the two documents' passages and the project file; the log is gone.
    expect(Object.keys(after).filter((f) => after[f] !== before[f] && before[f] !== undefined).sort()).toEqual([
      path.normalize('annotations/one.json'),
      path.normalize('annotations/two.json'),
      'gloss-project.json',
    ]);
    expect(Object.keys(after).filter((f) => f.startsWith(`log${path.sep}`))).toEqual([]);
    const project = JSON.parse(after['gloss-project.json']!);
    expect(project.revision).toBe(store.revision);
    expect(project.index.documents.two).toEqual({ annotations: 1, codes: { c: 1 } });
    expect(project.index.documents.one).toEqual({ annotations: 1, codes: { a: 1 } });
    expect(JSON.parse(after[path.normalize('annotations/two.json')]!).annotations).toHaveLength(1);
  });

  it('refuses a corrupt project file and leaves it byte for byte', async () => {
    await (await ProjectStore.open(dir, { seed })).close();
    const file = path.join(dir, 'gloss-project.json');
    const damaged = (await fsp.readFile(file, 'utf8')).slice(0, 40);
    await fsp.writeFile(file, damaged);
    await expect(ProjectStore.open(dir, { seed })).rejects.toThrow(ProjectOpenError);
    await expect(ProjectStore.open(dir, { seed })).rejects.toThrow(/damaged.*untouched/);
    expect(await fsp.readFile(file, 'utf8')).toBe(damaged);
  });

  it('refuses an annotations file holding bytes that are not UTF-8, rather than saving U+FFFD over them', async () => {
    const store0 = await ProjectStore.open(dir, { seed });
    await code(store0, { documentId: 'one', start: 0, end: 3, codeIds: ['a'], memo: 'café' });
    await store0.close();
    const file = path.join(dir, 'annotations', 'one.json');
    const good = await fsp.readFile(file);
    const at = good.indexOf(Buffer.from('é'));
    const damaged = Buffer.concat([good.subarray(0, at), Buffer.from([0xc3, 0x28]), good.subarray(at + 2)]);
    await fsp.writeFile(file, damaged);
    const store = await ProjectStore.open(dir, { seed });
    expect(await store.problem('one')).toMatch(/not valid UTF-8.*untouched/);
    const res = await dispatch(await handlersFor(store), 'annotations.create', { documentId: 'one', start: 4, end: 6, codeIds: ['a'] }, ctx);
    expect(res).toMatchObject({ ok: false, error: { code: 'store_refused' } });
    await store.close();
    expect((await fsp.readFile(file)).equals(damaged)).toBe(true);
  });

  it('reads a file that starts with a byte-order mark', async () => {
    await (await ProjectStore.open(dir, { seed })).close();
    const file = path.join(dir, 'gloss-project.json');
    await fsp.writeFile(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), await fsp.readFile(file)]));
    const store = await ProjectStore.open(dir, { seed });
    expect(store.project.documents.length).toBeGreaterThan(0);
    await store.close();
  });

  it('refuses a project file of an unknown (newer) version and leaves it untouched', async () => {
    await (await ProjectStore.open(dir, { seed })).close();
    const file = path.join(dir, 'gloss-project.json');
    const data = JSON.parse(await fsp.readFile(file, 'utf8'));
    data.schemaVersion = 99;
    const text = JSON.stringify(data);
    await fsp.writeFile(file, text);
    await expect(ProjectStore.open(dir, { seed })).rejects.toThrow(/newer version of Gloss/);
    expect(await fsp.readFile(file, 'utf8')).toBe(text);
  });

  it('refuses a project file of valid JSON but invalid content', async () => {
    await fsp.mkdir(dir, { recursive: true });
    const text = JSON.stringify({ format: 'gloss-project', schemaVersion: 2, name: 3 });
    await fsp.writeFile(path.join(dir, 'gloss-project.json'), text);
    await expect(ProjectStore.open(dir, { seed })).rejects.toThrow(/does not hold valid Gloss data/);
    expect(await fsp.readFile(path.join(dir, 'gloss-project.json'), 'utf8')).toBe(text);
  });

  it('refuses an older project file of invalid content rather than migrating it', async () => {
    await fsp.mkdir(dir, { recursive: true });
    const text = JSON.stringify({ format: 'gloss-project', schemaVersion: 1, name: 3 });
    await fsp.writeFile(path.join(dir, 'gloss-project.json'), text);
    await expect(ProjectStore.open(dir, { seed })).rejects.toThrow(/not a valid Gloss 0\.1 project file.*untouched/);
    expect(await fsp.readFile(path.join(dir, 'gloss-project.json'), 'utf8')).toBe(text);
  });

  it('isolates a corrupt annotations file: that document refuses writes and keeps its file, the others work', async () => {
    await (await ProjectStore.open(dir, { seed })).close();
    const bad = path.join(dir, 'annotations', 'one.json');
    await fsp.writeFile(bad, '{"format":"gloss-annotations","schemaVersion":2,"documentId":"one","annotations":[{');
    const store = await ProjectStore.open(dir, { seed });
    const api = await handlersFor(store);
    expect(await store.problem('one')).toMatch(/damaged/);
    const res = await dispatch(api, 'annotations.create', { documentId: 'one', start: 0, end: 3, codeIds: ['a'] }, ctx);
    expect(res).toMatchObject({ ok: false, error: { code: 'store_refused' } });
    expect(await fsp.readFile(bad, 'utf8')).toMatch(/\[\{$/);
    await api['annotations.create']({ documentId: 'two', start: 0, end: 3, codeIds: ['a'] }, ctx);
    const listed = await api['documents.list']({}, ctx);
    expect(listed.map((d) => d.annotationCount)).toEqual([0, 1]);
    expect(listed[0]!.problem).toMatch(/damaged/);
    expect(listed[1]!.problem).toBeUndefined();
    await store.close();
    expect(await fsp.readFile(bad, 'utf8')).toMatch(/\[\{$/);
  });

  it('refuses an annotations file from a newer Gloss and never writes over it', async () => {
    await (await ProjectStore.open(dir, { seed })).close();
    const file = path.join(dir, 'annotations', 'two.json');
    const text = JSON.stringify({ format: 'gloss-annotations', schemaVersion: 7, documentId: 'two', annotations: [], future: true });
    await fsp.writeFile(file, text);
    const store = await ProjectStore.open(dir, { seed });
    await expect(store.transact({ origin: null, label: 'test', documents: ['two'] }, () => undefined)).rejects.toThrow(StoreRefusedError);
    expect(await store.problem('two')).toMatch(/newer version of Gloss/);
    await store.close();
    expect(await fsp.readFile(file, 'utf8')).toBe(text);
  });

  it('does not create a project when asked not to', async () => {
    await expect(ProjectStore.open(path.join(dir, 'none'))).rejects.toThrow(/no Gloss project/);
  });

  it('locks a project against a second opener and frees it on close', async () => {
    const first = await ProjectStore.open(dir, { seed });
    await expect(ProjectStore.open(dir, { seed })).rejects.toThrow(/already open/);
    const reader = await ProjectStore.open(dir, { readOnly: true });
    await expect(reader.transact({ origin: null, label: 'test', documents: ['one'] }, () => undefined)).rejects.toThrow(/read-only/);
    await reader.close();
    await first.close();
    await (await ProjectStore.open(dir, { seed })).close();
  });

  it('refuses a project locked by another running process, and by another computer', async () => {
    await (await ProjectStore.open(dir, { seed })).close();
    const lock = path.join(dir, '.gloss-lock');
    const os = await import('node:os');
    // A live process that is not us: our parent.
    await fsp.writeFile(lock, JSON.stringify({ pid: process.ppid, host: os.hostname(), nonce: 'x' }));
    await expect(ProjectStore.open(dir, { seed })).rejects.toThrow(new RegExp(`another Gloss on this computer \\(process ${process.ppid}\\)`));
    await fsp.writeFile(lock, JSON.stringify({ pid: 1, host: 'elsewhere.example', nonce: 'x' }));
    await expect(ProjectStore.open(dir, { seed })).rejects.toThrow(/on another computer \(elsewhere\.example\)/);
    // Neither refusal touched the lock.
    expect(JSON.parse(await fsp.readFile(lock, 'utf8')).host).toBe('elsewhere.example');
  });

  it('lets exactly one of several processes that open at once hold the lock', async () => {
    await (await ProjectStore.open(dir, { seed })).close();
    const { build } = await import('esbuild');
    const { spawn } = await import('node:child_process');
    const script = path.join(dir, '..', `opener-${path.basename(dir)}.mjs`);
    await build({
      stdin: {
        contents: `import { ProjectStore } from ${JSON.stringify(path.resolve('main/core/store.ts'))};
          try { await ProjectStore.open(process.argv[2]); process.stdout.write('opened'); await new Promise((r) => setTimeout(r, 1500)); }
          catch (e) { process.stdout.write('refused'); }`,
        resolveDir: process.cwd(),
        loader: 'ts',
      },
      bundle: true, platform: 'node', format: 'esm', outfile: script, logLevel: 'silent',
    });
    try {
      const outcomes = await Promise.all(
        Array.from({ length: 4 }, () => new Promise<string>((resolve) => {
          const child = spawn(process.execPath, [script, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
          let out = '';
          child.stdout.on('data', (d: Buffer) => (out += d.toString()));
          child.on('exit', () => resolve(out));
        })),
      );
      expect(outcomes.filter((o) => o === 'opened')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'refused')).toHaveLength(3);
    } finally {
      await fsp.rm(script, { force: true });
    }
  }, 30_000);

  it('takes over a lock left by a process that no longer runs', async () => {
    await (await ProjectStore.open(dir, { seed })).close();
    await fsp.writeFile(path.join(dir, '.gloss-lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname(), nonce: 'gone' }));
    const store = await ProjectStore.open(dir, { seed });
    expect(store.notices.join(' ')).toMatch(/no longer running.*took the lock over/);
    await store.close();
  });

  it('keeps memory equal to disk when a save fails', async () => {
    const store = await ProjectStore.open(dir, { seed });
    expect(await store.annotations('one')).toEqual([]);
    const projectBefore = await fsp.readFile(path.join(dir, 'gloss-project.json'), 'utf8');
    const events: number[] = [];
    store.subscribe((e) => events.push(e.revision));
    // Make the annotations folder unwritable by replacing it with a file.
    await fsp.rm(path.join(dir, 'annotations'), { recursive: true });
    await fsp.writeFile(path.join(dir, 'annotations'), 'not a folder');
    const change = (tx: Tx): void => {
      tx.annotations('one').push({ id: 'x' } as never);
      tx.project.name = 'changed';
    };
    const a = store.transact({ origin: null, label: 'test', documents: ['one'] }, change);
    const b = store.transact({ origin: null, label: 'test', documents: ['one'] }, change);
    await expect(a).rejects.toThrow();
    await expect(b).rejects.toThrow();
    expect(await store.annotations('one')).toEqual([]);
    expect(store.project.name).toBe('Test project');
    expect(store.revision).toBe(0);
    expect(store.summary('one')!.annotationCount).toBe(0);
    expect(events).toEqual([]);
    expect(await fsp.readFile(path.join(dir, 'gloss-project.json'), 'utf8')).toBe(projectBefore);
    // Once the folder is back, the next change gets the next revision: the failed ones left no trace.
    await fsp.rm(path.join(dir, 'annotations'));
    await fsp.mkdir(path.join(dir, 'annotations'));
    const { event } = await store.transact({ origin: null, label: 'test' }, (tx) => void (tx.project.name = 'renamed'));
    expect(event.revision).toBe(1);
    expect(store.project.name).toBe('renamed');
    await store.close();
  });

  it('never seeds a new project over passages whose project file is missing', async () => {
    const store = await ProjectStore.open(dir, { seed });
    await code(store, { documentId: 'one', start: 6, end: 10, codeIds: ['a'] });
    await store.close();
    await fsp.rename(path.join(dir, 'gloss-project.json'), path.join(dir, 'moved-away.json'));
    const before = await filesOf(dir);
    await expect(ProjectStore.open(dir, { seed })).rejects.toThrow(/holds Gloss documents or coded passages but no gloss-project.json/);
    expect(await filesOf(dir)).toEqual(before);
  });

  it('leaves temporary files alone when opened read-only (they may be another writer\'s)', async () => {
    await (await ProjectStore.open(dir, { seed })).close();
    const tmp = path.join(dir, 'annotations', '.gloss-tmp-one.json.in-flight');
    await fsp.writeFile(tmp, 'half');
    await (await ProjectStore.open(dir, { readOnly: true })).close();
    expect(await fsp.readFile(tmp, 'utf8')).toBe('half');
    await (await ProjectStore.open(dir, { seed })).close();
    await expect(fsp.stat(tmp)).rejects.toThrow();
  });

  it('keeps fields it does not know when it rewrites a file', async () => {
    await (await ProjectStore.open(dir, { seed })).close();
    const file = path.join(dir, 'annotations', 'one.json');
    const data = JSON.parse(await fsp.readFile(file, 'utf8'));
    data.fromLaterBuild = { keep: true };
    await fsp.writeFile(file, JSON.stringify(data));
    const store = await ProjectStore.open(dir, { seed });
    await code(store, { documentId: 'one', start: 6, end: 10, codeIds: ['a'] });
    await store.close();
    expect(JSON.parse(await fsp.readFile(file, 'utf8')).fromLaterBuild).toEqual({ keep: true });
  });

  // Windows has no POSIX permission bits to keep.
  it.skipIf(process.platform === 'win32')('keeps a file\'s permissions across saves', async () => {
    await (await ProjectStore.open(dir, { seed })).close();
    const file = path.join(dir, 'annotations', 'one.json');
    await fsp.chmod(file, 0o600);
    const store = await ProjectStore.open(dir, { seed });
    await code(store, { documentId: 'one', start: 6, end: 10, codeIds: ['a'] });
    await store.close();
    expect((await fsp.stat(file)).mode & 0o777).toBe(0o600);
  });
});
