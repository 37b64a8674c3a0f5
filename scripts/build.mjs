// Bundles every runtime with esbuild: the renderer for the browser sandbox, the CLI and web
// server for Node, the Electron main process and its sandboxed preload (which must be a single
// CommonJS file), and the benchmarks.
import { build } from 'esbuild';
import { cp, mkdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { RUNTIME_ICONS } from './runtime-icons.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const out = path.join(root, 'dist');
// CommonJS bundles get import.meta.url from their own file name, as ESM code expects.
const cjsMeta = { define: { 'import.meta.url': '__glossImportMetaUrl' }, banner: { js: "const __glossImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" } };
const common = { bundle: true, sourcemap: 'linked', logLevel: 'warning', absWorkingDir: root, legalComments: 'none' };

await rm(out, { recursive: true, force: true });
await mkdir(path.join(out, 'renderer'), { recursive: true });

const jobs = [
  // Minified: the page parses and compiles the bundle before its first paint. ES modules, split:
  // the viewer (ProseMirror) is a second module the app loads after it starts (viewer-module.ts).
  build({ ...common, entryPoints: { app: 'renderer/index.tsx' }, outdir: 'dist/renderer', splitting: true, chunkNames: '[name]-[hash]', platform: 'browser', format: 'esm', target: 'chrome120', jsx: 'automatic', jsxImportSource: 'preact', minify: true }),
  // Find's regular expressions run in a worker the window can terminate (renderer/find-search.ts):
  // a file of its own, same-origin, so the CSP's script-src 'self' (worker-src falls back to it) allows it.
  build({ ...common, entryPoints: { 'find-worker': 'renderer/find-worker.ts' }, outdir: 'dist/renderer', platform: 'browser', format: 'iife', target: 'chrome120', minify: true }),
  build({ ...common, entryPoints: ['main/cli/gloss.ts'], outfile: 'dist/node/cli.mjs', platform: 'node', format: 'esm', target: 'node20', packages: 'external' }),
  build({ ...common, entryPoints: ['main/electron/main.ts'], outfile: 'dist/electron/main.cjs', platform: 'node', format: 'cjs', target: 'node20', external: ['electron'], ...cjsMeta }),
  build({ ...common, entryPoints: ['main/electron/preload.ts'], outfile: 'dist/electron/preload.cjs', platform: 'node', format: 'cjs', target: 'node20', external: ['electron'] }),
  // The document importers run in a worker thread of their own (main/core/import/worker.ts).
  build({ ...common, entryPoints: ['main/core/import/worker-entry.ts'], outfile: 'dist/node/import-worker.mjs', platform: 'node', format: 'esm', target: 'node20', packages: 'external' }),
  // pdfjs-dist stays outside the bundle: it finds its fonts, character maps and worker module
  // beside itself at run time (the package carries them, see electron-builder.yml).
  build({ ...common, entryPoints: ['main/core/import/worker-entry.ts'], outfile: 'dist/electron/import-worker.cjs', platform: 'node', format: 'cjs', target: 'node20', external: ['pdfjs-dist'], ...cjsMeta }),
  // Regular-expression searches run in a worker that can be stopped (main/core/search/regex-worker.ts).
  build({ ...common, entryPoints: { 'search-worker': 'main/core/search/regex-worker-entry.ts' }, outdir: 'dist/node', outExtension: { '.js': '.mjs' }, platform: 'node', format: 'esm', target: 'node20', packages: 'external' }),
  build({ ...common, entryPoints: { 'search-worker': 'main/core/search/regex-worker-entry.ts' }, outdir: 'dist/electron', outExtension: { '.js': '.cjs' }, platform: 'node', format: 'cjs', target: 'node20', ...cjsMeta }),
];
if (existsSync(path.join(root, 'bench/run.ts'))) {
  jobs.push(build({ ...common, entryPoints: ['bench/run.ts'], outfile: 'dist/bench/run.mjs', platform: 'node', format: 'esm', target: 'node20', packages: 'external' }));
  jobs.push(build({ ...common, entryPoints: ['bench/page.ts'], outfile: 'dist/bench/page.js', platform: 'browser', format: 'iife', target: 'chrome120' }));
}
await Promise.all(jobs);
for (const f of ['index.html', 'styles.css']) await cp(path.join(root, 'renderer', f), path.join(out, 'renderer', f));
for (const [from, to] of RUNTIME_ICONS) await cp(path.join(root, from), path.join(out, to));
