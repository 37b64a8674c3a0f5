import { Inflate } from 'fflate';
import { crc32 } from 'node:zlib';
import { IMPORT_LIMITS, ImportFailure } from './types';

/**
 * A guarded reader of zip archives (DOCX, ODT and EPUB are all zips), for files from anywhere.
 * The central directory is read here, not by a library, so that every entry is checked before
 * a byte is inflated: names that could point anywhere but inside the archive, duplicates,
 * entries that overlap or lie outside the file, encryption, ZIP64 and split archives are
 * refused, and so are sizes and compression ratios past the limits below. fflate only inflates,
 * one small slice at a time, so an entry that inflates past the size it declares is stopped
 * there; what comes out must then be exactly that size and match the entry's CRC-32.
 */

/** Limits on what one archive may hold and cost. */
export const ZIP_LIMITS = {
  /** Entries in one archive: a long EPUB has a few hundred; this bounds the work of listing. */
  entries: 10_000,
  /** The declared size of one entry: no part of a document Gloss reads is near it. */
  entryBytes: 64 * 1024 * 1024,
  /**
   * The declared size of all entries together. Most of a large document is images, stored
   * nearly uncompressed and never inflated here, so four times the largest file accepted.
   */
  totalBytes: 4 * IMPORT_LIMITS.fileBytes,
  /** What all reads from one archive may inflate: the parts of a document that are text. */
  readBytes: 100 * 1024 * 1024,
  /**
   * The largest ratio of declared to compressed size, for entries above `ratioFloorBytes`.
   * XML compresses about 5–20:1; deflate's ceiling is about 1,032:1, which zip bombs use.
   */
  ratio: 200,
  /** Entries below this may compress as well as they like (a short run of repeated markup). */
  ratioFloorBytes: 1024 * 1024,
} as const;

/** Compressed bytes inflated per step: deflate's ceiling makes that at most ~4 MB of output. */
export const INFLATE_SLICE = 4096;

/**
 * What every archive read in this process has inflated so far, refused reads included:
 * compressed bytes given to the inflater (`fed`) and the bytes it gave back (`produced`). Only
 * ever added to, and nothing here reads it: it lets tests measure the work the limits above
 * bound in bytes, where a clock would measure the machine.
 */
export const inflateWork = { fed: 0, produced: 0 };

/** One file in an archive, as its central directory describes it. */
export interface ZipEntry {
  name: string;
  /** Declared uncompressed size. */
  size: number;
  compressedSize: number;
  /** 0 stored, 8 deflated; others are refused when read. */
  method: number;
  crc: number;
  encrypted: boolean;
  /** Offset of the entry's local header. */
  headerOffset: number;
  /** Offset of its data, past the local header. */
  dataOffset: number;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const SIG_END64_LOCATOR = 0x07064b50;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** An archive whose directory has been checked; entries are inflated only when read. */
export class ZipArchive {
  private readonly byName = new Map<string, ZipEntry>();
  private inflated = 0;

  private constructor(
    private readonly bytes: Uint8Array,
    /** What the file should be, for messages ("Word document"). */
    readonly kind: string,
    entries: ZipEntry[],
  ) {
    for (const e of entries) this.byName.set(e.name, e);
  }

  /** Reads and checks the archive's directory; throws ImportFailure naming what is wrong. */
  static open(bytes: Uint8Array, kind: string): ZipArchive {
    return new ZipArchive(bytes, kind, readDirectory(bytes, kind));
  }

  /** The names of the files in the archive (folders left out), in directory order. */
  names(): string[] {
    return [...this.byName.keys()].filter((n) => !n.endsWith('/'));
  }

  has(name: string): boolean {
    return this.byName.has(name) && !name.endsWith('/');
  }

  entry(name: string): ZipEntry | undefined {
    return this.byName.get(name);
  }

  /** An entry's bytes, checked against its declared size and CRC-32; refused above `maxBytes`. */
  read(name: string, maxBytes: number = IMPORT_LIMITS.markupBytes): Uint8Array {
    const e = this.byName.get(name);
    if (!e || name.endsWith('/')) throw this.fail(`it has no “${name}”`);
    if (e.encrypted) throw this.fail(`“${name}” is encrypted (password-protected files cannot be imported; save a copy without a password)`);
    if (e.size > maxBytes) throw this.fail(`“${name}” is too large (${mb(e.size)} MB; the limit is ${mb(maxBytes)} MB)`);
    if (this.inflated + e.size > ZIP_LIMITS.readBytes) throw this.fail(`its text parts come to more than ${mb(ZIP_LIMITS.readBytes)} MB`);
    const raw = this.bytes.subarray(e.dataOffset, e.dataOffset + e.compressedSize);
    let out: Uint8Array;
    if (e.method === 0) {
      if (e.compressedSize !== e.size) throw this.fail(`“${name}” is damaged (its two sizes differ)`);
      out = raw;
    } else if (e.method === 8) {
      out = inflateExactly(raw, e.size, () => this.fail(`“${name}” is damaged or unsafe: it holds more data than it says`), () => this.fail(`“${name}” is damaged (its compressed data is invalid)`));
    } else {
      throw this.fail(`“${name}” is compressed with a method Gloss cannot read (method ${e.method})`);
    }
    if (out.length !== e.size) throw this.fail(`“${name}” is damaged: it holds ${out.length.toLocaleString('en')} bytes where it says ${e.size.toLocaleString('en')}`);
    if (crc32(out) >>> 0 !== e.crc) throw this.fail(`“${name}” is damaged (its checksum does not match)`);
    this.inflated += out.length;
    return out;
  }

