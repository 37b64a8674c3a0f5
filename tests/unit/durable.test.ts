import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { realFs, removeStaleTemps, writeFileDurable, type DurableFs } from '../../main/core/durable';
import { CommitQueue } from '../../main/core/writer';

let dir: string;
beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-durable-'));
});
afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

type Step = 'open' | 'write' | 'sync' | 'close' | 'rename' | 'syncDir';
const steps: Step[] = ['open', 'write', 'sync', 'close', 'rename', 'syncDir'];

/** A file system that fails at one step, as a crash or a full disk would. */
function failingAt(step: Step): DurableFs {
  const boom = (): never => {
    throw Object.assign(new Error(`injected failure at ${step}`), { code: 'EIO' });
  };
  return {
    open: async (file, flags, mode) => {
      if (step === 'open') boom();
      const fh = await realFs.open(file, flags, mode);
      return new Proxy(fh, {
        get(target, prop, receiver) {
          if (prop === 'writeFile' && step === 'write') return async (data: string) => {
            // A torn write: half the bytes reach the temporary file, then the failure.
            await target.writeFile(data.slice(0, data.length >> 1));
            boom();
          };
          if (prop === 'sync' && step === 'sync') return async () => boom();
          if (prop === 'close' && step === 'close') return async () => {
            await target.close();
            boom();
          };
          const v = Reflect.get(target, prop, receiver);
          return typeof v === 'function' ? v.bind(target) : v;
        },
      });
    },
    rename: async (from, to) => (step === 'rename' ? boom() : realFs.rename(from, to)),
    rm: realFs.rm,
    syncDir: async (d) => (step === 'syncDir' ? boom() : realFs.syncDir(d)),
  };
}

describe('durable writes', () => {
  it('replaces the file content', async () => {
    const file = path.join(dir, 'a.json');
    await writeFileDurable(file, '{"v":1}');
    await writeFileDurable(file, '{"v":2}');
    expect(await fsp.readFile(file, 'utf8')).toBe('{"v":2}');
    expect(await fsp.readdir(dir)).toEqual(['a.json']);
  });

  it.each(steps)('a failure at %s leaves the old file or the new one, never a broken one', async (step) => {
    const file = path.join(dir, 'a.json');
    const oldText = JSON.stringify({ v: 'old', pad: 'x'.repeat(5000) });
    const newText = JSON.stringify({ v: 'new', pad: 'y'.repeat(5000) });
    await writeFileDurable(file, oldText);
    await expect(writeFileDurable(file, newText, failingAt(step))).rejects.toThrow(/injected failure/);
    const now = await fsp.readFile(file, 'utf8');
    // Only a failure after the rename may leave the new content; the old one stays otherwise.
    expect(now).toBe(step === 'syncDir' ? newText : oldText);
    expect(() => JSON.parse(now)).not.toThrow();
    // No temporary file survives a failure we saw happen.
    expect((await fsp.readdir(dir)).filter((n) => n !== 'a.json')).toEqual([]);
  });

  it('removes temporaries left by an earlier crash', async () => {
    await fsp.writeFile(path.join(dir, '.gloss-tmp-a.json.123'), 'half');
    await fsp.writeFile(path.join(dir, 'a.json'), '{}');
    expect(await removeStaleTemps(dir)).toBe(1);
    expect(await fsp.readdir(dir)).toEqual(['a.json']);
  });

  it('survives the writing process being killed at any moment', async () => {
    // Bundle the real module for a child process that rewrites one file as fast as it can.
    const script = path.join(dir, 'writer.mjs');
    await build({
      stdin: {
        contents: `import { writeFileDurable } from ${JSON.stringify(path.resolve('main/core/durable.ts'))};
          const file = process.argv[2];
          let i = 0;
          process.stdout.write('ready\\n');
          for (;;) { i++; await writeFileDurable(file, JSON.stringify({ i, pad: 'z'.repeat(20000 + (i % 7) * 1000) })); }`,
        resolveDir: process.cwd(),
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: script,
      external: ['lowdb'],
      logLevel: 'silent',
    });
    const file = path.join(dir, 'data', 'store.json');
    await fsp.mkdir(path.dirname(file));
    await fsp.writeFile(file, JSON.stringify({ i: 0, pad: '' }));
    let progressed = 0;
    for (let round = 0; round < 8; round++) {
      const child = spawn(process.execPath, [script, file], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 60));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const parsed = JSON.parse(await fsp.readFile(file, 'utf8')) as { i: number };
      expect(parsed.i).toBeGreaterThanOrEqual(0);
      if (parsed.i > 0) progressed++;
    }
    // The kills must have landed while writes were happening, or this proves nothing.
    expect(progressed).toBeGreaterThan(0);
  }, 30_000);
});

