import type { Collection } from './model';

/**
 * Quote collections (shared/model.ts `Collection`): their limits, names as kept, and the
 * comparison main's commands use to tell whether a collection changed elsewhere since.
 */

export const COLLECTION_LIMITS = {
  name: 200,
  note: 20_000,
  /** Quotes in one collection. */
  items: 5_000,
  /** Collections of one project. */
  collections: 10_000,
} as const;

/** A name as kept: one line, single spaces, NFC, trimmed. */
export function cleanName(name: string): string {
  return name.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** Whether two collections are alike in every field (one changed elsewhere since differs in one). */
export function sameCollection(a: Collection | null | undefined, b: Collection | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return (
    a.id === b.id &&
    a.name === b.name &&
    a.created === b.created &&
    a.modified === b.modified &&
    a.items.length === b.items.length &&
    a.items.every((q, i) => q.documentId === b.items[i]!.documentId && q.passageId === b.items[i]!.passageId && q.note === b.items[i]!.note)
  );
}
