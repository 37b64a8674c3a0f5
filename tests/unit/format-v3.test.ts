import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProjectStore } from '../../main/core/store';
import { PROJECT_FILE } from '../../main/core/files';
import { servicesFor, tempDir } from '../support/project';

// A project written by the Gloss before memos with a title, quote collections and imported
// citations came into the project file (tests/fixtures/project-v3, made by that commit's own
// code: scripts/make-v3-fixture.mjs) opens with everything it held, as that code read it; the
// new fields are absent until used, and once used they are kept beside the old ones.

const FIXTURE = path.resolve('tests/fixtures/project-v3');
const ctx = { client: 'window-1' };

interface Expected {
  commit: string;
  name: string;
  revision: number;
  variables: unknown[];
  codes: unknown[];
  documents: { summary: { id: string }; annotations: unknown[] }[];
}

describe('a schema-3 project written before memos, collections and citations', () => {
  let dir = '';
  beforeEach(async () => {
    dir = path.join(await tempDir('gloss-format-v3-'), 'project');
    await fsp.cp(FIXTURE, dir, { recursive: true });
  });
  afterEach(() => fsp.rm(path.dirname(dir), { recursive: true, force: true }));

  it('opens with every document, passage, code and variable as the earlier code read them, and leaves its file as it was', async () => {
    const expected = JSON.parse(await fsp.readFile(`${FIXTURE}.expected.json`, 'utf8')) as Expected;
    const before = await fsp.readFile(path.join(dir, PROJECT_FILE), 'utf8');
    const store = await ProjectStore.open(dir);
    const api = (await servicesFor(store, dir)).handlers;
    const workspace = await api['workspace.get']({}, ctx);
    expect(store.notices).toEqual([]);
    expect([workspace.project.name, workspace.project.revision]).toEqual([expected.name, expected.revision]);
    expect(workspace.variables).toEqual(expected.variables);
    expect(workspace.codes).toEqual(expected.codes);
    expect(workspace.memos).toEqual([]);
    expect(workspace.collections).toEqual([]);
    expect(workspace.documents).toEqual(expected.documents.map((d) => d.summary));
    for (const d of expected.documents) expect((await api['annotations.list']({ documentId: d.summary.id }, ctx)).annotations).toEqual(d.annotations);
    await store.close();
    // Read and closed without a change: nothing rewritten.
    expect(await fsp.readFile(path.join(dir, PROJECT_FILE), 'utf8')).toBe(before);
  });

  it('takes memos, a collection and an imported citation beside what it held, and keeps them all', async () => {
    const expected = JSON.parse(await fsp.readFile(`${FIXTURE}.expected.json`, 'utf8')) as Expected;
    const store = await ProjectStore.open(dir);
    const api = (await servicesFor(store, dir)).handlers;
    const first = expected.documents[0]!.summary.id;
    const passage = (await api['annotations.list']({ documentId: first }, ctx)).annotations[0]!;
    await api['memos.create']({ title: 'Journal', text: 'After the move to schema 3.', about: { kind: 'project' }, passages: [{ documentId: first, id: passage.id }] }, ctx);
    const { collectionId } = await api['collections.create']({ name: 'Chapter 2' }, ctx);
    await api['collections.addQuote']({ id: collectionId!, passage: { documentId: first, id: passage.id }, note: 'Opening quote' }, ctx);
    const read = await api['documents.readCitation']({ fileName: 'one.bib', content: '@book{kim2020, title = {Families apart}, author = {Kim, Jiyoung}, year = {2020}, publisher = {Seoul Press}}' }, ctx);
    const summary = (await api['documents.list']({}, ctx)).find((d) => d.id === first)!;
    await api['documents.setCitation']({ documentId: first, citation: { format: read.format, item: read.items[0]!.item }, base: summary.meta }, ctx);
    await store.close();

    const again = await ProjectStore.open(dir);
    const reopened = (await servicesFor(again, dir)).handlers;
    const workspace = await reopened['workspace.get']({}, ctx);
    expect(workspace.memos.map((m) => [m.title, m.passages])).toEqual([['Journal', [{ documentId: first, id: passage.id }]]]);
    expect(workspace.collections.map((c) => [c.name, c.items.map((i) => i.note)])).toEqual([['Chapter 2', ['Opening quote']]]);
    expect(workspace.documents.find((d) => d.id === first)!.citation).toMatchObject({ format: 'bibtex', type: 'book' });
    // What the earlier code wrote is all still there.
    expect(workspace.variables).toEqual(expected.variables);
    expect(workspace.documents.map((d) => [d.id, d.values, d.memo])).toEqual(expected.documents.map((d) => [d.summary.id, (d.summary as { values?: unknown }).values, (d.summary as { memo?: unknown }).memo]));
    for (const d of expected.documents) expect((await reopened['annotations.list']({ documentId: d.summary.id }, ctx)).annotations).toEqual(d.annotations);
    await again.close();
  });
});
