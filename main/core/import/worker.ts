import { Worker } from 'node:worker_threads';
import { bundledWorkerFile } from '../worker-file';
import { EncodingNeeded } from './text';
import { ImportFailure, type ImportFormat, type ImportedText } from './types';
import type { ImportOptions } from './formats';

/**
 * Runs an importer off the main thread, in a worker of its own per file, so that a hostile or
 * huge file can cost neither the app's responsiveness nor its memory: the worker has a heap
 * limit and a time limit, and is terminated when the user cancels. The worker is
 * `import-worker.mjs` (`.cjs` in the desktop bundle) beside the running bundle (scripts/build.mjs).
 */

/** How long one file may take to import. */
export const IMPORT_TIME_LIMIT_MS = 60_000;
/** The heap one import may use; a file that needs more is refused, not the app starved. */
export const IMPORT_HEAP_MB = 768;

/** An import the user cancelled. */
export class ImportCancelled extends Error {
  override name = 'ImportCancelled';
}

/** What the worker sends back. */
export type WorkerReply =
  | { ok: true; result: ImportedText & { format: ImportFormat } }
  | { ok: false; kind: 'failure' | 'encoding' | 'error'; message: string; suggestions?: string[] };

/** The worker script of this build. */
export function importWorkerFile(): string {
  return bundledWorkerFile('import-worker');
}

/** Imports one file in a worker (see module comment). Rejects with ImportFailure, EncodingNeeded or ImportCancelled. */
export function importInWorker(
  fileName: string,
  bytes: Uint8Array,
  opts: ImportOptions = {},
  signal?: AbortSignal,
  limits: { timeMs?: number; heapMb?: number; workerFile?: string } = {},
): Promise<ImportedText & { format: ImportFormat }> {
  const timeMs = limits.timeMs ?? IMPORT_TIME_LIMIT_MS;
  const heapMb = limits.heapMb ?? IMPORT_HEAP_MB;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new ImportCancelled('The import was cancelled.'));
    const worker = new Worker(limits.workerFile ?? importWorkerFile(), {
      workerData: { fileName, bytes, opts },
      resourceLimits: { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: Math.min(64, heapMb), stackSizeMb: 8 },
      // The worker sees no environment of the app's.
      env: {},
      stdout: true,
      stderr: true,
    });
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      fn();
      void worker.terminate();
    };
    const timer = setTimeout(() => finish(() => reject(new ImportFailure(`Importing the file took longer than ${timeMs / 1000} seconds, so Gloss stopped. The file may be damaged, or too complex.`))), timeMs);
    const onAbort = (): void => finish(() => reject(new ImportCancelled('The import was cancelled.')));
    signal?.addEventListener('abort', onAbort);
    worker.once('message', (reply: WorkerReply) =>
      finish(() => {
        if (reply.ok) resolve(reply.result);
        else if (reply.kind === 'encoding') reject(new EncodingNeeded(reply.message, reply.suggestions ?? []));
        else if (reply.kind === 'failure') reject(new ImportFailure(reply.message));
        else reject(new ImportFailure(`Gloss could not read the file (${reply.message}). It may be damaged.`));
      }),
    );
    worker.once('error', (e: Error & { code?: string }) =>
      finish(() =>
        reject(
          e.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new ImportFailure(`The file needs more memory to import than Gloss allows one file (${heapMb} MB). It may be damaged, or built to exhaust memory.`)
            : new ImportFailure(`Gloss could not read the file (${e.message}). It may be damaged.`),
        ),
      ),
    );
    worker.once('exit', (code) => finish(() => reject(new ImportFailure(`The import stopped unexpectedly (exit code ${code}).`))));
  });
}
