import type { ComponentChildren, JSX } from 'preact';
import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { Virtualizer, defaultRangeExtractor, elementScroll, observeElementOffset, observeElementRect, type Range } from '@tanstack/virtual-core';

/**
 * A list of any length that keeps only the rows near the viewport in the DOM, for every long
 * list of the app (the passages of a document now; the codebook, search results and the
 * passages view later). The rows keep list semantics for assistive technology (each says its
 * place with `aria-posinset` of `aria-setsize`), heights are measured as rows are drawn, and the
 * list is one stop for Tab: arrow keys, Home and End move between rows, scrolling as needed.
 *
 * The list may sit below other content in its scrolling container (`scrollElement`): its offset
 * there is measured again whenever that content changes size. Row positions are set through
 * CSSOM (the content security policy forbids style attributes in markup).
 *
 * A row is measured once, after the render that first draws it (then a ResizeObserver follows its size); the
 * list's offset is read only when a ResizeObserver says something before it changed size. Each
 * read of a size makes the browser lay the page out, which a long article beside the list makes
 * costly.
 */

/** What a parent can ask of the list. */
export interface VirtualListHandle {
  /** Scrolls row `index` into view and focuses its `focusTarget` once drawn. */
  focusRow(index: number): void;
  /** Scrolls row `index` into view if it is not (to the nearer edge), moving no focus. */
  scrollToRow(index: number): void;
}

export interface VirtualListProps<T> {
  items: readonly T[];
  getKey: (item: T) => string;
  /** A first guess at a row's height in pixels; rows are measured once drawn. */
  estimateSize: number;
  renderItem: (item: T, index: number, tabbable: boolean) => ComponentChildren;
  /** The element that scrolls the list (an ancestor). */
  scrollElement: () => HTMLElement | null;
  /** The list's name; absent when what holds the list names it (see `role`). */
  label?: string;
  /**
   * The list element's id and role, when not a plain list: a listbox, or `none` inside an
   * element that is one (a listbox that scrolls itself, as a combobox's popup).
   */
  id?: string;
  role?: JSX.AriaRole;
  class?: string;
  busy?: boolean;
  /** The row Tab lands on (e.g. the selected one); the first when absent. */
  activeIndex?: number;
  handle?: { current: VirtualListHandle | null };
  /**
   * What in a row takes the focus when the keys (or `focusRow`) move to it, as a CSS selector:
   * its first focusable element when absent. A tree row names its code's button, not the
   * collapse toggle before it.
   */
  focusTarget?: string;
  /** Attributes for a row's `<li>` (e.g. `aria-level` in a tree), over the list's own. */
  rowProps?: (item: T, index: number) => Record<string, string | number | boolean | undefined>;
  /**
   * A row drawn however the list is scrolled: the active option of a listbox whose focus stays
   * in a field, which `aria-activedescendant` names and so must be in the DOM.
   */
  alwaysDrawn?: number;
  /**
   * Every row has the same height (its CSS sees to it). One drawn row is measured (again when the
   * window is resized or zoomed) and its height is every row's: no row is measured as it comes
   * into view, which in a list of 100,000 would place every row after it again each time.
   */
  uniform?: boolean;
}

/** Rows drawn beyond the visible ones, either side: enough to scroll a little without a gap. */
const OVERSCAN = 6;

/**
 * The list. Empty or busy, it is a bare element: the virtualiser (which measures the page when
 * it starts) is made only once there are rows to show, so an app still loading pays nothing.
 */
export function VirtualList<T>(props: VirtualListProps<T>) {
  if (props.busy || props.items.length === 0) {
    if (props.handle) props.handle.current = { focusRow: () => undefined, scrollToRow: () => undefined };
    return <ol id={props.id} role={props.role} class={props.class} aria-label={props.label} aria-busy={props.busy || undefined} />;
  }
  return <VirtualRows {...props} />;
}

