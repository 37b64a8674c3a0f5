import { describe, expect, it } from 'vitest';
import type { PlacedAnnotation } from '../../shared/model';
import { passageStepOfKey, stepTarget } from '../../renderer/passage-steps';

// Stepping from passage to passage with ] [ } {: which key means which step, and where it lands.

const at = (id: string, start: number, end: number, codeIds: string[]) => ({ id, codeIds, anchor: { status: 'exact', start, end } }) as unknown as PlacedAnnotation;
const A = at('a', 0, 10, ['x']);
const B = at('b', 5, 8, ['y']);
const C = at('c', 20, 30, ['x']);
const ALL = [A, B, C];
const next = { direction: 1, sameCode: false } as const;
const prev = { direction: -1, sameCode: false } as const;

describe('passage steps', () => {
  it('reads the bracket keys, AltGr too, never Ctrl or ⌘ alone', () => {
    expect(passageStepOfKey({ key: ']', ctrlKey: false, altKey: false, metaKey: false })).toEqual(next);
    expect(passageStepOfKey({ key: '{', ctrlKey: false, altKey: false, metaKey: false })).toEqual({ direction: -1, sameCode: true });
    expect(passageStepOfKey({ key: '[', ctrlKey: true, altKey: true, metaKey: false })).toEqual(prev);
    expect(passageStepOfKey({ key: ']', ctrlKey: true, altKey: false, metaKey: false })).toBeNull();
    expect(passageStepOfKey({ key: ']', ctrlKey: false, altKey: false, metaKey: true })).toBeNull();
    expect(passageStepOfKey({ key: 'j', ctrlKey: false, altKey: false, metaKey: false })).toBeNull();
  });

  it('goes to the passage starting at or after the caret, or from the chosen one to the next', () => {
    expect(stepTarget(ALL, 0, next, null, null)).toBe(A);
    expect(stepTarget(ALL, 1, next, null, null)).toBe(B);
    // From A chosen: B nested in it comes next, then C.
    expect(stepTarget(ALL, 3, next, A, A)).toBe(B);
    expect(stepTarget(ALL, 6, next, B, B)).toBe(C);
    expect(stepTarget(ALL, 25, next, C, C)).toBeNull();
    expect(stepTarget(ALL, 25, prev, C, C)).toBe(B);
    expect(stepTarget(ALL, 6, prev, B, B)).toBe(A);
    expect(stepTarget(ALL, 0, prev, A, A)).toBeNull();
  });

  it('keeps to the codes of the passage the reader is on', () => {
    expect(stepTarget(ALL, 1, { direction: 1, sameCode: true }, A, A)).toBe(C);
    expect(stepTarget(ALL, 25, { direction: -1, sameCode: true }, null, C)).toBe(A);
    expect(stepTarget(ALL, 15, { direction: 1, sameCode: true }, null, null)).toBeNull();
  });
});
