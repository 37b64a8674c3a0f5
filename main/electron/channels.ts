/**
 * The IPC channels between main and the preload. The API travels on one channel, so there is one
 * place where senders are checked and input is validated.
 */

/** `invoke(API_CHANNEL, method, input)` → `ApiResponse`. */
export const API_CHANNEL = 'gloss:api';
/** `invoke(EXPORT_CSV_CHANNEL, { bom })` → `ExportCsvResult`, after a save dialog in main. */
export const EXPORT_CSV_CHANNEL = 'gloss:export-csv';
/** `invoke(EXPORT_FILE_CHANNEL, { method, input })` → `ExportCsvResult`, after a save dialog in main. */
export const EXPORT_FILE_CHANNEL = 'gloss:export-file';
/** main → renderer: `send(COMMAND_CHANNEL, command)` with a `DesktopCommand`. */
export const COMMAND_CHANNEL = 'gloss:command';
/** main → renderer: `send(CHANGES_CHANNEL, event)` with every committed `ChangeEvent`. */
export const CHANGES_CHANNEL = 'gloss:changes';
