import { nameKey, nameProblem } from '../shared/codebook';
import type { Code } from '../shared/model';
import { codePath, codesInTreeOrder } from './state';

/**
 * What the code picker (components/CodePicker.tsx) offers for a filter: which codes, in which
 * order, and whether a new code of that name can be created. Pure, so that the order a
 * 1,000-code codebook is offered in is tested without a window, and the work done once per
 * codebook (paths, their lower-cased search keys) is kept apart from the work done per key.
 */

/** A code as the picker lists it. */
export interface PickerEntry {
  code: Code;
  /** Its path ("Theme › Aspect"), as shown. */
  path: string;
  /** The path lower-cased: what a filter is matched against. */
  search: string;
}

/** Every code of `codes` in tree order, with its path and search key (made once per codebook). */
export function pickerEntries(codes: readonly Code[]): PickerEntry[] {
  return codesInTreeOrder(codes).map((code) => {
    const path = codePath(codes, code.id);
    return { code, path, search: path.toLowerCase() };
  });
}

/** `entries` with the codes of `recent` (most recent first) moved before all others. */
export function recentFirst(entries: readonly PickerEntry[], recent: readonly string[]): readonly PickerEntry[] {
  if (recent.length === 0) return entries;
  const byId = new Map(entries.map((e) => [e.code.id, e]));
  const first = recent.flatMap((id) => byId.get(id) ?? []);
  if (first.length === 0) return entries;
  const lifted = new Set(first.map((e) => e.code.id));
  return [...first, ...entries.filter((e) => !lifted.has(e.code.id))];
}

/**
 * The codes offered for `filter`: unfiltered, `unfiltered` (the recent codes first); filtered,
 * the codes whose path holds the filter (ignoring case and the spaces around it), in tree order.
 */
export function matchingEntries(entries: readonly PickerEntry[], unfiltered: readonly PickerEntry[], filter: string): readonly PickerEntry[] {
  const needle = filter.trim().toLowerCase();
  return needle ? entries.filter((e) => e.search.includes(needle)) : unfiltered;
}

/** The name a filter offers to create a top-level code with, or null: empty, not a valid name, or a top-level code's already. */
export function creatableName(codes: readonly Code[], filter: string): string | null {
  const name = filter.trim();
  if (name === '' || nameProblem(name) !== null) return null;
  const key = nameKey(name);
  return codes.some((c) => c.parentId === null && nameKey(c.name) === key) ? null : name;
}
