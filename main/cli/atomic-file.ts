import { randomBytes } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Writable } from 'node:stream';

/**
 * Writes a file so that it is either complete or untouched: the content goes to a temporary file
 * beside the target (same folder, hence same file system), is flushed to disk, and only then
 * renamed over the target. A failure at any point removes the temporary file.
 *
 * `write` gets the stream, must end it and resolve once it has finished (as `GlossCore.exportCsv`
 * does).
 */
export async function writeFileAtomically<T>(target: string, write: (out: NodeJS.WritableStream) => Promise<T>): Promise<T> {
  const dir = path.dirname(target);
  // A dot name keeps the temporary file out of casual directory listings.
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx');
  let handleOpen = true;
  let done = false;
  try {
    // A plain Writable over the handle: `handle.createWriteStream({ autoClose: false })` keeps a
    // reference that makes the later `handle.close()` wait forever.
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        writeAll(handle, chunk).then(() => callback(), callback);
      },
    });
    const result = await write(stream);
    await handle.sync();
    await handle.close();
    handleOpen = false;
    await rename(temp, target);
    done = true;
    await syncDirectory(dir);
    return result;
  } finally {
    if (handleOpen) await handle.close().catch(() => undefined);
    if (!done) await rm(temp, { force: true });
  }
}

/** Writes the whole buffer: a single write may take only part of it. */
async function writeAll(handle: FileHandle, data: Buffer): Promise<void> {
  for (let done = 0; done < data.length; ) {
    const { bytesWritten } = await handle.write(data, done, data.length - done);
    done += bytesWritten;
  }
}

/** Makes a rename durable where the platform allows syncing a directory (not on Windows). */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Best effort: the data itself is already on disk.
  }
}
