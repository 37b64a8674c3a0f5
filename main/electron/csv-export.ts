import { z } from 'zod';
import { describeIssues } from '../../shared/api';
import type { ExportCsvRequest, ExportCsvResult } from '../../shared/desktop-bridge';
import type { GlossCore } from '../core/core';
import { writeStreamDurable } from '../core/durable';

/**
 * The desktop CSV export, minus the dialog: validating the page's request and streaming the
 * export into the file the user chose. The page never sees the CSV and never names a path; it
 * only says whether it wants a byte-order mark. Free of `electron`, so it is tested in plain Node.
 */

/** The file name the save dialog proposes. */
export const CSV_EXPORT_FILE_NAME = 'coded-passages.csv';

/** The schema of `exportCodedPassagesCsv` requests. */
export const exportCsvRequestSchema = z.object({ bom: z.boolean() }).strict() satisfies z.ZodType<ExportCsvRequest>;

/** Validates a request from the page; throws an Error with one readable line per problem. */
export function parseExportCsvRequest(input: unknown): ExportCsvRequest {
  const parsed = exportCsvRequestSchema.safeParse(input);
  if (!parsed.success) throw new Error(`exportCodedPassagesCsv: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/**
 * Streams every coded passage as CSV into `file` through a temporary file beside it (see
 * `writeStreamDurable`): if the export fails, whatever was at `file` is left untouched.
 */
export async function writeCsvExport(core: Pick<GlossCore, 'exportCsv'>, file: string, request: ExportCsvRequest): Promise<ExportCsvResult> {
  const { rows } = await writeStreamDurable(file, (out) => core.exportCsv(out, { bom: request.bom }));
  return { saved: true, path: file, rows };
}
