import { describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api-core';
import {
  base64OfBytes,
  carriesFiles,
  countOutcomes,
  deleteQuestion,
  encodingGroups,
  encodingNeeded,
  fitFileName,
  progressOf,
  reportSentence,
  statusText,
  type ImportItem,
  type ImportStatus,
} from '../../renderer/import-files';

// The pure parts of importing documents from the UI.

const bytes = (n: number, seed = 7): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 17 + (i >> 8)) & 0xff);
const item = (id: number, status: ImportStatus, name = `file-${id}.txt`): ImportItem => ({ id, name, status });

describe('base64OfBytes', () => {
  it('is the base64 of the bytes, whatever their length against the chunk size', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]) {
      const b = bytes(n);
      expect(base64OfBytes(b, 3), `${n} bytes`).toBe(Buffer.from(b).toString('base64'));
      expect(base64OfBytes(b, 6), `${n} bytes`).toBe(Buffer.from(b).toString('base64'));
    }
  });

  it('encodes every byte value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(base64OfBytes(all)).toBe(Buffer.from(all).toString('base64'));
  });

  it('encodes a file of several megabytes without exceeding the call stack', () => {
    const big = bytes(5 * 1024 * 1024 + 1);
    expect(base64OfBytes(big)).toBe(Buffer.from(big).toString('base64'));
  });

  it('refuses chunks that would put padding in the middle', () => {
    expect(() => base64OfBytes(bytes(10), 4)).toThrow(RangeError);
    expect(() => base64OfBytes(bytes(10), 0)).toThrow(RangeError);
  });
});

describe('fitFileName', () => {
  it('leaves names the API takes alone, and shortens longer ones keeping the extension', () => {
    expect(fitFileName('interview.docx')).toBe('interview.docx');
    const long = `${'x'.repeat(300)}.markdown`;
    expect(fitFileName(long)).toHaveLength(255);
    expect(fitFileName(long).endsWith('.markdown')).toBe(true);
  });
});

describe('the report', () => {
  it('counts every outcome in one sentence', () => {
    expect(reportSentence({ imported: 7, duplicates: 2, failed: 1, encoding: 0, cancelled: 0 })).toBe('Imported 7 documents; 2 skipped as duplicates; 1 failed.');
    expect(reportSentence({ imported: 1, duplicates: 1, failed: 0, encoding: 1, cancelled: 3 })).toBe('Imported 1 document; 1 skipped as duplicate; 1 needs its encoding; 3 not imported (cancelled).');
    expect(reportSentence({ imported: 0, duplicates: 0, failed: 2, encoding: 2, cancelled: 0 })).toBe('Imported no documents; 2 failed; 2 need their encoding.');
  });

  it('counts the files of an import by where they ended', () => {
    const items = [
      item(1, { kind: 'imported', documentId: 'a', title: 'A', notes: [] }),
      item(2, { kind: 'imported', documentId: 'b', title: 'B', notes: [] }),
      item(3, { kind: 'duplicate', of: 'A' }),
      item(4, { kind: 'failed', reason: 'bad' }),
      item(5, { kind: 'encoding', reason: 'which?', suggestions: [], choices: [] }),
      item(6, { kind: 'cancelled' }),
    ];
    expect(countOutcomes(items)).toEqual({ imported: 2, duplicates: 1, failed: 1, encoding: 1, cancelled: 1 });
    expect(progressOf(items)).toEqual({ done: 6, total: 6 });
    expect(progressOf([item(1, { kind: 'ready', token: 't', title: 'T', notes: [] }), item(2, { kind: 'reading' }), item(3, { kind: 'waiting' })])).toEqual({ done: 1, total: 3 });
  });

  it('says where each file is', () => {
    expect(statusText(item(1, { kind: 'waiting' }))).toBe('Waiting');
    expect(statusText(item(1, { kind: 'reading' }))).toBe('Reading…');
    expect(statusText(item(1, { kind: 'ready', token: 't', title: 'T', notes: [] }))).toBe('Ready');
    expect(statusText(item(1, { kind: 'duplicate', of: 'Field notes' }))).toBe('Duplicate of “Field notes”: skipped');
    expect(statusText(item(1, { kind: 'failed', reason: 'The file is empty.' }))).toBe('Failed: The file is empty.');
    expect(statusText(item(1, { kind: 'imported', documentId: 'd', title: 'Minutes', notes: [] }, 'minutes.txt'))).toBe('Imported as “Minutes”');
    expect(statusText(item(1, { kind: 'imported', documentId: 'd', title: 'minutes', notes: [] }, 'minutes.txt'))).toBe('Imported');
    expect(statusText(item(1, { kind: 'cancelled' }))).toBe('Not imported (cancelled)');
  });
});

describe('encodings', () => {
  const choices = [
    { label: 'utf-8', name: 'Unicode (UTF-8)' },
    { label: 'windows-1252', name: 'Western European (Windows-1252)' },
    { label: 'iso-8859-2', name: 'Central European (ISO 8859-2)' },
  ];

  it('reads what main says when only the encoding is unknown', () => {
    const e = new ApiError('invalid_input', 'Choose the encoding.', { encodings: ['windows-1252', 'koi8-unknown'], choices } as never);
    expect(encodingNeeded(e)).toEqual({ suggestions: ['windows-1252'], choices });
    expect(encodingNeeded(new ApiError('invalid_input', 'The file is empty.'))).toBeNull();
    expect(encodingNeeded(new ApiError('conflict', 'cancelled', { encodings: [], choices } as never))).toBeNull();
    expect(encodingNeeded(new ApiError('invalid_input', 'odd', { encodings: 'utf-8', choices: 'all' } as never))).toBeNull();
  });

  it('offers the likeliest encodings first, then all of them', () => {
    expect(encodingGroups(['iso-8859-2', 'windows-1252'], choices)).toEqual([
      { label: 'Likeliest', options: [choices[2], choices[1]] },
      { label: 'All encodings', options: choices },
    ]);
    expect(encodingGroups([], choices)).toEqual([{ label: 'All encodings', options: choices }]);
  });
});

describe('drags and deletions', () => {
  it('tells drags of files from other drags', () => {
    expect(carriesFiles({ types: ['Files'] })).toBe(true);
    expect(carriesFiles({ types: ['text/plain', 'Files'] })).toBe(true);
    expect(carriesFiles({ types: ['text/plain'] })).toBe(false);
    expect(carriesFiles({ types: ['application/x-gloss-code'] })).toBe(false);
    expect(carriesFiles(null)).toBe(false);
  });

  it('names the document and counts its passages before deleting it', () => {
    expect(deleteQuestion('Field notes', 12)).toBe('Delete “Field notes” and its 12 coded passages? You can undo this.');
    expect(deleteQuestion('Field notes', 1)).toBe('Delete “Field notes” and its 1 coded passage? You can undo this.');
    expect(deleteQuestion('Field notes', 0)).toBe('Delete “Field notes”? It has no coded passages. You can undo this.');
  });
});
