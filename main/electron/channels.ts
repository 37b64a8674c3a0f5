/**
 * The IPC channels between main and the preload. The API travels on one channel, so there is one
 * place where senders are checked and input is validated.
 */

/** `invoke(API_CHANNEL, method, input)` → `ApiResponse`. */
export const API_CHANNEL = 'gloss:api';
/** `invoke(SAVE_FILE_CHANNEL, { suggestedName, content })` → `SaveFileResult`. */
export const SAVE_FILE_CHANNEL = 'gloss:save-file';
/** main → renderer: `send(COMMAND_CHANNEL, command)` with a `DesktopCommand`. */
export const COMMAND_CHANNEL = 'gloss:command';
