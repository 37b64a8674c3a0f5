import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileSchemas } from '../../main/core/files';
import { importBytes } from '../../main/core/import/formats';
import { plainText } from '../../shared/plain-text';

// Every format reaches its importer through importBytes, as the import worker calls it, and
// comes out as text the store accepts.

const fixture = (name: string) => readFile(path.resolve('tests/fixtures/import', name));

describe('importBytes, one file of each container format', () => {
  it.each([
    ['interview.pandoc.docx', 'docx'],
    ['interview.libreoffice.odt', 'odt'],
    ['interview.pandoc.epub', 'epub'],
    ['pdf/letters.pdf', 'pdf'],
  ])('%s', async (name, format) => {
    const r = await importBytes(path.basename(name), await fixture(name));
    expect(r.format).toBe(format);
    expect(r.meta.title.length).toBeGreaterThan(0);
    expect(plainText(r.blocks).length).toBeGreaterThan(200);
    const check = fileSchemas.document.safeParse({ format: 'gloss-document', schemaVersion: 3, id: 'x', meta: r.meta, blocks: r.blocks, textHash: 'h' });
    expect(check.success).toBe(true);
  });

  it('refuses a PDF without a text layer with the advice to run OCR', async () => {
    await expect(importBytes('scan.pdf', await fixture('pdf/scanned.pdf'))).rejects.toThrow(/no text layer.*OCR/s);
  });
});
