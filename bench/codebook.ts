/**
 * Codebook edits over a whole project (issue goal: merging a code used on 10,000 passages
 * across 100 documents commits in ≤ 1 s). On the shared synthetic project (100 documents,
 * 100,000 passages), the most used code is merged into another through the API handler, as a
 * window would, and the merge undone, alternately; each call is timed until its transaction is
 * on disk. Baseline, in the same run: one transaction (journal.ts) rewriting the same
 * annotations files and the project file as they are, which is what committing the merge cost
 * before the change log (schema 2), and what a checkpoint costs now, in the background.
 */
import path from 'node:path';
import { ANNOTATIONS_DIR, FORMAT, PROJECT_FILE, SCHEMA_VERSION } from '../main/core/files';
import { commitFiles, type FileOp } from '../main/core/journal';
import { ProjectStore } from '../main/core/store';
import { detail, median, ms, section, spread, type GoalRow } from './report';
import { BENCH_CLIENT, openProject, type StoreProject } from './store';

export async function codebookBench(opts: { root: string; quick: boolean; project: StoreProject }): Promise<GoalRow[]> {
  const { project, quick } = opts;
  section('Codebook edits over the project');
  const reps = quick ? 2 : 5;
  const uses = new Map<string, { passages: number; documents: Set<string> }>();
  for (const a of project.all) {
    for (const c of a.codeIds) {
      const u = uses.get(c) ?? { passages: 0, documents: new Set() };
      u.passages++;
      u.documents.add(a.documentId);
      uses.set(c, u);
    }
  }
  const [from, used] = [...uses].sort((a, b) => b[1].passages - a[1].passages)[0]!;
  const into = [...uses.keys()].find((c) => c !== from)!;

  const merges: number[] = [];
  const undos: number[] = [];
  const core = await openProject(opts.root, project.dir);
  try {
    // The passages are read when a document is first used; read them first, so that the timed
    // calls measure the edit alone (as in a window that has been open a while).
    for (const id of project.documentIds) await core.handlers['annotations.list']({ documentId: id }, BENCH_CLIENT);
    for (let i = 0; i < reps; i++) {
      let t0 = performance.now();
      const merged = await core.handlers['codes.merge']({ id: from, into }, BENCH_CLIENT);
      merges.push(performance.now() - t0);
      if (!merged.event.changes.some((c) => c.type === 'codebook')) throw new Error('the merge changed no codebook');
      t0 = performance.now();
      await core.handlers['history.undo']({}, BENCH_CLIENT);
      undos.push(performance.now() - t0);
    }
  } finally {
    await core.close();
  }

  // Baseline: the same files rewritten in one transaction, as they are.
  const baseline: number[] = [];
  const store = await ProjectStore.open(project.dir);
  const documents = [...used.documents];
  try {
    const ops: FileOp[] = [];
    for (const id of documents) {
      const list = await store.annotations(id);
      ops.push({ file: path.join(ANNOTATIONS_DIR, `${id}.json`), data: JSON.stringify({ format: FORMAT.annotations, schemaVersion: SCHEMA_VERSION, documentId: id, annotations: list }) });
    }
    for (let i = 0; i < reps; i++) {
      const t0 = performance.now();
      // Serialising is part of the cost, as it was of every commit.
      const files = ops.map((o) => ({ file: o.file, data: JSON.stringify(JSON.parse(o.data as string)) }));
      await commitFiles(project.dir, [...files, { file: PROJECT_FILE, data: JSON.stringify(store.project) }]);
      baseline.push(performance.now() - t0);
    }
  } finally {
    await store.close();
  }
  const what = `${used.passages.toLocaleString('en')} passages in ${used.documents.size} documents`;
  detail(`codes.merge of the most used code (${what}), durable: ${spread(merges)}`);
  detail(`history.undo of that merge, durable: ${spread(undos)}`);
  detail(`baseline, one transaction rewriting those ${used.documents.size} annotations files and the project file (the commit before the change log): ${spread(baseline)}`);
  const m = median(merges);
  const base = median(baseline);
  return [
    {
      goal: `Codebook: merge a code on ${what}`,
      target: '≤ 1 s median',
      measured: `${ms(m)} (undo ${ms(median(undos))})`,
      baseline: `${ms(base)} (rewrite the files)`,
      ratio: m / base,
      pass: m <= 1000,
    },
  ];
}
