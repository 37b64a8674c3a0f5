import type { ApiMethod, ApiResponse } from './api';

/**
 * The object the desktop app's preload exposes to the UI as `window.glossDesktop`. In browser
 * mode it is absent; the UI then talks to the local server instead.
 *
 * It is deliberately narrow: one function per API method (no generic `invoke(channel, …)`), a
 * subscription to menu commands, and the CSV export to a file the user picks.
 */

/** Menu commands the desktop app sends to the UI; anything else is dropped by the preload. */
export const DESKTOP_COMMANDS = ['undo', 'redo', 'import-documents', 'export-csv', 'coder-profile', 'project-settings'] as const;

/** A menu command: the UI decides what it means in its current focus (e.g. undo in a memo field or of the last coding action). */
export type DesktopCommand = (typeof DESKTOP_COMMANDS)[number];

/** Whether a value is one of the known menu commands. */
export function isDesktopCommand(value: unknown): value is DesktopCommand {
  return typeof value === 'string' && (DESKTOP_COMMANDS as readonly string[]).includes(value);
}

/** What `exportCodedPassagesCsv` is asked for. */
export interface ExportCsvRequest {
  /** Start the file with a byte-order mark, so Excel reads it as UTF-8. */
  bom: boolean;
}

/**
 * `saved` is true when the file was written: `path` is where, and `rows` how many data rows (one
 * per passage and code) it holds. Otherwise either the user cancelled the dialog, or the export
 * failed and `error` says why, in words fit to show (the file chosen was left as it was).
 */
export interface ExportCsvResult {
  saved: boolean;
  path?: string;
  rows?: number;
  error?: string;
}

/** The codebook's export formats: REFI-QDA codebook, CSV, Markdown. */
export const CODEBOOK_FORMATS = ['qdc', 'csv', 'md'] as const;
export type CodebookFormat = (typeof CODEBOOK_FORMATS)[number];

/** The API methods that make a file the desktop app saves where the user chooses (`exportFile`). */
export const FILE_EXPORT_METHODS = ['codebook.export', 'passages.export', 'memos.export', 'collections.export'] as const;
export type FileExportMethod = (typeof FILE_EXPORT_METHODS)[number];

/**
 * What `exportFile` is asked for: one of `FILE_EXPORT_METHODS` and its input, which main
 * validates as the API does.
 */
export interface ExportFileRequest {
  method: FileExportMethod;
  input: unknown;
}

/** Checks a file export request from the page. Throws on anything but `{ method, input }` with a known method. */
export function parseExportFileRequest(raw: unknown): ExportFileRequest {
  if (typeof raw !== 'object' || raw === null || Object.keys(raw).some((k) => k !== 'method' && k !== 'input')) throw new TypeError('A file export takes only { method, input }.');
  const method = (raw as { method?: unknown }).method;
  if (typeof method !== 'string' || !(FILE_EXPORT_METHODS as readonly string[]).includes(method)) throw new TypeError(`Unknown file export: ${String(method).slice(0, 40)}`);
  return { method: method as FileExportMethod, input: (raw as { input?: unknown }).input };
}

/**
 * One function per API method. Each resolves to the transport-neutral response (it never
 * rejects for API errors); wrap it with `createClient` from shared/api.ts for a typed client.
 */
export type DesktopApi = { readonly [M in ApiMethod]: (input?: unknown) => Promise<ApiResponse> };

/** `window.glossDesktop`. */
export interface GlossDesktop {
  readonly api: DesktopApi;
  /** Calls `listener` for every menu command; returns a function that unsubscribes. */
  onCommand(listener: (command: DesktopCommand) => void): () => void;
  /** Calls `listener` with every change main commits (a `ChangeEvent`, to be validated); returns a function that unsubscribes. */
  onChange(listener: (event: unknown) => void): () => void;
  /**
   * Asks the user where to save the coded passages as CSV (a native save dialog proposing
   * `coded-passages.csv`), then streams the export there durably: the file is complete or, if
   * writing fails, left as it was. Rejects if the request is invalid or writing failed.
   */
  exportCodedPassagesCsv(request: ExportCsvRequest): Promise<ExportCsvResult>;
  /**
   * Makes a file with an API method of `FILE_EXPORT_METHODS` (the codebook, the passages a
   * query gives), asks the user where to save it (proposing the file's own name), then writes it
   * durably. `rows` is not set.
   */
  exportFile(request: ExportFileRequest): Promise<ExportCsvResult>;
  /** `process.platform` of the desktop app (`darwin`, `win32`, `linux`…), e.g. for shortcut labels. */
  readonly platform: string;
}
