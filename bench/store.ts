/**
 * Store benchmark (goal 3): one change persisted in a project of 100 documents and 100,000
 * annotations, through the real API handlers, each resolving once the change is durably on disk.
 * Baseline: the design the store avoids, one JSON file holding every annotation, rewritten
 * durably on each change.
 */
import path from 'node:path';
import { writeFileDurable } from '../main/core/durable';
import type { GlossCore } from '../main/core/core';
import { openCore } from '../main/core/open';
import type { Annotation } from '../shared/model';
import { between, seeded } from './data';
import { buildProject, type BuiltProject } from './project';
import { bytes, detail, median, ms, quantile, section, spread, type GoalRow } from './report';

/** The project the store and CSV benchmarks share, with every annotation kept for the baseline. */
export interface StoreProject extends BuiltProject {
  all: Annotation[];
}

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

export async function openProject(root: string, dir: string, readOnly = false): Promise<GlossCore> {
  return openCore({ projectDir: dir, corpusDir: path.join(root, 'corpus'), coderName: 'Bench Coder', createIfMissing: false, readOnly });
}

export async function storeBench(opts: { root: string; quick: boolean; project: StoreProject; scratch: string }): Promise<GoalRow[]> {
  section('Store (durable writes)');
  const { project, quick } = opts;
  const reps = quick ? 15 : 50;
  const rng = seeded(4);

  let t0 = performance.now();
  const core = await openProject(opts.root, project.dir);
  detail(`opened the project (read-write, every annotations file read and validated) in ${ms(performance.now() - t0)}`);
  const updates: number[] = [];
  const creates: number[] = [];
  try {
    const docOf = (): string => project.documentIds[between(rng, 0, project.documentIds.length - 1)]!;
    const update = async (i: number): Promise<number> => {
      const documentId = docOf();
      const ids = project.sampleIds.get(documentId)!;
      const id = ids[between(rng, 0, ids.length - 1)]!;
      const start = performance.now();
      await core.handlers['annotations.update']({ documentId, id, memo: `Bench memo ${i}` });
      return performance.now() - start;
    };
    const create = async (): Promise<number> => {
      const documentId = docOf();
      const s = between(rng, 0, project.lengths.get(documentId)! - 200);
      const start = performance.now();
      await core.handlers['annotations.create']({ documentId, start: s, end: s + between(rng, 20, 200), codeIds: ['emotion'] });
      return performance.now() - start;
    };
    for (let i = 0; i < 3; i++) await update(-1);
    for (let i = 0; i < reps; i++) updates.push(await update(i));
    for (let i = 0; i < reps; i++) creates.push(await create());
    detail(`annotations.update, durable: ${spread(updates)}`);
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
  detail(`baseline, one ${bytes(size)} file rewritten durably per change: ${spread(baseline)}; of which JSON.stringify median ${ms(median(stringifyOnly))}`);

  const count = project.all.length.toLocaleString('en');
  return [
    {
      goal: `3. Persist one update, ${project.documentIds.length} docs / ${count} annotations`,
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
  ];
}
