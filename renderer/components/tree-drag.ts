import type { JSX } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { dropPlacement, type DropZone, type Placement } from '../../shared/code-moves';
import type { Code } from '../../shared/model';

/**
 * Dragging codes in the codebook tree with the mouse (HTML5 drag and drop): a row dropped on
 * another row's middle becomes its child, on its upper or lower edge its sibling before or after
 * it. Where a drop would land is worked out from the two codes' ids and the codebook
 * (`dropPlacement`), never from the rows drawn: the tree is virtualised, and the neighbours of a
 * row may not be in the DOM. A refused drop (onto the code itself or below it, or where it
 * already is) shows no indicator and does nothing. The keyboard's way to the same moves is the
 * details pane's Move to, Move up and Move down, and Alt+↑/↓ on a row.
 */

/** The data type a dragged code carries: only drags that carry it are taken. */
const CODE_DRAG_TYPE = 'application/x-gloss-code';

/**
 * The share of a row's height, at its top and at its bottom, where a drop places the code beside
 * the row rather than inside it: wide enough to hit without aiming at a pixel, and leaving half
 * the row to "into", the most common move.
 */
const EDGE = 0.25;

/** The drag-and-drop handlers of one row's element. */
export interface DragRowProps {
  draggable: true;
  onDragStart: (e: JSX.TargetedDragEvent<HTMLElement>) => void;
  onDragEnd: () => void;
  onDragEnter: (e: JSX.TargetedDragEvent<HTMLElement>) => void;
  onDragOver: (e: JSX.TargetedDragEvent<HTMLElement>) => void;
  onDragLeave: (e: JSX.TargetedDragEvent<HTMLElement>) => void;
  onDrop: (e: JSX.TargetedDragEvent<HTMLElement>) => void;
}

export interface TreeDrag {
  /** The handlers for the row of code `id`. */
  rowProps(id: string): DragRowProps;
  /** Where the code being dragged would land on the row of `id`, to draw it; null when not over it or refused. */
  zoneOn(id: string): DropZone | null;
  /** The code being dragged, if any. */
  dragging: string | null;
}

/** Which part of `row` the pointer at `clientY` is over. */
function zoneAt(row: HTMLElement, clientY: number): DropZone {
  const box = row.getBoundingClientRect();
  const y = box.height > 0 ? (clientY - box.top) / box.height : 0.5;
  return y < EDGE ? 'before' : y > 1 - EDGE ? 'after' : 'into';
}

/**
 * Drag and drop for the rows of a tree of `codes`; `onDrop` is called with the dragged code and
 * where it goes, for accepted drops only.
 */
export function useTreeDrag(codes: readonly Code[], onDrop: (id: string, placement: Placement) => void): TreeDrag {
  const [dragging, setDragging] = useState<string | null>(null);
  const [over, setOver] = useState<{ id: string; zone: DropZone } | null>(null);
  // Read by handlers between renders: a dragover may come before the render its dragstart asked for.
  const dragged = useRef<string | null>(null);
  const latest = useRef({ codes, onDrop });
  latest.current = { codes, onDrop };

  const stop = (): void => {
    dragged.current = null;
    setDragging(null);
    setOver(null);
  };
  /** Where the drag over row `id` would land, or null (nothing of ours dragged, or refused). */
  const landing = (e: JSX.TargetedDragEvent<HTMLElement>, id: string): { zone: DropZone; placement: Placement } | null => {
    const moving = dragged.current;
    if (!moving || !e.dataTransfer?.types.includes(CODE_DRAG_TYPE)) return null;
    const zone = zoneAt(e.currentTarget, e.clientY);
    const placement = dropPlacement(latest.current.codes, moving, id, zone);
    return placement ? { zone, placement } : null;
  };

  /** Shows where a drop on row `id` would land and accepts it there (by cancelling the event), or shows nothing. */
  const hover = (e: JSX.TargetedDragEvent<HTMLElement>, id: string): void => {
    const land = landing(e, id);
    if (!land) {
      setOver((o) => (o?.id === id ? null : o));
      return;
    }
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'move';
    setOver((o) => (o?.id === id && o.zone === land.zone ? o : { id, zone: land.zone }));
  };

  const rowProps = (id: string): DragRowProps => ({
    draggable: true,
    onDragStart: (e) => {
      if (!e.dataTransfer) return;
      e.dataTransfer.setData(CODE_DRAG_TYPE, id);
      e.dataTransfer.effectAllowed = 'move';
      dragged.current = id;
      setDragging(id);
    },
    onDragEnd: stop,
    // Both: a row is shown as the target from the moment the pointer enters it, before it moves there.
    onDragEnter: (e) => hover(e, id),
    onDragOver: (e) => hover(e, id),
    onDragLeave: (e) => {
      if (e.relatedTarget instanceof Node && e.currentTarget.contains(e.relatedTarget)) return;
      setOver((o) => (o?.id === id ? null : o));
    },
    onDrop: (e) => {
      const land = landing(e, id);
      const moving = dragged.current;
      stop();
      if (!land || !moving) return;
      e.preventDefault();
      latest.current.onDrop(moving, land.placement);
    },
  });

  return { rowProps, zoneOn: (id) => (over?.id === id ? over.zone : null), dragging };
}
