import { randomUUID } from 'node:crypto';
import { ApiError } from '../../shared/api';
import type { DocumentVariable, VariableType, VariableValue } from '../../shared/model';
import { VARIABLE_LIMITS, choicesProblem, cleanLine, convertValue, documentCount, nameKey, sameVariable, valueProblem, valueText, variableNameProblem } from '../../shared/variables';
import { placeOrder } from './codebook-edit';
import { indexedSummary, type DocumentValues } from './document-commands';
import type { DocumentEntry } from './files';
import type { Tx } from './transactor';

/**
 * Edits of the document variables as one command kind, like codebook edits (codebook-edit.ts):
 * each variable touched, before and after; the order after; and each document's value it
 * changes, before and after. Plans (below) are made inside the transaction, from the variables
 * and values as they are. Running an edit checks every variable and value it touches is still as
 * planned on, else it is a `conflict` and nothing changes; its inverse swaps before and after,
 * so deleting a variable and undoing it puts back every value, and a choice renamed and the
 * rename undone gives each document its old value again.
 */

/** A variable as an edit leaves it: `before` null means made, `after` null deleted; both alike, moved. */
export interface VariableChange {
  id: string;
  before: DocumentVariable | null;
  after: DocumentVariable | null;
}

/** One document's value of one variable, before and after (null: none). */
export interface ValueChange {
  documentId: string;
  variableId: string;
  before: VariableValue | null;
  after: VariableValue | null;
}

export interface VariableEdit {
  kind: 'editVariables';
  variables: VariableChange[];
  /** Every variable id in order after the edit; the touched variables are placed by it. */
  order: string[];
  values: ValueChange[];
}

/** An edit planned, the variable it is about and what the history calls it. */
export interface PlannedVariableEdit {
  command: VariableEdit;
  variableId: string;
  label: string;
}

const isMove = (c: VariableChange): boolean => c.before !== null && sameVariable(c.before, c.after);

function howChanged(planned: DocumentVariable | null, now: DocumentVariable | undefined): string {
  if (!now) return 'deleted';
  if (!planned) return 'made';
  if (planned.name !== now.name) return `renamed “${now.name}”`;
  if (planned.type !== now.type) return 'given another type';
  return 'changed';
}

/** Runs a variable edit in `tx`; returns its inverse. Throws ApiError (`conflict`) and changes nothing when it cannot. */
export function executeVariableEdit(tx: Tx, edit: VariableEdit, what: string): VariableEdit {
  const current = tx.project.variables ?? [];
  const byId = new Map(current.map((v) => [v.id, v]));
  for (const c of edit.variables) {
    const now = byId.get(c.id);
    if (isMove(c) ? !now : !sameVariable(c.before, now)) {
      const name = c.before?.name ?? c.after?.name ?? c.id;
      throw new ApiError('conflict', `${what}: the variable “${name}” was ${howChanged(c.before, now)} elsewhere since, perhaps in another window. Nothing was changed.`);
    }
  }
  const next = new Map(byId);
  for (const c of edit.variables) {
    if (c.after === null) next.delete(c.id);
    else if (!isMove(c)) next.set(c.id, c.after);
  }
  const order = placeOrder(
    current.map((v) => v.id),
    edit.order,
    new Set(edit.variables.map((c) => c.id)),
    new Set(next.keys()),
  );
  const variables = order.map((id) => next.get(id)!);
  const names = new Map<string, string>();
  for (const v of variables) {
    const taken = names.get(nameKey(v.name));
    if (taken !== undefined) throw new ApiError('conflict', `${what}: a variable is called “${taken}” now (made elsewhere since). Nothing was changed.`);
    names.set(nameKey(v.name), v.name);
  }

  const docs = tx.project.documents;
  const at = new Map(docs.map((d, i) => [d.id, i]));
  const stale = new Set(edit.values.filter((c) => at.has(c.documentId) && (docs[at.get(c.documentId)!]!.values?.[c.variableId] ?? null) !== c.before).map((c) => c.documentId));
  if (stale.size) throw new ApiError('conflict', `${what}: the values of ${documentCount(stale.size)} changed elsewhere since, perhaps in another window. Nothing was changed.`);
  const applied: ValueChange[] = [];
  const entries = new Map<number, DocumentEntry & { values: Record<string, VariableValue> }>();
  for (const c of edit.values) {
    const i = at.get(c.documentId);
    // A document deleted since took its values along; undoing its deletion brings back what fits.
    if (i === undefined) continue;
    const entry = entries.get(i) ?? { ...docs[i]!, values: { ...docs[i]!.values } };
    if (c.after === null) delete entry.values[c.variableId];
    else entry.values[c.variableId] = c.after;
    entries.set(i, entry);
    applied.push(c);
  }
  for (const [i, entry] of entries) {
    const e: DocumentEntry = entry;
    if (Object.keys(entry.values).length === 0) delete e.values;
    docs[i] = e;
  }
  // Every value of a variable made, changed or deleted fits it as it is now (none is left of a deleted one).
  const touched = edit.variables.filter((c) => !isMove(c)).map((c) => c.id);
  if (touched.length) {
    const misfits = docs.filter((d) =>
      touched.some((id) => {
        const value = d.values?.[id];
        if (value === undefined) return false;
        const v = next.get(id);
        return !v || valueProblem(v, value) !== null;
      }),
    ).length;
    if (misfits) throw new ApiError('conflict', `${what}: the values of ${documentCount(misfits)} changed elsewhere since, perhaps in another window. Nothing was changed.`);
  }
  if (variables.length) tx.project.variables = variables;
  else delete tx.project.variables;
  tx.emit({ type: 'variables', variables });
  for (const i of entries.keys()) tx.emit({ type: 'document', summary: indexedSummary(tx, docs[i]!) });
  return {
    kind: 'editVariables',
    variables: edit.variables.map((c) => ({ id: c.id, before: c.after, after: c.before })),
    order: current.map((v) => v.id),
    values: applied.map((c) => ({ ...c, before: c.after, after: c.before })),
  };
}

