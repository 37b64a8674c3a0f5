import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { parse } from 'csv-parse/sync';
import {
  CSV_COLUMNS,
  csvColumns,
  neutraliseFormula,
  writeCodedPassagesCsv,
  type CsvSource,
  type CsvStreamOptions,
} from '../../main/core/export-csv';
import type { Annotation, Code, Coder, DocumentMeta, DocumentVariable } from '../../shared/model';

// Tiny builders: a codebook entry, a coder, a coded passage, a document, and a source over them.
let slots = 0;
function code(id: string, name: string, parentId: string | null = null): Code {
  return { id, name, color: '#336699', description: '', parentId, slot: slots++ };
}

function coder(id: string, name: string): Coder {
  return { id, name, initials: 'X', color: '#1f77b4' };
}

/** The coders every source knows unless told otherwise; passages are Alice's by default. */
const coders = [coder('coder-alice', 'Alice'), coder('coder-bea', 'Bea')];

function ann(id: string, fields: Partial<Annotation> & { start?: number; end?: number; exact?: string } = {}): Annotation {
  const { start = 0, end = 4, exact = 'text', ...rest } = fields;
  return {
    id,
    documentId: 'd1',
    textHash: 'hash',
    position: { type: 'TextPositionSelector', start, end },
    quote: { type: 'TextQuoteSelector', exact, prefix: '', suffix: '' },
    codeIds: [],
    memo: '',
    coderId: 'coder-alice',
    created: '2024-05-01T10:00:00.000Z',
    modified: '2024-05-02T11:00:00.000Z',
    rev: 1,
    ...rest,
  };
}

function meta(title: string, fields: Partial<DocumentMeta> = {}): DocumentMeta {
  return { title, publication: 'The Paper', author: 'Someone', date: '2020-03-01', url: 'https://example.org/a', ...fields };
}

type Doc = { id: string; meta: DocumentMeta; annotations: Annotation[] };

function doc(id: string, annotations: Annotation[], m: DocumentMeta = meta(`Title ${id}`)): Doc {
  return { id, meta: m, annotations };
}

function source(docs: Doc[], codes: Code[] = [], people: Coder[] = coders): CsvSource {
  return {
    codes,
    coders: people,
    documents: () => docs.map(({ id, meta }) => ({ id, meta })),
    annotations: (documentId) => docs.find((d) => d.id === documentId)!.annotations,
  };
}

/** The whole export as text, through the real stream writer. */
async function csvText(src: CsvSource, opts: { bom: boolean } & CsvStreamOptions): Promise<{ content: string; rows: number }> {
  const { stream, chunks } = recorder();
  const { rows } = await writeCodedPassagesCsv(src, stream, opts);
  return { content: Buffer.concat(chunks).toString('utf8'), rows };
}

/**
 * Parses strictly: a lone CR or LF outside quotes also ends a record here, so a field that the
 * writer forgot to quote shows up as a broken record (csv-parse rejects uneven column counts).
 */
function parseCsv(content: string | Buffer): string[][] {
  return parse(content, { bom: true, record_delimiter: ['\r\n', '\n', '\r'] });
}

/** The data rows as objects keyed by column, header checked on the way. */
async function exportRows(src: CsvSource): Promise<Record<string, string>[]> {
  const { content, rows } = await csvText(src, { bom: false });
  const [header, ...records] = parseCsv(content);
  expect(header).toEqual(CSV_COLUMNS);
  expect(records).toHaveLength(rows);
  return records.map((r) => Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, r[i]!])));
}

const codebook = [code('c1', 'Repression tactic'), code('c2', 'Surveillance', 'c1'), code('c3', 'Protest')];

