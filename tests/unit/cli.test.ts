import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiHandlers } from '../../shared/api';
import type { GlossCore } from '../../main/core/core';
import { openCore, type OpenCoreOptions } from '../../main/core/open';
import { plainText } from '../../shared/plain-text';
import type { CliDeps } from '../../main/cli/command';
import { main } from '../../main/cli/run';
import type { WebServer } from '../../main/web/server';
import { rawRequest } from '../support/http';
import { fakeProjectInfo } from '../support/project';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const PROJECT = fakeProjectInfo(0);
const CSV = 'document_id,code_id\r\ndoc-1,code-1\r\n';

class FakeOpenError extends Error {}

/** A stream that remembers what was written to it. */
function capture(): PassThrough & { text(): string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return Object.assign(stream, { text: () => Buffer.concat(chunks).toString('utf8') });
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  stdoutEnded: boolean;
}

async function run(argv: string[], deps: Partial<CliDeps> = {}): Promise<Run> {
  const stdout = capture();
  const stderr = capture();
  const code = await main(argv, { stdout, stderr }, { cwd: () => tmp, ...deps });
  return { code, stdout: stdout.text(), stderr: stderr.text(), stdoutEnded: stdout.writableEnded };
}

/** A core whose export writes CSV (or fails half-way), recording how it was opened and closed. */
function fakeCore(opts: { failExport?: boolean } = {}): GlossCore & { closed: number; exportedWith: { bom: boolean }[] } {
  const core = {
    closed: 0,
    exportedWith: [] as { bom: boolean }[],
    handlers: { 'project.info': async () => PROJECT } as unknown as ApiHandlers,
    subscribe: () => () => undefined,
    loaded: async () => undefined,
    flush: async () => undefined,
    async close() {
      core.closed++;
    },
    async exportCsv(out: NodeJS.WritableStream, o: { bom: boolean }) {
      core.exportedWith.push(o);
      out.write(CSV.slice(0, 10));
      if (opts.failExport) throw new Error('the disk is gone');
      out.write(CSV.slice(10));
      await new Promise<void>((resolve) => out.end(resolve));
      return { rows: 1 };
    },
  };
  return core;
}

let tmp: string;
/** Stands in for the user's home: the real core keeps its coder profile under it, never under the real one. */
let home: string;
let staticDir: string;
let opened: OpenCoreOptions[];
const HOME_VARS = ['HOME', 'USERPROFILE', 'XDG_CONFIG_HOME', 'APPDATA'] as const;
let savedEnv: Partial<Record<(typeof HOME_VARS)[number], string>>;

beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'gloss-cli-unit-'));
  home = await mkdtemp(path.join(os.tmpdir(), 'gloss-cli-home-'));
  savedEnv = Object.fromEntries(HOME_VARS.map((v) => [v, process.env[v]]));
  process.env['HOME'] = home;
  process.env['USERPROFILE'] = home;
  process.env['XDG_CONFIG_HOME'] = path.join(home, '.config');
  process.env['APPDATA'] = path.join(home, 'AppData', 'Roaming');
  staticDir = path.join(tmp, 'renderer');
  await mkdir(staticDir);
  await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>Gloss</title>');
  opened = [];
});
afterEach(async () => {
  for (const v of HOME_VARS) {
    if (savedEnv[v] === undefined) delete process.env[v];
    else process.env[v] = savedEnv[v];
  }
  await rm(tmp, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
});

/** The real core over `projectDir`, coded by Ada, with her profile in the stand-in home. */
function openRealCore(projectDir: string) {
  return openCore({ projectDir, corpusDir: path.join(repoRoot, 'corpus'), profileFile: path.join(home, 'profile.json'), coderName: 'Ada' });
}

/** Deps around a given core, with the project folder and UI in the temp folder. */
function depsFor(core: GlossCore, extra: Partial<CliDeps> = {}): Partial<CliDeps> {
  return {
    openCore: async (o) => {
      opened.push(o);
      return core;
    },
    isUserFacingError: (e) => e instanceof FakeOpenError,
    defaultProjectDir: () => path.join(tmp, 'default-project'),
    corpusDir: () => path.join(tmp, 'corpus'),
    staticDir: () => staticDir,
    openBrowser: async () => undefined,
    ...extra,
  };
}

describe('gloss: usage', () => {
  it.each([['--help'], ['-h'], ['help']])('%s prints the usage on stdout and exits 0', async (arg) => {
    const r = await run([arg]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: gloss <command>/);
    expect(r.stdout).toContain('web');
    expect(r.stdout).toContain('export-csv');
    expect(r.stderr).toBe('');
  });

  it.each([
    [['help', 'web'], 'Usage: gloss web'],
    [['web', '--help'], 'Usage: gloss web'],
    [['export-csv', '-h'], 'Usage: gloss export-csv'],
  ])('%j prints the command help and exits 0', async (argv, heading) => {
    const r = await run(argv);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith(heading)).toBe(true);
  });

  it.each([
    [[], /no command given/, 'Usage: gloss <command>'],
    [['frobnicate'], /unknown command "frobnicate"/, 'Usage: gloss <command>'],
    [['--verbose'], /unknown option "--verbose"/, 'Usage: gloss <command>'],
    [['help', 'frobnicate'], /unknown command "frobnicate"/, 'Usage: gloss <command>'],
    [['web', '--bogus'], /bogus/, 'Usage: gloss web'],
    [['web', 'extra'], /extra/, 'Usage: gloss web'],
    [['web', '--port'], /port/, 'Usage: gloss web'],
    [['web', '--port', 'abc'], /--port must be a number from 0 to 65535, not "abc"/, 'Usage: gloss web'],
    [['web', '--port', '70000'], /--port must be a number/, 'Usage: gloss web'],
    [['web', '--port', '-1'], /port/, 'Usage: gloss web'],
    [['export-csv'], /--out FILE is required/, 'Usage: gloss export-csv'],
    [['export-csv', '--out', 'x.csv', '--bom=yes'], /bom/, 'Usage: gloss export-csv'],
  ])('%j is misuse: message and usage on stderr, exit 2', async (argv, message, heading) => {
    const r = await run(argv, depsFor(fakeCore()));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain(heading);
    expect(opened).toEqual([]);
  });
});

