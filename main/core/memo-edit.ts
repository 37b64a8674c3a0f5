import { ApiError } from '../../shared/api';
import { sameMemo } from '../../shared/memos';
import type { Memo } from '../../shared/model';
import type { Tx } from './transactor';

/**
 * Edits of the memos with a title as one command kind: the memo before and after (null before:
 * written; null after: deleted). Running it checks the memo is still as `before` says, else it
 * is a `conflict` and nothing changes; its inverse swaps the two, so an undo never overwrites
 * what another window saved since.
 */
export interface MemoEdit {
  kind: 'editMemo';
  id: string;
  before: Memo | null;
  after: Memo | null;
}

/** Runs a memo edit in `tx`; returns its inverse. Throws ApiError (`conflict`) and changes nothing when it cannot. */
export function executeMemoEdit(tx: Tx, edit: MemoEdit, what: string): MemoEdit {
  const memos = tx.project.memos ?? [];
  const at = memos.findIndex((m) => m.id === edit.id);
  const now = at >= 0 ? memos[at]! : null;
  if (!sameMemo(now, edit.before)) {
    const title = edit.before?.title ?? edit.after?.title ?? 'the memo';
    const how = !now ? 'deleted' : !edit.before ? 'written' : now.text !== edit.before.text || now.title !== edit.before.title ? 'edited' : 'changed';
    throw new ApiError('conflict', `${what}: the memo “${title}” was ${how} elsewhere since, perhaps in another window. Nothing was changed.`, now ? { memo: now.text, title: now.title } : undefined);
  }
  const next = [...memos];
  if (edit.after === null) next.splice(at, 1);
  else if (at >= 0) next[at] = edit.after;
  else next.push(edit.after);
  if (next.length) tx.project.memos = next;
  else delete tx.project.memos;
  tx.emit({ type: 'memos', memos: next });
  return { kind: 'editMemo', id: edit.id, before: edit.after, after: edit.before };
}
