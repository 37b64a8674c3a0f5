import { describe, expect, it } from 'vitest';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { ApiError, dispatch } from '../../shared/api';
import { treeRows } from '../../shared/codebook';
import { codebookToQdc } from '../../main/core/codebook-export';
import { docFile, p } from '../support/project';
import { useServices } from '../support/services';

// Importing a REFI-QDA codebook through the API: a preview that changes nothing, then one
// transaction and one undo step; a second import of the same file changes nothing.

const QUALCODER = path.resolve(import.meta.dirname, '..', 'fixtures', 'refi-qda', 'qualcoder-3.8.2_codebook.qdc');
const A = docFile('doc-a', 'Alpha', p('Some text to code.'));
const one = { client: 'window-1' };

const env = useServices('gloss-import-', A);

const names = async () => treeRows((await env.api['codebook.get']({}, one)).codes).map((r) => `${'  '.repeat(r.depth)}${r.code.name}`);

describe('importing a REFI-QDA codebook', () => {
  it('previews without changing anything, then imports in one undoable step', async () => {
    const content = await fsp.readFile(QUALCODER, 'utf8');
    const before = await names();
    const preview = await env.api['codebook.previewImport']({ content }, one);
    expect(preview.origin).toBe('QualCoder');
    expect(preview.counts.new).toBeGreaterThan(5);
    expect(preview.counts.matched).toBe(0);
    expect(preview.unchanged).toBe(false);
    expect(preview.entries.map((e) => e.path.join(' › '))).toContain('Implementation Quality › Curriculum fidelity');
    expect(await names()).toEqual(before);
    expect(env.events).toEqual([]);

    const r = await env.api['codebook.import']({ content }, one);
    expect(r.history.undo).toBe('import codebook from QualCoder');
    expect(env.events).toHaveLength(1);
    const after = await names();
    expect(after).toEqual(expect.arrayContaining(['Implementation Quality', '  Curriculum fidelity', 'Ünïcøde & <angle> "quoted" — 教师']));
    expect(after.length - before.length).toBe(preview.counts.new);
    // The file's GUIDs become the new codes' ids, and its colours and definitions come along.
    const fidelity = (await env.api['codebook.get']({}, one)).codes.find((c) => c.name === 'Curriculum fidelity')!;
    expect(fidelity).toMatchObject({ id: '4d1ebd54-13f8-4da1-9a17-026e2aefc288', color: '#a3bea5', description: 'Teacher follows the published sequence.\nSecond line, after a hard break.' });

    // The same file again changes nothing.
    expect((await env.api['codebook.previewImport']({ content }, one)).unchanged).toBe(true);
    const again = await env.api['codebook.import']({ content }, one).then(
      () => null,
      (e: unknown) => e,
    );
    expect(again).toBeInstanceOf(ApiError);
    expect((again as ApiError).message).toMatch(/changes nothing/);

    await env.api['history.undo']({}, one);
    expect(await names()).toEqual(before);
    await env.api['history.redo']({}, one);
    expect(await names()).toEqual(after);
  });

  it('matches its own export back: re-importing the exported codebook changes nothing', async () => {
    const content = codebookToQdc((await env.api['codebook.get']({}, one)).codes, 'Gloss');
    const preview = await env.api['codebook.previewImport']({ content }, one);
    expect(preview.unchanged).toBe(true);
    expect(preview.entries.every((e) => e.status === 'matched' && e.matchedBy === 'guid')).toBe(true);
  });

  it.each([
    ['a DTD with an external entity', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>', /DTD|DOCTYPE/i],
    ['not XML', 'this is not a codebook', /XML/],
    ['a code without a name', '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="8162617f-e691-400b-aa13-c586dfaf7b89" name=" " isCodable="true"/></Codes></CodeBook>', /name/],
  ])('refuses %s with a message, changing nothing', async (_what, content, message) => {
    const before = await names();
    for (const method of ['codebook.previewImport', 'codebook.import'] as const) {
      const r = await dispatch(env.api, method, { content }, one);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('invalid_input');
        expect(r.error.message).toMatch(message);
      }
    }
    expect(await names()).toEqual(before);
    expect(env.events).toEqual([]);
  });

  it('refuses a file over 10 MB at the door', async () => {
    const r = await dispatch(env.api, 'codebook.previewImport', { content: 'x'.repeat(10 * 1024 * 1024 + 1) }, one);
    expect(r.ok === false && r.error.code).toBe('invalid_input');
  });
});
