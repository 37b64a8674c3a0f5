import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { docFile, p } from '../support/project';
import { refusal, useServices } from '../support/services';

// Putting a passage on another range of the current text: an orphan placed by hand after a new
// version, or a passage's edges moved. Codes and memo stay; one undo step; never over a move
// made elsewhere.

const ctx = { client: 'window-1' };
const other = { client: 'window-2' };
const b64 = (s: string): string => Buffer.from(s).toString('base64');
const OLD = 'Defectors say the state punishes the families. Remittances changed village life.';
const NEW = 'Defectors say the state punishes the families. Money sent home from abroad altered life in the villages.';

describe('placing a passage on another range', () => {
  const env = useServices('gloss-range-', docFile('doc', 'Doc', p(OLD)));
  const list = async () => (await env.api['annotations.list']({ documentId: 'doc' }, ctx)).annotations;
  const code = async (words: string, memo = '') => {
    const start = OLD.indexOf(words);
    return (await env.api['annotations.create']({ documentId: 'doc', start, end: start + words.length, codeIds: ['a'], memo }, ctx)).annotation!;
  };
  const replace = async () => {
    const r = await env.api['documents.previewReplace']({ documentId: 'doc', requestId: randomUUID(), fileName: 'v2.txt', content: b64(NEW) }, ctx);
    await env.api['documents.replaceText']({ token: r.token }, ctx);
  };

  it('places an orphan left by a new version on the words the user selects, keeping codes and memo', async () => {
    const orphan = await code('Remittances changed village life.', 'about money');
    await replace();
    expect((await list()).find((a) => a.id === orphan.id)!.anchor.status).toBe('orphan');

    const words = 'Money sent home from abroad';
    const start = NEW.indexOf(words);
    // Spaces around the selection are trimmed, as for a new passage.
    const r = await env.api['annotations.setRange']({ documentId: 'doc', id: orphan.id, start: start - 1, end: start + words.length + 1 }, ctx);
    expect(r.history.undo).toBe('place passage');
    const placed = (await list()).find((a) => a.id === orphan.id)!;
    expect(placed).toMatchObject({ anchor: { status: 'exact', start, end: start + words.length }, codeIds: ['a'], memo: 'about money', quote: { exact: words } });
    expect(r.event.changes).toContainEqual(expect.objectContaining({ type: 'annotation' }));

    await env.reopen();
    expect((await list()).find((a) => a.id === orphan.id)!.anchor).toEqual({ status: 'exact', start, end: start + words.length });
  });

  it('undoes to the orphan it was and redoes the placing', async () => {
    const orphan = await code('Remittances changed village life.');
    await replace();
    const start = NEW.indexOf('Money');
    await env.api['annotations.setRange']({ documentId: 'doc', id: orphan.id, start, end: start + 5 }, ctx);
    await env.api['history.undo']({}, ctx);
    const back = (await list()).find((a) => a.id === orphan.id)!;
    expect(back.anchor.status).toBe('orphan');
    expect(back.quote.exact).toBe('Remittances changed village life.');
    await env.api['history.redo']({}, ctx);
    expect((await list()).find((a) => a.id === orphan.id)!.quote.exact).toBe('Money');
  });

  it('moves the edges of a placed passage', async () => {
    const a = await code('the state punishes');
    const start = OLD.indexOf('the state punishes the families');
    await env.api['annotations.setRange']({ documentId: 'doc', id: a.id, start, end: start + 'the state punishes the families'.length }, ctx);
    expect((await list()).find((x) => x.id === a.id)!.quote.exact).toBe('the state punishes the families');
  });

  it('refuses a range that holds no text or runs past the end, changing nothing', async () => {
    const a = await code('the state punishes');
    const revision = env.store.revision;
    const blank = OLD.indexOf(' ');
    expect((await refusal(env.api['annotations.setRange']({ documentId: 'doc', id: a.id, start: blank, end: blank + 1 }, ctx))).code).toBe('invalid_input');
    expect((await refusal(env.api['annotations.setRange']({ documentId: 'doc', id: a.id, start: 0, end: OLD.length + 5 }, ctx))).code).toBe('invalid_input');
    expect((await refusal(env.api['annotations.setRange']({ documentId: 'doc', id: randomUUID(), start: 0, end: 5 }, ctx))).code).toBe('not_found');
    expect(env.store.revision).toBe(revision);
  });

  it('will not undo over a move made in another window since', async () => {
    const a = await code('the state punishes');
    await env.api['annotations.setRange']({ documentId: 'doc', id: a.id, start: 0, end: 'Defectors'.length }, ctx);
    const start = OLD.indexOf('families');
    await env.api['annotations.setRange']({ documentId: 'doc', id: a.id, start, end: start + 'families'.length }, other);
    const e = await refusal(env.api['history.undo']({}, ctx));
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(/moved or placed elsewhere/);
    expect((await list()).find((x) => x.id === a.id)!.quote.exact).toBe('families');
  });
});
