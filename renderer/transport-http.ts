import type { ApiMethod, ApiResponse } from '../shared/api';

/**
 * The API transport of browser mode: each call is `POST /api/<method>` to the local Gloss server
 * that served this page, carrying the access token the `gloss web` command printed in the page's
 * address. The token moves from the address into sessionStorage (so a reload keeps working while
 * the address bar, history and anything copied from it no longer show it).
 */

const TOKEN_KEY = 'gloss.token';
const CLIENT_KEY = 'gloss.client';
const CLIENT_HEADER = 'X-Gloss-Client';
const TOKEN_PARAM = 'token';
const TOKEN_HEADER = 'X-Gloss-Token';

/**
 * Requests smaller than this are sent with `keepalive`, so a save started as the page unloads
 * (a memo typed just before a reload) still reaches the server; browsers cap keepalive bodies at 64 KiB.
 */
const KEEPALIVE_MAX_BYTES = 60_000;

/** The page's token, taken out of the address on first use (see `takeToken`). */
let token: string | null | undefined;

const UNAUTHORIZED =
  'This page may not use Gloss: its access key is missing or out of date (Gloss was restarted?). Open the address printed by `npm run web` again.';

/**
 * A `send` function for `createClient()` (shared/api.ts). Takes the token out of the address
 * now. Never rejects: network and server failures become `{ ok: false }` responses whose message
 * says what to do.
 */
export function httpTransport(): (method: ApiMethod, input: unknown) => Promise<ApiResponse> {
  const token = currentToken();
  return async (method, input) => {
    const body = JSON.stringify(input ?? {});
    let response: Response;
    try {
      response = await post(`/api/${encodeURIComponent(method)}`, token, body);
    } catch (e) {
      return unreachable(`${e instanceof Error ? e.message : String(e)}. Is \`npm run web\` still running?`);
    }
    return replyOf(response);
  };
}

/**
 * Downloads a file that the server streams in answer to a `POST` of `input` to `path` (the
 * CSV export): resolves with the file once all of it has arrived, or with the failure's message.
 * The body is read to the end before anything is saved, so a download cut short is an error,
 * never a short file.
 */
export async function httpDownload(path: string, input: unknown): Promise<{ ok: true; file: Blob } | { ok: false; message: string }> {
  let response: Response;
  try {
    response = await post(path, currentToken(), JSON.stringify(input ?? {}));
  } catch (e) {
    return { ok: false, message: unreachable(`${e instanceof Error ? e.message : String(e)}. Is \`npm run web\` still running?`).error.message };
  }
  if (!response.ok) {
    const reply = await replyOf(response);
    return { ok: false, message: reply.ok ? `The server refused the download (HTTP ${response.status}).` : reply.error.message };
  }
  try {
    return { ok: true, file: await response.blob() };
  } catch (e) {
    return { ok: false, message: `The download was cut short (${e instanceof Error ? e.message : String(e)}); nothing was saved.` };
  }
}

function currentToken(): string | null {
  if (token === undefined) token = takeToken();
  return token;
}

let client: string | undefined;

/**
 * This tab's client id, which names its undo history in main. Kept in sessionStorage: it
 * survives reloads of the tab, and every other tab gets its own.
 */
export function clientId(): string {
  if (client !== undefined) return client;
  try {
    client = sessionStorage.getItem(CLIENT_KEY) ?? undefined;
    if (!client) {
      client = crypto.randomUUID();
      sessionStorage.setItem(CLIENT_KEY, client);
    }
  } catch {
    client ??= crypto.randomUUID(); // Storage disabled: the history lasts as long as this page.
  }
  return client;
}

function post(path: string, key: string | null, body: string): Promise<Response> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', [CLIENT_HEADER]: clientId() };
  if (key !== null) headers[TOKEN_HEADER] = key;
  return fetch(path, {
    method: 'POST',
    headers,
    body,
    keepalive: body.length < KEEPALIVE_MAX_BYTES / 3,
    credentials: 'same-origin',
    cache: 'no-store',
    redirect: 'error',
  });
}

