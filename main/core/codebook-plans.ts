import { randomUUID } from 'node:crypto';
import { ApiError } from '../../shared/api';
import { cleanName, isWithin, nameProblem, nextColor, siblingNamed } from '../../shared/codebook';
import type { Annotation, Code } from '../../shared/model';
import { childIds, withDescendants, type CodebookEdit, type PassageCodes } from './codebook-edit';

/**
 * Plans of codebook edits: each turns what the user asked for into a `CodebookEdit` against
 * the codebook and passages as they are inside the transaction, or refuses with a message.
 */

/** What a plan reads: the codebook, and the passages of every document that may hold given codes. */
export interface PlanSource {
  codes: readonly Code[];
  /** Every passage holding any of `codeIds`, with its document's id. */
  passagesWith(codeIds: readonly string[]): { documentId: string; annotation: Annotation }[];
}

function codeOf(src: PlanSource, id: string): Code {
  const c = src.codes.find((x) => x.id === id);
  if (!c) throw new ApiError('not_found', `No code with id "${id}" in the codebook (deleted in another window?).`);
  return c;
}

function checkName(src: PlanSource, name: string, parentId: string | null, exceptId?: string): string {
  const problem = nameProblem(name);
  if (problem) throw new ApiError('invalid_input', problem);
  const clean = cleanName(name);
  const clash = siblingNamed(src.codes, parentId, clean, exceptId);
  if (clash) {
    const where = parentId === null ? 'at the top level' : `under “${codeOf(src, parentId).name}”`;
    throw new ApiError('invalid_input', `A code named “${clash.name}” is already ${where}.`);
  }
  return clean;
}

function checkParent(src: PlanSource, parentId: string | null): void {
  if (parentId !== null) codeOf(src, parentId);
}

/** The order with `id` placed before sibling `before` (or last among `parentId`'s children). */
function orderWith(src: PlanSource, id: string, parentId: string | null, before: string | null): string[] {
  const ids = src.codes.map((c) => c.id).filter((x) => x !== id);
  if (before !== null) {
    const b = codeOf(src, before);
    if (b.parentId !== parentId || b.id === id) throw new ApiError('invalid_input', `“${b.name}” is not a sibling to place the code before.`);
    ids.splice(ids.indexOf(before), 0, id);
    return ids;
  }
  // Last among its siblings: after the last code of the parent's subtree, or at the end.
  let at = ids.length;
  if (parentId !== null) {
    const subtree = new Set(withDescendants(src.codes, parentId));
    subtree.delete(id);
    let last = -1;
    ids.forEach((x, i) => {
      if (subtree.has(x)) last = i;
    });
    at = last + 1;
  }
  ids.splice(at, 0, id);
  return ids;
}

export interface CreateInput {
  name: string;
  parentId: string | null;
  color?: string;
  description?: string;
  before?: string | null;
}

export function planCreate(src: PlanSource, input: CreateInput): { edit: CodebookEdit; code: Code } {
  checkParent(src, input.parentId);
  const name = checkName(src, input.name, input.parentId);
  const code: Code = {
    id: randomUUID(),
    name,
    color: (input.color ?? nextColor(src.codes)).toLowerCase(),
    description: input.description ?? '',
    parentId: input.parentId,
    slot: src.codes.reduce((m, c) => Math.max(m, c.slot), -1) + 1,
  };
  const order = orderWith({ ...src, codes: [...src.codes, code] }, code.id, input.parentId, input.before ?? null);
  return { edit: { kind: 'editCodebook', codes: [{ id: code.id, before: null, after: code }], order, passages: [] }, code };
}

export interface UpdateInput {
  id: string;
  name?: string;
  color?: string;
  description?: string;
  /** null: no shortcut key. */
  shortcut?: string | null;
}

export function planUpdate(src: PlanSource, input: UpdateInput): CodebookEdit {
  const code = codeOf(src, input.id);
  const after: Code = { ...code };
  if (input.name !== undefined) after.name = checkName(src, input.name, code.parentId, code.id);
  if (input.color !== undefined) after.color = input.color.toLowerCase();
  if (input.description !== undefined) after.description = input.description;
  const changes: CodebookEdit['codes'] = [];
  if (input.shortcut !== undefined) {
    if (input.shortcut === null) delete after.shortcut;
    else {
      after.shortcut = input.shortcut;
      // The key moves: the code that had it loses it, in the same step.
      const holder = src.codes.find((c) => c.shortcut === input.shortcut && c.id !== code.id);
      if (holder) {
        const { shortcut: _taken, ...rest } = holder;
        changes.push({ id: holder.id, before: holder, after: rest });
      }
    }
  }
  if (after.name === code.name && after.color === code.color && after.description === code.description && after.shortcut === code.shortcut) {
    throw new ApiError('invalid_input', `“${code.name}” already is as asked: nothing to change.`);
  }
  changes.push({ id: code.id, before: code, after });
  return { kind: 'editCodebook', codes: changes, order: src.codes.map((c) => c.id), passages: [] };
}

