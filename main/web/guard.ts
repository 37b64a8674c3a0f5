import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * Who may talk to the browser-mode server. The server listens on 127.0.0.1 only, but any web
 * page the user visits can still make the browser send requests to it, so every request must
 * prove it comes from Gloss's own page:
 *
 * - the Host header names this server (defeats DNS rebinding, where a foreign name resolves to
 *   127.0.0.1 and the page becomes "same-origin" with us);
 * - the Origin header, when the browser sends one, is this server (defeats cross-site requests);
 * - `Sec-Fetch-Site`, when present, is not cross-site;
 * - API calls carry the secret token the CLI printed (defeats everything that cannot read our
 *   page: other local users' browsers, other local programs' pages, stale tabs).
 */

/** The header API calls carry the token in. */
export const TOKEN_HEADER = 'x-gloss-token';

/** A refused request: the HTTP status and a short reason that gives nothing away. */
export interface Refusal {
  status: number;
  message: string;
}

/** The names this server answers to, for a given port. */
export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

/** The origins Gloss's own page can have, for a given port. */
export function allowedOrigins(port: number): string[] {
  return allowedHosts(port).map((h) => `http://${h}`);
}

/**
 * Checks Host, Origin and Sec-Fetch-Site. Applies to every request, static files included: a
 * rebinding page must not even be able to read our HTML. `api` tightens the fetch-metadata check
 * (another port on localhost is "same-site" but is not us).
 */
export function checkRequestSource(req: IncomingMessage, port: number, api: boolean): Refusal | null {
  const host = req.headers.host?.toLowerCase();
  if (!host || !allowedHosts(port).includes(host)) return { status: 421, message: 'This server only answers to 127.0.0.1 and localhost.' };

  const origin = req.headers.origin;
  if (origin !== undefined && !allowedOrigins(port).includes(origin.toLowerCase())) {
    return { status: 403, message: 'Requests from other sites are refused.' };
  }

  const site = header(req, 'sec-fetch-site')?.toLowerCase();
  if (site === 'cross-site' || (api && site !== undefined && site !== 'same-origin' && site !== 'none')) {
    return { status: 403, message: 'Requests from other sites are refused.' };
  }
  return null;
}

/** Compares the request's token with the expected one in constant time. */
export function hasValidToken(req: IncomingMessage, expected: string): boolean {
  const given = header(req, TOKEN_HEADER);
  if (given === undefined) return false;
  // Hashing first gives equal-length inputs, so neither the comparison nor the length check leaks
  // how much of the token was right.
  return timingSafeEqual(digest(given), digest(expected));
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}
