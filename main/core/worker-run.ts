import { Worker } from 'node:worker_threads';

/**
 * One job in a worker thread of its own, with a time and a heap limit: the worker gets `data`,
 * posts one reply and is terminated, whatever happens first — the reply, the time running out,
 * the caller's abort, an error (out of memory, say) or the worker ending by itself. What each
 * of those means to the caller is its to say (`outcomes`); a worker never outlives its job.
 */

export interface WorkerJob<Reply, T> {
  file: string;
  data: unknown;
  timeMs: number;
  heapMb: number;
  signal?: AbortSignal | undefined;
  /** The reply as the caller's value, or an error to reject with. */
  reply(reply: Reply): T | Error;
  timedOut(): Error;
  aborted?(): Error;
  /** `outOfMemory`: the worker went past its heap limit. */
  failed(e: Error, outOfMemory: boolean): Error;
  exited(code: number): Error;
}

export function runInWorker<Reply, T>(job: WorkerJob<Reply, T>): Promise<T> {
  return new Promise((resolve, reject) => {
    if (job.signal?.aborted) return reject(job.aborted?.() ?? new Error('Cancelled.'));
    const worker = new Worker(job.file, {
      workerData: job.data,
      resourceLimits: { maxOldGenerationSizeMb: job.heapMb, maxYoungGenerationSizeMb: Math.min(64, job.heapMb), stackSizeMb: 8 },
      // The worker sees no environment of the app's.
      env: {},
      stdout: true,
      stderr: true,
    });
    let settled = false;
    const finish = (outcome: T | Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      job.signal?.removeEventListener('abort', onAbort);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
      void worker.terminate();
    };
    const timer = setTimeout(() => finish(job.timedOut()), job.timeMs);
    const onAbort = (): void => finish(job.aborted?.() ?? new Error('Cancelled.'));
    job.signal?.addEventListener('abort', onAbort);
    worker.once('message', (reply: Reply) => finish(job.reply(reply)));
    worker.once('error', (e: Error & { code?: string }) => finish(job.failed(e, e.code === 'ERR_WORKER_OUT_OF_MEMORY')));
    worker.once('exit', (code) => finish(job.exited(code)));
  });
}