const invalid = (message: string): ApiError => new ApiError('invalid_input', message);

function variableAt(tx: Tx, id: string): DocumentVariable {
  const v = (tx.project.variables ?? []).find((x) => x.id === id);
  if (!v) throw new ApiError('conflict', 'The variable was deleted, perhaps in another window. Nothing was changed.');
  return v;
}

function cleanChoices(choices: readonly string[]): string[] {
  const clean = choices.map(cleanLine);
  const problem = choicesProblem(clean);
  if (problem) throw invalid(problem);
  return clean;
}

/** The documents with a value of variable `id`, and that value. */
function holders(tx: Tx, id: string): { documentId: string; value: VariableValue }[] {
  return tx.project.documents.flatMap((d) => {
    const value = d.values?.[id];
    return value === undefined ? [] : [{ documentId: d.id, value }];
  });
}

const ids = (tx: Tx): string[] => (tx.project.variables ?? []).map((v) => v.id);

export function planCreateVariable(tx: Tx, input: { name: string; type: VariableType; choices?: string[] | undefined }): PlannedVariableEdit {
  const variables = tx.project.variables ?? [];
  if (variables.length >= VARIABLE_LIMITS.variables) throw invalid(`A project has at most ${VARIABLE_LIMITS.variables} variables.`);
  const name = cleanLine(input.name);
  const problem = variableNameProblem(name, variables);
  if (problem) throw invalid(problem);
  const v: DocumentVariable = { id: randomUUID(), name, type: input.type };
  if (input.type === 'choice') v.choices = cleanChoices(input.choices ?? []);
  else if (input.choices !== undefined) throw invalid('Only a variable of one of a list has choices.');
  return { command: { kind: 'editVariables', variables: [{ id: v.id, before: null, after: v }], order: [...ids(tx), v.id], values: [] }, variableId: v.id, label: 'create variable' };
}

/** A variable of a type, as a message names it. */
const KINDS: Record<VariableType, { a: string; not: string }> = {
  text: { a: 'a text variable', not: 'are not text' },
  number: { a: 'a number variable', not: 'are not numbers' },
  date: { a: 'a date variable', not: 'are not dates as YYYY, YYYY-MM or YYYY-MM-DD' },
  boolean: { a: 'a yes/no variable', not: 'are not yes or no' },
  choice: { a: 'a variable of one of a list', not: 'are not among its choices' },
};

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Some of `texts`, quoted, for a message. */
function examples(texts: readonly string[]): string {
  const distinct = [...new Set(texts)];
  return distinct.slice(0, 3).map((t) => `“${t.length > 40 ? `${t.slice(0, 39)}…` : t}”`).join(', ') + (distinct.length > 3 ? ', …' : '');
}

