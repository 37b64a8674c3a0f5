import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import { launchBrowser, skipBrowserTests, startApp, type App } from './harness';
import { rawRequest, type Reply, type RequestOptions } from '../support/http';

// Browser mode's defences against the real server and store. Node's fetch cannot set Host, so
// crafted requests go through http.request.

let app: App;

function send(opts: RequestOptions = {}): Promise<Reply> {
  return rawRequest(app.server.port, opts);
}

/** `POST /api/<method>` with everything right; `headers` override. */
function call(method: string, input: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return send({
    method: 'POST',
    path: `/api/${method}`,
    headers: { 'Content-Type': 'application/json', 'X-Gloss-Token': app.server.token, Origin: app.server.origin, ...headers },
    body: JSON.stringify(input),
  });
}

beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.close();
});

describe('browser mode: the API only answers Gloss’s own page', () => {
  it('answers a correct call with project.info', async () => {
    const r = await call('project.info', {});
    expect(r.status).toBe(200);
    const body = JSON.parse(r.body);
    expect(body.ok).toBe(true);
    expect(body.result).toMatchObject({ location: app.projectDir, coder: { name: 'E2E Coder' } });
  });

  it('refuses a call without the token (401, no details)', async () => {
    const r = await send({ method: 'POST', path: '/api/project.info', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(r.status).toBe(401);
    expect(r.body).not.toContain(app.projectDir);
    expect(r.body).not.toContain(app.server.token);
  });

  it('refuses a wrong token', async () => {
    expect((await call('project.info', {}, { 'X-Gloss-Token': 'A'.repeat(43) })).status).toBe(401);
  });

  it('refuses a foreign Origin even with the token', async () => {
    expect((await call('project.info', {}, { Origin: 'http://evil.example' })).status).toBe(403);
  });

  it('refuses a foreign Host (DNS rebinding) even with the token, on the API and static files', async () => {
    for (const host of [`evil.example:${app.server.port}`, `attacker.test:${app.server.port}`, 'attacker.test']) {
      const api = await call('project.info', {}, { Host: host, Origin: `http://${host}` });
      expect(api.status).toBe(421);
      expect(api.body).not.toContain('"ok":true');
      const page = await send({ path: '/', headers: { Host: host } });
      expect(page.status).toBe(421);
      expect(page.body).not.toContain('<html');
    }
  });

  it('answers invalid input with 400 and a clear message', async () => {
    const r = await call('annotations.create', { documentId: 'x', start: 5, end: 2, codeIds: [] });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toEqual({ ok: false, error: { code: 'invalid_input', message: 'annotations.create: end: end must be greater than start' } });
  });

  it('does not serve files outside the UI', async () => {
    for (const p of ['/../package.json', '/%2e%2e/package.json', '/%2e%2e%2fpackage.json', '/..%2f..%2fpackage.json', '/.%2e/corpus/dilemma-of-leaving-family.md']) {
      const r = await send({ path: p });
      expect([403, 404]).toContain(r.status);
      expect(r.body).not.toContain('"name": "gloss"');
    }
  });

  it('puts the CSP on every response', async () => {
    const replies = await Promise.all([
      send({ path: '/' }),
      send({ path: '/app.js' }),
      send({ path: '/nope' }),
      call('project.info', {}),
      call('project.info', {}, { 'X-Gloss-Token': 'wrong-wrong-wrong' }),
      send({ path: '/', headers: { Host: 'attacker.test' } }),
    ]);
    expect(replies.map((r) => r.status)).toEqual([200, 200, 404, 200, 401, 421]);
    for (const r of replies) expect(r.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  });
});

describe.skipIf(skipBrowserTests)('browser mode in Chromium', () => {
  it('loads the printed address, hides the token, and talks to the API under the CSP', async () => {
    const ui = await launchBrowser();
    try {
      const apiOk = ui.page.waitForResponse((r) => new URL(r.url()).pathname.startsWith('/api/') && r.status() === 200);
      const doc = await ui.page.goto(app.url);
      expect(doc!.status()).toBe(200);
      expect(doc!.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      await apiOk;
      await ui.page.waitForURL((u) => !u.search.includes('token'));
      expect(ui.page.url()).toBe(`${app.server.origin}/`);
      expect(await ui.page.title()).toContain('Gloss');

      // After a reload the address has no token; the tab's sessionStorage still does.
      const apiOkAgain = ui.page.waitForResponse((r) => new URL(r.url()).pathname.startsWith('/api/') && r.status() === 200);
      await ui.page.reload();
      await apiOkAgain;

      expect(await ui.page.evaluate(() => sessionStorage.getItem('gloss.token'))).toBe(app.server.token);
      expect(ui.consoleErrors.filter((m) => /Content Security Policy|Refused to/i.test(m))).toEqual([]);
      expect(ui.consoleErrors).toEqual([]);
    } finally {
      await ui.close();
    }
  });

  it('a tab opened without the token gets no data', async () => {
    const ui = await launchBrowser();
    try {
      const refused = ui.page.waitForResponse((r) => new URL(r.url()).pathname.startsWith('/api/'));
      await ui.page.goto(`${app.server.origin}/`);
      expect((await refused).status()).toBe(401);
    } finally {
      await ui.close();
    }
  });

  it('refuses a rebinding name that resolves to 127.0.0.1', async () => {
    const ui = await launchBrowser({ args: ['--host-resolver-rules=MAP attacker.test 127.0.0.1'] });
    try {
      const res = await ui.page.goto(`http://attacker.test:${app.server.port}/?token=${app.server.token}`);
      expect(res!.status()).toBe(421);
      expect(await ui.page.content()).not.toContain('id="root"');
    } finally {
      await ui.close();
    }
  });

  it('does not let a page from another origin use the API, even knowing the token', async () => {
    const before = (await call('documents.list', {})).body;
    const evil = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<!doctype html><title>evil</title>');
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    const ui = await launchBrowser();
    try {
      await ui.page.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
      const outcome = await ui.page.evaluate(
        async ({ origin, token, documentId }) => {
          const results: string[] = [];
          const body = JSON.stringify({ documentId, start: 0, end: 5, codeIds: [] });
          try {
            const r = await fetch(`${origin}/api/annotations.create`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Gloss-Token': token }, body });
            results.push(`cors:${r.status}`);
          } catch {
            results.push('cors:blocked');
          }
          // A "simple" request needs no preflight, so it reaches the server and must be refused
          // there; Cross-Origin-Resource-Policy then hides even the opaque response.
          try {
            const r = await fetch(`${origin}/api/annotations.create`, { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': 'text/plain' }, body });
            results.push(`no-cors:${r.type}`);
          } catch {
            results.push('no-cors:blocked');
          }
          return results;
        },
        { origin: app.server.origin, token: app.server.token, documentId: JSON.parse(before).result[0].id },
      );
      expect(outcome).toEqual(['cors:blocked', 'no-cors:blocked']);
      expect((await call('documents.list', {})).body).toBe(before);
    } finally {
      await ui.close();
      await new Promise((resolve) => evil.close(resolve));
    }
  });
});
