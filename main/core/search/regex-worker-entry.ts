import { parentPort, workerData } from 'node:worker_threads';
import type { RegexJob, RegexReply } from './regex-worker';
import { searchTexts, SearchError } from '../../../shared/text-search';

/** The search worker (regex-worker.ts starts it): runs the one search it is given, posts the result, ends. */

const { texts, query, opts, limit } = workerData as RegexJob;

function run(): RegexReply {
  try {
    return { ok: true, result: searchTexts(texts, query, { ...opts, regex: true }, limit) };
  } catch (e) {
    return { ok: false, search: e instanceof SearchError, message: e instanceof Error ? e.message : String(e) };
  }
}

parentPort!.postMessage(run());
