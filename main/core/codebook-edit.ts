import { ApiError } from '../../shared/api';
import { childrenOf, descendantsOf } from '../../shared/codebook';
import type { Annotation, Code } from '../../shared/model';
import type { CommandEnv } from './commands';
import type { Tx } from './transactor';

/**
 * Codebook edits as one command kind. Every edit of the codebook (create, rename, recolour,
 * describe, move, merge, delete) is planned inside its transaction (codebook-plans.ts) as plain
 * data: each code it touches before and after, the order of the codes after, and the codes it
 * adds to or removes from passages. Running an edit checks that every code it touches is still
 * as it was planned on; its inverse swaps before and after. So undo after a change made
 * elsewhere either applies exactly or refuses with a message, and passages are changed
 * semantically (a code added where it is missing, removed where it is present) so that no other
 * change to a passage is ever overwritten.
 */

/** One code as an edit leaves it; `null` before means created, `null` after means deleted. */
export interface CodeChange {
  id: string;
  before: Code | null;
  after: Code | null;
}

/** Codes to add to and remove from one passage. */
export interface PassageCodes {
  documentId: string;
  id: string;
  add: string[];
  remove: string[];
}

export interface CodebookEdit {
  kind: 'editCodebook';
  codes: CodeChange[];
  /** Every code id in sibling order after the edit; the touched codes are placed by it. */
  order: string[];
  passages: PassageCodes[];
}

/** Whether two codes are the same in every field. */
export function sameCode(a: Code | null | undefined, b: Code | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return a.id === b.id && a.name === b.name && a.color === b.color && a.description === b.description && a.parentId === b.parentId && a.slot === b.slot && a.shortcut === b.shortcut;
}

/** What differs, in words, between a code as planned on and as it is now. */
function howChanged(planned: Code | null, now: Code | undefined): string {
  if (!now) return 'it was deleted';
  if (!planned) return 'a code with its id was made';
  const parts: string[] = [];
  if (planned.name !== now.name) parts.push(`renamed “${now.name}”`);
  if (planned.color !== now.color) parts.push('recoloured');
  if (planned.description !== now.description) parts.push('its definition edited');
  if (planned.parentId !== now.parentId) parts.push('moved');
  if (planned.shortcut !== now.shortcut) parts.push('its shortcut key changed');
  return parts.join(', ') || 'changed';
}

/**
 * The new order: the current order with every touched code taken out and put back after the
 * code that precedes it in `order` (one that is there now), so that untouched codes keep their
 * places even if other windows reordered them since the edit was planned.
 */
export function placeOrder(current: readonly string[], order: readonly string[], touched: ReadonlySet<string>, present: ReadonlySet<string>): string[] {
  const result = current.filter((id) => !touched.has(id) && present.has(id));
  const indexOf = new Map(result.map((id, i) => [id, i]));
  for (let i = 0; i < order.length; i++) {
    const id = order[i]!;
    if (!touched.has(id) || !present.has(id)) continue;
    let at = 0;
    for (let j = i - 1; j >= 0; j--) {
      const before = indexOf.get(order[j]!);
      if (before !== undefined) {
        at = before + 1;
        break;
      }
    }
    result.splice(at, 0, id);
    indexOf.clear();
    result.forEach((x, k) => indexOf.set(x, k));
  }
  for (const id of present) if (!indexOf.has(id)) result.push(id);
  return result;
}

export interface EditOutcome {
  inverse: CodebookEdit;
  /** Passages the edit changed. */
  changed: number;
  /** Passages it left alone because they no longer held (or already held) what it would change. */
  skipped: number;
}

