import type { ApiClient, ApiInput, ApiOutput } from '../shared/api';
import type { FileExportMethod } from '../shared/desktop-bridge';
import { desktopBridge } from './api';
import { saveBlob } from './save-file';

/**
 * Saving a file main makes (the codebook, the passages a query gives): the desktop app asks
 * where and writes it itself; the browser downloads it. Resolves to what to tell the user when
 * it was saved, or null when the user cancelled the save dialog; rejects with the reason when it
 * could not be made or written.
 */
export async function exportFile<M extends FileExportMethod>(api: ApiClient, method: M, input: ApiInput<M>, what: (file: ApiOutput<M>) => string): Promise<string | null> {
  const desktop = desktopBridge();
  if (desktop) {
    const res = await desktop.exportFile({ method, input });
    if (res.error !== undefined) throw new Error(res.error);
    return res.saved ? `Saved ${res.path ?? 'the file'}` : null;
  }
  const file = await (api[method] as (i: ApiInput<M>) => Promise<ApiOutput<M>>)(input);
  // A binary file (a Word document) comes as base64: its bytes go into the Blob, not its letters.
  const { content, mimeType, encoding } = file as { content: string; mimeType: string; encoding?: 'base64' };
  const blob = encoding === 'base64' ? new Blob([Uint8Array.from(atob(content), (c) => c.charCodeAt(0))], { type: mimeType }) : new Blob([content], { type: `${mimeType};charset=utf-8` });
  saveBlob(blob, file.fileName);
  return `Exported ${what(file)}`;
}
