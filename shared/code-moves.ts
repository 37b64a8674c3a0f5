import { childrenOf, isWithin } from './codebook';
import type { Code } from './model';

/**
 * Where a code goes when it is dragged onto another or stepped among its siblings, as the
 * `parentId` and `before` of a `codes.move`: pure functions over the flat list of codes, so the
 * tree panel (whose rows are virtualised) decides from ids alone, never from what is drawn.
 */

/** Where on a row a code is dropped: its upper edge, its lower edge, or its middle. */
export type DropZone = 'before' | 'after' | 'into';

/** A code's place in the tree, as `codes.move` takes it: `before` null means last among the siblings. */
export interface Placement {
  parentId: string | null;
  before: string | null;
}

/** Each code's parent as the tree shows it (a code whose parent is missing sits at the top level). */
function parentsOf(children: Map<string | null, Code[]>): Map<string, string | null> {
  const parents = new Map<string, string | null>();
  for (const [parent, list] of children) for (const c of list) parents.set(c.id, parent);
  return parents;
}

/**
 * Where code `moving` goes when dropped on `zone` of code `target`'s row: `into` makes it
 * `target`'s last child, `before` and `after` its sibling just above or below `target`. Null when
 * the drop is refused: onto itself or any code below it (which would make it its own ancestor),
 * an unknown code, or a place it already has (the drop would change nothing).
 */
export function dropPlacement(codes: readonly Code[], moving: string, target: string, zone: DropZone): Placement | null {
  if (moving === target || isWithin(codes, target, moving)) return null;
  const children = childrenOf(codes);
  const parents = parentsOf(children);
  if (!parents.has(moving) || !parents.has(target)) return null;
  const parentId = zone === 'into' ? target : parents.get(target)!;
  // The siblings it joins, without itself: `after` is before the next of them, or last.
  const others = (children.get(parentId) ?? []).map((c) => c.id).filter((id) => id !== moving);
  const at = zone === 'into' ? others.length : others.indexOf(target) + (zone === 'after' ? 1 : 0);
  const placement = { parentId, before: others[at] ?? null };
  if (parentId === parents.get(moving)) {
    const now = (children.get(parentId) ?? []).map((c) => c.id);
    const then = [...others.slice(0, at), moving, ...others.slice(at)];
    if (then.every((id, i) => id === now[i])) return null;
  }
  return placement;
}

/**
 * Where code `id` goes when moved one place `up` or `down` among its siblings (keeping its
 * parent); null when it is already first (up) or last (down), or unknown.
 */
export function siblingStep(codes: readonly Code[], id: string, direction: 'up' | 'down'): Placement | null {
  const children = childrenOf(codes);
  const siblings = children.get(parentsOf(children).get(id) ?? null) ?? [];
  const i = siblings.findIndex((c) => c.id === id);
  const neighbour = i < 0 ? undefined : siblings[direction === 'up' ? i - 1 : i + 1];
  return neighbour ? dropPlacement(codes, id, neighbour.id, direction === 'up' ? 'before' : 'after') : null;
}
