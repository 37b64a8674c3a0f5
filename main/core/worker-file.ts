import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { appRoot } from './paths';

/**
 * The file a worker thread of this build starts from: `<name>.cjs` beside the desktop bundle,
 * `<name>.mjs` beside the Node bundle, or dist/node when running from source (tests). In the
 * desktop package a worker must start from a real file, so the copy unpacked beside the
 * archive wins (electron-builder.yml `asarUnpack`).
 */
export function bundledWorkerFile(name: string): string {
  const here = typeof __dirname === 'string' ? __dirname : path.dirname(fileURLToPath(import.meta.url));
  for (const found of [path.join(here, `${name}.cjs`), path.join(here, `${name}.mjs`), path.join(appRoot(), 'dist', 'node', `${name}.mjs`)]) {
    const unpacked = found.replace(`${path.sep}app.asar${path.sep}`, `${path.sep}app.asar.unpacked${path.sep}`);
    if (unpacked !== found && existsSync(unpacked)) return unpacked;
    if (existsSync(found)) return found;
  }
  throw new Error(`A part of Gloss is missing from this build (${name}.mjs); rebuild it with npm run build.`);
}
