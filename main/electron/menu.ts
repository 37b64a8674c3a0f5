import type { MenuItemConstructorOptions } from 'electron';
import type { DesktopCommand } from '../../shared/desktop-bridge';

/**
 * The application menu as plain data. Built by a pure function (only electron's types are
 * imported) so its structure is unit-tested without Electron; main.ts turns it into a `Menu`.
 */

/** What the menu depends on besides the command sink. */
export interface MenuOptions {
  platform: NodeJS.Platform;
  /** Packaged builds have no Reload or DevTools items. */
  isPackaged: boolean;
}

/** The label of the export item; the UI and docs use the same words. */
export const EXPORT_CSV_LABEL = 'Coded passages (CSV…)';

/** The label of the import item: the same words as the documents panel's button. */
export const IMPORT_DOCUMENTS_LABEL = 'Import documents…';

/**
 * The application menu. Undo, Redo, Import and Export are app items that send a command to the UI
 * (`send`), because only the UI knows whether Undo means "undo typing in this memo field" or
 * "undo the last coding action"; clipboard, zoom and window items use Electron's roles.
 */
export function buildMenuTemplate(send: (command: DesktopCommand) => void, { platform, isPackaged }: MenuOptions, newWindow: () => void = () => undefined): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const separator: MenuItemConstructorOptions = { type: 'separator' };

  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      // Another window on the same project: changes show in every window, each keeps its own undo.
      { id: 'new-window', label: 'New Window', accelerator: 'CmdOrCtrl+Shift+N', click: () => newWindow() },
      separator,
      // The UI opens its import dialog: reading, progress, Cancel and the report are the same as in browser mode.
      { id: 'import-documents', label: IMPORT_DOCUMENTS_LABEL, click: () => send('import-documents') },
      { label: 'Export', submenu: [{ id: 'export-csv', label: EXPORT_CSV_LABEL, click: () => send('export-csv') }] },
      separator,
      { id: 'project-settings', label: 'Project Settings…', click: () => send('project-settings') },
      { id: 'coder-profile', label: 'Coder Profile…', click: () => send('coder-profile') },
      separator,
      mac ? { role: 'close' } : { role: 'quit' },
    ],
  };

  const edit: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [
      { id: 'undo', label: 'Undo', accelerator: 'CmdOrCtrl+Z', click: () => send('undo') },
      { id: 'redo', label: 'Redo', accelerator: 'CmdOrCtrl+Shift+Z', click: () => send('redo') },
      // Ctrl+Y is the usual Redo on Windows and common on Linux. A menu item has one accelerator,
      // so a hidden twin carries the second one (hidden items keep working accelerators there).
      ...(mac ? [] : [{ id: 'redo-alt', label: 'Redo', accelerator: 'Ctrl+Y', visible: false, click: () => send('redo') } satisfies MenuItemConstructorOptions]),
      separator,
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      separator,
      { role: 'selectAll' },
    ],
  };

  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      ...(isPackaged ? [] : [{ role: 'reload' }, { role: 'toggleDevTools' }, separator] satisfies MenuItemConstructorOptions[]),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      separator,
      { role: 'togglefullscreen' },
    ],
  };

  const help: MenuItemConstructorOptions = {
    role: 'help',
    label: 'Help',
    submenu: [{ role: 'about', label: 'About Gloss' }],
  };

  return [...(mac ? [{ role: 'appMenu' } satisfies MenuItemConstructorOptions] : []), file, edit, view, { role: 'windowMenu' }, help];
}
