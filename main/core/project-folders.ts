import { promises as fsp } from 'node:fs';
import path from 'node:path';

/**
 * Where a project may be created or opened when the request comes from a page (browser mode):
 * only inside the folders the user allowed at launch (`gloss web --allow DIR`). Also the
 * folder name a new project's name becomes, and the window title.
 */

export class FolderRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FolderRefusedError';
  }
}

/** The allowed folders, each resolved through its symbolic links (those that exist). */
export async function realAllowed(dirs: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const d of dirs) {
    try {
      out.push(await fsp.realpath(path.resolve(d)));
    } catch {
      // A folder that does not exist allows nothing.
    }
  }
  return [...new Set(out)];
}

/** True if `child` is `parent` or inside it (both absolute and normalised). */
export function isWithin(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Resolves `requested` (an absolute path, as a page sends it) to a real folder inside one of
 * `allowed` (real paths, see `realAllowed`). Refuses relative paths, `..` segments, NUL, and
 * anything whose real path (symbolic links followed) is outside every allowed folder.
 */
export async function guardFolder(requested: string, allowed: readonly string[]): Promise<string> {
  if (typeof requested !== 'string' || requested === '' || requested.includes('\0')) throw new FolderRefusedError('No folder given.');
  if (!path.isAbsolute(requested)) throw new FolderRefusedError('The folder must be given as a full path.');
  if (requested.split(/[\\/]/).includes('..')) throw new FolderRefusedError('The folder may not contain "..".');
  let real: string;
  try {
    real = await fsp.realpath(requested);
  } catch {
    throw new FolderRefusedError(`There is no folder ${requested}.`);
  }
  if (!allowed.some((a) => isWithin(a, real))) throw new FolderRefusedError(`${requested} is outside the folders Gloss was allowed to use.`);
  return real;
}

const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

/**
 * A folder name for a project called `name`: letters, digits, spaces, `-`, `_` and `.` kept
 * (any script), everything else (slashes, colons, control characters…) a `-`; no leading or
 * trailing dots or spaces; at most 64 characters; Windows device names get a `-` suffix.
 * An empty result is "project".
 */
export function folderNameFor(name: string): string {
  let s = name.normalize('NFC').replace(/[^\p{L}\p{N} ._-]+/gu, '-').replace(/\s+/g, ' ');
  s = s.replace(/^[ .-]+|[ .]+$/g, '').slice(0, 64).replace(/[ .]+$/g, '');
  if (s === '') return 'project';
  if (RESERVED.test(s.split('.')[0]!)) s += '-';
  return s;
}

/** The desktop window's title: "<project name> — <folder> — Gloss". */
export function windowTitle(projectName: string, dir: string): string {
  return `${projectName || 'Untitled project'} — ${dir} — Gloss`;
}

/**
 * The folder a new project named `name` goes in, inside `parent` (a real allowed folder): a new
 * sub-folder, or an existing empty one. An existing non-empty folder is refused.
 */
export async function newProjectFolder(parent: string, name: string): Promise<string> {
  const dir = path.join(parent, folderNameFor(name));
  try {
    const entries = await fsp.readdir(dir);
    if (entries.length > 0) throw new FolderRefusedError(`${dir} already exists and is not empty. Choose another name.`);
  } catch (e) {
    if (e instanceof FolderRefusedError) throw e;
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new FolderRefusedError(`${dir} cannot be used: ${(e as Error).message}`);
  }
  return dir;
}
