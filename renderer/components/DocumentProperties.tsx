import { useRef, useState } from 'preact/hooks';
import type { Actions } from '../actions';
import { fieldsOf, isDateLike, type DocumentFieldKey, type ValuesShown } from '../document-actions';
import type { AppState } from '../state';
import { useStore, type Store } from '../store';
import { CitationImport } from './CitationImport';
import { isUndoKey, useModalKeys, useOpening } from './Dialogs';
import { VariableFields, readTexts, textsOf, valuesOf, type VariableTexts } from './VariableFields';
import { VariablesDialog } from './VariablesDialog';

type Fields = Record<DocumentFieldKey, string>;

const EMPTY: Fields = { title: '', author: '', publication: '', date: '', url: '', accessed: '', pages: '', memo: '' };

/** The single-line fields, in order: label, and the hint read with the field. */
const LINES: { key: Exclude<DocumentFieldKey, 'memo'>; label: string; hint?: string; date?: boolean }[] = [
  { key: 'title', label: 'Title' },
  { key: 'author', label: 'Authors', hint: 'Separate several with “;”.' },
  { key: 'publication', label: 'Publication' },
  { key: 'date', label: 'Date', hint: 'YYYY, YYYY-MM or YYYY-MM-DD.', date: true },
  { key: 'url', label: 'Address (URL)', hint: 'http:// or https://' },
  { key: 'accessed', label: 'Accessed', hint: 'When the address was read: YYYY-MM-DD (or YYYY, YYYY-MM).', date: true },
  { key: 'pages', label: 'Pages', hint: 'As a citation gives them: 12–34.' },
];

/**
 * The open document's properties (what a citation needs), its values of the document variables
 * and its memo. Save sends the fields and values changed since the dialog opened, each with the
 * value shown then, in one undoable update: one changed in another window meanwhile is refused,
 * not overwritten, and the refusal is shown here with everything typed kept. Cancel or Escape
 * changes nothing. **Variables…** opens the variables' own dialog over this one. **Import
 * citation…** (CitationImport.tsx) saves an imported citation and the properties it fills at
 * once, as a step of its own; the fields it filled then show what was saved.
 */
export function DocumentProperties({ store, actions, onClosed }: { store: Store<AppState>; actions: Actions; onClosed: () => void }) {
  const open = useStore(store, (s) => s.propertiesDialog);
  const documentId = useStore(store, (s) => s.openDocumentId);
  const variables = useStore(store, (s) => s.variables);
  const citation = useStore(store, (s) => s.documents.find((d) => d.id === s.openDocumentId)?.citation);
  const [fields, setFields] = useState<Fields>(EMPTY);
  const [texts, setTexts] = useState<VariableTexts>({});
  /** The values as they were shown on opening: each change's base. */
  const shownValues = useRef<ValuesShown>({});
  const [managing, setManaging] = useState(false);
  const manageButton = useRef<HTMLButtonElement>(null);
  /** The fields as they were shown on opening: each change's base. */
  const shown = useRef<Fields>(EMPTY);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const dialog = useRef<HTMLFormElement>(null);
  const titleField = useRef<HTMLInputElement>(null);
  const start = (): string => {
    const s = store.get();
    const doc = s.documents.find((d) => d.id === s.openDocumentId);
    shown.current = doc ? fieldsOf(doc) : EMPTY;
    setFields(shown.current);
    shownValues.current = valuesOf(s.variables, doc?.values);
    setTexts(textsOf(s.variables, doc?.values));
    setManaging(false);
    setRefusal(null);
    return shown.current.title;
  };
  useOpening(open, titleField, start, (title) => setFields((f) => ({ ...f, title })), onClosed);
  const close = (): void => actions.setPropertiesDialog(false);
  useModalKeys(open, dialog, close);
  if (!open || !documentId) return null;
  const put = (key: DocumentFieldKey) => (e: Event) => {
    const value = (e.target as HTMLInputElement | HTMLTextAreaElement).value;
    setFields((f) => ({ ...f, [key]: value }));
  };
  /** After a citation was applied: the fields it filled show, and are the base of, what was saved. */
  const filled = (fills: Partial<Record<DocumentFieldKey, string>>): void => {
    const s = store.get();
    const doc = s.documents.find((d) => d.id === documentId);
    if (!doc) return;
    const now = fieldsOf(doc);
    const keys = Object.keys(fills) as DocumentFieldKey[];
    shown.current = { ...shown.current, ...Object.fromEntries(keys.map((k) => [k, now[k]])) };
    setFields((f) => ({ ...f, ...Object.fromEntries(keys.map((k) => [k, now[k]])) }));
  };
  const emptyTitle = fields.title.trim() === '';
  const read = readTexts(variables, texts);
  const invalidValues = Object.keys(read.problems).length > 0;
  return (
    <>
      <div class="modal-backdrop">
        <form
          class="modal properties-dialog"
          role="dialog"
          aria-modal="true"
          aria-labelledby="properties-heading"
          ref={dialog}
          // The window's Undo would change the document behind the dialog.
          onKeyDown={(e) => isUndoKey(e) && e.stopPropagation()}
          onSubmit={async (e) => {
            e.preventDefault();
            if (busy || emptyTitle || invalidValues) return;
            setBusy(true);
            // A variable made while the dialog was open had no value then.
            const was = Object.fromEntries(variables.map((v) => [v.id, shownValues.current[v.id] ?? null]));
            const refused = await actions.updateDocument(documentId, shown.current, fields, { shown: was, typed: read.values });
            setBusy(false);
            setRefusal(refused);
            if (refused === null) close();
          }}
        >
          <h2 id="properties-heading">Document properties</h2>
          {LINES.map(({ key, label, hint, date }) => {
            const invalid = (date && !isDateLike(fields[key])) || (key === 'title' && emptyTitle);
            const hintId = `properties-${key}-hint`;
            return (
              <div key={key} class="field-row">
                <label for={`properties-${key}`}>{label}</label>
                <input
                  id={`properties-${key}`}
                  type="text"
                  ref={key === 'title' ? titleField : undefined}
                  required={key === 'title'}
                  value={fields[key]}
                  aria-invalid={invalid || undefined}
                  aria-describedby={hint ? hintId : undefined}
                  onInput={put(key)}
                />
                {hint ? (
                  <span id={hintId} class={invalid ? 'field-hint error-text' : 'field-hint muted'}>
                    {invalid && date ? `Not a date Gloss reads: ${hint}` : hint}
                  </span>
                ) : null}
              </div>
            );
          })}
          <CitationImport actions={actions} documentId={documentId} citation={citation} shown={() => shown.current} onApplied={filled} />
          <VariableFields
            variables={variables}
            texts={texts}
            problems={read.problems}
            onText={(id, text) => setTexts((t) => ({ ...t, [id]: text }))}
            manageButton={
              <button type="button" ref={manageButton} onClick={() => setManaging(true)}>
                Variables…
              </button>
            }
          />
          <label class="field-row">
            Document memo
            <textarea rows={5} value={fields.memo} onInput={put('memo')} />
          </label>
          {refusal ? (
            <p role="alert" class="error-text properties-refusal">
              {refusal}
            </p>
          ) : null}
          <div class="modal-actions">
            <button type="button" onClick={close}>
              Cancel
            </button>
            <button type="submit" class="primary" aria-disabled={busy || emptyTitle || invalidValues || undefined}>
              Save
            </button>
          </div>
        </form>
      </div>
      {managing ? (
        <VariablesDialog store={store} actions={actions} opener={manageButton} onClose={() => setManaging(false)} />
      ) : null}
    </>
  );
}