/** The API response a reply carries; any other reply becomes a failure saying so. */
async function replyOf(response: Response): Promise<ApiResponse> {
  if (response.status === 401) return { ok: false, error: { code: 'internal', message: UNAUTHORIZED } };
  let reply: unknown;
  try {
    reply = await response.json();
  } catch {
    return unreachable(`the server sent an unexpected reply (HTTP ${response.status}).`);
  }
  return isApiResponse(reply) ? reply : unreachable(`the server sent an unexpected reply (HTTP ${response.status}).`);
}

function unreachable(reason: string): ApiResponse & { ok: false } {
  return { ok: false, error: { code: 'internal', message: `Cannot reach Gloss: ${reason}` } };
}

function isApiResponse(v: unknown): v is ApiResponse {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as { ok?: unknown; error?: { code?: unknown; message?: unknown } | null };
  if (r.ok === true) return 'result' in r;
  return r.ok === false && typeof r.error?.code === 'string' && typeof r.error.message === 'string';
}

function tokenFromAddress(): string | null {
  return new URLSearchParams(location.search).get(TOKEN_PARAM) || null;
}

function storedToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null; // Storage disabled by the browser's settings.
  }
}

/** Returns the token, moving it from the address to sessionStorage if it is there. */
function takeToken(): string | null {
  const fromAddress = tokenFromAddress();
  if (fromAddress === null) return storedToken();
  try {
    sessionStorage.setItem(TOKEN_KEY, fromAddress);
  } catch {
    // Without storage the token lives only in this page; a reload will need the address again.
  }
  const params = new URLSearchParams(location.search);
  params.delete(TOKEN_PARAM);
  const query = params.toString();
  history.replaceState(history.state, '', `${location.pathname}${query ? `?${query}` : ''}${location.hash}`);
  return fromAddress;
}

/** Longest wait between attempts to reach the change feed again. */
const MAX_RECONNECT_MS = 10_000;

/**
 * Browser mode's change feed: a stream of Server-Sent Events from `path`, read with fetch so that
 * the token travels in a header. Each event's data goes to `onEvent` (validated by the caller);
 * `reset` means the events the page missed are no longer kept. When the stream breaks (the server
 * restarted, the computer slept) it reconnects, with a growing pause, from the revision `since()`
 * gives. Returns a function that stops it.
 */
export function httpEventStream(path: string, since: () => number, onEvent: (data: unknown) => void, onReset: () => void): () => void {
  let stopped = false;
  let controller: AbortController | null = null;
  let pause = 500;
  const loop = async (): Promise<void> => {
    while (!stopped) {
      controller = new AbortController();
      try {
        const headers: Record<string, string> = { 'Content-Type': 'application/json', [CLIENT_HEADER]: clientId() };
        const key = currentToken();
        if (key !== null) headers[TOKEN_HEADER] = key;
        const response = await fetch(`${path}?since=${since()}`, { method: 'POST', headers, body: '{}', cache: 'no-store', credentials: 'same-origin', signal: controller.signal });
        if (response.ok && response.body) {
          pause = 500;
          await readEvents(response.body, onEvent, onReset);
        }
      } catch {
        // Aborted, or the server went away: try again below.
      }
      if (stopped) return;
      await new Promise((r) => setTimeout(r, pause));
      pause = Math.min(MAX_RECONNECT_MS, pause * 2);
    }
  };
  void loop();
  return () => {
    stopped = true;
    controller?.abort();
  };
}

async function readEvents(body: ReadableStream<Uint8Array>, onEvent: (data: unknown) => void, onReset: () => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let kind = 'message';
      const data: string[] = [];
      for (const line of frame.split('\n')) {
        if (line.startsWith('event: ')) kind = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length === 0) continue;
      if (kind === 'reset') onReset();
      else {
        try {
          onEvent(JSON.parse(data.join('\n')));
        } catch {
          // A frame that is not JSON cannot be ours; the caller catches up by revision anyway.
        }
      }
    }
  }
}
