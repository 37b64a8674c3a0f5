import { useMemo, useRef, useState } from 'preact/hooks';
import type { Actions } from '../actions';
import { inVivoParentOf } from '../in-vivo';
import { inVivoKeyLabel } from '../shortcuts';
import { codesInTreeOrder, type AppState } from '../state';
import { useStore, type Store } from '../store';
import { CodeChoice } from './CodeDetails';
import { useModalKeys, useOpening } from './Dialogs';

/**
 * Project settings: the project's name (a new project is not always about families of
 * defectors), where it lives, and the way to the coder profile. Renaming is one undoable step
 * that every open window shows. Below, what this computer keeps for the project: the code
 * in-vivo codes go under (in-vivo.ts). Save keeps both; Cancel neither.
 */
export function ProjectDialog({ store, actions, onClosed }: { store: Store<AppState>; actions: Actions; onClosed: () => void }) {
  const open = useStore(store, (s) => s.projectDialog);
  const project = useStore(store, (s) => s.project);
  const codes = useStore(store, (s) => s.codes);
  const [name, setName] = useState('');
  /** The parent of in-vivo codes as chosen here ('' for the top level), and as it was on opening. */
  const [parent, setParent] = useState('');
  const parentAtOpening = useRef('');
  const [busy, setBusy] = useState(false);
  const dialog = useRef<HTMLFormElement>(null);
  const nameField = useRef<HTMLInputElement>(null);
  const choices = useMemo(() => codesInTreeOrder(codes), [codes]);
  const start = (): string => {
    parentAtOpening.current = inVivoParentOf(store.get()) ?? '';
    setParent(parentAtOpening.current);
    return project?.name ?? '';
  };
  useOpening(open, nameField, start, setName, onClosed);
  useModalKeys(open, dialog, () => actions.setProjectDialog(false));
  if (!open || !project) return null;
  const unchanged = name.trim() === project.name;
  // A code deleted while the dialog is open is no choice: the top level, as in-vivo coding would do.
  const shownParent = parent !== '' && codes.some((c) => c.id === parent) ? parent : '';
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
          // Written only when changed: a parent deleted since and back by an undo stays the choice.
          if (shownParent !== parentAtOpening.current) actions.setInVivoParent(shownParent === '' ? null : shownParent);
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
        <section class="settings-section" aria-labelledby="project-local-heading">
          <h3 id="project-local-heading">Coding on this computer</h3>
          <CodeChoice label="In-vivo codes go under" none="Top level" value={shownParent} codes={codes} choices={choices} onChange={setParent} />
          <p class="muted">
            {inVivoKeyLabel().label} over a selection makes a code named after its words and codes the selection with it.
          </p>
        </section>
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
