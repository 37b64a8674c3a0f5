import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { z } from 'zod';
import { schemas } from '../../shared/api';
import type { Annotation } from '../../shared/model';
import { StoreFileError, realFs, type DurableFs } from './durable';
import { fileSchemas, type DocumentCounts, type DocumentFileData, type ProjectFileData } from './files';
import type { StepHook } from './journal';

/**
 * The project's change log: every committed transaction, appended as one line and flushed once.
 *
 * The project's JSON files are a *checkpoint*: the whole project as of the revision its project
 * file records. Each transaction after that is one line in a log segment (`log/<first
 * revision>.jsonl`) holding only what it changed: the passages it added or replaced and the ids
 * it removed per document, each document's new counts, new document files, and the project file
 * when more than its revision and counts changed. Committing a merge that recodes 10,000 passages
 * in 100 documents thus writes those passages once, to one file, with one flush, instead of
 * rewriting 100 annotations files with 100 flushes.
 *
 * A line is `<crc32 of the JSON, 8 hex digits> <JSON>\n`. A crash during an append leaves at
 * worst a torn last line, which was never acknowledged: opening for writing cuts it off.
 * Anything else that does not check out is damage, and the project is refused untouched.
 *
 * The store (store.ts) writes a new checkpoint from time to time and on close: it seals the
 * segments written so far (new commits go to a new segment meanwhile), writes the files as of
 * the sealed revision in one transaction (journal.ts), and only then removes the sealed
 * segments. Lines at or below the checkpoint's revision are skipped on replay, so a crash
 * between those steps loses and repeats nothing.
 */

/** The folder of log segments, in the project folder. */
export const LOG_DIR = 'log';

/** What one document's passages did in one transaction. */
export interface PassageDelta {
  /** Passages added, or replacing the passage of the same id; new ones in list order. */
  put: Annotation[];
  /** Ids of passages removed. */
  remove: string[];
  /** The document's counts after the change. */
  counts: DocumentCounts;
}

/** One committed transaction, as logged. */
export interface LogRecord {
  revision: number;
  /** The whole project file after the change, when anything but its revision and counts changed. */
  project?: ProjectFileData;
  /** Per document id. */
  passages: Record<string, PassageDelta>;
  /** Document files added or replaced. */
  documents: DocumentFileData[];
  /**
   * Documents whose files are void from this change on (applied before `documents` and
   * `passages`): removed, or removed and put again afresh in the same change.
   */
  removedDocuments?: string[];
}

const recordSchema = z.looseObject({
  revision: z.number().int().min(1),
  project: fileSchemas.project.optional(),
  passages: z.record(
    z.string(),
    z.looseObject({
      put: z.array(schemas.Annotation.loose()),
      remove: z.array(z.string()),
      counts: z.looseObject({ annotations: z.number().int().min(0), codes: z.record(z.string(), z.number().int().min(0)) }),
    }),
  ),
  documents: z.array(fileSchemas.document),
  removedDocuments: z.array(z.string()).optional(),
});

const SEGMENT = /^(\d{12})\.jsonl$/;
const NEWLINE = 0x0a;

function segmentName(firstRevision: number): string {
  return `${String(firstRevision).padStart(12, '0')}.jsonl`;
}

/** Serialises one record as a log line. */
export function encodeRecord(record: LogRecord): Buffer {
  const json = Buffer.from(JSON.stringify(record), 'utf8');
  const head = Buffer.from(`${crc32(json).toString(16).padStart(8, '0')} `, 'latin1');
  return Buffer.concat([head, json, Buffer.from([NEWLINE])]);
}

/**
 * Parses one line (without its newline): `torn` when its checksum fails (as a crash mid-append
 * leaves it), a message when it is whole but not a valid record (never cut off: that is not a
 * crash's doing).
 */
