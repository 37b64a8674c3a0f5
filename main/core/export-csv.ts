/**
 * The coded-passages CSV export: one row per (annotation, code), for analysis in a spreadsheet or
 * a statistics package.
 *
 * Format: UTF-8, RFC 4180, a header row, CRLF between records (the delimiter RFC 4180
 * specifies). Every field holding a comma, a double quote, a CR or an LF is quoted and its inner
 * double quotes doubled. Text cells are neutralised against formula injection, see
 * `neutraliseFormula()`.
 *
 * The quoting is these two rules and nothing else, written here rather than by csv-stringify:
 * the library spent ~0.9 s on 100,000 passages (its per-field option handling), against a goal
 * of 0.5 s. The tests parse every export back with csv-parse, so a maintained parser checks it.
 *
 * The export streams: documents are read one at a time and a document's rows are stringified and
 * written in batches, so memory holds one document's annotations and one batch of text, never the
 * whole file.
 */
import type { Annotation, Code, DocumentMeta } from '../../shared/model';
import { codePathNames, compareAnnotations } from '../../shared/order';

/** The header row, in column order. */
export const CSV_COLUMNS: readonly string[] = Object.freeze([
  'document_id',
  'document_title',
  'publication',
  'document_date',
  'annotation_id',
  'code_id',
  'code_path',
  'start',
  'end',
  'quote',
  'memo',
  'coder',
  'created_at',
  'modified_at',
]);

/** What the export reads: the codebook, the documents in export order, and their annotations. */
export interface CsvSource {
  codes: readonly Code[];
  /** Documents in export order. */
  documents(): Iterable<{ id: string; meta: DocumentMeta }> | AsyncIterable<{ id: string; meta: DocumentMeta }>;
  /** A document's passages (may read from disk; called once per document). */
  annotations(documentId: string): Promise<readonly Annotation[]> | readonly Annotation[];
}

/** Separator between the code names of a code path, e.g. `Repression tactic > Surveillance`. */
const PATH_SEPARATOR = ' > ';

/** Records per write: few enough to keep a chunk to a few hundred kilobytes, enough to make writes cheap. */
const BATCH_RECORDS = 512;

