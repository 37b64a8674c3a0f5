import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { plainText } from '../../shared/plain-text';
import { docFile, p } from '../support/project';
import { refusal, useServices } from '../support/services';

// A new version of a document's text: previewed (nothing changes), then applied in one undoable
// step; every passage re-anchored or kept unplaced, never dropped; the old text kept.

const ctx = { client: 'window-1' };
const other = { client: 'window-2' };
const b64 = (s: string): string => Buffer.from(s).toString('base64');
const OLD = 'Defectors say the state punishes the families. Relatives are questioned and watched. Remittances changed village life.';

describe('a new version of a text', () => {
  const env = useServices('gloss-replace-api-', docFile('doc', 'Doc', p(OLD)));
  const code = async (words: string, memo = '') => {
    const start = OLD.indexOf(words);
    return (await env.api['annotations.create']({ documentId: 'doc', start, end: start + words.length, codeIds: ['a'], memo }, ctx)).annotation!;
  };
  const preview = (text: string) => env.api['documents.previewReplace']({ documentId: 'doc', requestId: randomUUID(), fileName: 'v2.txt', content: b64(text) }, ctx);
  const NEW = 'Many say the state punishes the families. Relatives are questioned for hours and watched.';

  it('previews what happens to each passage, changing nothing', async () => {
    const a = await code('the state punishes');
    const b = await code('Relatives are questioned and watched.');
    const c = await code('Remittances changed village life.');
    const revision = env.store.revision;
    const r = await preview(NEW);
    expect(env.store.revision).toBe(revision);
    expect(r.counts).toEqual({ unchanged: 0, moved: 1, changed: 1, orphaned: 1 });
    const byId = new Map(r.passages.map((x) => [x.id, x]));
    expect(byId.get(a.id)).toMatchObject({ status: 'moved', new: { text: 'the state punishes' } });
    expect(byId.get(b.id)).toMatchObject({ status: 'changed', old: { text: 'Relatives are questioned and watched.' }, new: { text: 'Relatives are questioned for hours and watched.' } });
    expect(byId.get(c.id)).toMatchObject({ status: 'orphaned', new: null });
  });

  it('applies it in one undoable step, keeping the unplaced passage and the old text', async () => {
    const a = await code('the state punishes', 'kept memo');
    const c = await code('Remittances changed village life.');
    const r = await preview(NEW);
    const done = await env.api['documents.replaceText']({ token: r.token }, ctx);
    expect(done.history.undo).toBe('new version of the text');
    const doc = await env.api['documents.get']({ documentId: 'doc' }, ctx);
    expect(plainText(doc.blocks)).toBe(NEW);
    expect(doc.meta.title).toBe('Doc');
    const list = (await env.api['annotations.list']({ documentId: 'doc' }, ctx)).annotations;
    const placedA = list.find((x) => x.id === a.id)!;
    expect(placedA).toMatchObject({ memo: 'kept memo', anchor: { status: 'exact' } });
    expect(NEW.slice(placedA.position.start, placedA.position.end)).toBe('the state punishes');
    // Never dropped, and never placed again by the reader on other words.
    expect(list.find((x) => x.id === c.id)!.anchor.status).toBe('orphan');
    const versions = await env.api['documents.versions']({ documentId: 'doc' }, ctx);
    expect(versions.map((v) => plainText(v.content.blocks))).toEqual([OLD]);

    await env.reopen();
    expect(plainText((await env.api['documents.get']({ documentId: 'doc' }, ctx)).blocks)).toBe(NEW);
    expect((await env.api['documents.versions']({ documentId: 'doc' }, ctx)).map((v) => plainText(v.content.blocks))).toEqual([OLD]);
    expect((await env.api['annotations.list']({ documentId: 'doc' }, ctx)).annotations.find((x) => x.id === c.id)!.anchor.status).toBe('orphan');
  });

  it('undoes and redoes the whole replacement', async () => {
    const a = await code('the state punishes');
    const r = await preview(NEW);
    await env.api['documents.replaceText']({ token: r.token }, ctx);
    await env.api['history.undo']({}, ctx);
    expect(plainText((await env.api['documents.get']({ documentId: 'doc' }, ctx)).blocks)).toBe(OLD);
    const back = (await env.api['annotations.list']({ documentId: 'doc' }, ctx)).annotations.find((x) => x.id === a.id)!;
    expect(OLD.slice(back.position.start, back.position.end)).toBe('the state punishes');
    expect(await env.api['documents.versions']({ documentId: 'doc' }, ctx)).toEqual([]);
    await env.api['history.redo']({}, ctx);
    expect(plainText((await env.api['documents.get']({ documentId: 'doc' }, ctx)).blocks)).toBe(NEW);
  });

  it('leaves passages unplaced or puts them where the user says', async () => {
    const a = await code('the state punishes');
    const b = await code('Relatives are questioned and watched.');
    const r = await preview(NEW);
    const at = NEW.indexOf('for hours');
    await env.api['documents.replaceText']({ token: r.token, orphan: [a.id], retarget: [{ id: b.id, start: at, end: at + 'for hours'.length }] }, ctx);
    const list = (await env.api['annotations.list']({ documentId: 'doc' }, ctx)).annotations;
    expect(list.find((x) => x.id === a.id)!.anchor.status).toBe('orphan');
    expect(list.find((x) => x.id === b.id)!.quote.exact).toBe('for hours');
    const bad = await preview(`${NEW} More.`);
    expect((await refusal(env.api['documents.replaceText']({ token: bad.token, retarget: [{ id: b.id, start: 5, end: 10_000 }] }, ctx))).message).toMatch(/not a range of the new text/);
  });

  it('refuses to apply a preview when the document or a passage changed since', async () => {
    const a = await code('the state punishes');
    const r = await preview(NEW);
    await env.api['annotations.setMemo']({ documentId: 'doc', id: a.id, memo: 'changed', base: '' }, other);
    expect((await refusal(env.api['documents.replaceText']({ token: r.token }, ctx))).code).toBe('conflict');
    expect(plainText((await env.api['documents.get']({ documentId: 'doc' }, ctx)).blocks)).toBe(OLD);
    const same = await refusal(preview(OLD));
    expect(same.message).toMatch(/nothing would change/);
  });
});
