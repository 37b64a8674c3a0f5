import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { importBytes } from '../../main/core/import/formats';
import { EncodingNeeded } from '../../main/core/import/text';
import { ImportFailure } from '../../main/core/import/types';
import { ImportCancelled, importInWorker } from '../../main/core/import/worker';
import { tempDir } from '../support/project';

// The importers run in a worker thread with a time and a heap limit, and stop when cancelled.

let dir: string;
let workerFile: string;
beforeAll(async () => {
  dir = await tempDir('gloss-import-worker-');
  workerFile = path.join(dir, 'import-worker.mjs');
  // Bundled whole, so that it runs from a folder without node_modules.
  await build({ entryPoints: ['main/core/import/worker-entry.ts'], outfile: workerFile, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'error', banner: { js: "import { createRequire as __glossCreateRequire } from 'node:module'; const require = __glossCreateRequire(import.meta.url);" } });
}, 60_000);
afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const bigPage = (): Uint8Array => utf8(`<p>${'word '.repeat(2_400_000)}</p>`);

describe('importing in a worker', () => {
  it('gives what the importer gives', async () => {
    const bytes = utf8('<html><head><title>T</title></head><body><h2>H</h2><p>a<br>b</p></body></html>');
    expect(await importInWorker('page.html', bytes, {}, undefined, { workerFile })).toEqual(await importBytes('page.html', bytes));
  });

  it("passes a file's failure on as it is, with the encodings to choose from", async () => {
    await expect(importInWorker('a.txt', new Uint8Array(), {}, undefined, { workerFile })).rejects.toThrow(new ImportFailure('The file is empty.'));
    const latin = Uint8Array.from([...'Família coração pão'].map((c) => c.charCodeAt(0)));
    const error = await importInWorker('a.txt', latin, {}, undefined, { workerFile }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EncodingNeeded);
    expect((error as EncodingNeeded).suggestions.length).toBeGreaterThan(0);
    expect((await importInWorker('a.txt', latin, { encoding: 'windows-1252' }, undefined, { workerFile })).blocks).toEqual([{ type: 'paragraph', text: 'Família coração pão' }]);
  });

  it('stops when cancelled, at once', async () => {
    const terminate = vi.spyOn(Worker.prototype, 'terminate');
    const abort = new AbortController();
    const running = importInWorker('big.html', bigPage(), {}, abort.signal, { workerFile });
    setTimeout(() => abort.abort(), 50);
    // Cancelled, not the import's result: the first outcome settles the job, so an abort that
    // waited for the worker would lose to its reply. And the worker is terminated, not left to run.
    await expect(running).rejects.toBeInstanceOf(ImportCancelled);
    expect(terminate).toHaveBeenCalledTimes(1);
    terminate.mockClear();
    await expect(importInWorker('a.txt', utf8('x'), {}, AbortSignal.abort(), { workerFile })).rejects.toBeInstanceOf(ImportCancelled);
    // Already cancelled: no worker was started to terminate.
    expect(terminate).not.toHaveBeenCalled();
    terminate.mockRestore();
  }, 60_000);

  it('refuses a file that takes too long or needs too much memory, and goes on working', async () => {
    await expect(importInWorker('big.html', bigPage(), {}, undefined, { workerFile, timeMs: 30 })).rejects.toThrow(/took longer than 0.03 seconds/);
    await expect(importInWorker('big.html', bigPage(), {}, undefined, { workerFile, heapMb: 24 })).rejects.toThrow(/needs more memory to import than Gloss allows one file \(24 MB\)/);
    expect((await importInWorker('a.txt', utf8('still here'), {}, undefined, { workerFile })).blocks).toHaveLength(1);
  }, 60_000);
});
