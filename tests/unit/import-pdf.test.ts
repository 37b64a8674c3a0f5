import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PDF_LIMITS, PDF_MESSAGES, cleanText, importPdf, type ImportedPdf } from '../../main/core/import/pdf';
import { ImportFailure } from '../../main/core/import/types';
import type { Block } from '../../shared/model';
import { plainText } from '../../shared/plain-text';

// The fixtures are real files made by LibreOffice, Chromium and qpdf (scripts/make-pdf-fixtures.sh,
// tests/fixtures/README.md); the expected blocks were written from reading them with pdftotext.
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(path.join(__dirname, '../fixtures/import/pdf', name)));
const para = (text: string): Block => ({ type: 'paragraph', text });
const heading = (level: 1 | 2 | 3, text: string): Block => ({ type: 'heading', level, text });

/** What importing `bytes` ends in: the result, or the failure's message; anything else fails the test. */
async function outcome(bytes: Uint8Array, limits = PDF_LIMITS): Promise<ImportedPdf | string> {
  try {
    return await importPdf(bytes, {}, limits);
  } catch (e) {
    if (e instanceof ImportFailure) return e.message;
    throw e;
  }
}

/**
 * A PDF put together by hand: `objects[i]` is object i + 1's body (null: missing), followed by a
 * cross-reference table with the right offsets and a trailer (`extra` gets the table's offset).
 */
