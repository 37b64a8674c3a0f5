import { useMemo } from 'preact/hooks';
import type { Actions } from '../actions';
import { codePath, codesInTreeOrder, passagesPerCode, UNCODED, type AppState } from '../state';
import { useAfterPaint, useStore, type Store } from '../store';

/**
 * The codes used in the open document, with their passages there, each shown or hidden in the
 * text: reading one code's passages alone ("Only") is a common way of reading. Hiding changes
 * what the article draws, never the passages or the list.
 */
export function CodeLegend({ store, actions }: { store: Store<AppState>; actions: Actions }) {
  const codes = useStore(store, (s) => s.codes);
  // Counted a frame after the article shows a change: counting a long document's passages must not delay it.
  const annotations = useAfterPaint(
    useStore(store, (s) => s.annotations),
    () => true,
  );
  const orphans = useStore(store, (s) => s.orphans);
  const hidden = useStore(store, (s) => s.hiddenCodes);
  const entries = useMemo(() => {
    const counts = passagesPerCode([annotations, orphans]);
    const used = codesInTreeOrder(codes)
      .filter((c) => counts.has(c.id))
      .map((c) => ({ id: c.id, slot: c.slot as number | null, name: codePath(codes, c.id), count: counts.get(c.id)! }));
    if (counts.has(UNCODED)) used.push({ id: UNCODED, slot: null, name: 'Uncoded', count: counts.get(UNCODED)! });
    return used;
  }, [codes, annotations, orphans]);
  if (entries.length === 0) return null;
  return (
    <section class="legend" aria-labelledby="legend-heading">
      <div class="legend-head">
        <h2 id="legend-heading">Codes in this document</h2>
        <button type="button" class="ghost" disabled={hidden.size === 0} onClick={() => actions.showAllCodes()}>
          Show all
        </button>
      </div>
      <ul class="legend-list">
        {entries.map((e) => (
          <li key={e.id} class="legend-row">
            <label>
              <input type="checkbox" checked={!hidden.has(e.id)} onChange={(ev) => actions.showCode(e.id, (ev.target as HTMLInputElement).checked)} />
              <span class={e.slot === null ? 'swatch uncoded' : `swatch code-${e.slot}`} aria-hidden="true" />
              <span class="legend-name">{e.name}</span>
              <span class="legend-count">{e.count}</span>
            </label>
            <button type="button" class="ghost legend-only" aria-label={`Show only ${e.name}`} onClick={() => actions.showOnly([e.id])}>
              Only
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
