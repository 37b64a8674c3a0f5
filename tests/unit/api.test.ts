import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { promises as fsp } from 'node:fs';
import { apiContract, dispatch, type ApiHandlers, type ApiMethod, type ApiOutput } from '../../shared/api';
import { ProjectStore } from '../../main/core/store';
import { createHandlers } from '../../main/core/services';
import { docFile, p, seedOf, tempDir } from '../support/project';

let dir: string;
let store: ProjectStore;
let api: ApiHandlers;
let clock = 0;

beforeEach(async () => {
  dir = await tempDir();
  store = await ProjectStore.open(dir, { seed: seedOf(docFile('one', 'First', p('Alpha beta gamma 😀 delta.'))) });
  api = createHandlers({ store, coder: { id: 'coder-1', name: 'Ana' }, now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, clock++)) });
});
afterEach(async () => {
  await store.close();
  await fsp.rm(dir, { recursive: true, force: true });
});

async function call(method: string, input: unknown) {
  return dispatch(api, method, input);
}

/** A result checked against the contract's output schema. */
async function ok<M extends ApiMethod>(method: M, input: unknown): Promise<ApiOutput<M>> {
  const res = await call(method, input);
  if (!res.ok) throw new Error(`${method} failed: ${res.error.message}`);
  return apiContract[method].output.parse(res.result) as ApiOutput<M>;
}

const uuid = '123e4567-e89b-42d3-a456-426614174000';

describe('API validation rejects bad input with a clear message', () => {
  const bad: [string, unknown, RegExp][] = [
    ['annotations.create', { documentId: 'one', start: 5, end: 5, codeIds: ['a'] }, /end must be greater than start/],
    ['annotations.create', { documentId: 'one', start: -1, end: 5, codeIds: ['a'] }, /start/],
    ['annotations.create', { documentId: 'one', start: 1.5, end: 5, codeIds: ['a'] }, /start/],
    ['annotations.create', { documentId: 'one', start: '1', end: 5, codeIds: ['a'] }, /start/],
    ['annotations.create', { documentId: 'one', start: 1, end: 5 }, /codeIds/],
    ['annotations.create', { documentId: '../../etc/passwd', start: 1, end: 5, codeIds: ['a'] }, /documentId/],
    ['annotations.create', { documentId: 'one', start: 1, end: 5, codeIds: ['a'], extra: true }, /extra|Unrecognized/i],
    ['annotations.create', { documentId: 'one', start: 1, end: 5, codeIds: ['a'], memo: 'x'.repeat(100_001) }, /memo/],
    ['annotations.create', null, /documentId/],
    ['annotations.create', 'text', /input/],
    ['annotations.update', { documentId: 'one', id: 'not-a-uuid' }, /id/],
    ['annotations.delete', { documentId: 'one' }, /id/],
    ['annotations.restore', { annotation: { id: uuid } }, /documentId|annotation/],
    ['annotations.create', { documentId: 'one', start: 1, end: 5, codeIds: ['a'], memo: 'broken \ud800 surrogate' }, /memo: must not hold unpaired surrogates/],
    ['documents.get', {}, /documentId/],
    ['documents.get', { documentId: '' }, /documentId/],
    ['project.info', { surprise: 1 }, /surprise|Unrecognized/i],
  ];
  it.each(bad)('%s %j', async (method, input, message) => {
    const res = await call(method, input);
    expect(res.ok).toBe(false);
    if (!res.ok) {
      expect(res.error.code).toBe('invalid_input');
      expect(res.error.message).toMatch(message);
    }
  });

  it('rejects unknown methods, including prototype names', async () => {
    for (const m of ['nope', '__proto__', 'constructor', 'toString', 42]) {
      const res = await call(m as string, {});
      expect(res).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    }
  });

  it('rejects passages past the end of the text, unknown codes and unknown documents', async () => {
    expect(await call('annotations.create', { documentId: 'one', start: 0, end: 10_000, codeIds: ['a'] })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await call('annotations.create', { documentId: 'one', start: 0, end: 3, codeIds: ['nope'] })).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/Unknown code: nope/) } });
    expect(await call('annotations.create', { documentId: 'two', start: 0, end: 3, codeIds: ['a'] })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await call('annotations.update', { documentId: 'one', id: uuid, memo: 'x' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await store.annotations('one')).toEqual([]);
  });
});

