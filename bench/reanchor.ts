/**
 * Re-anchoring after a new version of a text (issue goal: 10,000 passages after a 1% edit of a
 * 1 MB text in ≤ 1 s). A synthetic 1 MB article with 10,000 passages is edited at random word
 * boundaries (insertions and deletions of a few words, with a fixed seed) until 1% of its
 * characters changed, and every passage is re-anchored (main/core/reanchor.ts: the diff of the
 * two texts, then each passage's stages). Baseline, in the same run: the naive re-anchoring
 * that many tools do, each passage's quote looked up with `indexOf` in the new text (no context,
 * no diff, no fuzzy stage) — the floor any real re-anchoring stands on.
 *
 * Then what the user waits for in the app, up to the review screen and after Apply: a project
 * whose document is that article with those passages (bench/project.ts), the edited text as a
 * .txt file through `documents.previewReplace` (read in the import worker, then re-anchored
 * against the stored passages) and `documents.replaceText` (committed durably), through the
 * real API handlers. Baseline: the engine alone on the same texts (the first figure), so that the
 * ratio shows what reading the file, checking it and committing add.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { reanchor } from '../main/core/reanchor';
import { plainText } from '../shared/plain-text';
import { describeRange } from '../shared/anchoring';
import { article, between, seeded } from './data';
import { buildProject } from './project';
import { detail, median, ms, section, spread, type GoalRow } from './report';
import { BENCH_CLIENT, openProject } from './store';

/** `text` with words inserted and deleted at random word boundaries until `share` of it changed. */
function edited(text: string, rng: () => number, share: number): { next: string; changed: number } {
  let next = text;
  let changed = 0;
  while (changed < text.length * share) {
    const at = next.indexOf(' ', between(rng, 0, next.length - 20));
    if (at < 0) continue;
    if (rng() < 0.5) {
      const words = ' newly written words';
      next = next.slice(0, at) + words + next.slice(at);
      changed += words.length;
    } else {
      const end = next.indexOf(' ', at + 1);
      if (end < 0) continue;
      next = next.slice(0, at) + next.slice(end);
      changed += end - at;
    }
  }
  return { next, changed };
}

export async function reanchorBench(opts: { root: string; quick: boolean; scratch: string }): Promise<GoalRow[]> {
  section('Re-anchoring after a new version of a text');
  const rng = seeded(77);
  const chars = opts.quick ? 200_000 : 1_000_000;
  const count = opts.quick ? 2_000 : 10_000;
  const { text } = article(rng, chars);
  const passages = Array.from({ length: count }, (_, i) => {
    const start = between(rng, 0, text.length - 400);
    return { id: `p${i}`, ...describeRange(text, start, start + between(rng, 15, 300)) };
  });
  // A 1% edit: words inserted or deleted at random word boundaries.
  const { next, changed } = edited(text, rng, 0.01);
  const reps = opts.quick ? 3 : 5;
  const times: number[] = [];
  const naive: number[] = [];
  let statuses: Record<string, number> = {};
  for (let i = 0; i < reps; i++) {
    let t0 = performance.now();
    const out = reanchor(text, next, passages);
    times.push(performance.now() - t0);
    statuses = {};
    for (const r of out) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    t0 = performance.now();
    let found = 0;
    for (const p of passages) if (next.indexOf(p.quote.exact) >= 0) found++;
    naive.push(performance.now() - t0);
    if (found === 0) throw new Error('the baseline found nothing');
  }
  const what = `${count.toLocaleString('en')} passages, ${(text.length / 1e6).toFixed(2)} M characters, ${((changed / text.length) * 100).toFixed(1)}% edited`;
  detail(`re-anchoring ${what}: ${spread(times)}`);
  detail(`outcomes: ${Object.entries(statuses).map(([k, v]) => `${v.toLocaleString('en')} ${k}`).join(', ')}`);
  detail(`baseline, indexOf of every quote in the new text: ${spread(naive)}`);
  const m = median(times);
  const rows: GoalRow[] = [{ goal: `Re-anchor ${what}`, target: '≤ 1 s median', measured: ms(m), baseline: `${ms(median(naive))} (indexOf)`, ratio: m / median(naive), pass: m <= 1000 }];
  rows.push(await throughTheApp(opts, chars, count));
  return rows;
}

/** The same through the API: a project holding the article and its passages; its text replaced by an edited file, previewed and applied. */
async function throughTheApp(opts: { root: string; quick: boolean; scratch: string }, chars: number, count: number): Promise<GoalRow> {
  const dir = path.join(opts.scratch, 'reanchor-project');
  let stored = '';
  const built = await buildProject(dir, { documents: 1, annotationsPerDocument: count, chars, seed: 78, onAnnotations: (_id, _list, art) => void (stored = art.text) });
  const documentId = built.documentIds[0]!;
  const core = await openProject(opts.root, dir);
  const previews: number[] = [];
  const applies: number[] = [];
  const engine: number[] = [];
  let counts = '';
  try {
    const rng = seeded(79);
    let current = stored;
    for (let i = 0; i < (opts.quick ? 2 : 4); i++) {
      const { next } = edited(current, rng, 0.01);
      const placed = (await core.handlers['annotations.list']({ documentId }, BENCH_CLIENT)).annotations.filter((a) => a.anchor.status !== 'orphan');
      let t0 = performance.now();
      reanchor(current, next, placed.map((a) => ({ id: a.id, position: { type: 'TextPositionSelector', start: a.anchor.start, end: a.anchor.end }, quote: a.quote })));
      engine.push(performance.now() - t0);
      t0 = performance.now();
      const preview = await core.handlers['documents.previewReplace']({ documentId, requestId: randomUUID(), fileName: 'new version.txt', content: Buffer.from(next).toString('base64') }, BENCH_CLIENT);
      previews.push(performance.now() - t0);
      counts = Object.entries(preview.counts).map(([k, v]) => `${v.toLocaleString('en')} ${k}`).join(', ');
      t0 = performance.now();
      await core.handlers['documents.replaceText']({ token: preview.token }, BENCH_CLIENT);
      applies.push(performance.now() - t0);
      current = plainText((await core.handlers['documents.get']({ documentId }, BENCH_CLIENT)).blocks);
      if (current !== next.split(/\n{2,}/).join('\n\n')) throw new Error('the document does not hold the new version');
    }
  } finally {
    await core.close();
  }
  detail(`through the API, ${count.toLocaleString('en')} passages, a 1% edit: documents.previewReplace (file read in the worker, then re-anchored) ${spread(previews)}; documents.replaceText (committed) ${spread(applies)}; last outcomes: ${counts}`);
  detail(`the engine alone on the same texts: ${spread(engine)}`);
  const waited = median(previews) + median(applies);
  return { goal: `New version of a text with ${count.toLocaleString('en')} passages: preview + apply, API`, target: '≤ 1 s median', measured: `${ms(waited)} (${ms(median(previews))} + ${ms(median(applies))})`, baseline: `${ms(median(engine))} (the engine alone)`, ratio: waited / median(engine), pass: waited <= 1000 };
}
