/**
 * What changed between two versions of a list kept in one order, where unchanged items are the
 * same objects (as the reducer keeps them). Costs one pointer comparison per unchanged item, so
 * a change of one passage among 50,000 is found without building a map of them all.
 */
export interface ListDiff<T> {
  /** Items new in `next`, or replaced by another object with the same id. */
  put: T[];
  /** Items of `prev` whose id is not in `next`. */
  removed: T[];
}

/**
 * Diffs `prev` against `next`, both sorted by `compare` (which must tell any two ids apart).
 */
export function diffInOrder<T extends { id: string }>(prev: readonly T[], next: readonly T[], compare: (a: T, b: T) => number): ListDiff<T> {
  const put: T[] = [];
  const gone = new Map<string, T>();
  const came = new Map<string, T>();
  let i = 0;
  let j = 0;
  while (i < prev.length && j < next.length) {
    const a = prev[i]!;
    const b = next[j]!;
    if (a === b) {
      i++;
      j++;
    } else if (a.id === b.id) {
      put.push(b);
      i++;
      j++;
    } else if (compare(a, b) < 0) {
      gone.set(a.id, a);
      i++;
    } else {
      came.set(b.id, b);
      j++;
    }
  }
  for (; i < prev.length; i++) gone.set(prev[i]!.id, prev[i]!);
  for (; j < next.length; j++) came.set(next[j]!.id, next[j]!);
  // An item that moved in the order was seen leaving one place and arriving at another.
  for (const [id, b] of came) {
    gone.delete(id);
    put.push(b);
  }
  return { put, removed: [...gone.values()] };
}