describe('CSV export: document variables', () => {
  const variables: DocumentVariable[] = [
    { id: 'v-site', name: 'Site', type: 'choice', choices: ['Seoul', 'Busan'] },
    { id: 'v-wave', name: 'Wave', type: 'number' },
    { id: 'v-consent', name: 'Consent', type: 'boolean' },
    { id: 'v-memo', name: 'memo', type: 'text' },
    { id: 'v-when', name: 'Interviewed', type: 'date' },
  ];

  it('adds a column per variable after the document columns, its values as spreadsheets read them', async () => {
    const src: CsvSource = {
      codes: codebook,
      coders,
      variables,
      documents: () => [
        { id: 'd1', meta: meta('One'), values: { 'v-site': 'Busan', 'v-wave': -2, 'v-consent': true, 'v-memo': '=SUM(A1)', 'v-when': '2020-03' } },
        { id: 'd2', meta: meta('Two') },
      ],
      annotations: (id) => [ann(`a-${id}`, { documentId: id, codeIds: ['c3'] })],
    };
    const { content } = await csvText(src, { bom: false });
    const [header, ...records] = parseCsv(content);
    expect(header).toEqual(['document_id', 'document_title', 'publication', 'document_date', 'Site', 'Wave', 'Consent', 'memo (variable)', 'Interviewed', ...CSV_COLUMNS.slice(4)]);
    expect(header).toEqual(csvColumns(variables));
    expect(records[0]!.slice(4, 9)).toEqual(['Busan', '-2', 'true', "'=SUM(A1)", '2020-03']);
    expect(records[1]!.slice(4, 9)).toEqual(['', '', '', '', '']);
    expect(records[0]!.slice(9, 12)).toEqual(['a-d1', 'c3', 'Protest']);
  });

  it('has no such columns in a project without variables', async () => {
    expect(csvColumns([])).toEqual(CSV_COLUMNS);
    expect(csvColumns()).toEqual(CSV_COLUMNS);
  });
});

describe('CSV export: shape', () => {
  it('starts with the header row, exactly the columns, ended by CRLF', async () => {
    const { content, rows } = await csvText(source([]), { bom: false });
    expect(content).toBe(
      'document_id,document_title,publication,document_date,annotation_id,code_id,code_path,start,end,quote,memo,coder,created_at,modified_at\r\n',
    );
    expect(rows).toBe(0);
  });

  it('writes one row per (passage, code) with every field in place', async () => {
    const src = source(
      [doc('d1', [ann('a1', { start: 10, end: 25, exact: 'watch them closely', codeIds: ['c2', 'c3'], memo: 'Key line', coderId: 'coder-bea' })],
        meta('Minister defends powers', { publication: 'Daily', date: '2021-07' }))],
      codebook,
    );
    const common = {
      document_id: 'd1', document_title: 'Minister defends powers', publication: 'Daily', document_date: '2021-07',
      annotation_id: 'a1', start: '10', end: '25', quote: 'watch them closely', memo: 'Key line', coder: 'Bea',
      created_at: '2024-05-01T10:00:00.000Z', modified_at: '2024-05-02T11:00:00.000Z',
    };
    expect(await exportRows(src)).toEqual([
      { ...common, code_id: 'c2', code_path: 'Repression tactic > Surveillance' },
      { ...common, code_id: 'c3', code_path: 'Protest' },
    ]);
  });

  it('separates every record with CRLF, leaving line breaks only inside quoted fields', async () => {
    const src = source([doc('d1', [ann('a1', { exact: 'one\ntwo', memo: 'three\rfour', codeIds: ['c1'] }), ann('a2')])], codebook);
    const { content } = await csvText(src, { bom: false });
    const outsideQuotes = content.replace(/"(?:[^"]|"")*"/g, '""');
    expect(outsideQuotes.split('\r\n')).toHaveLength(4);
    expect(outsideQuotes).not.toMatch(/\r(?!\n)|(?<!\r)\n/);
    expect(content).toContain('"one\ntwo"');
    expect(content).toContain('"three\rfour"');
  });

  it('keeps a passage with no codes as one row with empty code fields', async () => {
    const rows = await exportRows(source([doc('d1', [ann('a1', { memo: 'Not coded yet, but noted' })])], codebook));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ annotation_id: 'a1', code_id: '', code_path: '', memo: 'Not coded yet, but noted' });
  });

  it('fills code_id but leaves code_path empty for a code missing from the codebook', async () => {
    const rows = await exportRows(source([doc('d1', [ann('a1', { codeIds: ['gone', 'c3'] })])], codebook));
    expect(rows.map((r) => [r.code_id, r.code_path])).toEqual([['gone', ''], ['c3', 'Protest']]);
  });

  it('writes a code listed twice on a passage once', async () => {
    const rows = await exportRows(source([doc('d1', [ann('a1', { codeIds: ['c3', 'c3'] })])], codebook));
    expect(rows.map((r) => r.code_id)).toEqual(['c3']);
  });

  it('writes the coder by name, and by id when the project lists no such coder', async () => {
    const rows = await exportRows(source([doc('d1', [ann('a1', { start: 1 }), ann('a2', { start: 2, coderId: 'coder-bea' }), ann('a3', { start: 3, coderId: 'coder-gone' })])]));
    expect(rows.map((r) => r.coder)).toEqual(['Alice', 'Bea', 'coder-gone']);
  });

  it('counts data rows, not the header', async () => {
    const src = source([doc('d1', [ann('a1', { codeIds: ['c1', 'c2'] }), ann('a2')]), doc('d2', []), doc('d3', [ann('a3', { codeIds: ['c3'] })])], codebook);
    expect((await csvText(src, { bom: false })).rows).toBe(4);
  });
});

