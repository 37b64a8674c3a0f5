import type { HistoryView } from '../shared/api';
import type { Code, Coder, DocumentContent, DocumentSummary, DocumentVariable, Memo, MemoSubject, PlacedAnnotation, ProjectInfo, Collection } from '../shared/model';
import { treeRows } from '../shared/codebook';
import { codePathNames } from '../shared/order';
import type { PassagesDelta } from './passages';
import type { CenterView } from './retrieval-actions';
import type { TextRange } from './viewer/viewer';

/** Where a floating panel is shown: viewport coordinates of what it belongs to. */
export interface Place {
  x: number;
  y: number;
  bottom: number;
}

/** A memo save refused because another window changed the memo first: the user chooses. */
export interface MemoConflict {
  annotationId: string;
  documentId: string;
  /** What this window typed. */
  mine: string;
  /** The memo as it is now. */
  theirs: string;
}

/** The whole UI state. Replaced, never mutated (see store.ts). */
export interface AppState {
  project: ProjectInfo | null;
  /** The revision of the project this state shows: every change event up to it is applied. */
  revision: number;
  documents: DocumentSummary[];
  codes: Code[];
  coders: Coder[];
  /** The project's document variables, in order (each document's values are in its summary). */
  variables: DocumentVariable[];
  /** The memos with a title: the research journal, memos on documents and codes (passages' memos are on the passages). */
  memos: Memo[];
  /** The quote collections, oldest first. */
  collections: Collection[];
  openDocumentId: string | null;
  document: DocumentContent | null;
  /** Passages of the open document placed in its text, in text order (with those of `pending`); see passages.ts. */
  annotations: PlacedAnnotation[];
  /** Passages of the open document main could not place in its text: listed apart, never drawn. */
  orphans: PlacedAnnotation[];
  /** What the last change of `annotations` changed, so that views redraw only that. */
  passagesDelta: PassagesDelta | null;
  /**
   * Passages this window has asked main to create and shows while they are saved: each is in
   * `annotations` under a provisional id (see `isPending`) until main's passage replaces it.
   */
  pending: PlacedAnnotation[];
  /** The passage whose details are shown. */
  selectedId: string | null;
  /** The code picker, open for a new passage over `range`, or to add a code to passage `forId`. */
  picker: { range: TextRange | null; forId: string | null; at: Place } | null;
  /** Several passages under one click: the user picks one. */
  chooser: { ids: string[]; at: Place } | null;
  exportDialog: boolean;
  /** The coder profile dialog: on first start (`first`, until the user says who they are) or to edit it. */
  profileDialog: 'first' | 'edit' | null;
  /** The project settings dialog. */
  projectDialog: boolean;
  /** The open document's properties dialog (DocumentProperties.tsx). */
  propertiesDialog: boolean;
  /** The open document's "New version of the text" dialog (ReplaceTextDialog.tsx). */
  replaceDialog: boolean;
  /** The open document's earlier versions dialog (VersionsDialog.tsx). */
  versionsDialog: boolean;
  /**
   * The open document's text was replaced (here, by an undo, or in another window): the shown
   * text and passages are stale until the app reloads them (`Actions.reloadText`). Meanwhile the
   * document's passage changes are not applied: their places are in the new text.
   */
  textChanged: boolean;
  memoConflict: MemoConflict | null;
  /** Codes this window applied most recently, latest first. */
  recentCodes: string[];
  /**
   * The code in-vivo codes go under, as chosen on this computer for this project (see
   * in-vivo.ts: a code deleted since means the top level); null: the top level.
   */
  inVivoParent: string | null;
  /** Whether coding stripes are drawn beside the article. */
  stripes: boolean;
  /** What the middle of the window shows: the open article, or the passages view (every coded passage of the project). */
  centerView: CenterView;
  /** The memo being written or read in the memo dialog (MemoEditor.tsx): an existing one by id, or a new one about `about`. */
  memoEditor: { id: string } | { id: null; about: MemoSubject } | null;
  /** A request to select and show words of a document in the article (a search's match); seq tells repeats apart. */
  revealRange: { documentId: string; start: number; end: number; seq: number } | null;
  /** Codes whose passages are not drawn in the article (`UNCODED`: passages without a code). */
  hiddenCodes: ReadonlySet<string>;
  history: HistoryView;
  /** The latest message for the user (errors stay until dismissed). */
  /** `sticky`: an info message that stays until dismissed (what Gloss did to the project on opening). */
  notice: { kind: 'error' | 'info'; text: string; seq: number; sticky?: boolean } | null;
  /**
   * A request to scroll a passage into view and flash it (seq distinguishes repeats).
   * `restored`: it has just come back (undo of a delete, redo of a coding), so its details take the focus.
   */
  reveal: { id: string; seq: number; restored: boolean } | null;
  loading: boolean;
  /** The document whose article the viewer has drawn: its passage list is drawn after it. */
  articleDrawn: string | null;
}

