import { spawn } from 'node:child_process';
import path from 'node:path';
import { ApiError } from '../../shared/api';
import { CorpusFormatError } from '../core/corpus';
import { StoreFileError } from '../core/durable';
import { openCore, ProjectOpenError } from '../core/open';
import { StoreRefusedError } from '../core/store';
import { appRoot, corpusDir, defaultProjectDir } from '../core/paths';
import { startWebServer } from '../web/server';
import type { CliDeps } from './command';

/** The real outside world for the `gloss` command. */
export const realDeps: CliDeps = {
  openCore,
  // The errors whose classes promise a message fit to show the user.
  isUserFacingError: (e) =>
    e instanceof ProjectOpenError || e instanceof StoreFileError || e instanceof StoreRefusedError || e instanceof CorpusFormatError || e instanceof ApiError,
  defaultProjectDir: () => defaultProjectDir(),
  corpusDir,
  staticDir: () => path.join(appRoot(), 'dist', 'renderer'),
  startWebServer,
  waitForShutdown,
  openBrowser,
  cwd: () => process.cwd(),
};

/**
 * Resolves on the first SIGINT, SIGTERM or SIGHUP, then stops listening, so a second Ctrl+C
 * during shutdown falls back to Node's default and ends the process at once.
 */
function waitForShutdown(): Promise<string> {
  const signals: NodeJS.Signals[] = process.platform === 'win32' ? ['SIGINT', 'SIGTERM'] : ['SIGINT', 'SIGTERM', 'SIGHUP'];
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      for (const s of signals) process.off(s, stop);
      resolve(signal);
    };
    for (const s of signals) process.on(s, stop);
  });
}

/** Starts the platform's "open this URL" helper, detached, without waiting for the browser. */
function openBrowser(url: string): Promise<void> {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? // `start` is a cmd built-in; its first quoted argument is a window title, hence "".
          ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  return new Promise((resolve, reject) => {
    // Verbatim arguments keep Node from escaping the "" for cmd; the URL holds no cmd metacharacters.
    const child = spawn(command, args, { detached: true, stdio: 'ignore', windowsHide: true, windowsVerbatimArguments: process.platform === 'win32' });
    child.once('error', reject);
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}