export interface MoveInput {
  id: string;
  parentId: string | null;
  before: string | null;
}

export function planMove(src: PlanSource, input: MoveInput): CodebookEdit {
  const code = codeOf(src, input.id);
  checkParent(src, input.parentId);
  if (input.parentId !== null && isWithin(src.codes, input.parentId, code.id)) {
    throw new ApiError('invalid_input', `“${code.name}” cannot be moved inside itself.`);
  }
  if (input.parentId !== code.parentId) checkName(src, code.name, input.parentId, code.id);
  const order = orderWith(src, code.id, input.parentId, input.before);
  const after: Code = { ...code, parentId: input.parentId };
  const unchanged = after.parentId === code.parentId && order.every((id, i) => id === src.codes[i]!.id);
  if (unchanged) throw new ApiError('invalid_input', `“${code.name}” is already there: nothing to move.`);
  return { kind: 'editCodebook', codes: [{ id: code.id, before: code, after }], order, passages: [] };
}

/**
 * Merges code `id` into `into`: every passage coded with it is coded `into` (one that had both
 * keeps one), its children move under `into`, its definition is appended to `into`'s, and it is
 * deleted.
 */
export function planMerge(src: PlanSource, input: { id: string; into: string }): CodebookEdit {
  const code = codeOf(src, input.id);
  const into = codeOf(src, input.into);
  if (code.id === into.id) throw new ApiError('invalid_input', 'A code cannot be merged into itself.');
  if (isWithin(src.codes, into.id, code.id)) {
    throw new ApiError('invalid_input', `“${into.name}” is inside “${code.name}”: move it out first, or merge “${into.name}” into “${code.name}”.`);
  }
  const description = [into.description.trim(), code.description.trim()].filter(Boolean);
  const merged: Code = { ...into, description: description.length === 2 && !into.description.includes(code.description.trim()) ? `${into.description.trimEnd()}\n\n${code.description.trim()}` : into.description || code.description };
  const changes: CodebookEdit['codes'] = [];
  if (merged.description !== into.description) changes.push({ id: into.id, before: into, after: merged });
  for (const childId of childIds(src.codes, code.id)) {
    const child = codeOf(src, childId);
    changes.push({ id: child.id, before: child, after: { ...child, parentId: into.id } });
  }
  changes.push({ id: code.id, before: code, after: null });
  const passages: PassageCodes[] = src.passagesWith([code.id]).map(({ documentId, annotation }) => ({ documentId, id: annotation.id, add: [into.id], remove: [code.id] }));
  return { kind: 'editCodebook', codes: changes, order: src.codes.map((c) => c.id).filter((id) => id !== code.id), passages };
}

/**
 * Deletes code `id`. Its passages keep their other codes (a passage left with none stays, as
 * uncoded). Its children either move up to its parent (`lift`) or are deleted with it.
 */
export function planDelete(src: PlanSource, input: { id: string; children: 'lift' | 'delete' }): CodebookEdit {
  const code = codeOf(src, input.id);
  const gone = input.children === 'delete' ? withDescendants(src.codes, code.id) : [code.id];
  const changes: CodebookEdit['codes'] = [];
  if (input.children === 'lift') {
    for (const childId of childIds(src.codes, code.id)) {
      const child = codeOf(src, childId);
      changes.push({ id: child.id, before: child, after: { ...child, parentId: code.parentId } });
    }
  }
  // Children before parents, so that no code is ever left without its parent in between.
  for (const id of [...gone].reverse()) changes.push({ id, before: codeOf(src, id), after: null });
  const passages: PassageCodes[] = src.passagesWith(gone).map(({ documentId, annotation }) => ({
    documentId,
    id: annotation.id,
    add: [],
    remove: annotation.codeIds.filter((c) => gone.includes(c)),
  }));
  return { kind: 'editCodebook', codes: changes, order: src.codes.map((c) => c.id).filter((id) => !gone.includes(id)), passages };
}

/** How many passages in how many documents hold any of `codeIds`, and how many of them hold nothing else. */
export function usageOf(src: PlanSource, codeIds: readonly string[]): { passages: number; documents: number; onlyThese: number } {
  const found = src.passagesWith(codeIds);
  return {
    passages: found.length,
    documents: new Set(found.map((f) => f.documentId)).size,
    onlyThese: found.filter((f) => f.annotation.codeIds.every((c) => codeIds.includes(c))).length,
  };
}
