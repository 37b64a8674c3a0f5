import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { promises as fsp, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { LOCK_FILE } from '../../main/core/files';
import { acquireProjectLock, ProjectLockError, realProbe, type ProcessProbe, type ProjectLock } from '../../main/core/lock';
import type { ChildOutcome } from '../support/lock-child';

const linux = process.platform === 'linux';

let root: string;
let dir: string;
let lockFile: string;
const locks: ProjectLock[] = [];
const children: ChildProcessWithoutNullStreams[] = [];

beforeEach(async () => {
  root = await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-lock-'));
  dir = path.join(root, 'project');
  await fsp.mkdir(dir);
  lockFile = path.join(dir, LOCK_FILE);
});
afterEach(async () => {
  await Promise.all(locks.splice(0).map((l) => l.release()));
  await Promise.all(children.splice(0).map((c) => stop(c)));
  await fsp.rm(root, { recursive: true, force: true });
});

/** Acquires a lock that afterEach releases. */
async function take(opts?: Parameters<typeof acquireProjectLock>[1], at = dir): Promise<ProjectLock> {
  const lock = await acquireProjectLock(at, opts);
  locks.push(lock);
  return lock;
}

/** The refusal an acquire ends with; fails the test if it succeeds or throws something else. */
async function refusal(opts?: Parameters<typeof acquireProjectLock>[1]): Promise<string> {
  const outcome = await take(opts).then(
    () => null,
    (e: unknown) => e,
  );
  expect(outcome).toBeInstanceOf(ProjectLockError);
  return (outcome as ProjectLockError).message;
}

const HOST = 'this-host';
const BOOT = 'boot-1';

/** A probe of a made-up process 4242 on HOST, in BOOT, for which every other process runs with start time '500'. */
function fakeProbe(over: Partial<ProcessProbe> = {}): ProcessProbe {
  return { hostname: () => HOST, bootId: () => BOOT, pid: 4242, isAlive: () => true, startTime: (pid) => (pid === 4242 ? '100' : '500'), ...over };
}

const bootTimeNow = (): number => Date.now() - os.uptime() * 1000;

/** A lock another Gloss (process 777 on HOST in BOOT, started at '500') wrote. */
function otherRecord(over: Record<string, unknown> = {}): Record<string, unknown> {
  return { nonce: 'their-nonce', host: HOST, pid: 777, bootId: BOOT, bootTime: bootTimeNow(), startTime: '500', since: new Date().toISOString(), ...over };
}

/** Writes the lock file with `content`, its mtime `ageMs` in the past (negative: in the future). */
async function writeLock(content: string | Record<string, unknown>, ageMs = 0): Promise<void> {
  await fsp.writeFile(lockFile, typeof content === 'string' ? content : JSON.stringify(content));
  const t = new Date(Date.now() - ageMs);
  await fsp.utimes(lockFile, t, t);
}

const lockContent = (): Promise<string> => fsp.readFile(lockFile, 'utf8');

/** Asserts the lock file is now this lock's (written by `pid`), not the one it replaced. */
async function expectOurs(pid: number): Promise<void> {
  const held = JSON.parse(await lockContent()) as Record<string, unknown>;
  expect(held.pid).toBe(pid);
  expect(held.nonce).not.toBe('their-nonce');
}

/** Starts `node` running until killed (under `name`, through a symlink, if given); resolves once it runs. */
async function runningNode(name?: string): Promise<ChildProcessWithoutNullStreams> {
  let exe = process.execPath;
  if (name) {
    exe = path.join(root, name);
    await fsp.symlink(process.execPath, exe);
  }
  const child = spawn(exe, ['-e', 'process.stdout.write("ready\\n"); setInterval(() => {}, 1000);']);
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('error', reject);
  });
  return child;
}

async function stop(child: ChildProcessWithoutNullStreams): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

