import { answer, type FindRequest, type WorkerText } from './find-protocol';

/**
 * The Find worker (dist/renderer/find-worker.js): runs the article's regular-expression
 * searches off the window's thread, so one that backtracks for ever (`(a+)+$`) stalls only this
 * worker, which the window terminates when its time is up (find-search.ts).
 */

// The renderer is typed for the window; this is all of the worker's scope it uses.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent<FindRequest>) => void) | null;
  postMessage(message: unknown, transfer: Transferable[]): void;
};

let kept: WorkerText | null = null;

scope.onmessage = (event) => {
  const result = answer(event.data, kept);
  kept = result.kept;
  const { reply } = result;
  scope.postMessage(reply, reply.ok ? [reply.hits.buffer] : []);
};