export const initialState: AppState = {
  project: null,
  revision: 0,
  documents: [],
  codes: [],
  coders: [],
  variables: [],
  memos: [],
  collections: [],
  openDocumentId: null,
  document: null,
  annotations: [],
  orphans: [],
  passagesDelta: null,
  pending: [],
  selectedId: null,
  picker: null,
  chooser: null,
  exportDialog: false,
  profileDialog: null,
  memoConflict: null,
  recentCodes: [],
  inVivoParent: null,
  projectDialog: false,
  propertiesDialog: false,
  replaceDialog: false,
  versionsDialog: false,
  textChanged: false,
  hiddenCodes: new Set(),
  stripes: false,
  centerView: 'article',
  revealRange: null,
  memoEditor: null,
  history: { undo: null, redo: null },
  notice: null,
  reveal: null,
  loading: true,
  articleDrawn: null,
};

const PENDING_PREFIX = 'pending:';
let pendingSeq = 0;

/** A fresh provisional id; main's ids never look like it. */
export function pendingId(): string {
  return `${PENDING_PREFIX}${++pendingSeq}`;
}

/** Whether a passage is one this window shows while it is being saved. */
export function isPending(id: string): boolean {
  return id.startsWith(PENDING_PREFIX);
}

const pathsByCodebook = new WeakMap<readonly Code[], Map<string, string>>();

/**
 * The code's name with its ancestors: "Repression tactic › Surveillance". Paths are computed
 * once per codebook (each codebook change is a new array), not once per passage and render.
 */
export function codePath(codes: readonly Code[], id: string): string {
  let paths = pathsByCodebook.get(codes);
  if (!paths) {
    const byId = new Map(codes.map((c) => [c.id, c]));
    paths = new Map(codes.map((c) => [c.id, codePathNames(byId, c.id).join(' › ')]));
    pathsByCodebook.set(codes, paths);
  }
  return paths.get(id) ?? '';
}

/**
 * Whether passages are drawn alike under two codebooks: the same codes, in the same order, with
 * the same slots, names and parents (what highlight classes and labels are made of). A colour,
 * description or shortcut may differ: colours are classes keyed by slot (code-styles.ts), so a
 * recolour redraws no passage.
 */
export function drawsAlike(a: readonly Code[], b: readonly Code[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.id !== y.id || x.slot !== y.slot || x.name !== y.name || x.parentId !== y.parentId) return false;
  }
  return true;
}

/** In `hiddenCodes`: the passages that have no code. */
export const UNCODED = '';

/** Passages per code id in `lists`, and passages without a code under `UNCODED`. */
export function passagesPerCode(lists: readonly (readonly { codeIds: readonly string[] }[])[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const list of lists) {
    for (const a of list) {
      if (a.codeIds.length === 0) counts.set(UNCODED, (counts.get(UNCODED) ?? 0) + 1);
      for (const c of a.codeIds) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
  }
  return counts;
}

/** Whether a passage is drawn while `hidden` codes are hidden: when any of its codes is shown. */
export function isShown(a: { codeIds: readonly string[] }, hidden: ReadonlySet<string>): boolean {
  if (hidden.size === 0) return true;
  return a.codeIds.length === 0 ? !hidden.has(UNCODED) : a.codeIds.some((c) => !hidden.has(c));
}

/** Codes in display order: each parent followed by its descendants. */
export function codesInTreeOrder(codes: readonly Code[]): Code[] {
  return treeRows(codes).map((r) => r.code);
}
