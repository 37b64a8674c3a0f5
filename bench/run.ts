/**
 * Gloss's benchmarks: `npm run bench [-- --only browser|csv|store] [-- --quick]`.
 *
 * Every goal is printed with the figure measured, a baseline measured in the same run, their
 * ratio and PASS/MISS. Timings are asserted nowhere else: tests check behaviour, this checks
 * speed. All data is synthetic, generated from fixed seeds, and removed at the end.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { browserBench } from './browser';
import { csvBench } from './csv';
import { detail, ms, section, table, type GoalRow } from './report';
import { buildStoreProject, storeBench, type StoreProject } from './store';

const SUITES = ['browser', 'csv', 'store'] as const;
type Suite = (typeof SUITES)[number];

// The bundle lives in dist/bench/; the repository root is two folders up.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { only: { type: 'string' }, quick: { type: 'boolean' } } });
  const only = values.only?.split(',').map((s) => s.trim());
  const unknown = only?.filter((s) => !(SUITES as readonly string[]).includes(s)) ?? [];
  if (unknown.length) {
    console.error(`Unknown suite ${unknown.join(', ')}; choose from ${SUITES.join(', ')}.`);
    return 2;
  }
  const run = (s: Suite): boolean => !only || only.includes(s);
  const quick = values.quick === true;
  if (!(globalThis as { gc?: unknown }).gc) console.warn('Run with node --expose-gc (as `npm run bench` does) so that memory figures start from a collected heap.');
  // Other work on the machine shows in every figure; the load average says how much there was.
  const load = (): string => os.loadavg()[0]!.toFixed(2);
  console.log(`Gloss benchmarks${quick ? ' (quick: smaller sizes)' : ''} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}; load average ${load()}`);

  const started = performance.now();
  const scratch = await mkdtemp(path.join(os.tmpdir(), 'gloss-bench-'));
  const rows: GoalRow[] = [];
  try {
    if (run('browser')) rows.push(...(await browserBench({ root, quick })));
    let project: StoreProject | null = null;
    if (run('csv') || run('store')) {
      section('Synthetic project');
      project = await buildStoreProject(path.join(scratch, 'project'), quick);
    }
    // CSV first, so that it exports exactly the generated annotations.
    if (project && run('csv')) rows.push(...(await csvBench({ root, quick, project, scratch })));
    if (project && run('store')) rows.push(...(await storeBench({ root, quick, project, scratch })));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  section(`Summary (${ms(performance.now() - started)} in all; load average ${load()})`);
  console.log(table(rows));
  const missed = rows.filter((r) => !r.info && !r.pass).length;
  if (missed) detail(`${missed} goal${missed > 1 ? 's' : ''} missed.`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
