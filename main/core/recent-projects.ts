import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { DurableJsonFile, StoreFileError } from './durable';
import { PROJECT_FILE } from './files';

/**
 * The projects this user opened last, newest first, in `recent-projects.json` beside the coder
 * profile (the application-data folder, see paths.ts). Written durably like the profile; at
 * most `MAX_RECENT` entries. An entry whose folder no longer holds a project is kept, shown as
 * missing, until the user removes it.
 */

const FORMAT = 'gloss-recent-projects';
const VERSION = 1;
export const MAX_RECENT = 10;

export interface RecentProject {
  /** The project folder, absolute. */
  dir: string;
  /** The project's name when it was last opened or renamed. */
  name: string;
  /** When it was last opened, ISO 8601. */
  opened: string;
}

export interface RecentProjectEntry extends RecentProject {
  /** The folder no longer holds a Gloss project. */
  missing: boolean;
}

interface RecentFile {
  format: typeof FORMAT;
  schemaVersion: number;
  projects: RecentProject[];
}

function valid(p: unknown): p is RecentProject {
  const r = p as Partial<RecentProject> | null;
  return typeof r === 'object' && r !== null && typeof r.dir === 'string' && path.isAbsolute(r.dir) && typeof r.name === 'string' && typeof r.opened === 'string';
}

/** Puts `entry` first, dropping any older entry of the same folder, and keeps at most `MAX_RECENT`. */
export function withRecent(list: readonly RecentProject[], entry: RecentProject): RecentProject[] {
  const dir = path.resolve(entry.dir);
  return [{ ...entry, dir }, ...list.filter((p) => path.resolve(p.dir) !== dir)].slice(0, MAX_RECENT);
}

export class RecentProjects {
  private constructor(
    private readonly adapter: DurableJsonFile<RecentFile>,
    private list: RecentProject[],
  ) {}

  /** Reads the list in `file` (none yet is an empty list; a damaged one is refused and left untouched). */
  static async open(file: string): Promise<RecentProjects> {
    const adapter = new DurableJsonFile<RecentFile>(file, FORMAT, VERSION);
    const data = await adapter.read();
    if (data === null) return new RecentProjects(adapter, []);
    if (!Array.isArray(data.projects)) throw new StoreFileError(file, 'corrupt', `${file} does not hold a list of recent projects. Gloss left it untouched; move it away to start a new list.`);
    return new RecentProjects(adapter, data.projects.filter(valid).slice(0, MAX_RECENT));
  }

  /** The list, newest first. */
  get projects(): readonly RecentProject[] {
    return this.list;
  }

  /** The list with each entry's folder checked for a project. */
  async entries(): Promise<RecentProjectEntry[]> {
    return Promise.all(this.list.map(async (p) => ({ ...p, missing: !(await holdsProject(p.dir)) })));
  }

  /** Records that the project in `dir`, called `name`, was opened (or renamed) now. */
  async touch(dir: string, name: string, at: Date = new Date()): Promise<void> {
    await this.save(withRecent(this.list, { dir, name, opened: at.toISOString() }));
  }

  /** Changes the recorded name of the project in `dir`, if it is in the list (after a rename). */
  async rename(dir: string, name: string): Promise<void> {
    const abs = path.resolve(dir);
    if (!this.list.some((p) => p.dir === abs && p.name !== name)) return;
    await this.save(this.list.map((p) => (p.dir === abs ? { ...p, name } : p)));
  }

  async remove(dir: string): Promise<void> {
    const abs = path.resolve(dir);
    await this.save(this.list.filter((p) => p.dir !== abs));
  }

  async clear(): Promise<void> {
    await this.save([]);
  }

  private async save(list: RecentProject[]): Promise<void> {
    await fsp.mkdir(path.dirname(this.adapter.file), { recursive: true });
    await this.adapter.write({ format: FORMAT, schemaVersion: VERSION, projects: list });
    this.list = list;
  }
}

/** True if `dir` holds a Gloss project file. */
export async function holdsProject(dir: string): Promise<boolean> {
  try {
    return (await fsp.stat(path.join(dir, PROJECT_FILE))).isFile();
  } catch {
    return false;
  }
}