  /** An entry as text: UTF-8, or UTF-16 when it starts with a byte-order mark; the mark removed. */
  readText(name: string, maxBytes?: number): string {
    const bytes = this.read(name, maxBytes);
    try {
      if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le', { fatal: true }).decode(bytes.subarray(2));
      if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be', { fatal: true }).decode(bytes.subarray(2));
      const text = UTF8.decode(bytes);
      return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    } catch {
      throw this.fail(`“${name}” is not valid UTF-8 text`);
    }
  }

  /** A failure about this archive, fit to show the user. */
  fail(problem: string): ImportFailure {
    return archiveFailure(this.kind, problem);
  }
}

function archiveFailure(kind: string, problem: string): ImportFailure {
  return new ImportFailure(`The file cannot be read as a ${kind}: ${problem}.`);
}

function mb(n: number): string {
  return (n / 1048576).toFixed(n < 1048576 ? 2 : 0);
}

/**
 * Inflates raw deflate data that must come to exactly `size` bytes, stopping as soon as it
 * would come to more: a slice at a time, so a lying entry never costs more than a step past
 * what it declared.
 */
function inflateExactly(raw: Uint8Array, size: number, tooLong: () => ImportFailure, invalid: () => ImportFailure): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  let overflow = false;
  const inflater = new Inflate((chunk) => {
    inflateWork.produced += chunk.length;
    if (at + chunk.length > size) {
      overflow = true;
      throw tooLong();
    }
    out.set(chunk, at);
    at += chunk.length;
  });
  try {
    if (raw.length === 0) inflater.push(raw, true);
    for (let i = 0; i < raw.length; i += INFLATE_SLICE) {
      const end = Math.min(raw.length, i + INFLATE_SLICE);
      inflateWork.fed += end - i;
      inflater.push(raw.subarray(i, end), end === raw.length);
    }
  } catch (e) {
    if (overflow) throw tooLong();
    if (e instanceof ImportFailure) throw e;
    throw invalid();
  }
  return at === size ? out : out.subarray(0, at);
}

/** Why a name must not be used, or null: it has to name a place inside the archive, one way only. */
function nameProblem(name: string): string | null {
  if (name === '') return 'an entry without a name';
  if (name.includes('\0')) return 'an entry whose name holds a NUL character';
  if (name.includes('\\')) return `an entry with a backslash in its name (“${shown(name)}”)`;
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return `an entry with an absolute path (“${shown(name)}”)`;
  if (name.split('/').some((seg) => seg === '..')) return `an entry whose name leads outside the archive (“${shown(name)}”)`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0001-\u001f\u007f]/.test(name)) return 'an entry whose name holds control characters';
  return null;
}

function shown(name: string): string {
  return name.length > 80 ? `${name.slice(0, 80)}…` : name;
}

