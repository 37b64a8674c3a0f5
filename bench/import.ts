/**
 * Importing documents (issue goals: a 5 MB text file imports in ≤ 2 s and opens; a 100-page PDF
 * imports in ≤ 5 s). What the user waits for, end to end in main: from the file on disk (read,
 * and base64-encoded as the renderer sends it) through `documents.prepareImport` (main decodes
 * it, the real import worker, dist/node/import-worker.mjs, reads it; main checks the result as
 * the store checks its files) and `documents.commitImport` (the document durably in the
 * project), to the document open: `documents.get` and `annotations.list` of it, together, as the
 * renderer asks on opening. Every call goes through `dispatch` (shared/api.ts), which validates
 * the input as every transport does. Each run imports into a fresh copy of a small synthetic
 * project (20 documents), opened and fully loaded before the clock starts; the figure is the
 * median of the runs after a first, untimed one (reported apart, as the cold first import).
 *
 * - A synthetic 5 MiB UTF-8 text file: prose in paragraphs separated by blank lines (bench/data.ts).
 *   Baseline: reading the same file with `fs.readFile` and splitting it into paragraphs in this
 *   thread — the floor, what the file costs without Gloss's checks, worker and durable commit.
 * - A synthetic 100-page PDF written by bench/pdf-writer.ts (Helvetica, ~45 lines of prose a
 *   page, a heading on some pages, page numbers). The import must give back at least 95% of
 *   the visible characters written, so the figure cannot be of a failed import. Baseline: the same file
 *   read, base64-encoded and decoded, and parsed with pdfjs in this thread (the same pdfjs-dist,
 *   `getDocument` and every page's `getTextContent`, no layout): the ratio shows what Gloss's
 *   worker, layout and checks add.
 *
 * Measured runs and baselines alternate, so both see the same machine. After them, where the time
 * goes, each measured on its own: the import worker alone (started, reading the file, its answer
 * back), the worker's fixed cost (a one-line file of the same format), the importer run in this
 * thread, main's own checks, and for the PDF the importer's layout alone. --quick keeps the
 * sizes and makes fewer runs. The files and projects are written in the scratch folder run.ts
 * gives, and removed at the end.
 */
import { randomUUID } from 'node:crypto';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { apiContract, dispatch, type ApiInput, type ApiMethod, type ApiOutput } from '../shared/api';
import type { Block } from '../shared/model';
import { plainText, textblockTexts } from '../shared/plain-text';
import type { GlossCore } from '../main/core/core';
import { FORMAT, SCHEMA_VERSION, fileSchemas } from '../main/core/files';
import { textHash } from '../main/core/hash';
import { importBytes } from '../main/core/import/formats';
import { cleanText } from '../main/core/import/pdf';
import { pageLines, type TextRun } from '../main/core/import/pdf-lines';
import { pagesToBlocks } from '../main/core/import/pdf-paragraphs';
import { importInWorker, importWorkerFile } from '../main/core/import/worker';
import { article, seeded } from './data';
import { encodable, flowPages, writePdf, type FlowBlock } from './pdf-writer';
import { buildProject } from './project';
import { bytes, detail, median, ms, section, spread, type GoalRow } from './report';
import { BENCH_CLIENT, openProject } from './store';

const TEXT_BYTES = 5 * 1024 * 1024;
const PDF_PAGES = 100;
/** Of the visible characters written into the PDF (page numbers aside), the share the import must give back. */
const PDF_MIN_SHARE = 0.95;

/** Characters other than white space. */
const visible = (s: string): number => s.replace(/\s+/g, '').length;

