import { describe, expect, it } from 'vitest';
import type { PlacedAnnotation } from '../../shared/model';
import { compareAnnotations } from '../../shared/order';
import { diffInOrder } from '../../renderer/list-diff';
import { atRange, putPassage, removePassage, splitPassages, upsert, type PassageLists } from '../../renderer/passages';

// The open document's passages in the UI state: kept in text order, orphans apart, every change
// saying what it changed; and the walk that finds what differs between two versions of a list.

let seq = 0;
function passage(start: number, end: number, over: Partial<PlacedAnnotation> = {}): PlacedAnnotation {
  const id = over.id ?? `p${String(++seq).padStart(4, '0')}`;
  return {
    id,
    documentId: 'd',
    textHash: 'h',
    position: { type: 'TextPositionSelector', start, end },
    quote: { type: 'TextQuoteSelector', exact: 'x', prefix: '', suffix: '' },
    codeIds: ['a'],
    memo: '',
    coderId: 'c',
    created: '2026-01-01T00:00:00.000Z',
    modified: '2026-01-01T00:00:00.000Z',
    rev: 1,
    anchor: { status: 'exact', start, end },
    ...over,
  };
}

/** A random list of placed passages, with a few orphans. */
function randomList(n: number, rand: () => number): PlacedAnnotation[] {
  return Array.from({ length: n }, (_, i) => {
    const start = Math.floor(rand() * 1000);
    const p = passage(start, start + 1 + Math.floor(rand() * 20));
    return i % 17 === 0 ? { ...p, anchor: { status: 'orphan' as const, start: 0, end: 0 } } : p;
  });
}

function lcg(seed: number): () => number {
  let x = seed;
  return () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
}

const ids = (list: readonly PlacedAnnotation[]): string[] => list.map((a) => a.id);
const sorted = (list: readonly PlacedAnnotation[]): boolean => list.every((a, i) => i === 0 || compareAnnotations(list[i - 1]!, a) < 0);

describe('passage lists', () => {
  it('splits main\'s list into placed passages in text order and orphans', () => {
    const list = randomList(200, lcg(1));
    const { annotations, orphans } = splitPassages(list);
    expect(sorted(annotations)).toBe(true);
    expect(orphans.every((o) => o.anchor.status === 'orphan')).toBe(true);
    expect(annotations.length + orphans.length).toBe(list.length);
  });

  it('stays what a full re-sort gives through random puts, moves, orphanings and removals, recording each change', () => {
    const rand = lcg(7);
    let lists: PassageLists = splitPassages(randomList(300, rand));
    const truth = new Map([...lists.annotations, ...lists.orphans].map((a) => [a.id, a]));
    for (let step = 0; step < 500; step++) {
      const before = lists.annotations;
      const changes = new Map<string, PlacedAnnotation | null>();
      const all = [...truth.values()];
      const pick = all[Math.floor(rand() * all.length)]!;
      const r = rand();
      if (r < 0.3) {
        const a = passage(Math.floor(rand() * 1000), 1000 + Math.floor(rand() * 10));
        lists = putPassage(lists, a, changes, rand() < 0.5);
        truth.set(a.id, a);
      } else if (r < 0.5) {
        const start = Math.floor(rand() * 1000);
        const moved = { ...pick, position: { ...pick.position, start, end: start + 3 }, anchor: { status: 'exact' as const, start, end: start + 3 } };
        lists = putPassage(lists, moved, changes);
        truth.set(pick.id, moved);
      } else if (r < 0.6) {
        const orphan = { ...pick, anchor: { status: 'orphan' as const, start: 0, end: 0 } };
        lists = putPassage(lists, orphan, changes);
        truth.set(pick.id, orphan);
      } else if (r < 0.8) {
        const recoded = { ...pick, codeIds: ['b'] };
        lists = putPassage(lists, recoded, changes);
        truth.set(pick.id, recoded);
      } else {
        lists = removePassage(lists, rand() < 0.5 ? pick.id : pick, changes);
        truth.delete(pick.id);
      }
      const expected = splitPassages([...truth.values()]);
      expect(ids(lists.annotations)).toEqual(ids(expected.annotations));
      expect(new Set(ids(lists.orphans))).toEqual(new Set(ids(expected.orphans)));
      // The changes recorded are exactly what differs between the placed lists.
      const { put, removed } = diffInOrder(before, lists.annotations, compareAnnotations);
      expect(new Map([...put.map((a) => [a.id, a] as const), ...removed.map((a) => [a.id, null] as const)])).toEqual(
        new Map([...changes].filter(([id, a]) => (a ? lists.annotations.includes(a) : before.some((b) => b.id === id)))),
      );
    }
  });

  it('finds the passage stored over a range by binary search, skipping the ones asked to', () => {
    const list = splitPassages([passage(5, 9), passage(5, 12, { id: 'pending:1' }), passage(5, 12, { id: 'real' }), passage(7, 8)]).annotations;
    expect(atRange(list, 5, 12, (a) => a.id.startsWith('pending:'))?.id).toBe('real');
    expect(atRange(list, 5, 10, () => false)).toBeUndefined();
    expect(atRange(list, 7, 8, () => false)?.position.start).toBe(7);
  });

  it('replaces a passage in place and moves one whose position changed', () => {
    const list = splitPassages([passage(1, 2), passage(3, 4), passage(5, 6)]).annotations;
    const recoded = { ...list[1]!, codeIds: ['z'] };
    expect(upsert(list, recoded)[1]).toBe(recoded);
    const moved = { ...list[0]!, position: { ...list[0]!.position, start: 9, end: 10 } };
    expect(ids(upsert(list, moved))).toEqual([list[1]!.id, list[2]!.id, list[0]!.id]);
  });
});

describe('diffInOrder', () => {
  it('finds exactly what was put and removed between random versions of a list', () => {
    const rand = lcg(3);
    for (let round = 0; round < 100; round++) {
      const prev = splitPassages(randomList(50, rand)).annotations;
      const next = prev.filter(() => rand() > 0.1).map((a) => (rand() < 0.1 ? { ...a, memo: 'changed' } : rand() < 0.05 ? { ...a, position: { ...a.position, start: a.position.start + 500 } } : a));
      next.push(...splitPassages(randomList(3, rand)).annotations);
      next.sort(compareAnnotations);
      const { put, removed } = diffInOrder(prev, next, compareAnnotations);
      const prevIds = new Set(ids(prev));
      const nextIds = new Set(ids(next));
      expect(new Set(ids(removed))).toEqual(new Set([...prevIds].filter((id) => !nextIds.has(id))));
      expect(new Set(ids(put))).toEqual(new Set(next.filter((a) => !prev.includes(a)).map((a) => a.id)));
    }
  });

  it('finds nothing between a list and itself', () => {
    const list = splitPassages(randomList(40, lcg(9))).annotations;
    expect(diffInOrder(list, list.slice(), compareAnnotations)).toEqual({ put: [], removed: [] });
  });
});
