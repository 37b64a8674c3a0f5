/**
 * Retrieval (issue goals): on the shared project of 100 documents and 100,000 passages, a
 * three-code boolean query with a document-variable filter through `passages.query` (≤ 50 ms);
 * and on a project of 500 documents (25 MB of text), a project-wide search through
 * `search.project` (≤ 150 ms). Both through the real browser-mode web server (`startWebServer`
 * over the project opened as `gloss web` opens it), each call a `POST /api/<method>` over HTTP
 * with the token and a tab's client id, as renderer/transport-http.ts sends it: the figures are
 * what a window waits for, rows in context, JSON both ways and the loopback round trip included.
 *
 * The query runs after the passages were gathered once (the first query reads and places every
 * passage; that cost is printed too), and again right after a passage was coded (only the
 * document it changed is placed again). Every timed query differs from the one before,
 * so no answer is reused. Baseline, in the same run: the same filter written by hand over the same
 * passages in memory (Set lookups, no parsing, no sorting, no rows) — the floor.
 *
 * The search runs after each text was folded once (the first search folds them; printed too).
 * Baseline: `indexOf` over the same texts lower-cased in memory, counting matches, with no
 * context, no folding of diacritics and no grouping.
 */
import path from 'node:path';
import type { GlossCore } from '../main/core/core';
import { startWebServer, type WebServer } from '../main/web/server';
import type { ApiResponse } from '../shared/api';
import type { PlacedAnnotation } from '../shared/model';
import { staticDirOf } from './app';
import { buildProject } from './project';
import { detail, median, ms, section, spread, type GoalRow } from './report';
import { openProject, type StoreProject } from './store';

const QUERY_GOAL_MS = 50;
const SEARCH_GOAL_MS = 150;
/** The tab the bench's calls come from (one undo history), in the shape the server accepts. */
const BENCH_TAB = 'bench-retrieval';

