import { app, dialog, ipcMain } from 'electron';
import type { BrowserWindow, IpcMainInvokeEvent, SaveDialogOptions } from 'electron';
import path from 'node:path';
import { dispatch } from '../../shared/api';
import type { ApiResponse } from '../../shared/api';
import type { ExportCsvResult } from '../../shared/desktop-bridge';
import type { GlossCore } from '../core/core';
import { isTrustedSender } from './app-url';
import { API_CHANNEL, EXPORT_FILE_CHANNEL, EXPORT_CSV_CHANNEL } from './channels';
import { parseExportFileRequest } from '../../shared/desktop-bridge';
import { fileFilter, makeExportFile, writeExportedFile } from './file-export';
import { CSV_EXPORT_FILE_NAME, parseExportCsvRequest } from '../../shared/csv-export';
import { writeCsvExport } from './csv-export';
import { PendingWork } from './pending';

/**
 * The desktop transport of the API: one invoke channel for every method, plus the CSV export to
 * a file the user picks. Each message is checked to come from our window's main frame showing our
 * UI before anything else happens; input is then validated by `dispatch` (or the export schema).
 */

/** What the IPC handlers need from the app. */
export interface IpcContext {
  core: GlossCore;
  /** The open Gloss windows. Only their main frames are trusted senders. */
  windows: () => readonly BrowserWindow[];
}

/** The registered handlers. */
export interface IpcRegistration {
  /** Resolves once every API call and export write received so far has finished. */
  settled(): Promise<void>;
  /** Removes the handlers. */
  dispose(): void;
}

const UNTRUSTED: ApiResponse = { ok: false, error: { code: 'internal', message: 'Untrusted sender' } };

/** The Gloss window `event` came from (its main frame, showing the app's UI), or null. */
export function appWindowOf(event: IpcMainInvokeEvent, windows: readonly BrowserWindow[]): BrowserWindow | null {
  return windows.find((w) => isFromAppWindow(event, w)) ?? null;
}

/** Whether `event` came from the main frame of `window` while it shows the app's UI. */
export function isFromAppWindow(event: IpcMainInvokeEvent, window: BrowserWindow | null): boolean {
  if (window === null || window.isDestroyed() || event.sender !== window.webContents) return false;
  const frame = event.senderFrame;
  if (frame === null) return false;
  // While a reload replaces the page, the old main frame is detached but runs its pagehide
  // listeners, which send the user's last edits. It is still the window's main frame node.
  const isMainFrame = frame.frameTreeNodeId === window.webContents.mainFrame.frameTreeNodeId && (frame.detached || frame.parent === null);
  return isTrustedSender({ url: frame.url, isMainFrame });
}

/** Registers the IPC handlers. */
export function registerIpc(context: IpcContext): IpcRegistration {
  const pending = new PendingWork();
  let lastFolder: string | null = null;

  /** The file the user picked in a native save dialog, or null if they cancelled. */
  async function chooseCsvFile(window: BrowserWindow | null): Promise<string | null> {
    const options: SaveDialogOptions = {
      title: 'Export coded passages',
      defaultPath: path.join(lastFolder ?? app.getPath('documents'), CSV_EXPORT_FILE_NAME),
      filters: [
        { name: 'CSV', extensions: ['csv'] },
        { name: 'All files', extensions: ['*'] },
      ],
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    };
    const choice = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
    return choice.canceled || !choice.filePath ? null : choice.filePath;
  }

  ipcMain.handle(API_CHANNEL, async (event, method: unknown, input: unknown): Promise<ApiResponse> => {
    const window = appWindowOf(event, context.windows());
    if (!window) return UNTRUSTED;
    // The contents id outlives reloads of the page, so a reloaded window keeps its undo history.
    return pending.track(dispatch(context.core.handlers, method, input, { client: `window-${window.webContents.id}` }));
  });

  ipcMain.handle(EXPORT_CSV_CHANNEL, async (event, raw: unknown): Promise<ExportCsvResult> => {
    const window = appWindowOf(event, context.windows());
    if (!window) throw new Error('Untrusted sender');
    const request = parseExportCsvRequest(raw);
    const file = await chooseCsvFile(window);
    if (file === null) return { saved: false };
    // Only the write is waited for on quit; an open dialog closes with its window.
    const result = await pending.track(writeCsvExport(context.core, file, request));
    lastFolder = path.dirname(file);
    return result;
  });

  ipcMain.handle(EXPORT_FILE_CHANNEL, async (event, raw: unknown): Promise<ExportCsvResult> => {
    const window = appWindowOf(event, context.windows());
    if (!window) throw new Error('Untrusted sender');
    const request = parseExportFileRequest(raw);
    const file = await makeExportFile(context.core, request, `window-${window.webContents.id}`);
    if ('error' in file) return { saved: false, error: file.error };
    const options: SaveDialogOptions = {
      title: request.method === 'codebook.export' ? 'Export the codebook' : 'Export the passages',
      defaultPath: path.join(lastFolder ?? app.getPath('documents'), file.fileName),
      filters: [fileFilter(file.fileName)],
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    };
    const choice = await dialog.showSaveDialog(window, options);
    if (choice.canceled || !choice.filePath) return { saved: false };
    const result = await pending.track(writeExportedFile(choice.filePath, file.content));
    lastFolder = path.dirname(choice.filePath);
    return result;
  });

  return {
    settled: () => pending.settled(),
    dispose() {
      ipcMain.removeHandler(API_CHANNEL);
      ipcMain.removeHandler(EXPORT_CSV_CHANNEL);
      ipcMain.removeHandler(EXPORT_FILE_CHANNEL);
    },
  };
}