describe('CSV export: code paths', () => {
  const pathOf = async (codes: Code[], codeId: string): Promise<string> =>
    (await exportRows(source([doc('d1', [ann('a1', { codeIds: [codeId] })])], codes)))[0]!.code_path!;

  it('joins a nested code’s ancestry, root first, with " > "', async () => {
    expect(await pathOf([code('c', 'C', 'b'), code('a', 'A'), code('b', 'B', 'a')], 'c')).toBe('A > B > C');
  });

  it('ends the path at a parent missing from the codebook', async () => {
    expect(await pathOf([code('b', 'B', 'gone'), code('c', 'C', 'b')], 'c')).toBe('B > C');
  });

  it('terminates on a cycle of parents, each code once', async () => {
    const cycle = [code('a', 'A', 'c'), code('b', 'B', 'a'), code('c', 'C', 'b')];
    expect(await pathOf(cycle, 'b')).toBe('C > A > B');
    expect(await pathOf([code('s', 'Self', 's')], 's')).toBe('Self');
  });
});

describe('CSV export: text round trip', () => {
  const tricky: [string, string][] = [
    ['comma', 'one, two, three'],
    ['double quotes', 'he said "no" and ""left"'],
    ['only a quote', '"'],
    ['LF', 'line one\nline two'],
    ['CR', 'line one\rline two'],
    ['CRLF', 'line one\r\nline two\r\n'],
    ['tab inside', 'col\tcol'],
    ['emoji', 'protest ✊🏽 and 👩‍👩‍👧 family'],
    ['CJK', '監視社会における抗議運動'],
    ['RTL', 'المراقبة والاحتجاج ‏(2020)‏'],
    ['combining marks', 'Cafe\u0301 Zo\u0308e ñ'],
    ['leading and trailing spaces', '  padded  '],
    ['everything at once', 'a,"b"\r\nc\n\rd\t✊ 監視 المراقبة e\u0301'],
  ];

  it.each(tricky)('keeps %s exactly in every text column', async (_name, text) => {
    const codes = [code('c1', text), code('c2', 'Child', 'c1')];
    const src = source(
      [doc(`doc ${text}`, [ann(`ann ${text}`, { exact: text, memo: text, coderId: 'coder-t', codeIds: ['c2'], created: text, modified: text })],
        meta(text, { publication: text, date: text }))],
      codes,
      [coder('coder-t', text)],
    );
    const [row] = await exportRows(src);
    expect(row).toEqual({
      document_id: `doc ${text}`, document_title: text, publication: text, document_date: text,
      annotation_id: `ann ${text}`, code_id: 'c2', code_path: `${text} > Child`, start: '0', end: '4',
      quote: text, memo: text, coder: text, created_at: text, modified_at: text,
    });
  });
});

