import { ApiError, type Reveal } from '../../shared/api';
import type { Annotation, Coder, PlacedAnnotation } from '../../shared/model';
import { executeCodebookEdit, type CodebookEdit } from './codebook-edit';
import { executeDocumentCommand, type DocumentCommand } from './document-commands';
import type { Tx } from './transactor';
import { executeMemoEdit, type MemoEdit } from './memo-edit';
import { executeCollectionEdit, type CollectionEdit } from './collection-edit';
import { executeVariableEdit, type VariableEdit } from './variable-edit';

/**
 * Commands: every change a user makes, as plain data that main executes inside one transaction.
 * Executing a command gives its inverse, which is a command too: undo runs the inverse, and the
 * inverse of that is the redo. Inverses are semantic (remove the codes that were added, put back
 * the memo that was replaced), so an undo never overwrites what another window changed since:
 * where it would, it fails with a `conflict` saying what changed, and changes nothing.
 *
 * Codebook edits (codebook-edit.ts) are one kind that may touch many codes and passages in
 * many documents at once; bulk commands to come (import, merge a colleague's file) are more kinds.
 * A compound runs several commands as one step (in-vivo coding: make a code, code a passage
 * with it); its inverse runs their inverses in reverse order.
 */

/** What a passage held after an action, to tell whether someone else changed it since. */
export interface PassageContent {
  codeIds: string[];
  memo: string;
}

/** Where a passage is: the text version its selectors were made on, and the selectors. */
export type PassageRange = Pick<Annotation, 'textHash' | 'position' | 'quote'>;

export type Command =
  /** `coder`: the profile to put in the project's coders list with the passage (its first, or a changed one). */
  | { kind: 'create'; documentId: string; annotation: Annotation; coder?: Coder }
  | { kind: 'delete'; documentId: string; id: string; expect?: PassageContent }
  | { kind: 'restore'; documentId: string; annotation: Annotation }
  | { kind: 'addCodes'; documentId: string; id: string; codeIds: string[] }
  | { kind: 'removeCodes'; documentId: string; id: string; codeIds: string[] }
  | { kind: 'setMemo'; documentId: string; id: string; memo: string; base: string; session?: string }
  /** Puts a passage on another range (an orphan placed by hand, edges moved); refused unless it is still at `expect`. */
  | { kind: 'setRange'; documentId: string; id: string; range: PassageRange; expect: PassageRange }
  | CodebookEdit
  | { kind: 'renameProject'; name: string; base: string }
  | DocumentCommand
  | VariableEdit
  | MemoEdit
  | CollectionEdit
  /** Runs `steps` in order, all or nothing: one that fails leaves the transaction, and so every step, undone. */
  | { kind: 'compound'; steps: Command[] };

/** The documents whose passages a command reads or changes. */
export function documentsOf(cmd: Command): string[] {
  if (cmd.kind === 'editCodebook') return [...new Set(cmd.passages.map((p) => p.documentId))];
  if (cmd.kind === 'renameProject' || cmd.kind === 'addDocuments' || cmd.kind === 'editVariables' || cmd.kind === 'editMemo' || cmd.kind === 'editCollection') return [];
  if (cmd.kind === 'removeDocuments') return cmd.ids;
  if (cmd.kind === 'setDocument') return [cmd.documentId];
  if (cmd.kind === 'updateDocument' || cmd.kind === 'moveDocument') return [];
  if (cmd.kind === 'compound') return [...new Set(cmd.steps.flatMap(documentsOf))];
  return [cmd.documentId];
}

/** What a command needs beyond the transaction. */
export interface CommandEnv {
  /** The current time, ISO 8601. */
  now(): string;
  /** A passage with where it is in its document's current text. */
  place(annotation: Annotation): PlacedAnnotation;
  /** A code's name with its ancestors, for messages. */
  codeName(id: string): string;
  /**
   * The last memo each passage was given, and by which editing session. A save from the
   * session that wrote the memo there now is no conflict even if it names an older base: its
   * previous save may still have been on its way when it was sent (a page going away sends its
   * last words without waiting).
   */
  memoWrites: Map<string, { session: string | null; memo: string }>;
}

export interface CommandOutcome {
  /** The passage as the command left it (absent when it deleted it). */
  annotation?: PlacedAnnotation;
  inverse: Command;
  /** The passage to show (absent for codebook edits). */
  reveal?: Reveal;
  /** What the user should know of how it went (passages left alone because they changed since). */
  notice?: string;
}

const gone = (what: string): ApiError =>
  new ApiError('conflict', `${what}: the passage was deleted, perhaps in another window.`, { annotation: null });

