/**
 * The passage query language, read into a tree. One language for the passages view, the API and
 * the command line (`gloss passages --query`), documented in the README:
 *
 *   code:"Repression tactic"      the code or any code below it        code="…"  that code alone
 *   uncoded  unplaced  hasmemo    passages without codes; passages the text no longer holds; passages with a memo
 *   overlaps:X  contains:X  within:X  near(N):X    relations to another passage coded X
 *   doc:…  coder:…                a document (id or words of its title); a coder (name, initials or id)
 *   created>=2024-05  modified<2025              dates, whole or partial (local time)
 *   @Site=Busan  @Wave>=2  @Consent  @Notes~"rice"   document variables (`@Name` alone: has a value)
 *   text:…  memo:…  or a bare word or "quoted words": the passage's words or memo contain it
 *   A AND B (or A B)   A OR B   NOT A   ( … )
 *
 * Keywords are upper case, so that "and" is a word to look for. The tree names things as the
 * user wrote them; `compileQuery` (query.ts) resolves them against a project.
 */

/** Comparison operators, for dates and variables. `~`: contains (text). */
export type Comparison = '=' | '!=' | '<' | '<=' | '>' | '>=' | '~';

export type Relation = 'overlaps' | 'contains' | 'within' | 'near';

/** `at`, `end`: where the term is in the query (UTF-16 offsets), for messages. */
export type QueryNode =
  | { kind: 'and' | 'or'; items: QueryNode[] }
  | { kind: 'not'; item: QueryNode }
  | { kind: 'code'; name: string; descendants: boolean; at: number; end: number }
  | { kind: 'relation'; relation: Relation; words: number; name: string; at: number; end: number }
  | { kind: 'uncoded' | 'unplaced' | 'hasmemo'; at: number; end: number }
  | { kind: 'doc'; value: string; at: number; end: number }
  | { kind: 'coder'; value: string; at: number; end: number }
  | { kind: 'date'; field: 'created' | 'modified'; op: Comparison; value: string; at: number; end: number }
  | { kind: 'variable'; name: string; op: Comparison | null; value: string; at: number; end: number }
  | { kind: 'text'; field: 'text' | 'memo' | 'any'; value: string; at: number; end: number };

/** A query that cannot be read or resolved; `at` is where in the query the problem is. */
export class QueryError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
    this.name = 'QueryError';
  }
}

/** Limits that keep any query cheap to read and to run. */
export const QUERY_LIMITS = { length: 4000, depth: 40, terms: 300 } as const;

/** Passages within this many words of each other are `near` when the query names no number. */
export const DEFAULT_NEAR_WORDS = 10;

const COMPARISONS: readonly Comparison[] = ['>=', '<=', '!=', '=', '<', '>', '~'];
const FIELDS = new Set(['code', 'overlaps', 'contains', 'within', 'near', 'doc', 'coder', 'created', 'modified', 'text', 'memo']);
const FLAGS = new Set(['uncoded', 'unplaced', 'hasmemo']);
// A run of a bare word ends at space, a bracket or a quote.
const BARE = /[^\s()"]/;

class Reader {
  pos = 0;
  terms = 0;
  constructor(readonly src: string) {}

  skipSpace(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos]!)) this.pos++;
  }
  peek(): string | undefined {
    return this.src[this.pos];
  }
  atEnd(): boolean {
    this.skipSpace();
    return this.pos >= this.src.length;
  }
  /** The keyword at the cursor, if a whole word. */
  keyword(): string | null {
    this.skipSpace();
    const m = /^(AND|OR|NOT)(?=$|[\s()])/.exec(this.src.slice(this.pos, this.pos + 4));
    return m ? m[1]! : null;
  }
  /** A quoted string (with \" and \\ escapes) or a bare run; the cursor after it. */
  value(what: string, stopAt: RegExp = BARE): string {
    const start = this.pos;
    if (this.peek() === '"') {
      let out = '';
      this.pos++;
      while (this.pos < this.src.length && this.src[this.pos] !== '"') {
        if (this.src[this.pos] === '\\' && this.pos + 1 < this.src.length) this.pos++;
        out += this.src[this.pos++];
      }
      if (this.pos >= this.src.length) throw new QueryError(`A quote opened at ${start + 1} is not closed.`, start);
      this.pos++;
      return out;
    }
    while (this.pos < this.src.length && stopAt.test(this.src[this.pos]!)) this.pos++;
    if (this.pos === start) throw new QueryError(`${what} is missing at ${start + 1}.`, start);
    return this.src.slice(start, this.pos);
  }
  comparison(): Comparison | null {
    for (const op of COMPARISONS) {
      if (this.src.startsWith(op, this.pos)) {
        this.pos += op.length;
        return op;
      }
    }
    return null;
  }
}

/** Reads a query into its tree. Throws QueryError, saying where, for anything it cannot read. */
export function parseQuery(src: string): QueryNode {
  if (src.length > QUERY_LIMITS.length) throw new QueryError(`The query is longer than ${QUERY_LIMITS.length} characters.`, QUERY_LIMITS.length);
  const r = new Reader(src);
  if (r.atEnd()) throw new QueryError('The query is empty.', 0);
  const tree = orExpr(r, 0);
  if (!r.atEnd()) {
    const what = r.peek() === ')' ? 'A closing bracket without an opening one' : `“${src.slice(r.pos, r.pos + 20)}”`;
    throw new QueryError(`${what} at ${r.pos + 1} was not expected.`, r.pos);
  }
  return tree;
}

