import { describe, expect, it } from 'vitest';
import { dispatch } from '../../shared/api';
import { treeRows } from '../../shared/codebook';
import type { Code } from '../../shared/model';
import { docFile, p } from '../support/project';
import { refusal, useServices } from '../support/services';

// In-vivo coding as main runs it (annotations.codeInVivo): the code named after the passage's
// words and the passage coded with it in one transaction and one undo step.

const A = docFile('doc-a', 'Alpha', p('She said “we had no choice” and left.'), p('Then   the   money ran out, and the whole family was watched by the security services every day.'));
const one = { client: 'window-1' };
const two = { client: 'window-2' };

const env = useServices('gloss-in-vivo-', A);

const text = A.blocks.map((b) => (b.type === 'paragraph' ? b.text : '')).join('\n\n');
const rangeOf = (phrase: string) => {
  const start = text.indexOf(phrase);
  if (start < 0) throw new Error(`no “${phrase}”`);
  return { start, end: start + phrase.length };
};
const inVivo = (phrase: string, parentId: string | null = null, ctx = one) => env.api['annotations.codeInVivo']({ documentId: A.id, ...rangeOf(phrase), parentId }, ctx);
const passages = async () => (await env.api['annotations.list']({ documentId: A.id }, one)).annotations;
const codes = async (): Promise<Code[]> => (await env.api['codebook.get']({}, one)).codes;
const tree = async (): Promise<string[]> => treeRows(await codes()).map((r) => `${'  '.repeat(r.depth)}${r.code.name}`);
const undo = (ctx = one) => env.api['history.undo']({}, ctx);
const redo = (ctx = one) => env.api['history.redo']({}, ctx);