describe('gloss web', () => {
  /** Runs `gloss web`, calls `during(server, stdout so far)` once it is up, then stops it. */
  async function runWeb(argv: string[], core: GlossCore, during: (server: WebServer, stdout: string) => Promise<void>, extra: Partial<CliDeps> = {}) {
    const stdout = capture();
    const stderr = capture();
    let failure: unknown;
    const code = await main(['web', ...argv], { stdout, stderr }, {
      ...depsFor(core, extra),
      cwd: () => tmp,
      waitForShutdown: async (server) => {
        try {
          await during(server, stdout.text());
        } catch (e) {
          failure = e;
        }
        return 'test';
      },
    });
    if (failure) throw failure;
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  }

  it('prints the address alone on its own line, serves the API until shut down, then closes the core', async () => {
    const core = fakeCore();
    let seen = '';
    const r = await runWeb(['--project', 'proj'], core, async (server, stdout) => {
      seen = stdout;
      const res = await fetch(`${server.origin}/api/project.info`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Gloss-Token': server.token },
        body: '{}',
      });
      expect(await res.json()).toEqual({ ok: true, result: PROJECT });
    });
    const lines = seen.split('\n');
    expect(lines[0]).toBe('Gloss is running in browser mode. Open this address in your browser:');
    expect(lines[1]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    expect(lines[2]).toBe('Press Ctrl+C to stop.');
    expect(r.code).toBe(0);
    expect(core.closed).toBe(1);
    expect(opened).toEqual([{ projectDir: path.join(tmp, 'proj'), corpusDir: path.join(tmp, 'corpus') }]);
    expect(r.stderr).toBe('');
  });

  it('uses the default project folder without --project', async () => {
    await runWeb([], fakeCore(), async () => undefined);
    expect(opened[0]!.projectDir).toBe(path.join(tmp, 'default-project'));
  });

  it('opens a browser only with --open, and a failure to do so is not fatal', async () => {
    const urls: string[] = [];
    const withoutOpen = await runWeb([], fakeCore(), async () => undefined, { openBrowser: async (u) => void urls.push(u) });
    expect(withoutOpen.code).toBe(0);
    expect(urls).toEqual([]);

    let origin = '';
    const failing = await runWeb(['--open'], fakeCore(), async (server) => {
      origin = server.origin;
      await new Promise((resolve) => setImmediate(resolve));
    }, {
      openBrowser: async (u) => {
        urls.push(u);
        throw new Error('spawn xdg-open ENOENT');
      },
    });
    expect(urls).toHaveLength(1);
    expect(urls[0]!.startsWith(`${origin}/open/`)).toBe(true);
    expect(failing.code).toBe(0);
    expect(failing.stderr).toMatch(/Could not open a browser \(spawn xdg-open ENOENT\)\. Open the address above yourself\./);
  });

  it('with --open, gives the browser a one-time address without the token, and prints the tokenised one', async () => {
    const urls: string[] = [];
    let stdout = '';
    await runWeb(['--open'], fakeCore(), async (server, printed) => {
      stdout = printed;
      expect(urls).toHaveLength(1);
      const opened = urls[0]!;
      expect(opened).toMatch(new RegExp(`^${server.origin.replace(/\./g, '\\.')}/open/[A-Za-z0-9_-]{43}$`));
      expect(opened).not.toContain(server.token);
      expect(opened).not.toContain('token');

      const first = await rawRequest(server.port, { path: new URL(opened).pathname });
      expect(first.status).toBe(303);
      expect(first.headers['location']).toBe(`/?token=${server.token}`);
      const landed = await rawRequest(server.port, { path: first.headers['location']! });
      expect(landed.status).toBe(200);
      expect(landed.body).toContain('<title>Gloss</title>');

      expect((await rawRequest(server.port, { path: new URL(opened).pathname })).status).toBe(410);
      expect(stdout.split('\n')[1]).toBe(server.url);
    }, { openBrowser: async (u) => void urls.push(u) });
    expect(stdout).toMatch(/\?token=[A-Za-z0-9_-]{43}\n/);
  });

  it('reports a project that cannot be opened without a stack trace, exit 1', async () => {
    const r = await run(['web'], {
      ...depsFor(fakeCore()),
      openCore: async () => {
        throw new FakeOpenError('The project in /x is open in another Gloss (process 42). Close it there first.');
      },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('gloss web: The project in /x is open in another Gloss (process 42). Close it there first.\n');
  });

  it('reports a system error by its message alone, and a bug with its stack', async () => {
    const denied = Object.assign(new Error("EACCES: permission denied, mkdir '/root/x'"), { code: 'EACCES', syscall: 'mkdir' });
    const r = await run(['web'], { ...depsFor(fakeCore()), openCore: async () => Promise.reject(denied) });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("gloss web: EACCES: permission denied, mkdir '/root/x'\n");

    const bug = await run(['web'], { ...depsFor(fakeCore()), openCore: async () => Promise.reject(new TypeError('x is undefined')) });
    expect(bug.code).toBe(1);
    expect(bug.stderr).toMatch(/^gloss web: unexpected error: TypeError: x is undefined\n\s+at /);
  });

  it('reports a port in use clearly, exit 1, and releases the project', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const core = fakeCore();
      const r = await run(['web', '--port', String(port)], depsFor(core));
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`gloss web: Port ${port} is already in use by another program. Choose another with --port, or leave it out to use any free port.\n`);
      expect(core.closed).toBe(1);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('refuses to start without the built UI', async () => {
    await rm(path.join(staticDir, 'index.html'));
    const r = await run(['web'], depsFor(fakeCore()));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not built yet\. Run `npm run build`/);
    expect(opened).toEqual([]);
  });

  it('exits 1 when saving on shutdown fails', async () => {
    const core = fakeCore();
    core.close = async () => {
      throw new FakeOpenError('Could not save annotations/doc.json: disk full');
    };
    const r = await runWeb([], core, async () => undefined);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/disk full/);
  });
});

