/**
 * Synthetic data for the benchmarks: articles, passages, codebooks and stored annotations, all
 * from a seeded generator so that every run measures the same work. Pure TypeScript: the browser
 * page and the Node side both import it. Nothing generated here is ever committed.
 */
import { describeRange, snapToCodePoints } from '../shared/anchoring';
import type { Annotation, Block, Code, DocumentMeta } from '../shared/model';
import { plainText, textblockSpans, textblockTexts, type TextblockSpan } from '../shared/plain-text';

/** A seeded pseudo-random generator (mulberry32): numbers in [0, 1). */
export type Rng = () => number;

export function seeded(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [min, max]. */
export function between(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[Math.floor(rng() * list.length)]!;
}

/** A version-4 UUID drawn from `rng` (stored annotations need real UUIDs). */
export function uuid(rng: Rng): string {
  const hex: string[] = [];
  for (let i = 0; i < 16; i++) {
    let byte = Math.floor(rng() * 256);
    if (i === 6) byte = (byte & 0x0f) | 0x40;
    if (i === 8) byte = (byte & 0x3f) | 0x80;
    hex.push(byte.toString(16).padStart(2, '0'));
  }
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// Mostly English prose with the non-ASCII a real corpus holds: accents, typographic
// punctuation, Korean and Chinese names, and astral characters (surrogate pairs).
const WORDS = (
  'the of and to in a that is was for on with as by it from at his her they said government families ' +
  'defectors border officials interrogation reported according state security province village market ' +
  'relatives children mother father brother sister interview source phone call money broker China river ' +
  'winter night police ministry records list punishment camp release arrest warning neighbours letter'
).split(' ');
const RARE = ['café', 'naïve', 'Straße', '—', '“quoted”', 'Pyongyang (평양)', '北朝鮮', 'Hyesan (혜산시)', '…', 'Zoë', '📞', '𝄞', 'résumé', '«non»'];

function sentence(rng: Rng): string {
  const n = between(rng, 8, 26);
  const words: string[] = [];
  for (let i = 0; i < n; i++) words.push(rng() < 0.04 ? pick(rng, RARE) : pick(rng, WORDS));
  const s = words.join(' ');
  return `${s.charAt(0).toUpperCase()}${s.slice(1)}.`;
}

function prose(rng: Rng, min: number, max: number): string {
  const target = between(rng, min, max);
  let text = sentence(rng);
  while (text.length < target) text += ` ${sentence(rng)}`;
  // Never end on half a surrogate pair.
  return text.slice(0, max).replace(/[\ud800-\udbff]$/, '').trimEnd();
}

const paragraph = (rng: Rng, min = 200, max = 1500): Block => ({ type: 'paragraph', text: prose(rng, min, max) });

function block(rng: Rng): Block {
  const r = rng();
  if (r < 0.07) return { type: 'heading', level: between(rng, 1, 3) as 1 | 2 | 3, text: prose(rng, 20, 80).replace(/\.$/, '') };
  if (r < 0.15) return { type: 'blockquote', children: Array.from({ length: between(rng, 1, 3) }, () => paragraph(rng)) };
  if (r < 0.23) {
    const items = Array.from({ length: between(rng, 2, 6) }, () => {
      const item: Block[] = [paragraph(rng, 40, 400)];
      if (rng() < 0.15) item.push({ type: 'list', ordered: false, items: [[paragraph(rng, 40, 200)], [paragraph(rng, 40, 200)]] });
      return item;
    });
    return { type: 'list', ordered: rng() < 0.5, items };
  }
  return paragraph(rng);
}

/** A synthetic article and its canonical plain text. */
export interface SyntheticArticle {
  meta: DocumentMeta;
  blocks: Block[];
  text: string;
  /** Textblock spans of `text` (the body's textblocks; the title is metadata, not text). */
  spans: TextblockSpan[];
}

/** An article of at least `chars` UTF-16 code units of plain text. */
export function article(rng: Rng, chars: number, title = 'A synthetic article about families — 가족'): SyntheticArticle {
  const meta: DocumentMeta = { title, publication: 'Bench Daily', author: 'Synthetic Writer', date: '2024-05-01', url: '' };
  const blocks: Block[] = [];
  let length = 0;
  while (length < chars) {
    const b = block(rng);
    blocks.push(b);
    length += textblockTexts([b]).reduce((n, t) => n + t.length + 2, 0);
  }
  const text = plainText(blocks);
  return { meta, blocks, text, spans: textblockSpans(textblockTexts(blocks)) };
}

/** The codebook used everywhere in the benchmarks: two trees and some top-level codes; each code's colour slot is its index. */
export function benchCodes(): Code[] {
  let slot = 0;
  const c = (id: string, name: string, color: string, parentId: string | null = null): Code => ({ id, name, color, description: '', parentId, slot: slot++ });
  return [
    c('repression', 'Repression tactic', '#c0392b'),
    c('repression.interrogation', 'Interrogation', '#e67e22', 'repression'),
    c('repression.surveillance', 'Surveillance', '#d4ac0d', 'repression'),
    c('contact', 'Contact with defector', '#27ae60'),
    c('contact.money', 'Remittance', '#16a085', 'contact'),
    c('emotion', 'Emotion', '#2980b9'),
    c('source', 'Source type', '#8e44ad'),
    c('place', 'Place', '#7f8c8d'),
  ];
}

/** A passage as the viewer draws it (the shape of `HighlightPassage`). */
export interface BenchPassage {
  id: string;
  start: number;
  end: number;
  /** Colour slots (here: codebook indices) of the passage's codes (some have two, a few none). */
  colors: number[];
  label: string;
}

/**
 * `count` passages over `text`: mostly inside one block, some spanning several blocks, and some
 * nested in or overlapping an earlier passage, with random codes.
 */
export function passages(rng: Rng, text: string, count: number, codes: readonly Code[]): BenchPassage[] {
  const out: BenchPassage[] = [];
  const make = (start: number, end: number): void => {
    const r = snapToCodePoints(text, start, Math.min(end, text.length));
    if (r.end <= r.start) return;
    const roll = rng();
    const colors = roll < 0.02 ? [] : roll < 0.22 ? [between(rng, 0, codes.length - 1), between(rng, 0, codes.length - 1)] : [between(rng, 0, codes.length - 1)];
    out.push({ id: `p${out.length}`, start: r.start, end: r.end, colors, label: colors.length ? colors.map((c) => codes[c]!.name).join(', ') : 'No codes' });
  };
  // Bounded: every iteration either adds a passage or fails on an empty range, which is rare.
  for (let tries = 0; out.length < count && tries < count * 4; tries++) {
    const r = rng();
    const base = out.length > 0 ? out[between(rng, 0, out.length - 1)]! : null;
    if (base && r < 0.1 && base.end - base.start > 20) {
      const s = between(rng, base.start, base.end - 10);
      make(s, between(rng, s + 5, base.end));
    } else if (base && r < 0.2) {
      const s = between(rng, base.start, base.end - 1);
      make(s, base.end + between(rng, 20, 300));
    } else if (r < 0.27) {
      const s = between(rng, 0, text.length - 1);
      make(s, s + between(rng, 1000, 6000));
    } else {
      const s = between(rng, 0, text.length - 1);
      make(s, s + between(rng, 15, 600));
    }
  }
  return out;
}

/** The coder every synthetic annotation names (listed in the synthetic project's coders). */
export const BENCH_CODER = { id: 'bench-coder', name: 'Bench Coder', initials: 'BC', color: '#2980b9' } as const;

/** A stored annotation over `text[start, end)`, with one code (sometimes two). */
export function annotation(rng: Rng, documentId: string, textHash: string, text: string, start: number, end: number, codes: readonly Code[]): Annotation {
  const r = snapToCodePoints(text, start, end);
  const codeIds = [pick(rng, codes).id];
  if (rng() < 0.15) codeIds.push(pick(rng, codes).id);
  const at = new Date(Date.UTC(2024, 0, 1) + Math.floor(rng() * 3e10)).toISOString();
  return {
    id: uuid(rng),
    documentId,
    textHash,
    ...describeRange(text, r.start, r.end),
    codeIds: [...new Set(codeIds)],
    memo: rng() < 0.3 ? prose(rng, 20, 200) : '',
    coderId: BENCH_CODER.id,
    created: at,
    modified: at,
    rev: 0,
  };
}

/** `count` annotations over a document's text (passage lengths `lengths`, by default 15–300). */
export function annotations(rng: Rng, documentId: string, textHash: string, text: string, count: number, codes: readonly Code[], lengths: readonly [number, number] = [15, 300]): Annotation[] {
  const out: Annotation[] = [];
  for (let i = 0; i < count; i++) {
    const s = between(rng, 0, Math.max(0, text.length - 20));
    out.push(annotation(rng, documentId, textHash, text, s, Math.min(text.length, s + between(rng, lengths[0], lengths[1])), codes));
  }
  return out;
}

// The large codebook's vocabulary: themes, the aspects their children name, and the settings
// their grandchildren add. Words recur across branches ("network", "border", "contact"), as in
// a real codebook, so a filter matches many codes in many places.
const THEMES = [
  'Family separation', 'State surveillance', 'Border crossing', 'Money and remittances', 'Phone contact', 'Punishment',
  'Interrogation', 'Informant networks', 'Market life', 'Religious practice', 'Food and health', 'Schooling',
  'Work units', 'Housing', 'Travel permits', 'Media and rumours (소문)', 'Emotions', 'Memory and loss', 'Resettlement', 'Source type',
];
const ASPECTS = [
  'Pressure', 'Network', 'Contact', 'Rumour', 'Fear', 'Payment', 'Records', 'Warning', 'Visit', 'Letter', 'Broker', 'Arrest',
  'Release', 'Bribe', 'Trust', 'Shame', 'Hope', 'Duty', 'Escape', 'Reunion', 'Silence', 'Protest', 'Résumé of events', 'Neighbours',
];
const SETTINGS = [
  'at the border', 'in the village', 'by phone', 'in the market', 'at work', 'at school', 'in custody', 'in China', 'in the city',
  'through a broker', 'within the family', 'among neighbours', 'after release', 'before leaving', 'in letters', 'online', 'in the camp',
  'at night', 'in winter', 'via the network', 'with officials', 'in Hyesan (혜산시)', 'abroad', 'in the ministry records',
];

/**
 * A codebook of `themes × (1 + children × (1 + grandchildren))` codes (20 × 7 × 6 by default:
 * 1,000): top-level themes, each with children named by an aspect ("Network", "Fear") and
 * grandchildren adding a setting ("Network at the border"). Sibling names are unique; names
 * recur across branches. Colours cycle through `palette`, slots are list positions, the first
 * nine themes have the digit keys, and every third code has a definition.
 */
export function treeCodebook(rng: Rng, palette: readonly string[], shape = { themes: 20, children: 7, grandchildren: 6 }): Code[] {
  const out: Code[] = [];
  const add = (name: string, parentId: string | null): Code => {
    const slot = out.length;
    const code: Code = {
      id: `code-${String(slot).padStart(4, '0')}`,
      name,
      color: palette[slot % palette.length]!,
      description: slot % 3 === 0 ? prose(rng, 40, 160) : '',
      parentId,
      slot,
    };
    out.push(code);
    return code;
  };
  /** `n` distinct picks of `list`. */
  const distinct = (list: readonly string[], n: number): string[] => {
    const pool = [...list];
    const picked: string[] = [];
    while (picked.length < n && pool.length) picked.push(pool.splice(Math.floor(rng() * pool.length), 1)[0]!);
    return picked;
  };
  for (let t = 0; t < shape.themes; t++) {
    const theme = add(THEMES[t % THEMES.length]! + (t >= THEMES.length ? ` ${Math.floor(t / THEMES.length) + 1}` : ''), null);
    if (t < 9) theme.shortcut = String(t + 1);
    for (const aspect of distinct(ASPECTS, shape.children)) {
      const child = add(aspect, theme.id);
      for (const setting of distinct(SETTINGS, shape.grandchildren)) add(`${aspect} ${setting}`, child.id);
    }
  }
  return out;
}
