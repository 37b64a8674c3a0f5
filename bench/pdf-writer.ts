/**
 * A small PDF writer for the benchmarks: pages of text set in the standard Helvetica and
 * Helvetica-Bold fonts (two of the 14 fonts every PDF reader has, so nothing is embedded; pdfjs
 * takes their glyphs from its own standard_fonts folder), each page's content stream deflated
 * (as real PDFs have them), and a cross-reference table giving every object's byte offset. Text
 * is encoded in WinAnsi (Windows-1252), the encoding standard fonts read without a font program:
 * Latin letters with their accents, typographic quotes and dashes. Nothing else of PDF is here:
 * no images, links, outlines or embedded fonts.
 *
 * `flowPages` sets paragraphs and headings on pages as a word processor would (ragged right,
 * measured with Helvetica's widths, a page number at the foot), and `writePdf` writes the file.
 */
import { deflateSync } from 'node:zlib';

/** One line of text at a place on its page (points from the lower left corner, the baseline's start). */
export interface PdfLine {
  text: string;
  x: number;
  y: number;
  size: number;
  bold?: boolean;
}

export type PdfPage = PdfLine[];

/** A block to set: a heading (bold, larger) or a paragraph. */
export interface FlowBlock {
  heading: boolean;
  text: string;
}

/** US Letter, one-inch margins, 11-point body on a 13.2-point leading: 45 lines a page without headings. */
export const PAGE = { width: 612, height: 792, margin: 72, body: 11, leading: 13.2, heading: 16, paragraphGap: 6 } as const;

/**
 * Helvetica's advance widths (per 1000 units of the font size) of the printable ASCII characters
 * 32–126, from the font's published metrics.
 */
const ASCII_WIDTHS = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space ! " # $ % & ' ( ) * + , - . /
  556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0–9 : ; < = > ?
  1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @ A–O
  667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P–Z [ \ ] ^ _
  333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // ` a–o
  556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p–z { | } ~
];

/** Windows-1252's characters in 0x80–0x9F that the benchmarks' prose uses, and their widths. */
const WIN_ANSI_HIGH: Record<string, { byte: number; width: number }> = {
  '€': { byte: 0x80, width: 556 },
  '…': { byte: 0x85, width: 1000 },
  '‘': { byte: 0x91, width: 222 },
  '’': { byte: 0x92, width: 222 },
  '“': { byte: 0x93, width: 333 },
  '”': { byte: 0x94, width: 333 },
  '•': { byte: 0x95, width: 350 },
  '–': { byte: 0x96, width: 556 },
  '—': { byte: 0x97, width: 1000 },
};

/** Whether `c` (one character) can be set in the standard fonts here: printable ASCII, Latin-1, or one of WIN_ANSI_HIGH. */
export function encodable(c: string): boolean {
  const code = c.codePointAt(0)!;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || c in WIN_ANSI_HIGH;
}

/** Bold is set about 7% wider than Helvetica; close enough for wrapping headings. */
const BOLD_FACTOR = 1.07;

/** The width of `text` in points; Latin-1 letters take their base letter's width (é as e), other Latin-1 signs 556. */
export function textWidth(text: string, size: number, bold = false): number {
  let units = 0;
  for (const c of text) {
    const code = c.charCodeAt(0);
    if (code >= 0x20 && code <= 0x7e) units += ASCII_WIDTHS[code - 0x20]!;
    else if (c in WIN_ANSI_HIGH) units += WIN_ANSI_HIGH[c]!.width;
    else {
      const base = c.normalize('NFD').charCodeAt(0);
      units += base >= 0x20 && base <= 0x7e ? ASCII_WIDTHS[base - 0x20]! : 556;
    }
  }
  return (units * size * (bold ? BOLD_FACTOR : 1)) / 1000;
}