describe('CSV export: formula neutralisation', () => {
  const triggers = ['=', '+', '-', '@', '\t', '\r'];

  it.each(triggers)('neutraliseFormula prefixes a cell starting with %j', (c) => {
    expect(neutraliseFormula(`${c}SUM(A1:A9)`)).toBe(`'${c}SUM(A1:A9)`);
    expect(neutraliseFormula(c)).toBe(`'${c}`);
  });

  it('neutraliseFormula leaves other cells alone, including triggers further in', () => {
    for (const cell of ['', 'plain', ' =1+1', 'a=b', 'x+y-z@w', 'tab\there', "'already", '\n=1', '１+１']) {
      expect(neutraliseFormula(cell)).toBe(cell);
    }
  });

  it.each(triggers)('reads back every text cell starting with %j as a quote mark plus the original', async (c) => {
    const text = `${c}HYPERLINK("http://evil.example","click")`;
    const src = source(
      [doc(`${c}doc`, [ann(`${c}ann`, { exact: text, memo: text, coderId: `${c}coder`, codeIds: [`${c}code`], created: text, modified: text }),
        ann(`${c}ann2`, { start: 5, end: 9, exact: 'text', coderId: `${c}unlisted` })],
        meta(text, { publication: text, date: text }))],
      [code(`${c}code`, text)],
      [coder(`${c}coder`, text)],
    );
    const [row, unlisted] = await exportRows(src);
    expect(row).toEqual({
      document_id: `'${c}doc`, document_title: `'${text}`, publication: `'${text}`, document_date: `'${text}`,
      annotation_id: `'${c}ann`, code_id: `'${c}code`, code_path: `'${text}`, start: '0', end: '4',
      quote: `'${text}`, memo: `'${text}`, coder: `'${text}`, created_at: `'${text}`, modified_at: `'${text}`,
    });
    // A coder id written in place of a missing name is neutralised too.
    expect(unlisted!.coder).toBe(`'${c}unlisted`);
  });

  it('neutralises a code path whose root name is a formula, not the names after it', async () => {
    const rows = await exportRows(source([doc('d1', [ann('a1', { codeIds: ['c'] })])], [code('p', '=Root'), code('c', '@Child', 'p')]));
    expect(rows[0]!.code_path).toBe("'=Root > @Child");
  });

  it('leaves text with those characters later on unchanged', async () => {
    const text = 'Costs = 5 + 3 - 1 @ noon\tthen\ron';
    const [row] = await exportRows(source([doc('d1', [ann('a1', { exact: text, memo: text })])]));
    expect(row!.quote).toBe(text);
    expect(row!.memo).toBe(text);
  });

  it('writes start and end as plain digits', async () => {
    const [row] = await exportRows(source([doc('d1', [ann('a1', { start: 1234, end: 98765, exact: '-5' })])]));
    expect(row!.start).toMatch(/^\d+$/);
    expect([row!.start, row!.end, row!.quote]).toEqual(['1234', '98765', "'-5"]);
  });
});

describe('CSV export: byte-order mark', () => {
  const src = source([doc('d1', [ann('a1', { codeIds: ['c1'] })])], codebook);

  it('starts with EF BB BF when asked', async () => {
    const bytes = Buffer.from((await csvText(src, { bom: true })).content, 'utf8');
    expect([...bytes.subarray(0, 4)]).toEqual([0xef, 0xbb, 0xbf, 'd'.charCodeAt(0)]);
    expect(parseCsv(bytes)[0]).toEqual(CSV_COLUMNS);
  });

  it('has no mark otherwise', async () => {
    const { content } = await csvText(src, { bom: false });
    expect(content.startsWith('document_id,')).toBe(true);
  });
});

describe('CSV export: order', () => {
  it('keeps the source’s document order', async () => {
    const src = source([doc('zeta', [ann('z1')]), doc('alpha', [ann('a1')]), doc('mid', [ann('m1')])]);
    expect((await exportRows(src)).map((r) => r.document_id)).toEqual(['zeta', 'alpha', 'mid']);
  });

  it('orders passages by start, then end, then created, then id', async () => {
    const passages = [
      ann('p-late-start', { start: 50, end: 60 }),
      ann('p-longer', { start: 10, end: 40 }),
      ann('p-b', { start: 10, end: 20, created: '2024-01-02T00:00:00.000Z' }),
      ann('p-a', { start: 10, end: 20, created: '2024-01-02T00:00:00.000Z' }),
      ann('p-earlier', { start: 10, end: 20, created: '2024-01-01T00:00:00.000Z' }),
      ann('p-first', { start: 2, end: 90 }),
    ];
    const rows = await exportRows(source([doc('d1', passages)]));
    expect(rows.map((r) => r.annotation_id)).toEqual(['p-first', 'p-earlier', 'p-a', 'p-b', 'p-longer', 'p-late-start']);
  });

  it('lists a passage’s codes in its codeIds order', async () => {
    const rows = await exportRows(source([doc('d1', [ann('a1', { codeIds: ['c3', 'c1', 'c2'] })])], codebook));
    expect(rows.map((r) => r.code_id)).toEqual(['c3', 'c1', 'c2']);
  });

  it('does not reorder the array the source handed over', async () => {
    const passages = [ann('b', { start: 9 }), ann('a', { start: 1 })];
    await exportRows(source([doc('d1', passages)]));
    expect(passages.map((p) => p.id)).toEqual(['b', 'a']);
  });
});

