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
 * The export streams: documents are taken one at a time and rows are encoded into UTF-8 chunks of
 * about a megabyte, at most two of them waiting to be written. So the export adds to memory a few
 * megabytes of output and, when the source reads from disk (a read-only project), one document's
 * passages; never the whole file.
 */
import type { Annotation, Code, Coder, DocumentMeta, DocumentVariable, VariableValue } from '../../shared/model';
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

/**
 * The header row of a project with document variables: a column per variable, named as it is,
 * after the document's own columns (`CSV_COLUMNS` when there are none). A name one of those
 * columns has already gets " (variable)" after it.
 */
export function csvColumns(variables: readonly DocumentVariable[] = []): string[] {
  // The first four of CSV_COLUMNS are the document's.
  const DOCUMENT_COLUMNS = 4;
  const taken = new Set(CSV_COLUMNS.map((c) => c.toLowerCase()));
  const named = variables.map((v) => (taken.has(v.name.toLowerCase()) ? `${v.name} (variable)` : v.name));
  return [...CSV_COLUMNS.slice(0, DOCUMENT_COLUMNS), ...named, ...CSV_COLUMNS.slice(DOCUMENT_COLUMNS)];
}

/** A document as the export reads it. */
export interface CsvDocument {
  id: string;
  meta: DocumentMeta;
  /** Its values of `CsvSource.variables`, by variable id. */
  values?: Record<string, VariableValue>;
}

/** What the export reads: the codebook, the documents in export order, and their annotations. */
export interface CsvSource {
  codes: readonly Code[];
  /** Coder profiles, for the `coder` column (a passage records its coder's id). */
  coders: readonly Coder[];
  /** The document variables, a column each (none when absent). */
  variables?: readonly DocumentVariable[];
  /** Documents in export order. */
  documents(): Iterable<CsvDocument> | AsyncIterable<CsvDocument>;
  /** A document's passages (may read from disk; called once per document). */
  annotations(documentId: string): Promise<readonly Annotation[]> | readonly Annotation[];
}

/** Separator between the code names of a code path, e.g. `Repression tactic > Surveillance`. */
const PATH_SEPARATOR = ' > ';

/** Tuning of the byte stream; the defaults suit files from a few rows to gigabytes. */
export interface CsvStreamOptions {
  /** Bytes of CSV gathered before they are handed to the output (a larger row gets a chunk of its own). */
  chunkBytes?: number;
  /**
   * Chunks the output may hold unwritten before the export waits for the oldest to be written:
   * building the next chunk overlaps writing the previous one, and memory stays bounded.
   */
  chunksInFlight?: number;
}

const DEFAULT_CHUNK_BYTES = 1 << 20;
const DEFAULT_CHUNKS_IN_FLIGHT = 2;

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
 * quote, memo, coder, timestamps, variables' text, date and choice values), not to `start`,
 * `end` and numbers of number variables, which the export writes itself. A neutralised cell therefore reads back as `'` followed by the original text.
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
 * Streams the CSV into `out` as UTF-8 byte chunks, then ends `out` and resolves once it has
 * emitted `'finish'`. `rows` counts data rows, not the header. `bom: true` prepends a UTF-8
 * byte-order mark (EF BB BF), which Excel needs to read the file as UTF-8.
 *
 * Backpressure is by chunk: at most `chunksInFlight` chunks are handed to `out` and not yet
 * written; the export waits for the oldest before handing on another.
 *
 * Rejects with the first error from the source or from `out`. On a source error `out` is left
 * neither ended nor destroyed, so a partial export never looks complete: the caller decides
 * what to do with it (destroy a response, remove a partial file).
 */
export async function writeCodedPassagesCsv(
  source: CsvSource,
  out: NodeJS.WritableStream,
  opts: { bom: boolean } & CsvStreamOptions,
): Promise<{ rows: number }> {
  const limit = Math.max(1, opts.chunksInFlight ?? DEFAULT_CHUNKS_IN_FLIGHT);
  let failure: unknown;
  const onError = (err: unknown): void => {
    failure ??= err;
  };
  out.on('error', onError);
  const inFlight: Promise<void>[] = [];
  try {
    const rows = await encodeChunks(source, opts, async (chunk) => {
      while (inFlight.length >= limit) await inFlight.shift();
      if (failure !== undefined) throw failure;
      const write = written(out, chunk);
      // Noted at once, so a failed write that is not awaited yet is never an unhandled rejection.
      write.catch(onError);
      inFlight.push(write);
    });
    await Promise.allSettled(inFlight);
    if (failure !== undefined) throw failure;
    await ended(out);
    return { rows };
  } finally {
    out.removeListener('error', onError);
  }
}

/** The passages in text order; the store usually has them so already, and then they are not copied. */
function inTextOrder(list: readonly Annotation[]): readonly Annotation[] {
  for (let i = 1; i < list.length; i++) if (compareAnnotations(list[i - 1]!, list[i]!) > 0) return [...list].sort(compareAnnotations);
  return list;
}

/** A text cell as written: neutralised, then quoted where RFC 4180 requires. */
export function cell(value: string): string {
  return csvField(neutraliseFormula(value));
}

