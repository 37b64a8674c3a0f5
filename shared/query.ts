import { fold } from './folded-text';
import type { Code, Coder, PlacedAnnotation } from './model';
import { descendantsOf } from './codebook';
import { codePathNames } from './order';
import { parseQuery, QueryError, type Comparison, type QueryNode } from './query-parse';
import { SpanSet, wordStarts, type Span } from './query-relations';
import { complement, intersect, PassageIndex, positionsOf, unite } from './query-index';

/**
 * Running a passage query (query-parse.ts) against a project: names are resolved once, into
 * sets of ids, and the query becomes one predicate over passages. What a query cannot mean (an
 * unknown code, a value that does not fit its variable) is a QueryError naming the term, never
 * an empty result the user must puzzle over.
 */

export { QueryError } from './query-parse';
export { DocumentPostings, PassageIndex } from './query-index';

/** A document variable as the query language needs it. */
export interface QueryVariable {
  id: string;
  name: string;
  type: 'text' | 'number' | 'date' | 'boolean' | 'choice';
  choices?: readonly string[];
}

export interface QueryDocument {
  id: string;
  title: string;
  values?: Readonly<Record<string, string | number | boolean>>;
}

/** What names in a query are resolved against. */
export interface QueryProject {
  codes: readonly Code[];
  documents: readonly QueryDocument[];
  variables: readonly QueryVariable[];
  coders: readonly Coder[];
}

/** Where the passages to ask relations of come from, and the texts to count words in. */
export interface QuerySource {
  /** Every passage of the project (relations are to any of them, not only to those asked). */
  passages: readonly PlacedAnnotation[];
  /** A document's canonical text; needed by `near` only. */
  text?(documentId: string): string | null;
}

export interface CompiledQuery {
  match(p: PlacedAnnotation): boolean;
  /** The positions in `index.passages` of the passages that match, in order: the fast way over many. */
  select(index: PassageIndex): number[];
}

type Test = (p: PlacedAnnotation) => boolean;

const same = (a: string, b: string): boolean => fold(a).trim() === fold(b).trim();
const quote = (s: string): string => `“${s.length > 60 ? `${s.slice(0, 60)}…` : s}”`;

/** The ids of a code and every code below it. */
function withBelow(codes: readonly Code[], id: string): Set<string> {
  return new Set([id, ...descendantsOf(codes, id).map((c) => c.id)]);
}

/** The code a query names: its id, its name (when only one code has it) or its path ("A > B"). */
function resolveCode(project: QueryProject, name: string, at: number): Code {
  const byId = new Map(project.codes.map((c) => [c.id, c]));
  const path = (c: Code): string => codePathNames(byId, c.id).join(' › ');
  const exact = byId.get(name);
  if (exact) return exact;
  const parts = name.split(/\s*[>›]\s*/).filter((s) => s !== '');
  const found =
    parts.length > 1
      ? project.codes.filter((c) => {
          const names = codePathNames(byId, c.id);
          return names.length === parts.length && names.every((n, i) => same(n, parts[i]!));
        })
      : project.codes.filter((c) => same(c.name, name));
  if (found.length === 1) return found[0]!;
  if (found.length > 1) throw new QueryError(`${quote(name)} names ${found.length} codes (${found.map(path).join('; ')}): write its path, as code:"${path(found[0]!).replace(/ › /g, ' > ')}".`, at);
  const close = project.codes.filter((c) => fold(c.name).includes(fold(parts.at(-1) ?? name).trim().slice(0, 4))).slice(0, 3);
  throw new QueryError(`No code is named ${quote(name)}.${close.length ? ` Did you mean ${close.map((c) => quote(path(c))).join(', ')}?` : ''}`, at);
}

/** A date of a timestamp, in local time, as YYYY-MM-DD. */
function localDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}

/** Compares two dates, either whole or partial, on what both of them say ("2020" is within 2020-05). */
function compareDates(a: string, b: string): number {
  const k = Math.min(a.length, b.length);
  const x = a.slice(0, k);
  const y = b.slice(0, k);
  return x < y ? -1 : x > y ? 1 : 0;
}

function holds(op: Comparison, order: number): boolean {
  switch (op) {
    case '=':
      return order === 0;
    case '!=':
      return order !== 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
    case '~':
      return false;
  }
}