describe('CSV export: sources', () => {
  it('reads asynchronous documents and annotations, one document at a time', async () => {
    const calls: string[] = [];
    const src: CsvSource = {
      codes: codebook,
      coders,
      async *documents() {
        for (const id of ['d1', 'd2']) {
          calls.push(`doc ${id}`);
          yield { id, meta: meta(`Title ${id}`) };
        }
      },
      async annotations(documentId) {
        calls.push(`annotations ${documentId}`);
        return [ann(`${documentId}-a`, { codeIds: ['c3'] })];
      },
    };
    const rows = await exportRows(src);
    expect(rows.map((r) => r.annotation_id)).toEqual(['d1-a', 'd2-a']);
    expect(calls).toEqual(['doc d1', 'annotations d1', 'doc d2', 'annotations d2']);
  });

  it('writes the header, then each row cell by cell', async () => {
    const src = source([doc('d1', [ann('a1', { codeIds: ['c2'], start: 3, end: 7, exact: '=x' })])], codebook);
    const { content } = await csvText(src, { bom: false });
    const records = parse(content) as string[][];
    expect(records).toEqual([
      [...CSV_COLUMNS],
      ['d1', 'Title d1', 'The Paper', '2020-03-01', 'a1', 'c2', 'Repression tactic > Surveillance', '3', '7', "'=x", '', 'Alice',
        '2024-05-01T10:00:00.000Z', '2024-05-02T11:00:00.000Z'],
    ]);
  });
});

/** A Writable that keeps every chunk, optionally slow, logging how much it held unwritten. */
function recorder(opts: { slow?: boolean } = {}) {
  const chunks: Buffer[] = [];
  const log = { maxPending: 0, finished: false };
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      if (opts.slow) setTimeout(callback, 1);
      else callback();
    },
  });
  const write = stream.write.bind(stream) as (chunk: unknown, cb?: (err?: Error | null) => void) => boolean;
  stream.write = ((chunk: Buffer, cb?: (err?: Error | null) => void) => {
    const result = write(chunk, cb);
    log.maxPending = Math.max(log.maxPending, stream.writableLength);
    return result;
  }) as typeof stream.write;
  stream.on('finish', () => {
    log.finished = true;
  });
  return { stream, chunks, log };
}

/** Enough passages for many chunks, with text that needs quoting and characters of 1 to 4 UTF-8 bytes. */
function bigSource(passages: number): CsvSource {
  const docs: Doc[] = [];
  for (let d = 0; d < 7; d++) {
    const annotations: Annotation[] = [];
    for (let i = d; i < passages; i += 7) {
      annotations.push(ann(`a${i}`, {
        start: i, end: i + 10, exact: `passage ${i}, "quoted"\nnext line 監視 ✊ 𝄞 é`, memo: i % 3 ? '' : `memo ${i}`,
        codeIds: i % 4 === 0 ? [] : i % 4 === 1 ? ['c1'] : ['c2', 'c3'],
      }));
    }
    docs.push(doc(`d${d}`, annotations));
  }
  return source(docs, codebook);
}

