import { useRef, useState } from 'preact/hooks';
import type { Actions } from '../actions';
import type { AppState } from '../state';
import { useStore, type Store } from '../store';
import { useModalKeys, useOpening } from './Dialogs';

/**
 * Project settings: the project's name (a new project is not always about families of
 * defectors), where it lives, and the way to the coder profile. Renaming is one undoable step
 * that every open window shows.
 */
export function ProjectDialog({ store, actions, onClosed }: { store: Store<AppState>; actions: Actions; onClosed: () => void }) {
  const open = useStore(store, (s) => s.projectDialog);
  const project = useStore(store, (s) => s.project);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const dialog = useRef<HTMLFormElement>(null);
  const nameField = useRef<HTMLInputElement>(null);
  useOpening(open, nameField, () => project?.name ?? '', setName, onClosed);
  useModalKeys(open, dialog, () => actions.setProjectDialog(false));
  if (!open || !project) return null;
  const unchanged = name.trim() === project.name;
  return (
    <div class="modal-backdrop">
      <form
        class="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="project-heading"
        ref={dialog}
        onSubmit={async (e) => {
          e.preventDefault();
          if (busy || name.trim() === '') return;
          if (unchanged) {
            actions.setProjectDialog(false);
            return;
          }
          setBusy(true);
          const done = await actions.renameProject(name);
          setBusy(false);
          if (done) actions.setProjectDialog(false);
        }}
      >
        <h2 id="project-heading">Project settings</h2>
        <label class="field-row">
          Name
          <input type="text" ref={nameField} required maxLength={200} value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </label>
        <p class="muted">
          Kept in <span class="location">{project.location}</span>
        </p>
        <p>
          <button
            type="button"
            onClick={() => {
              actions.setProjectDialog(false);
              actions.setProfileDialog(true);
            }}
          >
            Coder profile…
          </button>
        </p>
        <div class="modal-actions">
          <button type="button" onClick={() => actions.setProjectDialog(false)}>
            Cancel
          </button>
          <button type="submit" class="primary" aria-disabled={busy || name.trim() === '' || undefined}>
            Save
          </button>
        </div>
      </form>
    </div>
  );
}