/** Runs a codebook edit in `tx`; throws ApiError (`conflict`, `invalid_input`) and changes nothing when it cannot. */
export function executeCodebookEdit(tx: Tx, edit: CodebookEdit, env: CommandEnv, what: string): EditOutcome {
  const codes = tx.project.codebook.codes;
  const byId = new Map(codes.map((c) => [c.id, c]));
  for (const change of edit.codes) {
    const now = byId.get(change.id);
    if (!sameCode(change.before, now)) {
      const name = change.before?.name ?? change.after?.name ?? change.id;
      throw new ApiError('conflict', `${what}: the code “${name}” was changed elsewhere since (${howChanged(change.before, now)}). Nothing was changed.`);
    }
  }

  // The codes after the edit; a restored code whose colour slot was taken since gets a new one.
  const next = new Map(byId);
  const applied: CodeChange[] = [];
  let maxSlot = codes.reduce((m, c) => Math.max(m, c.slot), -1);
  for (const change of edit.codes) {
    let after = change.after;
    if (after && !change.before && codes.some((c) => c.slot === after!.slot && c.id !== after!.id)) {
      after = { ...after, slot: ++maxSlot };
    }
    if (after) next.set(change.id, after);
    else next.delete(change.id);
    applied.push({ id: change.id, before: change.before, after });
  }
  for (const c of next.values()) {
    if (c.parentId !== null && !next.has(c.parentId)) {
      throw new ApiError('conflict', `${what}: the code “${c.name}” would be left without its parent (changed elsewhere since). Nothing was changed.`);
    }
  }
  const touched = new Set(edit.codes.map((c) => c.id));
  const order = placeOrder(
    codes.map((c) => c.id),
    edit.order,
    touched,
    new Set(next.keys()),
  );
  const nextCodes = order.map((id) => next.get(id)!);
  const keys = new Map<string, string>();
  for (const c of nextCodes) {
    if (c.shortcut === undefined) continue;
    const other = keys.get(c.shortcut);
    if (other) throw new ApiError('conflict', `${what}: the key ${c.shortcut} is now “${other}”'s (changed elsewhere since). Nothing was changed.`);
    keys.set(c.shortcut, c.name);
  }
  // A move must not make a code its own ancestor.
  for (const id of touched) {
    const seen = new Set<string>();
    for (let c = next.get(id); c; c = c.parentId === null ? undefined : next.get(c.parentId)) {
      if (seen.has(c.id)) throw new ApiError('invalid_input', `${what}: a code cannot be moved inside itself.`);
      seen.add(c.id);
    }
  }

  // Passages, changed semantically.
  const inversePassages: PassageCodes[] = [];
  let changed = 0;
  let skipped = 0;
  const lists = new Map<string, { list: Annotation[]; at: Map<string, number> }>();
  for (const p of edit.passages) {
    let doc = lists.get(p.documentId);
    if (!doc) {
      // Indexed once per document: a merge may touch thousands of its passages.
      const list = tx.annotations(p.documentId);
      doc = { list, at: new Map(list.map((a, i) => [a.id, i])) };
      lists.set(p.documentId, doc);
    }
    const { list } = doc;
    const index = doc.at.get(p.id) ?? -1;
    const a = index < 0 ? undefined : list[index]!;
    if (!a) {
      skipped++;
      continue;
    }
    const removed = p.remove.filter((c) => a.codeIds.includes(c));
    // A passage that no longer holds what the edit takes off was changed since (the code taken
    // off it elsewhere): it is left as it is, not given the edit's other codes.
    if (p.remove.length > 0 && removed.length === 0) {
      skipped++;
      continue;
    }
    const kept = a.codeIds.filter((c) => !removed.includes(c));
    const added = p.add.filter((c) => !kept.includes(c) && next.has(c));
    if (removed.length === 0 && added.length === 0) {
      skipped++;
      continue;
    }
    const updated: Annotation = { ...a, codeIds: [...kept, ...added], modified: env.now(), rev: tx.revision };
    list[index] = updated;
    tx.emit({ type: 'annotation', annotation: env.place(updated) });
    inversePassages.push({ documentId: p.documentId, id: p.id, add: removed, remove: added });
    changed++;
  }

  // A deleted code must be on no passage: one coded with it since the edit was planned (in
  // another window) would otherwise point at nothing.
  const deleted = applied.filter((c) => c.after === null).map((c) => c.id);
  if (deleted.length) {
    for (const d of tx.project.documents) {
      const list = lists.get(d.id)?.list ?? (tx.isLoaded(d.id) ? tx.annotations(d.id) : null);
      const uses = list ? list.filter((a) => a.codeIds.some((c) => deleted.includes(c))).length : deleted.reduce((n, c) => n + (tx.project.index.documents[d.id]?.codes[c] ?? 0), 0);
      if (uses > 0) {
        throw new ApiError('conflict', `${what}: the code was used on ${uses} more passage${uses === 1 ? '' : 's'} since (perhaps in another window). Nothing was changed; try again.`);
      }
    }
  }

  tx.project.codebook.codes = nextCodes;
  tx.emit({ type: 'codebook', codes: nextCodes });
  return {
    inverse: {
      kind: 'editCodebook',
      codes: applied.map((c) => ({ id: c.id, before: c.after, after: c.before })).reverse(),
      order: codes.map((c) => c.id),
      passages: inversePassages,
    },
    changed,
    skipped,
  };
}

/** Ids of `id` and every code below it. */
export function withDescendants(codes: readonly Code[], id: string): string[] {
  return [id, ...descendantsOf(codes, id).map((c) => c.id)];
}

/** The children of `id`, in order. */
export function childIds(codes: readonly Code[], id: string): string[] {
  return (childrenOf(codes).get(id) ?? []).map((c) => c.id);
}
