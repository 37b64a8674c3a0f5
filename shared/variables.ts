import { nameKey as codeNameKey } from './codebook';
import type { DocumentVariable, VariableType, VariableValue } from './model';

/**
 * Document variables: what each type holds, how a value is read from what a user typed, how a
 * value is written for reading, and how one converts when its variable's type changes. Main
 * validates with these, the properties dialog reads with them and the documents list filters
 * with them, so that all three agree.
 */

export const VARIABLE_TYPES = ['text', 'number', 'date', 'boolean', 'choice'] as const satisfies readonly VariableType[];

/** A type as the UI names it. */
export const VARIABLE_TYPE_LABELS: Record<VariableType, string> = { text: 'Text', number: 'Number', date: 'Date', boolean: 'Yes/no', choice: 'One of a list' };

/** The most a project or a value holds. */
export const VARIABLE_LIMITS = {
  /** Variables in a project. */
  variables: 500,
  /** Characters of a variable's name, and of one choice. */
  name: 200,
  /** Choices of one variable. */
  choices: 200,
  /** Characters of a text value. */
  text: 2000,
} as const;

/** One line of NFC text: runs of white space made one space, none at the ends. */
export function cleanLine(s: string): string {
  return s.normalize('NFC').replace(/\s+/g, ' ').trim();
}

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/** Days in a month of a year (month 1–12), by the Gregorian calendar. */
function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Whether `s` is an ISO 8601 date of a year, a month or a day (YYYY, YYYY-MM, YYYY-MM-DD) that exists: 2021-02-30 is not one. */
export function isPartialDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  if (m[2] === undefined) return true;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return false;
  if (m[3] === undefined) return true;
  const day = Number(m[3]);
  return day >= 1 && day <= daysIn(Number(m[1]), month);
}

/** The first and last day a partial date covers, as YYYY-MM-DD (which compare as strings): '2020' is 2020-01-01 to 2020-12-31. */
export function dateSpan(date: string): [string, string] {
  const m = DATE.exec(date);
  if (!m) return [date, date];
  const [, y, mo, d] = m;
  if (mo === undefined) return [`${y}-01-01`, `${y}-12-31`];
  if (d === undefined) return [`${y}-${mo}-01`, `${y}-${mo}-${String(daysIn(Number(y), Number(mo))).padStart(2, '0')}`];
  return [date, date];
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Why `value` is not a value of `variable` (words that follow “it ”), or null when it is one. */
export function valueProblem(variable: DocumentVariable, value: unknown): string | null {
  switch (variable.type) {
    case 'text':
      if (typeof value !== 'string' || value === '') return 'must be text';
      if (value.length > VARIABLE_LIMITS.text) return `must be at most ${VARIABLE_LIMITS.text} characters`;
      return CONTROL.test(value) ? 'must be one line of text' : null;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : 'must be a number';
    case 'date':
      return typeof value === 'string' && isPartialDate(value) ? null : 'must be a date that exists, as YYYY, YYYY-MM or YYYY-MM-DD';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be yes or no';
    case 'choice':
      return typeof value === 'string' && (variable.choices ?? []).includes(value) ? null : `must be one of: ${(variable.choices ?? []).join(', ')}`;
  }
}

/** A value as a person reads it (and the CSV export writes it): yes or no for yes/no. */
export function valueText(value: VariableValue): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

const YES = new Set(['yes', 'y', 'true', '1']);
const NO = new Set(['no', 'n', 'false', '0']);

/**
 * Reads what a user typed (or a value's text, when a variable's type changes) as a value of
 * `variable`: `value` null when empty (not set), else `problem` saying why it is not one.
 */
export function parseValue(variable: DocumentVariable, typed: string): { value: VariableValue | null; problem?: undefined } | { problem: string; value?: undefined } {
  const text = cleanLine(typed);
  if (text === '') return { value: null };
  switch (variable.type) {
    case 'text': {
      const problem = valueProblem(variable, text);
      return problem ? { problem } : { value: text };
    }
    case 'number': {
      const n = NUMBER.test(text) ? Number(text) : Number.NaN;
      return Number.isFinite(n) ? { value: n } : { problem: 'must be a number, such as 12 or -3.5' };
    }
    case 'date':
      return isPartialDate(text) ? { value: text } : { problem: 'must be a date that exists, as YYYY, YYYY-MM or YYYY-MM-DD' };
    case 'boolean': {
      const t = text.toLowerCase();
      return YES.has(t) ? { value: true } : NO.has(t) ? { value: false } : { problem: 'must be yes or no' };
    }
    case 'choice': {
      const choices = variable.choices ?? [];
      const exact = choices.find((c) => c === text) ?? choices.find((c) => c.toLowerCase() === text.toLowerCase());
      return exact !== undefined ? { value: exact } : { problem: `must be one of: ${choices.join(', ')}` };
    }
  }
}

/** A value converted for `to` (its variable with another type): through its text; null when it does not convert. */
export function convertValue(value: VariableValue, to: DocumentVariable): VariableValue | null {
  const read = parseValue(to, valueText(value));
  return read.problem === undefined ? read.value : null;
}

/** Whether two variables are alike in every field. */
export function sameVariable(a: DocumentVariable | null | undefined, b: DocumentVariable | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  const ca = a.choices ?? [];
  const cb = b.choices ?? [];
  return a.id === b.id && a.name === b.name && a.type === b.type && ca.length === cb.length && ca.every((c, i) => c === cb[i]);
}

/**
 * A name as compared for being taken: upper and lower case alike. A code's name key (NFC,
 * trimmed, case-folded) of the cleaned name, so inner runs of white space count as one space too.
 */
export function nameKey(name: string): string {
  return codeNameKey(cleanLine(name));
}

/** Why `name` (cleaned) cannot name a variable beside `variables` (other than `exceptId`), or null. */
export function variableNameProblem(name: string, variables: readonly DocumentVariable[], exceptId?: string): string | null {
  if (name === '') return 'A variable needs a name.';
  if (name.length > VARIABLE_LIMITS.name) return `A variable's name is at most ${VARIABLE_LIMITS.name} characters.`;
  const twin = variables.find((v) => v.id !== exceptId && nameKey(v.name) === nameKey(name));
  return twin ? `A variable is called “${twin.name}” already.` : null;
}

/** Why `choices` (cleaned) cannot be a variable's choices, or null. */
export function choicesProblem(choices: readonly string[]): string | null {
  if (choices.length === 0) return 'A variable of one of a list needs at least one choice.';
  if (choices.length > VARIABLE_LIMITS.choices) return `A variable has at most ${VARIABLE_LIMITS.choices} choices.`;
  const seen = new Map<string, string>();
  for (const c of choices) {
    if (c === '') return 'A choice must not be empty.';
    if (c.length > VARIABLE_LIMITS.name) return `A choice is at most ${VARIABLE_LIMITS.name} characters.`;
    const twin = seen.get(nameKey(c));
    if (twin !== undefined) return `“${c}” is a choice twice${twin === c ? '' : ` (as “${twin}”)`}.`;
    seen.set(nameKey(c), c);
  }
  return null;
}

/** “1 document”, “3 documents”. */
export function documentCount(n: number): string {
  return `${n} document${n === 1 ? '' : 's'}`;
}
