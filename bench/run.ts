/**
 * Gloss's benchmarks: `npm run bench [-- --only SUITE[,SUITE…]] [-- --quick] [-- --parts L3[,L1…]]`
 * (--parts: of the long suite, only those goals). The suites, in
 * the order they run:
 *
 *   browser  goals 1–2: the viewer alone in Chromium (bench/page.ts): opening a large article
 *            with its passages painted, and adding one passage, against plain DOM + Highlight API.
 *   feed     goal 7: two tabs of the real app in browser mode on one project; a passage coded in
 *            one tab, timed until painted in the other, against its own round trip.
 *   csv      goal 4: exporting 100,000 passages to a CSV file, and streaming 1,000,000 in bounded
 *            memory.
 *   open     goal 5: the real app in browser mode opening 100 documents / 100,000 passages, to
 *            the documents list and the first article painted, against reading every annotations file.
 *   store    goals 3 and 6: one change persisted through the API handlers, against a whole-file
 *            store; one transaction over five files, against five independent durable writes.
 *   codebook merging the most used code of that project (10,000+ passages in 100 documents) into
 *            another, and undoing it, against one transaction rewriting the same files.
 *   retrieval the same project: a three-code query with a variable filter through passages.query;
 *            then 500 documents (25 MB) searched through search.project (bench/retrieval.ts).
 *   retrieval-ui
 *            the real app in browser mode on the same project, every panel on screen: a query typed
 *            in the passages view, Enter → count and rows painted, against the same query fetched
 *            from the page; the view's list of 100,000 scrolled, frames and long tasks, against the
 *            idle window (bench/retrieval-ui.ts).
 *   codebook-ui
 *            the real app in browser mode with every panel on screen and a codebook of 1,000
 *            codes: each key typed into the code picker's filter, key → painted, against a plain
 *            input filtering a plain list of the same names; recolouring a code used on 10,000
 *            passages of the open article, click → highlights painted in the new colour, against
 *            plain DOM + Highlight API making the same save and changing one CSS rule
 *            (bench/codebook-ui.ts).
 *   import-ui  the real app in browser mode importing 20 files at once: the longest frame gap
 *            meanwhile, against the idle window; Cancel click → stopped (bench/import-ui.ts).
 *   reanchor 10,000 passages re-anchored after a 1% edit of a 1 MB text, against looking up each
 *            quote with indexOf; then the same through documents.previewReplace and
 *            documents.replaceText on a project, against the engine alone (bench/reanchor.ts).
 *   import   a 5 MiB text file and a 100-page PDF imported through the API handlers and the
 *            import worker, from the file to the document committed and open, against reading and
 *            splitting the text in this thread, and pdfjs reading the PDF's text with no layout
 *            (bench/import.ts).
 *   long     goals L1–L5: the real app in browser mode with every panel on screen, on long
 *            documents (1 MB / 10,000 passages, 5 MB / 50,000, 2 MB / 100,000): opening one from
 *            the documents list, scrolling it, adding a passage, memory, and the passage list,
 *            against plain DOM + Highlight API and plain ProseMirror pages fetching the same data
 *            from the same server (bench/long.ts).
 *
 * csv, open, store, codebook, retrieval and retrieval-ui share one synthetic project (100 documents, 100,000 passages; 10,000 with
 * --quick), built first. Every goal is printed with the figure measured, a baseline measured in
 * the same run, their ratio and PASS/MISS. Timings are asserted nowhere else: tests check
 * behaviour, this checks speed. All data is synthetic, generated from fixed seeds, and removed at
 * the end; every coder profile the suites make is a temp file, never the user's own.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { browserBench } from './browser';
import { codebookBench } from './codebook';
import { codebookUiBench } from './codebook-ui';
import { csvBench } from './csv';
import { feedBench } from './feed';
import { importBench } from './import';
import { longBench } from './long';
import { openBench } from './open';
import { importUiBench } from './import-ui';
import { reanchorBench } from './reanchor';
import { retrievalBench } from './retrieval';
import { retrievalUiBench } from './retrieval-ui';
import { detail, ms, section, table, type GoalRow } from './report';
import { buildStoreProject, storeBench, type StoreProject } from './store';

const SUITES = ['browser', 'feed', 'csv', 'open', 'store', 'codebook', 'retrieval', 'retrieval-ui', 'codebook-ui', 'reanchor', 'import-ui', 'import', 'long'] as const;
type Suite = (typeof SUITES)[number];

// The bundle lives in dist/bench/; the repository root is two folders up.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { only: { type: 'string' }, quick: { type: 'boolean' }, parts: { type: 'string' } } });
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
    if (run('feed')) rows.push(...(await feedBench({ root, quick })));
    let project: StoreProject | null = null;
    if (run('csv') || run('open') || run('store') || run('codebook') || run('retrieval') || run('retrieval-ui')) {
      section('Synthetic project');
      project = await buildStoreProject(path.join(scratch, 'project'), quick);
    }
    // CSV first, so that it exports exactly the generated annotations.
    if (project && run('csv')) rows.push(...(await csvBench({ root, quick, project, scratch })));
    // Open before store, so that it opens the project as generated.
    if (project && run('open')) rows.push(...(await openBench({ root, quick, project })));
    if (project && run('store')) rows.push(...(await storeBench({ root, quick, project, scratch })));
    if (project && run('codebook')) rows.push(...(await codebookBench({ root, quick, project })));
    // Last of the shared project's suites: it adds a document variable to the project.
    if (project && run('retrieval')) rows.push(...(await retrievalBench({ root, quick, project, scratch })));
    if (project && run('retrieval-ui')) rows.push(...(await retrievalUiBench({ root, quick, project })));
    if (run('codebook-ui')) rows.push(...(await codebookUiBench({ root, quick, scratch })));
    if (run('reanchor')) rows.push(...(await reanchorBench({ root, quick, scratch })));
    if (run('import-ui')) rows.push(...(await importUiBench({ root, quick, scratch })));
    if (run('import')) rows.push(...(await importBench({ root, quick, scratch })));
    if (run('long')) rows.push(...(await longBench({ root, quick, ...(values.parts ? { parts: values.parts.split(',').map((s) => s.trim().toUpperCase()) } : {}) })));
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
