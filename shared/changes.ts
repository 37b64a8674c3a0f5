import type { Code, Coder, Collection, DocumentSummary, DocumentVariable, Memo, PlacedAnnotation } from './model';

/**
 * The change feed: every committed change, as main publishes it to every window. A window
 * applies events strictly in revision order through one reducer (renderer/changes.ts); one
 * that missed revisions asks for them with `changes.since` or, when they are no longer kept,
 * reloads its state.
 */

/** One thing a commit changed. */
export type Change =
  /** A passage was created, changed or restored: this is it now. */
  | { type: 'annotation'; annotation: PlacedAnnotation }
  /** A passage was deleted. */
  | { type: 'annotation-removed'; documentId: string; id: string }
  /**
   * A document's entry in the documents list changed (e.g. its number of passages), or a
   * document was added: `index` is then its place in the list.
   */
  | { type: 'document'; summary: DocumentSummary; index?: number }
  /** A document was deleted, with its passages. */
  | { type: 'document-removed'; documentId: string }
  /** The codebook changed: this is all of it now. */
  | { type: 'codebook'; codes: Code[] }
  /** The coder profiles changed: these are all of them now. */
  | { type: 'coders'; coders: Coder[] }
  /** The project was renamed. */
  | { type: 'project'; name: string }
  /** The document variables changed (defined, renamed, reordered, deleted): these are all of them now, in order. */
  | { type: 'variables'; variables: DocumentVariable[] }
  /** The memos changed (written, edited, linked, deleted): these are all of them now. */
  | { type: 'memos'; memos: Memo[] }
  /** The quote collections changed (made, renamed, a quote added, moved, noted, removed; deleted): these are all of them now. */
  | { type: 'collections'; collections: Collection[] };

/**
 * Every kind of `Change`, for code that checks events without the API's schemas (the window's
 * feed). The compiler holds it to the union above: a kind added there and not here fails to build.
 */
export const CHANGE_TYPES = ['annotation', 'annotation-removed', 'document', 'document-removed', 'codebook', 'coders', 'project', 'variables', 'memos', 'collections'] as const satisfies readonly Change['type'][];
// A kind of Change missing from CHANGE_TYPES makes this `never`, which `true` is not.
const allChangeTypes: Exclude<Change['type'], (typeof CHANGE_TYPES)[number]> extends never ? true : never = true;
void allChangeTypes;

/** What one commit changed. */
export interface ChangeEvent {
  /** The project revision this commit made. Revisions are consecutive. */
  revision: number;
  /** The window that made the change (its client id), or null for main itself. */
  origin: string | null;
  /** What the user did, in words ("code passage", "undo add code"). */
  label: string;
  changes: Change[];
}

/** The answer to `changes.since`: the events after a revision, or `reset` when they are no longer kept. */
export type ChangesSince = { revision: number; events: ChangeEvent[]; reset?: undefined } | { revision: number; reset: true };