describe('gloss export-csv', () => {
  it('writes the CSV to the file, opening the project read-only and never creating it', async () => {
    const core = fakeCore();
    const r = await run(['export-csv', '--project', 'proj', '--out', 'out.csv'], depsFor(core));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Wrote 1 row of coded passages to out.csv\n');
    expect(await readFile(path.join(tmp, 'out.csv'), 'utf8')).toBe(CSV);
    expect(opened).toEqual([{ projectDir: path.join(tmp, 'proj'), corpusDir: path.join(tmp, 'corpus'), createIfMissing: false, readOnly: true }]);
    expect(core.exportedWith).toEqual([{ bom: false }]);
    expect(core.closed).toBe(1);
  });

  it('passes --bom on', async () => {
    const core = fakeCore();
    await run(['export-csv', '--out', 'out.csv', '--bom'], depsFor(core));
    expect(core.exportedWith).toEqual([{ bom: true }]);
  });

  it('replaces an existing file only once the export is complete', async () => {
    const file = path.join(tmp, 'out.csv');
    await writeFile(file, 'previous export');
    const core = fakeCore({ failExport: true });
    const r = await run(['export-csv', '--out', file], depsFor(core));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the disk is gone/);
    expect(await readFile(file, 'utf8')).toBe('previous export');
    expect((await readdir(tmp)).sort()).toEqual(['out.csv', 'renderer']);
    expect(core.closed).toBe(1);

    const ok = await run(['export-csv', '--out', file], depsFor(fakeCore()));
    expect(ok.code).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(CSV);
    expect((await readdir(tmp)).sort()).toEqual(['out.csv', 'renderer']);
  });

  it('reports a folder that does not exist', async () => {
    const r = await run(['export-csv', '--out', 'no/such/dir/out.csv'], depsFor(fakeCore()));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^gloss export-csv: Cannot write no\/such\/dir\/out\.csv: ENOENT/);
  });

  it('writes to standard output with --out -, leaving it open, and reports on stderr', async () => {
    const r = await run(['export-csv', '--out', '-'], depsFor(fakeCore()));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(CSV);
    expect(r.stdoutEnded).toBe(false);
    expect(r.stderr).toBe('Wrote 1 row of coded passages to standard output.\n');
  });

  it('with the real core: a missing project is a clear error, and nothing is created', async () => {
    const missing = path.join(tmp, 'missing');
    const r = await run(['export-csv', '--project', missing, '--out', 'out.csv'], { corpusDir: () => path.join(repoRoot, 'corpus') });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`gloss export-csv: There is no Gloss project in ${missing}.\n`);
    expect((await readdir(tmp)).sort()).toEqual(['renderer']);
    // Nor anything in the user's folders: an export makes no coder profile.
    expect(await readdir(home)).toEqual([]);
  });

  it('with the real core: a damaged annotations file fails the export by name, exit 1, leaving no file and the damaged one as it was', async () => {
    const projectDir = path.join(tmp, 'project');
    await (await openRealCore(projectDir)).close();
    const damagedFile = path.join(projectDir, 'annotations', (await readdir(path.join(projectDir, 'annotations'))).sort()[1]!);
    await writeFile(damagedFile, '{"format":"gloss-annotations","schemaVersion":2,"annotations":[');
    const r = await run(['export-csv', '--project', projectDir, '--out', 'out.csv'], { corpusDir: () => path.join(repoRoot, 'corpus') });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(damagedFile);
    expect(r.stderr).toMatch(/^gloss export-csv: .*damaged.*untouched/);
    expect(r.stderr).not.toMatch(/unexpected error|\n\s+at /);
    expect(await readFile(damagedFile, 'utf8')).toBe('{"format":"gloss-annotations","schemaVersion":2,"annotations":[');
    expect((await readdir(tmp)).sort()).toEqual(['project', 'renderer']);
  });

  it('with the real core: exports a project, even while it is open elsewhere', async () => {
    const projectDir = path.join(tmp, 'project');
    const core = await openRealCore(projectDir);
    try {
      const context = { client: 'test-window' };
      const docs = await core.handlers['documents.list']({}, context);
      const doc = await core.handlers['documents.get']({ documentId: docs[0]!.id }, context);
      await core.handlers['annotations.create']({ documentId: doc.id, start: 0, end: 5, codeIds: [] }, context);
      await core.flush();
      const r = await run(['export-csv', '--project', projectDir, '--out', 'out.csv'], { corpusDir: () => path.join(repoRoot, 'corpus') });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('Wrote 1 row of coded passages to out.csv\n');
      const csv = await readFile(path.join(tmp, 'out.csv'), 'utf8');
      const [header, row] = csv.split('\r\n').map((line) => line.split(','));
      expect(header![0]).toBe('document_id');
      const cell = (name: string): string => row![header!.indexOf(name)]!;
      expect(cell('document_id')).toBe(doc.id);
      // Offsets count from the start of the body (the title is not text); the coder is named.
      expect([cell('start'), cell('end')]).toEqual(['0', '5']);
      expect(cell('quote')).toBe(plainText(doc.blocks).slice(0, 5));
      expect(cell('coder')).toBe('Ada');
    } finally {
      await core.close();
    }
  });
});
