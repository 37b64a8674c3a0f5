import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Actions } from '../actions';
import { codePath, type AppState } from '../state';
import { useStore, type Store } from '../store';
import { useModalKeys } from './Dialogs';
import { focusDetailsWhenShown } from './PassagePanel';
import type { Box } from '../placement';
import { usePlacement } from './use-placement';

/**
 * Several passages under one click: a small menu to pick which one to open. A choice moves the
 * focus to the passage's details; Escape closes it and calls `onCancel`; focus leaving it (a click
 * elsewhere, Tab) closes it. It stands beside `anchor` (the clicked line), inside the window and
 * clear of it, following the article as it scrolls.
 */
export function PassageChooser({ store, actions, onCancel, anchor }: { store: Store<AppState>; actions: Actions; onCancel: () => void; anchor: () => readonly Box[] }) {
  const chooser = useStore(store, (s) => s.chooser);
  const annotations = useStore(store, (s) => s.annotations);
  const codes = useStore(store, (s) => s.codes);
  const first = useRef<HTMLButtonElement>(null);
  const box = useRef<HTMLDivElement>(null);
  // Placed before its first choice takes the focus, so that focusing scrolls nothing.
  usePlacement(box, chooser, anchor, { x: chooser?.at.x, watch: () => [...(box.current?.querySelectorAll('li') ?? [])] });
  useLayoutEffect(() => first.current?.focus(), [chooser]);
  if (!chooser) return null;
  const items = chooser.ids.map((id) => annotations.find((a) => a.id === id)).filter((a) => a !== undefined);
  return (
    <div
      ref={box}
      class="chooser"
      role="dialog"
      aria-label="Choose a passage"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          actions.closeChooser();
          onCancel();
        }
        if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
          const buttons = [...(e.currentTarget as HTMLElement).querySelectorAll('button')];
          const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
          buttons[(i + (e.key === 'ArrowDown' ? 1 : buttons.length - 1)) % buttons.length]?.focus();
          e.preventDefault();
        }
      }}
      onFocusOut={(e) => {
        const next = e.relatedTarget as Node | null;
        if (!next || !(e.currentTarget as HTMLElement).contains(next)) setTimeout(() => store.get().chooser === chooser && actions.closeChooser(), 150);
      }}
    >
      <p class="chooser-title">{items.length} passages overlap here</p>
      <ul>
        {items.map((a, i) => (
          <li key={a.id}>
            <button
              type="button"
              ref={i === 0 ? first : undefined}
              onClick={() => {
                actions.select(a.id);
                focusDetailsWhenShown();
              }}
            >
              <strong>{a.codeIds.map((c) => codePath(codes, c)).join(', ') || 'No codes'}</strong>
              <span>“{a.quote.exact.length > 80 ? `${a.quote.exact.slice(0, 79)}…` : a.quote.exact}”</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * Export of every coded passage as CSV, with the byte-order-mark option for Excel. A modal
 * dialog: Tab stays inside it, Escape closes it, and `onClosed` runs whenever it closes.
 */
export function ExportDialog({ store, actions, onClosed }: { store: Store<AppState>; actions: Actions; onClosed: () => void }) {
  const open = useStore(store, (s) => s.exportDialog);
  const [bom, setBom] = useState(false);
  const [busy, setBusy] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const dialog = useRef<HTMLDivElement>(null);
  const wasOpen = useRef(false);
  useLayoutEffect(() => {
    if (open) button.current?.focus();
    else if (wasOpen.current) onClosed();
    wasOpen.current = open;
  }, [open]);
  useModalKeys(open, dialog, () => actions.setExportDialog(false));
  if (!open) return null;
  return (
    <div class="modal-backdrop">
      <div class="modal" role="dialog" aria-modal="true" aria-labelledby="export-heading" ref={dialog}>
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
            // Not `disabled`: that would drop the focus to <body> while the export runs, and leave it there should it fail.
            aria-disabled={busy || undefined}
            onClick={async () => {
              if (busy) return;
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
    if (notice?.kind !== 'info' || notice.sticky) return;
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
