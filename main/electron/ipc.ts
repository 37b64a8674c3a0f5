import { app, dialog, ipcMain } from 'electron';
import type { BrowserWindow, IpcMainInvokeEvent, SaveDialogOptions } from 'electron';
import path from 'node:path';
import { dispatch } from '../../shared/api';
import type { ApiResponse } from '../../shared/api';
import type { SaveFileResult } from '../../shared/desktop-bridge';
import type { GlossCore } from '../core/core';
import { writeFileDurable } from '../core/durable';
import { isTrustedSender } from './app-url';
import { API_CHANNEL, SAVE_FILE_CHANNEL } from './channels';
import { parseSaveFileRequest } from './save-file';

/**
 * The desktop transport of the API: one invoke channel for every method, plus the save dialog.
 * Each message is checked to come from our window's main frame showing our UI before anything
 * else happens; input is then validated by `dispatch` (or the save-file schema).
 */

/** What the IPC handlers need from the app. */
export interface IpcContext {
  core: GlossCore;
  /** The Gloss window, if it is open. Only its main frame is a trusted sender. */
  window: () => BrowserWindow | null;
}

const UNTRUSTED: ApiResponse = { ok: false, error: { code: 'internal', message: 'Untrusted sender' } };

/** Whether `event` came from the main frame of `window` while it shows the app's UI. */
export function isFromAppWindow(event: IpcMainInvokeEvent, window: BrowserWindow | null): boolean {
  if (window === null || window.isDestroyed() || event.sender !== window.webContents) return false;
  const frame = event.senderFrame;
  if (frame === null || frame.detached) return false;
  const isMainFrame = frame.parent === null && frame.frameTreeNodeId === window.webContents.mainFrame.frameTreeNodeId;
  return isTrustedSender({ url: frame.url, isMainFrame });
}

/** Registers the IPC handlers; returns a function that removes them. */
export function registerIpc(context: IpcContext): () => void {
  let lastFolder: string | null = null;

  ipcMain.handle(API_CHANNEL, async (event, method: unknown, input: unknown): Promise<ApiResponse> => {
    if (!isFromAppWindow(event, context.window())) return UNTRUSTED;
    return dispatch(context.core.handlers, method, input);
  });

  ipcMain.handle(SAVE_FILE_CHANNEL, async (event, raw: unknown): Promise<SaveFileResult> => {
    const window = context.window();
    if (!isFromAppWindow(event, window)) throw new Error('Untrusted sender');
    const request = parseSaveFileRequest(raw);
    const options: SaveDialogOptions = {
      title: 'Save as',
      defaultPath: path.join(lastFolder ?? app.getPath('documents'), request.suggestedName),
      filters: [
        { name: 'CSV', extensions: ['csv'] },
        { name: 'All files', extensions: ['*'] },
      ],
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    };
    const choice = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
    if (choice.canceled || !choice.filePath) return { saved: false };
    await writeFileDurable(choice.filePath, request.content);
    lastFolder = path.dirname(choice.filePath);
    return { saved: true, path: choice.filePath };
  });

  return () => {
    ipcMain.removeHandler(API_CHANNEL);
    ipcMain.removeHandler(SAVE_FILE_CHANNEL);
  };
}
