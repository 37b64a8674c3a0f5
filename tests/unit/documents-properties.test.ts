import { describe, expect, it } from 'vitest';
import { dispatch } from '../../shared/api';
import { applyEvent } from '../../renderer/changes';
import { initialState } from '../../renderer/state';
import { docFile, p } from '../support/project';
import { refusal, useServices } from '../support/services';

// A document's properties (the fields a citation needs), its memo and its place in the list:
// each change one undoable step, refused rather than written over a change made elsewhere.

const ctx = { client: 'window-1' };
const other = { client: 'window-2' };

describe('document properties, memo and order', () => {
  const env = useServices('gloss-doc-props-', docFile('one', 'One', p('alpha')), docFile('two', 'Two', p('beta')), docFile('three', 'Three', p('gamma')));

  it('edits properties and the memo, shows them everywhere, keeps them, and undoes them', async () => {
    const done = await env.api['documents.update'](
      { documentId: 'two', changes: { title: '  Interview   2 ', author: 'Kim Ji-woo; Ana Lima', date: '2024-03', accessed: '2026-12-01', pages: '12–34', url: 'https://example.org/a', memo: 'Second visit.\r\nTense.' }, base: {} },
      ctx,
    );
    expect(done.history.undo).toBe('edit document properties');
    const summary = (await env.api['documents.list']({}, ctx)).find((d) => d.id === 'two')!;
    expect(summary.meta).toEqual({ title: 'Interview 2', author: 'Kim Ji-woo; Ana Lima', publication: '', date: '2024-03', url: 'https://example.org/a', accessed: '2026-12-01', pages: '12–34' });
    expect(summary.memo).toBe('Second visit.\nTense.');
    expect((await env.api['documents.get']({ documentId: 'two' }, ctx)).meta.title).toBe('Interview 2');
    await env.reopen();
    expect((await env.api['documents.get']({ documentId: 'two' }, ctx)).meta.pages).toBe('12–34');
    expect((await env.api['documents.list']({}, ctx)).find((d) => d.id === 'two')!.memo).toBe('Second visit.\nTense.');
    await env.api['documents.update']({ documentId: 'two', changes: { title: 'Renamed' }, base: { title: 'Interview 2' } }, ctx);
    await env.api['history.undo']({}, ctx);
    expect((await env.api['documents.get']({ documentId: 'two' }, ctx)).meta.title).toBe('Interview 2');
  });

  it('refuses to write over a field changed elsewhere, and a change that changes nothing', async () => {
    await env.api['documents.update']({ documentId: 'one', changes: { title: 'From window 2' }, base: { title: 'One' } }, other);
    const e = await refusal(env.api['documents.update']({ documentId: 'one', changes: { title: 'From window 1' }, base: { title: 'One' } }, ctx));
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(/the title of “From window 2” changed elsewhere since/);
    // Another field is no conflict.
    await env.api['documents.update']({ documentId: 'one', changes: { author: 'Ana' }, base: { author: '' } }, ctx);
    expect((await refusal(env.api['documents.update']({ documentId: 'one', changes: { author: ' Ana ' }, base: {} }, ctx))).message).toMatch(/Nothing to change/);
  });

  it('validates the fields as a citation needs them', async () => {
    for (const changes of [{ title: '   ' }, { date: '2024-13' }, { accessed: 'yesterday' }, { url: 'javascript:alert(1)' }, { title: 'a\u0007b' }, { colour: 'red' }]) {
      const res = await dispatch(env.api, 'documents.update', { documentId: 'one', changes, base: {} }, ctx);
      expect(res.ok, JSON.stringify(changes)).toBe(false);
    }
  });

  it('reorders the documents list, for every window, undoably', async () => {
    const moved = await env.api['documents.move']({ documentId: 'three', before: 'one' }, ctx);
    expect((await env.api['documents.list']({}, ctx)).map((d) => d.id)).toEqual(['three', 'one', 'two']);
    // A window applying the event ends with the same order.
    const state = { ...initialState, documents: (await env.api['documents.list']({}, ctx)).slice() };
    const before = { ...state, documents: [state.documents[1]!, state.documents[2]!, state.documents[0]!] };
    expect(applyEvent(before, moved.event).documents.map((d) => d.id)).toEqual(['three', 'one', 'two']);
    await env.api['documents.move']({ documentId: 'one', before: null }, ctx);
    expect((await env.api['documents.list']({}, ctx)).map((d) => d.id)).toEqual(['three', 'two', 'one']);
    await env.api['history.undo']({}, ctx);
    await env.api['history.undo']({}, ctx);
    expect((await env.api['documents.list']({}, ctx)).map((d) => d.id)).toEqual(['one', 'two', 'three']);
    await env.reopen();
    expect((await env.api['documents.list']({}, ctx)).map((d) => d.id)).toEqual(['one', 'two', 'three']);
  });
});
