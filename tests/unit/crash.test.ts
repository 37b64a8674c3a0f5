import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { bundleChild } from '../support/child-bundle';
import { JOURNAL_FILE } from '../../main/core/journal';
import { ProjectStore } from '../../main/core/store';
import { docFile, p, seedOf, tempDir } from '../support/project';

// A process killed (SIGKILL, no cleanup) before each write step in turn: the next open must
// find every change of the interrupted transaction or none of it, never a mix.

let child: Awaited<ReturnType<typeof bundleChild>>;
beforeAll(async () => {
  child = await bundleChild('tests/support/crash-child.ts');
});
afterAll(async () => {
  await child.remove();
});

/** Runs the child; resolves with its printed steps (or null when it was killed). */
async function runChild(mode: string, dir: string, killAt: number, extra: string[] = []): Promise<string[] | null> {
  const r = await child.run([mode, dir, String(killAt), ...extra]);
  if (r.killed) return null;
  if (r.code !== 0) throw new Error(`child failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim()) as string[];
}

async function copyDir(from: string, to: string): Promise<void> {
  await fsp.cp(from, to, { recursive: true });
}

const docs = ['d1', 'd2', 'd3', 'd4', 'd5'].map((id, i) => docFile(id, `Document ${i + 1}`, p(`Text of document ${i + 1}.`)));

describe('a transaction over five files, killed before each step', () => {
  let template: string;
  let steps: string[];
  beforeAll(async () => {
    template = path.join(await tempDir('gloss-crash-'), 'template');
    await (await ProjectStore.open(template, { seed: seedOf(...docs) })).close();
    const probe = path.join(path.dirname(template), 'probe');
    await copyDir(template, probe);
    steps = (await runChild('tx', probe, -1))!;
  });
  afterAll(async () => {
    await fsp.rm(path.dirname(template), { recursive: true, force: true });
  });

  it('appends the change to the log, then on closing writes a checkpoint (staging, the manifest, renames, clean-up) and drops the log', () => {
    expect(steps.slice(0, 2)).toEqual(['log new 000000000001.jsonl', 'log 000000000001.jsonl']);
    expect(steps.filter((s) => s.startsWith('stage '))).toHaveLength(5);
    expect(steps).toContain('manifest');
    expect(steps.filter((s) => s.startsWith('apply '))).toHaveLength(5);
    expect(steps.slice(-2)).toEqual(['finish', 'log drop 000000000001.jsonl']);
  });

  it('leaves all of it or none of it, whichever step the kill comes before', async () => {
    const outcomes: string[] = [];
    for (let k = 0; k <= steps.length; k++) {
      const dir = path.join(path.dirname(template), `kill-${k}`);
      await copyDir(template, dir);
      const printed = await runChild('tx', dir, k);
      expect(printed === null, `killed before step ${k}`).toBe(k < steps.length);
      const store = await ProjectStore.open(dir);
      const added = await Promise.all(['d1', 'd2', 'd3', 'd4'].map(async (id) => (await store.annotations(id)).filter((a) => a.memo === `added to ${id}`).length));
      const counts = ['d1', 'd2', 'd3', 'd4'].map((id) => store.project.index.documents[id]?.annotations);
      const all = added.every((n) => n === 1) && counts.every((n) => n === 1) && store.revision === 1;
      const none = added.every((n) => n === 0) && counts.every((n) => n === 0) && store.revision === 0;
      expect(all || none, `after a kill before step ${k} (${steps[k] ?? 'none'}): added ${added}, counts ${counts}, revision ${store.revision}`).toBe(true);
      outcomes.push(all ? 'all' : 'none');
      await store.close();
      // Nothing of the interrupted commit is left lying around.
      const names = [...(await fsp.readdir(dir)), ...(await fsp.readdir(path.join(dir, 'annotations'))), ...(await fsp.readdir(path.join(dir, 'log')).catch(() => []))];
      expect(names.filter((n) => n.startsWith('.gloss-tmp-') || n === JOURNAL_FILE || n.endsWith('.jsonl'))).toEqual([]);
    }
    // Before the change is in the log, the old state stands; from then on, the new one.
    const commitPoint = steps.indexOf('log 000000000001.jsonl') + 1;
    expect(outcomes.slice(0, commitPoint).every((o) => o === 'none')).toBe(true);
    expect(outcomes.slice(commitPoint).every((o) => o === 'all')).toBe(true);
  }, 120_000);
});

describe('creating the default project, killed before each step', () => {
  it('leaves no folder that a later start refuses: the next start has the whole project', async () => {
    const base = await tempDir('gloss-crash-create-');
    try {
      const corpus = path.resolve('corpus');
      const steps = (await runChild('create', path.join(base, 'probe'), -1, [corpus]))!;
      expect(steps.length).toBeGreaterThan(5);
      for (let k = 0; k < steps.length; k++) {
        const dir = path.join(base, `kill-${k}`);
        expect(await runChild('create', dir, k, [corpus])).toBeNull();
        // The next start (with the same seed) opens a complete project.
        const printed = await runChild('create', dir, -1, [corpus]);
        expect(printed).not.toBeNull();
        const store = await ProjectStore.open(dir);
        expect(store.project.documents).toHaveLength(5);
        for (const d of store.project.documents) {
          expect(await store.document(d.id)).not.toBeNull();
          expect(await store.annotations(d.id)).toEqual([]);
        }
        await store.close();
      }
    } finally {
      await fsp.rm(base, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('three transactions with background checkpoints, killed before each step', () => {
  let template: string;
  let steps: string[];
  beforeAll(async () => {
    template = path.join(await tempDir('gloss-crash-cp-'), 'template');
    await (await ProjectStore.open(template, { seed: seedOf(...docs) })).close();
    const probe = path.join(path.dirname(template), 'probe');
    await copyDir(template, probe);
    steps = (await runChild('checkpoints', probe, -1))!;
  });
  afterAll(async () => {
    await fsp.rm(path.dirname(template), { recursive: true, force: true });
  });

  it('writes checkpoints between and beside the commits', () => {
    expect(steps.filter((s) => s.startsWith('log 0'))).toHaveLength(3);
    expect(steps.filter((s) => s === 'manifest').length).toBeGreaterThanOrEqual(2);
    expect(steps.filter((s) => s.startsWith('log drop ')).length).toBeGreaterThanOrEqual(2);
  });

  it('leaves the first n transactions whole and nothing of the rest, whichever step the kill comes before', async () => {
    const seen = new Set<number>();
    for (let k = 0; k <= steps.length; k++) {
      const dir = path.join(path.dirname(template), `kill-${k}`);
      await copyDir(template, dir);
      await runChild('checkpoints', dir, k);
      const store = await ProjectStore.open(dir);
      const added = await Promise.all(['d1', 'd2', 'd3', 'd4'].map(async (id) => (await store.annotations(id)).filter((a) => a.memo === `added to ${id}`).length));
      const counts = ['d1', 'd2', 'd3', 'd4'].map((id) => store.project.index.documents[id]?.annotations);
      const n = store.revision;
      expect(added.every((c) => c === n) && counts.every((c) => c === n), `after a kill before step ${k} (${steps[k] ?? 'none'}): added ${added}, counts ${counts}, revision ${n}`).toBe(true);
      seen.add(n);
      await store.close();
      await fsp.rm(dir, { recursive: true, force: true });
    }
    // Killed before anything, nothing; never killed, everything. (Which middle counts a run
    // meets depends on how the background checkpoints interleave with the commits.)
    expect(seen.has(0) && seen.has(3)).toBe(true);
  }, 180_000);
});
