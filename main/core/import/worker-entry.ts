import { parentPort, workerData } from 'node:worker_threads';
import { importBytes, type ImportOptions } from './formats';
import { EncodingNeeded } from './text';
import { ImportFailure } from './types';
import type { WorkerReply } from './worker';

/**
 * The import worker (worker.ts starts it): imports the one file it is given and posts the
 * result or the failure back, then ends.
 */

const { fileName, bytes, opts } = workerData as { fileName: string; bytes: Uint8Array; opts: ImportOptions };

async function run(): Promise<WorkerReply> {
  try {
    return { ok: true, result: await importBytes(fileName, bytes, opts) };
  } catch (e) {
    if (e instanceof EncodingNeeded) return { ok: false, kind: 'encoding', message: e.message, suggestions: e.suggestions };
    if (e instanceof ImportFailure) return { ok: false, kind: 'failure', message: e.message };
    // A bug or a library's own error on strange input: reported as the file's failure, never a crash.
    return { ok: false, kind: 'error', message: e instanceof Error ? e.message : String(e) };
  }
}

void run().then((reply) => parentPort!.postMessage(reply));
