import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * Finds the Electron binary the way the `electron` package's index.js does, but without its
 * side effect: requiring `electron` from Node downloads the binary when it is missing, and a
 * test run must never download anything.
 */

/** The binary's path, or why there is none. */
export type ElectronBinary = { path: string; reason?: undefined } | { path: null; reason: string };

export function findElectronBinary(env: NodeJS.ProcessEnv = process.env): ElectronBinary {
  let packageDir: string;
  try {
    packageDir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { path: null, reason: 'the electron package is not installed' };
  }
  // path.txt names the executable inside dist/; the package writes it after a successful download.
  const pathFile = path.join(packageDir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = env['ELECTRON_OVERRIDE_DIST_PATH'];
  let binary: string;
  if (override) binary = path.join(override, executable || 'electron');
  else if (executable) binary = path.join(packageDir, 'dist', executable);
  else return { path: null, reason: `${path.relative(process.cwd(), pathFile)} is missing (the binary was never downloaded)` };
  if (!existsSync(binary)) return { path: null, reason: `no file at ${binary}` };
  return { path: binary };
}
