import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Actions } from '../actions';
import { codePath, type AppState } from '../state';
import { useStore, type Store } from '../store';

/** Several passages under one click: a small menu to pick which one to open. */
export function PassageChooser({ store, actions }: { store: Store<AppState>; actions: Actions }) {
  const chooser = useStore(store, (s) => s.chooser);
  const annotations = useStore(store, (s) => s.annotations);
  const codes = useStore(store, (s) => s.codes);
  const first = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => first.current?.focus(), [chooser]);
  if (!chooser) return null;
  const items = chooser.ids.map((id) => annotations.find((a) => a.id === id)).filter((a) => a !== undefined);
  return (
    <div
      class="chooser"
      role="dialog"
      aria-label="Choose a passage"
      style={{ top: `${Math.min(chooser.at.bottom + 6, window.innerHeight - 240)}px`, left: `${Math.max(8, Math.min(chooser.at.x, window.innerWidth - 380))}px` }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') actions.closeChooser();
        if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
          const buttons = [...(e.currentTarget as HTMLElement).querySelectorAll('button')];
          const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
          buttons[(i + (e.key === 'ArrowDown' ? 1 : buttons.length - 1)) % buttons.length]?.focus();
          e.preventDefault();
        }
      }}
    >
      <p class="chooser-title">{items.length} passages overlap here</p>
      <ul>
        {items.map((a, i) => (
          <li key={a.id}>
            <button type="button" ref={i === 0 ? first : undefined} onClick={() => actions.select(a.id)}>
              <strong>{a.codeIds.map((c) => codePath(codes, c)).join(', ') || 'No codes'}</strong>
              <span>“{a.quote.exact.length > 80 ? `${a.quote.exact.slice(0, 79)}…` : a.quote.exact}”</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Export of every coded passage as CSV, with the byte-order-mark option for Excel. */
export function ExportDialog({ store, actions }: { store: Store<AppState>; actions: Actions }) {
  const open = useStore(store, (s) => s.exportDialog);
  const [bom, setBom] = useState(false);
  const [busy, setBusy] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => button.current?.focus(), [open]);
  if (!open) return null;
  return (
    <div class="modal-backdrop">
      <div class="modal" role="dialog" aria-modal="true" aria-labelledby="export-heading" onKeyDown={(e) => e.key === 'Escape' && actions.setExportDialog(false)}>
        <h2 id="export-heading">Export coded passages (CSV)</h2>
        <p>One row per coded passage and code, with document, code path, position, quote, memo, coder and times.</p>
        <label class="check">
          <input type="checkbox" checked={bom} onChange={(e) => setBom((e.target as HTMLInputElement).checked)} />
          Add a byte-order mark (for Microsoft Excel)
        </label>
        <div class="modal-actions">
          <button type="button" onClick={() => actions.setExportDialog(false)}>
            Cancel
          </button>
          <button
            type="button"
            class="primary"
            ref={button}
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              await actions.exportCsv(bom);
              setBusy(false);
            }}
          >
            Export
          </button>
        </div>
      </div>
    </div>
  );
}

/** The latest message: errors are announced assertively and stay until dismissed. */
export function Notice({ store, actions }: { store: Store<AppState>; actions: Actions }) {
  const notice = useStore(store, (s) => s.notice);
  useEffect(() => {
    if (notice?.kind !== 'info') return;
    const t = setTimeout(() => store.get().notice === notice && actions.dismissNotice(), 5000);
    return () => clearTimeout(t);
  }, [notice]);
  return (
    <div class={`notice ${notice?.kind ?? ''}`} role={notice?.kind === 'error' ? 'alert' : 'status'}>
      {notice ? (
        <>
          <span>{notice.text}</span>
          <button type="button" class="ghost" aria-label="Dismiss message" onClick={() => actions.dismissNotice()}>
            ×
          </button>
        </>
      ) : null}
    </div>
  );
}
