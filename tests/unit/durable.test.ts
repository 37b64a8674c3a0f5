import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { realFs, removeStaleTemps, writeFileDurable, type DurableFs } from '../../main/core/durable';
import { CoalescingWriter } from '../../main/core/writer';

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
    open: async (file, flags) => {
      if (step === 'open') boom();
      const fh = await realFs.open(file, flags);
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

describe('coalescing saves', () => {
  it('carries a burst of changes in at most two writes, each caller resolved after its data is written', async () => {
    let writes = 0;
    let value = 0;
    let onDisk = -1;
    const writer = new CoalescingWriter(async () => {
      writes++;
      const snapshot = value;
      await new Promise((r) => setTimeout(r, 10));
      onDisk = snapshot;
    });
    const waits: Promise<void>[] = [];
    for (let i = 1; i <= 10; i++) {
      value = i;
      const mine = i;
      waits.push(writer.save().then(() => expect(onDisk).toBeGreaterThanOrEqual(mine)));
    }
    await Promise.all(waits);
    expect(writes).toBeLessThanOrEqual(2);
    expect(onDisk).toBe(10);
  });

  it('reports a failed write to the callers that waited for it', async () => {
    const writer = new CoalescingWriter(async () => {
      throw new Error('disk full');
    });
    await expect(writer.save()).rejects.toThrow('disk full');
    await writer.idle();
  });
});
