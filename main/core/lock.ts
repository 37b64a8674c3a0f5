import { randomUUID } from 'node:crypto';
import { promises as fsp, readFileSync, type BigIntStats } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LOCK_FILE } from './files';

/**
 * The project lock: one Gloss process at a time writes a project folder.
 *
 * The lock is a file, `.gloss-lock`, created exclusively (`wx`) in the folder, so that of any
 * number of openers, on this computer or on others sharing the folder, exactly one creates it.
 * It records who holds it (host, process id, boot, process start time) and a nonce that only
 * the holder knows.
 *
 * A lock is taken over only when it is provably stale: written on this computer by a process
 * that no longer runs (in this boot or a previous one), or unreadable (a crash between creating
 * and writing it) and older than the few seconds that writing takes. A lock written on another
 * computer is never taken over: its process cannot be checked from here.
 *
 * Removing a stale lock frees the name for a moment, so two openers that judged the same stale
 * lock could otherwise both remove "it", the second removing the fresh lock of the first. So a
 * takeover runs under a second exclusive file, `.gloss-lock.takeover`, held for milliseconds:
 * its holder checks that the lock is still the one judged stale, renames it aside, checks the
 * renamed file once more and only then removes it. A takeover file older than the settle window
 * was left by a crash and is removed the same way.
 */

/** Facts about processes on this computer; injectable so tests can simulate reboots and reused pids. */
export interface ProcessProbe {
  /** This computer's name, as written into the lock. */
  hostname(): string;
  /** An id that changes at every boot (Linux: `/proc/sys/kernel/random/boot_id`); null where there is none. */
  bootId(): string | null;
  /** This process's id. */
  pid: number;
  /** Whether a process with this id runs now (a zombie does not). */
  isAlive(pid: number): boolean;
  /** When the process started, in an opaque form unique within one boot (Linux: ticks since boot); null where unknown. */
  startTime(pid: number): string | null;
}

/** A project lock held by this process. */
export interface ProjectLock {
  /** The project folder, resolved to an absolute path. */
  readonly dir: string;
  /** A message when a stale or unreadable lock was taken over, to show the user; otherwise null. */
  readonly tookOver: string | null;
  /**
   * Removes the lock file if it still holds this lock's nonce. Never throws: a lock it cannot
   * remove is left for the next opener, which takes it over as stale. Calling it again does nothing.
   */
  release(): Promise<void>;
}

/** The project cannot be locked. The message is fit to show the user: it names the folder and says what to do. */
export class ProjectLockError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ProjectLockError';
  }
}

export interface AcquireOptions {
  /** The clock for the age of an unreadable lock and the recorded `since`; defaults to Date.now. */
  now?: () => number;
  /** Defaults to `realProbe`. */
  probe?: ProcessProbe;
}

/** What a lock file holds. Field names `pid`, `host`, `nonce` and `since` are those earlier Gloss versions wrote and read. */
interface LockRecord {
  nonce: string;
  host: string;
  pid: number;
  /** The holder's boot id, where the platform has one. */
  bootId: string | null;
  /** When the holder's computer booted (ms since the epoch), for platforms without a boot id. */
  bootTime: number | null;
  /** The holder process's start time as its probe reports it. */
  startTime: string | null;
  since: string | null;
}

/** A lock file younger than this with unreadable content is being written by another opener, not left by a crash. */
const SETTLE_MS = 10_000;
/** How far a file's mtime may run ahead of our clock (another computer's clock) and still count as young. */
const CLOCK_SKEW_MS = 2 * 60_000;
/** Boot times computed as now − uptime drift with clock adjustments; within this they count as one boot. */
const BOOT_TOLERANCE_MS = 2 * 60_000;
/**
 * Each attempt creates the lock, loses to an opener that did, or waits for another opener to
 * finish writing its lock or taking over a stale one; this many attempts means contention.
 */
const MAX_ATTEMPTS = 50;
/** How long to wait for another opener's write or takeover, which take milliseconds, before looking again. */
const WAIT_MS = 20;
const STALE_PREFIX = `${LOCK_FILE}.stale-`;
const TAKEOVER_FILE = `${LOCK_FILE}.takeover`;

/** Folders this process holds (or is acquiring) a lock on. */
const heldHere = new Set<string>();

const errorCode = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | null)?.code;

/** `/proc/<pid>/stat`'s state and start time, or null where there is no such file. */
function procStat(pid: number): { state: string; startTime: string } | null {
  if (process.platform !== 'linux') return null;
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // Field 2, the command name, is in parentheses and may itself hold spaces and parentheses;
  // the last ')' ends it, because no later field can contain one.
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const fields = text.slice(close + 1).trim().split(/\s+/);
  // fields[0] is field 3 (state); field 22 (starttime) is therefore fields[19].
  const state = fields[0];
  const startTime = fields[19];
  if (state === undefined || startTime === undefined || !/^\d+$/.test(startTime)) return null;
  return { state, startTime };
}

