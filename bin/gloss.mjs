#!/usr/bin/env node
// The `gloss` command. The CLI is bundled by `npm run build` (run automatically by npm install).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'node', 'cli.mjs');
if (!existsSync(cli)) {
  console.error('gloss: the app is not built yet. Run `npm run build` in the Gloss folder first.');
  process.exit(1);
}
await import(pathToFileURL(cli).href);
