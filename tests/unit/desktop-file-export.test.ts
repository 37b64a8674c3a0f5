import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseExportFileRequest } from '../../shared/desktop-bridge';
import { fileFilter, makeExportFile, writeExportedFile } from '../../main/electron/file-export';
import { useServices } from '../support/services';
import { docFile, p } from '../support/project';

// The desktop file exports without Electron: what the page may ask, the file made, and the durable write.

describe('the desktop file export', () => {
  const env = useServices('gloss-desktop-export-', docFile('doc-a', 'Families under watch', p('Relatives are questioned.')));

  it('takes only { method, input } with a method that makes a file', () => {
    expect(parseExportFileRequest({ method: 'codebook.export', input: { format: 'qdc' } })).toEqual({ method: 'codebook.export', input: { format: 'qdc' } });
    for (const bad of [null, 'qdc', {}, { method: 'documents.remove', input: {} }, { method: 'codebook.export', input: {}, path: '/etc/passwd' }, { method: 1 }]) {
      expect(() => parseExportFileRequest(bad)).toThrow(TypeError);
    }
  });

  it('makes the file through the validated API, and says why when the input is refused', async () => {
    const core = { handlers: env.api };
    const codebook = await makeExportFile(core, { method: 'codebook.export', input: { format: 'md' } }, 'window-1');
    expect(codebook).toMatchObject({ fileName: expect.stringMatching(/\.md$/) });
    const passages = await makeExportFile(core, { method: 'passages.export', input: { query: '', sort: 'document', format: 'csv' } }, 'window-1');
    expect(passages).toMatchObject({ fileName: 'passages.csv', content: expect.stringMatching(/^document_id,/) });
    expect(await makeExportFile(core, { method: 'passages.export', input: { query: '', sort: 'random', format: 'csv' } }, 'window-1')).toMatchObject({ error: expect.stringMatching(/sort/) });
    expect(await makeExportFile(core, { method: 'passages.export', input: { query: 'code:Nowhere', sort: 'document', format: 'csv' } }, 'window-1')).toMatchObject({ error: expect.stringMatching(/Nowhere/) });
    expect(fileFilter('passages.md')).toEqual({ name: 'Markdown', extensions: ['md'] });
  });

  it('makes a Word file of a quote collection as bytes, and writes them as they are', async () => {
    const core = { handlers: env.api };
    const { collectionId } = await env.api['collections.create']({ name: 'Quotes' }, { client: 'window-1' });
    const file = await makeExportFile(core, { method: 'collections.export', input: { id: collectionId, format: 'docx' } }, 'window-1');
    if ('error' in file) throw new Error(file.error);
    expect(file.fileName).toBe('Quotes.docx');
    expect(file.content).toBeInstanceOf(Uint8Array);
    const bytes = file.content as Uint8Array;
    expect([...bytes.slice(0, 2)]).toEqual([0x50, 0x4b]); // a zip: "PK"
    expect(fileFilter('Quotes.docx')).toEqual({ name: 'Word document', extensions: ['docx'] });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-desktop-docx-'));
    try {
      const out = path.join(dir, 'Quotes.docx');
      expect(await writeExportedFile(out, bytes)).toEqual({ saved: true, path: out });
      expect(new Uint8Array(await readFile(out))).toEqual(bytes);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('writes the file whole, and says why when it cannot, leaving what was there', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-desktop-file-'));
    try {
      const file = path.join(dir, 'codebook.qdc');
      expect(await writeExportedFile(file, '<CodeBook/>')).toEqual({ saved: true, path: file });
      expect(await readFile(file, 'utf8')).toBe('<CodeBook/>');
      // A folder where the file should go: refused with the reason, never thrown.
      const blocked = path.join(dir, 'taken');
      await mkdir(blocked);
      await writeFile(path.join(blocked, 'inside'), 'kept');
      const r = await writeExportedFile(blocked, 'x');
      expect(r.saved).toBe(false);
      expect(r.error).toMatch(/\S/);
      expect(await readFile(path.join(blocked, 'inside'), 'utf8')).toBe('kept');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