let bootIdCache: string | null | undefined;

function readBootId(): string | null {
  if (bootIdCache !== undefined) return bootIdCache;
  bootIdCache = null;
  if (process.platform === 'linux') {
    try {
      bootIdCache = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
    } catch {
      // Without it, boots are told apart by boot time.
    }
  }
  return bootIdCache;
}

function isAlive(pid: number): boolean {
  // 0 and negative ids address process groups, not a process.
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    // EPERM: it runs, as another user.
    if (errorCode(e) !== 'EPERM') return false;
  }
  const stat = procStat(pid);
  return !(stat && (stat.state === 'Z' || stat.state === 'X'));
}

/** The probe of this computer and process. */
export const realProbe: ProcessProbe = {
  hostname: () => os.hostname(),
  bootId: readBootId,
  pid: process.pid,
  isAlive,
  startTime: (pid) => procStat(pid)?.startTime ?? null,
};

/** The lock's content and the metadata it is recognised by, read through one handle. */
interface Snapshot {
  bytes: Buffer;
  stat: BigIntStats;
}

/** Reads a file's snapshot; null when it does not exist. */
async function snapshot(file: string): Promise<Snapshot | null> {
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(file, 'r');
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return null;
    throw e;
  }
  try {
    const stat = await fh.stat({ bigint: true });
    return { bytes: await fh.readFile(), stat };
  } finally {
    await fh.close();
  }
}

/**
 * Whether two snapshots are of one and the same lock file. Content alone could confuse two
 * empty files, so the mtime must match too (kept by rename; inode numbers are not, on FAT).
 */
function sameLock(a: Snapshot, b: Snapshot): boolean {
  return a.stat.mtimeNs === b.stat.mtimeNs && a.bytes.equals(b.bytes);
}

/** The record in a lock file, or null when it is empty, half-written or not a Gloss lock. */
function parseRecord(bytes: Buffer): LockRecord | null {
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  if (typeof r.nonce !== 'string' || typeof r.host !== 'string' || r.host === '') return null;
  if (typeof r.pid !== 'number' || !Number.isSafeInteger(r.pid) || r.pid <= 0) return null;
  // Optional facts (absent in locks from earlier versions) count as unknown, never as a difference.
  return {
    nonce: r.nonce,
    host: r.host,
    pid: r.pid,
    bootId: typeof r.bootId === 'string' && r.bootId !== '' ? r.bootId : null,
    bootTime: typeof r.bootTime === 'number' && Number.isFinite(r.bootTime) ? r.bootTime : null,
    startTime: typeof r.startTime === 'string' && r.startTime !== '' ? r.startTime : null,
    since: typeof r.since === 'string' ? r.since : null,
  };
}

const bootTimeNow = (): number => Date.now() - os.uptime() * 1000;

const sameHost = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** Whether a record from this host was written in this boot; null when that cannot be told. */
function sameBoot(held: LockRecord, probe: ProcessProbe): boolean | null {
  const id = probe.bootId();
  if (held.bootId !== null && id !== null) return held.bootId === id;
  if (held.bootTime !== null) return Math.abs(held.bootTime - bootTimeNow()) <= BOOT_TOLERANCE_MS;
  return null;
}

/** Why a lock written on this host is stale, or null when its holder may still run. */
function staleReason(held: LockRecord, probe: ProcessProbe): string | null {
  if (sameBoot(held, probe) === false) return 'the computer has restarted since';
  if (!probe.isAlive(held.pid)) return `its process ${held.pid} has ended`;
  const start = probe.startTime(held.pid);
  if (held.startTime !== null && start !== null && start !== held.startTime) return `its process number ${held.pid} now belongs to another program`;
  return null;
}