/** One call through `dispatch`, as every transport makes it; a failure throws. */
async function call<M extends ApiMethod>(core: GlossCore, method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
  const res = await dispatch(core.handlers, method, input, BENCH_CLIENT);
  if (!res.ok) throw new Error(`${method} failed: ${res.error.message}`);
  return res.result as ApiOutput<M>;
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

interface Phases {
  /** Reading the file and encoding it as base64. */
  read: number;
  prepare: number;
  commit: number;
  open: number;
  total: number;
}

/** What one run produced, checked by the caller. */
interface Imported {
  /** The opened document's plain text. */
  text: string;
  characters: number;
  notes: string[];
  blocks: Block[];
}

/** Imports `file` into a fresh copy of `template` and opens it, timing each step. */
async function importOnce(root: string, template: string, dir: string, file: string): Promise<{ phases: Phases; imported: Imported }> {
  await cp(template, dir, { recursive: true });
  const core = await openProject(root, dir);
  try {
    await core.loaded();
    gc();
    const t0 = performance.now();
    const content = (await readFile(file)).toString('base64');
    const t1 = performance.now();
    const prepared = await call(core, 'documents.prepareImport', { requestId: randomUUID(), fileName: path.basename(file), content });
    const t2 = performance.now();
    const committed = await call(core, 'documents.commitImport', { tokens: [prepared.token] });
    const t3 = performance.now();
    const documentId = committed.documentIds?.[0];
    if (!documentId) throw new Error('commitImport added no document');
    const [doc, list] = await Promise.all([call(core, 'documents.get', { documentId }), call(core, 'annotations.list', { documentId })]);
    const t4 = performance.now();
    if (list.annotations.length !== 0) throw new Error('a new document has passages');
    const text = plainText(doc.blocks);
    if (text.length !== prepared.characters) throw new Error('the opened document is not the text prepared');
    return { phases: { read: t1 - t0, prepare: t2 - t1, commit: t3 - t2, open: t4 - t3, total: t4 - t0 }, imported: { text, characters: prepared.characters, notes: prepared.notes, blocks: doc.blocks } };
  } finally {
    await core.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs `reps` imports (after an untimed first) alternating with `baseline`: every run's phases, the baseline's times, the first run apart. */
async function measure(opts: { root: string; template: string; scratch: string; file: string; reps: number; baseline: () => Promise<number> }) {
  const runs: Phases[] = [];
  const base: number[] = [];
  let imported: Imported | null = null;
  let n = 0;
  const once = async (): Promise<Phases> => {
    const r = await importOnce(opts.root, opts.template, path.join(opts.scratch, `import-run-${n++}`), opts.file);
    imported = r.imported;
    return r.phases;
  };
  const first = await once();
  await opts.baseline();
  for (let i = 0; i < opts.reps; i++) {
    runs.push(await once());
    gc();
    base.push(await opts.baseline());
  }
  const of = (k: keyof Phases): number[] => runs.map((r) => r[k]);
  return { first, runs, of, base, imported: imported! };
}

/** Medians of a few runs of `f` (after one untimed), for the breakdown. */
async function timed(reps: number, f: () => Promise<unknown> | unknown): Promise<number> {
  await f();
  const xs: number[] = [];
  for (let i = 0; i < reps; i++) {
    gc();
    const t0 = performance.now();
    await f();
    xs.push(performance.now() - t0);
  }
  return median(xs);
}

/** Where a prepare's time goes: the worker (whole, and empty), the importer in this thread, main's checks. */
async function breakdown(file: string, reps: number, small: { name: string; bytes: Uint8Array; what: string }): Promise<void> {
  const fileName = path.basename(file);
  const data = await readFile(file);
  const content = data.toString('base64');
  const worker = await timed(reps, () => importInWorker(fileName, data));
  const fixed = await timed(reps, () => importInWorker(small.name, small.bytes));
  const inThread = await timed(reps, () => importBytes(fileName, data));
  const result = await importBytes(fileName, data);
  const validate = await timed(reps, () => apiContract['documents.prepareImport'].input.safeParse({ requestId: randomUUID(), fileName, content }));
  const decode = await timed(reps, () => Buffer.from(content, 'base64'));
  const text = plainText(result.blocks);
  const hash = await timed(reps, () => textHash(plainText(result.blocks)));
  const file0 = { format: FORMAT.document, schemaVersion: SCHEMA_VERSION, id: 'check', meta: result.meta, blocks: result.blocks, textHash: textHash(text) };
  const schema = await timed(reps, () => fileSchemas.document.safeParse(file0));
  detail(`  where prepare's time goes (medians of ${reps}, each measured alone):`);
  detail(`    import worker, whole (start, read the file, post the blocks back): ${ms(worker)}; ${small.what} through a worker (its fixed cost: start, loading the importers, end): ${ms(fixed)}`);
  detail(`    the importer in this thread, warm (no worker): ${ms(inThread)}`);
  detail(`    main: input validation ${ms(validate)}, base64 decode ${ms(decode)}, plain text + SHA-256 ${ms(hash)}, document schema check ${ms(schema)}`);
}

/** Prose for the PDF: the article's blocks with only what the standard fonts can set (words in other scripts left out). */
function pdfBlocks(seed: number): () => FlowBlock | null {
  const { blocks } = article(seeded(seed), 600_000, 'A synthetic report');
  const flow: FlowBlock[] = [];
  const clean = (s: string): string =>
    s
      .split(' ')
      .filter((w) => w !== '' && [...w].every(encodable))
      .join(' ');
  for (const b of blocks) {
    if (b.type === 'heading') flow.push({ heading: true, text: clean(b.text) });
    else for (const t of textblockTexts([b])) flow.push({ heading: false, text: clean(t) });
  }
  const kept = flow.filter((b) => b.text !== '');
  let i = 0;
  return () => kept[i++] ?? null;
}

/** The layout part of the PDF importer alone: runs to lines, lines to blocks (median of `reps`). */
async function pdfLayout(file: string, reps: number): Promise<number> {
  const runs: TextRun[][] = [];
  await pdfjsText(file, runs);
  return timed(reps, () => pagesToBlocks(runs.map((r) => pageLines(r))));
}

type Pdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjsLoaded: Promise<{ pdfjs: Pdfjs; dataDir: string }> | null = null;

/** The pdfjs-dist Gloss uses (from the same node_modules), loaded once in this thread, its worker code run in-thread as Node does. */
function loadPdfjs(): Promise<{ pdfjs: Pdfjs; dataDir: string }> {
  pdfjsLoaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    pdfjs.GlobalWorkerOptions.workerSrc = pathToFileURL(require.resolve('pdfjs-dist/legacy/build/pdf.worker.mjs')).href;
    return { pdfjs, dataDir: path.dirname(require.resolve('pdfjs-dist/package.json')) };
  })();
  return pdfjsLoaded;
}

/** The PDF baseline: read, base64 there and back, every page's text runs with pdfjs; the characters found, and the runs if asked. */
async function pdfjsText(file: string, keep?: TextRun[][]): Promise<{ ms: number; chars: number }> {
  const { pdfjs, dataDir } = await loadPdfjs();
  const t0 = performance.now();
  const data = Buffer.from((await readFile(file)).toString('base64'), 'base64');
  const task = pdfjs.getDocument({
    data: new Uint8Array(data),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    useWasm: false,
    standardFontDataUrl: `${path.join(dataDir, 'standard_fonts')}/`,
    cMapUrl: `${path.join(dataDir, 'cmaps')}/`,
    cMapPacked: true,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });
  let chars = 0;
  try {
    const doc = await task.promise;
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      // As Gloss reads them: without pdfjs's Unicode normalisation (pdf.ts cleans the text itself).
      const content = await page.getTextContent({ disableNormalization: true });
      const runs: TextRun[] = [];
      for (const item of content.items) {
        if (!('str' in item)) continue;
        chars += item.str.length;
        if (!keep) continue;
        const t = item.transform as number[];
        runs.push({ text: cleanText(item.str), x: t[4]!, y: t[5]!, width: item.width, size: Math.hypot(t[2]!, t[3]!) || item.height, rtl: item.dir === 'rtl' });
      }
      keep?.push(runs);
      page.cleanup();
    }
  } finally {
    await task.destroy();
  }
  return { ms: performance.now() - t0, chars };
}

