import { createReadStream } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { pipeline } from 'node:stream/promises';
import type { GlossCore } from '../core/core';
import { SECURITY_HEADERS } from '../../shared/csp';
import { CSV_DOWNLOAD_PATH } from '../../shared/csv-export';
import { failure, handleApiCall, serializeResponse, type ApiReply } from './api-route';
import { handleCsvDownload } from './download-route';
import { handleEvents, type EventStreams } from './events-route';
import { EVENTS_PATH } from '../../shared/routes';
import { checkRequestSource, hasValidToken } from './guard';
import { resolveStatic } from './static';

/**
 * Browser mode: the Gloss API and the built UI over HTTP on 127.0.0.1, for people who cannot run
 * the desktop app. Only Gloss's own page, opened from the address the CLI prints, can use it
 * (see guard.ts for the checks).
 */

export interface WebServerOptions {
  core: GlossCore;
  /** 0 (the default) picks any free port. */
  port?: number;
  /** The built UI, `dist/renderer`. */
  staticDir: string;
  /** The secret API calls must carry. Default: 32 random bytes, base64url. */
  token?: string;
  /** Told about failures of the server itself (not of API calls). Default: stderr. */
  onError?: (error: unknown) => void;
  /** The clock one-time launch addresses expire by, in milliseconds. Default: `Date.now`. */
  now?: () => number;
}

export interface WebServer {
  /** The address to open, token included: `http://127.0.0.1:PORT/?token=…`. */
  url: string;
  /** `http://127.0.0.1:PORT`. */
  origin: string;
  port: number;
  token: string;
  /**
   * A new one-time address for starting the page, `http://127.0.0.1:PORT/open/<code>`, to give
   * to a browser by its command line: it holds no token, since every local user can read another
   * program's command line. The first visit within `LAUNCH_CODE_TTL_MS` is redirected to `url`;
   * any later one gets 410 Gone.
   */
  createLaunchUrl(): string;
  /** Stops accepting connections, ends idle keep-alive ones, and resolves once all are closed. */
  close(): Promise<void>;
}

/** Headers on every response, whatever it is. */
const RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  ...SECURITY_HEADERS,
  // The page's own address carries the token, so nothing is kept in caches.
  'Cache-Control': 'no-store',
};

/** In-flight requests get this long to finish after close() before their sockets are cut. */
const CLOSE_GRACE_MS = 2000;

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,}$/;

/** How long a launch address from `createLaunchUrl()` stays usable: enough for a browser to start. */
export const LAUNCH_CODE_TTL_MS = 60_000;

const LAUNCH_PREFIX = '/open/';

const LAUNCH_GONE =
  'This link to Gloss was already used or has expired. Open the address printed in the terminal where Gloss is running.';

/** Starts the server; resolves once it is listening. Rejects with the listen error (e.g. EADDRINUSE). */
export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const token = opts.token ?? randomBytes(32).toString('base64url');
  if (!TOKEN_PATTERN.test(token)) throw new Error('The web server token must be at least 16 characters of A-Z, a-z, 0-9, _ or -.');
  const root = await realpath(opts.staticDir);
  const onError = opts.onError ?? ((e: unknown) => process.stderr.write(`gloss web: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`));
  const now = opts.now ?? Date.now;
  /** Unused launch codes and when each was made. */
  const launchCodes = new Map<string, number>();
  /** Change-feed streams, which never end by themselves. */
  const streams: EventStreams = new Set();

  let port = 0;
  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      onError(e);
      if (!res.headersSent) sendJson(res, failure(500, 'internal', 'The Gloss server failed to answer this request.', true));
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(RESPONSE_HEADERS)) res.setHeader(name, value);
    const pathname = (req.url ?? '').split('?')[0]!;
    const api = pathname === '/api' || pathname.startsWith('/api/');

    const refusal = checkRequestSource(req, port, api);
    if (refusal) return sendText(res, refusal.status, refusal.message);
    if (!pathname.startsWith('/')) return sendText(res, 400, 'Bad request.');

    if (pathname.startsWith(LAUNCH_PREFIX)) return openLaunchCode(req, res, pathname.slice(LAUNCH_PREFIX.length));

    if (api) {
      if (req.method !== 'POST') {
        res.setHeader('Allow', 'POST');
        return sendJson(res, failure(405, 'invalid_input', 'API methods are called with POST.'));
      }
      if (!hasValidToken(req, token)) return sendText(res, 401, 'Unauthorized.');
      if (pathname === CSV_DOWNLOAD_PATH) return handleCsvDownload(req, res, opts.core, sendJson);
      if (pathname === EVENTS_PATH) return handleEvents(req, res, opts.core, streams);
      if (!pathname.startsWith('/api/')) return sendJson(res, failure(400, 'unknown_method', 'No API method given: POST /api/<method>.'));
      const reply = await handleApiCall(req, pathname, opts.core.handlers);
      if (reply === 'aborted') res.destroy();
      else sendJson(res, reply);
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendText(res, 405, 'Method not allowed.');
    }
    const file = await resolveStatic(root, pathname);
    if (!file && pathname === '/favicon.ico') {
      // Browsers ask for it whatever the page says; "no icon" beats a 404 in every console.
      res.writeHead(204);
      res.end();
      return;
    }
    if (!file) return sendText(res, 404, 'Not found.');
    res.writeHead(200, { 'Content-Type': file.contentType, 'Content-Length': file.size });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    await pipeline(createReadStream(file.file), res).catch((e: unknown) => {
      // The browser going away mid-file (a reload) is normal, not a server failure.
      if ((e as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw e;
    });
  }

  function openLaunchCode(req: IncomingMessage, res: ServerResponse, code: string): void {
    if (req.method !== 'GET') {
      // Only a browser's navigation spends a code; a HEAD from some link checker must not.
      res.setHeader('Allow', 'GET');
      return sendText(res, 405, 'Method not allowed.');
    }
    const created = launchCodes.get(code);
    launchCodes.delete(code);
    if (created === undefined || now() - created >= LAUNCH_CODE_TTL_MS) return sendText(res, 410, LAUNCH_GONE);
    // Relative, so the page lands on whichever of 127.0.0.1 and localhost the browser used.
    res.writeHead(303, { Location: `/?token=${token}`, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'Content-Length': 0 });
    res.end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: opts.port ?? 0, host: '127.0.0.1', exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', onError);
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    createLaunchUrl() {
      const at = now();
      // Codes nobody used would otherwise pile up for as long as the server runs.
      for (const [old, created] of launchCodes) if (at - created >= LAUNCH_CODE_TTL_MS) launchCodes.delete(old);
      const code = randomBytes(32).toString('base64url');
      launchCodes.set(code, at);
      return `${origin}${LAUNCH_PREFIX}${code}`;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        cut.unref();
        server.close(() => {
          clearTimeout(cut);
          resolve();
        });
        server.closeIdleConnections();
        // The feed's streams are never idle; the pages reconnect to the next server.
        for (const stream of streams) stream.end();
      });
      return closing;
    },
  };
}

function sendJson(res: ServerResponse, reply: ApiReply): void {
  const body = serializeResponse(reply.body);
  if (reply.closeConnection) res.setHeader('Connection', 'close');
  res.writeHead(reply.status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function sendText(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(message) });
  res.end(message);
}
