import type { ExportCsvRequest, ExportCsvResult } from '../../shared/desktop-bridge';
import type { GlossCore } from '../core/core';
import { writeStreamDurable } from '../core/durable';

/**
 * The desktop CSV export, minus the dialog: streaming the export into the file the user chose.
 * The page never sees the CSV and never names a path; it only says whether it wants a
 * byte-order mark (validated by shared/csv-export.ts). Free of `electron`, so it is tested in
 * plain Node.
 */

/**
 * Streams every coded passage as CSV into `file` through a temporary file beside it (see
 * `writeStreamDurable`): if the export fails, whatever was at `file` is left untouched and the
 * result carries the reason. Never rejects: an error thrown across IPC would reach the page
 * wrapped in Electron's own wording.
 */
export async function writeCsvExport(core: Pick<GlossCore, 'exportCsv'>, file: string, request: ExportCsvRequest): Promise<ExportCsvResult> {
  try {
    const { rows } = await writeStreamDurable(file, (out) => core.exportCsv(out, { bom: request.bom }));
    return { saved: true, path: file, rows };
  } catch (e) {
    return { saved: false, error: e instanceof Error ? e.message : String(e) };
  }
}
