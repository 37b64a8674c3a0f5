import type { ComponentChildren } from 'preact';
import type { DocumentVariable, VariableValue } from '../../shared/model';
import { parseValue, valueText } from '../../shared/variables';
import type { ValuesShown } from '../document-actions';

/**
 * The "Variables" group of the document properties dialog: a field per document variable, of
 * its type. Text, numbers and dates are typed (a date as YYYY, YYYY-MM or YYYY-MM-DD: a date
 * picker takes neither a year nor a month alone, which is often all a source gives); yes/no and
 * one of a list are chosen, "Not set" included. What is typed is kept as typed: a value that is
 * not one is said next to its field and keeps Save from saving, never dropped.
 */

/** Each variable's field as typed (select values: '' not set, 'yes', 'no', or a choice). */
export type VariableTexts = Record<string, string>;

/** The fields for a document's values as they are. */
export function textsOf(variables: readonly DocumentVariable[], values: Record<string, VariableValue> | undefined): VariableTexts {
  return Object.fromEntries(variables.map((v) => [v.id, values?.[v.id] === undefined ? '' : valueText(values[v.id]!)]));
}

/** The document's values as shown on opening (null: not set). */
export function valuesOf(variables: readonly DocumentVariable[], values: Record<string, VariableValue> | undefined): ValuesShown {
  return Object.fromEntries(variables.map((v) => [v.id, values?.[v.id] ?? null]));
}

/** What the fields say: each value read (null: not set), and the problem of each field that is not one. */
export function readTexts(variables: readonly DocumentVariable[], texts: VariableTexts): { values: ValuesShown; problems: Record<string, string> } {
  const values: ValuesShown = {};
  const problems: Record<string, string> = {};
  for (const v of variables) {
    const read = parseValue(v, texts[v.id] ?? '');
    if (read.problem !== undefined) problems[v.id] = `Not a value of “${v.name}”: it ${read.problem}.`;
    else values[v.id] = read.value;
  }
  return { values, problems };
}

const HINTS: Partial<Record<DocumentVariable['type'], string>> = {
  number: 'A number, such as 12 or -3.5.',
  date: 'YYYY, YYYY-MM or YYYY-MM-DD.',
};

export function VariableFields({
  variables,
  texts,
  problems,
  onText,
  manageButton,
}: {
  variables: readonly DocumentVariable[];
  texts: VariableTexts;
  problems: Record<string, string>;
  onText: (id: string, text: string) => void;
  manageButton: ComponentChildren;
}) {
  return (
    <fieldset class="properties-variables">
      <legend>Variables</legend>
      {variables.length === 0 ? <p class="muted">No document variables yet: define some (site, wave, interviewee…) to sort and filter the documents by them.</p> : null}
      {variables.map((v) => {
        const id = `properties-variable-${v.id}`;
        const problem = problems[v.id];
        const hint = HINTS[v.type];
        const described = [hint ? `${id}-hint` : null, problem ? `${id}-problem` : null].filter(Boolean).join(' ') || undefined;
        const value = texts[v.id] ?? '';
        const put = (e: Event): void => onText(v.id, (e.target as HTMLInputElement | HTMLSelectElement).value);
        return (
          <div key={v.id} class="field-row">
            <label for={id}>{v.name}</label>
            {v.type === 'boolean' || v.type === 'choice' ? (
              <select id={id} value={value} onChange={put}>
                <option value="">Not set</option>
                {(v.type === 'boolean' ? ['yes', 'no'] : (v.choices ?? [])).map((c) => (
                  <option key={c} value={c}>
                    {v.type === 'boolean' ? (c === 'yes' ? 'Yes' : 'No') : c}
                  </option>
                ))}
              </select>
            ) : (
              <input id={id} type="text" inputMode={v.type === 'number' ? 'decimal' : undefined} value={value} aria-invalid={problem ? true : undefined} aria-describedby={described} onInput={put} />
            )}
            {hint ? (
              <span id={`${id}-hint`} class="field-hint muted">
                {hint}
              </span>
            ) : null}
            {problem ? (
              <span id={`${id}-problem`} class="field-hint error-text">
                {problem}
              </span>
            ) : null}
          </div>
        );
      })}
      {manageButton}
    </fieldset>
  );
}