/** `text` broken into lines no wider than `width` at its spaces (a word wider than the line stands alone). */
export function wrap(text: string, width: number, size: number, bold = false): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    const next = line === '' ? word : `${line} ${word}`;
    if (line !== '' && textWidth(next, size, bold) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/**
 * Sets `blocks` on `pages` pages (see PAGE): paragraphs in the body size with a small gap
 * between them, headings larger and bold with space above, a page number centred at the foot.
 * A block goes on over the page break. Stops when the pages are full; `next` gives the blocks
 * one at a time (null: none left).
 */
export function flowPages(next: () => FlowBlock | null, pages: number): PdfPage[] {
  const out: PdfPage[] = [];
  const width = PAGE.width - 2 * PAGE.margin;
  const top = PAGE.height - PAGE.margin;
  let page: PdfPage = [];
  let y = top;
  const newPage = (): boolean => {
    const n = out.length + 1;
    const folio = String(n);
    page.push({ text: folio, x: (PAGE.width - textWidth(folio, 9)) / 2, y: PAGE.margin / 2, size: 9 });
    out.push(page);
    page = [];
    y = top;
    return out.length < pages;
  };
  for (let block = next(); block; block = next()) {
    const size = block.heading ? PAGE.heading : PAGE.body;
    const leading = block.heading ? size * 1.25 : PAGE.leading;
    // Space above the block, unless it starts the page.
    if (y < top) y -= block.heading ? PAGE.leading * 1.5 : PAGE.paragraphGap;
    const lines = wrap(block.text, width, size, block.heading);
    // A heading is never left alone at the foot of a page.
    if (block.heading && y - leading * (lines.length + 2) < PAGE.margin && !newPage()) return out;
    for (const text of lines) {
      if (y - leading < PAGE.margin && !newPage()) return out;
      y -= leading;
      page.push({ text, x: PAGE.margin, y, size, bold: block.heading });
    }
  }
  if (page.length) newPage();
  return out;
}

/** A PDF literal string of `text` in WinAnsi (the characters `encodable` accepts). */
function literal(text: string): Buffer {
  const bytes: number[] = [0x28];
  for (const c of text) {
    const code = c.charCodeAt(0);
    const byte = code <= 0xff ? code : WIN_ANSI_HIGH[c]?.byte;
    if (byte === undefined || !encodable(c)) throw new Error(`pdf-writer: “${c}” cannot be set in WinAnsi`);
    // Parentheses and backslashes are escaped; everything else stands as its byte.
    if (byte === 0x28 || byte === 0x29 || byte === 0x5c) bytes.push(0x5c);
    bytes.push(byte);
  }
  bytes.push(0x29);
  return Buffer.from(bytes);
}

/** One page's content stream: every line positioned absolutely (its own text matrix). */
function contentStream(page: PdfPage): Buffer {
  const parts: Buffer[] = [Buffer.from('BT\n')];
  let font = '';
  for (const l of page) {
    const f = `/${l.bold ? 'F2' : 'F1'} ${l.size} Tf\n`;
    if (f !== font) parts.push(Buffer.from(f));
    font = f;
    parts.push(Buffer.from(`1 0 0 1 ${l.x.toFixed(2)} ${l.y.toFixed(2)} Tm `), literal(l.text), Buffer.from(' Tj\n'));
  }
  parts.push(Buffer.from('ET\n'));
  return Buffer.concat(parts);
}

/**
 * The PDF file of `pages`. Objects: 1 catalog, 2 page tree, 3–4 the fonts, 5 the document
 * information (title), then per page its page object and its content stream. The
 * cross-reference table lists each object's byte offset, as a reader needs to find it.
 */
export function writePdf(pages: readonly PdfPage[], info: { title: string }): Buffer {
  const objects: Buffer[] = [];
  const pageIds = pages.map((_, i) => 6 + 2 * i);
  const dict = (s: string): Buffer => Buffer.from(s);
  objects.push(dict('<< /Type /Catalog /Pages 2 0 R >>'));
  objects.push(dict(`<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages.length} >>`));
  objects.push(dict('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>'));
  objects.push(dict('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>'));
  objects.push(Buffer.concat([dict('<< /Title '), literal(info.title), dict(' /Producer (Gloss benchmarks) >>')]));
  pages.forEach((page, i) => {
    const content = deflateSync(contentStream(page));
    objects.push(dict(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE.width} ${PAGE.height}] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents ${pageIds[i]! + 1} 0 R >>`));
    objects.push(Buffer.concat([dict(`<< /Length ${content.length} /Filter /FlateDecode >>\nstream\n`), content, dict('\nendstream')]));
  });
  // A binary comment after the header, so that tools treat the file as binary.
  const chunks: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = chunks[0]!.length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    const obj = Buffer.concat([dict(`${i + 1} 0 obj\n`), body, dict('\nendobj\n')]);
    offsets.push(offset);
    chunks.push(obj);
    offset += obj.length;
  });
  // Each entry is exactly 20 bytes: ten-digit offset, space, five-digit generation, space, type, space, newline.
  const xref = [`xref\n0 ${objects.length + 1}\n`, '0000000000 65535 f \n', ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)].join('');
  chunks.push(dict(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 5 0 R >>\nstartxref\n${offset}\n%%EOF\n`));
  return Buffer.concat(chunks);
}
