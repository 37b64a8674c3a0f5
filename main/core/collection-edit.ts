import { ApiError } from '../../shared/api';
import { sameCollection } from '../../shared/collections';
import type { Collection } from '../../shared/model';
import type { Tx } from './transactor';

/**
 * Edits of the quote collections as one command kind, as memos are (memo-edit.ts): the
 * collection before and after (null before: made; null after: deleted). Running it checks the
 * collection is still as `before` says, else it is a `conflict` and nothing changes; its inverse
 * swaps the two, so an undo never overwrites what another window saved since.
 */
export interface CollectionEdit {
  kind: 'editCollection';
  id: string;
  before: Collection | null;
  after: Collection | null;
}

/** Runs a collection edit in `tx`; returns its inverse. Throws ApiError (`conflict`) and changes nothing when it cannot. */
export function executeCollectionEdit(tx: Tx, edit: CollectionEdit, what: string): CollectionEdit {
  const collections = tx.project.collections ?? [];
  const at = collections.findIndex((c) => c.id === edit.id);
  const now = at >= 0 ? collections[at]! : null;
  if (!sameCollection(now, edit.before)) {
    const name = edit.before?.name ?? edit.after?.name ?? 'the collection';
    const how = !now ? 'deleted' : !edit.before ? 'made' : 'changed';
    throw new ApiError('conflict', `${what}: the collection “${name}” was ${how} elsewhere since, perhaps in another window. Nothing was changed.`);
  }
  const next = [...collections];
  if (edit.after === null) next.splice(at, 1);
  else if (at >= 0) next[at] = edit.after;
  else next.push(edit.after);
  if (next.length) tx.project.collections = next;
  else delete tx.project.collections;
  tx.emit({ type: 'collections', collections: next });
  return { kind: 'editCollection', id: edit.id, before: edit.after, after: edit.before };
}
