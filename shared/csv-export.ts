import { z } from 'zod';
import { describeIssues } from './api';
import type { ExportCsvRequest } from './desktop-bridge';

/**
 * The coded-passages CSV export as the UI asks for it. It is not an API method: the CSV can be
 * gigabytes, so it never travels as one JSON value. The desktop app streams it into the file the
 * user picks in main's save dialog; browser mode streams it as the body of one download request.
 * Both validate the same request.
 */

export { CSV_DOWNLOAD_PATH, CSV_EXPORT_FILE_NAME } from './routes';

/** The schema of export requests. */
export const exportCsvRequestSchema = z.object({ bom: z.boolean() }).strict() satisfies z.ZodType<ExportCsvRequest>;

/** Validates a request from the page; throws an Error with one readable line per problem. */
export function parseExportCsvRequest(input: unknown): ExportCsvRequest {
  const parsed = exportCsvRequestSchema.safeParse(input);
  if (!parsed.success) throw new Error(`exportCodedPassagesCsv: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
