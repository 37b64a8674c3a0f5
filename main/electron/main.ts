import { app, dialog, Menu, session } from 'electron';
import type { BrowserWindow } from 'electron';
import path from 'node:path';
import type { DesktopCommand } from '../../shared/desktop-bridge';
import type { GlossCore } from '../core/core';
import { openCore, ProjectOpenError } from '../core/open';
import { corpusDir, defaultProjectDir } from '../core/paths';
import { parseLaunchArgs } from './args';
import { CHANGES_CHANNEL, COMMAND_CHANNEL } from './channels';
import { registerIpc, type IpcRegistration } from './ipc';
import { buildMenuTemplate } from './menu';
import { registerAppScheme, serveApp } from './protocol';
import { hardenContents, hardenSession } from './security';
import { createMainWindow } from './window';
import { windowIconPath } from './window-icon';

/*
 * The desktop app's lifecycle: one instance per user-data folder, one project, any number of
 * windows on it (File › New Window). Every committed change is sent to every window.
 *
 *   argv → single-instance lock → open project (core) → ready → scheme, session, menu, IPC, window
 *   quit → close the window (the page sends its last changes) → wait for IPC calls in flight →
 *          close the core (waits for every queued write) → exit
 *
 * The core acknowledges each change only once it is on disk, so nothing needs saving when the
 * window closes; quitting only has to let the last calls finish.
 */

// Both must happen before `ready`: the sandbox for every renderer, and the app scheme's privileges.
app.enableSandbox();
registerAppScheme();
app.on('web-contents-created', (_event, contents) => hardenContents(contents));

/** Open windows, oldest first. */
const windows: BrowserWindow[] = [];
let core: GlossCore | null = null;
/** The project being opened at startup; null once open (or failed). */
let coreOpening: Promise<GlossCore | null> | null = null;
let ipc: IpcRegistration | null = null;
/** `closing` once quitting has started to close the core, `closed` when it has finished. */
const quitState = { closing: false, closed: false };

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Shows why Gloss cannot run and exits without touching any file. */
function fail(title: string, message: string): void {
  dialog.showErrorBox(title, message);
  app.exit(1);
}

/** The window a menu command is for: the focused one, else the newest. */
function activeWindow(): BrowserWindow | null {
  const live = windows.filter((w) => !w.isDestroyed());
  return live.find((w) => w.isFocused()) ?? live.at(-1) ?? null;
}

function sendCommand(command: DesktopCommand): void {
  activeWindow()?.webContents.send(COMMAND_CHANNEL, command);
}

function openWindow(): void {
  const window = createMainWindow({ preload: path.join(__dirname, 'preload.cjs'), devTools: !app.isPackaged, icon: windowIconPath(process.platform, __dirname) });
  window.on('closed', () => {
    const i = windows.indexOf(window);
    if (i >= 0) windows.splice(i, 1);
  });
  windows.push(window);
}

function focusWindow(): void {
  const window = activeWindow();
  if (!window) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

/** The project folder a second instance asked for (sent as the lock's additional data). */
function requestedProject(data: unknown): string | null {
  const dir = (data as { projectDir?: unknown } | null)?.projectDir;
  return typeof dir === 'string' ? dir : null;
}

/**
 * Quitting closes the window first (Electron does that before `will-quit`), so changes the page
 * sends as it goes away still arrive while the core accepts them. The first `will-quit` is then
 * cancelled while those calls finish and the core closes; the quit that follows passes through.
 */
function onWillQuit(event: Electron.Event): void {
  if (quitState.closed || (!core && !coreOpening)) return;
  event.preventDefault();
  if (quitState.closing) return;
  quitState.closing = true;
  // A quit during startup waits for the project to finish opening, then closes it.
  const closing = core ? Promise.resolve(core) : coreOpening!;
  (ipc?.settled() ?? Promise.resolve())
    .then(() => closing)
    .then((c) => c?.close())
    .catch((error: unknown) => dialog.showErrorBox('Gloss could not save every change', errorMessage(error)))
    .finally(() => {
      quitState.closed = true;
      app.quit();
    });
}

async function start(projectDir: string): Promise<void> {
  // Opening the project (reading files) overlaps with Electron's own startup.
  const corpus = app.isPackaged ? path.join(process.resourcesPath, 'corpus') : corpusDir();
  let error: unknown = null;
  coreOpening = openCore({ projectDir, corpusDir: corpus }).catch((e: unknown) => {
    error = e;
    return null;
  });
  await app.whenReady();
  const opened = await coreOpening;
  coreOpening = null;
  // Quitting began while the project opened: will-quit closes it; no window is wanted now.
  if (quitState.closing) return;
  if (!opened) {
    if (error instanceof ProjectOpenError) fail('Gloss could not open the project', error.message);
    else fail('Gloss could not start', `Opening the project in ${projectDir} failed: ${errorMessage(error)}`);
    return;
  }
  core = opened;

  hardenSession(session.defaultSession);
  serveApp(path.join(__dirname, '..', 'renderer'));
  ipc = registerIpc({ core: opened, windows: () => windows.filter((w) => !w.isDestroyed()) });
  opened.subscribe((event) => {
    for (const w of windows) if (!w.isDestroyed()) w.webContents.send(CHANGES_CHANNEL, event);
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate(sendCommand, { platform: process.platform, isPackaged: app.isPackaged }, openWindow)));
  app.setAboutPanelOptions({
    applicationName: 'Gloss',
    applicationVersion: app.getVersion(),
    credits: 'An offline workbench for close reading and qualitative coding.',
  });
  openWindow();

  app.on('activate', () => {
    if (windows.length === 0) openWindow();
  });
}

function main(): void {
  let args;
  try {
    args = parseLaunchArgs(process.argv);
  } catch (error) {
    fail('Gloss cannot start', errorMessage(error));
    return;
  }
  // The lock lives in the user-data folder, so this must come first.
  if (args.userDataDir) app.setPath('userData', path.resolve(args.userDataDir));
  const projectDir = path.resolve(args.projectDir ?? defaultProjectDir());

  if (!app.requestSingleInstanceLock({ projectDir })) {
    // Another Gloss runs for this user; it has been told (second-instance) and comes forward.
    app.quit();
    return;
  }
  app.on('second-instance', (_event, _argv, _cwd, data) => {
    focusWindow();
    const wanted = requestedProject(data);
    const window = activeWindow();
    if (window && wanted && path.relative(wanted, projectDir) !== '') {
      void dialog.showMessageBox(window, {
        type: 'info',
        message: 'Gloss is already running',
        detail: `It has the project in ${projectDir} open. To open ${wanted}, quit Gloss first.`,
      });
    }
  });
  app.on('will-quit', onWillQuit);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  // A terminal's Ctrl+C or a system shutdown should save like a normal quit.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  start(projectDir).catch((error: unknown) => fail('Gloss could not start', errorMessage(error)));
}

main();
