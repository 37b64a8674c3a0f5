import { useMemo, useState } from 'preact/hooks';
import type { Code } from '../../shared/model';
import { chosenCount, type Selection } from '../passage-selection';
import { codePath, codesInTreeOrder } from '../state';

/**
 * What the passages view offers for its selection: choose every passage of the query, add a code
 * to those chosen or take one off, or choose none. Each recode is one command in main and one
 * undo step, however many passages it touches.
 */
export function RecodeBar({
  selection,
  total,
  codes,
  onAll,
  onNone,
  onRecode,
}: {
  selection: Selection;
  total: number;
  codes: readonly Code[];
  onAll: () => void;
  onNone: () => void;
  onRecode: (add: string[], remove: string[]) => Promise<boolean>;
}) {
  const [busy, setBusy] = useState(false);
  const count = chosenCount(selection, total);
  const options = useMemo(() => codesInTreeOrder(codes), [codes]);
  const recode = (add: string[], remove: string[]): void => {
    if (busy) return;
    setBusy(true);
    void onRecode(add, remove).finally(() => setBusy(false));
  };
  const codeSelect = (id: string, label: string, pick: (codeId: string) => void) => (
    <>
      <label for={id}>{label}</label>
      <select
        id={id}
        value=""
        aria-disabled={count === 0 || busy || undefined}
        onChange={(e) => {
          const el = e.target as HTMLSelectElement;
          const codeId = el.value;
          el.value = '';
          if (codeId && count > 0 && !busy) pick(codeId);
        }}
      >
        <option value="">Choose…</option>
        {options.map((c) => (
          <option key={c.id} value={c.id}>
            {codePath(codes, c.id)}
          </option>
        ))}
      </select>
    </>
  );
  return (
    <div class="recode-bar" role="group" aria-label="Recode the chosen passages">
      <span class="recode-count" aria-live="polite">
        {count === 0 ? 'No passage chosen' : `${count.toLocaleString()} chosen${selection.all ? ' (every passage of the query)' : ''}`}
      </span>
      <button type="button" aria-disabled={total === 0 || selection.all || undefined} onClick={() => total > 0 && !selection.all && onAll()}>
        Choose all {total.toLocaleString()}
      </button>
      {count > 0 ? (
        <button type="button" onClick={onNone}>
          Choose none
        </button>
      ) : null}
      {codeSelect('recode-add', 'Add code', (codeId) => recode([codeId], []))}
      {codeSelect('recode-remove', 'Remove code', (codeId) => recode([], [codeId]))}
    </div>
  );
}
