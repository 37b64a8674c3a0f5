import type { DocumentSummary, DocumentVariable } from '../shared/model';
import { dateSpan, isPartialDate, parseValue } from '../shared/variables';

/**
 * The documents list as this window sorts and filters it: by list order (the project's, which
 * Alt+↑/↓ changes), title, date, coded passages or any document variable, ascending or
 * descending; filtered by words in the title, authors or publication and by a condition per
 * variable. Pure, and fast at 100,000 documents: every document's sort key and search text is
 * computed once (search text once per list entry, which a change replaces), and the comparison
 * reads only those keys. Documents without a key sort last in both directions; ties keep list
 * order.
 */

export type SortKey = 'list' | 'title' | 'date' | 'passages' | `variable:${string}`;

export interface DocumentSort {
  key: SortKey;
  descending: boolean;
}

/**
 * A condition on one variable, as typed (numbers and dates stay text, so that a half-typed bound
 * is kept; one that cannot be read constrains nothing, and the UI says so). Empty constrains
 * nothing either.
 */
export type VariableCondition =
  /** One of these values; `notSet`: or no value. */
  | { type: 'choice'; values: string[]; notSet: boolean }
  | { type: 'boolean'; value: 'any' | 'yes' | 'no' | 'unset' }
  | { type: 'number'; min: string; max: string }
  /** Partial dates: a value matches when any day of it falls between the first day of `from` and the last of `to`. */
  | { type: 'date'; from: string; to: string }
  | { type: 'text'; contains: string };

export interface VariableFilter {
  variableId: string;
  condition: VariableCondition;
}

export interface DocumentFilter {
  /** Words in the title, the authors or the publication (case and accents aside). */
  text: string;
  variables: VariableFilter[];
}

export interface DocumentView {
  sort: DocumentSort;
  filter: DocumentFilter;
}

export const DEFAULT_VIEW: DocumentView = { sort: { key: 'list', descending: false }, filter: { text: '', variables: [] } };

/** A condition that constrains nothing, for a variable just chosen to filter by. */
export function emptyCondition(variable: DocumentVariable): VariableCondition {
  switch (variable.type) {
    case 'choice':
      return { type: 'choice', values: [], notSet: false };
    case 'boolean':
      return { type: 'boolean', value: 'any' };
    case 'number':
      return { type: 'number', min: '', max: '' };
    case 'date':
      return { type: 'date', from: '', to: '' };
    case 'text':
      return { type: 'text', contains: '' };
  }
}

const NUMBER_VARIABLE: DocumentVariable = { id: '', name: '', type: 'number' };

/** A bound of a number condition: undefined when empty or not a number. */
function bound(text: string): number | undefined {
  const read = parseValue(NUMBER_VARIABLE, text);
  return typeof read.value === 'number' ? read.value : undefined;
}

/** Why a bound as typed constrains nothing (it is not a number, not a date), or null. */
export function boundProblem(type: 'number' | 'date', text: string): string | null {
  const t = text.trim();
  if (t === '') return null;
  if (type === 'number') return bound(t) === undefined ? 'Not a number: this bound is left out.' : null;
  return isPartialDate(t) ? null : 'Not a date as YYYY, YYYY-MM or YYYY-MM-DD: this bound is left out.';
}

/** A test of one document's value, or null when the condition constrains nothing. */
function test(variable: DocumentVariable, condition: VariableCondition): ((value: unknown) => boolean) | null {
  if (condition.type !== variable.type) return null;
  switch (condition.type) {
    case 'choice': {
      if (condition.values.length === 0 && !condition.notSet) return null;
      const wanted = new Set(condition.values);
      return (v) => (v === undefined ? condition.notSet : wanted.has(v as string));
    }
    case 'boolean':
      if (condition.value === 'any') return null;
      if (condition.value === 'unset') return (v) => v === undefined;
      return condition.value === 'yes' ? (v) => v === true : (v) => v === false;
    case 'number': {
      const min = bound(condition.min);
      const max = bound(condition.max);
      if (min === undefined && max === undefined) return null;
      return (v) => typeof v === 'number' && (min === undefined || v >= min) && (max === undefined || v <= max);
    }
    case 'date': {
      const from = isPartialDate(condition.from.trim()) ? dateSpan(condition.from.trim())[0] : undefined;
      const to = isPartialDate(condition.to.trim()) ? dateSpan(condition.to.trim())[1] : undefined;
      if (from === undefined && to === undefined) return null;
      return (v) => {
        if (typeof v !== 'string') return false;
        const [first, last] = dateSpan(v);
        return (from === undefined || last >= from) && (to === undefined || first <= to);
      };
    }
    case 'text': {
      const words = fold(condition.contains).trim();
      if (words === '') return null;
      return (v) => typeof v === 'string' && fold(v).includes(words);
    }
  }
}

