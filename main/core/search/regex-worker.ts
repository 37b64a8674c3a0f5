import { bundledWorkerFile } from '../worker-file';
import { runInWorker } from '../worker-run';
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
  return runInWorker<RegexReply, ProjectHits>({
    file: limits.workerFile ?? bundledWorkerFile('search-worker'),
    data: job,
    timeMs,
    heapMb: REGEX_HEAP_MB,
    reply: (reply) => (reply.ok ? reply.result : reply.search ? new SearchError(reply.message) : new Error(reply.message)),
    timedOut: () =>
      new SearchError(
        `The regular expression took longer than ${timeMs / 1000} seconds on these texts, so Gloss stopped it. Expressions with nested repetition, such as (a+)+ or (\\w*)*, can take practically forever; write it without the nesting.`,
      ),
    failed: (e, outOfMemory) => (outOfMemory ? new SearchError('The regular expression needed more memory than a search may use; make it simpler.') : e),
    exited: (code) => new Error(`The search stopped unexpectedly (exit code ${code}).`),
  });
}
