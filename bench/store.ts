/**
 * Store benchmarks, in a project of 100 documents and 100,000 annotations:
 *
 * - goal 3, one change persisted: through the real API handlers (as a window's command, with a
 *   client context), each call resolving once the change is durably on disk (a transaction over
 *   the document's annotations file and the project file). Baseline: the design the store
 *   avoids, one JSON file holding every annotation, rewritten durably on each change.
 * - goal 6, one transaction over five files: `store.transact` on a ProjectStore changing
 *   passages of four documents at once, committed through the journal (four annotations files
 *   plus the project file, all or none, with fsync). Baseline: five independent durable writes
 *   (temporary file, fsync, rename, folder fsync) of files of the same sizes, measured
 *   alternately in the same run.
 */
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { writeFileDurable } from '../main/core/durable';
import type { GlossCore } from '../main/core/core';
import { ANNOTATIONS_DIR, PROJECT_FILE } from '../main/core/files';
import { openCore } from '../main/core/open';
import { ProjectStore } from '../main/core/store';
import type { Annotation } from '../shared/model';
import { benchCodes, between, seeded } from './data';
import { buildProject, type BuiltProject } from './project';
import { bytes, detail, median, ms, quantile, section, spread, type GoalRow } from './report';

/** The project the store, open and CSV benchmarks share, with every annotation kept for the baseline. */
export interface StoreProject extends BuiltProject {
  all: Annotation[];
}

/** The client (window) id the benchmarks' API calls carry. */
export const BENCH_CLIENT = { client: 'bench' } as const;

export async function buildStoreProject(dir: string, quick: boolean): Promise<StoreProject> {
  const all: Annotation[] = [];
  const t0 = performance.now();
  const built = await buildProject(dir, {
    documents: 100,
    annotationsPerDocument: quick ? 100 : 1000,
    chars: 30_000,
    seed: 3,
    onAnnotations: (_id, list) => void all.push(...list),
  });
  detail(`built ${built.documentIds.length} documents, ${all.length.toLocaleString('en')} annotations (${bytes(built.bytesOnDisk)} on disk) in ${ms(performance.now() - t0)}`);
  return { ...built, all };
}

/** The coder profile the benchmarks use: beside the project folder (in the scratch folder), never the user's own. */
export function benchProfileFile(projectDir: string): string {
  return path.join(path.dirname(projectDir), 'bench-profile.json');
}

export async function openProject(root: string, dir: string, readOnly = false): Promise<GlossCore> {
  return openCore({ projectDir: dir, corpusDir: path.join(root, 'corpus'), profileFile: benchProfileFile(dir), coderName: 'Bench Coder', createIfMissing: false, readOnly });
}

export async function storeBench(opts: { root: string; quick: boolean; project: StoreProject; scratch: string }): Promise<GoalRow[]> {
  section('Store (durable writes)');
  const { project, quick } = opts;
  const reps = quick ? 15 : 50;
  const rng = seeded(4);
  const byId = new Map(project.all.map((a) => [a.id, a]));
  const codeIds = benchCodes().map((c) => c.id);

  let t0 = performance.now();
  const core = await openProject(opts.root, project.dir);
  detail(`opened the project (read-write; the project file only, annotations are read per document when first used) in ${ms(performance.now() - t0)}`);
  const updates: number[] = [];
  const creates: number[] = [];
  try {
    const docOf = (): string => project.documentIds[between(rng, 0, project.documentIds.length - 1)]!;
    // Alternately adds a code to a passage and removes it again: each call is one change.
    let pending: { documentId: string; id: string; codeId: string } | null = null;
    const update = async (): Promise<number> => {
      let start: number;
      if (pending) {
        const { documentId, id, codeId } = pending;
        pending = null;
        start = performance.now();
        await core.handlers['annotations.removeCodes']({ documentId, id, codeIds: [codeId] }, BENCH_CLIENT);
      } else {
        const documentId = docOf();
        const ids = project.sampleIds.get(documentId)!;
        const id = ids[between(rng, 0, ids.length - 1)]!;
        const has = byId.get(id)!.codeIds;
        const codeId = codeIds.find((c) => !has.includes(c))!;
        pending = { documentId, id, codeId };
        start = performance.now();
        await core.handlers['annotations.addCodes']({ documentId, id, codeIds: [codeId] }, BENCH_CLIENT);
      }
      return performance.now() - start;
    };
    const create = async (): Promise<number> => {
      const documentId = docOf();
      const s = between(rng, 0, project.lengths.get(documentId)! - 200);
      const start = performance.now();
      await core.handlers['annotations.create']({ documentId, start: s, end: s + between(rng, 20, 200), codeIds: ['emotion'] }, BENCH_CLIENT);
      return performance.now() - start;
    };
    // Warm-up: compiles the code paths, registers the coder in the project (a change of its own).
    for (let i = 0; i < 4; i++) await update();
    await create();
    // The first read of a document's passages is part of a first change to it; read them all
    // first, so that every timed call measures the change alone.
    for (const id of project.documentIds) await core.handlers['annotations.list']({ documentId: id }, BENCH_CLIENT);
    for (let i = 0; i < reps; i++) updates.push(await update());
    if (pending) await update();
    for (let i = 0; i < reps; i++) creates.push(await create());
    detail(`annotations.addCodes / removeCodes alternately, durable: ${spread(updates)}`);
    detail(`annotations.create, durable: ${spread(creates)}`);
  } finally {
    await core.close();
  }

  // Baseline: every annotation in one file, rewritten whole and durably per change.
  const whole = { format: 'bench-whole-store', schemaVersion: 1, annotations: project.all };
  const file = path.join(opts.scratch, 'whole-store.json');
  const baseline: number[] = [];
  const stringifyOnly: number[] = [];
  let size = 0;
  for (let i = 0; i < (quick ? 3 : 8); i++) {
    const a = project.all[between(rng, 0, project.all.length - 1)]!;
    a.memo = `Baseline memo ${i}`;
    t0 = performance.now();
    const text = JSON.stringify(whole);
    stringifyOnly.push(performance.now() - t0);
    await writeFileDurable(file, text);
    baseline.push(performance.now() - t0);
    size = Buffer.byteLength(text);
  }
  await rm(file, { force: true });
  detail(`baseline, one ${bytes(size)} file rewritten durably per change: ${spread(baseline)}; of which JSON.stringify median ${ms(median(stringifyOnly))}`);

  const tx = await transactionBench({ ...opts, rng });

  const count = project.all.length.toLocaleString('en');
  return [
    {
      goal: `3. Persist one change (add/remove code), ${project.documentIds.length} docs / ${count} annotations`,
      target: '≤ 20 ms median',
      measured: `${ms(median(updates))} (p95 ${ms(quantile(updates, 0.95))})`,
      baseline: `${ms(median(baseline))} (whole-file store)`,
      ratio: median(updates) / median(baseline),
      pass: median(updates) <= 20,
    },
    {
      goal: `3. Persist one create, same project`,
      target: '≤ 20 ms median',
      measured: `${ms(median(creates))} (p95 ${ms(quantile(creates, 0.95))})`,
      baseline: `${ms(median(baseline))} (whole-file store)`,
      ratio: median(creates) / median(baseline),
      pass: median(creates) <= 20,
    },
    tx,
  ];
}