describe('commit queue', () => {
  /** A queue over a number "on disk", with a persist step the test controls. */
  function numberQueue(fail: () => boolean = () => false) {
    const disk = { value: 0, writes: 0 };
    const q = new CommitQueue<{ n: number }>(
      { n: 0 },
      (s) => ({ ...s }),
      async (s) => {
        disk.writes++;
        await new Promise((r) => setTimeout(r, 5));
        if (fail()) throw new Error('disk full');
        disk.value = s.n;
      },
    );
    return { q, disk };
  }

  it('carries a burst of changes in at most two writes, each caller resolved after its change is on disk', async () => {
    const { q, disk } = numberQueue();
    const waits = Array.from({ length: 10 }, (_, i) =>
      q.commit((d) => (d.n += 1)).then((v) => {
        expect(v).toBe(i + 1);
        expect(disk.value).toBeGreaterThanOrEqual(i + 1);
      }),
    );
    await Promise.all(waits);
    expect(disk.writes).toBeLessThanOrEqual(2);
    expect(q.state.n).toBe(10);
  });

  it('never shows memory that the disk does not hold: a failed write rejects its batch and changes nothing', async () => {
    let failing = true;
    const { q, disk } = numberQueue(() => failing);
    const a = q.commit((d) => (d.n = 1));
    const b = q.commit((d) => (d.n = 2));
    await expect(a).rejects.toThrow('disk full');
    await expect(b).rejects.toThrow('disk full');
    expect(q.state.n).toBe(0);
    failing = false;
    await q.commit((d) => (d.n += 5));
    expect([q.state.n, disk.value]).toEqual([5, 5]);
  });

  it('rejects a change that throws, alone, and keeps the others', async () => {
    const { q } = numberQueue();
    const bad = q.commit((d) => {
      d.n = 99;
      throw new Error('invalid');
    });
    const good = q.commit((d) => (d.n += 1));
    await expect(bad).rejects.toThrow('invalid');
    await expect(good).resolves.toBe(1);
    await q.idle();
    expect(q.state.n).toBe(1);
  });

  it('goes idle after a batch in which every change threw', async () => {
    const { q } = numberQueue();
    await expect(q.commit(() => { throw new Error('no'); })).rejects.toThrow('no');
    await q.idle();
    await expect(q.commit((d) => (d.n = 3))).resolves.toBe(3);
  });
});

describe('durable streamed writes', () => {
  it('leaves the target untouched and raises no stray error when the producer fails with writes queued', async () => {
    const { writeStreamDurable } = await import('../../main/core/durable');
    const file = path.join(dir, 'out.csv');
    await fsp.writeFile(file, 'old');
    const stray: unknown[] = [];
    const onUncaught = (e: unknown): void => void stray.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      await expect(
        writeStreamDurable(file, async (out) => {
          // Queue several writes without waiting, then fail.
          for (let i = 0; i < 5; i++) out.write(Buffer.alloc(64 * 1024, 65));
          throw new Error('source failed');
        }),
      ).rejects.toThrow('source failed');
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(stray).toEqual([]);
    expect(await fsp.readFile(file, 'utf8')).toBe('old');
    expect(await fsp.readdir(dir)).toEqual(['out.csv']);
  });
});