describe('CSV export: streaming', () => {
  it.each([64, 100, 1000, 4096])('gives the same bytes in chunks of %i bytes as in one chunk', async (chunkBytes) => {
    const src = bigSource(600);
    const whole = await csvText(src, { bom: true, chunkBytes: 1 << 26 });
    const { stream, chunks } = recorder();
    const { rows } = await writeCodedPassagesCsv(src, stream, { bom: true, chunkBytes });
    expect(chunks.length).toBeGreaterThan(5);
    // Every chunk but those holding one long row stays within the chunk size.
    const longestRow = Math.max(...whole.content.split('\r\n').map((r) => Buffer.byteLength(r) + 2));
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(Math.max(chunkBytes, longestRow));
    expect(Buffer.concat(chunks).equals(Buffer.from(whole.content, 'utf8'))).toBe(true);
    expect(rows).toBe(whole.rows);
    expect(parseCsv(Buffer.concat(chunks))).toHaveLength(rows + 1);
  });

  it('holds at most `chunksInFlight` chunks unwritten on a slow stream, and resolves only after finish', async () => {
    const src = bigSource(1200);
    for (const chunksInFlight of [1, 3]) {
      const { stream, chunks, log } = recorder({ slow: true });
      const result = await writeCodedPassagesCsv(src, stream, { bom: false, chunkBytes: 2048, chunksInFlight }).then((r) => ({ ...r, finishedFirst: log.finished }));
      expect(result.finishedFirst).toBe(true);
      expect(chunks.length).toBeGreaterThan(20);
      expect(log.maxPending).toBeGreaterThan(0);
      expect(log.maxPending).toBeLessThanOrEqual(chunksInFlight * 2048);
      expect(stream.writableEnded).toBe(true);
      expect(Buffer.concat(chunks).toString('utf8')).toBe((await csvText(src, { bom: false })).content);
    }
  });
});

describe('CSV export: failures', () => {
  const failing = (how: 'throw' | 'reject'): CsvSource => ({
    codes: [],
    coders,
    documents: () => [{ id: 'd1', meta: meta('One') }, { id: 'd2', meta: meta('Two') }],
    annotations: (id) => {
      if (id === 'd1') return [ann('a1')];
      if (how === 'throw') throw new Error('disk gone');
      return Promise.reject(new Error('disk gone'));
    },
  });

  it.each(['throw', 'reject'] as const)('rejects when annotations() fails (%s), leaving the stream open', async (how) => {
    const { stream, log } = recorder();
    await expect(writeCodedPassagesCsv(failing(how), stream, { bom: false })).rejects.toThrow('disk gone');
    expect(stream.writableEnded).toBe(false);
    expect(log.finished).toBe(false);
  });

  it('rejects when the output stream fails', async () => {
    const stream = new Writable({
      write(_chunk, _encoding, callback) {
        callback(new Error('no space left'));
      },
    });
    await expect(writeCodedPassagesCsv(bigSource(3000), stream, { bom: false })).rejects.toThrow('no space left');
  });

  it('rejects once when a later write fails while others are in flight (no unhandled rejection)', async () => {
    let writes = 0;
    const stream = new Writable({
      write(_chunk, _encoding, callback) {
        writes++;
        setTimeout(() => callback(writes === 3 ? new Error('disk full at chunk 3') : null), 2);
      },
    });
    stream.on('error', () => undefined);
    await expect(writeCodedPassagesCsv(bigSource(1200), stream, { bom: false, chunkBytes: 1024, chunksInFlight: 3 })).rejects.toThrow('disk full at chunk 3');
    expect(stream.writableFinished).toBe(false);
  });

  it('rejects instead of hanging when the stream is destroyed mid-export (a closed download)', async () => {
    const { stream, chunks } = recorder({ slow: true });
    const exporting = writeCodedPassagesCsv(bigSource(1200), stream, { bom: false, chunkBytes: 1024 });
    await new Promise((resolve) => setTimeout(resolve, 5));
    stream.destroy();
    await expect(exporting).rejects.toThrow(/closed|destroyed/);
    expect(chunks.length).toBeGreaterThan(0);
  });

  it('rejects instead of hanging on a stream destroyed before the export', async () => {
    const { stream } = recorder();
    stream.destroy();
    await new Promise((resolve) => stream.once('close', resolve));
    await expect(writeCodedPassagesCsv(bigSource(10), stream, { bom: false })).rejects.toThrow(/closed/);
  });
});
