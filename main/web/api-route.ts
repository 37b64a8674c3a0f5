import type { IncomingMessage } from 'node:http';
import { dispatch, type ApiErrorCode, type ApiHandlers, type ApiResponse } from '../../shared/api';

/**
 * The `POST /api/<method>` route: reads and parses the JSON body, runs the call through
 * `dispatch()` (which validates the input), and maps the outcome to an HTTP status.
 */

/** Largest accepted request body. Real inputs are tiny; this only stops runaway uploads. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** What to send back: the status and the JSON body (always an `ApiResponse`). */
export interface ApiReply {
  status: number;
  body: ApiResponse;
  /** Set when the rest of the request was not read, so the connection must not be reused. */
  closeConnection?: boolean;
}

const STATUS: Record<ApiErrorCode, number> = {
  invalid_input: 400,
  unknown_method: 400,
  not_found: 404,
  store_refused: 409,
  internal: 500,
};

/** The HTTP status for an API outcome. */
export function statusFor(res: ApiResponse): number {
  return res.ok ? 200 : STATUS[res.error.code];
}

/** A failure reply that happened before dispatch (transport-level problems). */
export function failure(status: number, code: ApiErrorCode, message: string, closeConnection = false): ApiReply {
  return { status, body: { ok: false, error: { code, message } }, closeConnection };
}

/**
 * Handles one authenticated API request. `pathname` is the raw request path, `/api/<method>`.
 * Never throws: handler failures come back from `dispatch()` as `internal`. 'aborted' means the
 * client went away before sending the whole body.
 */
export async function handleApiCall(req: IncomingMessage, pathname: string, handlers: ApiHandlers): Promise<ApiReply | 'aborted'> {
  const body = await readJsonBody(req);
  if (body === 'aborted' || 'status' in body) return body;
  const { input } = body;

  let method: string;
  try {
    method = decodeURIComponent(pathname.slice('/api/'.length));
  } catch {
    return failure(400, 'unknown_method', 'The API method name is not valid.');
  }
  const res = await dispatch(handlers, method, input);
  return { status: statusFor(res), body: res };
}

/**
 * Reads a request's JSON body (an empty body is `undefined`). Answers with the failure to send
 * when the content type is wrong, the body is too large or is not JSON; 'aborted' when the client
 * went away first.
 */
export async function readJsonBody(req: IncomingMessage): Promise<{ input: unknown } | ApiReply | 'aborted'> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    return failure(415, 'invalid_input', 'API requests must have Content-Type: application/json.');
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) return tooLarge();
  const body = await readBody(req, MAX_BODY_BYTES);
  if (body === 'too-large') return tooLarge();
  if (body === 'aborted') return 'aborted';
  const text = body.toString('utf8');
  if (text.trim() === '') return { input: undefined };
  try {
    return { input: JSON.parse(text) };
  } catch (e) {
    return failure(400, 'invalid_input', `The request body is not valid JSON (${e instanceof Error ? e.message : String(e)}).`);
  }
}

function tooLarge(): ApiReply {
  return failure(413, 'invalid_input', `The request body is larger than ${MAX_BODY_BYTES / (1024 * 1024)} MiB.`, true);
}

/**
 * Reads the whole body, giving up (without buffering further) once it exceeds `limit`, or
 * 'aborted' if the client went away first.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large' | 'aborted'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    // Resolving twice is harmless, so 'close' after 'end' changes nothing.
    req.once('close', () => resolve('aborted'));
    req.on('error', () => resolve('aborted'));
  });
}
