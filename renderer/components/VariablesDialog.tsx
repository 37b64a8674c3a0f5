import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Actions } from '../actions';
import type { DocumentSummary, DocumentVariable, VariableType } from '../../shared/model';
import { VARIABLE_TYPES, VARIABLE_TYPE_LABELS, cleanLine, documentCount, nameKey } from '../../shared/variables';
import type { AppState } from '../state';
import { useStore, type Store } from '../store';
import { DeleteQuestion, isUndoKey } from './Dialogs';

/**
 * Keeps Tab inside the topmost dialog and gives it Escape, before any dialog under it hears the
 * key: listening on the document in the capture phase, this dialog may sit over another modal
 * one (the document properties) whose own keys (Dialogs.tsx `useModalKeys`) must then wait.
 */
export function useTopModalKeys(dialog: { current: HTMLElement | null }, onEscape: () => void): void {
  // The latest of both: the dialog asked about may change (a question over it).
  const latest = useRef({ dialog, onEscape });
  latest.current = { dialog, onEscape };
  useLayoutEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const root = latest.current.dialog.current;
      if (!root) return;
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        latest.current.onEscape();
      } else if (e.key === 'Tab') {
        e.stopPropagation();
        const stops = [...root.querySelectorAll<HTMLElement>('button, input, textarea, select')].filter((el) => !(el as HTMLButtonElement).disabled);
        const at = stops.indexOf(document.activeElement as HTMLElement);
        if (e.shiftKey ? at <= 0 : at === -1 || at === stops.length - 1) {
          e.preventDefault();
          (e.shiftKey ? stops.at(-1) : stops[0])?.focus();
        }
      }
    };
    document.addEventListener('keydown', onKey, true);
    return () => document.removeEventListener('keydown', onKey, true);
  }, []);
}

/** A variable's type as the list shows it: “One of: Seoul, Busan”. */
export function typeSummary(v: DocumentVariable): string {
  return v.type === 'choice' ? `One of: ${(v.choices ?? []).join(', ')}` : VARIABLE_TYPE_LABELS[v.type];
}

/** How many documents have a value of variable `id`. */
function holders(documents: readonly DocumentSummary[], id: string): number {
  let n = 0;
  for (const d of documents) if (d.values?.[id] !== undefined) n++;
  return n;
}

/** A choice as the editor has it: what it was (null: new) and what it is now. */
interface ChoiceRow {
  key: number;
  original: string | null;
  text: string;
}

let rowKeys = 0;
const rowsOf = (choices: readonly string[] = []): ChoiceRow[] => choices.map((c) => ({ key: ++rowKeys, original: c, text: c }));

/**
 * What the choices as edited mean: the list (first spelling of each, empty rows left out) and
 * each old choice renamed (to the one it now shares a name with, when two were given one name:
 * they merge).
 */
export function choiceEdit(rows: readonly ChoiceRow[]): { choices: string[]; renamed: Record<string, string> } {
  const kept = new Map<string, string>();
  for (const r of rows) {
    const text = cleanLine(r.text);
    if (text && !kept.has(nameKey(text))) kept.set(nameKey(text), text);
  }
  const renamed: Record<string, string> = {};
  for (const r of rows) {
    const text = cleanLine(r.text);
    if (r.original === null || !text) continue;
    const to = kept.get(nameKey(text))!;
    if (to !== r.original) renamed[r.original] = to;
  }
  return { choices: [...kept.values()], renamed };
}

/**
 * The project's document variables: a list (choose one to edit it; Alt+↑/↓ moves it) and, under
 * it, the chosen variable's editor (name, type, choices; Move up, Move down, Delete…) or a new
 * variable's. Every change is one undoable command; a refusal is said here, keeping what was
 * typed. Escape closes it (a question first), and the opener takes the focus back.
 */
