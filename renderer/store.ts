import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';

/**
 * A minimal one-way state container: state is replaced, never mutated; components read it
 * through `useStore(selector)` and re-render when their slice changes.
 */
export interface Store<S> {
  get(): S;
  set(update: (s: S) => S): void;
  subscribe(listener: () => void): () => void;
}

export function createStore<S>(initial: S): Store<S> {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => state,
    set(update) {
      const next = update(state);
      if (next === state) return;
      state = next;
      for (const l of [...listeners]) l();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Subscribes a component to a slice of the store (compared by identity). */
export function useStore<S, T>(store: Store<S>, select: (s: S) => T): T {
  const [value, setValue] = useState(() => select(store.get()));
  useEffect(() => {
    const check = (): void => setValue(() => select(store.get()));
    check();
    return store.subscribe(check);
    // Selectors are stable in meaning, so one subscription per store is enough.
  }, [store]);
  return value;
}

/**
 * `value` as it was until the frame showing the new one has been drawn, then the new one in the
 * next frame, when `defer(shown, value)` says so (a small change); at once otherwise: for parts
 * of the page that may follow a frame later, so that what the user acted on is drawn first (the
 * article before the passage list beside it).
 */
export function useAfterPaint<T>(value: T, defer: (shown: T, value: T) => boolean): T {
  const shown = useRef(value);
  const [, redraw] = useState(0);
  if (shown.current !== value && !defer(shown.current, value)) shown.current = value;
  useLayoutEffect(() => {
    if (shown.current === value) return;
    // The first callback comes before this frame is painted, the second one frame later.
    let frame = requestAnimationFrame(() => {
      frame = requestAnimationFrame(() => {
        shown.current = value;
        redraw((n) => n + 1);
      });
    });
    return () => cancelAnimationFrame(frame);
  }, [value]);
  return shown.current;
}

/**
 * `value`, or the value last returned while `same(last, value)` holds: an identity that changes
 * only when what a caller depends on does, for the dependencies of its effects.
 */
export function useSameWhile<T>(value: T, same: (last: T, value: T) => boolean): T {
  const last = useRef(value);
  if (last.current !== value && !same(last.current, value)) last.current = value;
  return last.current;
}
