import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { ChangeLog, LOG_DIR, applyPassages, diffPassages, encodeRecord, type LogRecord } from '../../main/core/change-log';
import { StoreFileError, realFs, type DurableFs } from '../../main/core/durable';
import type { Annotation } from '../../shared/model';
import { tempDir } from '../support/project';

/** A valid passage id for a short name. */
const uuid = (name: string): string => `00000000-0000-4000-8000-${Buffer.from(name).toString('hex').padStart(12, '0')}`;

function passage(name: string, memo = ''): Annotation {
  return {
    id: uuid(name),
    documentId: 'd1',
    textHash: 'h',
    position: { type: 'TextPositionSelector', start: 0, end: 1 },
    quote: { type: 'TextQuoteSelector', exact: 'x', prefix: '', suffix: '' },
    codeIds: ['a'],
    memo,
    coderId: 'coder-ana',
    created: '2026-01-01T00:00:00.000Z',
    modified: '2026-01-01T00:00:00.000Z',
    rev: 1,
  };
}

function record(revision: number, ...put: Annotation[]): LogRecord {
  return { revision, passages: { d1: { put, remove: [], counts: { annotations: put.length, codes: { a: put.length } } } }, documents: [] };
}

let dir: string;
beforeEach(async () => {
  dir = await tempDir('gloss-log-');
});
afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

const segments = async (): Promise<string[]> => (await fsp.readdir(path.join(dir, LOG_DIR)).catch(() => [])).sort();
const segmentFile = async (i = 0): Promise<string> => path.join(dir, LOG_DIR, (await segments())[i]!);

async function write(records: LogRecord[]): Promise<void> {
  const { log } = await ChangeLog.open(dir, { repair: true });
  for (const r of records) await log.append(r);
  await log.close();
}

