import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { promises as fsp } from 'node:fs';
import { apiContract, dispatch, type ApiHandlers, type ApiMethod, type ApiOutput, type CallContext } from '../../shared/api';
import type { ChangeEvent } from '../../shared/changes';
import type { Coder } from '../../shared/model';
import { ProjectStore } from '../../main/core/store';
import { docFile, p, seedOf, servicesFor, tempDir } from '../support/project';

let dir: string;
let store: ProjectStore;
let api: ApiHandlers;
let coder: Coder;
let published: ChangeEvent[];
let clock = 0;

const TEXT = 'Alpha beta gamma 😀 delta.';
const window1: CallContext = { client: 'window-1' };

beforeEach(async () => {
  dir = await tempDir();
  store = await ProjectStore.open(dir, { seed: seedOf(docFile('one', 'First', p(TEXT))) });
  const services = await servicesFor(store, dir, { now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, clock++)) });
  api = services.handlers;
  coder = services.profile.coder!;
  published = [];
  services.feed.subscribe((e) => published.push(e));
});
afterEach(async () => {
  await store.close();
  await fsp.rm(dir, { recursive: true, force: true });
  await fsp.rm(`${dir}-profile.json`, { force: true });
});

async function call(method: string, input: unknown, context: CallContext = window1) {
  return dispatch(api, method, input, context);
}

/** A result checked against the contract's output schema. */
async function ok<M extends ApiMethod>(method: M, input: unknown, context: CallContext = window1): Promise<ApiOutput<M>> {
  const res = await call(method, input, context);
  if (!res.ok) throw new Error(`${method} failed: ${res.error.message}`);
  return apiContract[method].output.parse(res.result) as ApiOutput<M>;
}

/** Codes a passage and returns it as main made it. */
async function create(input: { start: number; end: number; codeIds: string[]; memo?: string }) {
  const r = await ok('annotations.create', { documentId: 'one', ...input });
  expect(r.annotation).toBeDefined();
  return r.annotation!;
}

const list = async () => (await ok('annotations.list', { documentId: 'one' })).annotations;
const range = (phrase: string) => ({ start: TEXT.indexOf(phrase), end: TEXT.indexOf(phrase) + phrase.length });

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
    ['annotations.addCodes', { documentId: 'one', id: 'not-a-uuid', codeIds: ['a'] }, /id/],
    ['annotations.addCodes', { documentId: 'one', id: uuid, codeIds: [] }, /codeIds/],
    ['annotations.removeCodes', { documentId: 'one', id: uuid }, /codeIds/],
    ['annotations.setMemo', { documentId: 'one', id: uuid, memo: 'x' }, /base/],
    ['annotations.setMemo', { documentId: 'one', id: uuid, memo: 'x', base: '', session: 'not-a-uuid' }, /session/],
    ['annotations.delete', { documentId: 'one' }, /id/],
    ['annotations.create', { documentId: 'one', start: 1, end: 5, codeIds: ['a'], memo: 'broken \ud800 surrogate' }, /memo: must not hold unpaired surrogates/],
    ['coders.saveMe', { name: '   ' }, /name: must not be empty/],
    ['coders.saveMe', { name: 'Ana', color: 'red' }, /color/],
    ['history.undo', { steps: 2 }, /steps|Unrecognized/i],
    ['changes.since', { revision: -1 }, /revision/],
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

  it('rejects unknown methods, including prototype names and the removed update and client-side restore', async () => {
    for (const m of ['nope', '__proto__', 'constructor', 'toString', 42, 'annotations.update', 'annotations.restore']) {
      const res = await call(m as string, {});
      expect(res).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    }
  });

  it('rejects passages past the end of the text, unknown codes, unknown documents and unknown passages', async () => {
    expect(await call('annotations.create', { documentId: 'one', start: 0, end: 10_000, codeIds: ['a'] })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await call('annotations.create', { documentId: 'one', start: 0, end: 3, codeIds: ['nope'] })).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/Unknown code: nope/) } });
    expect(await call('annotations.create', { documentId: 'two', start: 0, end: 3, codeIds: ['a'] })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await call('annotations.setMemo', { documentId: 'two', id: uuid, memo: 'x', base: '' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // A passage that is not there (deleted in another window, say) is a conflict, with nothing to show.
    expect(await call('annotations.setMemo', { documentId: 'one', id: uuid, memo: 'x', base: '' })).toMatchObject({ ok: false, error: { code: 'conflict', details: { annotation: null } } });
    expect(await call('annotations.delete', { documentId: 'one', id: uuid })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const a = await create({ ...range('beta'), codeIds: ['a'] });
    expect(await call('annotations.addCodes', { documentId: 'one', id: a.id, codeIds: ['nope'] })).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/Unknown code: nope/) } });
    expect((await store.annotations('one')).map((x) => x.codeIds)).toEqual([['a']]);
  });

  it('refuses to code before the coder has said who they are', async () => {
    const anonymous = await servicesFor(store, `${dir}-anonymous`, { coder: null });
    try {
      expect((await anonymous.handlers['project.info']({}, window1)).coder).toBeNull();
      const res = await dispatch(anonymous.handlers, 'annotations.create', { documentId: 'one', ...range('beta'), codeIds: ['a'] }, window1);
      expect(res).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/Say who you are/) } });
      expect(await store.annotations('one')).toEqual([]);
    } finally {
      await fsp.rm(`${dir}-anonymous-profile.json`, { force: true });
    }
  });
});