describe('in-vivo coding', () => {
  it('makes the code and codes the passage in one transaction, and one undo takes back both', async () => {
    const r = await inVivo('“we had no choice”');
    // One commit: the codebook and the passage in the same change event.
    expect(env.events).toHaveLength(1);
    expect(env.events[0]!.changes.map((c) => c.type).sort()).toEqual(['annotation', 'codebook', 'coders', 'document']);
    const made = (await codes()).find((c) => c.id === r.codeId)!;
    expect(made).toMatchObject({ name: 'we had no choice', parentId: null, description: '' });
    expect(await tree()).toEqual(['Alpha', '  Beta', 'Gamma', 'we had no choice']);
    const [passage] = await passages();
    expect(passage).toMatchObject({ codeIds: [r.codeId], quote: { exact: '“we had no choice”' } });
    expect(r.annotation!.id).toBe(passage!.id);
    expect(r.history).toEqual({ undo: 'in-vivo code “we had no choice”', redo: null });

    const u = await undo();
    expect(env.events).toHaveLength(2);
    expect(await passages()).toEqual([]);
    expect(await tree()).toEqual(['Alpha', '  Beta', 'Gamma']);
    expect(u!.history).toEqual({ undo: null, redo: 'in-vivo code “we had no choice”' });

    await redo();
    expect(await tree()).toEqual(['Alpha', '  Beta', 'Gamma', 'we had no choice']);
    const back = await passages();
    expect(back.map((a) => [a.id, a.codeIds])).toEqual([[passage!.id, [r.codeId]]]);
    // And on disk.
    await env.reopen();
    expect(await tree()).toEqual(['Alpha', '  Beta', 'Gamma', 'we had no choice']);
    expect((await passages()).map((a) => a.codeIds)).toEqual([[r.codeId]]);
  });

  it('names the code after the words: white space made one, cut at a word with an ellipsis', async () => {
    const r = await inVivo('Then   the   money ran out, and the whole family was watched by the security services every day.');
    expect((await codes()).find((c) => c.id === r.codeId)!.name).toBe('Then the money ran out, and the whole family was watched by…');
    expect(r.history.undo).toBe('in-vivo code “Then the money ran out…”');
  });

  it('puts the code under the parent asked for, last among its children', async () => {
    const r = await inVivo('money ran out', 'a');
    expect(await tree()).toEqual(['Alpha', '  Beta', '  money ran out', 'Gamma']);
    expect((await codes()).find((c) => c.id === r.codeId)!.parentId).toBe('a');
  });

  it('applies a code of that name under the parent (any case) instead of making another', async () => {
    const first = await inVivo('money ran out', 'c');
    await env.api['codes.update']({ id: first.codeId!, name: 'Money ran OUT' }, one);
    const second = await inVivo('money ran out,', 'c');
    expect(second.codeId).toBe(first.codeId);
    expect((await codes()).filter((c) => c.name.toLowerCase() === 'money ran out')).toHaveLength(1);
    // Nothing was made: the step is plain coding, and its undo leaves the code.
    expect(second.history.undo).toBe('code passage');
    expect(env.events.at(-1)!.changes.some((c) => c.type === 'codebook')).toBe(false);
    await undo();
    expect((await passages()).map((a) => a.quote.exact)).toEqual(['money ran out']);
    expect(second.annotation!.quote.exact).toBe('money ran out,');
    expect((await codes()).some((c) => c.id === first.codeId)).toBe(true);
    // The same name under another parent is another code.
    const elsewhere = await inVivo('money ran out', null);
    expect(elsewhere.codeId).not.toBe(first.codeId);
  });

  it('gives the code to a passage over exactly the same span rather than making a twin; undo takes both back', async () => {
    const { start, end } = rangeOf('we had no choice');
    const existing = (await env.api['annotations.create']({ documentId: A.id, start, end, codeIds: ['a'] }, one)).annotation!;
    const before = env.events.length;
    const r = await inVivo('we had no choice');
    expect(env.events).toHaveLength(before + 1);
    expect((await passages()).map((a) => [a.id, a.codeIds])).toEqual([[existing.id, ['a', r.codeId]]]);
    await undo();
    expect((await passages()).map((a) => [a.id, a.codeIds])).toEqual([[existing.id, ['a']]]);
    expect((await codes()).some((c) => c.id === r.codeId)).toBe(false);
    await redo();
    expect((await passages()).map((a) => [a.id, a.codeIds])).toEqual([[existing.id, ['a', r.codeId]]]);
    // An overlapping selection is a passage of its own, as in the picker.
    await inVivo('no choice');
    expect(await passages()).toHaveLength(2);
    // A passage with the code already: nothing to change.
    expect((await refusal(inVivo('we had no choice'))).message).toMatch(/coded “we had no choice” already/);
  });

  it("undo refuses, changing nothing, when another window coded with the new code since", async () => {
    const r = await inVivo('money ran out');
    await env.api['annotations.create']({ documentId: A.id, ...rangeOf('security services'), codeIds: [r.codeId!] }, two);
    const revision = env.store.revision;
    const e = await refusal(undo());
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(/used on 1 more passage since/);
    expect(env.store.revision).toBe(revision);
    expect(await passages()).toHaveLength(2);
    expect((await codes()).some((c) => c.id === r.codeId)).toBe(true);
  });

  it('refuses what cannot be an in-vivo code, changing nothing', async () => {
    const revision = env.store.revision;
    // Only punctuation: no words to name a code after.
    const dash = text.indexOf('“');
    expect((await refusal(env.api['annotations.codeInVivo']({ documentId: A.id, start: dash, end: dash + 1, parentId: null }, one))).message).toMatch(/no words/);
    expect((await refusal(inVivo('money ran out', 'gone'))).code).toBe('not_found');
    expect((await refusal(env.api['annotations.codeInVivo']({ documentId: 'nope', start: 0, end: 3, parentId: null }, one))).code).toBe('not_found');
    expect((await refusal(env.api['annotations.codeInVivo']({ documentId: A.id, start: 0, end: text.length + 5, parentId: null }, one))).message).toMatch(/past the end/);
    expect(env.store.revision).toBe(revision);
    expect(await tree()).toEqual(['Alpha', '  Beta', 'Gamma']);

    // Checked at the API's door, whatever the transport.
    const bad = async (input: unknown) => {
      const answer = await dispatch(env.api, 'annotations.codeInVivo', input, one);
      return answer.ok ? 'accepted' : answer.error;
    };
    expect(await bad({ documentId: A.id, start: 5, end: 5, parentId: null })).toMatchObject({ code: 'invalid_input', message: /end must be greater than start/ });
    expect(await bad({ documentId: A.id, start: -1, end: 5, parentId: null })).toMatchObject({ code: 'invalid_input' });
    expect(await bad({ documentId: A.id, start: 0, end: 5 })).toMatchObject({ code: 'invalid_input', message: /parentId/ });
    expect(await bad({ documentId: A.id, start: 0, end: 5, parentId: '../x' })).toMatchObject({ code: 'invalid_input' });
    expect(await bad({ documentId: A.id, start: 0, end: 5, parentId: null, name: 'mine' })).toMatchObject({ code: 'invalid_input' });
    expect(env.store.revision).toBe(revision);
  });

  it("keeps each window's undo its own", async () => {
    await inVivo('money ran out', null, one);
    await inVivo('security services', null, two);
    await undo(one);
    expect(await tree()).toEqual(['Alpha', '  Beta', 'Gamma', 'security services']);
    expect((await passages()).map((a) => a.quote.exact)).toEqual(['security services']);
  });
});
