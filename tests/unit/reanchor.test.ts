import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { OffsetMap, diffTexts, reanchor, type Reanchored } from '../../main/core/reanchor';
import { describeRange } from '../../shared/anchoring';

// The re-anchoring regression suite: realistic edits of a coded text, each with the outcome a
// careful reader expects. The rule under test: every passage lands on its own words (perhaps
// edited) or is flagged — never silently on other words.

const P1 = 'Defectors say the state punishes the families they leave behind. Relatives are questioned, watched and sometimes sent away.';
const P2 = 'In 2011 a woman in Hyesan was interrogated for three days after her son crossed the river. "They wanted the names of the brokers," she said.';
const P3 = 'Officials who once shunned these families now ask them for money. Remittances have changed who has standing in a village.';
const P4 = 'A second-hand report, which could not be verified, said that relatives were sent away. Relatives are questioned, watched and sometimes sent away.';
const TEXT = [P1, P2, P3, P4].join('\n\n');

/** A passage on the `nth` occurrence of `words` in `text`. */
function passage(text: string, words: string, nth = 0) {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(words, at + 1);
  if (at < 0) throw new Error(`"${words}" is not in the text`);
  return { id: randomUUID(), ...describeRange(text, at, at + words.length) };
}

/** Re-anchors passages on `words` after `edit`; returns each outcome with the words it lands on. */
function after(edit: (t: string) => string, ...targets: (string | [string, number])[]) {
  const passages = targets.map((t) => (typeof t === 'string' ? passage(TEXT, t) : passage(TEXT, t[0], t[1])));
  const next = edit(TEXT);
  const out = reanchor(TEXT, next, passages);
  // Wherever a passage lands, the words reported are the words there.
  for (const r of out) if (r.status !== 'orphaned') expect(next.slice(r.start, r.end)).toBe(r.newText);
  return { out, next };
}
const summary = (r: Reanchored) => [r.status, r.newText];

