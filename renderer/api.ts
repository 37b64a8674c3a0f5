import { createClient } from '../shared/api-core';
import type { ApiClient } from '../shared/api';
import type { GlossDesktop } from '../shared/desktop-bridge';
import { CSV_DOWNLOAD_PATH, EVENTS_PATH } from '../shared/routes';
import type { ExportCsvRequest } from '../shared/desktop-bridge';
import { httpDownload, httpEventStream, httpTransport } from './transport-http';

declare global {
  interface Window {
    /** Present only in the desktop app, exposed by its sandboxed preload. */
    glossDesktop?: GlossDesktop;
  }
}

/** The desktop bridge when running in Electron, else null (browser mode). */
export function desktopBridge(): GlossDesktop | null {
  return window.glossDesktop ?? null;
}

/** The API client over whichever transport this window has: Electron IPC or localhost HTTP. */
export function connect(): ApiClient {
  const desktop = desktopBridge();
  if (desktop) return createClient((method, input) => desktop.api[method](input));
  return createClient(httpTransport());
}

/** Browser mode's CSV export: the whole file, streamed by the local server and read to its end. */
export function downloadCodedPassagesCsv(request: ExportCsvRequest): Promise<{ ok: true; file: Blob } | { ok: false; message: string }> {
  return httpDownload(CSV_DOWNLOAD_PATH, request);
}

/**
 * Subscribes to the change feed over this window's transport: the desktop bridge's IPC events,
 * or browser mode's event stream. `since` gives the revision the window has (for reconnects);
 * `onReset` is called when the events it missed are no longer kept. Returns an unsubscribe.
 */
export function subscribeChanges(since: () => number, onEvent: (data: unknown) => void, onReset: () => void): () => void {
  const desktop = desktopBridge();
  if (desktop) return desktop.onChange(onEvent);
  return httpEventStream(EVENTS_PATH, since, onEvent, onReset);
}
