import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import type { ApiMethod, ApiResponse } from '../../shared/api';
import { API_METHODS } from '../../shared/api-methods';
import { isDesktopCommand } from '../../shared/desktop-bridge';
import type { DesktopApi, DesktopCommand, ExportFileRequest, ExportCsvRequest, ExportCsvResult, GlossDesktop } from '../../shared/desktop-bridge';
import { API_CHANNEL, CHANGES_CHANNEL, COMMAND_CHANNEL, EXPORT_FILE_CHANNEL, EXPORT_CSV_CHANNEL } from './channels';

/*
 * The preload runs sandboxed (only `contextBridge` and `ipcRenderer` are available) in an
 * isolated world, and is bundled into one CommonJS file. It exposes `window.glossDesktop`: one
 * function per API method and nothing that lets the page pick a channel, so the page can ask for
 * exactly what the API offers and no more.
 */

function apiFunction(method: ApiMethod) {
  return (input?: unknown): Promise<ApiResponse> => ipcRenderer.invoke(API_CHANNEL, method, input) as Promise<ApiResponse>;
}

const api = Object.fromEntries(API_METHODS.map((method) => [method, apiFunction(method)])) as unknown as DesktopApi;

const bridge: GlossDesktop = {
  api,
  onCommand(listener: (command: DesktopCommand) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('onCommand needs a function');
    // The event object is never handed to the page: it carries `sender`, i.e. ipcRenderer itself.
    const handler = (_event: IpcRendererEvent, command: unknown) => {
      if (isDesktopCommand(command)) listener(command);
    };
    ipcRenderer.on(COMMAND_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(COMMAND_CHANNEL, handler);
    };
  },
  onChange(listener: (event: unknown) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('onChange needs a function');
    // Only the event's data crosses into the page; the UI validates it like any answer from main.
    const handler = (_event: IpcRendererEvent, change: unknown) => listener(change);
    ipcRenderer.on(CHANGES_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(CHANGES_CHANNEL, handler);
    };
  },
  exportCodedPassagesCsv(request: ExportCsvRequest): Promise<ExportCsvResult> {
    // Passed on as given: main validates it, and answers a bad request with a readable error.
    return ipcRenderer.invoke(EXPORT_CSV_CHANNEL, request) as Promise<ExportCsvResult>;
  },
  exportFile(request: ExportFileRequest): Promise<ExportCsvResult> {
    return ipcRenderer.invoke(EXPORT_FILE_CHANNEL, request) as Promise<ExportCsvResult>;
  },
  platform: process.platform,
};

contextBridge.exposeInMainWorld('glossDesktop', bridge);
