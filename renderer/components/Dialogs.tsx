import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Actions } from '../actions';
import type { AppState } from '../state';
import { useStore, type Store } from '../store';

/**
 * Keeps Tab inside an open modal dialog and closes it on Escape (when it may be closed). On the
 * document, not the dialog: a click on the dialog's text leaves the focus on <body>.
 */
export function useModalKeys(open: boolean, dialog: { current: HTMLElement | null }, onEscape: (() => void) | null): void {
  useLayoutEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape' && onEscape) {
        e.preventDefault();
        onEscape();
      } else if (e.key === 'Tab' && dialog.current) {
        const stops = [...dialog.current.querySelectorAll<HTMLElement>('button, input, textarea, select')].filter((el) => !(el as HTMLButtonElement).disabled);
        const at = stops.indexOf(document.activeElement as HTMLElement);
        if (e.shiftKey ? at <= 0 : at === -1 || at === stops.length - 1) {
          e.preventDefault();
          (e.shiftKey ? stops.at(-1) : stops[0])?.focus();
        }
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open]);
}

/** Whether a key press is Undo or Redo, which a modal dialog keeps from reaching the window behind it. */
export function isUndoKey(e: KeyboardEvent): boolean {
  const key = e.key.toLowerCase();
  return (e.ctrlKey || e.metaKey) && (key === 'z' || key === 'y');
}

/**
 * A dialog's opening and closing: when `open` turns true, `start()` resets its fields and gives
 * the text of `field`, which is then focused with that text selected (so typing replaces it);
 * `setText` keeps the field's state. When `open` turns false, `onClosed()` (focus back).
 */
export function useOpening(open: boolean, field: { current: HTMLInputElement | null }, start: () => string, setText: (text: string) => void, onClosed: () => void): void {
  const wasOpen = useRef(false);
  useLayoutEffect(() => {
    if (open) {
      const text = start();
      setText(text);
      // The field shows the text now, before the render that setText schedules: select() selects it.
      if (field.current) field.current.value = text;
      field.current?.focus();
      field.current?.select();
    } else if (wasOpen.current) onClosed();
    wasOpen.current = open;
  }, [open]);
}

/** Colours offered for a coder; the colour field takes any other. */
const CODER_PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2'];

/**
 * Who is coding: asked on first start (with the login name offered) and editable later from the
 * toolbar or the File menu. Every passage records the coder's id; the name, initials and colour
 * can change without touching a passage.
 */
export function ProfileDialog({ store, actions, onClosed }: { store: Store<AppState>; actions: Actions; onClosed: () => void }) {
  const mode = useStore(store, (s) => s.profileDialog);
  const project = useStore(store, (s) => s.project);
  const [name, setName] = useState('');
  const [initials, setInitials] = useState('');
  const [color, setColor] = useState(CODER_PALETTE[0]!);
  const [busy, setBusy] = useState(false);
  const dialog = useRef<HTMLFormElement>(null);
  const nameField = useRef<HTMLInputElement>(null);
  useOpening(
    mode !== null,
    nameField,
    () => {
      const coder = project?.coder;
      setInitials(coder?.initials ?? '');
      setColor(coder?.color ?? CODER_PALETTE[0]!);
      return coder?.name ?? project?.suggestedCoderName ?? '';
    },
    setName,
    onClosed,
  );
  // On first start there is nothing to go back to: the dialog stays until the user says who they are.
  useModalKeys(mode !== null, dialog, mode === 'edit' ? () => actions.setProfileDialog(false) : null);
  if (!mode) return null;
  const first = mode === 'first';
  return (
    <div class="modal-backdrop">
      <form
        class="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="profile-heading"
        ref={dialog}
        onSubmit={async (e) => {
          e.preventDefault();
          if (busy || name.trim() === '') return;
          setBusy(true);
          await actions.saveProfile({ name: name.trim(), initials: initials.trim(), color });
          setBusy(false);
        }}
      >
        <h2 id="profile-heading">{first ? 'Who is coding?' : 'Coder profile'}</h2>
        <p>{first ? 'Gloss records who coded each passage, so that colleagues can compare their coding. You can change this later.' : 'Your passages keep pointing to you when you change your name, initials or colour.'}</p>
        <label class="field-row">
          Name
          <input type="text" ref={nameField} required maxLength={200} value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </label>
        <label class="field-row">
          Initials
          <input type="text" maxLength={3} placeholder="from the name" value={initials} onInput={(e) => setInitials((e.target as HTMLInputElement).value)} />
        </label>
        <fieldset class="palette">
          <legend>Colour</legend>
          {CODER_PALETTE.map((c) => (
            <label key={c} class={`palette-swatch coder-color-${c.slice(1)}`}>
              <input type="radio" name="coder-color" value={c} checked={color === c} onChange={() => setColor(c)} aria-label={`Colour ${c}`} />
            </label>
          ))}
          <label class="field-row">
            Other colour
            <input type="color" value={color} onInput={(e) => setColor((e.target as HTMLInputElement).value)} />
          </label>
        </fieldset>
        <div class="modal-actions">
          {first ? null : (
            <button type="button" onClick={() => actions.setProfileDialog(false)}>
              Cancel
            </button>
          )}
          <button type="submit" class="primary" aria-disabled={busy || name.trim() === '' || undefined}>
            {first ? 'Start coding' : 'Save'}
          </button>
        </div>
      </form>
    </div>
  );
}