/** Text as it is searched: without accents, in lower case. */
export function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

const searchTexts = new WeakMap<DocumentSummary, string>();

function searchText(d: DocumentSummary): string {
  let text = searchTexts.get(d);
  if (text === undefined) searchTexts.set(d, (text = fold(`${d.meta.title}\n${d.meta.author}\n${d.meta.publication}`)));
  return text;
}

/** The tests of a filter that constrain anything, against `variables` as they are (a deleted variable's filter is none). */
function tests(filter: DocumentFilter, variables: readonly DocumentVariable[]): ((d: DocumentSummary) => boolean)[] {
  const out: ((d: DocumentSummary) => boolean)[] = [];
  const words = fold(filter.text).trim();
  if (words) out.push((d) => searchText(d).includes(words));
  const byId = new Map(variables.map((v) => [v.id, v]));
  for (const f of filter.variables) {
    const v = byId.get(f.variableId);
    const t = v && test(v, f.condition);
    if (t) out.push((d) => t(d.values?.[f.variableId]));
  }
  return out;
}

/** Whether a filter hides any document it could: any of its parts constrains. */
export function isFiltering(filter: DocumentFilter, variables: readonly DocumentVariable[]): boolean {
  return tests(filter, variables).length > 0;
}

/** Whether the list shows the project's own order, whole: the only view in which documents are moved. */
export function isListOrder(view: DocumentView, variables: readonly DocumentVariable[]): boolean {
  return view.sort.key === 'list' && !isFiltering(view.filter, variables);
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/**
 * Ranks of texts in collation order, kept between sorts: comparing 100,000 titles with the
 * collator takes a third of a second, comparing their ranks a tenth of that, and a change that
 * brings no new text (a coding changes a document's counts) needs no collator at all. New texts
 * are put in their place by binary search; many new ones rebuild the ranks.
 */
class Ranks {
  private sorted: string[] = [];
  private ranks = new Map<string, number>();

  /** The rank of each text (texts alike to the collator have the same rank). */
  of(texts: readonly (string | null)[]): (number | null)[] {
    const missing = [...new Set(texts.filter((t): t is string => t !== null && !this.ranks.has(t)))];
    if (missing.length) {
      if (missing.length > 64 + this.sorted.length / 8) this.sorted = [...new Set([...this.sorted, ...missing])].sort(collator.compare);
      else for (const t of missing) this.sorted.splice(this.place(t), 0, t);
      this.ranks = new Map();
      let rank = 0;
      for (let i = 0; i < this.sorted.length; i++) {
        if (i > 0 && collator.compare(this.sorted[i - 1]!, this.sorted[i]!) !== 0) rank = i;
        this.ranks.set(this.sorted[i]!, rank);
      }
    }
    return texts.map((t) => (t === null ? null : this.ranks.get(t)!));
  }

  private place(t: string): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (collator.compare(this.sorted[mid]!, t) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Ranks per thing sorted by text: titles, and each text variable. */
const textRanks = new Map<string, Ranks>();
function ranksOf(what: string, texts: readonly (string | null)[]): (number | null)[] {
  let ranks = textRanks.get(what);
  if (!ranks) textRanks.set(what, (ranks = new Ranks()));
  return ranks.of(texts);
}

type Key = string | number | null;

/** Every document's sort key (null: none, sorted last), and how two keys compare. */
function keysOf(documents: readonly DocumentSummary[], key: SortKey, variables: readonly DocumentVariable[]): { keys: Key[]; compare: (a: Key, b: Key) => number } | null {
  const byNumber = (a: Key, b: Key): number => (a as number) - (b as number);
  const byCode = (a: Key, b: Key): number => ((a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0);
  if (key === 'title') return { keys: ranksOf('title', documents.map((d) => d.meta.title)), compare: byNumber };
  // ISO dates compare as strings; a year before the months of that year.
  if (key === 'date') return { keys: documents.map((d) => d.meta.date || null), compare: byCode };
  if (key === 'passages') return { keys: documents.map((d) => d.annotationCount), compare: byNumber };
  if (!key.startsWith('variable:')) return null;
  const id = key.slice('variable:'.length);
  const v = variables.find((x) => x.id === id);
  if (!v) return null;
  const values = documents.map((d) => d.values?.[id]);
  switch (v.type) {
    case 'number':
      return { keys: values.map((x) => (typeof x === 'number' ? x : null)), compare: byNumber };
    case 'boolean':
      return { keys: values.map((x) => (typeof x === 'boolean' ? Number(x) : null)), compare: byNumber };
    case 'date':
      return { keys: values.map((x) => (typeof x === 'string' ? x : null)), compare: byCode };
    case 'choice': {
      // In the order of the choices, which is the variable's own (waves, levels).
      const rank = new Map((v.choices ?? []).map((c, i) => [c, i]));
      return { keys: values.map((x) => (typeof x === 'string' ? (rank.get(x) ?? rank.size) : null)), compare: byNumber };
    }
    case 'text':
      return { keys: ranksOf(key, values.map((x) => (typeof x === 'string' ? x : null))), compare: byNumber };
  }
}

/**
 * `documents` in the order `sort` asks; list order (which has no direction) when it names nothing
 * there is (a variable deleted since).
 */
export function sortDocuments(documents: readonly DocumentSummary[], sort: DocumentSort, variables: readonly DocumentVariable[]): readonly DocumentSummary[] {
  const sorted = sort.key === 'list' ? null : keysOf(documents, sort.key, variables);
  if (!sorted) return documents;
  const { keys, compare } = sorted;
  const dir = sort.descending ? -1 : 1;
  const order = documents.map((_, i) => i);
  order.sort((i, j) => {
    const a = keys[i]!;
    const b = keys[j]!;
    if (a === null || b === null) return a === b ? i - j : a === null ? 1 : -1;
    return dir * compare(a, b) || i - j;
  });
  return order.map((i) => documents[i]!);
}

/** The documents `view` shows, in its order. */
export function queryDocuments(documents: readonly DocumentSummary[], variables: readonly DocumentVariable[], view: DocumentView): readonly DocumentSummary[] {
  const checks = tests(view.filter, variables);
  const kept = checks.length === 0 ? documents : documents.filter((d) => checks.every((t) => t(d)));
  return sortDocuments(kept, view.sort, variables);
}

const text = (x: unknown): string => (typeof x === 'string' ? x : '');

/** A condition read back from storage, made whole; null when it is none. */
function readCondition(raw: unknown): VariableCondition | null {
  const c = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  switch (c['type']) {
    case 'choice':
      return { type: 'choice', values: Array.isArray(c['values']) ? c['values'].filter((x): x is string => typeof x === 'string') : [], notSet: c['notSet'] === true };
    case 'boolean':
      return { type: 'boolean', value: c['value'] === 'yes' || c['value'] === 'no' || c['value'] === 'unset' ? c['value'] : 'any' };
    case 'number':
      return { type: 'number', min: text(c['min']), max: text(c['max']) };
    case 'date':
      return { type: 'date', from: text(c['from']), to: text(c['to']) };
    case 'text':
      return { type: 'text', contains: text(c['contains']) };
    default:
      return null;
  }
}

/** A view read back from storage (written by any version of this page): what is not a view's part is left at its default. */
export function readView(raw: unknown): DocumentView {
  if (!raw || typeof raw !== 'object') return DEFAULT_VIEW;
  const r = raw as { sort?: { key?: unknown; descending?: unknown }; filter?: { text?: unknown; variables?: unknown } };
  const key = typeof r.sort?.key === 'string' && /^(list|title|date|passages|variable:.+)$/.test(r.sort.key) ? (r.sort.key as SortKey) : 'list';
  const variables: VariableFilter[] = [];
  for (const f of Array.isArray(r.filter?.variables) ? (r.filter.variables as unknown[]) : []) {
    const x = (f && typeof f === 'object' ? f : {}) as { variableId?: unknown; condition?: unknown };
    const condition = readCondition(x.condition);
    if (typeof x.variableId === 'string' && condition) variables.push({ variableId: x.variableId, condition });
  }
  return { sort: { key, descending: r.sort?.descending === true }, filter: { text: text(r.filter?.text), variables } };
}
