import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { buildDoc } from '../../shared/schema';
import { blockAtOffset, indexDoc, offsetToPos, posToOffset } from '../../shared/positions';
import { plainText } from '../../shared/plain-text';
import { describeRange, anchor } from '../../shared/anchoring';
import { readCorpus } from '../../main/core/corpus';
import type { Block } from '../../shared/model';
import { h, meta, p, quote, ul } from '../support/project';

const hostile = [
  'Emoji 👩‍👩‍👧‍👦 family, flags 🇰🇵🇰🇷, skin 👋🏽 and astral 𝔘𝔫𝔦𝔠𝔬𝔡𝔢.',
  'CJK 북한 탈북자 가족 — 朝鲜脱北者的家人 — 北朝鮮の脱北者家族.',
  'Combining: e\u0301 a\u0308 n\u0303 Z\u0351\u0352\u0353 and Hangul jamo \u1100\u1161\u11a8.',
  'RTL: العائلات في كوريا الشمالية and עברית with \u200f marks \u202e override \u202c.',
  'Zero-width: a\u200bb\u200cc\u200dd\ufeffe, lone surrogate-free, NBSP\u00a0here, tab\there.',
  '',
];

function docOf(blocks: Block[], title = 'T') {
  return buildDoc(meta(title), blocks);
}

/** Every offset of the plain text maps to a position that maps back to it. */
function expectRoundTrip(title: string, blocks: Block[]): void {
  const doc = docOf(blocks, title);
  const index = indexDoc(doc);
  // The title is shown (an atom), but it is metadata: the plain text is the body's alone.
  expect(index.text).toBe(plainText(blocks));
  for (let i = 0; i < index.spans.length; i++) {
    const span = index.spans[i]!;
    for (let off = span.start; off <= span.end; off++) {
      const pos = offsetToPos(index, off);
      expect(posToOffset(index, pos)).toBe(off);
      // The characters at the position are the characters at the offset.
      if (off < span.end) expect(doc.textBetween(pos, pos + 1)).toBe(index.text[off]);
    }
  }
}

describe('plain-text offsets and ProseMirror positions', () => {
  it('round-trip on hostile Unicode, in every kind of block', () => {
    expectRoundTrip(hostile[0]!, [p(hostile[1]!), h(hostile[2]!, 2), quote(p(hostile[3]!), p(hostile[4]!)), ul([p(hostile[5]!)], [p('x'), quote(p('nested 🧵'))])]);
  });

  it('round-trip on every corpus article, every offset of it', async () => {
    const articles = await readCorpus(path.resolve('corpus'));
    expect(articles.length).toBe(5);
    for (const a of articles) expectRoundTrip(a.meta.title, a.blocks);
  });

  it('resolves offsets in a separator by bias', () => {
    const index = indexDoc(docOf([p('ab'), p('cd')], 'T'));
    // "ab\n\ncd" (the title is not text): offset 2 ends "ab", 3 is inside the separator, 4 starts "cd".
    expect(index.text).toBe('ab\n\ncd');
    expect(blockAtOffset(index, 2, 1)).toBe(0);
    expect(blockAtOffset(index, 3, 1)).toBe(1);
    expect(blockAtOffset(index, 3, -1)).toBe(0);
    expect(posToOffset(index, offsetToPos(index, 3, 1))).toBe(4);
    expect(posToOffset(index, offsetToPos(index, 3, -1))).toBe(2);
  });

  it('maps the title and byline atoms and structural positions to block edges', () => {
    const doc = docOf([p('xy'), quote(p('abc'))], 'Title');
    const index = indexDoc(doc);
    expect(index.text).toBe('xy\n\nabc');
    // Offset 0 is the body's first character, after the title and byline atoms.
    const first = offsetToPos(index, 0);
    expect(doc.nodeAt(0)!.type.name).toBe('title');
    expect(doc.nodeAt(1)!.type.name).toBe('byline');
    expect(first).toBe(3);
    expect(doc.textBetween(first, first + 1)).toBe('x');
    // Positions at the atoms, before any text, are offset 0 whichever the bias.
    for (let pos = 0; pos <= first; pos++) {
      expect(posToOffset(index, pos, 1)).toBe(0);
      expect(posToOffset(index, pos, -1)).toBe(0);
    }
    const quoteStart = offsetToPos(index, index.spans[1]!.start) - 2;
    expect(posToOffset(index, quoteStart, 1)).toBe(index.spans[1]!.start);
    expect(posToOffset(index, quoteStart, -1)).toBe(index.spans[0]!.end);
  });
});

describe('selectors survive the trip through the viewer', () => {
  it('a range described by selectors anchors exactly at the same offsets on hostile text', () => {
    const text = plainText(hostile.map((t) => p(t)));
    for (let s = 0; s < text.length; s += 7) {
      const e = Math.min(text.length, s + 23);
      const { position, quote: q } = describeRange(text, s, e);
      expect(anchor(text, position, q)).toEqual({ status: 'exact', start: s, end: e });
    }
  });
});

/** A tiny seeded PRNG, so a failing tree can be reproduced from its seed. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

function randomBlocks(rand: () => number, depth: number): Block[] {
  const pieces = ['', 'a', 'word', '😀', 'e\u0301', '北', 'שלום', ' ', '\u00a0x'];
  const text = (): string => Array.from({ length: Math.floor(rand() * 4) }, () => pieces[Math.floor(rand() * pieces.length)]!).join('');
  return Array.from({ length: Math.floor(rand() * 4) }, (): Block => {
    const r = rand();
    if (depth > 2 || r < 0.4) return p(text());
    if (r < 0.55) return h(text(), 2);
    if (r < 0.75) return quote(...randomBlocks(rand, depth + 1));
    return { type: 'list', ordered: rand() < 0.5, items: Array.from({ length: Math.floor(rand() * 3) }, () => randomBlocks(rand, depth + 1)) };
  });
}

describe('viewer document and plain text agree on any block tree', () => {
  it('on 500 random trees, including empty quotes, empty lists and items that start with a list', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const blocks = randomBlocks(rng(seed), 0);
      const doc = buildDoc(meta('T'), blocks);
      expect(indexDoc(doc).text, `seed ${seed}`).toBe(plainText(blocks));
    }
  });
  it('on the shapes that once disagreed', () => {
    for (const blocks of [[quote()], [ul([])], [ul([ul([p('x')])])], [{ type: 'list', ordered: true, items: [] } as Block]]) {
      expect(indexDoc(buildDoc(meta('T'), blocks)).text).toBe(plainText(blocks));
    }
  });
});
