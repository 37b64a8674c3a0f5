// Starts the built desktop app (`npm start`, after `npm run build`): runs the Electron binary on
// this folder, passing through any extra arguments (`npm start -- --project DIR`).
//
// The `electron` package fetches its binary on first use. Where that cannot happen (offline, a
// blocked download, an unsupported platform) this says so plainly instead of leaving a stack
// trace, and points to browser mode, which runs the same app without Electron.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);

function giveUp(reason) {
  console.error(
    [
      '',
      `Gloss: Electron could not be started: ${reason}`,
      'The Electron binary is downloaded on first use; that download failed or is not possible here.',
      'Running `npm start` again retries it (or see the message above).',
      'Meanwhile `npm run web` runs the same app in your browser.',
      '',
    ].join('\n'),
  );
  process.exit(1);
}

if (!existsSync(path.join(root, 'dist', 'electron', 'main.cjs'))) {
  console.error('Gloss: the desktop app is not built (dist/electron/main.cjs is missing); run `npm run build` first.');
  process.exit(1);
}

let electron;
try {
  // Resolves to the binary's path, downloading it first if it is missing.
  electron = require('electron');
} catch (error) {
  giveUp(error instanceof Error ? error.message : String(error));
}
if (typeof electron !== 'string' || !existsSync(electron)) giveUp(`no Electron binary at ${String(electron)}.`);

// Inherited from some shells and editors, this would make the binary behave as plain Node.
const env = { ...process.env };
delete env.ELECTRON_RUN_AS_NODE;

const child = spawn(electron, [root, ...process.argv.slice(2)], { stdio: 'inherit', env, windowsHide: false });
child.on('error', (error) => giveUp(error.message));
child.on('exit', (code, signal) => {
  if (code === null) console.error(`Electron exited on ${signal}.`);
  process.exit(code ?? 1);
});
// Forward Ctrl+C and friends, so the app closes its project (and saves) before exiting.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (child.exitCode === null) child.kill(signal);
  });
}