function orExpr(r: Reader, depth: number): QueryNode {
  const items = [andExpr(r, depth)];
  while (r.keyword() === 'OR') {
    r.pos += 2;
    items.push(andExpr(r, depth));
  }
  return items.length === 1 ? items[0]! : { kind: 'or', items };
}

function andExpr(r: Reader, depth: number): QueryNode {
  const items = [notExpr(r, depth)];
  for (;;) {
    const k = r.keyword();
    if (k === 'AND') {
      r.pos += 3;
      items.push(notExpr(r, depth));
    } else if (k === null && !r.atEnd() && r.peek() !== ')') items.push(notExpr(r, depth));
    else break;
  }
  return items.length === 1 ? items[0]! : { kind: 'and', items };
}

function notExpr(r: Reader, depth: number): QueryNode {
  if (depth > QUERY_LIMITS.depth) throw new QueryError(`The query nests deeper than ${QUERY_LIMITS.depth} levels.`, r.pos);
  const k = r.keyword();
  if (k === 'NOT') {
    r.pos += 3;
    return { kind: 'not', item: notExpr(r, depth + 1) };
  }
  if (k !== null) throw new QueryError(`${k} at ${r.pos + 1} needs something before it.`, r.pos);
  if (r.atEnd()) throw new QueryError('The query ends where a term was expected.', r.pos);
  if (r.peek() === '(') {
    const open = r.pos++;
    const inner = orExpr(r, depth + 1);
    r.skipSpace();
    if (r.peek() !== ')') throw new QueryError(`The bracket opened at ${open + 1} is not closed.`, open);
    r.pos++;
    return inner;
  }
  if (r.peek() === ')') throw new QueryError(`A closing bracket at ${r.pos + 1} was not expected.`, r.pos);
  if (++r.terms > QUERY_LIMITS.terms) throw new QueryError(`The query has more than ${QUERY_LIMITS.terms} terms.`, r.pos);
  return term(r);
}

function term(r: Reader): QueryNode {
  const at = r.pos;
  const src = r.src;
  if (src[at] === '@') {
    r.pos++;
    const name = r.value('A variable name', /[^\s()"<>=!~]/);
    const op = r.comparison();
    const value = op ? r.value(`The value to compare “${name}” with`) : '';
    return { kind: 'variable', name, op, value, at, end: r.pos };
  }
  if (src[at] === '"') return { kind: 'text', field: 'any', value: r.value('Words'), at, end: r.pos };
  const m = /^([a-z]+)(?:\((\d{1,6})\))?/.exec(src.slice(at, at + 20));
  const field = m?.[1];
  if (m && field && FIELDS.has(field)) {
    r.pos = at + m[0].length;
    const op = r.comparison();
    if (op !== null || src[r.pos] === ':') {
      if (op === null) r.pos++;
      return fieldTerm(r, field, m[2], op ?? ':', at);
    }
    r.pos = at;
  }
  const word = r.value('A term');
  if (FLAGS.has(word)) return { kind: word as 'uncoded' | 'unplaced' | 'hasmemo', at, end: r.pos };
  return { kind: 'text', field: 'any', value: word, at, end: r.pos };
}

function fieldTerm(r: Reader, field: string, count: string | undefined, op: Comparison | ':', at: number): QueryNode {
  const value = r.value(`What ${field}${op} is to match`);
  const end = r.pos;
  if (count !== undefined && field !== 'near') throw new QueryError(`Only near takes a number of words, as in near(5):…, at ${at + 1}.`, at);
  if (field === 'created' || field === 'modified') {
    if (op === ':' || op === '~') throw new QueryError(`${field} compares with a date: ${field}>=2024-05, ${field}<2025, ${field}=2024-05-02 (at ${at + 1}).`, at);
    if (!/^\d{4}(-\d{2}(-\d{2})?)?$/.test(value)) throw new QueryError(`“${value}” is not a date (2024, 2024-05 or 2024-05-02), at ${at + 1}.`, at);
    return { kind: 'date', field, op, value, at, end };
  }
  if (field === 'code') {
    if (op !== ':' && op !== '=') throw new QueryError(`code is followed by : (with the codes below it) or = (that code alone), at ${at + 1}.`, at);
    return { kind: 'code', name: value, descendants: op === ':', at, end };
  }
  if (op !== ':') throw new QueryError(`${field} is followed by a colon, as in ${field}:…, at ${at + 1}.`, at);
  if (field === 'overlaps' || field === 'contains' || field === 'within' || field === 'near') {
    const words = field === 'near' ? (count === undefined ? DEFAULT_NEAR_WORDS : Number(count)) : 0;
    return { kind: 'relation', relation: field, words, name: value, at, end };
  }
  if (field === 'doc') return { kind: 'doc', value, at, end };
  if (field === 'coder') return { kind: 'coder', value, at, end };
  return { kind: 'text', field: field as 'text' | 'memo', value, at, end };
}

/** A name written as the query language quotes it: "…", its quotes and backslashes escaped (code:"A › B"). */
export function quoteTerm(name: string): string {
  return `"${name.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