export function VariablesDialog({ store, actions, opener, onClose: onClosed }: { store: Store<AppState>; actions: Actions; opener: { current: HTMLElement | null }; onClose: () => void }) {
  // Closed, the focus goes back to the button that opened it, once the caller has taken the dialog away.
  const onClose = (): void => {
    onClosed();
    requestAnimationFrame(() => opener.current?.focus());
  };
  const variables = useStore(store, (s) => s.variables);
  const documents = useStore(store, (s) => s.documents);
  const [selected, setSelected] = useState<string | null>(() => store.get().variables[0]?.id ?? null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [confirming, setConfirming] = useState<DocumentVariable | null>(null);
  const dialog = useRef<HTMLDivElement>(null);
  const question = useRef<HTMLDivElement>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const nameField = useRef<HTMLInputElement>(null);
  const variable = variables.find((v) => v.id === selected) ?? null;
  /** The row to focus once the list shows it (after a move or a new variable). */
  const focusRow = useRef<string | null>(null);

  useTopModalKeys(confirming ? question : dialog, () => {
    if (confirming) {
      setConfirming(null);
      deleteButton.current?.focus();
    } else onClose();
  });
  useLayoutEffect(() => {
    // A list to choose from, else the new variable's name.
    const first = list.current?.querySelector<HTMLButtonElement>('button[aria-current="true"]') ?? list.current?.querySelector<HTMLButtonElement>('button');
    (first ?? nameField.current)?.focus();
  }, []);
  useLayoutEffect(() => {
    const id = focusRow.current;
    if (id === null) return;
    const row = list.current?.querySelector<HTMLButtonElement>(`button[data-variable="${CSS.escape(id)}"]`);
    if (row) {
      focusRow.current = null;
      row.focus();
    }
  });

  const move = async (v: DocumentVariable, step: -1 | 1): Promise<void> => {
    const at = variables.findIndex((x) => x.id === v.id);
    const to = at + step;
    if (to < 0 || to >= variables.length) {
      setStatus(`“${v.name}” is ${step < 0 ? 'first' : 'last'} already.`);
      return;
    }
    // Counted without the variable moved: before the one after its new place.
    const before = step < 0 ? variables[to]!.id : (variables[to + 1]?.id ?? null);
    const refused = await actions.moveVariable(v.id, before);
    setRefusal(refused);
    if (refused === null) setStatus(`“${v.name}” is now ${to + 1} of ${variables.length}.`);
  };

  return (
    <div class="modal-backdrop">
      <div
        class="modal wide variables-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="variables-heading"
        aria-describedby="variables-about"
        ref={dialog}
        hidden={confirming !== null}
        onKeyDown={(e) => isUndoKey(e) && e.stopPropagation()}
      >
        <h2 id="variables-heading">Document variables</h2>
        <p id="variables-about" class="muted">
          Attributes every document may have a value of, such as interviewee, site or wave. Set them in each document’s properties; the documents list sorts and filters by them.
        </p>
        {variables.length ? (
          <ul class="variable-list" aria-label="Variables" ref={list}>
            {variables.map((v) => (
              <li key={v.id}>
                <button
                  type="button"
                  class="variable-row"
                  data-variable={v.id}
                  aria-current={v.id === selected ? 'true' : undefined}
                  aria-keyshortcuts="Alt+ArrowUp Alt+ArrowDown"
                  onClick={() => {
                    setSelected(v.id);
                    setRefusal(null);
                  }}
                  onKeyDown={(e) => {
                    if (e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
                      e.preventDefault();
                      focusRow.current = v.id;
                      void move(v, e.key === 'ArrowUp' ? -1 : 1);
                    }
                  }}
                >
                  <span class="variable-name">{v.name}</span>
                  <span class="muted">
                    {typeSummary(v)} · {documentCount(holders(documents, v.id))} with a value
                  </span>
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">No variables yet.</p>
        )}
        <div class="variable-list-actions">
          <button
            type="button"
            aria-pressed={selected === null}
            onClick={() => {
              setSelected(null);
              setRefusal(null);
              requestAnimationFrame(() => nameField.current?.focus());
            }}
          >
            New variable
          </button>
        </div>
        <VariableEditor
          key={variable?.id ?? 'new'}
          variable={variable}
          variables={variables}
          nameField={nameField}
          onSave={async (input) => {
            setRefusal(null);
            if (!variable) {
              const refused = await actions.createVariable(input.name, input.type, input.choices);
              setRefusal(refused);
              if (refused === null) {
                const made = store.get().variables.find((v) => nameKey(v.name) === nameKey(input.name));
                if (made) {
                  setSelected(made.id);
                  focusRow.current = made.id;
                }
                setStatus(`Added “${cleanLine(input.name)}”.`);
              }
              return refused === null;
            }
            const refused = await actions.updateVariable({ id: variable.id, ...input.update });
            setRefusal(refused);
            if (refused === null) setStatus(`Saved “${cleanLine(input.name)}”.`);
            return refused === null;
          }}
        >
          {variable ? (
            <>
              <button type="button" onClick={() => void move(variable, -1)}>
                Move up
              </button>
              <button type="button" onClick={() => void move(variable, 1)}>
                Move down
              </button>
              <button type="button" class="danger" ref={deleteButton} onClick={() => setConfirming(variable)}>
                Delete…
              </button>
            </>
          ) : null}
        </VariableEditor>
        {refusal ? (
          <p role="alert" class="error-text">
            {refusal}
          </p>
        ) : null}
        <p role="status" class="muted variables-status">
          {status}
        </p>
        <div class="modal-actions">
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
      {confirming ? (
        <DeleteVariableQuestion
          variable={confirming}
          count={holders(documents, confirming.id)}
          question={question}
          onCancel={() => {
            setConfirming(null);
            requestAnimationFrame(() => deleteButton.current?.focus());
          }}
          onDelete={async () => {
            const v = confirming;
            setConfirming(null);
            const refused = await actions.deleteVariable(v.id);
            setRefusal(refused);
            if (refused === null) {
              setStatus(`Deleted “${v.name}”. Undo brings it back with its values.`);
              const next = store.get().variables[0]?.id ?? null;
              setSelected(next);
              if (next) focusRow.current = next;
              else requestAnimationFrame(() => nameField.current?.focus());
            } else requestAnimationFrame(() => deleteButton.current?.focus());
          }}
        />
      ) : null}
    </div>
  );
}

function DeleteVariableQuestion({ variable, count, question, onCancel, onDelete }: { variable: DocumentVariable; count: number; question: { current: HTMLDivElement | null }; onCancel: () => void; onDelete: () => void }) {
  const text = count ? `Delete “${variable.name}” and its values in ${documentCount(count)}? You can undo this.` : `Delete “${variable.name}”? No document has a value of it. You can undo this.`;
  return <DeleteQuestion id="delete-variable" heading="Delete variable" text={text} dialog={question} onDelete={onDelete} onCancel={onCancel} />;
}

/** What the editor saves: a new variable's fields, or the changes to send for an existing one. */
interface EditorSave {
  name: string;
  type: VariableType;
  choices?: string[];
  update: { name?: string; type?: VariableType; choices?: string[]; renamed?: Record<string, string> };
}

/** A variable's name, type and choices, for a new variable (`variable` null) or the one chosen. */
function VariableEditor({
  variable,
  variables,
  nameField,
  onSave,
  children,
}: {
  variable: DocumentVariable | null;
  variables: readonly DocumentVariable[];
  nameField: { current: HTMLInputElement | null };
  onSave: (save: EditorSave) => Promise<boolean>;
  children?: ComponentChildren;
}) {
  const [name, setName] = useState(variable?.name ?? '');
  const [type, setType] = useState<VariableType>(variable?.type ?? 'text');
  const [rows, setRows] = useState<ChoiceRow[]>(() => rowsOf(variable?.choices));
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const choicesList = useRef<HTMLOListElement>(null);
  const focusChoice = useRef<number | null>(null);
  useLayoutEffect(() => {
    if (focusChoice.current === null) return;
    choicesList.current?.querySelectorAll<HTMLInputElement>('input')[focusChoice.current]?.focus();
    focusChoice.current = null;
  });
  const id = variable?.id ?? 'new';
  const typeChanged = variable !== null && type !== variable.type;

  const save = async (): Promise<void> => {
    const clean = cleanLine(name);
    if (clean === '') return setProblem('A variable needs a name.');
    const twin = variables.find((v) => v.id !== variable?.id && nameKey(v.name) === nameKey(clean));
    if (twin) return setProblem(`A variable is called “${twin.name}” already.`);
    const edit = choiceEdit(rows);
    if (type === 'choice' && edit.choices.length === 0 && !typeChanged) return setProblem('Give at least one choice.');
    const update: EditorSave['update'] = {};
    if (variable && clean !== variable.name) update.name = clean;
    if (typeChanged) update.type = type;
    if (type === 'choice' && edit.choices.length) {
      const same = variable?.type === 'choice' && edit.choices.join('\n') === (variable.choices ?? []).join('\n') && Object.keys(edit.renamed).length === 0;
      if (!same) update.choices = edit.choices;
      if (!typeChanged && Object.keys(edit.renamed).length) update.renamed = edit.renamed;
    }
    if (variable && Object.keys(update).length === 0) return setProblem('Nothing to change.');
    setProblem(null);
    setBusy(true);
    const done = await onSave({ name: clean, type, ...(type === 'choice' ? { choices: edit.choices } : {}), update });
    setBusy(false);
    if (done && !variable) {
      setName('');
      setRows([]);
    }
  };

  return (
    <form
      class="variable-editor"
      aria-labelledby={`variable-editor-${id}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy) void save();
      }}
    >
      <h3 id={`variable-editor-${id}`}>{variable ? `“${variable.name}”` : 'New variable'}</h3>
      <div class="field-row">
        <label for={`variable-name-${id}`}>Name</label>
        <input id={`variable-name-${id}`} type="text" ref={nameField} maxLength={200} value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      </div>
      <div class="field-row">
        <label for={`variable-type-${id}`}>Type</label>
        <select
          id={`variable-type-${id}`}
          value={type}
          aria-describedby={typeChanged ? `variable-type-hint-${id}` : undefined}
          onChange={(e) => {
            const next = (e.target as HTMLSelectElement).value as VariableType;
            setType(next);
            // Back to its own type: its own choices again. A variable made one of a list gets the
            // values its documents have, unless choices are given; a new one starts with one to fill in.
            if (variable) setRows(next === variable.type ? rowsOf(variable.choices) : []);
            else setRows(next === 'choice' ? [{ key: ++rowKeys, original: null, text: '' }] : []);
          }}
        >
          {VARIABLE_TYPES.map((t) => (
            <option key={t} value={t}>
              {VARIABLE_TYPE_LABELS[t]}
            </option>
          ))}
        </select>
        {typeChanged ? (
          <span id={`variable-type-hint-${id}`} class="field-hint muted">
            Every document’s value is converted{type === 'choice' ? ' (with no choices given, the values the documents have become the choices)' : ''}; Gloss refuses, saying how many, if any does not convert.
          </span>
        ) : null}
      </div>
      {type === 'choice' ? (
        <fieldset class="variable-choices">
          <legend>Choices</legend>
          <p id={`variable-choices-hint-${id}`} class="field-hint muted">
            Renaming a choice renames it in every document; giving it the name of another merges them.
          </p>
          <ol ref={choicesList}>
            {rows.map((r, i) => (
              <li key={r.key}>
                <input
                  type="text"
                  aria-label={`Choice ${i + 1}`}
                  aria-describedby={`variable-choices-hint-${id}`}
                  maxLength={200}
                  value={r.text}
                  onInput={(e) => {
                    const text = (e.target as HTMLInputElement).value;
                    setRows((all) => all.map((x) => (x.key === r.key ? { ...x, text } : x)));
                  }}
                />
                <button
                  type="button"
                  aria-label={`Remove choice ${i + 1}${r.text.trim() ? `, “${r.text.trim()}”` : ''}`}
                  onClick={() => {
                    setRows((all) => all.filter((x) => x.key !== r.key));
                    focusChoice.current = Math.max(0, i - 1);
                  }}
                >
                  Remove
                </button>
              </li>
            ))}
          </ol>
          <button
            type="button"
            onClick={() => {
              focusChoice.current = rows.length;
              setRows((all) => [...all, { key: ++rowKeys, original: null, text: '' }]);
            }}
          >
            Add choice
          </button>
        </fieldset>
      ) : null}
      {problem ? (
        <p role="alert" class="error-text">
          {problem}
        </p>
      ) : null}
      <div class="variable-editor-actions">
        <button type="submit" class="primary" aria-disabled={busy || undefined}>
          {variable ? 'Save changes' : 'Add variable'}
        </button>
        {children}
      </div>
    </form>
  );
}
