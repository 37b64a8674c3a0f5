import { spawn } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';

/**
 * A test's helper process, bundled once with esbuild (CommonJS, so that CommonJS dependencies
 * bundle as they are) into a temp folder: `const child = await bundleChild('tests/support/x.ts')`,
 * then `child.run(args)` and finally `child.remove()`.
 */
export async function bundleChild(entry: string): Promise<{ script: string; run(args: string[]): Promise<ChildResult>; remove(): Promise<void> }> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-child-'));
  const script = path.join(dir, `${path.basename(entry, '.ts')}.cjs`);
  await build({ entryPoints: [path.resolve(entry)], bundle: true, platform: 'node', format: 'cjs', outfile: script, logLevel: 'silent' });
  return {
    script,
    run: (args) => runNode(script, args),
    remove: () => fsp.rm(dir, { recursive: true, force: true }),
  };
}

/** How a child ended: killed by SIGKILL (`killed`), or its exit code and output. */
export interface ChildResult {
  killed: boolean;
  code: number | null;
  stdout: string;
  stderr: string;
}

function runNode(script: string, args: string[]): Promise<ChildResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code, signal) => resolve({ killed: signal === 'SIGKILL', code, stdout, stderr }));
  });
}
