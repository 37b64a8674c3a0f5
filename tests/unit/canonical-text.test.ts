import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { defaultSeed } from '../../main/core/open';
import { ProjectStore } from '../../main/core/store';
import { canonicalText, nonCanonical, plainText } from '../../shared/plain-text';
import { docFile, p, seedOf, tempDir } from '../support/project';

// Text is canonical (NFC, LF) from the moment it enters a project, and a file holding anything
// else is refused: offsets must never depend on how a file happened to encode a character.

let dir: string;
beforeEach(async () => {
  dir = await tempDir('gloss-canonical-');
});
afterEach(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

describe('canonical text', () => {
  it('says why a text is not canonical', () => {
    expect(nonCanonical('Café')).toBeNull();
    expect(nonCanonical('Cafe\u0301')).toMatch(/normalisation form C/);
    expect(nonCanonical('one\r\ntwo')).toMatch(/line ends/);
    expect(canonicalText('Cafe\u0301\r\nbar\rbaz')).toBe('Café\nbar\nbaz');
  });

  it('normalises a corpus article as it enters a new project, so the project opens and reads it', async () => {
    const corpus = path.join(dir, 'corpus');
    await fsp.mkdir(corpus);
    await fsp.writeFile(path.join(corpus, 'decomposed.md'), '---\ntitle: "Cafe\u0301 society"\n---\n\nA cafe\u0301 in the capital.\n');
    const seed = await defaultSeed(corpus);
    expect(seed.documents[0]!.blocks).toEqual([{ type: 'paragraph', text: 'A café in the capital.' }]);
    expect(seed.documents[0]!.meta.title).toBe('Café society');
    const store = await ProjectStore.open(path.join(dir, 'project'), { seed: async () => seed });
    const doc = await store.document('decomposed');
    expect(plainText(doc!.blocks)).toBe('A café in the capital.');
    await store.close();
  });

  it('refuses a document file whose text is not canonical, and leaves it untouched', async () => {
    const project = path.join(dir, 'project');
    await (await ProjectStore.open(project, { seed: seedOf(docFile('d', 'D', p('Plain.'))) })).close();
    const file = path.join(project, 'documents', 'd.json');
    const data = JSON.parse(await fsp.readFile(file, 'utf8'));
    data.blocks[0].text = 'Cafe\u0301';
    await fsp.writeFile(file, JSON.stringify(data));
    const bytes = await fsp.readFile(file);
    const store = await ProjectStore.open(project);
    await expect(store.document('d')).rejects.toThrow(/not in Unicode normalisation form C/);
    await store.close();
    expect(await fsp.readFile(file)).toEqual(bytes);
  });
});
