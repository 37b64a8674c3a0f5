import { ApiError } from '../../shared/api';
import { passagesCsv, passagesJson, passagesMarkdown } from '../core/passage-export';
import type { PassageRow } from '../core/passage-query';
import { CliError, UsageError, projectDirOption, stringOption, withProject, type Command } from './command';
import { quoteTerm } from '../../shared/query-parse';


/** The options as one query: the codes (any of them), the documents (any), and --query, all of which must hold. */
export function queryOf(values: { code?: readonly string[] | undefined; document?: readonly string[] | undefined; query?: string | undefined }): string {
  const parts: string[] = [];
  const any = (terms: string[]): string => (terms.length === 1 ? terms[0]! : `(${terms.join(' OR ')})`);
  if (values.code?.length) parts.push(any(values.code.map((c) => `code:${quoteTerm(c)}`)));
  if (values.document?.length) parts.push(any(values.document.map((d) => `doc:${quoteTerm(d)}`)));
  const query = values.query;
  if (query?.trim()) parts.push(`(${query})`);
  return parts.join(' AND ');
}

const SORTS = ['document', 'code', 'created', 'length'] as const;
const FORMATS = ['csv', 'md', 'json'] as const;
const PAGE = 2000;


/** `gloss passages`: coded passages of a project, chosen with the query language. */
export const passagesCommand: Command = {
  name: 'passages',
  summary: 'List coded passages, chosen by code, document or a query (CSV, Markdown or JSON)',
  help: `Usage: gloss passages [--code PATH]... [--document ID]... [--query EXPR] [--sort ORDER] [--format csv|md|json] [--project DIR]

Prints the coded passages of the project that match: any of the --code options (a code's
name, or its path as "Parent > Child"; its sub-codes count too), any of the --document options
(an id, or words of the title), and --query, a query in Gloss's query language (see the
README: code:, code=, AND, OR, NOT, overlaps:, within:, near(N):, @Variable=value, coder:,
created>=, text:, memo:, uncoded, unplaced). Without any, every passage is printed. Unplaced
passages are included, with status "orphan" and no offsets in the current text.

Options:
  --code PATH      A code (repeatable)
  --document ID    A document (repeatable)
  --query EXPR     A query, combined with the options above by AND
  --sort ORDER     document (default: documents in their order, passages in text order), code,
                   created or length
  --format FMT     csv (default), md or json
  --project DIR    Project folder (default: $GLOSS_PROJECT, settings.json, or your Gloss data folder)
  -h, --help       Show this help
`,
  options: {
    project: { type: 'string' },
    code: { type: 'string', multiple: true },
    document: { type: 'string', multiple: true },
    query: { type: 'string' },
    sort: { type: 'string' },
    format: { type: 'string' },
  },
  async run(values, { io, deps }) {
    const sort = (stringOption(values, 'sort') ?? 'document') as (typeof SORTS)[number];
    if (!SORTS.includes(sort)) throw new UsageError(`--sort is one of ${SORTS.join(', ')}, not "${sort}".`);
    const format = (stringOption(values, 'format') ?? 'csv') as (typeof FORMATS)[number];
    if (!FORMATS.includes(format)) throw new UsageError(`--format is one of ${FORMATS.join(', ')}, not "${format}".`);
    const query = queryOf(values as { code?: string[]; document?: string[]; query?: string });
    await withProject(deps, projectDirOption(values, deps), async (core) => {
      const context = { client: 'cli' };
      const { codes, coders } = await core.handlers['workspace.get']({}, context);
      const rows: PassageRow[] = [];
      try {
        for (let offset = 0; ; offset += PAGE) {
          const page = await core.handlers['passages.query']({ query, sort, offset, limit: PAGE }, context);
          rows.push(...page.rows);
          if (rows.length >= page.total || page.rows.length === 0) break;
        }
      } catch (e) {
        if (e instanceof ApiError && e.code === 'invalid_input') throw new CliError(e.message);
        throw e;
      }
      const names = { codes, coders };
      const { name } = await core.handlers['project.info']({}, context);
      // The same files the passages view exports.
      io.stdout.write(format === 'json' ? passagesJson(rows, names) : format === 'csv' ? passagesCsv(rows, names) : passagesMarkdown(rows, names, { title: `Coded passages of ${name}`, query }));
      if (format !== 'json' && rows.length === 0) io.stderr.write('No passage matches.\n');
    });
    return 0;
  },
};

/** `gloss quote ID`: a passage as a quotation with its citation. */
export const quoteCommand: Command = {
  name: 'quote',
  summary: 'Print a coded passage as a quotation with its citation (APA, Chicago or MLA)',
  help: `Usage: gloss quote ANNOTATION_ID [--style apa|chicago|mla] [--html] [--project DIR]

Prints the passage as a quotation with its in-text citation (page for texts read from pages,
paragraph number otherwise) and the reference, formatted from the document's properties in
APA 7 (default), Chicago author-date (17th ed.) or MLA 9. Passage ids are in the output of
gloss passages.

Options:
  --style STYLE    apa (default), chicago or mla
  --html           Print HTML instead of plain text
  --project DIR    Project folder (default: $GLOSS_PROJECT, settings.json, or your Gloss data folder)
  -h, --help       Show this help
`,
  positionals: 1,
  options: { project: { type: 'string' }, style: { type: 'string' }, html: { type: 'boolean' } },
  async run(values, { io, deps, positionals }) {
    const id = positionals[0];
    if (!id) throw new UsageError('say which passage: gloss quote ANNOTATION_ID');
    const style = (stringOption(values, 'style') ?? 'apa') as 'apa' | 'chicago' | 'mla';
    if (!['apa', 'chicago', 'mla'].includes(style)) throw new UsageError(`--style is apa, chicago or mla, not "${style}".`);
    await withProject(deps, projectDirOption(values, deps), async (core) => {
      const context = { client: 'cli' };
      // Ids are not part of the query language: the passage is looked for page by page.
      let found: PassageRow['passage'] | null = null;
      for (let offset = 0; !found; offset += PAGE) {
        const page = await core.handlers['passages.query']({ query: '', sort: 'document', offset, limit: PAGE }, context);
        found = page.rows.find((r) => r.passage.id === id)?.passage ?? null;
        if (offset + PAGE >= page.total) break;
      }
      if (!found) throw new CliError(`No coded passage has the id ${id}.`);
      const q = await core.handlers['passages.quote']({ documentId: found.documentId, id, style }, context);
      io.stdout.write(`${values['html'] === true ? q.html : q.text}\n`);
    });
    return 0;
  },
};