/** The pid of a process that has run and exited (and been reaped). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => child.once('exit', r));
  return child.pid!;
}

describe('an unreadable lock file', () => {
  it('is taken over when empty and older than the settle window', async () => {
    await writeLock('', 60_000);
    const lock = await take();
    expect(lock.tookOver).toContain('empty or unreadable lock file');
    expect(lock.tookOver).toContain(dir);
    await expectOurs(process.pid);
  });

  it('is taken over when half-written', async () => {
    await writeLock('{"nonce":"their-nonce","host":"thi', 60_000);
    expect((await take()).tookOver).toContain('empty or unreadable lock file');
    await expectOurs(process.pid);
  });

  it('is taken over when it is JSON but no Gloss lock', async () => {
    await writeLock('{"pid":"777","host":""}', 60_000);
    expect((await take()).tookOver).toContain('empty or unreadable lock file');
  });

  it('is refused while young, because another Gloss may be writing it, and taken over once it has aged', async () => {
    await writeLock('', 2_000);
    const message = await refusal();
    expect(message).toBe(`The project in ${dir} is being opened by another Gloss. Try again in a moment.`);
    expect(await lockContent()).toBe('');
    // The age is the file's mtime against the clock, not how long Gloss has seen the file.
    const lock = await take({ now: () => Date.now() + 9_000 });
    expect(lock.tookOver).toContain('empty or unreadable lock file');
  });

  it('that is written while Gloss waits is judged by what it then says', async () => {
    await writeLock('');
    setTimeout(() => writeFileSync(lockFile, JSON.stringify(otherRecord())), 60);
    expect(await refusal({ probe: fakeProbe() })).toContain('open in another Gloss on this computer (process 777)');
  });

  it('counts an mtime far in the future (a wrong clock) as old, a slightly early one as young', async () => {
    await writeLock('', -30_000);
    expect(await refusal()).toContain('being opened by another Gloss');
    await writeLock('', -3_600_000);
    expect((await take()).tookOver).toContain('empty or unreadable lock file');
  });

  it('does not make release throw, nor is it removed by release', async () => {
    const lock = await take();
    await fsp.writeFile(lockFile, '');
    await expect(lock.release()).resolves.toBeUndefined();
    expect(await lockContent()).toBe('');
  });

  it('a missing lock file does not make release throw', async () => {
    const lock = await take();
    await fsp.rm(lockFile);
    await expect(lock.release()).resolves.toBeUndefined();
  });
});

describe('a lock written on this computer', () => {
  it('is refused while its process runs with the start time it recorded', async () => {
    await writeLock(otherRecord());
    const message = await refusal({ probe: fakeProbe() });
    expect(message).toBe(
      `The project in ${dir} is open in another Gloss on this computer (process 777). Close that Gloss first. If it is certainly not running, delete the lock file ${lockFile} and try again.`,
    );
    expect(JSON.parse(await lockContent())).toEqual(otherRecord({ bootTime: expect.any(Number), since: expect.any(String) }));
  });

  it('is taken over when its process has ended', async () => {
    await writeLock(otherRecord());
    const lock = await take({ probe: fakeProbe({ isAlive: (pid) => pid !== 777 }) });
    expect(lock.tookOver).toBe(`The project in ${dir} was still locked by a Gloss that is no longer running (its process 777 has ended). Gloss took the lock over.`);
    await expectOurs(4242);
  });

  it('is taken over when its pid now belongs to a process with another start time', async () => {
    await writeLock(otherRecord({ startTime: '499' }));
    const lock = await take({ probe: fakeProbe() });
    expect(lock.tookOver).toContain('its process number 777 now belongs to another program');
    await expectOurs(4242);
  });

  it('is taken over after a reboot, even though its pid runs again', async () => {
    await writeLock(otherRecord({ bootId: 'boot-0' }));
    const lock = await take({ probe: fakeProbe() });
    expect(lock.tookOver).toContain('the computer has restarted since');
  });

  it('without boot ids, is told apart by boot time, within a tolerance', async () => {
    const probe = fakeProbe({ bootId: () => null, startTime: () => null });
    await writeLock(otherRecord({ bootId: null, startTime: null, bootTime: bootTimeNow() - 30_000 }));
    expect(await refusal({ probe })).toContain('open in another Gloss on this computer (process 777)');
    await writeLock(otherRecord({ bootId: null, startTime: null, bootTime: bootTimeNow() - 3_600_000 }));
    expect((await take({ probe })).tookOver).toContain('the computer has restarted since');
  });

  it('from an earlier Gloss (pid, host, nonce, since only) is judged by its pid', async () => {
    const old = { pid: 777, host: HOST, nonce: 'their-nonce', since: new Date().toISOString() };
    await writeLock(old);
    expect(await refusal({ probe: fakeProbe() })).toContain('(process 777)');
    expect((await take({ probe: fakeProbe({ isAlive: () => false }) })).tookOver).toContain('its process 777 has ended');
  });

  it('with this process’s pid is ours only if boot and start time match', async () => {
    await writeLock(otherRecord({ pid: 4242, startTime: '100' }));
    expect(await refusal({ probe: fakeProbe() })).toContain('is already open in this Gloss');
    await writeLock(otherRecord({ pid: 4242, startTime: '100', bootId: 'boot-0' }));
    expect((await take({ probe: fakeProbe() })).tookOver).toContain('the computer has restarted since');
  });
});

describe('a lock written on another computer', () => {
  it('is never taken over, whatever this computer knows of its pid or boot', async () => {
    const theirs = JSON.stringify(otherRecord({ host: 'other-host', bootId: 'their-boot', startTime: '1' }));
    await writeLock(theirs, 3_600_000);
    const message = await refusal({ probe: fakeProbe({ isAlive: () => false }) });
    expect(message).toBe(
      `The project in ${dir} is open in Gloss on another computer (other-host). Close Gloss there first. If it is certainly not running there, delete the lock file ${lockFile} and try again.`,
    );
    expect(await lockContent()).toBe(theirs);
  });

  it('is told from this one by host name, ignoring case', async () => {
    await writeLock(otherRecord({ host: HOST.toUpperCase() }));
    expect((await take({ probe: fakeProbe({ isAlive: () => false }) })).tookOver).toContain('has ended');
  });
});

describe('refusals', () => {
  it('every one names the folder and says what the user can do', async () => {
    const cases: [string | Record<string, unknown>, ProcessProbe, RegExp][] = [
      ['', fakeProbe(), /Try again in a moment\.$/],
      [otherRecord(), fakeProbe(), /Close that Gloss first\. If it is certainly not running, delete the lock file .+ and try again\.$/],
      [otherRecord({ host: 'far' }), fakeProbe(), /Close Gloss there first\. If it is certainly not running there, delete the lock file .+ and try again\.$/],
      [otherRecord({ pid: 4242, startTime: '100' }), fakeProbe(), /already open in this Gloss\. Use it where it is open, or close it there before opening it again\.$/],
    ];
    for (const [content, probe, action] of cases) {
      await writeLock(content);
      const message = await refusal({ probe });
      expect(message).toContain(`The project in ${dir} `);
      expect(message).toMatch(action);
    }
  });

  it('in this process: a second acquire of a held folder, even a concurrent one', async () => {
    await take();
    expect(await refusal()).toBe(`The project in ${dir} is already open in this Gloss. Use it where it is open, or close it there before opening it again.`);
    const other = path.join(root, 'other');
    const both = await Promise.allSettled([take(undefined, other), take(undefined, path.join(other, '.'))]);
    expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = both.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((rejected.reason as Error).message).toContain('is already open in this Gloss');
  });
});

describe('leftovers of an interrupted takeover', () => {
  it('are removed when the lock is acquired, and nothing else is', async () => {
    await fsp.writeFile(path.join(dir, `${LOCK_FILE}.stale-1a2b`), JSON.stringify(otherRecord()));
    await fsp.writeFile(path.join(dir, `${LOCK_FILE}.stale-`), '');
    await fsp.writeFile(path.join(dir, 'gloss-project.json'), '{}');
    await fsp.writeFile(path.join(dir, `${LOCK_FILE}.takeover`), JSON.stringify(otherRecord()));
    const old = new Date(Date.now() - 60_000);
    await fsp.utimes(path.join(dir, `${LOCK_FILE}.takeover`), old, old);
    await take();
    expect((await fsp.readdir(dir)).sort()).toEqual([LOCK_FILE, 'gloss-project.json']);
  });

  it('an old takeover file (a crash mid-takeover) does not block taking over a stale lock', async () => {
    const takeover = path.join(dir, `${LOCK_FILE}.takeover`);
    await fsp.writeFile(takeover, '');
    const old = new Date(Date.now() - 60_000);
    await fsp.utimes(takeover, old, old);
    await writeLock(otherRecord());
    expect((await take({ probe: fakeProbe({ isAlive: (pid) => pid !== 777 }) })).tookOver).toContain('has ended');
    expect(await fsp.readdir(dir)).toEqual([LOCK_FILE]);
  });
});

describe('the lock', () => {
  it('records host, pid, boot and start time, and a nonce', async () => {
    const lock = await take(undefined, path.join(root, 'new', 'project'));
    expect(lock.dir).toBe(path.join(root, 'new', 'project'));
    expect(lock.tookOver).toBeNull();
    const held = JSON.parse(await fsp.readFile(path.join(lock.dir, LOCK_FILE), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(held).sort()).toEqual(['bootId', 'bootTime', 'host', 'nonce', 'pid', 'since', 'startTime']);
    expect(held).toMatchObject({ host: os.hostname(), pid: process.pid, bootId: realProbe.bootId(), startTime: realProbe.startTime(process.pid) });
    expect(Math.abs((held.bootTime as number) - bootTimeNow())).toBeLessThan(5_000);
    expect(held.nonce).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('is released by removing the file, once; the folder can then be locked again', async () => {
    const lock = await take();
    await lock.release();
    await expect(fsp.stat(lockFile)).rejects.toMatchObject({ code: 'ENOENT' });
    const again = await take();
    await lock.release();
    expect(await fsp.stat(lockFile)).toBeTruthy();
    await again.release();
  });

  it('is not removed by release once the file holds another nonce', async () => {
    const lock = await take();
    const theirs = JSON.stringify(otherRecord());
    await fsp.writeFile(lockFile, theirs);
    await lock.release();
    expect(await lockContent()).toBe(theirs);
  });

  it('of two openers judging the same stale lock, goes to the one that takes it first', async () => {
    await writeLock(otherRecord());
    const rival = JSON.stringify(otherRecord({ pid: 888, nonce: 'rival-nonce' }));
    let judged = 0;
    const probe = fakeProbe({
      isAlive: (pid) => {
        // While this opener judges process 777 dead, a rival does the same and takes the lock over first.
        if (pid === 777 && judged++ === 0) {
          renameSync(lockFile, `${lockFile}.stale-rival`);
          rmSync(`${lockFile}.stale-rival`);
          writeFileSync(lockFile, rival);
        }
        return pid !== 777;
      },
    });
    expect(await refusal({ probe })).toContain('(process 888)');
    expect(await lockContent()).toBe(rival);
    expect(await fsp.readdir(dir)).toEqual([LOCK_FILE]);
  });
});

describe('a takeover in progress', () => {
  it('makes another opener of a stale lock wait, and then refuse with "try again"', async () => {
    const takeover = path.join(dir, `${LOCK_FILE}.takeover`);
    await fsp.writeFile(takeover, 'another opener');
    await writeLock(otherRecord());
    const started = Date.now();
    expect(await refusal({ probe: fakeProbe({ isAlive: (pid) => pid !== 777 }) })).toBe(
      `The project in ${dir} is being opened by another Gloss. Try again in a moment.`,
    );
    // It waited for the takeover to finish, rather than refusing at first sight.
    expect(Date.now() - started).toBeGreaterThan(200);
    expect(JSON.parse(await lockContent())).toMatchObject({ nonce: 'their-nonce' });
    expect(await fsp.readFile(takeover, 'utf8')).toBe('another opener');
  });

  it('that finishes while another opener waits lets that one see the new holder', async () => {
    const takeover = path.join(dir, `${LOCK_FILE}.takeover`);
    await fsp.writeFile(takeover, 'another opener');
    await writeLock(otherRecord());
    setTimeout(() => {
      // The other opener replaces the stale lock with its own (process 888) and ends its takeover.
      writeFileSync(lockFile, JSON.stringify(otherRecord({ pid: 888, nonce: 'rival-nonce' })));
      rmSync(takeover);
    }, 60);
    expect(await refusal({ probe: fakeProbe({ isAlive: (pid) => pid !== 777 }) })).toContain('(process 888)');
  });
});

describe('with real processes', () => {
  it('the real probe knows live and dead processes', async () => {
    expect(realProbe.pid).toBe(process.pid);
    expect(realProbe.hostname()).toBe(os.hostname());
    expect(realProbe.isAlive(process.pid)).toBe(true);
    expect(realProbe.isAlive(await deadPid())).toBe(false);
    for (const bad of [0, -1, 1.5, 2 ** 31 - 1]) expect(realProbe.isAlive(bad)).toBe(false);
    if (linux) {
      expect(realProbe.bootId()).toMatch(/^[0-9a-f-]{36}$/);
      expect(realProbe.startTime(process.pid)).toMatch(/^\d+$/);
    }
  });

  it.runIf(linux)('reads the start time of a process whose name holds spaces and parentheses', async () => {
    // /proc/<pid>/stat puts the name in parentheses: a parser that stops at the first ')' would
    // read this child's state as Z (dead) and its start time from the wrong field.
    const child = await runningNode('g) Z 1 (x');
    expect(await fsp.readFile(`/proc/${child.pid}/stat`, 'utf8')).toContain('(g) Z 1 (x)');
    expect(realProbe.isAlive(child.pid!)).toBe(true);
    const start = realProbe.startTime(child.pid!);
    expect(start).toMatch(/^\d+$/);
    expect(Number(start)).toBeGreaterThanOrEqual(Number(realProbe.startTime(process.pid)));
    expect(realProbe.startTime(child.pid!)).toBe(start);
  });

  it.runIf(linux)('takes over a lock whose pid is a running process that started at another time', async () => {
    const child = await runningNode();
    await writeLock({ nonce: 'their-nonce', host: os.hostname(), pid: child.pid, bootId: realProbe.bootId(), bootTime: bootTimeNow(), startTime: '1', since: new Date().toISOString() });
    const lock = await take();
    expect(lock.tookOver).toContain(`its process number ${child.pid} now belongs to another program`);
    await expectOurs(process.pid);
  });

  it('refuses the lock of a running process, and takes it over once that process has exited', async () => {
    const child = await runningNode();
    await writeLock({
      nonce: 'their-nonce',
      host: os.hostname(),
      pid: child.pid,
      bootId: realProbe.bootId(),
      bootTime: bootTimeNow(),
      startTime: realProbe.startTime(child.pid!),
      since: new Date().toISOString(),
    });
    expect(await refusal()).toContain(`open in another Gloss on this computer (process ${child.pid})`);
    await stop(child);
    const lock = await take();
    expect(lock.tookOver).toContain(`its process ${child.pid} has ended`);
    await expectOurs(process.pid);
  });
});

describe('processes racing for one folder', () => {
  let bundleDir: string;
  let script: string;
  beforeAll(async () => {
    bundleDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-lock-child-'));
    script = path.join(bundleDir, 'lock-child.mjs');
    await build({
      entryPoints: [path.resolve('tests/support/lock-child.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: script,
      logLevel: 'silent',
    });
  });
  afterAll(async () => {
    await fsp.rm(bundleDir, { recursive: true, force: true });
  });

  /** Starts `n` children, lets them acquire at once, collects their outcomes, then lets them release and exit. */
  async function race(n: number): Promise<ChildOutcome[]> {
    const racers = Array.from({ length: n }, () => {
      const child = spawn(process.execPath, [script, dir]);
      children.push(child);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
      const next = async (): Promise<string> => {
        const line = await lines.next();
        if (line.done) throw new Error(`lock child ended early: ${err}`);
        return line.value;
      };
      return { child, next, exited };
    });
    await Promise.all(racers.map((r) => r.next()));
    for (const r of racers) r.child.stdin.write('go\n');
    const outcomes = await Promise.all(racers.map(async (r) => JSON.parse(await r.next()) as ChildOutcome));
    await Promise.all(
      racers.map(async ({ child, exited }) => {
        child.stdin.end();
        expect(await exited).toBe(0);
      }),
    );
    return outcomes;
  }

  function expectOneWinner(outcomes: ChildOutcome[]): ChildOutcome {
    const winners = outcomes.filter((o) => o.won);
    expect(winners).toHaveLength(1);
    const winner = winners[0]!;
    for (const lost of outcomes.filter((o) => !o.won)) expect(lost.error).toContain(`open in another Gloss on this computer (process ${winner.pid})`);
    return winner;
  }

  it('with no lock: exactly one of four wins', async () => {
    for (let round = 0; round < 4; round++) {
      const winner = expectOneWinner(await race(4));
      expect(winner.tookOver).toBeNull();
      expect(await fsp.readdir(dir)).toEqual([]);
    }
  }, 60_000);

  it('over a stale lock: exactly one of four takes it over', async () => {
    const pid = await deadPid();
    for (let round = 0; round < 8; round++) {
      await writeLock({ nonce: 'their-nonce', host: os.hostname(), pid, bootId: realProbe.bootId(), bootTime: bootTimeNow(), startTime: null, since: new Date().toISOString() });
      const winner = expectOneWinner(await race(4));
      // The racer that removed the stale lock may lose the folder to one that found it free.
      if (winner.tookOver !== null) expect(winner.tookOver).toContain(`its process ${pid} has ended`);
      expect(await fsp.readdir(dir)).toEqual([]);
    }
  }, 60_000);
});
