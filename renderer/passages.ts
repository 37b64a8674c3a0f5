import { compareAnnotations } from '../shared/order';
import type { PlacedAnnotation } from '../shared/model';

/**
 * The open document's passages as the UI state holds them: those main placed in the text, in
 * text order (`compareAnnotations`), and those it could not place (orphans), apart. Every change
 * is a new pair of arrays sharing the unchanged passages, and says what it changed
 * (`PassagesDelta`), so that the views of a 50,000-passage document redraw one passage without
 * walking all of them.
 */
export interface PassageLists {
  annotations: PlacedAnnotation[];
  orphans: PlacedAnnotation[];
}

/** How `annotations` was made from the array `from`: passages put (new or replaced) by id, or removed (null). */
export interface PassagesDelta {
  from: readonly PlacedAnnotation[];
  changes: ReadonlyMap<string, PlacedAnnotation | null>;
}

/** A list as main sends it, split into placed passages (sorted) and orphans. */
export function splitPassages(list: readonly PlacedAnnotation[]): PassageLists {
  const annotations: PlacedAnnotation[] = [];
  const orphans: PlacedAnnotation[] = [];
  for (const a of list) (a.anchor.status === 'orphan' ? orphans : annotations).push(a);
  annotations.sort(compareAnnotations);
  return { annotations, orphans };
}

/** Where `a` belongs in a list in text order: the first index not before it. */
function placeOf(list: readonly PlacedAnnotation[], a: PlacedAnnotation): number {
  // Binary search: lists can hold tens of thousands of passages.
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareAnnotations(list[mid]!, a) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The index of the passage with `a`'s id in a list in text order: found by its place when it
 * sits where `a` would (it has not moved), else searched for (-1 when absent).
 */
export function indexOf(list: readonly PlacedAnnotation[], a: PlacedAnnotation): number {
  const at = placeOf(list, a);
  if (list[at]?.id === a.id) return at;
  return list.findIndex((x) => x.id === a.id);
}

/** The first passage stored over exactly `start`–`end` (not a provisional one), found by binary search; undefined when none. */
export function atRange(list: readonly PlacedAnnotation[], start: number, end: number, skip: (a: PlacedAnnotation) => boolean): PlacedAnnotation | undefined {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const p = list[mid]!.position;
    if (p.start < start || (p.start === start && p.end < end)) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < list.length; i++) {
    const a = list[i]!;
    if (a.position.start !== start || a.position.end !== end) return undefined;
    if (a.anchor.start === start && a.anchor.end === end && !skip(a)) return a;
  }
  return undefined;
}

/** Inserts a passage known to be new (a fresh id), keeping text order. */
export function insertNew(list: readonly PlacedAnnotation[], a: PlacedAnnotation): PlacedAnnotation[] {
  const next = list.slice();
  next.splice(placeOf(list, a), 0, a);
  return next;
}

/** The list without this passage (by id); the same array when it is not there. */
export function without(list: PlacedAnnotation[], a: PlacedAnnotation): PlacedAnnotation[] {
  const i = indexOf(list, a);
  if (i < 0) return list;
  const next = list.slice();
  next.splice(i, 1);
  return next;
}

/** Replaces or inserts a passage, keeping text order. */
export function upsert(list: readonly PlacedAnnotation[], a: PlacedAnnotation): PlacedAnnotation[] {
  const i = indexOf(list, a);
  if (i >= 0 && compareAnnotations(list[i]!, a) === 0) {
    const next = list.slice();
    next[i] = a;
    return next;
  }
  const rest = list.slice();
  if (i >= 0) rest.splice(i, 1);
  rest.splice(placeOf(rest, a), 0, a);
  return rest;
}

/**
 * Puts a passage (new, or a new version of one) where it belongs now: among the placed ones or
 * the orphans. `fresh`: its id is known to be new, so nothing is searched for. Records what
 * changed in the placed list in `changes`.
 */
export function putPassage(lists: PassageLists, a: PlacedAnnotation, changes: Map<string, PlacedAnnotation | null>, fresh = false): PassageLists {
  let { annotations, orphans } = lists;
  const orphanAt = fresh ? -1 : orphans.findIndex((o) => o.id === a.id);
  if (a.anchor.status === 'orphan') {
    orphans = orphanAt >= 0 ? orphans.map((o, i) => (i === orphanAt ? a : o)) : [...orphans, a];
    if (orphanAt < 0 && !fresh) {
      const before = annotations;
      annotations = annotations.filter((x) => x.id !== a.id);
      if (annotations.length !== before.length) changes.set(a.id, null);
    }
    return { annotations, orphans };
  }
  if (orphanAt >= 0) orphans = orphans.filter((_, i) => i !== orphanAt);
  annotations = fresh ? insertNew(annotations, a) : upsert(annotations, a);
  changes.set(a.id, a);
  return { annotations, orphans };
}

/** Takes a passage away (by id, or by the passage itself, which finds it without searching). */
export function removePassage(lists: PassageLists, which: string | PlacedAnnotation, changes: Map<string, PlacedAnnotation | null>): PassageLists {
  const id = typeof which === 'string' ? which : which.id;
  const orphans = lists.orphans.some((o) => o.id === id) ? lists.orphans.filter((o) => o.id !== id) : lists.orphans;
  let annotations = lists.annotations;
  if (typeof which === 'string') {
    const i = annotations.findIndex((a) => a.id === id);
    if (i >= 0) annotations = annotations.filter((_, j) => j !== i);
  } else annotations = without(annotations, which);
  if (annotations !== lists.annotations) changes.set(id, null);
  return { annotations, orphans };
}
