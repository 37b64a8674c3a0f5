/**
 * CSV export benchmarks (goal 4): 100,000 coded passages through the real `core.exportCsv` into
 * a durable file as the desktop app writes it, against one durable write of as many bytes (the
 * I/O floor); and 1,000,000 passages
 * streamed from a read-only project while memory is sampled, to show the export does not hold
 * the file in memory.
 */
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import type { GlossCore } from '../main/core/core';
import { writeFileDurable, writeStreamDurable } from '../main/core/durable';
import { buildProject } from './project';
import { bytes, detail, median, ms, section, spread, type GoalRow } from './report';
import { openProject, type StoreProject } from './store';
import { ProjectStore } from '../main/core/store';

const gc = (globalThis as { gc?: () => void }).gc;

/** Exports as the desktop app does: through a temporary file, flushed to disk and renamed over `file`. */
async function exportTo(core: GlossCore, file: string): Promise<{ ms: number; rows: number; size: number }> {
  const t0 = performance.now();
  const { rows } = await writeStreamDurable(file, (out) => core.exportCsv(out, { bom: false }));
  const elapsed = performance.now() - t0;
  return { ms: elapsed, rows, size: (await stat(file)).size };
}

/** Peak memory growth while sampling ran. */
interface MemoryPeaks {
  /** heapUsed, sampled every few milliseconds: live data plus garbage not yet collected. */
  heapUsed: number;
  /** heapUsed just after each full (mark-compact) collection: close to the live data; NaN if none ran. */
  heapAfterGc: number;
  rss: number;
  samples: number;
  collections: number;
}

/**
 * Samples memory every `everyMs`, and after every full garbage collection, above the level at
 * the start. With --expose-gc a full collection is also forced every `collectMs`, so that the
 * live heap is seen even in a run too short for V8 to collect on its own (a full collection of
 * a heap holding little live data takes milliseconds).
 */
function sampleMemory(everyMs: number, collectMs: number): { stop(): MemoryPeaks } {
  const start = process.memoryUsage();
  const peaks: MemoryPeaks = { heapUsed: 0, heapAfterGc: NaN, rss: 0, samples: 0, collections: 0 };
  const take = (): void => {
    const m = process.memoryUsage();
    peaks.heapUsed = Math.max(peaks.heapUsed, m.heapUsed - start.heapUsed);
    peaks.rss = Math.max(peaks.rss, m.rss - start.rss);
    peaks.samples++;
  };
  const collections = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if ((entry as unknown as { detail?: { kind?: number } }).detail?.kind !== constants.NODE_PERFORMANCE_GC_MAJOR) continue;
      const after = process.memoryUsage().heapUsed - start.heapUsed;
      peaks.heapAfterGc = Number.isNaN(peaks.heapAfterGc) ? after : Math.max(peaks.heapAfterGc, after);
      peaks.collections++;
    }
  });
  collections.observe({ entryTypes: ['gc'] });
  const timer = setInterval(take, everyMs);
  const collector = gc ? setInterval(gc, collectMs) : undefined;
  return {
    stop() {
      clearInterval(timer);
      clearInterval(collector);
      collections.disconnect();
      take();
      return peaks;
    },
  };
}