const messages = {
  alreadyHere: (dir: string) => `The project in ${dir} is already open in this Gloss. Use it where it is open, or close it there before opening it again.`,
  beingOpened: (dir: string) => `The project in ${dir} is being opened by another Gloss. Try again in a moment.`,
  otherHost: (dir: string, file: string, host: string) =>
    `The project in ${dir} is open in Gloss on another computer (${host}). Close Gloss there first. If it is certainly not running there, delete the lock file ${file} and try again.`,
  otherProcess: (dir: string, file: string, pid: number) =>
    `The project in ${dir} is open in another Gloss on this computer (process ${pid}). Close that Gloss first. If it is certainly not running, delete the lock file ${file} and try again.`,
  contention: (dir: string) => `Gloss could not lock the project in ${dir} because other Gloss processes keep opening it. Try again in a moment.`,
  cannotRead: (dir: string, file: string, why: string) =>
    `Gloss cannot read the lock file ${file} of the project in ${dir} (${why}). If no Gloss has this project open, delete that file and try again.`,
  cannotCreate: (dir: string, why: string) =>
    `Gloss cannot lock the project in ${dir} (${why}). Check that the folder exists and that you may write to it, then try again.`,
  tookOverStale: (dir: string, reason: string) => `The project in ${dir} was still locked by a Gloss that is no longer running (${reason}). Gloss took the lock over.`,
  tookOverUnreadable: (dir: string) =>
    `The project in ${dir} had an empty or unreadable lock file, left by a Gloss that stopped while opening it. Gloss took the lock over.`,
};

const explain = (e: unknown): string => errorCode(e) ?? (e instanceof Error ? e.message : String(e));

/**
 * Creates the lock file with `bytes`; false when a lock file exists already. Not flushed to
 * disk: other processes see it through the page cache at once, and after a power cut the
 * process that held it is gone anyway (an empty or lost lock file is taken over, see above).
 * That saves an fsync on every open.
 */
async function createExclusive(file: string, bytes: Buffer): Promise<boolean> {
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(file, 'wx');
  } catch (e) {
    if (errorCode(e) === 'EEXIST') return false;
    throw e;
  }
  try {
    try {
      await fh.writeFile(bytes);
    } finally {
      await fh.close();
    }
  } catch (e) {
    // A lock we could not write whole would block the folder until it ages past SETTLE_MS.
    await fsp.rm(file, { force: true }).catch(() => undefined);
    throw e;
  }
  return true;
}

/**
 * Removes `file` if it is still the file snapshotted as `judged`: renames it aside (atomic, so
 * no one else renames the same file) and compares. Returns false when it was another file, which
 * is put back.
 */
async function removeIfSame(file: string, judged: Snapshot): Promise<boolean> {
  const aside = path.join(path.dirname(file), `${STALE_PREFIX}${randomUUID()}`);
  try {
    await fsp.rename(file, aside);
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return false;
    throw e;
  }
  const moved = await snapshot(aside);
  if (moved && sameLock(moved, judged)) {
    await fsp.rm(aside, { force: true });
    return true;
  }
  if (moved) await putBack(aside, file);
  return false;
}

/** Restores a file renamed aside by mistake, without replacing one created since. */
async function putBack(aside: string, file: string): Promise<void> {
  try {
    await fsp.link(aside, file);
  } catch (e) {
    const code = errorCode(e);
    // A third opener created the file in the moment the name was free and holds it now; the
    // one renamed aside cannot be given back without destroying that one.
    if (code === 'EEXIST') return;
    // File systems without hard links (FAT, some shares): rename replaces, which only a third
    // simultaneous opener could notice.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS' || code === 'EOPNOTSUPP') {
      await fsp.rename(aside, file);
      return;
    }
    throw e;
  }
  await fsp.rm(aside, { force: true });
}

/** Whether a file's mtime is recent enough that its writer may still be at work. */
function isYoung(held: Snapshot, now: () => number): boolean {
  const age = now() - Number(held.stat.mtimeMs);
  return age < SETTLE_MS && age > -CLOCK_SKEW_MS;
}

/**
 * Removes what a crash in the middle of a takeover leaves: `.gloss-lock.stale-*` files (renamed
 * aside, not yet removed) and an old `.gloss-lock.takeover`. Runs while we hold the lock; a
 * renamed file holding our own lock is spared, because whoever renamed it will put it back.
 */
async function removeLeftovers(dir: string, mine: Buffer, now: () => number): Promise<void> {
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const file = path.join(dir, name);
    const held = name.startsWith(STALE_PREFIX) || name === TAKEOVER_FILE ? await snapshot(file).catch(() => null) : null;
    if (!held) continue;
    if (name === TAKEOVER_FILE) {
      if (!isYoung(held, now)) await removeIfSame(file, held).catch(() => undefined);
    } else if (!held.bytes.equals(mine)) {
      await fsp.rm(file, { force: true }).catch(() => undefined);
    }
  }
}

/**
 * Removes the stale lock `judged` under the takeover file (see the module comment). 'taken': it
 * is gone; 'changed': the lock or the takeover file was not what it seemed, look again; 'busy':
 * another opener is taking over right now.
 */
