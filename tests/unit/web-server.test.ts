import http from 'node:http';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, type ApiHandlers, type CallContext } from '../../shared/api';
import type { ChangeEvent } from '../../shared/changes';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import type { GlossCore } from '../../main/core/core';
import { MAX_BODY_BYTES, MAX_ERROR_MESSAGE_LENGTH, nestedDeeperThan, serializeResponse, shortenMessage } from '../../main/web/api-route';
import { LAUNCH_CODE_TTL_MS, startWebServer, type WebServer } from '../../main/web/server';
import { rawRequest, type Reply, type RequestOptions } from '../support/http';
import { fakeProjectInfo } from '../support/project';
import { CSV_DOWNLOAD_PATH } from '../../shared/csv-export';

// The browser-mode server against a fake core: routing, guards, status mapping and static files,
// without the real store.

const TOKEN = 'unit-test-token-0123456789abcdef';
const PROJECT = fakeProjectInfo(3);

/** Inputs that reached the fake core's `annotations.create`, after validation. */
const created: unknown[] = [];
/** The call contexts the fake core's `history.get` was given. */
const contexts: CallContext[] = [];

const changeEvent = (revision: number): ChangeEvent => ({ revision, origin: null, label: `change ${revision}`, changes: [] });

/** The fake core's change feed: what `changes.since` answers, and the live subscribers. */
const feed = {
  kept: [changeEvent(2), changeEvent(3)],
  /** Revisions at or before this are no longer kept: asking from one of them is a reset. */
  forgotten: 0,
  listeners: new Set<(event: ChangeEvent) => void>(),
  publish(event: ChangeEvent): void {
    this.kept.push(event);
    for (const l of [...this.listeners]) l(event);
  },
};

function fakeCore(): GlossCore {
  const handlers: Partial<Record<keyof ApiHandlers, (input: never, context: CallContext) => Promise<unknown>>> = {
    'project.info': async () => PROJECT,
    'history.get': async (_input, context) => {
      contexts.push(context);
      return { undo: null, redo: null };
    },
    'annotations.setMemo': async () => {
      throw new ApiError('conflict', 'The memo was changed in another window.', { memo: 'theirs' });
    },
    'changes.since': async ({ revision }: { revision: number }) => {
      const latest = feed.kept.at(-1)?.revision ?? 0;
      if (revision < feed.forgotten) return { revision: latest, reset: true };
      return { revision: latest, events: feed.kept.filter((e) => e.revision > revision) };
    },
    'annotations.create': async (input) => {
      created.push(input);
      return {};
    },
    'documents.get': async () => {
      throw new ApiError('not_found', 'No document "x".');
    },
    'documents.prepareImport': async (input: { content: string }) => ({ token: '00000000-0000-4000-8000-000000000001', title: 'big', format: 'txt', characters: input.content.length, notes: [], duplicateOf: null }),
    'annotations.delete': async () => {
      throw new ApiError('store_refused', 'The file was refused on read.');
    },
    'codebook.get': async () => {
      throw new Error('disk on fire');
    },
    // JSON.stringify cannot write a BigInt: a failure after dispatch, inside the server.
    'documents.list': async () => [{ n: 1n }],
  };
  return {
    handlers: handlers as unknown as ApiHandlers,
    subscribe: (listener) => {
      feed.listeners.add(listener);
      return () => feed.listeners.delete(listener);
    },
    loaded: async () => undefined,
    flush: async () => undefined,
    close: async () => undefined,
    exportCsv: (out, opts) => exportCsv(out, opts),
  };
}

/** What the fake core's CSV export does; each test of the download route sets it. */
let exportCsv: GlossCore['exportCsv'] = async () => ({ rows: 0 });

let server: WebServer;
let staticDir: string;
let tmp: string;
const serverErrors: unknown[] = [];

function send(opts: RequestOptions = {}): Promise<Reply> {
  return rawRequest(server.port, opts);
}