describe('re-anchoring after realistic edits', () => {
  it('leaves passages where nothing changed, and moves those after an edit by its length', () => {
    const { out } = after((t) => t.replace('Hyesan', 'Hyesan, Ryanggang province,'), 'the state punishes', 'Officials who once shunned');
    expect(out.map(summary)).toEqual([
      ['unchanged', 'the state punishes'],
      ['moved', 'Officials who once shunned'],
    ]);
  });

  it('shows a typo fixed inside a passage as changed, with its old and new words', () => {
    const text = TEXT.replace('interrogated', 'interogated');
    const p = passage(text, 'was interogated for three days');
    const [r] = reanchor(text, TEXT, [p]);
    expect(r).toMatchObject({ status: 'changed', oldText: 'was interogated for three days', newText: 'was interrogated for three days' });
    expect(r!.score).toBeGreaterThan(0.95);
  });

  it('takes words inserted or deleted inside a passage into it, and words at its edges not', () => {
    const inside = after((t) => t.replace('questioned, watched', 'questioned for hours, watched'), 'Relatives are questioned, watched and sometimes sent away.');
    expect(inside.out.map(summary)).toEqual([['changed', 'Relatives are questioned for hours, watched and sometimes sent away.']]);
    const deleted = after((t) => t.replace(' for three days', ''), 'was interrogated for three days after her son');
    expect(deleted.out.map(summary)).toEqual([['changed', 'was interrogated after her son']]);
    const edges = after((t) => t.replace('Remittances have changed', 'Indeed, remittances have changed'), 'have changed who has standing');
    expect(edges.out.map(summary)).toEqual([['moved', 'have changed who has standing']]);
  });

  it('follows paragraphs inserted, deleted, reordered, split and merged', () => {
    const inserted = after((t) => `A new opening paragraph.\n\n${t}`, 'the state punishes');
    expect(inserted.out.map(summary)).toEqual([['moved', 'the state punishes']]);

    const removed = after((t) => t.replace(`${P3}\n\n`, ''), 'Officials who once shunned', 'could not be verified');
    expect(removed.out.map(summary)).toEqual([
      ['orphaned', null],
      ['moved', 'could not be verified'],
    ]);

    const reordered = after(() => [P3, P1, P2, P4].join('\n\n'), 'the state punishes', 'ask them for money');
    expect(reordered.out.map(summary)).toEqual([
      ['moved', 'the state punishes'],
      ['moved', 'ask them for money'],
    ]);

    const split = after((t) => t.replace('three days after', 'three days.\n\nAfter'), 'interrogated for three days after her son');
    expect(split.out.map((r) => r.status)).toEqual(['changed']);
    expect(split.out[0]!.newText).toBe('interrogated for three days.\n\nAfter her son');

    const merged = after((t) => t.replace(`${P2}\n\n${P3}`, `${P2} ${P3}`), 'Officials who once shunned');
    expect(merged.out.map(summary)).toEqual([['moved', 'Officials who once shunned']]);
  });

  it('finds passages through white space and quote marks made typographic', () => {
    const { out } = after((t) => t.replace('"They wanted the names of the brokers,"', '“They wanted the names of the brokers,”').replace('questioned, watched', 'questioned,  watched'), '"They wanted the names of the brokers," she said.', 'Relatives are questioned, watched');
    expect(out.map((r) => r.status)).toEqual(['changed', 'changed']);
    expect(out[0]!.newText).toBe('“They wanted the names of the brokers,” she said.');
    expect(out[0]!.score).toBeGreaterThan(0.9);
    expect(out[1]!.newText).toBe('Relatives are questioned,  watched');
  });

  it('keeps a passage on its own occurrence of a sentence the text repeats', () => {
    const repeated = 'Relatives are questioned, watched and sometimes sent away.';
    const first = passage(TEXT, repeated, 0);
    const second = passage(TEXT, repeated, 1);
    const next = TEXT.replace('Defectors say', 'Many defectors say').replace('A second-hand report', 'One second-hand report');
    const [a, b] = reanchor(TEXT, next, [first, second]);
    expect(a).toMatchObject({ status: 'moved', start: next.indexOf(repeated) });
    expect(b).toMatchObject({ status: 'moved', start: next.lastIndexOf(repeated) });
  });

  it('orphans a coded sentence deleted outright, even though the same words are elsewhere', () => {
    const repeated = 'Relatives are questioned, watched and sometimes sent away.';
    // The second occurrence goes; its passage must not jump onto the first one.
    const second = passage(TEXT, repeated, 1);
    const at = TEXT.lastIndexOf(` ${repeated}`);
    const next = TEXT.slice(0, at) + TEXT.slice(at + repeated.length + 1);
    expect(next.indexOf(repeated)).toBeGreaterThanOrEqual(0);
    const [r] = reanchor(TEXT, next, [second]);
    expect(r!.status).toBe('orphaned');
  });

  it('orphans a passage whose words were replaced by others', () => {
    const { out } = after((t) => t.replace('Officials who once shunned these families now ask them for money.', 'Nothing is known of what officials do.'), 'Officials who once shunned these families');
    expect(out.map((r) => r.status)).toEqual(['orphaned']);
  });

  it('is exact on a text that did not change, and on an empty passage list', () => {
    const ps = ['the state punishes', 'brokers', 'standing in a village'].map((w) => passage(TEXT, w));
    expect(reanchor(TEXT, TEXT, ps).map((r) => r.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
    expect(reanchor(TEXT, `${TEXT} more`, [])).toEqual([]);
  });
});

describe('mapping offsets through a diff', () => {
  it('maps every offset of an unchanged stretch, and ends before text inserted right after them', () => {
    const map = new OffsetMap(diffTexts('abc def ghi', 'abc XX def ghi YY'));
    expect(map.map(4, 'start')).toBe(7);
    expect(map.map(7, 'end')).toBe(10);
    expect(map.map(11, 'end')).toBe(14);
    expect(map.kept(4)).toBe(true);
  });
  it('sends offsets inside deleted text to where it was', () => {
    const map = new OffsetMap(diffTexts('abc def ghi', 'abc ghi'));
    expect(map.map(5, 'start')).toBe(4);
    expect(map.kept(5)).toBe(false);
    expect(map.map(8, 'start')).toBe(4);
  });
});

describe('re-anchoring, generated edits of a real article', () => {
  /** A fixed-seed generator (mulberry32). */
  function rng(seed: number): () => number {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  /** Edits `text` at random places outside `keep` ranges (or only inside them); returns the new text and where each range went. */
  function edit(text: string, keep: { start: number; end: number }[], random: () => number, inside: boolean) {
    // Edit points, each a word boundary, from the end so that earlier offsets stay valid.
    const spaces = [...text.matchAll(/ /g)].map((m) => m.index!);
    const within = (at: number) => keep.some((k) => at > k.start && at < k.end - 1);
    // A deletion takes up to 4 characters after its point: none of them may be a passage's.
    const nearEdge = (at: number) => keep.some((k) => (k.start >= at - 1 && k.start <= at + 6) || (k.end >= at - 1 && k.end <= at + 6));
    const points = spaces.filter((at) => (inside ? within(at) : !within(at) && !nearEdge(at))).filter(() => random() < 0.05);
    let next = text;
    const ranges = keep.map((k) => ({ ...k }));
    for (const at of points.sort((a, b) => b - a)) {
      const insert = random() < 0.5;
      const words = insert ? ' inserted words' : '';
      const cut = insert ? 0 : Math.min(4, next.indexOf(' ', at + 1) < 0 ? 0 : next.indexOf(' ', at + 1) - at);
      next = next.slice(0, at) + words + next.slice(at + cut);
      const delta = words.length - cut;
      for (const r of ranges) {
        if (r.start >= at + cut) r.start += delta;
        if (r.end >= at + cut) r.end += delta;
        else if (r.end > at) r.end = Math.max(r.start, r.end + delta);
      }
    }
    return { next, ranges };
  }

  it('puts every passage untouched by the edits exactly where its words went', async () => {
    const { readCorpus } = await import('../../main/core/corpus');
    const { plainText } = await import('../../shared/plain-text');
    const articles = await readCorpus('corpus');
    for (const [n, article] of articles.entries()) {
      const text = plainText(article.blocks);
      const random = rng(1000 + n);
      const keep = Array.from({ length: 40 }, () => {
        const start = Math.floor(random() * (text.length - 80));
        return { start, end: start + 10 + Math.floor(random() * 60) };
      }).sort((a, b) => a.start - b.start).filter((r, i, all) => i === 0 || r.start > all[i - 1]!.end + 2);
      const { next, ranges } = edit(text, keep, random, false);
      const out = reanchor(text, next, keep.map((k) => ({ id: randomUUID(), ...describeRange(text, k.start, k.end) })));
      out.forEach((r, i) => {
        expect(r.status === 'unchanged' || r.status === 'moved', `${article.id} #${i}: ${r.status}`).toBe(true);
        expect([r.start, r.end], `${article.id} #${i}`).toEqual([ranges[i]!.start, ranges[i]!.end]);
      });
    }
  });

  it('flags every passage edited inside as changed, over its own words, never moved elsewhere', async () => {
    const { readCorpus } = await import('../../main/core/corpus');
    const { plainText } = await import('../../shared/plain-text');
    const articles = await readCorpus('corpus');
    let changed = 0;
    for (const [n, article] of articles.entries()) {
      const text = plainText(article.blocks);
      const random = rng(2000 + n);
      const keep = Array.from({ length: 30 }, () => {
        const start = Math.floor(random() * (text.length - 200));
        return { start, end: start + 80 + Math.floor(random() * 100) };
      }).sort((a, b) => a.start - b.start).filter((r, i, all) => i === 0 || r.start > all[i - 1]!.end + 2);
      const { next, ranges } = edit(text, keep, random, true);
      const out = reanchor(text, next, keep.map((k) => ({ id: randomUUID(), ...describeRange(text, k.start, k.end) })));
      out.forEach((r, i) => {
        const truth = ranges[i]!;
        if (next.slice(truth.start, truth.end) === text.slice(keep[i]!.start, keep[i]!.end)) return;
        changed++;
        expect(r.status, `${article.id} #${i}`).toBe('changed');
        // On its own words: most of what it covers is where the edited passage is.
        const overlap = Math.min(r.end!, truth.end) - Math.max(r.start!, truth.start);
        expect(overlap / (truth.end - truth.start), `${article.id} #${i}`).toBeGreaterThan(0.8);
      });
    }
    expect(changed).toBeGreaterThan(20);
  });
});
