import type { Code, Coder } from '../../shared/model';
import { codePathNames } from '../../shared/order';
import { cell } from './export-csv';
import type { PassageRow } from './passage-query';
import { markdownText } from './markdown-text';

/**
 * Coded passages as a file, as the passages view and `gloss passages` hand them out: CSV for
 * analysis (one row per passage, its codes in one cell), Markdown for reading and quoting
 * (grouped by document, each passage a block quote), or JSON.
 */

export const PASSAGE_FORMATS = ['csv', 'md', 'json'] as const;
export type PassageFormat = (typeof PASSAGE_FORMATS)[number];

/** The CSV's columns, in order. */
export const PASSAGE_CSV_HEADER = ['document_id', 'document_title', 'passage_id', 'status', 'start', 'end', 'codes', 'text', 'memo', 'coder', 'created', 'modified'] as const;

/** What a passage's codes and coder are called. */
export interface PassageNames {
  codes: readonly Code[];
  coders: readonly Coder[];
}

/** Each code id's path ("Parent › Child"); an unknown id stays as it is. */
export function codePaths(codes: readonly Code[]): (ids: readonly string[]) => string[] {
  const byId = new Map(codes.map((c) => [c.id, c]));
  return (ids) => ids.map((id) => codePathNames(byId, id).join(' › ') || id);
}

/**
 * The rows as CSV (RFC 4180: CRLF between records; cells that a spreadsheet would read as a
 * formula are neutralised, as in the CSV export of the whole project).
 */
export function passagesCsv(rows: readonly PassageRow[], names: PassageNames): string {
  const paths = codePaths(names.codes);
  const coderName = new Map(names.coders.map((c) => [c.id, c.name]));
  const lines = [PASSAGE_CSV_HEADER.join(',')];
  for (const { passage: p, documentTitle } of rows) {
    const placed = p.anchor.status !== 'orphan';
    lines.push(
      [
        cell(p.documentId),
        cell(documentTitle),
        cell(p.id),
        p.anchor.status,
        placed ? String(p.anchor.start) : '',
        placed ? String(p.anchor.end) : '',
        cell(paths(p.codeIds).join('; ')),
        cell(p.quote.exact),
        cell(p.memo),
        cell(coderName.get(p.coderId) ?? p.coderId),
        cell(p.created),
        cell(p.modified),
      ].join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}


/**
 * The rows as Markdown: a heading per document (each time the document changes, so a list sorted
 * by code repeats it), each passage a block quote followed by its codes, status and memo.
 * `title` heads the file and `query` says what was asked.
 */
export function passagesMarkdown(rows: readonly PassageRow[], names: PassageNames, about: { title: string; query: string }): string {
  const paths = codePaths(names.codes);
  const out: string[] = [`# ${markdownText(about.title)}`, ''];
  out.push(`${rows.length} passage${rows.length === 1 ? '' : 's'}${about.query.trim() ? ` matching \`${about.query.replace(/`/g, "'")}\`` : ''}.`, '');
  let last: string | null = null;
  for (const { passage: p, documentTitle } of rows) {
    if (p.documentId !== last) out.push(`## ${markdownText(documentTitle)}`, '');
    last = p.documentId;
    out.push(...p.quote.exact.split(/\n+/).map((line, i) => (i === 0 ? `> ${markdownText(line)}` : `>\n> ${markdownText(line)}`)), '');
    const facts = [`Codes: ${paths(p.codeIds).map((t) => markdownText(t)).join('; ') || '(none)'}`, p.anchor.status === 'orphan' ? 'unplaced in the current text' : null, p.memo ? `Memo: ${markdownText(p.memo.replace(/\s+/g, ' '))}` : null];
    out.push(facts.filter(Boolean).join(' · '), '');
  }
  return out.join('\n');
}

/** The rows as JSON, each with its code paths beside the ids. */
export function passagesJson(rows: readonly PassageRow[], names: PassageNames): string {
  const paths = codePaths(names.codes);
  return `${JSON.stringify(
    rows.map((r) => ({ ...r, codes: paths(r.passage.codeIds) })),
    null,
    2,
  )}\n`;
}
