import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { regexSearchInWorker } from '../../main/core/search/regex-worker';
import { searchTexts, SearchError } from '../../shared/text-search';
import { tempDir } from '../support/project';

// Regular expressions run in a worker with a time limit: a catastrophic one is stopped with a
// clear message while the main thread goes on.

let dir: string;
let workerFile: string;
beforeAll(async () => {
  dir = await tempDir('gloss-search-worker-');
  workerFile = path.join(dir, 'search-worker.mjs');
  await build({ entryPoints: ['main/core/search/regex-worker-entry.ts'], outfile: workerFile, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'error' });
}, 60_000);
afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

const texts = [
  { documentId: 'a', text: 'Wave 1 interviews, then wave 2.' },
  { documentId: 'b', text: 'No waves here, only WAVE 10.' },
];

describe('regular expressions in a worker', () => {
  it('finds what the search finds on the main thread', async () => {
    const job = { texts, query: 'wave \\d+', opts: {}, limit: 100 };
    expect(await regexSearchInWorker(job, { workerFile })).toEqual(searchTexts(texts, job.query, { regex: true }, 100));
  });

  it('passes on a malformed expression as a search error', async () => {
    await expect(regexSearchInWorker({ texts, query: '(wave', opts: {}, limit: 100 }, { workerFile })).rejects.toThrow(SearchError);
  });

  it('stops a catastrophic expression at its time limit, and the main thread stays free', async () => {
    const text = `${'a'.repeat(40)}!`;
    let ticks = 0;
    const timer = setInterval(() => ticks++, 20);
    const terminate = vi.spyOn(Worker.prototype, 'terminate');
    // 2^40 steps: without the limit this never ends, and the test's timeout (only a guard
    // against that hang) fails it.
    const error = await regexSearchInWorker({ texts: [{ documentId: 'x', text }], query: '(a+)+$', opts: {}, limit: 10 }, { workerFile, timeMs: 400 }).catch((e: unknown) => e);
    clearInterval(timer);
    expect(error).toBeInstanceOf(SearchError);
    // The message of the time limit, not another failure, and the stuck worker terminated.
    expect((error as Error).message).toMatch(/took longer than 0.4 seconds.*nested repetition/);
    expect(terminate).toHaveBeenCalledTimes(1);
    terminate.mockRestore();
    // The main thread kept running its timers while the worker was stuck: a search on the main
    // thread would block it until the end, so that no tick could run before the reply.
    expect(ticks).toBeGreaterThan(0);
  }, 60_000);
});