describe('the change log', () => {
  it('reads back what was appended, in order, from a segment named by its first revision', async () => {
    await write([record(1, passage('p1')), record(2, passage('p2', 'memo\nwith "quotes" and ☃')), record(3)]);
    expect(await segments()).toEqual(['000000000001.jsonl']);
    const { log, contents } = await ChangeLog.open(dir, { repair: true });
    expect(contents.records.map((r) => r.revision)).toEqual([1, 2, 3]);
    expect(contents.records[1]!.passages['d1']!.put[0]!.memo).toBe('memo\nwith "quotes" and ☃');
    expect(contents.tornTail).toBe(false);
    expect(log.bytes).toBe((await fsp.stat(await segmentFile())).size);
  });

  it('cuts off a torn last line when opened for writing, and only skips it read-only', async () => {
    await write([record(1, passage('p1')), record(2, passage('p2'))]);
    const file = await segmentFile();
    const whole = await fsp.readFile(file);
    const torn = encodeRecord(record(3, passage('p3')));
    await fsp.appendFile(file, torn.subarray(0, torn.length - 7));

    const readOnly = await ChangeLog.open(dir, { repair: false });
    expect(readOnly.contents.records.map((r) => r.revision)).toEqual([1, 2]);
    expect(readOnly.contents.tornTail).toBe(true);
    expect((await fsp.readFile(file)).length).toBeGreaterThan(whole.length);

    const writable = await ChangeLog.open(dir, { repair: true });
    expect(writable.contents.records.map((r) => r.revision)).toEqual([1, 2]);
    expect(await fsp.readFile(file)).toEqual(whole);
    // The next append follows the last whole line.
    await writable.log.append(record(3, passage('p3')));
    await writable.log.close();
    expect((await ChangeLog.open(dir, { repair: true })).contents.records.map((r) => r.revision)).toEqual([1, 2, 3]);
  });

  it('treats a last line that does not check out as torn, too', async () => {
    await write([record(1), record(2, passage('p2'))]);
    const file = await segmentFile();
    const bytes = await fsp.readFile(file);
    bytes[bytes.length - 20]! ^= 0x01;
    await fsp.writeFile(file, bytes);
    const { contents } = await ChangeLog.open(dir, { repair: true });
    expect(contents.records.map((r) => r.revision)).toEqual([1]);
    expect(contents.tornTail).toBe(true);
  });

  it('refuses a damaged line before the last, and leaves the file as it is', async () => {
    await write([record(1, passage('p1')), record(2, passage('p2')), record(3)]);
    const file = await segmentFile();
    const bytes = await fsp.readFile(file);
    const firstEnd = bytes.indexOf(0x0a);
    bytes[firstEnd - 5]! ^= 0x01;
    await fsp.writeFile(file, bytes);
    const opening = ChangeLog.open(dir, { repair: true });
    await expect(opening).rejects.toThrow(StoreFileError);
    await expect(ChangeLog.open(dir, { repair: true })).rejects.toThrow(/damaged \(the change recorded at byte 0 does not check out\)/);
    expect(await fsp.readFile(file)).toEqual(bytes);
  });

  it('refuses a whole line that is not a valid change, even the last, rather than cut it off', async () => {
    await write([record(1)]);
    const file = await segmentFile();
    const bad = { ...record(2), passages: { d1: { put: [{ ...passage('p'), id: 'not-a-uuid' }], remove: [], counts: { annotations: 1, codes: {} } } } };
    await fsp.appendFile(file, encodeRecord(bad as LogRecord));
    const bytes = await fsp.readFile(file);
    await expect(ChangeLog.open(dir, { repair: true })).rejects.toThrow(/cannot read \(at byte \d+: passages\.d1\.put\.0\.id/);
    expect(await fsp.readFile(file)).toEqual(bytes);
  });

  it('refuses a torn line in a segment that is not the last', async () => {
    const { log } = await ChangeLog.open(dir, { repair: true });
    await log.append(record(1));
    await log.seal();
    await log.append(record(2));
    await log.close();
    expect(await segments()).toEqual(['000000000001.jsonl', '000000000002.jsonl']);
    await fsp.appendFile(await segmentFile(0), 'abc');
    await expect(ChangeLog.open(dir, { repair: true })).rejects.toThrow(/000000000001\.jsonl is damaged/);
  });

  it('undoes the partial line of an append that failed, so that the next one follows whole lines', async () => {
    let failSync = false;
    const flaky: DurableFs = {
      ...realFs,
      open: async (file, flags, mode) => {
        const fh = await realFs.open(file, flags, mode);
        const sync = fh.sync.bind(fh);
        fh.sync = async () => {
          if (failSync) {
            failSync = false;
            throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
          }
          return sync();
        };
        return fh;
      },
    };
    const { log } = await ChangeLog.open(dir, { repair: true, fs: flaky });
    await log.append(record(1, passage('p1')));
    const size = log.bytes;
    failSync = true;
    await expect(log.append(record(2, passage('p2')))).rejects.toThrow(/EIO/);
    expect(log.bytes).toBe(size);
    expect((await fsp.stat(await segmentFile())).size).toBe(size);
    await log.append(record(2, passage('p2b')));
    await log.close();
    const { contents } = await ChangeLog.open(dir, { repair: false });
    expect(contents.records.map((r) => r.passages['d1']!.put.map((a) => a.id))).toEqual([[uuid('p1')], [uuid('p2b')]]);
    expect(contents.tornTail).toBe(false);
  });

  it('drops only the sealed segments', async () => {
    const { log } = await ChangeLog.open(dir, { repair: true });
    await log.append(record(1));
    await log.append(record(2));
    const sealed = await log.seal();
    await log.append(record(3));
    await log.dropSealed(sealed);
    await log.append(record(4));
    await log.close();
    expect(await segments()).toEqual(['000000000003.jsonl']);
    expect((await ChangeLog.open(dir, { repair: true })).contents.records.map((r) => r.revision)).toEqual([3, 4]);
  });

  it('removes a segment a crash left empty when opened for writing', async () => {
    await fsp.mkdir(path.join(dir, LOG_DIR), { recursive: true });
    await fsp.writeFile(path.join(dir, LOG_DIR, '000000000007.jsonl'), '');
    const { log, contents } = await ChangeLog.open(dir, { repair: true });
    expect(contents.records).toEqual([]);
    expect(log.empty).toBe(true);
    expect(await segments()).toEqual([]);
  });
});

describe('passage deltas', () => {
  it('turn one list into another: replaced in place, removed, added at the end', () => {
    const before = ['a', 'b', 'c', 'd'].map((id) => passage(id));
    const after = [before[0]!, { ...before[1]!, memo: 'changed' }, before[3]!, passage('e'), passage('f')];
    const delta = diffPassages(before, after);
    expect(delta.put.map((a) => a.id)).toEqual(['b', 'e', 'f'].map(uuid));
    expect(delta.remove).toEqual([uuid('c')]);
    expect(applyPassages(before, delta)).toEqual(after);
  });

  it('find nothing when only the list was copied', () => {
    const before = ['a', 'b'].map((id) => passage(id));
    expect(diffPassages(before, [...before])).toEqual({ put: [], remove: [] });
  });
});