/** A test of one variable's value on a document, from `@Name op value`. */
function variableTest(variable: QueryVariable, op: Comparison | null, raw: string, at: number): (v: string | number | boolean | undefined) => boolean {
  const name = quote(variable.name);
  if (op === null) return (v) => v !== undefined;
  if (op === '~') {
    if (variable.type !== 'text') throw new QueryError(`~ (contains) is for text variables; ${name} is ${variable.type === 'boolean' ? 'yes/no' : `a ${variable.type}`}.`, at);
    const needle = fold(raw).trim();
    return (v) => typeof v === 'string' && fold(v).includes(needle);
  }
  switch (variable.type) {
    case 'number': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) throw new QueryError(`${name} holds numbers; ${quote(raw)} is not one.`, at);
      return (v) => typeof v === 'number' && holds(op, v - n);
    }
    case 'date': {
      if (!/^\d{4}(-\d{2}(-\d{2})?)?$/.test(raw)) throw new QueryError(`${name} holds dates; ${quote(raw)} is not one (2024, 2024-05 or 2024-05-02).`, at);
      return (v) => typeof v === 'string' && holds(op, compareDates(v, raw));
    }
    case 'boolean': {
      if (op !== '=' && op !== '!=') throw new QueryError(`${name} is yes or no: compare it with = or !=.`, at);
      const b = /^(yes|true|y|1)$/i.test(raw) ? true : /^(no|false|n|0)$/i.test(raw) ? false : null;
      if (b === null) throw new QueryError(`${name} is yes or no; ${quote(raw)} is neither.`, at);
      return (v) => typeof v === 'boolean' && (op === '=' ? v === b : v !== b);
    }
    case 'choice': {
      const choices = variable.choices ?? [];
      const i = choices.findIndex((c) => same(c, raw));
      if (i < 0) throw new QueryError(`${quote(raw)} is not one of ${name}’s values (${choices.map(quote).join(', ')}).`, at);
      // Choices are ordered (a wave, a rating): < and > follow their order.
      const rank = new Map(choices.map((c, j) => [c, j]));
      return (v) => typeof v === 'string' && rank.has(v) && holds(op, rank.get(v)! - i);
    }
    case 'text': {
      const want = fold(raw).trim();
      const order = (v: string): number => {
        const have = fold(v).trim();
        return have < want ? -1 : have > want ? 1 : 0;
      };
      return (v) => typeof v === 'string' && holds(op, order(v));
    }
  }
}

/**
 * Compiles a query (text or tree) against a project and the passages relations look at: one
 * snapshot (it keeps what it has worked out, such as folded words, for as long as it lives).
 * Throws QueryError for a query that cannot be read or names what the project does not have.
 */