function find(tx: Tx, cmd: { documentId: string; id: string }, what: string): { list: Annotation[]; index: number; annotation: Annotation } {
  const list = tx.annotations(cmd.documentId);
  const index = list.findIndex((a) => a.id === cmd.id);
  if (index < 0) throw gone(what);
  return { list, index, annotation: list[index]! };
}

function names(env: CommandEnv, ids: readonly string[]): string {
  return ids.map((id) => `“${env.codeName(id)}”`).join(', ');
}

/** What differs between a passage now and what it held, in words; null when nothing does. */
export function describeDifference(env: CommandEnv, now: Annotation, expected: PassageContent): string | null {
  const parts: string[] = [];
  const added = now.codeIds.filter((c) => !expected.codeIds.includes(c));
  const removed = expected.codeIds.filter((c) => !now.codeIds.includes(c));
  if (added.length) parts.push(`${added.length === 1 ? 'code' : 'codes'} ${names(env, added)} added`);
  if (removed.length) parts.push(`${removed.length === 1 ? 'code' : 'codes'} ${names(env, removed)} removed`);
  if (now.memo !== expected.memo) parts.push('its memo edited');
  return parts.length ? parts.join(', ') : null;
}

function sameRange(a: PassageRange, b: PassageRange): boolean {
  return (
    a.textHash === b.textHash &&
    a.position.start === b.position.start &&
    a.position.end === b.position.end &&
    a.quote.exact === b.quote.exact &&
    a.quote.prefix === b.quote.prefix &&
    a.quote.suffix === b.quote.suffix
  );
}