/** Goal 6: one transaction over four annotations files and the project file, against five independent durable writes. */
async function transactionBench(opts: { quick: boolean; project: StoreProject; scratch: string; rng: () => number }): Promise<GoalRow> {
  const { project, quick, rng } = opts;
  const reps = quick ? 10 : 30;
  const pool = project.documentIds.slice(0, 12);
  const store = await ProjectStore.open(project.dir);
  const measured: number[] = [];
  const baseline: number[] = [];
  const floorDir = path.join(opts.scratch, 'five-files');
  await mkdir(floorDir, { recursive: true });
  let sizes: number[] = [];
  let last: string[] = [];
  const serialise: number[] = [];
  try {
    // Read (and validate) the pool's passages first: the timed part is the transaction alone.
    for (const id of pool) await store.annotations(id);
    let n = 0;
    const once = async (): Promise<number> => {
      const docs: string[] = [];
      while (docs.length < 4) {
        const id = pool[between(rng, 0, pool.length - 1)]!;
        if (!docs.includes(id)) docs.push(id);
      }
      const i = n++;
      const t0 = performance.now();
      await store.transact({ origin: 'bench', label: 'bench', documents: docs }, (tx) => {
        const at = new Date().toISOString();
        for (const id of docs) {
          const list = tx.annotations(id);
          const k = between(rng, 0, list.length - 1);
          // Copy-on-write: the list is the transaction's copy, its passages are shared with the committed state.
          list[k] = { ...list[k]!, memo: `Transaction memo ${i}`, modified: at, rev: tx.revision };
        }
      });
      const elapsed = performance.now() - t0;
      last = docs;
      sizes = await Promise.all([...docs.map((id) => path.join(project.dir, ANNOTATIONS_DIR, `${id}.json`)), path.join(project.dir, PROJECT_FILE)].map(async (f) => (await stat(f)).size));
      return elapsed;
    };
    const floor = async (): Promise<number> => {
      // Untimed in either figure: what turning the same five files into JSON costs (part of the transaction's time).
      const s0 = performance.now();
      for (const id of last) JSON.stringify({ annotations: await store.annotations(id) });
      JSON.stringify(store.project);
      serialise.push(performance.now() - s0);
      const blocks = sizes.map((s) => Buffer.alloc(s, 0x61));
      const t0 = performance.now();
      for (let f = 0; f < blocks.length; f++) await writeFileDurable(path.join(floorDir, `file-${f}.json`), blocks[f]!);
      return performance.now() - t0;
    };
    for (let i = 0; i < 3; i++) {
      await once();
      await floor();
    }
    // Alternately, so that both see the same state of the machine and its disk.
    for (let i = 0; i < reps; i++) {
      measured.push(await once());
      baseline.push(await floor());
    }
  } finally {
    await store.close();
    await rm(floorDir, { recursive: true, force: true });
  }
  detail(`one transaction over 4 annotations files + the project file (${sizes.map((s) => bytes(s)).join(', ')}), journal commit with fsync: ${spread(measured)}`);
  detail(`baseline, 5 independent durable writes of the same sizes (bytes ready, no JSON): ${spread(baseline)}`);
  detail(`  for comparison, JSON.stringify of the same 5 files alone: median ${ms(median(serialise))}`);
  return {
    goal: '6. One transaction over 5 files (4 annotations + project)',
    target: '≤ 50 ms median',
    measured: `${ms(median(measured))} (p95 ${ms(quantile(measured, 0.95))})`,
    baseline: `${ms(median(baseline))} (5 durable writes)`,
    ratio: median(measured) / median(baseline),
    pass: median(measured) <= 50,
  };
}
