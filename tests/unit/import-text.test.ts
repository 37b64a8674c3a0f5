import { describe, expect, it } from 'vitest';
import { importBytes, formatOf, sniff } from '../../main/core/import/formats';
import { EncodingNeeded, decodeText, textToBlocks } from '../../main/core/import/text';
import { ImportFailure, isoDate } from '../../main/core/import/types';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const utf16 = (s: string, le: boolean): Uint8Array => {
  const out = Buffer.alloc(2 + s.length * 2);
  out.writeUInt16BE(le ? 0xfffe : 0xfeff, 0);
  for (let i = 0; i < s.length; i++) (le ? out.writeUInt16LE : out.writeUInt16BE).call(out, s.charCodeAt(i), 2 + i * 2);
  return out;
};
/** Latin-1 letters and the em dash, as Windows-1252 writes them. */
const cp1252 = (s: string): Uint8Array => Uint8Array.from([...s].map((c) => (c === '—' ? 0x97 : c.charCodeAt(0))));
const CP1252 = cp1252('Família, coração e pão — naïve café.');

describe('decoding text files', () => {
  it('reads UTF-8, with or without a byte-order mark', () => {
    expect(decodeText(utf8('Família 조선'))).toEqual({ text: 'Família 조선', encoding: 'utf-8' });
    expect(decodeText(utf8('\uFEFFFamília'))).toEqual({ text: 'Família', encoding: 'utf-8' });
  });

  it('reads UTF-16 of either byte order when it starts with a byte-order mark', () => {
    expect(decodeText(utf16('Família 조선', true))).toEqual({ text: 'Família 조선', encoding: 'utf-16le' });
    expect(decodeText(utf16('Família 조선', false))).toEqual({ text: 'Família 조선', encoding: 'utf-16be' });
  });

  it('refuses to guess any other encoding, and names the likely ones', () => {
    let error: unknown;
    try {
      decodeText(CP1252);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EncodingNeeded);
    expect((error as EncodingNeeded).message).toMatch(/not UTF-8 text, and Gloss will not guess its encoding/);
    expect((error as EncodingNeeded).suggestions.length).toBeGreaterThan(0);
    expect((error as EncodingNeeded).suggestions.every((s) => s !== 'utf-8')).toBe(true);
  });

  it('reads the encoding the user chose, and refuses bytes that mean nothing in it', () => {
    expect(decodeText(CP1252, 'windows-1252').text).toBe('Família, coração e pão — naïve café.');
    expect(() => decodeText(CP1252, 'utf-8')).toThrow(/not valid Unicode \(UTF-8\) text/);
    expect(() => decodeText(CP1252, 'klingon')).toThrow(/does not know the encoding “klingon”/);
  });
});

describe('plain text to blocks', () => {
  it('splits on blank lines and keeps single line breaks inside a paragraph', () => {
    expect(textToBlocks('Roses are red,\r\nviolets blue.\r\n\r\n\r\nSecond   \n  paragraph.\n')).toEqual([
      { type: 'paragraph', text: 'Roses are red,\nviolets blue.' },
      { type: 'paragraph', text: 'Second\n  paragraph.' },
    ]);
  });

  it('makes every line a paragraph where there are no blank lines (a transcript)', () => {
    expect(textToBlocks('I: When did you leave?\nR: In 2011.\n\tI: Alone?\n')).toEqual([
      { type: 'paragraph', text: 'I: When did you leave?' },
      { type: 'paragraph', text: 'R: In 2011.' },
      { type: 'paragraph', text: '\tI: Alone?' },
    ]);
  });

  it('trims long runs of blanks in linear time', () => {
    const blocks = textToBlocks(`a${' \t'.repeat(500_000)}\nb${'\n'.repeat(3)}c${' '.repeat(1_000_000)}\n\n`);
    expect(blocks).toEqual([{ type: 'paragraph', text: 'a\nb' }, { type: 'paragraph', text: 'c' }]);
  }, 20_000);

  it('is canonical: NFC, LF', () => {
    expect(textToBlocks('Fami\u0301lia\r\nx')[0]).toEqual({ type: 'paragraph', text: 'Fam\u00edlia' });
  });
});

describe('choosing the importer', () => {
  it('goes by the extension, in any case, and names what it reads otherwise', () => {
    expect(formatOf('Interview 3.TXT')).toBe('txt');
    expect(formatOf('notes.markdown')).toBe('md');
    expect(formatOf('a.b/page.HTM')).toBe('html');
    expect(() => formatOf('old.doc')).toThrow(/save the file as \.docx/);
    expect(() => formatOf('sheet.xlsx')).toThrow(/does not import \.xlsx; it imports \.txt/);
    expect(() => formatOf('README')).toThrow(/files without an extension/);
  });

  it('refuses a file that is not what its name says', async () => {
    const pdf = utf8('%PDF-1.7\n%âãÏÓ\n1 0 obj');
    const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(sniff(pdf)).toBe('pdf');
    await expect(importBytes('report.txt', pdf)).rejects.toThrow(/named as plain text but seems to be a PDF/);
    await expect(importBytes('page.html', zip)).rejects.toThrow(/seems to be a zip archive/);
    await expect(importBytes('notes.md', png)).rejects.toThrow(/seems to be an image/);
    await expect(importBytes('report.pdf', utf8('hello'))).rejects.toThrow(/named \.pdf but is not a PDF/);
    await expect(importBytes('thesis.docx', pdf)).rejects.toThrow(/named \.docx but is not one: .* this is a PDF/);
  });

  it('refuses empty files, files without text and binary files named as text', async () => {
    await expect(importBytes('a.txt', new Uint8Array())).rejects.toThrow('The file is empty.');
    await expect(importBytes('a.txt', utf8(' \n\n \t\n'))).rejects.toThrow('The file holds no text to import.');
    await expect(importBytes('a.txt', utf8('abc\0def'))).rejects.toThrow(/NUL characters/);
  });

  it('titles a text after its file name when it states no title', async () => {
    const r = await importBytes('/home/ana/Interview 3 (Seoul).txt', utf8('I: Hello.\nR: Hello.'));
    expect(r.meta).toEqual({ title: 'Interview 3 (Seoul)', publication: '', author: '', date: '', url: '' });
    expect(r.format).toBe('txt');
    expect(r.blocks).toHaveLength(2);
  });

  it('says which encoding it used when the user chose one', async () => {
    const r = await importBytes('old.txt', CP1252, { encoding: 'windows-1252' });
    expect(r.notes).toEqual(['Read as Western European (Windows-1252).']);
    await expect(importBytes('old.txt', CP1252)).rejects.toBeInstanceOf(ImportFailure);
  });
});

describe('dates a file states', () => {
  it('become YYYY, YYYY-MM or YYYY-MM-DD, or nothing', () => {
    expect(isoDate('2024-03-05T10:00:00Z')).toBe('2024-03-05');
    expect(isoDate('2024-02-30')).toBe('2024-02');
    expect(isoDate('2024-13')).toBe('2024');
    expect(isoDate('March 2024')).toBe('');
    expect(isoDate(undefined)).toBe('');
  });
});
