import { BrowserWindow } from 'electron';
import { APP_ENTRY_URL } from './app-url';

/** What the main window needs from the app. */
export interface MainWindowOptions {
  /** Absolute path of the bundled preload (dist/electron/preload.cjs). */
  preload: string;
  /** DevTools are available in development only. */
  devTools: boolean;
  /** The window's icon file (see window-icon.ts); undefined where the platform uses none. */
  icon?: string | undefined;
}

/**
 * Creates the one Gloss window and loads the UI from `app://gloss/`. The renderer is a plain
 * sandboxed web page: no Node, an isolated preload world, no webviews; it reaches main only
 * through the `window.glossDesktop` object the preload exposes.
 */
export function createMainWindow({ preload, devTools, icon }: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    title: 'Gloss',
    width: 1280,
    height: 840,
    minWidth: 720,
    minHeight: 480,
    show: false,
    backgroundColor: '#ffffff',
    ...(icon === undefined ? {} : { icon }),
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools,
    },
  });
  // Shown once painted, so the user never sees an empty white frame.
  window.once('ready-to-show', () => window.show());
  window.loadURL(APP_ENTRY_URL).catch((error: unknown) => {
    // Without the UI nothing would ever show; a visible (if empty) window says something is wrong.
    console.error('Gloss could not load its UI:', error);
    if (!window.isDestroyed()) window.show();
  });
  return window;
}
