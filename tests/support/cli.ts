import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { CliDeps } from '../../main/cli/command';
import { main } from '../../main/cli/run';
import { openCore, type OpenCoreOptions } from '../../main/core/open';

/** Runs the `gloss` command line in this process with `deps`; resolves with its exit code and output. */
export async function runCli(argv: string[], deps: Partial<CliDeps>): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const code = await main(argv, { stdout, stderr }, deps);
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

/** The real core for the CLI's tests, with the coder profile in `dir` (never the user's). */
export function realCliCore(dir: () => string): (o: OpenCoreOptions) => ReturnType<typeof openCore> {
  return (o) => openCore({ ...o, profileFile: path.join(dir(), 'profile.json'), coderName: o.readOnly ? undefined : 'Ada' });
}
