import { Component } from 'preact';
import { useMemo } from 'preact/hooks';
import type { Actions } from '../actions';
import { codePath, codesInTreeOrder, drawsAlike, passagesPerCode, UNCODED, type AppState } from '../state';
import { useAfterPaint, useSameWhile, useStore, type Store } from '../store';

/**
 * The codes used in the open document, with their passages there, each shown or hidden in the
 * text: reading one code's passages alone ("Only") is a common way of reading. Hiding changes
 * what the article draws, never the passages or the list.
 */
export function CodeLegend({ store, actions }: { store: Store<AppState>; actions: Actions }) {
  // Rows show slots and paths, not colours: a recolour changes a class's rule, not the rows.
  const codes = useSameWhile(useStore(store, (s) => s.codes), drawsAlike);
  // Counted a frame after the article shows a change: counting a long document's passages must not delay it.
  const annotations = useAfterPaint(
    useStore(store, (s) => s.annotations),
    () => true,
  );
  const orphans = useStore(store, (s) => s.orphans);
  const hidden = useStore(store, (s) => s.hiddenCodes);
  // Counted from the passages alone, so that a change to the codebook walks none of them.
  const counts = useMemo(() => passagesPerCode([annotations, orphans]), [annotations, orphans]);
  const entries = useMemo(() => {
    const used = codesInTreeOrder(codes)
      .filter((c) => counts.has(c.id))
      .map((c) => ({ id: c.id, slot: c.slot as number | null, name: codePath(codes, c.id), count: counts.get(c.id)! }));
    if (counts.has(UNCODED)) used.push({ id: UNCODED, slot: null, name: 'Uncoded', count: counts.get(UNCODED)! });
    return used;
  }, [codes, counts]);
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
          <LegendRow key={e.id} id={e.id} slot={e.slot} name={e.name} count={e.count} shown={!hidden.has(e.id)} actions={actions} />
        ))}
      </ul>
    </section>
  );
}

interface LegendRowProps {
  id: string;
  slot: number | null;
  name: string;
  count: number;
  shown: boolean;
  actions: Actions;
}

/**
 * One code of the legend; its props are plain values, so a row redraws only when one changes
 * (`memo` is in preact/compat, whose import would change how every input's events are bound).
 */
class LegendRow extends Component<LegendRowProps> {
  override shouldComponentUpdate(next: LegendRowProps): boolean {
    const p = this.props;
    return p.id !== next.id || p.slot !== next.slot || p.name !== next.name || p.count !== next.count || p.shown !== next.shown || p.actions !== next.actions;
  }

  override render({ id, slot, name, count, shown, actions }: LegendRowProps) {
    return (
      <li class="legend-row">
        <label>
          <input type="checkbox" checked={shown} onChange={(ev) => actions.showCode(id, (ev.target as HTMLInputElement).checked)} />
          <span class={slot === null ? 'swatch uncoded' : `swatch code-${slot}`} aria-hidden="true" />
          <span class="legend-name">{name}</span>
          <span class="legend-count">{count}</span>
        </label>
        <button type="button" class="ghost legend-only" aria-label={`Show only ${name}`} onClick={() => actions.showOnly([id])}>
          Only
        </button>
      </li>
    );
  }
}
