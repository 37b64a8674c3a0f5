import { randomUUID } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { Adapter } from 'lowdb';

/**
 * Durable file writes: a change reaches disk whole or not at all.
 *
 * The sequence is the one databases use on POSIX: write a uniquely named temporary file in the
 * same folder, flush it to disk, rename it over the target (atomic on one file system), then
 * flush the folder so the rename itself survives a power cut. A crash at any step leaves the old
 * file or the new one, never a mix; at worst a stray temporary file, which `removeStaleTemps`
 * clears on the next open.
 */

/** The file-system steps a durable write takes; injectable so tests can fail each one in turn. */
export interface DurableFs {
  open(file: string, flags: string, mode?: number): Promise<fsp.FileHandle>;
  rename(from: string, to: string): Promise<void>;
  rm(file: string): Promise<void>;
  /** Flushes a folder's entries to disk; a no-op where the platform cannot (Windows). */
  syncDir(dir: string): Promise<void>;
}

async function syncDir(dir: string): Promise<void> {
  let fh: fsp.FileHandle | undefined;
  try {
    fh = await fsp.open(dir, 'r');
    await fh.sync();
  } catch (e) {
    // Windows cannot open or fsync a directory; NTFS journals the rename itself.
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EACCES' && code !== 'EINVAL') throw e;
  } finally {
    await fh?.close();
  }
}

export const realFs: DurableFs = {
  open: (file, flags, mode = 0o644) => fsp.open(file, flags, mode),
  rename: (from, to) => fsp.rename(from, to),
  rm: (file) => fsp.rm(file, { force: true }),
  syncDir,
};

/** Temporary files of durable writes and transactions start with this; `removeStaleTemps` clears them. */
export const TEMP_MARK = '.gloss-tmp-';

/** The permissions of the file a write replaces, so that a user's chmod survives saves. */
async function modeOf(file: string): Promise<number | undefined> {
  try {
    return (await fsp.stat(file)).mode & 0o777;
  } catch {
    return undefined;
  }
}

/** Writes `data` to `file` durably (see module comment). */
export async function writeFileDurable(file: string, data: string | Uint8Array, fs: DurableFs = realFs): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `${TEMP_MARK}${path.basename(file)}.${randomUUID()}`);
  const fh = await fs.open(tmp, 'wx', await modeOf(file));
  try {
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp).catch(() => undefined);
    throw e;
  }
  await fs.syncDir(dir);
}

/**
 * Streams a file durably: `write` gets a stream over a temporary file beside `file`, must end it
 * and resolve once it has finished (as `GlossCore.exportCsv` does); the file is then flushed and
 * renamed over the target. If anything fails, the target is untouched and the temporary file
 * removed.
 */
export async function writeStreamDurable<T>(file: string, write: (out: NodeJS.WritableStream) => Promise<T>, fs: DurableFs = realFs): Promise<T> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `${TEMP_MARK}${path.basename(file)}.${randomUUID()}`);
  const fh = await fs.open(tmp, 'wx', await modeOf(file));
  let open = true;
  let renamed = false;
  // A plain Writable over the handle: `fh.createWriteStream({ autoClose: false })` keeps a
  // reference that makes the later `fh.close()` wait forever.
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      writeAll(fh, chunk).then(() => callback(), callback);
    },
  });
  try {
    const result = await write(stream);
    await fh.sync();
    await fh.close();
    open = false;
    await fs.rename(tmp, file);
    renamed = true;
    await fs.syncDir(dir);
    return result;
  } finally {
    if (!renamed) {
      // A failed producer may leave writes queued: stop them before the handle goes, and keep
      // their errors (EBADF) from surfacing as an uncaught 'error' event.
      stream.on('error', () => undefined);
      stream.destroy();
    }
    if (open) await fh.close().catch(() => undefined);
    if (!renamed) await fs.rm(tmp).catch(() => undefined);
  }
}

/** Writes the whole buffer: one write may take only part of it. */
async function writeAll(fh: fsp.FileHandle, data: Buffer): Promise<void> {
  for (let done = 0; done < data.length; ) {
    const { bytesWritten } = await fh.write(data, done, data.length - done);
    done += bytesWritten;
  }
}

/** Removes temporary files left by writes that a crash interrupted. */
export async function removeStaleTemps(dir: string): Promise<number> {
  let removed = 0;
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (name.startsWith(TEMP_MARK)) {
      await fsp.rm(path.join(dir, name), { force: true });
      removed++;
    }
  }
  return removed;
}

/** Why a store file was refused. */
export type StoreFileProblem = 'corrupt' | 'unknown-version' | 'wrong-format' | 'unreadable';

/** A store file that Gloss will not read or overwrite. The message is fit to show the user. */
export class StoreFileError extends Error {
  constructor(
    readonly file: string,
    readonly problem: StoreFileProblem,
    message: string,
  ) {
    super(message);
    this.name = 'StoreFileError';
  }
}

/** What a versioned store file must look like at its top level. */
export interface VersionedFile {
  format: string;
  schemaVersion: number;
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A lowdb adapter over one JSON file, with durable writes and strict reads: a file that is not
 * JSON, not of the expected format, or of a schema version newer than this build understands is
 * refused with a StoreFileError and never written over.
 */
export class DurableJsonFile<T extends VersionedFile> implements Adapter<T> {
  constructor(
    readonly file: string,
    private readonly format: string,
    private readonly maxVersion: number,
    private readonly fs: DurableFs = realFs,
  ) {}

  async read(): Promise<T | null> {
    let bytes: Buffer;
    try {
      bytes = await fsp.readFile(this.file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new StoreFileError(this.file, 'unreadable', `Gloss could not read ${this.file}: ${(e as Error).message}`);
    }
    let text: string;
    try {
      // Fatal: a lenient decoder would turn damaged bytes into U+FFFD, and the next save would
      // write that loss back. Drops a leading byte-order mark.
      text = STRICT_UTF8.decode(bytes);
    } catch {
      throw new StoreFileError(this.file, 'corrupt', `${this.file} is damaged (it is not valid UTF-8 text). Gloss left it untouched; restore it from a backup or move it away.`);
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new StoreFileError(this.file, 'corrupt', `${this.file} is damaged (${(e as Error).message}). Gloss left it untouched; restore it from a backup or move it away.`);
    }
    const head = data as Partial<VersionedFile> | null;
    if (typeof head !== 'object' || head === null || head.format !== this.format) {
      throw new StoreFileError(this.file, 'wrong-format', `${this.file} is not a Gloss ${this.format} file. Gloss left it untouched.`);
    }
    if (typeof head.schemaVersion !== 'number' || !Number.isInteger(head.schemaVersion) || head.schemaVersion < 1) {
      throw new StoreFileError(this.file, 'corrupt', `${this.file} has no valid schema version. Gloss left it untouched.`);
    }
    if (head.schemaVersion > this.maxVersion) {
      throw new StoreFileError(
        this.file,
        'unknown-version',
        `${this.file} was written by a newer version of Gloss (format version ${head.schemaVersion}; this version reads up to ${this.maxVersion}). Update Gloss to open it; the file was left untouched.`,
      );
    }
    return data as T;
  }

  async write(data: T): Promise<void> {
    await writeFileDurable(this.file, JSON.stringify(data), this.fs);
  }
}