function VirtualRows<T>(props: VirtualListProps<T>) {
  const { items, getKey, estimateSize, renderItem, scrollElement, label, busy } = props;
  const list = useRef<HTMLOListElement>(null);
  const [, rerender] = useState(0);
  const [focusIndex, setFocusIndex] = useState(0);
  const pendingFocus = useRef<number | null>(null);
  const margin = useRef(0);

  // The virtualiser caches row positions by the identity of these functions: they must stay the
  // same between renders (new ones each time recompute every row, 100,000 of them, each frame).
  const latest = useRef({ items, getKey, estimateSize, scrollElement, uniform: props.uniform === true });
  latest.current = { items, getKey, estimateSize, scrollElement, uniform: props.uniform === true };
  /** The height of every row of a `uniform` list, once one is measured. */
  const uniformSize = useRef<number | null>(null);
  const [stable] = useState(() => ({
    estimateSize: () => uniformSize.current ?? latest.current.estimateSize,
    getItemKey: (i: number) => latest.current.getKey(latest.current.items[i]!),
    getScrollElement: () => latest.current.scrollElement(),
  }));
  /**
   * One ref callback per row key, so that re-rendering a row does not measure it again. New rows
   * are measured together once the DOM of the render is complete (see the layout effect): each
   * measurement lays the page out, and measured one by one while rows are still being inserted,
   * every row would cost a layout of its own.
   */
  const refs = useRef(new Map<string, (el: HTMLLIElement | null) => void>());
  const unmeasured = useRef<HTMLLIElement[]>([]);
  const refOf = (key: string): ((el: HTMLLIElement | null) => void) => {
    let ref = refs.current.get(key);
    if (!ref) {
      ref = (el) => {
        if (el) {
          if (!latest.current.uniform || uniformSize.current === null) unmeasured.current.push(el);
        } else refs.current.delete(key);
      };
      refs.current.set(key, ref);
    }
    return ref;
  };
  const { alwaysDrawn } = props;
  // A new function when the row to keep changes: the virtualiser recomputes the drawn rows only then.
  const rangeExtractor = useMemo(
    () =>
      (range: Range): number[] => {
        const drawn = defaultRangeExtractor(range);
        if (alwaysDrawn === undefined || alwaysDrawn < 0 || alwaysDrawn >= range.count || drawn.includes(alwaysDrawn)) return drawn;
        return [...drawn, alwaysDrawn].sort((a, b) => a - b);
      },
    [alwaysDrawn],
  );
  const options = {
    count: items.length,
    rangeExtractor,
    getScrollElement: stable.getScrollElement,
    estimateSize: stable.estimateSize,
    getItemKey: stable.getItemKey,
    scrollToFn: elementScroll,
    observeElementRect,
    observeElementOffset,
    overscan: OVERSCAN,
    // Until the container is measured (when the list mounts), assume it is as tall as the window:
    // the first render then already holds the rows on screen, and the page is laid out once, not
    // once empty and again with its rows.
    initialRect: { width: 0, height: window.innerHeight },
    scrollMargin: margin.current,
    onChange: () => rerender((n) => n + 1),
  };
  const [virtualizer] = useState(() => new Virtualizer<HTMLElement, HTMLLIElement>(options));
  virtualizer.setOptions({ ...virtualizer.options, ...options });
  // The virtualiser reads the keys again only when the count or that function changes: items
  // changed in place (a code moved among its siblings, a filter keeping as many) would keep the
  // old keys, and a row's element (the focused one, say) would go on showing another item. A new
  // function then, and only then: it recomputes every row's position once.
  if (!busy && virtualizer.getVirtualItems().some((row) => row.key !== getKey(items[row.index]!))) {
    stable.getItemKey = (i: number) => latest.current.getKey(latest.current.items[i]!);
    virtualizer.setOptions({ ...virtualizer.options, getItemKey: stable.getItemKey });
  }

  useLayoutEffect(() => virtualizer._didMount(), []);
  // A uniform list's rows change height with the window's zoom or size: one is measured again.
  useLayoutEffect(() => {
    if (!props.uniform) return;
    const onResize = (): void => {
      const row = list.current?.querySelector<HTMLLIElement>('li[data-index]');
      if (row) unmeasured.current.push(row);
      rerender((n) => n + 1);
    };
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, [props.uniform]);
  // Where the list starts inside the scrolling container: measured when anything before it there
  // changes size (a ResizeObserver reports after layout, so reading positions then costs nothing).
  const [above] = useState(
    () =>
      new ResizeObserver(() => {
        const root = latest.current.scrollElement();
        const el = list.current;
        if (!root || !el) return;
        const offset = el.getBoundingClientRect().top - root.getBoundingClientRect().top + root.scrollTop;
        if (Math.abs(offset - margin.current) > 0.5) {
          margin.current = offset;
          rerender((n) => n + 1);
        }
      }),
  );
  const watched = useRef<Element[]>([]);
  useLayoutEffect(() => () => above.disconnect(), []);
  useLayoutEffect(() => {
    const root = scrollElement();
    const el = list.current;
    if (root && el) {
      // The list, and everything before it (its own earlier siblings and its ancestors'), up to the container.
      const now: Element[] = [el];
      for (let node: Element | null = el; node && node !== root; node = node.parentElement) {
        for (let sib = node.previousElementSibling; sib; sib = sib.previousElementSibling) now.push(sib);
      }
      if (now.length !== watched.current.length || now.some((n, i) => n !== watched.current[i])) {
        for (const n of watched.current) if (!now.includes(n)) above.unobserve(n);
        for (const n of now) if (!watched.current.includes(n)) above.observe(n);
        watched.current = now;
      }
    }
    const fresh = unmeasured.current;
    unmeasured.current = [];
    if (props.uniform) {
      const row = fresh.find((r) => r.isConnected);
      const height = row?.getBoundingClientRect().height ?? 0;
      if (height > 0 && height !== uniformSize.current) {
        uniformSize.current = height;
        // Every row's place from the one height, computed once.
        virtualizer.measure();
      }
    } else for (const row of fresh) if (row.isConnected) virtualizer.measureElement(row);
    virtualizer._willUpdate();
    const target = pendingFocus.current;
    if (target !== null && el) {
      const row = el.querySelector<HTMLElement>(`li[data-index="${target}"]`);
      if (row) {
        pendingFocus.current = null;
        row.querySelector<HTMLElement>(props.focusTarget ?? 'button, [tabindex]')?.focus();
      }
    }
  });

  const focusRow = (index: number): void => {
    if (items.length === 0) return;
    const i = Math.max(0, Math.min(items.length - 1, index));
    setFocusIndex(i);
    pendingFocus.current = i;
    virtualizer.scrollToIndex(i, { align: 'auto' });
    rerender((n) => n + 1);
  };
  const scrollToRow = (index: number): void => {
    if (items.length === 0) return;
    const i = Math.max(0, Math.min(items.length - 1, index));
    const to = virtualizer.getOffsetForIndex(i, 'auto');
    // Asked on every key of a picker: a row already in view starts no scroll (and no frames of reconciling it).
    if (to && Math.abs(to[0] - (virtualizer.scrollOffset ?? 0)) > 0.5) virtualizer.scrollToIndex(i, { align: 'auto' });
  };
  if (props.handle) props.handle.current = { focusRow, scrollToRow };

  const tabStop = Math.min(props.activeIndex ?? focusIndex, Math.max(0, items.length - 1));
  const rows = busy ? [] : virtualizer.getVirtualItems();
  return (
    <ol
      id={props.id}
      role={props.role}
      class={props.class}
      aria-label={label}
      aria-busy={busy || undefined}
      ref={list}
      style={{ position: 'relative', height: `${busy ? 0 : virtualizer.getTotalSize()}px` }}
      onFocusIn={(e) => {
        const row = (e.target as HTMLElement).closest('li[data-index]');
        if (row) setFocusIndex(Number(row.getAttribute('data-index')));
      }}
      onKeyDown={(e) => {
        const row = (e.target as HTMLElement).closest('li[data-index]');
        if (!row) return;
        const at = Number(row.getAttribute('data-index'));
        const page = Math.max(1, Math.floor((scrollElement()?.clientHeight ?? 400) / estimateSize) - 1);
        const to: Record<string, number> = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: items.length - 1, PageDown: at + page, PageUp: at - page };
        if (!(e.key in to) || e.altKey || e.ctrlKey || e.metaKey) return;
        e.preventDefault();
        focusRow(to[e.key]!);
      }}
    >
      {rows.map((row) => (
        <li
          key={row.key as string}
          data-index={row.index}
          ref={refOf(row.key as string)}
          aria-setsize={items.length}
          aria-posinset={row.index + 1}
          {...props.rowProps?.(items[row.index]!, row.index)}
          style={{ position: 'absolute', top: '0', left: '0', right: '0', transform: `translateY(${row.start - margin.current}px)` }}
        >
          {renderItem(items[row.index]!, row.index, row.index === tabStop)}
        </li>
      ))}
    </ol>
  );
}