export async function csvBench(opts: { root: string; quick: boolean; project: StoreProject; scratch: string }): Promise<GoalRow[]> {
  section('CSV export');
  const { project, quick, scratch } = opts;
  const out = path.join(scratch, 'export.csv');
  const reps = quick ? 2 : 3;
  const passages = project.all.length;

  const measure = async (readOnly: boolean): Promise<{ ms: number[]; rows: number; size: number }> => {
    const t0 = performance.now();
    const core = await openProject(opts.root, project.dir, readOnly);
    const opened = performance.now() - t0;
    // The app as it is a moment after opening: its background read has every passage in memory.
    if (!readOnly) await core.loaded();
    try {
      const runs = [];
      for (let i = 0; i < reps + 1; i++) runs.push(await exportTo(core, out));
      const timed = runs.slice(1);
      detail(`${readOnly ? 'read-only project (as `gloss export-csv`; reads each annotations file)' : 'open project (as the app; annotations in memory)'}: opened in ${ms(opened)}; export ${spread(timed.map((r) => r.ms))}; ${runs[0]!.rows.toLocaleString('en')} rows, ${bytes(runs[0]!.size)}`);
      return { ms: timed.map((r) => r.ms), rows: runs[0]!.rows, size: runs[0]!.size };
    } finally {
      await core.close();
    }
  };
  const inMemory = await measure(false);
  const fromDisk = await measure(true);

  // What the read-only path adds: reading, decoding, parsing and validating every annotations file.
  const store = await ProjectStore.open(project.dir, { readOnly: true });
  const reading: number[] = [];
  try {
    for (let i = 0; i < reps + 1; i++) {
      const t0 = performance.now();
      for (const d of store.project.documents) await store.readAnnotationsUncached(d.id);
      reading.push(performance.now() - t0);
    }
  } finally {
    await store.close();
  }
  reading.shift();
  detail(`read-only project, reading and validating every annotations file alone: ${spread(reading)}`);

  const floorFile = path.join(scratch, 'floor.bin');
  const block = Buffer.alloc(inMemory.size, 0x61);
  const floor: number[] = [];
  for (let i = 0; i < reps + 1; i++) {
    const t0 = performance.now();
    await writeFileDurable(floorFile, block);
    floor.push(performance.now() - t0);
  }
  floor.shift();
  detail(`I/O floor, one durable write (temp file, fsync, rename) of ${bytes(block.length)}: ${spread(floor)}`);
  await rm(floorFile, { force: true });
  await rm(out, { force: true });

  // 1,000,000 passages, streamed from disk.
  const bigDir = path.join(scratch, 'million');
  const perDoc = quick ? 1000 : 10_000;
  let t0 = performance.now();
  const big = await buildProject(bigDir, { documents: 100, annotationsPerDocument: perDoc, chars: 30_000, seed: 5 });
  const bigCount = 100 * perDoc;
  detail(`built ${bigCount.toLocaleString('en')} annotations (${bytes(big.bytesOnDisk)} on disk) in ${ms(performance.now() - t0)}`);
  const core = await openProject(opts.root, bigDir, true);
  let result: { ms: number; rows: number; size: number };
  let peak: MemoryPeaks;
  try {
    gc?.();
    const sampler = sampleMemory(50, 1000);
    t0 = performance.now();
    result = await exportTo(core, out);
    peak = sampler.stop();
  } finally {
    await core.close();
  }
  detail(
    `streamed ${result.rows.toLocaleString('en')} rows, ${bytes(result.size)} in ${ms(result.ms)} (${bytes(result.size / (result.ms / 1000))}/s); ` +
      `peak growth over ${peak.samples} samples: heapUsed ${bytes(peak.heapUsed)}, rss ${bytes(peak.rss)}; ` +
      `heap after each of ${peak.collections} full collections at most ${Number.isNaN(peak.heapAfterGc) ? '–' : bytes(peak.heapAfterGc)} above the start; largest annotations file ${bytes(big.largestFile)}`,
  );
  await rm(out, { force: true });
  await rm(bigDir, { recursive: true, force: true });

  // Sampled heapUsed includes garbage V8 has not collected yet; what the export holds is what
  // survives a full collection.
  const collected = !Number.isNaN(peak.heapAfterGc);
  const held = collected ? peak.heapAfterGc : peak.heapUsed;
  const heldShare = held / result.size;
  return [
    {
      goal: `4. Export ${passages.toLocaleString('en')} passages → CSV file (open project)`,
      target: '≤ 0.5 s',
      measured: ms(median(inMemory.ms)),
      baseline: `${ms(median(floor))} (durable write of ${bytes(inMemory.size)})`,
      ratio: median(inMemory.ms) / median(floor),
      pass: median(inMemory.ms) <= 500,
    },
    {
      // The goal is the export itself; `gloss export-csv` first reads the whole project from disk.
      goal: `   \`gloss export-csv\` path: read-only, reading ${passages.toLocaleString('en')} passages from disk first`,
      target: '(context)',
      measured: `${ms(median(fromDisk.ms))} (reading alone ${ms(median(reading))})`,
      baseline: `${ms(median(floor))} (durable write of ${bytes(inMemory.size)})`,
      ratio: median(fromDisk.ms) / median(floor),
      pass: true,
      info: true,
    },
    {
      goal: `4. Stream ${bigCount.toLocaleString('en')} passages in ${ms(result.ms)}: heap held`,
      target: '≤ 10% of output',
      measured: collected ? `${bytes(held)} after full GCs (sampled peak ${bytes(peak.heapUsed)})` : `${bytes(held)} sampled (no full GC ran)`,
      baseline: `${bytes(result.size)} (output size)`,
      ratio: heldShare,
      pass: heldShare <= 0.1,
    },
  ];
}