async function takeOver(dir: string, judged: Snapshot, mine: Buffer, now: () => number): Promise<'taken' | 'changed' | 'busy'> {
  const mutex = path.join(dir, TAKEOVER_FILE);
  if (!(await createExclusive(mutex, mine))) {
    const other = await snapshot(mutex);
    if (other && isYoung(other, now)) return 'busy';
    if (other) await removeIfSame(mutex, other);
    return 'changed';
  }
  try {
    const file = path.join(dir, LOCK_FILE);
    const current = await snapshot(file);
    // Judged before we held the takeover file: another opener may have taken it over since.
    if (!current || !sameLock(current, judged)) return 'changed';
    return (await removeIfSame(file, judged)) ? 'taken' : 'changed';
  } finally {
    const held = await snapshot(mutex).catch(() => null);
    if (held?.bytes.equals(mine)) await fsp.rm(mutex, { force: true });
  }
}

/**
 * Takes the exclusive lock on the project folder `dir` (created if missing). Takes over a lock
 * left by a process that no longer runs, or an unreadable one older than a few seconds, and then
 * says so in `tookOver`. Throws ProjectLockError when the project is open elsewhere (in this
 * process, in another on this computer, or on another computer) or being opened right now.
 */
export async function acquireProjectLock(dir: string, opts: AcquireOptions = {}): Promise<ProjectLock> {
  const abs = path.resolve(dir);
  if (heldHere.has(abs)) throw new ProjectLockError(messages.alreadyHere(abs));
  // Reserved before the first await, so that two acquires in this process cannot both proceed.
  heldHere.add(abs);
  try {
    return await acquire(abs, opts.probe ?? realProbe, opts.now ?? Date.now);
  } catch (e) {
    heldHere.delete(abs);
    if (e instanceof ProjectLockError) throw e;
    // The folder is missing and cannot be made, read-only, or not ours to write.
    throw new ProjectLockError(messages.cannotCreate(abs, explain(e)), { cause: e });
  }
}

async function acquire(dir: string, probe: ProcessProbe, now: () => number): Promise<ProjectLock> {
  const file = path.join(dir, LOCK_FILE);
  const nonce = randomUUID();
  const record: LockRecord = {
    nonce,
    host: probe.hostname(),
    pid: probe.pid,
    bootId: probe.bootId(),
    bootTime: Math.round(bootTimeNow()),
    startTime: probe.startTime(probe.pid),
    since: new Date(now()).toISOString(),
  };
  const mine = Buffer.from(JSON.stringify(record));
  let tookOver: string | null = null;
  let busy = false;
  await fsp.mkdir(dir, { recursive: true });
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (await createExclusive(file, mine)) {
      await removeLeftovers(dir, mine, now);
      return heldLock(dir, file, nonce, tookOver);
    }
    let held: Snapshot | null;
    try {
      held = await snapshot(file);
    } catch (e) {
      throw new ProjectLockError(messages.cannotRead(dir, file, explain(e)), { cause: e });
    }
    if (!held) continue;
    const message = judge(dir, file, held, probe, now);
    const outcome = message === null ? 'busy' : await takeOver(dir, held, mine, now);
    busy = outcome === 'busy';
    if (outcome === 'taken') tookOver = message;
    if (busy) await new Promise((r) => setTimeout(r, WAIT_MS));
  }
  throw new ProjectLockError(busy ? messages.beingOpened(dir) : messages.contention(dir));
}

/**
 * The takeover message for a lock that is stale; null for an unreadable one that another opener
 * may be writing right now; throws ProjectLockError for one that is held.
 */
function judge(dir: string, file: string, held: Snapshot, probe: ProcessProbe, now: () => number): string | null {
  const record = parseRecord(held.bytes);
  if (!record) return isYoung(held, now) ? null : messages.tookOverUnreadable(dir);
  if (!sameHost(record.host, probe.hostname())) throw new ProjectLockError(messages.otherHost(dir, file, record.host));
  const reason = staleReason(record, probe);
  if (reason !== null) return messages.tookOverStale(dir, reason);
  // Written by this very process but not held by this module: the folder under another name.
  if (record.pid === probe.pid) throw new ProjectLockError(messages.alreadyHere(dir));
  throw new ProjectLockError(messages.otherProcess(dir, file, record.pid));
}

function heldLock(dir: string, file: string, nonce: string, tookOver: string | null): ProjectLock {
  let released = false;
  return {
    dir,
    tookOver,
    async release() {
      if (released) return;
      released = true;
      try {
        const held = await snapshot(file);
        if (held && parseRecord(held.bytes)?.nonce === nonce) await fsp.rm(file, { force: true });
      } catch {
        // Left for the next opener, which finds this process gone and takes the lock over.
      } finally {
        // Only now: a new acquire in this process must not find our file and take it for a stranger's.
        heldHere.delete(dir);
      }
    },
  };
}