/**
 * A memo save refused because another window changed the memo first. Nothing was overwritten:
 * the user sees both texts and chooses which to keep.
 */
export function MemoConflictDialog({ store, actions }: { store: Store<AppState>; actions: Actions }) {
  const conflict = useStore(store, (s) => s.memoConflict);
  const dialog = useRef<HTMLDivElement>(null);
  const keepMine = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => {
    if (conflict) keepMine.current?.focus();
  }, [conflict]);
  useModalKeys(conflict !== null, dialog, null);
  if (!conflict) return null;
  return (
    <div class="modal-backdrop">
      <div class="modal wide" role="alertdialog" aria-modal="true" aria-labelledby="conflict-heading" aria-describedby="conflict-text" ref={dialog}>
        <h2 id="conflict-heading">The memo was changed in another window</h2>
        <p id="conflict-text">While you were writing, the memo of this passage was saved from another window. Nothing was overwritten. Choose which text to keep.</p>
        <div class="conflict-texts">
          <label>
            Your text
            <textarea readOnly rows={6} value={conflict.mine} />
          </label>
          <label>
            The memo now
            <textarea readOnly rows={6} value={conflict.theirs} />
          </label>
        </div>
        <div class="modal-actions">
          <button type="button" onClick={() => void actions.resolveMemoConflict('theirs')}>
            Keep the memo as it is now
          </button>
          <button type="button" class="primary" ref={keepMine} onClick={() => void actions.resolveMemoConflict('mine')}>
            Keep my text
          </button>
        </div>
      </div>
    </div>
  );
}

/**
 * The question asked before something is deleted: a modal alert dialog naming what goes, with
 * Delete focused and Cancel beside it. `id` makes its heading's and text's ids; `dialog` is the
 * element for the caller's keys (Tab kept inside, Escape).
 */
export function DeleteQuestion({ id, heading, text, dialog, onDelete, onCancel }: { id: string; heading: string; text: string; dialog: { current: HTMLDivElement | null }; onDelete: () => void; onCancel: () => void }) {
  const confirm = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => confirm.current?.focus(), []);
  return (
    <div class="modal" role="alertdialog" aria-modal="true" aria-labelledby={`${id}-heading`} aria-describedby={`${id}-text`} ref={dialog} onKeyDown={(e) => isUndoKey(e) && e.stopPropagation()}>
      <h2 id={`${id}-heading`}>{heading}</h2>
      <p id={`${id}-text`}>{text}</p>
      <div class="modal-actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" class="danger" ref={confirm} onClick={onDelete}>
          Delete
        </button>
      </div>
    </div>
  );
}
