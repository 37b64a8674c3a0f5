/**
 * Re-anchoring after a new version of a text (issue goal: 10,000 passages after a 1% edit of a
 * 1 MB text in ≤ 1 s). A synthetic 1 MB article with 10,000 passages is edited at random word
 * boundaries (insertions and deletions of a few words, with a fixed seed) until 1% of its
 * characters changed, and every passage is re-anchored (main/core/reanchor.ts: the diff of the
 * two texts, then each passage's stages). Baseline, in the same run: the naive re-anchoring
 * that many tools do, each passage's quote looked up with `indexOf` in the new text (no context,
 * no diff, no fuzzy stage) — the floor any real re-anchoring stands on.
 */
import { reanchor } from '../main/core/reanchor';
import { describeRange } from '../shared/anchoring';
import { article, between, seeded } from './data';
import { detail, median, ms, section, spread, type GoalRow } from './report';

export async function reanchorBench(opts: { quick: boolean }): Promise<GoalRow[]> {
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
  let next = text;
  let changed = 0;
  while (changed < text.length * 0.01) {
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
  return [{ goal: `Re-anchor ${what}`, target: '≤ 1 s median', measured: ms(m), baseline: `${ms(median(naive))} (indexOf)`, ratio: m / median(naive), pass: m <= 1000 }];
}
