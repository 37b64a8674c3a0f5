import { Component } from 'preact';
import type { DropZone } from '../../shared/code-moves';
import { sameProps } from './same-props';
import type { DragRowProps } from './tree-drag';

/**
 * What a row of the codebook tree asks of the panel. One object for the panel's lifetime, its
 * methods calling the panel's latest handlers, so that rows can be compared by their props.
 */
export interface CodeRowActions {
  /** Opens the code's details. */
  select(id: string): void;
  /** Collapses or expands the code (toggles when `open` is absent). */
  toggle(id: string, open?: boolean): void;
  /** Moves the code among its siblings. */
  step(id: string, direction: 'up' | 'down'): void;
  /** The row's drag-and-drop handlers (tree-drag.ts). */
  drag(id: string): DragRowProps;
}

/** What a tree row draws: plain values (no code object, whose colour a row does not draw), and the panel's actions. */
export interface CodeTreeRowProps {
  id: string;
  name: string;
  description: string;
  /** Keys the swatch's colour class, and the definition's element id. */
  slot: number;
  depth: number;
  hasChildren: boolean;
  open: boolean;
  /** Rows of a search: all expanded, none collapsible. */
  searching: boolean;
  /** Passages in the open document and in the project. */
  here: number;
  all: number;
  /** The code's key as shown ('' for none). */
  keyText: string;
  /** The code whose details are open. */
  current: boolean;
  /** The row Tab lands on. */
  tabbable: boolean;
  /** Where a drag over the row would drop, to draw it. */
  zone: DropZone | null;
  /** The row's code is being dragged. */
  dragging: boolean;
  on: CodeRowActions;
}

/**
 * One code of the codebook tree: collapse toggle, swatch, name, key and counts; Alt+↑/↓ moves
 * it among its siblings, →/← expand and collapse it. A row redraws only when one of its props
 * changes: recolouring a code changes its slot's style rule, not its row (code-styles.ts).
 */
export class CodeTreeRow extends Component<CodeTreeRowProps> {
  override shouldComponentUpdate(next: CodeTreeRowProps): boolean {
    return !sameProps(this.props, next);
  }

  override render({ id, name, description, slot, depth, hasChildren, open, searching, here, all, keyText, current, tabbable, zone, dragging, on }: CodeTreeRowProps) {
    const collapsible = hasChildren && !searching;
    // The drag handlers of the render that drew the row stay bound while it is skipped: they read
    // the drag's state through refs, so they act as the latest ones would.
    return (
      <div class={`code-row depth-${Math.min(depth, 8)}${zone ? ` drop-${zone}` : ''}${dragging ? ' dragging' : ''}`} {...on.drag(id)}>
        {collapsible ? (
          <button type="button" class="ghost code-toggle" tabIndex={-1} aria-expanded={open} aria-label={`${open ? 'Collapse' : 'Expand'} ${name}`} onClick={() => on.toggle(id)}>
            {open ? '▾' : '▸'}
          </button>
        ) : (
          <span class="code-toggle" aria-hidden="true" />
        )}
        <button
          type="button"
          class="code-item"
          tabIndex={tabbable ? 0 : -1}
          aria-current={current || undefined}
          aria-expanded={collapsible ? open : undefined}
          title={description || undefined}
          aria-describedby={description ? `code-def-${slot}` : undefined}
          aria-keyshortcuts="Alt+ArrowUp Alt+ArrowDown"
          onClick={() => on.select(id)}
          onKeyDown={(e) => {
            if (e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
              e.preventDefault();
              on.step(id, e.key === 'ArrowUp' ? 'up' : 'down');
              return;
            }
            if (!collapsible) return;
            if (e.key === 'ArrowRight' && !open) {
              e.preventDefault();
              on.toggle(id, true);
            } else if (e.key === 'ArrowLeft' && open) {
              e.preventDefault();
              on.toggle(id, false);
            }
          }}
        >
          <span class={`swatch code-${slot}`} aria-hidden="true" />
          <span class="code-name">{name}</span>
          {keyText ? (
            <kbd class="code-key" aria-hidden="true">
              {keyText}
            </kbd>
          ) : null}
          <span class="code-counts">
            <span aria-hidden="true">
              {here} / {all}
            </span>
            <span class="sr-only">{`(${keyText ? `key ${keyText}; ` : ''}${here} in this document, ${all} in the project)`}</span>
          </span>
        </button>
        {description ? (
          <span id={`code-def-${slot}`} hidden>
            {description}
          </span>
        ) : null}
      </div>
    );
  }
}