/** The entries of the archive's central directory, all checked (see the module comment). */
function readDirectory(bytes: Uint8Array, kind: string): ZipEntry[] {
  const fail = (problem: string): ImportFailure => archiveFailure(kind, problem);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number): number => view.getUint16(at, true);
  const u32 = (at: number): number => view.getUint32(at, true);
  const end = findEnd(bytes, view);
  if (end < 0) throw fail('it is not a zip archive, or it is damaged or cut short (its directory is missing)');
  if (end >= 20 && u32(end - 20) === SIG_END64_LOCATOR) throw fail('it is a ZIP64 archive, which no document of a size Gloss imports needs');
  const disk = u16(end + 4);
  const cdDisk = u16(end + 6);
  const onDisk = u16(end + 8);
  const count = u16(end + 10);
  const cdSize = u32(end + 12);
  const cdOffset = u32(end + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) throw fail('it is a ZIP64 archive, which no document of a size Gloss imports needs');
  if (disk !== 0 || cdDisk !== 0 || onDisk !== count) throw fail('it is one part of a split archive');
  if (count > ZIP_LIMITS.entries) throw fail(`it holds ${count.toLocaleString('en')} files; the limit is ${ZIP_LIMITS.entries.toLocaleString('en')}`);
  if (cdOffset + cdSize > end) throw fail('it is damaged (its directory lies outside the file)');

  const entries: ZipEntry[] = [];
  const seen = new Set<string>();
  let total = 0;
  let at = cdOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > cdOffset + cdSize || u32(at) !== SIG_CENTRAL) throw fail('it is damaged (its directory is cut short)');
    const flags = u16(at + 8);
    const method = u16(at + 10);
    const crc = u32(at + 16);
    const compressedSize = u32(at + 20);
    const size = u32(at + 24);
    const nameLen = u16(at + 28);
    const extraLen = u16(at + 30);
    const commentLen = u16(at + 32);
    const headerOffset = u32(at + 42);
    const next = at + 46 + nameLen + extraLen + commentLen;
    if (next > cdOffset + cdSize) throw fail('it is damaged (its directory is cut short)');
    const nameBytes = bytes.subarray(at + 46, at + 46 + nameLen);
    const name = decodeName(nameBytes, (flags & 0x800) !== 0);
    if (name === null) throw fail('an entry’s name is not valid UTF-8');
    const problem = nameProblem(name);
    if (problem) throw fail(`it holds ${problem}`);
    if (seen.has(name)) throw fail(`it holds two entries named “${shown(name)}”`);
    seen.add(name);
    if (size === 0xffffffff || compressedSize === 0xffffffff || headerOffset === 0xffffffff) throw fail('it is a ZIP64 archive, which no document of a size Gloss imports needs');
    if (size > ZIP_LIMITS.entryBytes) throw fail(`“${shown(name)}” would unpack to ${mb(size)} MB; the limit is ${mb(ZIP_LIMITS.entryBytes)} MB`);
    total += size;
    if (total > ZIP_LIMITS.totalBytes) throw fail(`its files would unpack to more than ${mb(ZIP_LIMITS.totalBytes)} MB`);
    if (size > ZIP_LIMITS.ratioFloorBytes && size > compressedSize * ZIP_LIMITS.ratio) {
      throw fail(`“${shown(name)}” is compressed ${Math.round(size / Math.max(1, compressedSize)).toLocaleString('en')} to 1, which only a zip bomb is; the limit is ${ZIP_LIMITS.ratio} to 1`);
    }
    // The local header repeats the name and method; a reader that trusts only one of the two
    // copies can be shown another file than the one checked, so they must agree.
    if (headerOffset + 30 > cdOffset || u32(headerOffset) !== SIG_LOCAL) throw fail(`“${shown(name)}” is damaged (its header is missing)`);
    const localNameLen = u16(headerOffset + 26);
    const localExtraLen = u16(headerOffset + 28);
    const dataOffset = headerOffset + 30 + localNameLen + localExtraLen;
    const localName = bytes.subarray(headerOffset + 30, headerOffset + 30 + localNameLen);
    if (u16(headerOffset + 8) !== method || !sameBytes(localName, nameBytes)) throw fail(`“${shown(name)}” is damaged (its two headers disagree)`);
    if (dataOffset + compressedSize > cdOffset) throw fail(`“${shown(name)}” is damaged (its data runs past the end)`);
    entries.push({ name, size, compressedSize, method, crc, encrypted: (flags & 1) !== 0, headerOffset, dataOffset });
    at = next;
  }
  // Entries whose data overlap can make a small file unpack many times over.
  const byOffset = [...entries].sort((a, b) => a.headerOffset - b.headerOffset);
  for (let i = 1; i < byOffset.length; i++) {
    const prev = byOffset[i - 1]!;
    if (prev.dataOffset + prev.compressedSize > byOffset[i]!.headerOffset) throw fail(`“${shown(byOffset[i]!.name)}” overlaps another entry`);
  }
  return entries;
}

/** The offset of the end-of-directory record: the last one whose comment ends the file exactly. */
function findEnd(bytes: Uint8Array, view: DataView): number {
  const last = bytes.length - 22;
  for (let at = last; at >= 0 && at >= last - 0xffff; at--) {
    if (bytes[at] === 0x50 && view.getUint32(at, true) === SIG_END && at + 22 + view.getUint16(at + 20, true) === bytes.length) return at;
  }
  return -1;
}

/** Names are UTF-8 when flagged; unflagged ones are ASCII in the formats read here, else taken as UTF-8 if they are valid. */
function decodeName(bytes: Uint8Array, utf8: boolean): string | null {
  try {
    return UTF8.decode(bytes);
  } catch {
    return utf8 ? null : Buffer.from(bytes).toString('latin1');
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A path inside the archive that `href` (a relative URL from the entry `from`) names, or null
 * when it names something outside it (`..` past the top, an absolute path, another scheme).
 * Fragment and query are dropped, escapes decoded.
 */
export function resolveInArchive(from: string, href: string): string | null {
  const path = href.split(/[?#]/)[0]!;
  if (path === '' || /^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith('/') || path.includes('\\')) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return null;
  }
  const parts = from.split('/').slice(0, -1);
  for (const seg of decoded.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else {
      parts.push(seg);
    }
  }
  const out = parts.join('/');
  return out === '' || nameProblem(out) ? null : out;
}
