import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiHandlers } from '../../shared/api';
import type { GlossCore } from '../../main/core/core';
import { startWebServer, type WebServer } from '../../main/web/server';
import { rawRequest, type Reply } from '../support/http';

// Hostile request bodies near the size limit: what they cost the server and how large the
// reply to them is. A file of its own so that the memory measured is this process's alone.

const TOKEN = 'hardening-test-token-0123456789ab';

let server: WebServer;
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'gloss-web-hardening-'));
  const staticDir = path.join(tmp, 'renderer');
  await mkdir(staticDir);
  await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>Gloss</title>');
  // These requests never get past the transport to the core, so a stand-in is enough.
  const core = { handlers: { 'project.info': async () => ({}) } as unknown as ApiHandlers, subscribe: () => () => undefined } as unknown as GlossCore;
  server = await startWebServer({ core, staticDir, token: TOKEN });
});

afterAll(async () => {
  await server?.close();
  await rm(tmp, { recursive: true, force: true });
});

function post(body: string | Buffer): Promise<Reply> {
  return rawRequest(server.port, {
    method: 'POST',
    path: '/api/project.info',
    headers: { 'Content-Type': 'application/json', 'X-Gloss-Token': TOKEN },
    body,
  });
}

describe('web server: hostile bodies', () => {
  // First in the file, before the other tests grow the heap this one measures.
  it('refuses 15 MB of nested brackets without building them', async () => {
    const body = Buffer.alloc(15 * 1024 * 1024, '[');
    const rssBefore = process.memoryUsage().rss;
    // The peak, not the RSS after: by the time the reply arrives the parser's garbage may be gone.
    const peakBefore = process.resourceUsage().maxRSS * 1024;
    const r = await post(body);

    // The body is held a few times over (request chunks, their concatenation, the decoded text),
    // some 45 MB; parsing the brackets used to peak over 700 MB above the start.
    const MiB = 1024 * 1024;
    expect((process.resourceUsage().maxRSS * 1024 - peakBefore) / MiB).toBeLessThan(100);
    expect((process.memoryUsage().rss - rssBefore) / MiB).toBeLessThan(100);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toEqual({ ok: false, error: { code: 'invalid_input', message: 'The request body is nested deeper than 64 levels.' } });
    // The cost checked is memory, which the machine's load does not change; not the time, which
    // it does. The timeout only guards against a hang.
  }, 30_000);

  it('answers a million unknown keys with a short message', async () => {
    const keys: string[] = [];
    for (let i = 0; i < 1_000_000; i++) keys.push(`"key${String(i).padStart(7, '0')}":0`);
    const body = `{${keys.join(',')}}`;
    expect(body.length).toBeGreaterThan(14 * 1024 * 1024); // and below the 16 MiB limit

    const r = await post(body);
    expect(r.status).toBe(400);
    expect(Buffer.byteLength(r.body)).toBeLessThan(4096);
    const reply = JSON.parse(r.body) as { ok: false; error: { code: string; message: string } };
    expect(reply.error.code).toBe('invalid_input');
    expect(reply.error.message).toMatch(/^project\.info: /);
    expect(reply.error.message.length).toBeLessThanOrEqual(2048);
    // Building and parsing 14 MB takes seconds on a loaded machine (the end-to-end tests run
    // beside it); what is checked here is the answer, not its speed.
  }, 30_000);

  it('answers one huge unknown key with a short message', async () => {
    const r = await post(JSON.stringify({ ['x'.repeat(10 * 1024 * 1024)]: 1 }));
    expect(r.status).toBe(400);
    expect(Buffer.byteLength(r.body)).toBeLessThan(4096);
    expect((JSON.parse(r.body) as { error: { message: string } }).error.message.length).toBeLessThanOrEqual(2048);
  });
});
