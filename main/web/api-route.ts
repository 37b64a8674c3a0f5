import type { IncomingMessage } from 'node:http';
import { IMPORT_UPLOAD_MAX, MAX_ERROR_MESSAGE, capMessage, dispatch, type ApiErrorCode, type ApiHandlers, type ApiResponse } from '../../shared/api';

/**
 * The `POST /api/<method>` route: reads and parses the JSON body, runs the call through
 * `dispatch()` (which validates the input), and maps the outcome to an HTTP status.
 */

/** Largest accepted request body. Real inputs are tiny; this only stops runaway uploads. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Methods whose input is a file: the file's limit (base64) and room for the rest. */
const BODY_LIMITS: Partial<Record<string, number>> = { 'documents.prepareImport': IMPORT_UPLOAD_MAX + 64 * 1024 };

/** The largest body accepted for a call to `pathname` (`/api/<method>`). */
export function bodyLimitFor(pathname: string): number {
  return BODY_LIMITS[pathname.slice('/api/'.length)] ?? MAX_BODY_BYTES;
}

/**
 * Deepest accepted nesting of arrays and objects in a request body. Real inputs nest two levels;
 * the limit stops a body of brackets from costing the parser hundreds of megabytes.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Longest error message a reply carries, in UTF-16 code units. Validation messages can quote the
 * input (every unknown key, say), so without a cap a 16 MiB body could earn a 16 MiB reply.
 */
export const MAX_ERROR_MESSAGE_LENGTH = MAX_ERROR_MESSAGE;

// Fatal: a lenient decoder would turn invalid bytes into U+FFFD and store them in a memo unnoticed.
const utf8 = new TextDecoder('utf-8', { fatal: true });

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
  conflict: 409,
  store_refused: 409,
  internal: 500,
};

/** The HTTP status for an API outcome. */
export function statusFor(res: ApiResponse): number {
  return res.ok ? 200 : STATUS[res.error.code];
}

/**
 * The JSON text sent for a reply's body: the response as is, except that an error message
 * longer than `MAX_ERROR_MESSAGE_LENGTH` is cut to that length, ending in "… (message shortened)".
 * Applied here, at the transport, so that no producer of messages has to remember it.
 */
export function serializeResponse(res: ApiResponse): string {
  if (res.ok || res.error.message.length <= MAX_ERROR_MESSAGE_LENGTH) return JSON.stringify(res);
  return JSON.stringify({ ...res, error: { ...res.error, message: shortenMessage(res.error.message) } });
}

/** `message` cut to at most `MAX_ERROR_MESSAGE_LENGTH` code units (see `capMessage`). */
export const shortenMessage = capMessage;

/** The header a page names its tab with, so that main keeps one undo history per tab. */
export const CLIENT_HEADER = 'x-gloss-client';

/**
 * The calling tab's client id. The page makes it once per tab and keeps it across reloads
 * (sessionStorage); it only selects an undo history, so it needs no secrecy, only a sane shape.
 */
export function clientOf(req: IncomingMessage): string {
  const raw = req.headers[CLIENT_HEADER];
  const id = Array.isArray(raw) ? raw[0] : raw;
  return id && /^[A-Za-z0-9-]{8,64}$/.test(id) ? `tab-${id}` : 'tab-unnamed';
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
  const body = await readJsonBody(req, bodyLimitFor(pathname));
  if (body === 'aborted' || 'status' in body) return body;
  const { input } = body;

  let method: string;
  try {
    method = decodeURIComponent(pathname.slice('/api/'.length));
  } catch {
    return failure(400, 'unknown_method', 'The API method name is not valid.');
  }
  const res = await dispatch(handlers, method, input, { client: clientOf(req) });
  return { status: statusFor(res), body: res };
}

/**
 * Reads a request's JSON body (an empty body is `undefined`). Answers with the failure to send
 * when the content type is wrong, the body is too large, is not UTF-8, is nested deeper than
 * `MAX_JSON_DEPTH` or is not JSON; 'aborted' when the client went away first.
 */
export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<{ input: unknown } | ApiReply | 'aborted'> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    return failure(415, 'invalid_input', 'API requests must have Content-Type: application/json.');
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return tooLarge(limit);
  const body = await readBody(req, limit);
  if (body === 'too-large') return tooLarge(limit);
  if (body === 'aborted') return 'aborted';
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return failure(400, 'invalid_input', 'The request body is not valid UTF-8.');
  }
  if (text.trim() === '') return { input: undefined };
  if (nestedDeeperThan(text, MAX_JSON_DEPTH)) {
    return failure(400, 'invalid_input', `The request body is nested deeper than ${MAX_JSON_DEPTH} levels.`);
  }
  try {
    return { input: JSON.parse(text) };
  } catch (e) {
    return failure(400, 'invalid_input', `The request body is not valid JSON (${e instanceof Error ? e.message : String(e)}).`);
  }
}

/**
 * True if JSON `text` opens more than `limit` arrays or objects inside one another. One pass, no
 * allocation: brackets inside strings do not count, and it stops at the first level too deep.
 * On text that is not JSON the answer is only a bound, which is all the check needs: the parser
 * stops at the first error, so it never goes deeper than this scan saw.
 */
export function nestedDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++; // the escaped character, whatever it is, cannot end the string
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      if (++depth > limit) return true;
    } else if ((c === CLOSE_BRACKET || c === CLOSE_BRACE) && depth > 0) {
      depth--;
    }
  }
  return false;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

function tooLarge(limit = MAX_BODY_BYTES): ApiReply {
  return failure(413, 'invalid_input', `The request body is larger than ${Math.round(limit / (1024 * 1024))} MiB.`, true);
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
