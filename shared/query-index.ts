import type { PlacedAnnotation } from './model';

/**
 * An index of one snapshot of a project's passages, for running queries over all of them at
 * once: which passages carry each code, which are in each document, which have none, kept per
 * document (DocumentPostings). A query's
 * terms become bit sets over the passages' positions (one bit a passage), combined word by word
 * for AND, OR and NOT; only terms no index answers (words, dates, relations) look at passages
 * one by one. At 100,000 passages a bit set is 3,125 words.
 */
/**
 * One document's passages, indexed: the positions (within the document's list) of the passages
 * of each code, and of those without any. Kept by the caller while the list is the same, so that
 * after a change only the documents it touched are indexed again.
 */
export class DocumentPostings {
  private byCode: Map<string, number[]> | null = null;
  private none: number[] | null = null;

  constructor(readonly passages: readonly PlacedAnnotation[]) {}

  /** The positions of the passages carrying `codeId`. */
  withCode(codeId: string): readonly number[] {
    if (!this.byCode) {
      const byCode = new Map<string, number[]>();
      this.passages.forEach((p, i) => {
        for (const c of p.codeIds) {
          let list = byCode.get(c);
          if (!list) byCode.set(c, (list = []));
          list.push(i);
        }
      });
      this.byCode = byCode;
    }
    return this.byCode.get(codeId) ?? [];
  }

  /** The positions of the passages without any code. */
  uncoded(): readonly number[] {
    if (!this.none) this.none = this.passages.flatMap((p, i) => (p.codeIds.length === 0 ? [i] : []));
    return this.none;
  }
}

/** A run of the index's passages that are one document's. */
interface Segment {
  documentId: string;
  from: number;
  postings: DocumentPostings;
}

export class PassageIndex {
  readonly size: number;
  readonly passages: readonly PlacedAnnotation[];
  private readonly segments: Segment[] = [];

  /**
   * The index of `documents`' passages, one document after another; `postings` are each
   * document's, when the caller keeps them (made here otherwise).
   */
  static of(documents: readonly { documentId: string; postings: DocumentPostings }[]): PassageIndex {
    const passages: PlacedAnnotation[] = [];
    const segments: Segment[] = [];
    for (const d of documents) {
      segments.push({ documentId: d.documentId, from: passages.length, postings: d.postings });
      for (const p of d.postings.passages) passages.push(p);
    }
    return new PassageIndex(passages, segments);
  }

  /** The index of `passages` in any order (runs of one document's make a segment each). */
  constructor(passages: readonly PlacedAnnotation[], segments?: Segment[]) {
    this.passages = passages;
    this.size = passages.length;
    if (segments) this.segments = segments;
    else {
      for (let i = 0; i < passages.length; ) {
        let j = i;
        while (j < passages.length && passages[j]!.documentId === passages[i]!.documentId) j++;
        this.segments.push({ documentId: passages[i]!.documentId, from: i, postings: new DocumentPostings(passages.slice(i, j)) });
        i = j;
      }
    }
  }

  private empty(): Uint32Array {
    return new Uint32Array((this.size + 31) >>> 5);
  }

  /** The passages carrying any of `codeIds`. */
  withCodes(codeIds: ReadonlySet<string>): Uint32Array {
    const bits = this.empty();
    for (const s of this.segments) {
      for (const c of codeIds) {
        for (const local of s.postings.withCode(c)) {
          const i = s.from + local;
          bits[i >>> 5]! |= 1 << (i & 31);
        }
      }
    }
    return bits;
  }

  /** The passages in any of `documentIds`. */
  inDocuments(documentIds: ReadonlySet<string>): Uint32Array {
    const bits = this.empty();
    for (const s of this.segments) {
      if (!documentIds.has(s.documentId)) continue;
      for (let i = s.from, end = s.from + s.postings.passages.length; i < end; i++) bits[i >>> 5]! |= 1 << (i & 31);
    }
    return bits;
  }

  /** The passages without any code. */
  uncoded(): Uint32Array {
    const bits = this.empty();
    for (const s of this.segments) {
      for (const local of s.postings.uncoded()) {
        const i = s.from + local;
        bits[i >>> 5]! |= 1 << (i & 31);
      }
    }
    return bits;
  }

  /** The passages `test` keeps, asked one by one. */
  scan(test: (p: PlacedAnnotation) => boolean): Uint32Array {
    const bits = this.empty();
    for (let i = 0; i < this.size; i++) if (test(this.passages[i]!)) bits[i >>> 5]! |= 1 << (i & 31);
    return bits;
  }
}

export function intersect(sets: readonly Uint32Array[]): Uint32Array {
  const out = sets[0]!.slice();
  for (const s of sets.slice(1)) for (let w = 0; w < out.length; w++) out[w]! &= s[w]!;
  return out;
}

export function unite(sets: readonly Uint32Array[]): Uint32Array {
  const out = sets[0]!.slice();
  for (const s of sets.slice(1)) for (let w = 0; w < out.length; w++) out[w]! |= s[w]!;
  return out;
}

/** Every passage not in `bits`, of `size` passages. */
export function complement(bits: Uint32Array, size: number): Uint32Array {
  const out = new Uint32Array(bits.length);
  for (let w = 0; w < bits.length; w++) out[w] = ~bits[w]!;
  // Bits past the last passage stay clear.
  if (size & 31) out[out.length - 1]! &= (1 << (size & 31)) - 1;
  return out;
}

/** The positions of the set bits, in order. */
export function positionsOf(bits: Uint32Array): number[] {
  const out: number[] = [];
  for (let w = 0; w < bits.length; w++) {
    let word = bits[w]!;
    while (word !== 0) {
      const low = word & -word;
      out.push((w << 5) + 31 - Math.clz32(low));
      word ^= low;
    }
  }
  return out;
}