describe('API behaviour', () => {
  it('creates passages with selectors computed from the stored text, snapping off half emoji', async () => {
    const text = 'First\n\nAlpha beta gamma 😀 delta.';
    const emoji = text.indexOf('😀');
    const a = await ok('annotations.create', { documentId: 'one', start: emoji + 1, end: emoji + 8, codeIds: ['a', 'a', 'c'] });
    expect(a.position).toEqual({ type: 'TextPositionSelector', start: emoji, end: emoji + 8 });
    expect(a.quote.exact).toBe(text.slice(emoji, emoji + 8));
    expect(a.quote.prefix).toBe(text.slice(0, emoji));
    expect(a.codeIds).toEqual(['a', 'c']);
    expect(a.coder).toBe('Ana');
    expect(a.textHash).toBe(store.project.documents[0]!.textHash);
  });

  it('updates codes and memo, deletes and restores exactly', async () => {
    const a = await ok('annotations.create', { documentId: 'one', start: 7, end: 12, codeIds: ['a'] });
    const u = await ok('annotations.update', { documentId: 'one', id: a.id, codeIds: ['c'], memo: 'why' });
    expect(u).toMatchObject({ codeIds: ['c'], memo: 'why', created: a.created });
    expect(u.modified > a.modified).toBe(true);
    const gone = await ok('annotations.delete', { documentId: 'one', id: a.id });
    expect(gone).toEqual(u);
    expect(await ok('annotations.list', { documentId: 'one' })).toEqual([]);
    await ok('annotations.restore', { documentId: 'one', id: a.id });
    expect(await ok('annotations.list', { documentId: 'one' })).toEqual([u]);
    // Only what main itself deleted can come back, once.
    expect(await call('annotations.restore', { documentId: 'one', id: a.id })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await call('annotations.restore', { documentId: 'one', id: uuid })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('refuses a passage of only white space and trims the ends of others', async () => {
    const text = 'First\n\nAlpha beta gamma 😀 delta.';
    expect(await call('annotations.create', { documentId: 'one', start: 5, end: 7, codeIds: ['a'] })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/holds no text/) } });
    const a = await ok('annotations.create', { documentId: 'one', start: 5, end: 12, codeIds: ['a'] });
    expect(a.quote.exact).toBe(text.slice(7, 12));
  });

  it('keeps both of two concurrent updates to different fields', async () => {
    const a = await ok('annotations.create', { documentId: 'one', start: 7, end: 12, codeIds: ['a'] });
    await Promise.all([ok('annotations.update', { documentId: 'one', id: a.id, codeIds: ['c'] }), ok('annotations.update', { documentId: 'one', id: a.id, memo: 'both' })]);
    expect(await ok('annotations.list', { documentId: 'one' })).toMatchObject([{ codeIds: ['c'], memo: 'both' }]);
  });

  it('lists passages in text order and counts them per document', async () => {
    await ok('annotations.create', { documentId: 'one', start: 20, end: 25, codeIds: ['a'] });
    await ok('annotations.create', { documentId: 'one', start: 7, end: 12, codeIds: ['c'] });
    expect((await ok('annotations.list', { documentId: 'one' })).map((a) => a.position.start)).toEqual([7, 20]);
    expect((await ok('documents.list', {}))[0]!.annotationCount).toBe(2);
  });

  it('every read method answers within its output schema', async () => {
    await ok('project.info', {});
    await ok('documents.get', { documentId: 'one' });
    await ok('codebook.get', {});
  });
});
