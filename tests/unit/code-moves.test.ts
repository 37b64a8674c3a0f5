import { describe, expect, it } from 'vitest';
import { treeRows } from '../../shared/codebook';
import { dropPlacement, siblingStep, type DropZone, type Placement } from '../../shared/code-moves';
import type { Code } from '../../shared/model';
import { planMove } from '../../main/core/codebook-plans';
import { placeSentence } from '../../renderer/codebook-actions';

// Where a dragged or stepped code goes, checked by what main's own move makes of it: each
// expectation is the tree after the move, as an outline.

/** Codes from an outline, one name per line, two spaces per level; a code's id is its name. */
function outline(...lines: string[]): Code[] {
  const parents: string[] = [];
  return lines.map((line, slot) => {
    const depth = (line.length - line.trimStart().length) / 2;
    const id = line.trim();
    parents[depth] = id;
    return { id, name: id, color: '#888888', description: '', parentId: depth === 0 ? null : parents[depth - 1]!, slot };
  });
}

/** The tree of `codes` as an outline. */
const shape = (codes: readonly Code[]): string[] => treeRows(codes).map((r) => `${'  '.repeat(r.depth)}${r.code.name}`);

/** The codes after main moves `id` to `placement`. */
function moved(codes: readonly Code[], id: string, placement: Placement): Code[] {
  const edit = planMove({ codes, passagesWith: () => [] }, { id, ...placement });
  const after = new Map(edit.codes.map((c) => [c.id, c.after!]));
  const byId = new Map(codes.map((c) => [c.id, after.get(c.id) ?? c]));
  return edit.order.map((x) => byId.get(x)!);
}

/** The tree after dropping `id` on `zone` of `target`'s row, or null when the drop is refused. */
function drop(codes: readonly Code[], id: string, target: string, zone: DropZone): string[] | null {
  const placement = dropPlacement(codes, id, target, zone);
  return placement && shape(moved(codes, id, placement));
}

const book = outline('a', '  a1', '  a2', '    a2x', '  a3', 'b', '  b1', 'c');

describe('dropping a code on a row', () => {
  it('makes it the last child of the row it is dropped into', () => {
    expect(drop(book, 'c', 'a2', 'into')).toEqual(['a', '  a1', '  a2', '    a2x', '    c', '  a3', 'b', '  b1']);
    expect(drop(book, 'a1', 'b', 'into')).toEqual(['a', '  a2', '    a2x', '  a3', 'b', '  b1', '  a1', 'c']);
    expect(drop(book, 'a2', 'c', 'into')).toEqual(['a', '  a1', '  a3', 'b', '  b1', 'c', '  a2', '    a2x']);
  });

  it('places it before the row, under the same parent', () => {
    expect(dropPlacement(book, 'c', 'a2', 'before')).toEqual({ parentId: 'a', before: 'a2' });
    expect(drop(book, 'c', 'a2', 'before')).toEqual(['a', '  a1', '  c', '  a2', '    a2x', '  a3', 'b', '  b1']);
    expect(drop(book, 'a3', 'a1', 'before')).toEqual(['a', '  a3', '  a1', '  a2', '    a2x', 'b', '  b1', 'c']);
    expect(drop(book, 'b1', 'a', 'before')).toEqual(['b1', 'a', '  a1', '  a2', '    a2x', '  a3', 'b', 'c']);
  });

  it('places it after the row: before the row’s next sibling, or last when the row is last', () => {
    expect(dropPlacement(book, 'c', 'a1', 'after')).toEqual({ parentId: 'a', before: 'a2' });
    expect(dropPlacement(book, 'c', 'a3', 'after')).toEqual({ parentId: 'a', before: null });
    expect(drop(book, 'c', 'a3', 'after')).toEqual(['a', '  a1', '  a2', '    a2x', '  a3', '  c', 'b', '  b1']);
    // After a row whose next sibling is the dragged code itself: the one after that.
    expect(dropPlacement(book, 'a2', 'a1', 'after')).toBeNull();
    expect(dropPlacement(book, 'a1', 'a2', 'after')).toEqual({ parentId: 'a', before: 'a3' });
    expect(drop(book, 'a1', 'a2', 'after')).toEqual(['a', '  a2', '    a2x', '  a1', '  a3', 'b', '  b1', 'c']);
    expect(drop(book, 'a', 'b', 'after')).toEqual(['b', '  b1', 'a', '  a1', '  a2', '    a2x', '  a3', 'c']);
    expect(drop(book, 'a2x', 'c', 'after')).toEqual(['a', '  a1', '  a2', '  a3', 'b', '  b1', 'c', 'a2x']);
  });

  it('refuses a drop onto the code itself or anywhere below it', () => {
    for (const zone of ['before', 'after', 'into'] as const) {
      expect(dropPlacement(book, 'a', 'a', zone)).toBeNull();
      expect(dropPlacement(book, 'a', 'a2', zone)).toBeNull();
      expect(dropPlacement(book, 'a', 'a2x', zone)).toBeNull();
      expect(dropPlacement(book, 'a2', 'a2x', zone)).toBeNull();
    }
    // Its own parent's sibling or its parent are fine.
    expect(dropPlacement(book, 'a2x', 'a', 'into')).toEqual({ parentId: 'a', before: null });
  });

  it('refuses a drop that would change nothing', () => {
    expect(dropPlacement(book, 'a2', 'a1', 'after')).toBeNull();
    expect(dropPlacement(book, 'a2', 'a3', 'before')).toBeNull();
    expect(dropPlacement(book, 'a3', 'a', 'into')).toBeNull();
    expect(dropPlacement(book, 'a2x', 'a2', 'into')).toBeNull();
    expect(dropPlacement(book, 'c', 'b', 'after')).toBeNull();
    // Into its own parent when it is not last: to the end.
    expect(drop(book, 'a1', 'a', 'into')).toEqual(['a', '  a2', '    a2x', '  a3', '  a1', 'b', '  b1', 'c']);
  });

  it('refuses unknown codes', () => {
    expect(dropPlacement(book, 'nope', 'a', 'into')).toBeNull();
    expect(dropPlacement(book, 'a1', 'nope', 'before')).toBeNull();
  });
});

