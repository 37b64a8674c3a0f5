/**
 * What the fixture scripts (make-v2-fixture.mjs, make-v3-fixture.mjs) share: the tree of an
 * earlier commit extracted from git, a driver bundled inside it against that commit's modules,
 * and running it with the per-user folders pointed into the temporary folder.
 */
import { spawn } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

/** Runs a command, inheriting output; rejects on a non-zero exit. */
export function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'inherit', ...opts });
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${signal ?? code}`))));
  });
}

/** Extracts the tree of `commit` of the repository at `root` into `dir`, piping `git archive` into `tar -x`. */
export function extractTree(root, commit, dir) {
  return new Promise((resolve, reject) => {
    const git = spawn('git', ['archive', '--format=tar', commit], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    const tar = spawn('tar', ['-x', '-f', '-', '-C', dir], { stdio: ['pipe', 'inherit', 'inherit'] });
    git.stdout.pipe(tar.stdin);
    const exits = [git, tar].map(
      (child, i) =>
        new Promise((ok, fail) => {
          child.on('error', fail);
          child.on('exit', (code) => (code === 0 ? ok() : fail(new Error(`${i === 0 ? 'git archive' : 'tar -x'} exited with ${code}`))));
        }),
    );
    Promise.all(exits).then(() => resolve(), reject);
  });
}

/**
 * Extracts `commit` into `tmp` with the repository's node_modules linked beside it, writes
 * `driver` (TypeScript importing that commit's modules) as `name`.ts and bundles it; returns the
 * bundle's path.
 */
export async function bundleDriver(root, commit, tmp, name, driver) {
  await extractTree(root, commit, tmp);
  await fsp.symlink(path.join(root, 'node_modules'), path.join(tmp, 'node_modules'), 'dir');
  await fsp.writeFile(path.join(tmp, `${name}.ts`), driver);
  await build({ absWorkingDir: tmp, entryPoints: [`${name}.ts`], outfile: `${name}.bundle.mjs`, platform: 'node', format: 'esm', target: 'node20', bundle: true, packages: 'external', logLevel: 'warning' });
  return path.join(tmp, `${name}.bundle.mjs`);
}

/** Runs a bundled driver with node, the per-user folders inside `tmp`: nothing reads or writes the user's own Gloss settings. */
export function runDriver(bundle, tmp, args) {
  const env = { ...process.env, HOME: tmp, XDG_CONFIG_HOME: path.join(tmp, 'config'), APPDATA: path.join(tmp, 'config') };
  return run(process.execPath, [bundle, ...args], { env });
}