export function compileQuery(query: string | QueryNode, project: QueryProject, source: QuerySource): CompiledQuery {
  const tree = typeof query === 'string' ? parseQuery(query) : query;
  const folded = new Map<string, { text: string; memo: string }>();
  const foldedOf = (p: PlacedAnnotation) => {
    let f = folded.get(p.id);
    if (!f) folded.set(p.id, (f = { text: fold(p.quote.exact), memo: fold(p.memo) }));
    return f;
  };
  const dates = new Map<string, string>();
  const dateOf = (iso: string): string => {
    let d = dates.get(iso);
    if (d === undefined) dates.set(iso, (d = localDate(iso)));
    return d;
  };

  // Relations: one span set per (code set, document), built when first asked, from the
  // passages grouped by document once a query has a relation at all.
  let grouped: Map<string, PlacedAnnotation[]> | null = null;
  const byDocument = (documentId: string): readonly PlacedAnnotation[] => {
    if (!grouped) {
      grouped = new Map();
      for (const p of source.passages) {
        if (p.anchor.status === 'orphan') continue;
        let list = grouped.get(p.documentId);
        if (!list) grouped.set(p.documentId, (list = []));
        list.push(p);
      }
    }
    return grouped.get(documentId) ?? [];
  };
  const words = new Map<string, Int32Array>();
  const wordsOf = (documentId: string): Int32Array => {
    let w = words.get(documentId);
    if (!w) words.set(documentId, (w = wordStarts(source.text?.(documentId) ?? '')));
    return w;
  };
  const span = (p: PlacedAnnotation): Span => ({ id: p.id, start: p.anchor.start, end: p.anchor.end });

  // A term's names are resolved once, whether the predicate or the index asks.
  const resolutions = new Map<QueryNode, Set<string>>();
  const resolved = (node: QueryNode, resolve: () => Set<string>): Set<string> => {
    let ids = resolutions.get(node);
    if (!ids) resolutions.set(node, (ids = resolve()));
    return ids;
  };

  /** The codes a code term means: the code, with the codes below it unless `code=`. */
  function codesOf(node: Extract<QueryNode, { kind: 'code' }>): Set<string> {
    return resolved(node, () => {
      const code = resolveCode(project, node.name, node.at);
      return node.descendants ? withBelow(project.codes, code.id) : new Set([code.id]);
    });
  }

  /** The documents a document or variable term keeps. */
  function documentsOf(node: Extract<QueryNode, { kind: 'doc' | 'variable' }>): Set<string> {
    return resolved(node, () => documentsNamed(node));
  }

  function documentsNamed(node: Extract<QueryNode, { kind: 'doc' | 'variable' }>): Set<string> {
    if (node.kind === 'doc') {
      const want = fold(node.value).trim();
      const ids = new Set(project.documents.filter((d) => d.id === node.value || fold(d.title).includes(want)).map((d) => d.id));
      if (ids.size === 0) throw new QueryError(`No document has the id or words ${quote(node.value)} in its title.`, node.at);
      return ids;
    }
    const variable = project.variables.find((v) => same(v.name, node.name));
    if (!variable) throw new QueryError(`No document variable is named ${quote(node.name)}${project.variables.length ? ` (the variables: ${project.variables.map((v) => quote(v.name)).join(', ')})` : ''}.`, node.at);
    const test = variableTest(variable, node.op, node.value, node.at);
    return new Set(project.documents.filter((d) => test(d.values?.[variable.id])).map((d) => d.id));
  }

  /** The positions in `index` of the passages `node` keeps, as a bit set: index lookups where there is one, a scan otherwise. */
  function bitsOf(node: QueryNode, index: PassageIndex): Uint32Array {
    switch (node.kind) {
      case 'and':
      case 'or': {
        const sets = node.items.map((n) => bitsOf(n, index));
        return node.kind === 'and' ? intersect(sets) : unite(sets);
      }
      case 'not':
        return complement(bitsOf(node.item, index), index.size);
      case 'code':
        return index.withCodes(codesOf(node));
      case 'doc':
      case 'variable':
        return index.inDocuments(documentsOf(node));
      case 'uncoded':
        return index.uncoded();
      default:
        return index.scan(build(node));
    }
  }

  function build(node: QueryNode): Test {
    switch (node.kind) {
      case 'and': {
        const tests = node.items.map(build);
        return (p) => tests.every((t) => t(p));
      }
      case 'or': {
        const tests = node.items.map(build);
        return (p) => tests.some((t) => t(p));
      }
      case 'not': {
        const t = build(node.item);
        return (p) => !t(p);
      }
      case 'code': {
        const ids = codesOf(node);
        return (p) => p.codeIds.some((c) => ids.has(c));
      }
      case 'uncoded':
        return (p) => p.codeIds.length === 0;
      case 'unplaced':
        return (p) => p.anchor.status === 'orphan';
      case 'hasmemo':
        return (p) => p.memo.trim() !== '';
      case 'relation': {
        const code = resolveCode(project, node.name, node.at);
        const ids = withBelow(project.codes, code.id);
        if (node.relation === 'near' && !source.text) throw new QueryError('near needs the documents’ texts, which this list does not have.', node.at);
        const sets = new Map<string, SpanSet>();
        const setOf = (documentId: string): SpanSet => {
          let s = sets.get(documentId);
          if (!s) sets.set(documentId, (s = new SpanSet(byDocument(documentId).filter((q) => q.codeIds.some((c) => ids.has(c))).map(span))));
          return s;
        };
        const { relation, words: n } = node;
        return (p) => {
          if (p.anchor.status === 'orphan') return false;
          const s = setOf(p.documentId);
          if (relation === 'near') return s.near(span(p), n, wordsOf(p.documentId));
          return s[relation](span(p));
        };
      }
      case 'doc':
      case 'variable': {
        const ids = documentsOf(node);
        return (p) => ids.has(p.documentId);
      }
      case 'coder': {
        const ids = new Set(project.coders.filter((c) => c.id === node.value || same(c.name, node.value) || same(c.initials, node.value)).map((c) => c.id));
        if (ids.size === 0) throw new QueryError(`No coder is named ${quote(node.value)}${project.coders.length ? ` (the coders: ${project.coders.map((c) => quote(c.name)).join(', ')})` : ''}.`, node.at);
        return (p) => ids.has(p.coderId);
      }
      case 'date': {
        const { field, op, value } = node;
        return (p) => holds(op, compareDates(dateOf(p[field]), value));
      }
      case 'text': {
        const needle = fold(node.value).trim();
        if (node.field === 'text') return (p) => foldedOf(p).text.includes(needle);
        if (node.field === 'memo') return (p) => foldedOf(p).memo.includes(needle);
        return (p) => {
          const f = foldedOf(p);
          return f.text.includes(needle) || f.memo.includes(needle);
        };
      }
    }
  }

  const match = build(tree);
  return {
    match,
    select: (index) => positionsOf(bitsOf(tree, index)),
  };
}
