import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { SECURITY_HEADERS } from '../../shared/csp';
import { contentTypeFor } from '../core/static-files';
import { APP_SCHEME, resolveAppFile } from './app-url';

/**
 * The `app://gloss/` scheme that serves the built UI. A standard, secure scheme gives the page a
 * real origin (so `'self'` in the CSP means something and `fetch` works) without `file://`, whose
 * pages can read any local file.
 */

/** Must run before the app is ready: privileges can only be granted at startup. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

function refuse(status: number, message: string): Response {
  return new Response(message, { status, headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' } });
}

/**
 * Serves files from `rendererDir` (and nothing else) on the app scheme of the default session,
 * each with the security headers (shared/csp.ts). Call once the app is ready.
 */
export function serveApp(rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'Method not allowed');
    const file = resolveAppFile(request.url, rendererDir);
    if (file === null) return refuse(404, 'Not found');
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      return refuse(404, 'Not found');
    }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: { ...SECURITY_HEADERS, 'Content-Type': contentTypeFor(file), 'Cache-Control': 'no-cache' },
    });
  });
}