function decodeLine(line: Buffer): LogRecord | 'torn' | { invalid: string } {
  if (line.length < 10 || line[8] !== 0x20) return 'torn';
  const sum = Number.parseInt(line.subarray(0, 8).toString('latin1'), 16);
  const json = line.subarray(9);
  if (!Number.isFinite(sum) || crc32(json) !== sum) return 'torn';
  let data: unknown;
  try {
    data = JSON.parse(json.toString('utf8'));
  } catch (e) {
    return { invalid: (e as Error).message };
  }
  const parsed = recordSchema.safeParse(data);
  if (parsed.success) return parsed.data as LogRecord;
  const first = parsed.error.issues[0];
  return { invalid: first ? `${first.path.join('.')}: ${first.message}` : 'not a change' };
}

interface Segment {
  name: string;
  /** Bytes of whole lines in it. */
  size: number;
}

/** What reading the log found. */
export interface LogContents {
  records: LogRecord[];
  /** Torn last lines cut off (or, read-only, ignored). */
  tornTail: boolean;
}

/**
 * The log of one open project (one writer: the project lock). Appends are serialised by the
 * store's transactor, one at a time.
 */
export class ChangeLog {
  private active: { name: string; fh: fsp.FileHandle } | null = null;
  /** Set when an append failed and could not be undone: nothing more may be written. */
  private broken: string | null = null;

  private constructor(
    private readonly dir: string,
    private segments: Segment[],
    private readonly fs: DurableFs,
    private readonly onStep: StepHook | undefined,
  ) {}

  /**
   * Reads every segment of the project in `projectDir`. With `repair`, a torn last line is cut
   * off the file; without it (read-only), it is only skipped. Throws StoreFileError on damage.
   */
  static async open(projectDir: string, opts: { repair: boolean; fs?: DurableFs; onStep?: StepHook }): Promise<{ log: ChangeLog; contents: LogContents }> {
    const dir = path.join(projectDir, LOG_DIR);
    const names = (await fsp.readdir(dir).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? [] : Promise.reject(e)))).filter((n) => SEGMENT.test(n)).sort();
    const segments: Segment[] = [];
    const records: LogRecord[] = [];
    let tornTail = false;
    for (let i = 0; i < names.length; i++) {
      const file = path.join(dir, names[i]!);
      const bytes = await fsp.readFile(file);
      let at = 0;
      while (at < bytes.length) {
        const end = bytes.indexOf(NEWLINE, at);
        const record = end < 0 ? 'torn' : decodeLine(bytes.subarray(at, end));
        if (typeof record === 'object' && 'invalid' in record) {
          throw new StoreFileError(file, 'corrupt', `${file} holds a change Gloss cannot read (at byte ${at}: ${record.invalid}). Gloss left the project untouched; restore the project folder from a backup.`);
        }
        if (record === 'torn') {
          const last = i === names.length - 1 && (end < 0 || bytes.indexOf(NEWLINE, end + 1) < 0);
          if (!last) {
            throw new StoreFileError(file, 'corrupt', `${file} is damaged (the change recorded at byte ${at} does not check out). Gloss left the project untouched; restore the project folder from a backup.`);
          }
          // Torn by a crash during the last append, which was never acknowledged.
          tornTail = true;
          if (opts.repair) await truncateDurably(file, at);
          break;
        }
        records.push(record);
        at = end + 1;
      }
      // A segment a crash left empty holds nothing: gone, so that it is not left lying around.
      if (at === 0 && opts.repair) await fsp.rm(file, { force: true });
      else segments.push({ name: names[i]!, size: at });
    }
    return { log: new ChangeLog(dir, segments, opts.fs ?? realFs, opts.onStep), contents: { records, tornTail } };
  }

  /** Bytes in every segment, sealed or not. */
  get bytes(): number {
    return this.segments.reduce((n, s) => n + s.size, 0);
  }

  /** Whether the log holds anything. */
  get empty(): boolean {
    return this.segments.every((s) => s.size === 0);
  }

  /** Appends `record` durably: resolves once it is flushed to disk. */
  async append(record: LogRecord): Promise<void> {
    if (this.broken) throw new Error(this.broken);
    const line = encodeRecord(record);
    const active = await this.activeSegment(record.revision);
    const segment = this.segments.at(-1)!;
    await this.onStep?.(`log ${active.name}`);
    try {
      await writeAll(active.fh, line, segment.size);
      await active.fh.sync();
    } catch (e) {
      // Cut the partial line off, so that the next append does not follow garbage.
      try {
        await active.fh.truncate(segment.size);
        await active.fh.sync();
      } catch {
        this.broken = `Gloss could not save to ${path.join(this.dir, active.name)} and could not undo the partial write (${(e as Error).message}). Close and reopen the project.`;
      }
      throw e;
    }
    segment.size += line.length;
  }

  private async activeSegment(revision: number): Promise<{ name: string; fh: fsp.FileHandle }> {
    if (this.active) return this.active;
    const name = segmentName(revision);
    await fsp.mkdir(this.dir, { recursive: true });
    await this.onStep?.(`log new ${name}`);
    const fh = await this.fs.open(path.join(this.dir, name), 'a');
    try {
      // The new file's name must survive a power cut along with the line in it.
      await this.fs.syncDir(this.dir);
      await this.fs.syncDir(path.dirname(this.dir));
    } catch (e) {
      await fh.close();
      throw e;
    }
    this.active = { name, fh };
    this.segments.push({ name, size: 0 });
    return this.active;
  }

  /**
   * Seals every segment written so far: the next append starts a new one. Returns how many are
   * sealed, for `dropSealed` once a checkpoint holds everything in them.
   */
  async seal(): Promise<number> {
    if (this.active) await this.active.fh.close();
    this.active = null;
    return this.segments.length;
  }

  /** Removes the first `count` segments (sealed by `seal`, and now held by a checkpoint). */
  async dropSealed(count: number): Promise<void> {
    const gone = this.segments.slice(0, count);
    for (const s of gone) {
      await this.onStep?.(`log drop ${s.name}`);
      await this.fs.rm(path.join(this.dir, s.name));
    }
    this.segments = this.segments.slice(count);
    if (gone.length) await this.fs.syncDir(this.dir);
  }

  /** Closes the active segment's file. */
  async close(): Promise<void> {
    await this.active?.fh.close();
    this.active = null;
  }
}

