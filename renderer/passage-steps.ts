import type { PlacedAnnotation } from '../shared/model';

/**
 * Reading from one coded passage to the next with the keyboard: `]` and `[` go to the next and
 * the previous passage of the article, `}` and `{` (Shift with them) to the next and previous
 * passage sharing a code with the one the reader is on.
 */

export interface PassageStep {
  direction: 1 | -1;
  /** Only passages sharing a code with the current one. */
  sameCode: boolean;
}

/** The step a key asks for, or null. AltGr (Ctrl+Alt) typing a bracket counts; Ctrl or ⌘ alone does not. */
export function passageStepOfKey(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'altKey' | 'metaKey'>): PassageStep | null {
  if (e.metaKey || e.ctrlKey !== e.altKey) return null;
  switch (e.key) {
    case ']':
      return { direction: 1, sameCode: false };
    case '[':
      return { direction: -1, sameCode: false };
    case '}':
      return { direction: 1, sameCode: true };
    case '{':
      return { direction: -1, sameCode: true };
    default:
      return null;
  }
}

/**
 * The passage a step goes to, among `passages` (placed, in text order): from `chosen` (the
 * passage whose details are shown, when the caret is in it) the next one starting after its
 * start or the last starting before it; else from `caret` (a text offset), the first starting at
 * or after it, or the last starting before it. With `sameCode`, only passages sharing a code
 * with `chosen`, or else with `here` (the innermost passage at the caret); none without one.
 */
export function stepTarget(passages: readonly PlacedAnnotation[], caret: number, step: PassageStep, chosen: PlacedAnnotation | null, here: PlacedAnnotation | null): PlacedAnnotation | null {
  const on = chosen ?? (step.sameCode ? here : null);
  let pool = on ? passages.filter((p) => p.id !== on.id) : passages;
  if (step.sameCode) {
    if (!on || on.codeIds.length === 0) return null;
    const codes = new Set(on.codeIds);
    pool = pool.filter((p) => p.codeIds.some((c) => codes.has(c)));
  }
  if (step.direction === 1) {
    if (!on) return pool.find((p) => p.anchor.start >= caret) ?? null;
    // After it, or nested in it from its own start.
    return pool.find((p) => p.anchor.start > on.anchor.start || (p.anchor.start === on.anchor.start && p.anchor.end < on.anchor.end)) ?? null;
  }
  const from = on ? on.anchor.start : caret;
  for (let i = pool.length - 1; i >= 0; i--) if (pool[i]!.anchor.start < from) return pool[i]!;
  return null;
}