function handmade(objects: (string | null)[], extra: (xref: number) => string = () => ''): Uint8Array {
  let out = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const offsets: (number | null)[] = [];
  objects.forEach((body, i) => {
    if (body === null) return offsets.push(null);
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += o === null ? '0000000000 00000 f \n' : `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${extra(xref)} >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}

const stream = (content: string, dict = ''): string => `<< /Length ${Buffer.byteLength(content, 'latin1')} ${dict} >>\nstream\n${content}\nendstream`;
/** Two lines in Helvetica, one of the standard fonts a PDF may use without embedding it. */
const TEXT = stream('BT /F1 12 Tf 14 TL 72 720 Td (A hand-made page in Helvetica, a font) Tj T* (that is not embedded: pdfjs reads its own copy.) Tj ET');
const PAGE = '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>';
const FONT = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';
const XMP = `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:prism="http://prismstandard.org/namespaces/basic/2.0/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Families and the border</rdf:li></rdf:Alt></dc:title>
<dc:creator><rdf:Seq><rdf:li>Kim Ji-woo</rdf:li><rdf:li>Ana Lima</rdf:li></rdf:Seq></dc:creator>
<prism:publicationName>Journal of Border Studies</prism:publicationName>
<prism:publicationDate>2019-07-02</prism:publicationDate>
<prism:url>https://example.org/articles/7</prism:url>
<xmp:CreateDate>2024-01-05T10:00:00Z</xmp:CreateDate>
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>`;
const HANDMADE_TEXT = [para('A hand-made page in Helvetica, a font that is not embedded: pdfjs reads its own copy.')];

describe('PDF fixtures', () => {
  it('reads a LibreOffice document: headings by size, paragraphs across pages, hyphenation, running lines left out', async () => {
    const r = await importPdf(fixture('letters.pdf'), {});
    expect(r.blocks).toEqual([
      heading(1, 'Letters across the border'),
      para('This working paper describes how families keep in touch across the border. The official channels are closed, so letters travel by hand, and each flight of news is a risk for the carrier and for the family that waits.'),
      heading(2, '1. Carriers and routes'),
      // "intensi-" "ty": a soft hyphen LibreOffice drew at the end of a line.
      para('Carriers are traders and relatives and, now and then, officials who look away. Every route changes with the season and with the intensity of repression on either side: when surveillance tightens, letters wait for weeks in a drawer, and the carriers demand more money for the same risk of interrogation.'),
      // "North-" then a line break, then "Korean".
      para('One carrier described the route as a chain of favours. She spoke of a North-Korean border guard who took cigarettes, of a broker in Yanji who kept the letters in a rice sack, and of the long wait before a reply came back by the same road.'),
      para('As cartas chegam à fronteira com atraso; a confiança é frágil e a informação circula de mão em mão. Ninguém sabe quanto tempo uma resposta vai demorar.'),
      para('편지는 국경을 넘어 가족에게 전달됩니다. 북한의 가족들은 몇 달 동안 답장을 기다립니다.'),
      heading(2, '2. What the letters say'),
      // Runs over from page 1 to page 2; paragraphs here are marked by first-line indents alone.
      para('Most letters are short. They confirm that the sender is alive, name the people who are well, and ask for money or medicine. Few of them speak of politics; the writers know that a letter may be opened, and that an unguarded sentence can cost a relative a job, a house or a place at school.'),
      para('The longer letters are written over several days. A mother writes a page each evening, then gives the bundle to the carrier when the river is low. Her son keeps every page, in the order they came, and reads them again on the anniversary of his crossing. The handwriting changes from page to page: tired on one evening, careful on the next, hurried on the night before the carrier left. He says he can tell from the writing alone whether the week was a good one.'),
      heading(3, '2.1 Money and news'),
      para('Money travels with the letters but never in them. The carrier keeps a ledger in her head, and a code word in the letter tells the family how much to collect and from whom. The system rests on trust, and trust rests on the reputation of the carrier among the families on both sides.'),
      para('News travels faster than money. A rumour that a carrier has been arrested reaches the families within days, and the letters stop until a new route is found. The administration of these routes is informal but precise, and its failures are remembered for years by everyone who depended on them.'),
      // "well-" "known" at a line end keeps its hyphen: the paragraph writes "well-known" within a line too.
      para('The well-known routes are the first to close. A carrier who has worked for ten years is a well-known face to the guards as well.'),
      para('The families describe the waiting as the hardest part. Every week without a letter is read as a sign, and every letter that arrives is read many times, aloud and in silence, before it is put away with the others.'),
      heading(2, '3. Silence'),
      para('Some families stop writing. The reasons they give are fear, cost and the sense that nothing they could write would be true for long. A daughter who had written every month for six years stopped when her brother was sent to a labour camp; she did not want her letters to be read as his.'),
      para('Silence is also a message. The families on the other side learn to read it, and the carriers learn not to ask.'),
    ]);
    expect(r.pages).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3]);
    expect(r.meta).toEqual({ title: 'Letters across the border', author: 'Ana Lima', publication: '', date: '', url: '' });
    expect(r.notes).toEqual(['The PDF has 3 pages.', 'Running headers, footers and page numbers (lines repeated on most pages) were left out.']);
  });

  const columns = [
    heading(1, 'Two columns on the border'),
    para('A page printed by Chromium from HTML with CSS columns: the reader must finish the left column before the right one, and never read across the gutter.'),
    heading(2, 'The left column'),
    para('The first column opens with a paragraph that runs over several lines, so that each of its lines sits beside a line of the second column at the same height on the page. An importer that joins lines by height alone would read across the gap and mix the two.'),
    // Ligatures the font made ("o" "ff" "icial") and ligature code points in the text (U+FB01, U+FB02);
    // soft hyphens Chromium drew as U+2010 at line ends ("sur‐" "veillance").
    para('The second paragraph mentions the official records, the first flight and the final flood, and ends with words that are hyphenated at the ends of lines when the column is narrow: interrogation, surveillance, repression.'),
    // From the foot of the left column to the head of the right one, mid-sentence.
    para('A third paragraph is here so that the column is long enough to need the second one: the text flows on from the bottom of this column to the top of the next, in the middle of a sentence, as columns do in newspapers and in journals. Nothing marks the jump but the end of the column, and a reader who knows the page follows it without thinking, from the foot of one column to the head of the next.'),
    heading(2, 'The right column'),
    para('The right column ends the page. Its paragraphs are read only after every line of the left column.'),
    para('Uma frase em português, com acentos: coração, ação e informação.'),
    para('This closing paragraph spans both columns again, below them.'),
  ];

  it('reads a two-column page printed by Chromium column by column', async () => {
    const r = await importPdf(fixture('columns.pdf'), {});
    expect(r.blocks).toEqual(columns);
    expect(r.pages).toEqual(columns.map(() => 1));
    expect(r.meta).toEqual({ title: 'Two columns on the border', author: '', publication: '', date: '', url: '' });
    expect(r.notes).toEqual(['The PDF has 1 page.', 'One page was read as columns, each column from top to bottom.']);
  });

  it('reads right-to-left paragraphs in their order, each line measured from the right', async () => {
    const r = await importPdf(fixture('rtl.pdf'), {});
    expect(r.blocks).toEqual([
      // Two lines: the second ends short at the left.
      para('שלום עולם, זוהי שורה בעברית שנמשכת הלאה כדי לראות איך הטקסט נשבר בין שורות בעמוד הזה.'),
      para('مرحبا بالعالم، هذا سطر باللغة العربية.'),
      para('An English line after them.'),
    ]);
    expect(r.meta.title).toBe('Right to left');
  });

  it('reads every letter Debian’s pdftotext reads, in the same order (where pdftotext gets the order right)', async () => {
    const letters = (text: string): string => text.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
    const reference = (name: string): string[] => readFileSync(path.join(__dirname, '../fixtures/import/pdf', name), 'utf8').split(/[\n\f]/);
    const ours = async (name: string): Promise<string> => letters(plainText((await importPdf(fixture(name), {})).blocks));
    // The running header and the footers are left out on purpose.
    const running = /^(Working paper 3 — Letters|Page \d of 3)$/;
    expect(await ours('letters.pdf')).toBe(letters(reference('letters.pdftotext.txt').filter((l) => !running.test(l)).join('')));
    expect(await ours('rtl.pdf')).toBe(letters(reference('rtl.pdftotext.txt').join('')));
    // pdftotext reads the head of columns.pdf's third paragraph after the right column, so only
    // its lines are compared, each found in ours, and the letters counted.
    const columnLines = reference('columns.pdftotext.txt').map(letters).filter((l) => l !== '');
    const text = await ours('columns.pdf');
    for (const line of columnLines) expect(text).toContain(line);
    expect(text).toHaveLength(columnLines.join('').length);
  });

  it('opens a PDF with an owner password only (restrictions, no password to open)', async () => {
    expect((await importPdf(fixture('owner-password.pdf'), {})).blocks).toEqual(columns);
  });

  it('refuses a PDF that needs a password to open', async () => {
    expect(await outcome(fixture('encrypted.pdf'))).toBe(PDF_MESSAGES.password);
    expect(PDF_MESSAGES.password).toBe('The PDF is protected by a password; Gloss cannot open it. Remove the protection in a PDF reader and import it again.');
  });

  it('refuses a scanned PDF, an image with no text layer, suggesting OCR', async () => {
    expect(await outcome(fixture('scanned.pdf'))).toBe(
      'The PDF has no text layer — it seems to be scanned pages (images of text). Run it through OCR (text recognition) in another program first, then import the result.',
    );
  });

  it('leaves the caller’s bytes intact and fetches nothing', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const bytes = fixture('columns.pdf');
    const copy = bytes.slice();
    await importPdf(bytes, {});
    // The standard font (Helvetica) comes from pdfjs-dist's own folder, never from a URL.
    expect((await importPdf(handmade(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', PAGE, FONT, TEXT]), {})).blocks).toEqual(HANDMADE_TEXT);
    expect(bytes).toEqual(copy);
    expect(fetchSpy).not.toHaveBeenCalled();
  });
  afterEach(() => vi.restoreAllMocks());
});

describe('PDF metadata', () => {
  const withMeta = (info: string, catalogExtra = '', xmp = XMP): Uint8Array =>
    handmade(
      [`<< /Type /Catalog /Pages 2 0 R ${catalogExtra} >>`, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', PAGE, FONT, TEXT, stream(xmp, '/Type /Metadata /Subtype /XML'), info],
      () => '/Info 7 0 R',
    );

  it('takes title, authors, publication, publication date and address from XMP, before the information dictionary', async () => {
    const r = await importPdf(withMeta('<< /Title (Microsoft Word - draft3.docx) /Author (Someone Else) /CreationDate (D:20240105100000Z) >>', '/Metadata 6 0 R'), {});
    expect(r.meta).toEqual({ title: 'Families and the border', author: 'Kim Ji-woo; Ana Lima', publication: 'Journal of Border Studies', date: '2019-07-02', url: 'https://example.org/articles/7' });
    expect(r.blocks).toEqual(HANDMADE_TEXT);
  });

  it('never takes a creation date for a publication date, nor a file name for a title', async () => {
    const noXmp = await importPdf(withMeta('<< /Title (Microsoft Word - draft3.docx) /Author (Kim Ji-woo) /CreationDate (D:20240105100000Z) >>'), {});
    expect(noXmp.meta).toEqual({ title: '', author: 'Kim Ji-woo', publication: '', date: '', url: '' });
    const named = await importPdf(withMeta('<< /Title (interview-03.pdf) /Author <FEFF00C1006E0061> >>'), {});
    expect(named.meta).toEqual({ title: '', author: 'Ána', publication: '', date: '', url: '' });
    const titled = await importPdf(withMeta('<< /Title (  Letters \\(1998\\)  ) >>'), {});
    expect(titled.meta.title).toBe('Letters (1998)');
  });
});

describe('Damaged and hostile PDFs', () => {
  it('refuses bytes that only start like a PDF', async () => {
    let seed = 7;
    const noise = Array.from({ length: 4096 }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff);
    expect(await outcome(new Uint8Array([...Buffer.from('%PDF-1.4\n'), ...noise]))).toBe(PDF_MESSAGES.damaged);
    expect(await outcome(new Uint8Array(Buffer.from('%PDF-1.7\n%%EOF\n')))).toBe(PDF_MESSAGES.damaged);
  });

  it('refuses a truncated PDF', async () => {
    const whole = fixture('letters.pdf');
    for (const share of [0.2, 0.5, 0.8, 0.97]) expect(await outcome(whole.slice(0, Math.floor(whole.length * share)))).toBe(PDF_MESSAGES.damaged);
  });

  it('refuses more pages than the limit before reading any, and counts the pages a PDF has, not those it claims', async () => {
    const many = Array.from({ length: 2001 }, () => PAGE);
    const kids = many.map((_, i) => `${i + 6} 0 R`).join(' ');
    const book = handmade(['<< /Type /Catalog /Pages 2 0 R >>', `<< /Type /Pages /Kids [${kids}] /Count 2001 >>`, null, FONT, TEXT, ...many]);
    expect(await outcome(book)).toBe('The PDF has 2,001 pages; Gloss imports PDFs of up to 2,000 pages. Split it into parts in a PDF program and import them one by one.');
    // pdfjs checks the last page a PDF claims, and counts the page tree when it is missing.
    const claims = handmade(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 100000000 >>', PAGE, FONT, TEXT]);
    expect(await outcome(claims)).toMatchObject({ blocks: HANDMADE_TEXT, notes: ['The PDF has 1 page.'] });
    expect(await outcome(fixture('letters.pdf'), { ...PDF_LIMITS, pages: 2 })).toBe('The PDF has 3 pages; Gloss imports PDFs of up to 2 pages. Split it into parts in a PDF program and import them one by one.');
  });

  it('stops at its time limit', async () => {
    expect(await outcome(fixture('letters.pdf'), { ...PDF_LIMITS, timeMs: 1 })).toBe('Reading the PDF took more than 1 seconds, so Gloss stopped. The file may be damaged, or built in a way that is too costly to read.');
  });

  it('refuses a page tree that contains itself', async () => {
    expect(await outcome(handmade(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [2 0 R] /Count 1 >>', PAGE, FONT, TEXT]))).toBe(PDF_MESSAGES.damaged);
  });

  it('reads the pages it can and names the ones it cannot', async () => {
    const r = await importPdf(handmade(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R 8 0 R] /Count 2 >>', PAGE, FONT, TEXT, null, null, null]), {});
    expect(r.blocks).toEqual(HANDMADE_TEXT);
    expect(r.notes).toEqual(['The PDF has 2 pages.', 'Page 2 could not be read and was left out.']);
  });

  it('survives cross-reference sections and object streams that point at themselves', async () => {
    const prevLoop = handmade(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', PAGE, FONT, TEXT], (xref) => `/Prev ${xref}`);
    expect(await outcome(prevLoop)).toMatchObject({ blocks: HANDMADE_TEXT });
    // pdfjs gives up on the cross-reference stream and finds the objects by scanning the file.
    expect(await outcome(objectStreamLoop())).toMatchObject({ blocks: HANDMADE_TEXT });
  });

  it('refuses text that its fonts do not map to letters', async () => {
    const privateUse = stream('BT /F1 12 Tf 72 720 Td <E000E001E002E003E004E005> Tj ET');
    const font = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>';
    const cmap = stream('/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def 1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfrange <00> <FF> <E000> endbfrange endcmap CMapName currentdict /CMap defineresource pop end end');
    const garbled = handmade(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', PAGE, font, privateUse, cmap]);
    expect(await outcome(garbled)).toBe(PDF_MESSAGES.unreadableText);
  });

  it('ends every mutation of a real PDF in a result or a failure', async () => {
    const original = fixture('columns.pdf');
    let seed = 20240305;
    const random = (n: number): number => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return seed % n;
    };
    const tally = { ok: 0, failed: 0 };
    for (let i = 0; i < 200; i++) {
      const bytes = original.slice();
      const kind = i % 4;
      if (kind === 0) for (let k = 0, n = 1 + random(20); k < n; k++) bytes[random(bytes.length)] = random(256);
      if (kind === 1) bytes.fill(random(256), random(bytes.length), random(bytes.length));
      if (kind === 2) bytes.copyWithin(random(bytes.length), random(bytes.length), random(bytes.length));
      const mutated = kind === 3 ? bytes.slice(0, random(bytes.length)) : bytes;
      const r = await outcome(mutated, { ...PDF_LIMITS, timeMs: 5000 });
      if (typeof r === 'string') tally.failed++;
      else {
        tally.ok++;
        expect(r.pages).toHaveLength(r.blocks.length);
        expect(r.blocks.length).toBeGreaterThan(0);
      }
    }
    expect(tally.ok).toBeGreaterThan(0);
    expect(tally.failed).toBeGreaterThan(0);
    // What is checked is each outcome, not the speed; the timeout only guards against a hang.
  }, 120_000);
});

describe('Text of PDF runs', () => {
  it('turns ligatures and presentation forms into letters, and nothing else', () => {
    expect(cleanText('ﬁnal ﬂight, ﬀ ﬃ ﬄ ﬅ ﬆ')).toBe('final flight, ff ffi ffl st st');
    expect(cleanText('ﻻ')).toBe('لا');
    // Compatibility characters other than those stay as written.
    expect(cleanText('x² ½ Ｆ ℃')).toBe('x² ½ Ｆ ℃');
    expect(cleanText('a\u00a0b\u2009c\td\u0000e\u0007f\ud800')).toBe('a b c def');
  });
});

/**
 * A PDF whose page tree sits in an object stream that the cross-reference stream says is inside
 * itself: reading it must end, not recurse forever.
 */
function objectStreamLoop(): Uint8Array {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  const offsets: number[] = [];
  let at = parts[0]!.length;
  const add = (n: number, body: string | Buffer): void => {
    offsets[n] = at;
    const chunk = Buffer.concat([Buffer.from(`${n} 0 obj\n`), Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1'), Buffer.from('\nendobj\n')]);
    parts.push(chunk);
    at += chunk.length;
  };
  add(1, '<< /Type /Catalog /Pages 2 0 R >>');
  add(3, PAGE);
  add(4, FONT);
  add(5, TEXT);
  const inner = '2 0 ';
  add(6, stream(`${inner}<< /Type /Pages /Kids [3 0 R] /Count 1 >>`, `/Type /ObjStm /N 1 /First ${inner.length} /Extends 6 0 R`));
  const entry = (type: number, a: number, b: number): Buffer => Buffer.from([type, (a >>> 24) & 0xff, (a >>> 16) & 0xff, (a >>> 8) & 0xff, a & 0xff, (b >>> 8) & 0xff, b & 0xff]);
  const xrefAt = at;
  const table = Buffer.concat([
    entry(0, 0, 65535),
    entry(1, offsets[1]!, 0),
    entry(2, 6, 0),
    entry(1, offsets[3]!, 0),
    entry(1, offsets[4]!, 0),
    entry(1, offsets[5]!, 0),
    entry(2, 6, 0),
    entry(1, xrefAt, 0),
  ]);
  add(7, Buffer.concat([Buffer.from(`<< /Type /XRef /Size 8 /W [1 4 2] /Root 1 0 R /Length ${table.length} >>\nstream\n`), table, Buffer.from('\nendstream')]));
  parts.push(Buffer.from(`startxref\n${xrefAt}\n%%EOF\n`));
  return new Uint8Array(Buffer.concat(parts));
}