/** RFC 4180: a field holding any of these is quoted. */
const NEEDS_QUOTES = /[",\r\n]/;

function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Neutralises a cell that a spreadsheet would evaluate as a formula (CSV injection, see OWASP's
 * "CSV Injection" page): when the cell's first character is `=`, `+`, `-`, `@`, a tab (U+0009)
 * or a carriage return (U+000D), a single quote `'` is prepended, so the spreadsheet shows the
 * text instead of running it. Any other cell, including one holding those characters later on,
 * is returned unchanged; nothing is removed or escaped.
 *
 * The export applies this to every text cell (identifiers, title, publication, date, code path,
 * quote, memo, coder, timestamps), not to `start` and `end`, which are numbers the export writes
 * itself. A neutralised cell therefore reads back as `'` followed by the original text.
 */
export function neutraliseFormula(cell: string): string {
  switch (cell.charCodeAt(0)) {
    case 0x3d: // =
    case 0x2b: // +
    case 0x2d: // -
    case 0x40: // @
    case 0x09: // tab
    case 0x0d: // carriage return
      return `'${cell}`;
    default:
      return cell;
  }
}

/**
 * Streams the CSV into `out`, waiting for `'drain'` whenever `out` asks to, then ends `out` and
 * resolves once it has emitted `'finish'`. `rows` counts data rows, not the header. `bom: true`
 * prepends a UTF-8 byte-order mark (EF BB BF), which Excel needs to read the file as UTF-8.
 *
 * Rejects with the first error from the source or from `out`. On a source error `out` is left
 * neither ended nor destroyed, so a partial export never looks complete: the caller decides
 * what to do with it (destroy a response, remove a partial file).
 */
export async function writeCodedPassagesCsv(
  source: CsvSource,
  out: NodeJS.WritableStream,
  opts: { bom: boolean },
): Promise<{ rows: number }> {
  let failure: unknown;
  const onError = (err: unknown): void => {
    failure ??= err;
  };
  out.on('error', onError);
  try {
    const rows = await stringifyBatches(source, opts, async (chunk) => {
      if (failure !== undefined) throw failure;
      if (!out.write(chunk)) await waitFor(out, 'drain');
    });
    if (failure !== undefined) throw failure;
    const finished = waitFor(out, 'finish');
    out.end();
    await finished;
    return { rows };
  } finally {
    out.removeListener('error', onError);
  }
}

/** Whole CSV as a string (for the UI's export of moderate size). Same bytes as the stream. */
export async function codedPassagesCsvString(
  source: CsvSource,
  opts: { bom: boolean },
): Promise<{ content: string; rows: number }> {
  const chunks: string[] = [];
  const rows = await stringifyBatches(source, opts, (chunk) => {
    chunks.push(chunk);
  });
  return { content: chunks.join(''), rows };
}

/** The passages in text order; the store usually has them so already, and then they are not copied. */
function inTextOrder(list: readonly Annotation[]): readonly Annotation[] {
  for (let i = 1; i < list.length; i++) if (compareAnnotations(list[i - 1]!, list[i]!) > 0) return [...list].sort(compareAnnotations);
  return list;
}

/** A text cell as written: neutralised, then quoted where RFC 4180 requires. */
function cell(value: string): string {
  return csvField(neutraliseFormula(value));
}

/**
 * Writes the CSV text in chunks of `BATCH_RECORDS` rows, handing each to `emit`; returns the row
 * count. Rows are built as text directly, and a passage's own cells (quote, memo…) are escaped
 * once however many codes it has: at 100,000 passages, intermediate arrays cost more than the
 * quoting itself.
 */
async function stringifyBatches(source: CsvSource, opts: { bom: boolean }, emit: (chunk: string) => void | Promise<void>): Promise<number> {
  // Rows gather in an array joined once per chunk: one flat string, not a rope of 512 pieces.
  let chunk: string[] = [`${opts.bom ? '\ufeff' : ''}${CSV_COLUMNS.map(csvField).join(',')}\r\n`];
  let rows = 0;
  const paths = new Map([...codePaths(source.codes)].map(([id, path]) => [id, cell(path)]));
  for await (const { id, meta } of source.documents()) {
    const documentCells = [id, meta.title, meta.publication, meta.date].map(cell).join(',');
    const annotations = inTextOrder(await source.annotations(id));
    for (const a of annotations) {
      const head = `${documentCells},${cell(a.id)},`;
      const tail = `,${a.position.start},${a.position.end},${cell(a.quote.exact)},${cell(a.memo)},${cell(a.coder)},${cell(a.created)},${cell(a.modified)}\r\n`;
      // No codes still makes one row, so the passage and its memo reach the file.
      const codeIds = a.codeIds.length === 0 ? [null] : a.codeIds.length === 1 ? a.codeIds : new Set(a.codeIds);
      for (const codeId of codeIds) {
        chunk.push(codeId === null ? `${head},${tail}` : `${head}${cell(codeId)},${paths.get(codeId) ?? ''}${tail}`);
        rows++;
        if (chunk.length >= BATCH_RECORDS) {
          await emit(chunk.join(''));
          chunk = [];
        }
      }
    }
  }
  if (chunk.length > 0) await emit(chunk.join(''));
  return rows;
}

/** Each code's path (see `codePathNames`) joined by `PATH_SEPARATOR`. */
function codePaths(codes: readonly Code[]): Map<string, string> {
  const byId = new Map(codes.map((code) => [code.id, code]));
  return new Map(codes.map((code) => [code.id, codePathNames(byId, code.id).join(PATH_SEPARATOR)]));
}

/** Resolves on `event`; rejects if `out` errors or closes first, or was destroyed already. */
function waitFor(out: NodeJS.WritableStream, event: 'drain' | 'finish'): Promise<void> {
  return new Promise((resolve, reject) => {
    // A stream destroyed earlier has emitted its 'close' already and will emit nothing more.
    if ((out as { destroyed?: boolean }).destroyed === true) {
      reject(closedError(event));
      return;
    }
    const cleanup = (): void => {
      out.removeListener(event, onEvent);
      out.removeListener('error', onError);
      out.removeListener('close', onClose);
    };
    const onEvent = (): void => {
      cleanup();
      resolve();
    };
    const onError = (err: unknown): void => {
      cleanup();
      reject(err);
    };
    const onClose = (): void => {
      cleanup();
      reject(closedError(event));
    };
    out.on(event, onEvent);
    out.on('error', onError);
    out.on('close', onClose);
  });
}

function closedError(event: string): Error {
  return new Error(`The output stream closed before '${event}'.`);
}
