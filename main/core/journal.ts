import { randomUUID } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { StoreFileError, TEMP_MARK, realFs, writeFileDurable, type DurableFs } from './durable';

/**
 * Transactions across files: one commit writes any number of files, all or none of them, even
 * if the process is killed or the power fails at any moment.
 *
 * A write-ahead journal, in five steps:
 *   1. every new file is written to a temporary name beside its target and flushed;
 *   2. a manifest naming every (temporary, target) pair and every file to delete is written
 *      durably (temporary file, flush, rename) — the commit point;
 *   3. the temporaries are renamed over their targets and the deletions made;
 *   4. the folders are flushed;
 *   5. the manifest is removed.
 * A crash before step 2 leaves only temporaries, which the next open removes: none of the
 * change happened. A crash after it leaves a manifest, which the next open rolls forward before
 * anything is read (`recoverJournal`): all of it happened. A commit of a single file needs no
 * manifest, since one rename is atomic by itself.
 */

/** The manifest's file name, in the project folder. */
export const JOURNAL_FILE = '.gloss-journal.json';

const JOURNAL_FORMAT = 'gloss-journal';

/** One file a transaction writes (`data`) or removes (`data: null`). Paths are relative to the project folder. */
export interface FileOp {
  file: string;
  data: string | Uint8Array | null;
}

interface Manifest {
  format: typeof JOURNAL_FORMAT;
  id: string;
  ops: { target: string; temp: string | null }[];
}

/**
 * Called before each step of a commit with the step's name; tests kill the process there to
 * prove a crash at any step leaves all or nothing.
 */
export type StepHook = (step: string) => void | Promise<void>;

/** Commits `ops` inside the project folder `dir` as one transaction (see module comment). */
export async function commitFiles(dir: string, ops: readonly FileOp[], fs: DurableFs = realFs, onStep?: StepHook): Promise<void> {
  if (ops.length === 0) return;
  const single = ops.length === 1 ? ops[0]! : null;
  if (single && single.data !== null) {
    await onStep?.('single');
    return writeFileDurable(resolveInside(dir, single.file), single.data, fs);
  }
  const id = randomUUID();
  const staged: { target: string; temp: string | null }[] = [];
  try {
    for (const op of ops) {
      const target = resolveInside(dir, op.file);
      if (op.data === null) {
        staged.push({ target: op.file, temp: null });
        continue;
      }
      const temp = path.join(path.dirname(target), `${TEMP_MARK}${path.basename(target)}.${id}`);
      await onStep?.(`stage ${op.file}`);
      const fh = await fs.open(temp, 'wx', await modeOf(target));
      try {
        await fh.writeFile(op.data);
        await fh.sync();
      } finally {
        await fh.close();
      }
      staged.push({ target: op.file, temp: path.relative(dir, temp) });
    }
    await onStep?.('manifest');
    const manifest: Manifest = { format: JOURNAL_FORMAT, id, ops: staged };
    await writeFileDurable(path.join(dir, JOURNAL_FILE), JSON.stringify(manifest), fs);
  } catch (e) {
    // Before the commit point: undo the staging, the old files stand.
    for (const s of staged) if (s.temp) await fs.rm(path.join(dir, s.temp)).catch(() => undefined);
    throw e;
  }
  // After the commit point a failure (a full disk cannot fail a rename, but a yanked drive can)
  // leaves the manifest, and the next open finishes the job.
  await applyManifest(dir, { format: JOURNAL_FORMAT, id, ops: staged }, fs, onStep);
}

async function applyManifest(dir: string, manifest: Manifest, fs: DurableFs, onStep?: StepHook): Promise<void> {
  const dirs = new Set<string>();
  for (const op of manifest.ops) {
    const target = resolveInside(dir, op.target);
    dirs.add(path.dirname(target));
    await onStep?.(`apply ${op.target}`);
    if (op.temp === null) {
      await fs.rm(target);
      continue;
    }
    try {
      await fs.rename(resolveInside(dir, op.temp), target);
    } catch (e) {
      // Rolled forward before (a crash during an earlier recovery): the target is already the new file.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  await onStep?.('sync');
  for (const d of dirs) await fs.syncDir(d);
  await onStep?.('finish');
  await fs.rm(path.join(dir, JOURNAL_FILE));
  await fs.syncDir(dir);
}

/**
 * Finishes a transaction a crash interrupted after its commit point. Run before anything in the
 * project is read. Returns whether there was one. A manifest Gloss cannot read is refused (left
 * as it is) with a message, since the project's files may then be half old, half new.
 */
export async function recoverJournal(dir: string, fs: DurableFs = realFs): Promise<boolean> {
  const file = path.join(dir, JOURNAL_FILE);
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(text) as Manifest;
    if (manifest.format !== JOURNAL_FORMAT || !Array.isArray(manifest.ops)) throw new Error('not a Gloss journal');
    for (const op of manifest.ops) {
      if (typeof op.target !== 'string' || (op.temp !== null && typeof op.temp !== 'string')) throw new Error('a step is malformed');
      resolveInside(dir, op.target);
      if (op.temp) resolveInside(dir, op.temp);
    }
  } catch (e) {
    throw new StoreFileError(
      file,
      'corrupt',
      `${file} records a change that was being saved when Gloss stopped, but it is damaged (${(e as Error).message}). Gloss left the project untouched; restore the project folder from a backup.`,
    );
  }
  await applyManifest(dir, manifest, fs);
  return true;
}

/** `rel` resolved inside `dir`; anything that would leave it is refused. */
function resolveInside(dir: string, rel: string): string {
  const full = path.resolve(dir, rel);
  const back = path.relative(dir, full);
  if (back === '' || back.startsWith('..') || path.isAbsolute(back)) throw new Error(`the path ${JSON.stringify(rel)} is outside the project`);
  return full;
}

async function modeOf(file: string): Promise<number | undefined> {
  try {
    return (await fsp.stat(file)).mode & 0o777;
  } catch {
    return undefined;
  }
}

