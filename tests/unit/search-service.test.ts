import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { SearchService, type SearchSource } from '../../main/core/search/search-service';
import { SearchError } from '../../shared/text-search';
import { tempDir } from '../support/project';

// The project search as the API runs it: texts from the store, folded once per text version,
// regular expressions in the time-limited worker.

let dir: string;
let workerFile: string;
beforeAll(async () => {
  dir = await tempDir('gloss-search-service-');
  workerFile = path.join(dir, 'search-worker.mjs');
  await build({ entryPoints: ['main/core/search/regex-worker-entry.ts'], outfile: workerFile, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'error' });
}, 60_000);
afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

function source(docs: { id: string; textHash: string; text: string }[]) {
  const reads: string[] = [];
  const s: SearchSource = {
    documents: () => docs,
    text: async (id) => {
      reads.push(id);
      return docs.find((d) => d.id === id)?.text ?? null;
    },
  };
  return { s, reads, docs };
}

describe('the project search', () => {
  it('searches every document in list order, or only those asked', async () => {
    const { s } = source([
      { id: 'b', textHash: '1', text: 'Pyŏngyang in b' },
      { id: 'a', textHash: '2', text: 'Pyongyang in a, and PYONGYANG' },
    ]);
    const search = new SearchService(s, { workerFile });
    const all = await search.search('pyongyang', {});
    expect(all.documents.map((d) => [d.documentId, d.hits.map((h) => h.match)])).toEqual([
      ['b', ['Pyŏngyang']],
      ['a', ['Pyongyang', 'PYONGYANG']],
    ]);
    expect((await search.search('pyongyang', {}, ['a'])).total).toBe(2);
  });

  it('folds a text again only when its version changes', async () => {
    const { s, docs } = source([{ id: 'a', textHash: '1', text: 'old words' }]);
    const search = new SearchService(s, { workerFile });
    expect((await search.search('old', {})).total).toBe(1);
    docs[0] = { id: 'a', textHash: '2', text: 'new words' };
    expect((await search.search('old', {})).total).toBe(0);
    expect((await search.search('new', {})).total).toBe(1);
    // Folded with other options, it is another folding.
    expect((await search.search('New', { caseSensitive: true })).total).toBe(0);
  });

  it('runs regular expressions in the worker and says when one is malformed', async () => {
    const { s } = source([{ id: 'a', textHash: '1', text: 'wave 1, wave 2' }]);
    const search = new SearchService(s, { workerFile });
    expect((await search.search('wave \\d', { regex: true })).total).toBe(2);
    await expect(search.search('wave (', { regex: true })).rejects.toThrow(SearchError);
  });
});
