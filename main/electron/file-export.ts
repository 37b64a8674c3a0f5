import { dispatch } from '../../shared/api';
import type { ExportCsvResult, ExportFileRequest } from '../../shared/desktop-bridge';
import type { GlossCore } from '../core/core';
import { writeFileDurable } from '../core/durable';

/**
 * The desktop file exports (the codebook, the passages a query gives), minus the dialog: the file
 * made by an API method, validated as every API call is, and its durable write where the user
 * chose. Free of `electron`, so it is tested in plain Node. Neither rejects: an error thrown
 * across IPC would reach the page wrapped in Electron's own wording.
 */

/** A file an export method made: its proposed name and text, or bytes (a Word file, which travels as base64). */
export interface ExportedFile {
  fileName: string;
  content: string | Uint8Array;
}

/** Runs the export method for the window `client`; a refusal (bad input, a query that cannot run) comes back as `error`. */
export async function makeExportFile(core: Pick<GlossCore, 'handlers'>, request: ExportFileRequest, client: string): Promise<ExportedFile | { error: string }> {
  const answer = await dispatch(core.handlers, request.method, request.input, { client });
  if (!answer.ok) return { error: answer.error.message };
  const { fileName, content, encoding } = answer.result as { fileName: string; content: string; encoding?: 'base64' };
  return { fileName, content: encoding === 'base64' ? new Uint8Array(Buffer.from(content, 'base64')) : content };
}

/** Writes an exported file whole where the user chose, or says why it could not (what was there is left). */
export async function writeExportedFile(file: string, content: string | Uint8Array): Promise<ExportCsvResult> {
  try {
    await writeFileDurable(file, content);
    return { saved: true, path: file };
  } catch (e) {
    return { saved: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** The save dialog's file type for a file name. */
export function fileFilter(fileName: string): { name: string; extensions: string[] } {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';
  const names: Record<string, string> = { qdc: 'REFI-QDA codebook', csv: 'CSV', md: 'Markdown', json: 'JSON', bib: 'BibLaTeX', docx: 'Word document' };
  return { name: names[ext] ?? 'File', extensions: [ext || '*'] };
}