/** A well-formed API call; `headers` override or add. */
function call(method: string, input: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return send({
    method: 'POST',
    path: `/api/${method}`,
    headers: { 'Content-Type': 'application/json', 'X-Gloss-Token': TOKEN, ...headers },
    body: JSON.stringify(input),
  });
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'gloss-web-unit-'));
  staticDir = path.join(tmp, 'renderer');
  await mkdir(path.join(staticDir, 'sub'), { recursive: true });
  await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>Gloss</title>');
  await writeFile(path.join(staticDir, 'app.js'), 'console.log(1);');
  await writeFile(path.join(staticDir, 'styles.css'), 'body{}');
  await writeFile(path.join(staticDir, 'sub', 'x.json'), '{}');
  await writeFile(path.join(staticDir, '.env'), 'SECRET=1');
  await writeFile(path.join(tmp, 'secret.txt'), 'outside');
  await symlink(path.join(tmp, 'secret.txt'), path.join(staticDir, 'escape.txt'));
  server = await startWebServer({ core: fakeCore(), staticDir, token: TOKEN, onError: (e) => serverErrors.push(e) });
});

afterAll(async () => {
  await server?.close();
  await rm(tmp, { recursive: true, force: true });
});

describe('web server: startup', () => {
  it('listens on 127.0.0.1 and prints an address carrying the token', () => {
    expect(server.origin).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${TOKEN}`);
    expect(server.port).toBeGreaterThan(0);
  });

  it('makes a 32-byte base64url token by default', async () => {
    const other = await startWebServer({ core: fakeCore(), staticDir });
    try {
      expect(other.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(other.token).not.toBe(TOKEN);
    } finally {
      await other.close();
    }
  });

  it('refuses a weak token', async () => {
    await expect(startWebServer({ core: fakeCore(), staticDir, token: 'short' })).rejects.toThrow(/at least 16/);
  });

  it('fails with EADDRINUSE when the port is taken', async () => {
    await expect(startWebServer({ core: fakeCore(), staticDir, port: server.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});

describe('web server: API', () => {
  it('answers a valid call with 200 and the ApiResponse', async () => {
    const r = await call('project.info', {});
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(r.body)).toEqual({ ok: true, result: PROJECT });
  });

  it('treats an empty body as no input', async () => {
    const r = await send({ method: 'POST', path: '/api/project.info', headers: { 'Content-Type': 'application/json', 'X-Gloss-Token': TOKEN } });
    expect(r.status).toBe(200);
  });

  it.each([
    ['documents.get', { documentId: 'x' }, 404, 'not_found'],
    ['annotations.delete', { documentId: 'x', id: '6f1c2f5e-8a7b-4c3d-9e0f-112233445566' }, 409, 'store_refused'],
    ['annotations.setMemo', { documentId: 'x', id: '6f1c2f5e-8a7b-4c3d-9e0f-112233445566', memo: 'mine', base: '' }, 409, 'conflict'],
    ['codebook.get', {}, 500, 'internal'],
    ['no.such.method', {}, 400, 'unknown_method'],
    ['documents.get', {}, 400, 'invalid_input'],
  ])('maps %s failures to HTTP status (%#)', async (method, input, status, code) => {
    const r = await call(method, input);
    expect(r.status).toBe(status);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code } });
  });

  it('passes on what a conflict carries, so the page can show both texts', async () => {
    const r = await call('annotations.setMemo', { documentId: 'x', id: '6f1c2f5e-8a7b-4c3d-9e0f-112233445566', memo: 'mine', base: '' });
    expect(JSON.parse(r.body)).toEqual({ ok: false, error: { code: 'conflict', message: 'The memo was changed in another window.', details: { memo: 'theirs' } } });
  });

  it('calls the core for the tab named by X-Gloss-Client, and for an unnamed tab otherwise', async () => {
    contexts.length = 0;
    await call('history.get', {}, { 'X-Gloss-Client': 'b4d6e1a0-0c8f-4c55-9a57-1f0e2d3c4b5a' });
    await call('history.get', {}, { 'X-Gloss-Client': 'a-second-tab' });
    await call('history.get', {});
    // A malformed id selects no one's history.
    await call('history.get', {}, { 'X-Gloss-Client': 'bad id!' });
    await call('history.get', {}, { 'X-Gloss-Client': 'short' });
    expect(contexts).toEqual([
      { client: 'tab-b4d6e1a0-0c8f-4c55-9a57-1f0e2d3c4b5a' },
      { client: 'tab-a-second-tab' },
      { client: 'tab-unnamed' },
      { client: 'tab-unnamed' },
      { client: 'tab-unnamed' },
    ]);
  });

  it('explains invalid input', async () => {
    const r = await call('documents.get', {});
    expect(JSON.parse(r.body).error.message).toMatch(/documents\.get: documentId/);
  });

  it('answers 400 with a clear message for a body that is not JSON', async () => {
    const r = await send({ method: 'POST', path: '/api/project.info', headers: { 'Content-Type': 'application/json', 'X-Gloss-Token': TOKEN }, body: '{nope' });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).error.message).toMatch(/not valid JSON/);
  });

  const jsonPost = (method: string, body: string | Buffer): Promise<Reply> =>
    send({ method: 'POST', path: `/api/${method}`, headers: { 'Content-Type': 'application/json', 'X-Gloss-Token': TOKEN }, body });

  it.each([
    ['a byte that never starts a character', [0xff]],
    ['a character cut short', [0xe2, 0x82]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['an overlong encoding', [0xc0, 0xaf]],
  ])('refuses a body that is not UTF-8 (%s) with 400, before any handler sees it', async (_what, bytes) => {
    created.length = 0;
    const body = Buffer.concat([
      Buffer.from('{"documentId":"d1","start":0,"end":1,"codeIds":[],"memo":"note '),
      Buffer.from(bytes),
      Buffer.from('"}'),
    ]);
    const r = await jsonPost('annotations.create', body);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toEqual({ ok: false, error: { code: 'invalid_input', message: 'The request body is not valid UTF-8.' } });
    expect(created).toEqual([]);
  });

  it('passes on text in any script, astral characters included', async () => {
    created.length = 0;
    const memo = 'é 漢字 😀 \u{10FFFF}';
    const r = await jsonPost('annotations.create', JSON.stringify({ documentId: 'd1', start: 0, end: 1, codeIds: [], memo }));
    expect(r.status).toBe(200);
    expect(created).toEqual([{ documentId: 'd1', start: 0, end: 1, codeIds: [], memo }]);
  });

  it('refuses JSON nested deeper than 64 levels with 400', async () => {
    const r = await jsonPost('project.info', `{"a":${'['.repeat(64)}${']'.repeat(64)}}`);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toEqual({ ok: false, error: { code: 'invalid_input', message: 'The request body is nested deeper than 64 levels.' } });
  });

  it('lets 64 levels through to validation, and does not count brackets inside strings', async () => {
    const flat = await jsonPost('project.info', `${'['.repeat(64)}${']'.repeat(64)}`);
    expect(flat.status).toBe(400);
    expect(JSON.parse(flat.body).error.message).not.toMatch(/nested/);

    created.length = 0;
    const memo = `"${'['.repeat(100)}\\${'{'.repeat(100)}\\"${'['.repeat(100)}`;
    const r = await jsonPost('annotations.create', JSON.stringify({ documentId: 'd1', start: 0, end: 1, codeIds: [], memo }));
    expect(r.status).toBe(200);
    expect(created).toEqual([{ documentId: 'd1', start: 0, end: 1, codeIds: [], memo }]);
  });

  it('answers 415 to another content type', async () => {
    const r = await call('project.info', {}, { 'Content-Type': 'text/plain' });
    expect(r.status).toBe(415);
  });

  it('accepts a charset parameter on the content type', async () => {
    const r = await call('project.info', {}, { 'Content-Type': 'application/json; charset=utf-8' });
    expect(r.status).toBe(200);
  });

  it('answers 405 to GET on the API', async () => {
    for (const p of ['/api', '/api/project.info']) {
      const r = await send({ path: p, headers: { 'X-Gloss-Token': TOKEN } });
      expect(r.status).toBe(405);
      expect(r.headers['allow']).toBe('POST');
    }
  });

  it('answers 413 to a declared body over the limit without reading it', async () => {
    const r = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: server.port,
          method: 'POST',
          path: '/api/project.info',
          agent: false,
          headers: { 'Content-Type': 'application/json', 'X-Gloss-Token': TOKEN, 'Content-Length': String(MAX_BODY_BYTES + 1) },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
          req.destroy();
        },
      );
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(r).toBe(413);
  });

  it('answers 413 to a streamed body that grows over the limit', async () => {
    const body = Buffer.alloc(MAX_BODY_BYTES + 1, 0x20);
    const r = await send({ method: 'POST', path: '/api/project.info', headers: { 'Content-Type': 'application/json', 'X-Gloss-Token': TOKEN, 'Transfer-Encoding': 'chunked' }, body });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body).error.message).toMatch(/larger than 16 MiB/);
  });

  it('takes a file to import larger than other calls may be, up to the importers’ limit', async () => {
    const content = Buffer.alloc(20 * 1024 * 1024, 0x61).toString('base64');
    const ok = await call('documents.prepareImport', { requestId: '00000000-0000-4000-8000-000000000002', fileName: 'big.txt', content });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).result.characters).toBe(content.length);
    // Any other method keeps the small limit.
    const other = await send({ method: 'POST', path: '/api/project.info', headers: { 'Content-Type': 'application/json', 'X-Gloss-Token': TOKEN }, body: JSON.stringify({ content }) });
    expect(other.status).toBe(413);
  }, 30_000);

  it('survives a failure inside the server and keeps serving', async () => {
    const before = serverErrors.length;
    const r = await call('documents.list', {});
    expect(r.status).toBe(500);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(serverErrors.length).toBe(before + 1);
    expect((await call('project.info', {})).status).toBe(200);
  });
});

describe('web server: CSV download', () => {
  const download = (input: unknown, headers: Record<string, string> = {}): Promise<Reply> =>
    send({ method: 'POST', path: CSV_DOWNLOAD_PATH, headers: { 'Content-Type': 'application/json', 'X-Gloss-Token': TOKEN, ...headers }, body: JSON.stringify(input) });

  it('streams the export as an attachment, with the options asked for', async () => {
    const asked: unknown[] = [];
    exportCsv = async (out, opts) => {
      asked.push(opts);
      out.write(Buffer.from('\ufeffdocument_id\r\n'));
      out.write(Buffer.from('x'.repeat(3 * 1024 * 1024)));
      out.end();
      return { rows: 1 };
    };
    const reply = await download({ bom: true });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(reply.headers['content-disposition']).toBe('attachment; filename="coded-passages.csv"');
    expect(reply.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(reply.headers['transfer-encoding']).toBe('chunked');
    expect(reply.body.startsWith('\ufeffdocument_id\r\n')).toBe(true);
    expect(reply.body.length).toBe('\ufeffdocument_id\r\n'.length + 3 * 1024 * 1024);
    expect(asked).toEqual([{ bom: true }]);
  });

  it('needs the token like any API call', async () => {
    exportCsv = async () => {
      throw new Error('must not run');
    };
    const reply = await download({ bom: false }, { 'X-Gloss-Token': 'wrong-token-0123456789abcdef' });
    expect(reply.status).toBe(401);
    expect(reply.body).not.toContain('document_id');
  });

  it.each([
    [{ bom: 'yes' }, /bom/],
    [{ bom: true, path: '/etc/passwd' }, /path|Unrecognized/i],
    [[], /expected object|input/i],
  ])('refuses the request %j with 400 and says why', async (input, message) => {
    exportCsv = async () => {
      throw new Error('must not run');
    };
    const reply = await download(input);
    expect(reply.status).toBe(400);
    const body = JSON.parse(reply.body) as { ok: boolean; error: { code: string; message: string } };
    expect(body.ok).toBe(false);
    expect(body.error.code).toBe('invalid_input');
    expect(body.error.message).toMatch(message);
  });

  it('answers a refusal before any CSV was sent as an API failure the page can show', async () => {
    exportCsv = async () => {
      throw new ApiError('store_refused', 'annotations/d1.json is damaged. Gloss left it untouched.');
    };
    const reply = await download({ bom: false });
    expect(reply.status).toBe(409);
    expect(reply.headers['content-disposition']).toBeUndefined();
    expect(JSON.parse(reply.body)).toEqual({ ok: false, error: { code: 'store_refused', message: 'annotations/d1.json is damaged. Gloss left it untouched.' } });
  });

  it('refuses a request body that is not UTF-8 with 400', async () => {
    exportCsv = async () => {
      throw new Error('must not run');
    };
    const reply = await send({
      method: 'POST',
      path: CSV_DOWNLOAD_PATH,
      headers: { 'Content-Type': 'application/json', 'X-Gloss-Token': TOKEN },
      body: Buffer.concat([Buffer.from('{"bom":true,"note":"'), Buffer.from([0xfe, 0xff]), Buffer.from('"}')]),
    });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body)).toEqual({ ok: false, error: { code: 'invalid_input', message: 'The request body is not valid UTF-8.' } });
  });

  it('shortens a huge error message from the core to 2 KB', async () => {
    exportCsv = async () => {
      throw new ApiError('store_refused', `annotations/d1.json is damaged: ${'x'.repeat(1024 * 1024)}`);
    };
    const reply = await download({ bom: false });
    expect(reply.status).toBe(409);
    expect(Buffer.byteLength(reply.body)).toBeLessThan(4096);
    const message = (JSON.parse(reply.body) as { error: { message: string } }).error.message;
    expect(message).toHaveLength(2048);
    expect(message).toMatch(/^annotations\/d1\.json is damaged: x+… \(message shortened\)$/);
  });

  it('cuts the connection when the export fails after the CSV started, so no short file looks whole', async () => {
    exportCsv = async (out) => {
      await new Promise<void>((resolve) => out.write(Buffer.from('x'.repeat(64 * 1024)), () => resolve()));
      throw new ApiError('store_refused', 'annotations/d9.json is damaged.');
    };
    const outcome = await new Promise<string>((resolve) => {
      const req = http.request(
        { host: '127.0.0.1', port: server.port, method: 'POST', path: CSV_DOWNLOAD_PATH, agent: false, headers: { Host: `127.0.0.1:${server.port}`, 'Content-Type': 'application/json', 'X-Gloss-Token': TOKEN } },
        (res) => {
          res.on('data', () => undefined);
          res.on('end', () => resolve(`complete ${res.statusCode}`));
          res.on('error', (e) => resolve(`cut: ${e.message}`));
          res.on('aborted', () => resolve('cut: aborted'));
        },
      );
      req.on('error', (e) => resolve(`cut: ${e.message}`));
      req.end(JSON.stringify({ bom: false }));
    });
    expect(outcome).toMatch(/^cut: /);
  });
});

/** An open `POST /api/events` stream: what it has sent so far, and a way to wait for more. */
function openEvents(query: string, headers: Record<string, string> = {}) {
  let text = '';
  let status = 0;
  let ended = false;
  const waiting = new Set<() => void>();
  const req = http.request({
    host: '127.0.0.1',
    port: server.port,
    method: 'POST',
    path: `/api/events${query}`,
    agent: false,
    headers: { Host: `127.0.0.1:${server.port}`, 'Content-Type': 'application/json', 'X-Gloss-Token': TOKEN, ...headers },
  });
  const changed = (): void => {
    for (const w of [...waiting]) w();
  };
  const response = new Promise<http.IncomingMessage>((resolve, reject) => {
    req.on('response', (res) => {
      status = res.statusCode!;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        changed();
      });
      res.on('end', () => {
        ended = true;
        changed();
      });
      resolve(res);
    });
    req.on('error', reject);
  });
  req.end('{}');
  return {
    response,
    get status() {
      return status;
    },
    get text() {
      return text;
    },
    get ended() {
      return ended;
    },
    /** Resolves once what was sent satisfies `test`. */
    until(test: (text: string) => boolean): Promise<void> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`stream stalled with: ${JSON.stringify(text)}`)), 5000);
        const check = (): void => {
          if (!test(text)) return;
          clearTimeout(timer);
          waiting.delete(check);
          resolve();
        };
        waiting.add(check);
        check();
      });
    },
    close(): void {
      req.destroy();
    },
  };
}

/** The events of an SSE text, as `{ id, event, data }`. */
function sseEvents(text: string): { id?: string; event?: string; data?: unknown }[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '' && !block.startsWith(':'))
    .map((block) => {
      const out: { id?: string; event?: string; data?: unknown } = {};
      for (const line of block.split('\n')) {
        const at = line.indexOf(': ');
        const [key, value] = [line.slice(0, at), line.slice(at + 2)];
        if (key === 'id' || key === 'event') out[key] = value;
        if (key === 'data') out.data = JSON.parse(value);
      }
      return out;
    });
}

describe('web server: change feed', () => {
  it('streams the events after `since`, then each new one as it is committed, once each', async () => {
    const stream = openEvents('?since=2');
    const res = await stream.response;
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    await stream.until((t) => sseEvents(t).length === 1);
    expect(sseEvents(stream.text)).toEqual([{ id: '3', data: changeEvent(3) }]);
    feed.publish(changeEvent(4));
    await stream.until((t) => sseEvents(t).length === 2);
    expect(sseEvents(stream.text)[1]).toEqual({ id: '4', data: changeEvent(4) });
    stream.close();
    // A page that went away is no longer a subscriber.
    await expect.poll(() => feed.listeners.size).toBe(0);
  });

  it('says reset when the events asked for are no longer kept', async () => {
    feed.forgotten = 2;
    try {
      const latest = feed.kept.at(-1)!.revision;
      const stream = openEvents('?since=1');
      await stream.until((t) => sseEvents(t).length === 1);
      expect(sseEvents(stream.text)).toEqual([{ event: 'reset', data: { revision: latest } }]);
      // Events the reload will read anyway are not sent again; new ones are.
      feed.publish(changeEvent(latest + 1));
      await stream.until((t) => sseEvents(t).length === 2);
      expect(sseEvents(stream.text)[1]).toEqual({ id: String(latest + 1), data: changeEvent(latest + 1) });
      stream.close();
    } finally {
      feed.forgotten = 0;
    }
  });

  it.each(['?since=-1', '?since=abc', '?since=1.5', '?since=1e400'])('refuses the stream with 400 for %j', async (query) => {
    const r = await send({ method: 'POST', path: `/api/events${query}`, headers: { 'Content-Type': 'application/json', 'X-Gloss-Token': TOKEN }, body: '{}' });
    expect(r.status).toBe(400);
    expect(r.body).toMatch(/since must be a revision number/);
  });

  it('needs the token like any API call', async () => {
    const r = await send({ method: 'POST', path: '/api/events?since=0', headers: { 'Content-Type': 'application/json', 'X-Gloss-Token': 'wrong-token-0123456789abcdef' }, body: '{}' });
    expect(r.status).toBe(401);
    expect(r.body).toBe('Unauthorized.');
  });

  it('ends its streams when the server closes', async () => {
    const own = await startWebServer({ core: fakeCore(), staticDir, token: TOKEN });
    const saved = server;
    server = own;
    try {
      const stream = openEvents('?since=0');
      await stream.until((t) => sseEvents(t).length > 0);
      await own.close();
      await stream.until(() => stream.ended);
      expect(stream.ended).toBe(true);
    } finally {
      server = saved;
    }
  });
});

describe('web server: who may call', () => {
  it('refuses a call without the token with a bare 401', async () => {
    const r = await send({ method: 'POST', path: '/api/project.info', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(r.status).toBe(401);
    expect(r.body).toBe('Unauthorized.');
  });

  it('refuses a wrong token, including one of the right length and an empty one', async () => {
    for (const wrong of ['nope', TOKEN.slice(0, -1) + 'X', '', `${TOKEN}, ${TOKEN}`]) {
      expect((await call('project.info', {}, { 'X-Gloss-Token': wrong })).status).toBe(401);
    }
  });

  it('refuses foreign Host headers, on the API and on static files', async () => {
    for (const host of ['evil.example', `evil.example:${server.port}`, `attacker.test:${server.port}`, `127.0.0.1:${server.port + 1}`, `127.0.0.1`, `[::1]:${server.port}`]) {
      expect((await call('project.info', {}, { Host: host })).status).toBe(421);
      expect((await send({ path: '/', headers: { Host: host } })).status).toBe(421);
    }
  });

  it('refuses a request without a Host header', async () => {
    expect((await send({ path: '/', noHost: true })).status).toBeGreaterThanOrEqual(400);
  });

  it('accepts localhost as well as 127.0.0.1', async () => {
    const r = await call('project.info', {}, { Host: `localhost:${server.port}`, Origin: `http://localhost:${server.port}` });
    expect(r.status).toBe(200);
  });

  it('refuses a foreign or opaque Origin even with the token', async () => {
    for (const origin of ['http://evil.example', 'null', `https://127.0.0.1:${server.port}`, `http://127.0.0.1:${server.port + 1}`]) {
      expect((await call('project.info', {}, { Origin: origin })).status).toBe(403);
    }
  });

  it('accepts its own Origin', async () => {
    expect((await call('project.info', {}, { Origin: server.origin })).status).toBe(200);
  });

  it('refuses cross-site fetches, and same-site ones on the API', async () => {
    expect((await call('project.info', {}, { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    expect((await call('project.info', {}, { 'Sec-Fetch-Site': 'same-site' })).status).toBe(403);
    expect((await send({ path: '/', headers: { 'Sec-Fetch-Site': 'cross-site' } })).status).toBe(403);
    expect((await call('project.info', {}, { 'Sec-Fetch-Site': 'same-origin' })).status).toBe(200);
    expect((await send({ path: '/', headers: { 'Sec-Fetch-Site': 'none' } })).status).toBe(200);
  });
});

describe('web server: static files', () => {
  it('serves index.html at / with its content type', async () => {
    const r = await send({ path: '/?token=abc' });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.body).toContain('<title>Gloss</title>');
  });

  it.each([
    ['/app.js', 'text/javascript; charset=utf-8'],
    ['/styles.css', 'text/css; charset=utf-8'],
    ['/sub/x.json', 'application/json; charset=utf-8'],
  ])('serves %s as %s', async (p, type) => {
    const r = await send({ path: p });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe(type);
  });

  it('answers HEAD with headers only', async () => {
    const r = await send({ method: 'HEAD', path: '/app.js' });
    expect(r.status).toBe(200);
    expect(r.headers['content-length']).toBe(String('console.log(1);'.length));
    expect(r.body).toBe('');
  });

  it('answers a missing favicon with 204, not a console-cluttering 404', async () => {
    const r = await send({ path: '/favicon.ico' });
    expect(r.status).toBe(204);
    expect(r.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  });

  it('answers 405 to other methods', async () => {
    const r = await send({ method: 'POST', path: '/index.html' });
    expect(r.status).toBe(405);
    expect(r.headers['allow']).toBe('GET, HEAD');
  });

  it.each([
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/sub/..%2F..%2Fsecret.txt',
    '/..%5Csecret.txt',
    '/.env',
    '/%2eenv',
    '/escape.txt',
    '/sub/',
    '/sub',
    '//app.js',
    '/app.js%00',
    '/%E0%A4%A',
    '/missing.js',
  ])('refuses %s', async (p) => {
    const r = await send({ path: p });
    expect(r.status).toBe(404);
    expect(r.body).not.toContain('outside');
    expect(r.body).not.toContain('SECRET');
  });
});

describe('web server: headers', () => {
  it('puts the security headers on every response, whatever its status', async () => {
    const replies = await Promise.all([
      send({ path: '/' }),
      send({ path: '/missing' }),
      send({ path: '/', headers: { Host: 'evil.example' } }),
      call('project.info', {}),
      call('project.info', {}, { 'X-Gloss-Token': 'wrong' }),
      call('documents.get', {}),
    ]);
    expect(replies.map((r) => r.status)).toEqual([200, 404, 421, 200, 401, 400]);
    for (const r of replies) {
      expect(r.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      expect(r.headers).toMatchObject({
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-resource-policy': 'same-origin',
        'x-frame-options': 'DENY',
        'cache-control': 'no-store',
      });
      expect(r.headers['access-control-allow-origin']).toBeUndefined();
    }
  });
});

describe('web server: one-time launch address', () => {
  const visit = (url: string, headers: Record<string, string> = {}): Promise<Reply> => send({ path: new URL(url).pathname, headers });

  it('holds no token, and is new each time', () => {
    const a = server.createLaunchUrl();
    const b = server.createLaunchUrl();
    expect(a).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/open/[A-Za-z0-9_-]{43}$`));
    expect(a).not.toContain(TOKEN);
    expect(a).not.toContain('token');
    expect(b).not.toBe(a);
  });

  it('sends the first visit on to the page with the token, uncached and without a referrer', async () => {
    const r = await visit(server.createLaunchUrl());
    expect(r.status).toBe(303);
    expect(r.headers['location']).toBe(`/?token=${TOKEN}`);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);

    const target = new URL(r.headers['location']!, server.origin);
    expect(target.searchParams.get('token')).toBe(TOKEN);
    const page = await send({ path: `${target.pathname}${target.search}` });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Gloss</title>');
  });

  it('answers a second visit with 410 Gone and says what to do instead', async () => {
    const url = server.createLaunchUrl();
    expect((await visit(url)).status).toBe(303);
    const again = await visit(url);
    expect(again.status).toBe(410);
    expect(again.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(again.headers['location']).toBeUndefined();
    expect(again.body).toMatch(/already used or has expired/);
    expect(again.body).toMatch(/address printed in the terminal/);
    expect(again.body).not.toContain(TOKEN);
  });

  it.each(['/open/', '/open/nope', `/open/${'A'.repeat(43)}`, '/open/%2e%2e/index.html'])('answers the unknown code %s with 410', async (p) => {
    expect((await send({ path: p })).status).toBe(410);
  });

  it('expires a code after 60 seconds', async () => {
    expect(LAUNCH_CODE_TTL_MS).toBe(60_000);
    let clock = 1_000_000;
    const own = await startWebServer({ core: fakeCore(), staticDir, token: TOKEN, now: () => clock });
    try {
      const open = (url: string) => rawRequest(own.port, { path: new URL(url).pathname });
      const early = own.createLaunchUrl();
      const late = own.createLaunchUrl();
      clock += LAUNCH_CODE_TTL_MS - 1;
      expect((await open(early)).status).toBe(303);
      clock += 1;
      expect((await open(late)).status).toBe(410);
    } finally {
      await own.close();
    }
  });

  it('is guarded like every other address, and a refused visit does not spend the code', async () => {
    const url = server.createLaunchUrl();
    expect((await visit(url, { Host: 'evil.example' })).status).toBe(421);
    expect((await visit(url, { Host: `attacker.test:${server.port}` })).status).toBe(421);
    expect((await visit(url, { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    expect((await visit(url, { Origin: 'http://evil.example' })).status).toBe(403);
    expect((await send({ method: 'HEAD', path: new URL(url).pathname })).status).toBe(405);
    expect((await send({ method: 'POST', path: new URL(url).pathname })).status).toBe(405);
    const r = await visit(url, { 'Sec-Fetch-Site': 'none' });
    expect(r.status).toBe(303);
    expect(r.headers['location']).toBe(`/?token=${TOKEN}`);
  });
});

describe('web server: reply and body helpers', () => {
  it('leaves messages up to 2048 characters alone, and answers that are not failures', () => {
    const exact = 'm'.repeat(MAX_ERROR_MESSAGE_LENGTH);
    expect(shortenMessage(exact)).toBe(exact);
    expect(serializeResponse({ ok: true, result: 'r'.repeat(10_000) })).toBe(JSON.stringify({ ok: true, result: 'r'.repeat(10_000) }));
  });

  it('cuts a longer message to 2048 characters with a note, keeping the rest of the failure', () => {
    const failureWithDetails = { ok: false, error: { code: 'store_refused', message: 'y'.repeat(5000), details: { revision: 3 } } } as const;
    const sent = JSON.parse(serializeResponse(failureWithDetails as unknown as Parameters<typeof serializeResponse>[0]));
    expect(sent.ok).toBe(false);
    expect(sent.error.code).toBe('store_refused');
    expect(sent.error.details).toEqual({ revision: 3 });
    expect(sent.error.message).toHaveLength(2048);
    expect(sent.error.message).toBe(`${'y'.repeat(2048 - '… (message shortened)'.length)}… (message shortened)`);
  });

  it('never cuts a surrogate pair in half', () => {
    const cutAt = MAX_ERROR_MESSAGE_LENGTH - '… (message shortened)'.length;
    const short = shortenMessage(`${'a'.repeat(cutAt - 1)}😀${'b'.repeat(100)}`);
    expect(short).toBe(`${'a'.repeat(cutAt - 1)}… (message shortened)`);
  });

  it.each([
    ['[]', 1, false],
    ['[[]]', 1, true],
    ['{"a":{"b":[1]}}', 3, false],
    ['{"a":{"b":[1]}}', 2, true],
    ['[[],[],[],[]]', 2, false],
    ['["[[[[", "{{{{"]', 1, false],
    ['["\\"[[["]', 1, false],
    ['["\\\\", [[]]]', 2, true],
    [']]]][[[', 2, true],
    ['"unterminated [[[[', 1, false],
  ])('nestedDeeperThan(%s, %i) is %s', (text, limit, expected) => {
    expect(nestedDeeperThan(text, limit)).toBe(expected);
  });
});

describe('web server: close', () => {
  it('closes with a keep-alive connection open and then refuses connections', async () => {
    const own = await startWebServer({ core: fakeCore(), staticDir, token: TOKEN });
    const agent = new http.Agent({ keepAlive: true });
    const r = await new Promise<number>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: own.port, path: '/', agent, headers: { Host: `127.0.0.1:${own.port}` } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode!));
        })
        .on('error', reject);
    });
    expect(r).toBe(200);
    await own.close();
    await own.close(); // twice is fine
    agent.destroy();
    await expect(
      new Promise((resolve, reject) => http.get({ host: '127.0.0.1', port: own.port, path: '/', agent: false }, resolve).on('error', reject)),
    ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
