import type { ExportCsvResult } from '../../shared/desktop-bridge';
import { writeFileDurable } from '../core/durable';

/**
 * The desktop codebook export, minus the dialog: the file main made (`codebook.export`) written
 * durably where the user chose. Free of `electron`, so it is tested in plain Node. Never rejects:
 * an error thrown across IPC would reach the page wrapped in Electron's own wording.
 */
export async function writeCodebookExport(file: string, content: string): Promise<ExportCsvResult> {
  try {
    await writeFileDurable(file, content);
    return { saved: true, path: file };
  } catch (e) {
    return { saved: false, error: e instanceof Error ? e.message : String(e) };
  }
}
