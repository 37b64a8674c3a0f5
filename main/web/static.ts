import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { contentTypeFor, resolveStaticPath } from '../core/static-files';

/**
 * Finds the files of the built UI that the browser asks for. Which paths may be asked for at all
 * is decided in main/core/static-files.ts; on top of that, the file's real path must lie inside
 * the UI folder, so a symlink there cannot point out of it.
 */

/** A file that may be served. */
export interface StaticFile {
  file: string;
  size: number;
  contentType: string;
}

/** Finds the regular file a request path names inside `root` (a real path), or null. */
export async function resolveStatic(root: string, urlPath: string): Promise<StaticFile | null> {
  const candidate = resolveStaticPath(root, urlPath);
  if (candidate === null) return null;
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    return null;
  }
  if (!real.startsWith(root + path.sep)) return null;
  const info = await stat(real).catch(() => null);
  if (!info?.isFile()) return null;
  return { file: real, size: info.size, contentType: contentTypeFor(real) };
}