export async function importBench(opts: { root: string; quick: boolean; scratch: string }): Promise<GoalRow[]> {
  section('Importing documents');
  const { root, quick } = opts;
  const reps = quick ? 3 : 7;
  const scratch = path.join(opts.scratch, 'import');
  await mkdir(scratch, { recursive: true });
  detail(`import worker: ${path.relative(root, importWorkerFile())}`);
  const template = path.join(scratch, 'template');
  await buildProject(template, { documents: 20, annotationsPerDocument: 200, chars: 20_000, seed: 31 });

  // The text file: whole paragraphs up to 5 MiB of UTF-8.
  const { text: full } = article(seeded(32), TEXT_BYTES, 'Interviews');
  const paragraphs: string[] = [];
  let size = 0;
  for (const p of full.split('\n\n')) {
    if (size >= TEXT_BYTES) break;
    paragraphs.push(p);
    size += Buffer.byteLength(p) + 2;
  }
  const txtText = `${paragraphs.join('\n\n')}\n`;
  const txtSize = Buffer.byteLength(txtText);
  if (txtSize < TEXT_BYTES) throw new Error(`the text file is ${txtSize} bytes, short of ${TEXT_BYTES}`);
  const txtFile = path.join(scratch, 'interviews.txt');
  await writeFile(txtFile, txtText);

  // The PDF.
  const source = pdfBlocks(33);
  let headings = 0;
  const pages = flowPages(() => {
    const b = source();
    if (b?.heading) headings++;
    return b;
  }, PDF_PAGES);
  if (pages.length !== PDF_PAGES) throw new Error(`the PDF writer filled ${pages.length} pages, not ${PDF_PAGES}`);
  const bodyLines = pages.map((p) => p.slice(0, -1));
  const written = bodyLines.flat().reduce((n, l) => n + visible(l.text), 0);
  const pdfFile = path.join(scratch, 'report.pdf');
  const pdf = writePdf(pages, { title: 'A synthetic report' });
  await writeFile(pdfFile, pdf);

  try {
    // 1. Text.
    let splitInto = 0;
    const txt = await measure({
      root, template, scratch, file: txtFile, reps,
      baseline: async () => {
        const t0 = performance.now();
        splitInto = (await readFile(txtFile)).toString('utf8').split(/\n[ \t]*\n/).length;
        return performance.now() - t0;
      },
    });
    if (txt.imported.characters < 0.99 * txtText.length) throw new Error(`the text import gave ${txt.imported.characters} characters of ${txtText.length}`);
    const same = txt.imported.text === txtText.slice(0, -1) ? 'the file’s text exactly' : 'not exactly the file’s text';
    detail(`${bytes(txtSize)} text file, ${paragraphs.length.toLocaleString('en')} paragraphs → ${txt.imported.blocks.length.toLocaleString('en')} blocks, ${txt.imported.characters.toLocaleString('en')} characters (${same})`);
    printRuns(txt);
    detail(`baseline, fs.readFile + split into ${splitInto.toLocaleString('en')} paragraphs: ${spread(txt.base)}`);
    await breakdown(txtFile, quick ? 2 : 3, { name: 'one.txt', bytes: Buffer.from('One line.'), what: 'a one-line text file' });

    // 2. PDF.
    let pdfjsChars = 0;
    const pdfRun = await measure({
      root, template, scratch, file: pdfFile, reps,
      baseline: async () => {
        const r = await pdfjsText(pdfFile);
        pdfjsChars = r.chars;
        return r.ms;
      },
    });
    const got = pdfRun.imported;
    const gotHeadings = got.blocks.filter((b) => b.type === 'heading').length;
    detail(`${bytes(pdf.length)} PDF, ${pages.length} pages, ${(bodyLines.flat().length / pages.length).toFixed(1)} lines a page, ${headings} headings, ${written.toLocaleString('en')} visible characters written`);
    detail(`  imported: ${got.blocks.length.toLocaleString('en')} blocks (${gotHeadings} headings), ${got.characters.toLocaleString('en')} characters (${visible(got.text).toLocaleString('en')} visible); notes: ${got.notes.join(' ')}`);
    if (visible(got.text) < PDF_MIN_SHARE * written) throw new Error(`the PDF import gave ${visible(got.text)} visible characters of the ${written} written`);
    printRuns(pdfRun);
    detail(`baseline, read + base64 both ways + pdfjs getDocument and getTextContent of every page (${pdfjsChars.toLocaleString('en')} characters), no layout: ${spread(pdfRun.base)}`);
    const one: FlowBlock[] = [{ heading: false, text: 'One paragraph on one page.' }];
    const onePage = writePdf(flowPages(() => one.shift() ?? null, 1), { title: 'One page' });
    await breakdown(pdfFile, quick ? 2 : 3, { name: 'one.pdf', bytes: onePage, what: 'a one-page PDF' });
    detail(`    of the importer, the layout alone (pdf-lines + pdf-paragraphs, on the runs pdfjs gave): ${ms(await pdfLayout(pdfFile, quick ? 2 : 3))}`);

    return [
      goalRow(`Import a ${bytes(txtSize)} text file, to committed and open`, '≤ 2 s median', txt, 2000, 'readFile + split'),
      goalRow(`Import a ${pages.length}-page PDF (${bytes(pdf.length)}), to committed and open`, '≤ 5 s median', pdfRun, 5000, 'base64 + pdfjs text'),
    ];
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

type Measured = Awaited<ReturnType<typeof measure>>;

function printRuns(m: Measured): void {
  detail(`  read + prepare + commit + open: ${spread(m.of('total'))}`);
  detail(`  read + base64 ${ms(median(m.of('read')))}, prepare ${ms(median(m.of('prepare')))}, commit ${ms(median(m.of('commit')))}, open ${ms(median(m.of('open')))} (medians)`);
  detail(`  first import of the run (untimed in the figure): ${ms(m.first.total)} (prepare ${ms(m.first.prepare)})`);
}

function goalRow(goal: string, target: string, m: Measured, limit: number, baselineName: string): GoalRow {
  const total = median(m.of('total'));
  const base = median(m.base);
  return {
    goal,
    target,
    measured: `${ms(total)} (prepare ${ms(median(m.of('prepare')))}, commit ${ms(median(m.of('commit')))}, open ${ms(median(m.of('open')))})`,
    baseline: `${ms(base)} (${baselineName})`,
    ratio: total / base,
    pass: total <= limit,
  };
}
