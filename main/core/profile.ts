import { randomUUID } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { schemas } from '../../shared/api';
import type { Coder } from '../../shared/model';
import { coderColor, initialsOf } from './coders';
import { DurableJsonFile, StoreFileError } from './durable';

/**
 * The coder profile of the person using this Gloss: a person (id, name, initials, colour),
 * not an operating-system login. Kept per user in the application-data folder, so that it is
 * the same person in every project; each project keeps a copy in its coders list.
 */

const FORMAT = 'gloss-profile';
const VERSION = 1;

interface ProfileFile {
  format: typeof FORMAT;
  schemaVersion: number;
  coder: Coder;
}

/** The login name, offered as the default name. */
export function loginName(): string {
  try {
    return os.userInfo().username || '';
  } catch {
    return '';
  }
}

export class ProfileStore {
  private constructor(
    private readonly adapter: DurableJsonFile<ProfileFile>,
    private current: Coder | null,
  ) {}

  /** Reads the profile in `file` (none yet is fine; a damaged one is refused and left untouched). */
  static async open(file: string): Promise<ProfileStore> {
    const adapter = new DurableJsonFile<ProfileFile>(file, FORMAT, VERSION);
    const data = await adapter.read();
    if (data === null) return new ProfileStore(adapter, null);
    const coder = schemas.Coder.safeParse(data.coder);
    if (!coder.success) throw new StoreFileError(file, 'corrupt', `${file} does not hold a valid coder profile. Gloss left it untouched; move it away to be asked for your name again.`);
    return new ProfileStore(adapter, coder.data);
  }

  /** The profile, or null before the person has said who they are. */
  get coder(): Coder | null {
    return this.current;
  }

  /** Creates or changes the profile, durably. The id never changes once made. */
  async save(change: { name: string; initials?: string | undefined; color?: string | undefined }, colorIndex = 0): Promise<Coder> {
    const name = change.name.trim();
    const coder: Coder = {
      id: this.current?.id ?? randomUUID(),
      name,
      initials: change.initials?.trim() || (this.current && this.current.name === name ? this.current.initials : initialsOf(name)),
      color: change.color ?? this.current?.color ?? coderColor(colorIndex),
    };
    await fsp.mkdir(path.dirname(this.adapter.file), { recursive: true });
    await this.adapter.write({ format: FORMAT, schemaVersion: VERSION, coder });
    this.current = coder;
    return coder;
  }
}