/** Runs a command in `tx`; throws ApiError (`conflict`, `invalid_input`) and changes nothing when it cannot. */
export function execute(tx: Tx, cmd: Command, env: CommandEnv, what: string): CommandOutcome {
  if (cmd.kind === 'compound') {
    const outcomes = cmd.steps.map((step) => execute(tx, step, env, what));
    const outcome: CommandOutcome = { inverse: { kind: 'compound', steps: outcomes.map((o) => o.inverse).reverse() } };
    // What the last step that has one says: the passage it leaves and the one to show.
    const annotation = outcomes.findLast((o) => o.annotation)?.annotation;
    const reveal = outcomes.findLast((o) => o.reveal)?.reveal;
    const notices = outcomes.flatMap((o) => (o.notice ? [o.notice] : []));
    if (annotation) outcome.annotation = annotation;
    if (reveal) outcome.reveal = reveal;
    if (notices.length) outcome.notice = notices.join(' ');
    return outcome;
  }
  if (cmd.kind === 'addDocuments' || cmd.kind === 'removeDocuments' || cmd.kind === 'setDocument' || cmd.kind === 'updateDocument' || cmd.kind === 'moveDocument') {
    return { inverse: executeDocumentCommand(tx, cmd, what) };
  }
  if (cmd.kind === 'editVariables') return { inverse: executeVariableEdit(tx, cmd, what) };
  if (cmd.kind === 'editMemo') return { inverse: executeMemoEdit(tx, cmd, what) };
  if (cmd.kind === 'editCollection') return { inverse: executeCollectionEdit(tx, cmd, what) };
  if (cmd.kind === 'renameProject') {
    if (tx.project.name !== cmd.base) {
      throw new ApiError('conflict', `${what}: the project was renamed “${tx.project.name}” elsewhere since. Nothing was changed.`);
    }
    tx.project.name = cmd.name;
    tx.emit({ type: 'project', name: cmd.name });
    return { inverse: { kind: 'renameProject', name: cmd.base, base: cmd.name } };
  }
  if (cmd.kind === 'editCodebook') {
    const { inverse, skipped } = executeCodebookEdit(tx, cmd, env, what);
    const outcome: CommandOutcome = { inverse };
    if (skipped > 0) outcome.notice = `${skipped} passage${skipped === 1 ? ' was' : 's were'} left as ${skipped === 1 ? 'it was' : 'they were'}: changed or deleted elsewhere since.`;
    return outcome;
  }
  const reveal = (id: string, restored = false): Reveal => ({ documentId: cmd.documentId, annotationId: id, restored });
  const touch = (a: Annotation, change: Partial<Annotation>): Annotation => ({ ...a, ...change, modified: env.now(), rev: tx.revision });
  const put = (list: Annotation[], index: number, a: Annotation): PlacedAnnotation => {
    if (index < 0) list.push(a);
    else list[index] = a;
    const placed = env.place(a);
    tx.emit({ type: 'annotation', annotation: placed });
    return placed;
  };

  switch (cmd.kind) {
    case 'create':
    case 'restore': {
      const list = tx.annotations(cmd.documentId);
      if (list.some((a) => a.id === cmd.annotation.id)) throw new ApiError('conflict', `${what}: the passage is already there.`);
      const a = { ...cmd.annotation, rev: tx.revision };
      if (cmd.kind === 'create' && cmd.coder) {
        const coders = tx.project.coders;
        const i = coders.findIndex((c) => c.id === cmd.coder!.id);
        if (i < 0) coders.push(cmd.coder);
        else coders[i] = cmd.coder;
        tx.emit({ type: 'coders', coders });
      }
      const placed = put(list, -1, a);
      return {
        annotation: placed,
        inverse: { kind: 'delete', documentId: cmd.documentId, id: a.id, expect: { codeIds: [...a.codeIds], memo: a.memo } },
        reveal: reveal(a.id, cmd.kind === 'restore'),
      };
    }
    case 'delete': {
      const { list, index, annotation } = find(tx, cmd, what);
      const changed = cmd.expect && describeDifference(env, annotation, cmd.expect);
      if (changed) {
        throw new ApiError('conflict', `${what}: the passage was changed elsewhere since (${changed}). Gloss did not delete it; delete it yourself if you want it gone.`, {
          annotation: env.place(annotation),
        });
      }
      list.splice(index, 1);
      tx.emit({ type: 'annotation-removed', documentId: cmd.documentId, id: cmd.id });
      return { inverse: { kind: 'restore', documentId: cmd.documentId, annotation }, reveal: reveal(cmd.id) };
    }
    case 'addCodes':
    case 'removeCodes': {
      const { list, index, annotation } = find(tx, cmd, what);
      const adding = cmd.kind === 'addCodes';
      const effective = adding ? cmd.codeIds.filter((c) => !annotation.codeIds.includes(c)) : cmd.codeIds.filter((c) => annotation.codeIds.includes(c));
      if (effective.length === 0) {
        throw new ApiError(
          'conflict',
          `${what}: ${adding ? `the passage has ${names(env, cmd.codeIds)} already` : `${names(env, cmd.codeIds)} ${cmd.codeIds.length === 1 ? 'is' : 'are'} no longer on the passage`}, perhaps changed in another window. Nothing was changed.`,
          { annotation: env.place(annotation) },
        );
      }
      const codeIds = adding ? [...annotation.codeIds, ...effective] : annotation.codeIds.filter((c) => !effective.includes(c));
      const placed = put(list, index, touch(annotation, { codeIds }));
      return {
        annotation: placed,
        inverse: { kind: adding ? 'removeCodes' : 'addCodes', documentId: cmd.documentId, id: cmd.id, codeIds: effective },
        reveal: reveal(cmd.id),
      };
    }
    case 'setMemo': {
      const { list, index, annotation } = find(tx, cmd, what);
      const last = env.memoWrites.get(cmd.id);
      const ownWrite = cmd.session !== undefined && last?.session === cmd.session && last.memo === annotation.memo;
      if (annotation.memo !== cmd.base && !ownWrite) {
        throw new ApiError('conflict', `${what}: the memo was changed in another window since you began. Your text was not saved over it; choose which text to keep.`, {
          memo: annotation.memo,
          annotation: env.place(annotation),
        });
      }
      const placed = put(list, index, touch(annotation, { memo: cmd.memo }));
      // Recorded before the commit is durable: a failed commit leaves a different memo there, so the entry no longer matches.
      env.memoWrites.set(cmd.id, { session: cmd.session ?? null, memo: cmd.memo });
      const inverse: Command = { kind: 'setMemo', documentId: cmd.documentId, id: cmd.id, memo: annotation.memo, base: cmd.memo };
      if (cmd.session !== undefined) inverse.session = cmd.session;
      return { annotation: placed, inverse, reveal: reveal(cmd.id) };
    }
    case 'setRange': {
      const { list, index, annotation } = find(tx, cmd, what);
      if (!sameRange(annotation, cmd.expect)) {
        throw new ApiError('conflict', `${what}: the passage was moved or placed elsewhere since, perhaps in another window. Nothing was changed.`, { annotation: env.place(annotation) });
      }
      const was: PassageRange = { textHash: annotation.textHash, position: annotation.position, quote: annotation.quote };
      const placed = put(list, index, touch(annotation, { textHash: cmd.range.textHash, position: cmd.range.position, quote: cmd.range.quote }));
      return { annotation: placed, inverse: { kind: 'setRange', documentId: cmd.documentId, id: cmd.id, range: was, expect: cmd.range }, reveal: reveal(cmd.id) };
    }
  }
}