describe('API behaviour', () => {
  it('creates passages with selectors computed from the stored text, snapping off half emoji', async () => {
    const emoji = TEXT.indexOf('😀');
    const r = await ok('annotations.create', { documentId: 'one', start: emoji + 1, end: emoji + 8, codeIds: ['a', 'a', 'c'] });
    const a = r.annotation!;
    expect(a.position).toEqual({ type: 'TextPositionSelector', start: emoji, end: emoji + 8 });
    expect(a.quote.exact).toBe(TEXT.slice(emoji, emoji + 8));
    expect(a.quote.prefix).toBe(TEXT.slice(0, emoji));
    expect(a.codeIds).toEqual(['a', 'c']);
    expect(a.coderId).toBe(coder.id);
    expect(a.textHash).toBe(store.project.documents[0]!.textHash);
    expect(a.anchor).toEqual({ status: 'exact', start: emoji, end: emoji + 8 });
    expect(a.rev).toBe(r.event.revision);
    expect(r.event).toMatchObject({ origin: 'window-1', label: 'code passage' });
    expect(r.history).toEqual({ undo: 'code passage', redo: null });
    // The coder who made it is in the project's coders list, by name.
    expect((await ok('coders.list', {})).find((c) => c.id === a.coderId)?.name).toBe('Ana');
  });

  it('adds and removes codes, edits the memo, deletes, and restores exactly through undo', async () => {
    const a = await create({ ...range('beta'), codeIds: ['a'] });
    const added = (await ok('annotations.addCodes', { documentId: 'one', id: a.id, codeIds: ['c'] })).annotation!;
    expect(added.codeIds).toEqual(['a', 'c']);
    const removed = (await ok('annotations.removeCodes', { documentId: 'one', id: a.id, codeIds: ['a'] })).annotation!;
    expect(removed.codeIds).toEqual(['c']);
    const memo = await ok('annotations.setMemo', { documentId: 'one', id: a.id, memo: 'why', base: '' });
    const u = memo.annotation!;
    expect(u).toMatchObject({ codeIds: ['c'], memo: 'why', created: a.created, coderId: a.coderId, position: a.position, quote: a.quote });
    expect(u.modified > a.modified).toBe(true);
    expect(memo.history.undo).toBe('edit memo');

    const gone = await ok('annotations.delete', { documentId: 'one', id: a.id });
    expect(gone.event.changes).toContainEqual({ type: 'annotation-removed', documentId: 'one', id: a.id });
    expect(gone.history).toEqual({ undo: 'delete passage', redo: null });
    expect(await list()).toEqual([]);

    // Another window cannot take back this window's delete.
    expect(await ok('history.undo', {}, { client: 'window-2' })).toBeNull();
    expect(await list()).toEqual([]);

    const back = await ok('history.undo', {});
    expect(back).not.toBeNull();
    expect(back!.event.label).toBe('undo delete passage');
    expect(back!.reveal).toEqual({ documentId: 'one', annotationId: a.id, restored: true });
    expect(back!.history).toEqual({ undo: 'edit memo', redo: 'delete passage' });
    // Everything the passage held comes back; only its revision is that of the restoring commit.
    expect(await list()).toEqual([{ ...u, rev: back!.event.revision }]);
    expect(back!.event.revision).toBeGreaterThan(u.rev);

    // It comes back once: the next undo takes back the memo edit, it does not restore again.
    const memoUndone = await ok('history.undo', {});
    expect(memoUndone!.event.label).toBe('undo edit memo');
    expect(await list()).toMatchObject([{ id: a.id, memo: '', codeIds: ['c'] }]);
    // And redo puts the memo back, then deletes again.
    await ok('history.redo', {});
    expect(await list()).toMatchObject([{ id: a.id, memo: 'why' }]);
    await ok('history.redo', {});
    expect(await list()).toEqual([]);
    expect(await ok('history.get', {})).toEqual({ undo: 'delete passage', redo: null });
  });

  it('refuses a memo save over a memo changed since the window read it, saying what it is now', async () => {
    const a = await create({ ...range('beta'), codeIds: ['a'] });
    await ok('annotations.setMemo', { documentId: 'one', id: a.id, memo: 'theirs', base: '' }, { client: 'window-2' });
    const stale = await call('annotations.setMemo', { documentId: 'one', id: a.id, memo: 'mine', base: '' });
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict', details: { memo: 'theirs' } } });
    expect(await list()).toMatchObject([{ memo: 'theirs' }]);
  });

  it('refuses a passage of only white space and trims the ends of others', async () => {
    const space = TEXT.indexOf(' ');
    expect(await call('annotations.create', { documentId: 'one', start: space, end: space + 1, codeIds: ['a'] })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/holds no text/) } });
    const a = await create({ start: space, end: TEXT.indexOf('beta') + 4, codeIds: ['a'] });
    expect(a.quote.exact).toBe('beta');
    expect(a.position.start).toBe(space + 1);
  });

  it('keeps both of two concurrent changes to different fields, from two windows', async () => {
    const a = await create({ ...range('beta'), codeIds: ['a'] });
    await Promise.all([
      ok('annotations.addCodes', { documentId: 'one', id: a.id, codeIds: ['c'] }, { client: 'window-1' }),
      ok('annotations.setMemo', { documentId: 'one', id: a.id, memo: 'both', base: '' }, { client: 'window-2' }),
    ]);
    expect(await list()).toMatchObject([{ codeIds: ['a', 'c'], memo: 'both' }]);
  });

  it('lists passages in text order and counts them per document', async () => {
    await create({ ...range('delta'), codeIds: ['a'] });
    const second = await ok('annotations.create', { documentId: 'one', ...range('beta'), codeIds: ['c'] });
    expect((await list()).map((a) => a.quote.exact)).toEqual(['beta', 'delta']);
    expect((await ok('documents.list', {}))[0]!.annotationCount).toBe(2);
    // The command's event carries the document's new list entry.
    expect(second.event.changes).toContainEqual({ type: 'document', summary: expect.objectContaining({ id: 'one', annotationCount: 2 }) });
    // Adding a code changes no count.
    const added = await ok('annotations.addCodes', { documentId: 'one', id: second.annotation!.id, codeIds: ['a'] });
    expect(added.event.changes).toContainEqual({ type: 'document', summary: expect.objectContaining({ id: 'one', annotationCount: 2 }) });
  });

  it('publishes every command as the change event it answered with, in revision order', async () => {
    const first = await ok('annotations.create', { documentId: 'one', ...range('beta'), codeIds: ['a'] });
    const second = await ok('annotations.delete', { documentId: 'one', id: first.annotation!.id });
    expect(published.filter((e) => e.label !== 'coder profile')).toEqual([first.event, second.event]);
    const info = await ok('project.info', {});
    expect(info.revision).toBe(second.event.revision);
    const since = await ok('changes.since', { revision: first.event.revision - 1 });
    expect(since).toEqual({ revision: second.event.revision, events: [first.event, second.event] });
    expect(await ok('changes.since', { revision: info.revision })).toEqual({ revision: info.revision, events: [] });
  });

  it('every read method answers within its output schema', async () => {
    await create({ ...range('beta'), codeIds: ['a'] });
    const info = await ok('project.info', {});
    expect(info.coder).toEqual(coder);
    await ok('coders.list', {});
    await ok('documents.list', {});
    await ok('documents.get', { documentId: 'one' });
    await ok('codebook.get', {});
    await ok('annotations.list', { documentId: 'one' });
    await ok('history.get', {});
    await ok('changes.since', { revision: 0 });
  });
});
