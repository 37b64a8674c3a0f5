import { Worker } from 'node:worker_threads';
import { bundledWorkerFile } from '../worker-file';
import { SearchError, type ProjectHits, type SearchOptions } from '../../../shared/text-search';

/**
 * Runs a regular-expression search off the main thread, with a time limit. JavaScript cannot
 * interrupt a regular expression, and one with nested quantifiers (`(a+)+$`) can take longer
 * than the universe on a page of text; in a worker of its own it is simply terminated, and the
 * app goes on answering. The worker is `search-worker.mjs` (`.cjs` in the desktop bundle).
 */

/** How long one regular-expression search may take. */
export const REGEX_TIME_LIMIT_MS = 2000;
/** The heap it may use. */
export const REGEX_HEAP_MB = 512;

/** What the worker is given. */
export interface RegexJob {
  texts: { documentId: string; text: string }[];
  query: string;
  opts: SearchOptions;
  limit: number;
}

export type RegexReply = { ok: true; result: ProjectHits } | { ok: false; search: boolean; message: string };

/** Searches `job.texts` for the regular expression `job.query`; rejects with SearchError when it is malformed or too slow. */
export function regexSearchInWorker(job: RegexJob, limits: { timeMs?: number; workerFile?: string } = {}): Promise<ProjectHits> {
  const timeMs = limits.timeMs ?? REGEX_TIME_LIMIT_MS;
  return new Promise((resolve, reject) => {
    const worker = new Worker(limits.workerFile ?? bundledWorkerFile('search-worker'), {
      workerData: job,
      resourceLimits: { maxOldGenerationSizeMb: REGEX_HEAP_MB, maxYoungGenerationSizeMb: 64, stackSizeMb: 8 },
      env: {},
      stdout: true,
      stderr: true,
    });
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
      void worker.terminate();
    };
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(
            new SearchError(
              `The regular expression took longer than ${timeMs / 1000} seconds on these texts, so Gloss stopped it. Expressions with nested repetition, such as (a+)+ or (\\w*)*, can take practically forever; write it without the nesting.`,
            ),
          ),
        ),
      timeMs,
    );
    worker.once('message', (reply: RegexReply) => finish(() => (reply.ok ? resolve(reply.result) : reject(reply.search ? new SearchError(reply.message) : new Error(reply.message)))));
    worker.once('error', (e: Error & { code?: string }) =>
      finish(() => reject(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new SearchError('The regular expression needed more memory than a search may use; make it simpler.') : e)),
    );
    worker.once('exit', (code) => finish(() => reject(new Error(`The search stopped unexpectedly (exit code ${code}).`))));
  });
}