/** One API call as a window in browser mode makes it: `POST /api/<method>` with the token (transport-http.ts). */
async function call(server: WebServer, method: string, input: unknown): Promise<unknown> {
  const response = await fetch(`${server.origin}/api/${encodeURIComponent(method)}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Gloss-Client': BENCH_TAB, 'X-Gloss-Token': server.token },
    body: JSON.stringify(input ?? {}),
  });
  const r = (await response.json()) as ApiResponse;
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.result;
}

/** The project served as `gloss web` serves it, for `use`; the server and the project closed after. */
async function served<T>(root: string, core: GlossCore, use: (server: WebServer) => Promise<T>): Promise<T> {
  try {
    const server = await startWebServer({ core, staticDir: staticDirOf(root) });
    try {
      return await use(server);
    } finally {
      await server.close();
    }
  } finally {
    await core.close();
  }
}

async function timed<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await run();
  return { ms: performance.now() - t0, value };
}

export async function retrievalBench(opts: { root: string; quick: boolean; project: StoreProject; scratch: string }): Promise<GoalRow[]> {
  const { root, quick, project, scratch } = opts;
  const rows: GoalRow[] = [];
  const runs = quick ? 10 : 30;

  section('Retrieval: a boolean query over every passage');
  await served(root, await openProject(root, project.dir), async (server) => {
    // A number variable, Wave 1–4, on every document.
    const created = (await call(server, 'variables.create', { name: 'Wave', type: 'number' })) as { variableId: string };
    const wave = new Map<string, number>();
    for (const [i, id] of project.documentIds.entries()) {
      wave.set(id, (i % 4) + 1);
      await call(server, 'documents.update', { documentId: id, changes: {}, base: {}, values: { [created.variableId]: (i % 4) + 1 }, valuesBase: { [created.variableId]: null } });
    }
    const query = (n: number): string => `(code:"Interrogation" OR code:"Remittance") AND NOT code:"Emotion" AND @Wave>=${(n % 3) + 2}`;
    const page = { sort: 'document', offset: 0, limit: 100 };
    const first = await timed(() => call(server, 'passages.query', { query: query(0), ...page }));
    detail(`first query of the revision (reads and places all ${project.all.length.toLocaleString('en')} passages): ${ms(first.ms)}`);
    const times: number[] = [];
    let total = 0;
    for (let i = 1; i <= runs; i++) {
      const r = await timed(() => call(server, 'passages.query', { query: query(i), ...page }) as Promise<{ total: number }>);
      times.push(r.ms);
      total = r.value.total;
    }
    detail(`query (${total.toLocaleString('en')} of ${project.all.length.toLocaleString('en')} match, first 100 rows): ${spread(times)}`);
    // After a change (a passage coded in one document), only that document is placed again.
    const changed: number[] = [];
    for (let i = 0; i < Math.min(runs, 10); i++) {
      const documentId = project.documentIds[i]!;
      await call(server, 'annotations.create', { documentId, start: 10 + i, end: 40 + i, codeIds: ['repression.interrogation'] });
      changed.push((await timed(() => call(server, 'passages.query', { query: query(i), ...page }))).ms);
    }
    detail(`query right after a passage was coded: ${spread(changed)}`);

    // Baseline: the same filter by hand over the passages in memory.
    const all = (await Promise.all(project.documentIds.map(async (id) => ((await call(server, 'annotations.list', { documentId: id })) as { annotations: PlacedAnnotation[] }).annotations))).flat();
    const either = new Set(['repression.interrogation', 'contact.money']);
    const base: number[] = [];
    let baseTotal = 0;
    for (let i = 1; i <= runs; i++) {
      const min = (i % 3) + 2;
      const t0 = performance.now();
      baseTotal = all.filter((p) => p.codeIds.some((c) => either.has(c)) && !p.codeIds.includes('emotion') && (wave.get(p.documentId) ?? 0) >= min).length;
      base.push(performance.now() - t0);
    }
    detail(`baseline, the filter by hand (${baseTotal.toLocaleString('en')} match): ${spread(base)}`);
    const q = median(times);
    const b = median(base);
    rows.push({ goal: 'R1 three-code query + variable, 100k passages', target: `≤ ${QUERY_GOAL_MS} ms`, measured: ms(q), baseline: ms(b), ratio: q / b, pass: q <= QUERY_GOAL_MS });
    const c = median(changed);
    rows.push({ goal: 'R1 the same, right after a change', target: `≤ ${QUERY_GOAL_MS} ms`, measured: ms(c), baseline: ms(b), ratio: c / b, pass: c <= QUERY_GOAL_MS });
  });

  section('Retrieval: searching the texts of 500 documents');
  const documents = quick ? 100 : 500;
  const built = await buildProject(path.join(scratch, 'search-project'), { documents, annotationsPerDocument: 0, chars: 50_000, seed: 11 });
  detail(`built ${documents} documents of 50,000 characters (${(documents * 50_000 / 1e6).toFixed(0)} MB of text)`);
  await served(root, await openProject(root, built.dir, true), async (server) => {
    const words = ['famil', 'border', 'market', 'police', 'letter', 'mother'];
    const first = await timed(() => call(server, 'search.project', { query: 'families' }));
    detail(`first search (reads and folds every text): ${ms(first.ms)}`);
    const times: number[] = [];
    let hits = 0;
    for (let i = 0; i < runs; i++) {
      const r = await timed(() => call(server, 'search.project', { query: words[i % words.length]! }) as Promise<{ total: number }>);
      times.push(r.ms);
      hits = r.value.total;
    }
    detail(`search (e.g. ${hits.toLocaleString('en')} matches of the last word, listed in context up to 5,000): ${spread(times)}`);
    const texts: string[] = [];
    for (const id of built.documentIds) texts.push(((await call(server, 'documents.get', { documentId: id })) as { blocks: { text?: string }[] }).blocks.map((bl) => bl.text ?? '').join('\n\n').toLowerCase());
    const base: number[] = [];
    for (let i = 0; i < runs; i++) {
      const w = words[i % words.length]!;
      const t0 = performance.now();
      let n = 0;
      for (const t of texts) for (let at = t.indexOf(w); at >= 0; at = t.indexOf(w, at + 1)) n++;
      base.push(performance.now() - t0);
      void n;
    }
    detail(`baseline, indexOf over lower-cased texts: ${spread(base)}`);
    const s = median(times);
    const b = median(base);
    rows.push({ goal: `R2 project search, ${documents} documents`, target: `≤ ${SEARCH_GOAL_MS} ms`, measured: ms(s), baseline: ms(b), ratio: s / b, pass: s <= SEARCH_GOAL_MS });
  });
  return rows;
}