/** Writes the whole buffer at `position`: one write may take only part of it. */
async function writeAll(fh: fsp.FileHandle, data: Buffer, position: number): Promise<void> {
  for (let done = 0; done < data.length; ) {
    const { bytesWritten } = await fh.write(data, done, data.length - done, position + done);
    done += bytesWritten;
  }
}

async function truncateDurably(file: string, size: number): Promise<void> {
  const fh = await fsp.open(file, 'r+');
  try {
    await fh.truncate(size);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** The passages of `before` changed into `after`, by object identity (lists are copied on write, never changed in place). */
export function diffPassages(before: readonly Annotation[], after: readonly Annotation[]): { put: Annotation[]; remove: string[] } {
  const old = new Map<string, Annotation>();
  for (const a of before) old.set(a.id, a);
  const put: Annotation[] = [];
  const kept = new Set<string>();
  for (const a of after) {
    kept.add(a.id);
    if (old.get(a.id) !== a) put.push(a);
  }
  const remove: string[] = [];
  for (const a of before) if (!kept.has(a.id)) remove.push(a.id);
  return { put, remove };
}

/** `list` with a delta applied: replaced passages stay where they were, new ones go at the end. */
export function applyPassages(list: readonly Annotation[], delta: Pick<PassageDelta, 'put' | 'remove'>): Annotation[] {
  const removed = new Set(delta.remove);
  const replaced = new Map<string, Annotation>();
  for (const a of delta.put) replaced.set(a.id, a);
  const out: Annotation[] = [];
  for (const a of list) {
    if (removed.has(a.id)) continue;
    const next = replaced.get(a.id);
    out.push(next ?? a);
    if (next) replaced.delete(a.id);
  }
  for (const a of replaced.values()) out.push(a);
  return out;
}