export function planUpdateVariable(
  tx: Tx,
  input: { id: string; name?: string | undefined; type?: VariableType | undefined; choices?: string[] | undefined; renamed?: Record<string, string> | undefined },
): PlannedVariableEdit {
  const v = variableAt(tx, input.id);
  const after: DocumentVariable = { ...v };
  const labels: string[] = [];
  if (input.name !== undefined && cleanLine(input.name) !== v.name) {
    const name = cleanLine(input.name);
    const problem = variableNameProblem(name, tx.project.variables ?? [], v.id);
    if (problem) throw invalid(problem);
    after.name = name;
    labels.push('rename variable');
  }
  const values: ValueChange[] = [];
  const held = holders(tx, v.id);
  const type = input.type ?? v.type;
  if (type !== v.type) {
    if (input.renamed !== undefined) throw invalid('Choices are renamed only while the type of the variable stays as it is.');
    after.type = type;
    if (type === 'choice') {
      const texts = [...new Set(held.map((h) => valueText(h.value)))].sort(collator.compare);
      if (input.choices === undefined && texts.length === 0) throw invalid(`“${v.name}” has no values to make choices of: give it its choices.`);
      after.choices = cleanChoices(input.choices ?? texts);
    } else {
      if (input.choices !== undefined) throw invalid('Only a variable of one of a list has choices.');
      delete after.choices;
    }
    const failed: string[] = [];
    for (const h of held) {
      const converted = convertValue(h.value, after);
      if (converted === null) failed.push(valueText(h.value));
      else if (converted !== h.value) values.push({ documentId: h.documentId, variableId: v.id, before: h.value, after: converted });
    }
    if (failed.length) {
      throw invalid(`“${v.name}” cannot become ${KINDS[type].a}: the values of ${documentCount(failed.length)} ${KINDS[type].not} (${examples(failed)}). Change or clear them first; nothing was changed.`);
    }
    labels.push('change variable type');
  } else if (input.choices !== undefined || input.renamed !== undefined) {
    if (v.type !== 'choice') throw invalid('Only a variable of one of a list has choices.');
    const old = v.choices ?? [];
    const choices = cleanChoices(input.choices ?? old);
    const renamed = new Map(Object.entries(input.renamed ?? {}).map(([from, to]) => [cleanLine(from), cleanLine(to)] as const).filter(([from, to]) => from !== to));
    for (const [from, to] of renamed) {
      if (!old.includes(from)) throw invalid(`“${from}” is not a choice of “${v.name}”.`);
      if (!choices.includes(to)) throw invalid(`“${from}” is to be renamed “${to}”, which is not one of the choices.`);
    }
    const dropped = new Map<string, number>();
    for (const h of held) {
      const value = h.value as string;
      const to = renamed.get(value);
      if (to !== undefined) values.push({ documentId: h.documentId, variableId: v.id, before: value, after: to });
      else if (!choices.includes(value)) dropped.set(value, (dropped.get(value) ?? 0) + 1);
    }
    if (dropped.size) {
      const which = [...dropped].map(([c, n]) => `“${c}” (${documentCount(n)})`).join(', ');
      const one = dropped.size === 1;
      throw invalid(`${which} ${one ? 'is a value' : 'are values'} of “${v.name}” still: keep ${one ? 'it' : 'them'}, or rename ${one ? 'it' : 'them'} to another choice (the documents' values follow). Nothing was changed.`);
    }
    if (!sameVariable(v, { ...after, choices })) {
      after.choices = choices;
      labels.push('edit variable choices');
    } else if (values.length) labels.push('merge variable choices');
  }
  if (sameVariable(v, after) && values.length === 0) throw invalid(`Nothing to change: “${v.name}” is so already.`);
  return {
    command: { kind: 'editVariables', variables: [{ id: v.id, before: v, after }], order: ids(tx), values },
    variableId: v.id,
    label: labels.length === 1 ? labels[0]! : 'edit variable',
  };
}

export function planMoveVariable(tx: Tx, input: { id: string; before: string | null }): PlannedVariableEdit {
  const v = variableAt(tx, input.id);
  if (input.before === input.id) throw invalid('A variable cannot be moved before itself.');
  const current = ids(tx);
  if (input.before !== null && !current.includes(input.before)) throw new ApiError('conflict', 'The variable it was to go before was deleted, perhaps in another window. Nothing was changed.');
  const order = current.filter((id) => id !== v.id);
  order.splice(input.before === null ? order.length : order.indexOf(input.before), 0, v.id);
  if (order.every((id, i) => id === current[i])) throw invalid(`Nothing to change: “${v.name}” is there already.`);
  return { command: { kind: 'editVariables', variables: [{ id: v.id, before: v, after: v }], order, values: [] }, variableId: v.id, label: 'move variable' };
}

export function planDeleteVariable(tx: Tx, input: { id: string }): PlannedVariableEdit {
  const v = variableAt(tx, input.id);
  const values = holders(tx, v.id).map((h): ValueChange => ({ documentId: h.documentId, variableId: v.id, before: h.value, after: null }));
  const order = ids(tx).filter((id) => id !== v.id);
  return { command: { kind: 'editVariables', variables: [{ id: v.id, before: v, after: null }], order, values }, variableId: v.id, label: `delete variable “${v.name}”` };
}

/**
 * Values a window sends for a document, read against the variables as they are: text made one
 * line (empty: no value), each checked to fit its variable. Throws `invalid_input` naming the
 * variable when one does not, or is unknown; a `conflict` when the window had seen the variable
 * (`seen`: it sent what it held), which was then deleted elsewhere.
 */
export function readValues(variables: readonly DocumentVariable[], values: DocumentValues, seen: (id: string) => boolean = () => false): DocumentValues {
  const byId = new Map(variables.map((v) => [v.id, v]));
  const out: DocumentValues = {};
  for (const [id, raw] of Object.entries(values)) {
    const v = byId.get(id);
    if (!v && seen(id)) throw new ApiError('conflict', 'A variable was deleted elsewhere since, perhaps in another window. Nothing was changed; look again and retry.');
    if (!v) throw invalid(`The project has no variable with id "${id}".`);
    const value = typeof raw === 'string' ? cleanLine(raw) || null : raw;
    const problem = value === null ? null : valueProblem(v, value);
    if (problem) throw invalid(`The value of “${v.name}” ${problem}${typeof value === 'string' ? ` (not “${value.length > 40 ? `${value.slice(0, 39)}…` : value}”)` : ''}.`);
    out[id] = value;
  }
  return out;
}
