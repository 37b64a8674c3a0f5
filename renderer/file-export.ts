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
  saveBlob(new Blob([file.content], { type: `${file.mimeType};charset=utf-8` }), file.fileName);
  return `Exported ${what(file)}`;
}
