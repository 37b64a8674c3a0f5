import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseExportCodebookRequest } from '../../shared/desktop-bridge';
import { writeCodebookExport } from '../../main/electron/codebook-export';

// The desktop codebook export without Electron: what the page may ask, and the durable write.

describe('the desktop codebook export', () => {
  it('takes only { format } with a known format', () => {
    expect(parseExportCodebookRequest({ format: 'qdc' })).toEqual({ format: 'qdc' });
    for (const bad of [null, 'qdc', {}, { format: 'exe' }, { format: 'qdc', path: '/etc/passwd' }, { format: 1 }]) {
      expect(() => parseExportCodebookRequest(bad)).toThrow(TypeError);
    }
  });

  it('writes the file whole, and says why when it cannot, leaving what was there', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-desktop-codebook-'));
    try {
      const file = path.join(dir, 'codebook.qdc');
      expect(await writeCodebookExport(file, '<CodeBook/>')).toEqual({ saved: true, path: file });
      expect(await readFile(file, 'utf8')).toBe('<CodeBook/>');
      // A folder where the file should go: refused with the reason, never thrown.
      const blocked = path.join(dir, 'taken');
      await mkdir(blocked);
      await writeFile(path.join(blocked, 'inside'), 'kept');
      const r = await writeCodebookExport(blocked, 'x');
      expect(r.saved).toBe(false);
      expect(r.error).toMatch(/\S/);
      expect(await readFile(path.join(blocked, 'inside'), 'utf8')).toBe('kept');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
