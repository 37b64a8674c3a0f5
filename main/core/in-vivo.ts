import { ApiError } from '../../shared/api';
import { inVivoName, siblingNamed } from '../../shared/codebook';
import type { Annotation, PlacedAnnotation } from '../../shared/model';
import { planCreate, type PlanSource } from './codebook-plans';
import type { Command } from './commands';

/**
 * In-vivo coding: a passage coded with a code named after its own words, as MAXQDA and
 * ATLAS.ti users know it. Planned inside the transaction, against the codebook and the
 * document's passages as they are then, into one command, so that making the code and coding
 * the passage are one commit and one undo step (a `compound`, whose inverse takes the code off
 * the passage, or deletes the passage, before deleting the code).
 */

/** What an in-vivo coding is asked to do, with what the handler read before the transaction. */
export interface InVivoRequest {
  documentId: string;
  /** The passage's range, trimmed and snapped as every passage's is. */
  start: number;
  end: number;
  /** The text of that range. */
  words: string;
  /** Where a new code goes (null: the top level). */
  parentId: string | null;
  /** The command creating a passage over the range coded with `codeIds`. */
  passage(codeIds: string[]): Command;
}

/** The command to run, what it is called in the history, and the code it applies. */
export interface InVivoPlan {
  command: Command;
  label: string;
  codeId: string;
}

/** Longest code name an undo label quotes. */
const LABEL_NAME_MAX = 24;

/**
 * Plans an in-vivo coding. A code of the name under the parent (compared as every code name
 * is: case-insensitive, Unicode-normalised) is applied rather than made twice; a passage over
 * exactly the range (where it is in the current text) is given the code rather than a twin, as
 * the code picker does. Refuses when the words make no name, the parent is gone, or the passage
 * holds that code already.
 */
export function planInVivo(src: PlanSource, passages: readonly Annotation[], place: (a: Annotation) => PlacedAnnotation, req: InVivoRequest): InVivoPlan {
  const name = inVivoName(req.words);
  if (name === '') throw new ApiError('invalid_input', 'The selection holds no words to name a code after, only punctuation.');
  if (req.parentId !== null && !src.codes.some((c) => c.id === req.parentId)) {
    throw new ApiError('not_found', `No code with id "${req.parentId}" in the codebook (deleted in another window?).`);
  }
  const twin = passages.find((a) => {
    if (a.position.start !== req.start || a.position.end !== req.end) return false;
    const at = place(a).anchor;
    return at.status !== 'orphan' && at.start === req.start && at.end === req.end;
  });
  const coding = (codeId: string): Command => (twin ? { kind: 'addCodes', documentId: req.documentId, id: twin.id, codeIds: [codeId] } : req.passage([codeId]));

  const existing = siblingNamed(src.codes, req.parentId, name);
  if (existing) {
    if (twin?.codeIds.includes(existing.id)) throw new ApiError('invalid_input', `The passage is coded “${existing.name}” already: nothing to change.`);
    return { command: coding(existing.id), label: twin ? 'add code' : 'code passage', codeId: existing.id };
  }
  const { edit, code } = planCreate(src, { name, parentId: req.parentId });
  return {
    command: { kind: 'compound', steps: [edit, coding(code.id)] },
    label: `in-vivo code “${inVivoName(name, LABEL_NAME_MAX)}”`,
    codeId: code.id,
  };
}
