/**
 * How the window is shared between the article and the side panels. Pure: the window's width,
 * what the article needs and what the user asked for in, which sides are docked and how wide
 * out. The article always keeps its least comfortable measure (`articleMin`, 45 characters):
 * docked panels first give up width down to their minimum, then the side that matters least
 * while coding stops being docked (its panels open as drawers over the article instead).
 */

export type PanelId = 'documents' | 'codes' | 'passages';
export type SideId = 'left' | 'right';

/** The side column each panel is in: documents and codes share the left one. */
export const SIDE_OF: Readonly<Record<PanelId, SideId>> = { documents: 'left', codes: 'left', passages: 'right' };

/** What the user asked of a side: shown or not, and its width when docked. */
export interface SideRequest {
  open: boolean;
  width: number;
  min: number;
}

/** What a side gets. */
export interface SideLayout {
  /** Shown beside the article (else hidden, its panels opening as drawers). */
  docked: boolean;
  /** Its width when docked: the width asked for, or less when the window is short of room. */
  width: number;
  /** The widest it may be made now, leaving the article its measure (at least `min`). */
  max: number;
}

export type Arrangement = Record<SideId, SideLayout>;

/** Which side stays docked longest: the passages, where coding happens, over the documents and codes. */
export const KEEP_ORDER: readonly SideId[] = ['right', 'left'];

/**
 * The sides' layout in a window `total` pixels wide, where the article needs at least
 * `articleMin` and each docked side takes a splitter of `splitter` pixels besides its width.
 */
export function arrangeSides(total: number, articleMin: number, splitter: number, sides: Readonly<Record<SideId, SideRequest>>): Arrangement {
  const docked: Record<SideId, boolean> = { left: sides.left.open, right: sides.right.open };
  const need = (): number => articleMin + KEEP_ORDER.reduce((sum, s) => sum + (docked[s] ? sides[s].min + splitter : 0), 0);
  // The side kept least long goes first, until what stays docked fits at its minimum.
  for (const side of [...KEEP_ORDER].reverse()) if (need() > total && docked[side]) docked[side] = false;

  const room = total - articleMin - KEEP_ORDER.reduce((sum, s) => sum + (docked[s] ? splitter : 0), 0);
  const width: Record<SideId, number> = { left: docked.left ? Math.max(sides.left.min, sides.left.width) : 0, right: docked.right ? Math.max(sides.right.min, sides.right.width) : 0 };
  // Short of room: the side kept least long narrows first, each down to its minimum.
  let over = width.left + width.right - room;
  for (const side of [...KEEP_ORDER].reverse()) {
    if (over <= 0 || !docked[side]) continue;
    const give = Math.min(over, width[side] - sides[side].min);
    width[side] -= give;
    over -= give;
  }
  const layout = (side: SideId, other: SideId): SideLayout => ({
    docked: docked[side],
    width: Math.floor(width[side]),
    max: Math.floor(Math.max(sides[side].min, room - width[other])),
  });
  return { left: layout('left', 'right'), right: layout('right', 'left') };
}

/** A drawer's width: the side's width, leaving a strip of the article (for a tap outside) in a narrow window. */
export function drawerWidth(total: number, width: number): number {
  return Math.round(Math.max(0, Math.min(width, total - 40)));
}