describe('stepping a code among its siblings', () => {
  it('moves it up before the sibling above, and down after the sibling below', () => {
    expect(siblingStep(book, 'a2', 'up')).toEqual({ parentId: 'a', before: 'a1' });
    expect(siblingStep(book, 'a2', 'down')).toEqual({ parentId: 'a', before: null });
    expect(siblingStep(book, 'a1', 'down')).toEqual({ parentId: 'a', before: 'a3' });
    expect(shape(moved(book, 'a1', siblingStep(book, 'a1', 'down')!))).toEqual(['a', '  a2', '    a2x', '  a1', '  a3', 'b', '  b1', 'c']);
    expect(shape(moved(book, 'b', siblingStep(book, 'b', 'up')!))).toEqual(['b', '  b1', 'a', '  a1', '  a2', '    a2x', '  a3', 'c']);
    expect(shape(moved(book, 'a', siblingStep(book, 'a', 'down')!))).toEqual(['b', '  b1', 'a', '  a1', '  a2', '    a2x', '  a3', 'c']);
  });

  it('has nowhere to go at either end, nor for an only child', () => {
    expect(siblingStep(book, 'a1', 'up')).toBeNull();
    expect(siblingStep(book, 'a3', 'down')).toBeNull();
    expect(siblingStep(book, 'a', 'up')).toBeNull();
    expect(siblingStep(book, 'c', 'down')).toBeNull();
    expect(siblingStep(book, 'a2x', 'up')).toBeNull();
    expect(siblingStep(book, 'a2x', 'down')).toBeNull();
    expect(siblingStep(book, 'nope', 'up')).toBeNull();
  });
});

describe('saying where a moved code is', () => {
  it('gives its place among its siblings and its parent’s path', () => {
    expect(placeSentence(book, 'a2x')).toBe('“a2x” is now 1 of 1 in “a › a2”.');
    expect(placeSentence(book, 'a3')).toBe('“a3” is now 3 of 3 in “a”.');
    expect(placeSentence(book, 'b')).toBe('“b” is now 2 of 3 at the top level.');
  });
});
