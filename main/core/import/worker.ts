import { bundledWorkerFile } from '../worker-file';
import { runInWorker } from '../worker-run';
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
  const heapMb = limits.heapMb ?? IMPORT_HEAP_MB;
  const timeMs = limits.timeMs ?? IMPORT_TIME_LIMIT_MS;
  const unreadable = (why: string): ImportFailure => new ImportFailure(`Gloss could not read the file (${why}). It may be damaged.`);
  return runInWorker<WorkerReply, ImportedText & { format: ImportFormat }>({
    file: limits.workerFile ?? importWorkerFile(),
    data: { fileName, bytes, opts },
    timeMs,
    heapMb,
    signal,
    reply: (reply) => {
      if (reply.ok) return reply.result;
      if (reply.kind === 'encoding') return new EncodingNeeded(reply.message, reply.suggestions ?? []);
      return reply.kind === 'failure' ? new ImportFailure(reply.message) : unreadable(reply.message);
    },
    timedOut: () => new ImportFailure(`Importing the file took longer than ${timeMs / 1000} seconds, so Gloss stopped. The file may be damaged, or too complex.`),
    aborted: () => new ImportCancelled('The import was cancelled.'),
    failed: (e, outOfMemory) =>
      outOfMemory ? new ImportFailure(`The file needs more memory to import than Gloss allows one file (${heapMb} MB). It may be damaged, or built to exhaust memory.`) : unreadable(e.message),
    exited: (code) => new ImportFailure(`The import stopped unexpectedly (exit code ${code}).`),
  });
}