/**
 * Encodes the CSV into UTF-8 chunks of about `chunkBytes`, handing each to `emit`; returns the
 * row count. Each row is one string encoded straight into the chunk: at 100,000 passages,
 * joining row strings and encoding the result cost twice as much. A passage's own cells (quote,
 * memo…) are escaped once however many codes it has.
 */
async function encodeChunks(source: CsvSource, opts: { bom: boolean } & CsvStreamOptions, emit: (chunk: Buffer) => Promise<void>): Promise<number> {
  const size = Math.max(64, opts.chunkBytes ?? DEFAULT_CHUNK_BYTES);
  let chunk = Buffer.allocUnsafe(size);
  let used = 0;
  let rows = 0;
  const flush = async (): Promise<void> => {
    if (used === 0) return;
    const full = chunk.subarray(0, used);
    chunk = Buffer.allocUnsafe(size);
    used = 0;
    await emit(full);
  };
  // Returns a promise only when a chunk was handed on, so most rows cost no await.
  const add = (text: string): Promise<void> | undefined => {
    // UTF-8 needs at most 3 bytes per UTF-16 code unit (a surrogate pair: 4 bytes for 2 units).
    const most = text.length * 3;
    if (used + most <= size) {
      used += chunk.write(text, used);
      return undefined;
    }
    return most <= size ? flush().then(() => void (used += chunk.write(text, used))) : flush().then(() => emit(Buffer.from(text, 'utf8')));
  };

  const variables = source.variables ?? [];
  await add(`${opts.bom ? '\ufeff' : ''}${csvColumns(variables).map(csvField).join(',')}\r\n`);
  // The `code_id,code_path` cells of each code, escaped once for the whole export.
  const codeCells = new Map([...codePaths(source.codes)].map(([id, path]) => [id, `${cell(id)},${cell(path)}`]));
  // A coder missing from the project's list keeps their id.
  const coderCells = new Map(source.coders.map((c) => [c.id, cell(c.name)]));
  for await (const { id, meta, values } of source.documents()) {
    const documentCells = [[id, meta.title, meta.publication, meta.date].map(cell).join(','), ...variables.map((v) => valueCell(values?.[v.id]))].join(',');
    const annotations = inTextOrder(await source.annotations(id));
    for (const a of annotations) {
      const head = `${documentCells},${cell(a.id)},`;
      const tail = `,${a.position.start},${a.position.end},${cell(a.quote.exact)},${cell(a.memo)},${coderCells.get(a.coderId) ?? cell(a.coderId)},${cell(a.created)},${cell(a.modified)}\r\n`;
      // No codes still makes one row, so the passage and its memo reach the file.
      const codeIds = a.codeIds.length === 0 ? [null] : a.codeIds.length === 1 ? a.codeIds : new Set(a.codeIds);
      for (const codeId of codeIds) {
        // A code missing from the codebook keeps its id, with an empty path.
        const codeCell = codeId === null ? ',' : (codeCells.get(codeId) ?? `${cell(codeId)},`);
        const pending = add(`${head}${codeCell}${tail}`);
        if (pending) await pending;
        rows++;
      }
    }
  }
  await flush();
  return rows;
}

/** A variable's value as a cell: numbers as they are, yes/no as true/false (what spreadsheets and R read), none as empty. */
function valueCell(value: VariableValue | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return cell(value);
}

/** Each code's path (see `codePathNames`) joined by `PATH_SEPARATOR`. */
function codePaths(codes: readonly Code[]): Map<string, string> {
  const byId = new Map(codes.map((code) => [code.id, code]));
  return new Map(codes.map((code) => [code.id, codePathNames(byId, code.id).join(PATH_SEPARATOR)]));
}

/** Hands `chunk` to `out`; resolves once it is written. */
function written(out: NodeJS.WritableStream, chunk: Buffer): Promise<void> {
  return whileOpen(out, 'write', (done) => out.write(chunk, (err?: Error | null) => done(err ?? undefined)));
}

/** Ends `out`; resolves once it has emitted 'finish'. */
function ended(out: NodeJS.WritableStream): Promise<void> {
  return whileOpen(out, 'finish', (done) => {
    out.once('finish', () => done());
    out.end();
  });
}

/**
 * Runs `start`, which calls `done` once with its outcome, and settles with that outcome, unless
 * `out` errors or closes first (then it rejects), or was destroyed already (then `start` never runs).
 */
function whileOpen(out: NodeJS.WritableStream, what: string, start: (done: (err?: unknown) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    // A stream destroyed earlier has emitted its 'close' already and will emit nothing more.
    if ((out as { destroyed?: boolean }).destroyed === true) {
      reject(closedError(what));
      return;
    }
    let settled = false;
    const done = (err?: unknown): void => {
      if (settled) return;
      settled = true;
      out.removeListener('error', done);
      out.removeListener('close', onClose);
      if (err === undefined) resolve();
      else reject(err);
    };
    const onClose = (): void => done(closedError(what));
    out.on('error', done);
    out.on('close', onClose);
    start(done);
  });
}

function closedError(what: string): Error {
  return new Error(`The output stream closed before '${what}'.`);
}
