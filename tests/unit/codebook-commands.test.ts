import { describe, expect, it } from 'vitest';
import { dispatch } from '../../shared/api';
import { treeRows } from '../../shared/codebook';
import type { Code } from '../../shared/model';
import { docFile, p } from '../support/project';
import { refusal, useServices } from '../support/services';

// The codebook commands as main runs them: each one transaction, one undo step, seen by every
// window through the feed, and never overwriting what another window changed since.

const A = docFile('doc-a', 'Alpha', p('The first article talks about surveillance of families.'), p('A second paragraph about money.'));
const B = docFile('doc-b', 'Beta', p('The second article is about smuggling across the border.'));
const C = docFile('doc-c', 'Gamma', p('A third article, on bribes paid to guards.'));
const one = { client: 'window-1' };
const two = { client: 'window-2' };

const env = useServices('gloss-codebook-', A, B, C);

const textOf = (doc: typeof A): string => doc.blocks.map((b) => (b.type === 'paragraph' ? b.text : '')).join('\n\n');
async function code(doc: typeof A, phrase: string, codeIds: string[], ctx = one) {
  const start = textOf(doc).indexOf(phrase);
  if (start < 0) throw new Error(`no “${phrase}” in ${doc.id}`);
  return (await env.api['annotations.create']({ documentId: doc.id, start, end: start + phrase.length, codeIds }, ctx)).annotation!;
}
const passages = async (doc = A) => (await env.api['annotations.list']({ documentId: doc.id }, one)).annotations;
const codes = async (): Promise<Code[]> => (await env.api['codebook.get']({}, one)).codes;
const byName = async (name: string): Promise<Code> => (await codes()).find((c) => c.name === name)!;
/** The tree as "name<depth>" in reading order. */
const tree = async (): Promise<string[]> => treeRows(await codes()).map((r) => `${'  '.repeat(r.depth)}${r.code.name}`);
const undo = (ctx = one) => env.api['history.undo']({}, ctx);
const redo = (ctx = one) => env.api['history.redo']({}, ctx);

describe('creating, editing and moving codes', () => {
  it('creates a child code with a fresh id, slot and colour, and undo/redo take it out and back', async () => {
    const r = await env.api['codes.create']({ name: '  Informants  ', parentId: 'a' }, one);
    const made = (await codes()).find((c) => c.id === r.codeId)!;
    expect(made).toMatchObject({ name: 'Informants', parentId: 'a', description: '' });
    expect(made.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(made.slot).toBe(3);
    expect(made.color).toMatch(/^#[0-9a-f]{6}$/);
    expect(await tree()).toEqual(['Alpha', '  Beta', '  Informants', 'Gamma']);
    expect(r.history.undo).toBe('create code');
    expect(env.events.at(-1)!.changes).toEqual([{ type: 'codebook', codes: await codes() }]);

    await undo();
    expect(await tree()).toEqual(['Alpha', '  Beta', 'Gamma']);
    await redo();
    expect(await tree()).toEqual(['Alpha', '  Beta', '  Informants', 'Gamma']);
    // On disk too.
    await env.reopen();
    expect(await tree()).toEqual(['Alpha', '  Beta', '  Informants', 'Gamma']);
  });

  it('places a new code before a sibling when asked', async () => {
    await env.api['codes.create']({ name: 'First', parentId: null, before: 'a' }, one);
    expect(await tree()).toEqual(['First', 'Alpha', '  Beta', 'Gamma']);
  });

  it('refuses an empty name, a sibling of the same name, an unknown parent and a misplaced "before"', async () => {
    expect((await refusal(env.api['codes.create']({ name: ' \t ', parentId: null }, one))).message).toMatch(/needs a name/);
    expect((await refusal(env.api['codes.create']({ name: 'alpha', parentId: null }, one))).message).toMatch(/“Alpha” is already at the top level/);
    expect((await refusal(env.api['codes.create']({ name: 'New', parentId: 'nope' }, one))).code).toBe('not_found');
    expect((await refusal(env.api['codes.create']({ name: 'New', parentId: null, before: 'a.b' }, one))).message).toMatch(/not a sibling/);
    // The same name elsewhere in the tree is fine.
    await env.api['codes.create']({ name: 'Alpha', parentId: 'c' }, one);
    expect(await tree()).toContain('  Alpha');
    expect(env.events).toHaveLength(1);
  });

  it('renames, recolours and redefines, each one undo step labelled for what it did', async () => {
    const r1 = await env.api['codes.update']({ id: 'a.b', name: 'Watching' }, one);
    expect(r1.history.undo).toBe('rename code');
    const r2 = await env.api['codes.update']({ id: 'a.b', color: '#123ABC' }, one);
    expect(r2.history.undo).toBe('recolour code');
    await env.api['codes.update']({ id: 'a.b', description: 'Line one\nLine two' }, one);
    expect((await codes()).find((c) => c.id === 'a.b')).toMatchObject({ name: 'Watching', color: '#123abc', description: 'Line one\nLine two', slot: 1 });
    await undo();
    await undo();
    expect((await codes()).find((c) => c.id === 'a.b')).toMatchObject({ name: 'Watching', color: '#00aa00', description: '' });
    await undo();
    expect((await codes()).find((c) => c.id === 'a.b')!.name).toBe('Beta');
    expect((await refusal(env.api['codes.update']({ id: 'a.b', name: 'Beta' }, one))).message).toMatch(/nothing to change/);
  });

  it('gives a code a shortcut key, moving it from the code that had it, in one undo step', async () => {
    await env.api['codes.update']({ id: 'a', shortcut: '1' }, one);
    const r = await env.api['codes.update']({ id: 'c', shortcut: '1' }, one);
    expect(r.history.undo).toBe('set shortcut key');
    const keys = async () => Object.fromEntries((await codes()).map((c) => [c.id, c.shortcut ?? null]));
    expect(await keys()).toEqual({ a: null, 'a.b': null, c: '1' });
    await undo();
    expect(await keys()).toEqual({ a: '1', 'a.b': null, c: null });
    await env.api['codes.update']({ id: 'a', shortcut: null }, one);
    expect(await keys()).toEqual({ a: null, 'a.b': null, c: null });
    // Checked at the API's door, whatever the transport.
    const bad = await dispatch(env.api, 'codes.update', { id: 'a', shortcut: 'Ctrl+Q' }, one);
    expect(bad.ok === false && bad.error.code).toBe('invalid_input');
  });

  it('moves a code to another parent and back, and reorders siblings', async () => {
    await env.api['codes.move']({ id: 'a.b', parentId: 'c', before: null }, one);
    expect(await tree()).toEqual(['Alpha', 'Gamma', '  Beta']);
    await env.api['codes.move']({ id: 'c', parentId: null, before: 'a' }, one);
    expect(await tree()).toEqual(['Gamma', '  Beta', 'Alpha']);
    await undo();
    expect(await tree()).toEqual(['Alpha', 'Gamma', '  Beta']);
    await undo();
    expect(await tree()).toEqual(['Alpha', '  Beta', 'Gamma']);
  });

  it('refuses to move a code inside itself', async () => {
    const e = await refusal(env.api['codes.move']({ id: 'a', parentId: 'a.b', before: null }, one));
    expect(e.message).toMatch(/inside itself/);
    expect(await tree()).toEqual(['Alpha', '  Beta', 'Gamma']);
  });
});

describe('merging codes', () => {
  it('codes every passage of A with B in one transaction across documents; a passage with both keeps one; undo restores each', async () => {
    await env.api['codes.update']({ id: 'a.b', description: 'Watching people.' }, one);
    await env.api['codes.update']({ id: 'c', description: 'Money matters.' }, one);
    const onlyB1 = await code(A, 'surveillance', ['a.b']);
    const both = await code(A, 'money', ['a.b', 'c']);
    const onlyB2 = await code(B, 'smuggling', ['a', 'a.b']);
    const other = await code(C, 'bribes', ['a']);
    const before = env.events.length;

    const r = await env.api['codes.merge']({ id: 'a.b', into: 'c' }, one);
    expect(env.events).toHaveLength(before + 1);
    expect(r.history.undo).toBe('merge “Beta” into “Gamma”');
    expect(await tree()).toEqual(['Alpha', 'Gamma']);
    expect((await byName('Gamma')).description).toBe('Money matters.\n\nWatching people.');
    const a = await passages(A);
    expect(a.find((x) => x.id === onlyB1.id)!.codeIds).toEqual(['c']);
    expect(a.find((x) => x.id === both.id)!.codeIds).toEqual(['c']);
    expect((await passages(B)).find((x) => x.id === onlyB2.id)!.codeIds).toEqual(['a', 'c']);
    expect((await passages(C)).find((x) => x.id === other.id)!.codeIds).toEqual(['a']);
    // The documents list's per-code counts follow.
    const summaries = await env.api['documents.list']({}, one);
    expect(summaries.find((d) => d.id === A.id)!.codeCounts).toEqual({ c: 2 });

    await undo();
    expect(await tree()).toEqual(['Alpha', '  Beta', 'Gamma']);
    expect((await byName('Gamma')).description).toBe('Money matters.');
    const back = await passages(A);
    expect(back.find((x) => x.id === onlyB1.id)!.codeIds).toEqual(['a.b']);
    expect(back.find((x) => x.id === both.id)!.codeIds.sort()).toEqual(['a.b', 'c']);
    expect((await passages(B)).find((x) => x.id === onlyB2.id)!.codeIds.sort()).toEqual(['a', 'a.b']);

    await redo();
    expect(await tree()).toEqual(['Alpha', 'Gamma']);
    expect((await passages(B)).find((x) => x.id === onlyB2.id)!.codeIds).toEqual(['a', 'c']);
  });

  it("moves the merged code's children under the code it was merged into", async () => {
    await env.api['codes.merge']({ id: 'a', into: 'c' }, one);
    expect(await tree()).toEqual(['Gamma', '  Beta']);
    await undo();
    expect(await tree()).toEqual(['Alpha', '  Beta', 'Gamma']);
  });

  it('refuses merging a code into itself or into a code below it', async () => {
    expect((await refusal(env.api['codes.merge']({ id: 'a', into: 'a' }, one))).message).toMatch(/into itself/);
    expect((await refusal(env.api['codes.merge']({ id: 'a', into: 'a.b' }, one))).message).toMatch(/inside “Alpha”/);
  });

  it('undo leaves alone a passage whose merged code another window took off since, and says so', async () => {
    const x = await code(A, 'surveillance', ['a.b']);
    const y = await code(B, 'smuggling', ['a.b']);
    await env.api['codes.merge']({ id: 'a.b', into: 'c' }, one);
    // Window two takes "Gamma" off one of the merged passages.
    await env.api['annotations.removeCodes']({ documentId: B.id, id: y.id, codeIds: ['c'] }, two);
    const r = await undo();
    expect(r!.notice).toMatch(/1 passage was left as it was/);
    expect((await passages(A)).find((p) => p.id === x.id)!.codeIds).toEqual(['a.b']);
    expect((await passages(B)).find((p) => p.id === y.id)!.codeIds).toEqual([]);
  });

  it('undo refuses when a code it would restore was changed elsewhere, and changes nothing', async () => {
    await env.api['codes.update']({ id: 'a.b', description: 'Watching people.' }, one);
    // The merge appends Beta's definition to Gamma's, so its undo would put Gamma back as it was.
    await env.api['codes.merge']({ id: 'a.b', into: 'c' }, one);
    await env.api['codes.update']({ id: 'c', name: 'Gamma prime' }, two);
    const revision = env.store.revision;
    const e = await refusal(undo());
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(/“Gamma” was changed elsewhere since \(renamed “Gamma prime”/);
    expect(env.store.revision).toBe(revision);
    expect(await tree()).toEqual(['Alpha', 'Gamma prime']);
  });
});

describe('deleting codes', () => {
  it('says what deleting touches, keeps passages with their other codes, and keeps uncoded ones', async () => {
    const x = await code(A, 'surveillance', ['a', 'c']);
    const y = await code(B, 'smuggling', ['a.b']);
    await code(C, 'bribes', ['c']);
    expect(await env.api['codes.usage']({ id: 'a', withDescendants: false }, one)).toEqual({ passages: 1, documents: 1, onlyThese: 0, descendants: 1 });
    expect(await env.api['codes.usage']({ id: 'a', withDescendants: true }, one)).toEqual({ passages: 2, documents: 2, onlyThese: 1, descendants: 1 });

    await env.api['codes.delete']({ id: 'a', children: 'delete' }, one);
    expect(await tree()).toEqual(['Gamma']);
    expect((await passages(A)).find((p) => p.id === x.id)!.codeIds).toEqual(['c']);
    // Left without any code, the passage stays: uncoded, never silently deleted.
    expect((await passages(B)).map((p) => [p.id, p.codeIds])).toEqual([[y.id, []]]);

    await undo();
    expect(await tree()).toEqual(['Alpha', '  Beta', 'Gamma']);
    expect((await passages(A)).find((p) => p.id === x.id)!.codeIds.sort()).toEqual(['a', 'c']);
    expect((await passages(B)).find((p) => p.id === y.id)!.codeIds).toEqual(['a.b']);
    // The restored codes keep their ids and colour slots.
    expect((await codes()).map((c) => [c.id, c.slot])).toEqual([
      ['a', 0],
      ['a.b', 1],
      ['c', 2],
    ]);
  });

  it('moves the children up to the deleted code’s parent when asked', async () => {
    await env.api['codes.create']({ name: 'Deep', parentId: 'a.b' }, one);
    await env.api['codes.delete']({ id: 'a.b', children: 'lift' }, one);
    expect(await tree()).toEqual(['Alpha', '  Deep', 'Gamma']);
    await undo();
    expect(await tree()).toEqual(['Alpha', '  Beta', '    Deep', 'Gamma']);
  });

  it('gives a restored code a new colour slot when its old one was taken since', async () => {
    await env.api['codes.delete']({ id: 'c', children: 'lift' }, one);
    const made = await env.api['codes.create']({ name: 'Delta', parentId: null }, two);
    expect((await codes()).find((c) => c.id === made.codeId)!.slot).toBe(2);
    await undo();
    const slots = (await codes()).map((c) => c.slot);
    expect(new Set(slots).size).toBe(slots.length);
    expect((await codes()).find((c) => c.id === 'c')!.slot).toBe(3);
  });

  it('redo of a delete refuses when the code was used on a passage since, and changes nothing', async () => {
    await env.api['codes.delete']({ id: 'c', children: 'lift' }, one);
    await undo();
    await code(A, 'surveillance', ['c'], two);
    const e = await refusal(redo());
    expect(e.message).toMatch(/used on 1 more passage since/);
    expect(await tree()).toContain('Gamma');
    expect((await passages(A))[0]!.codeIds).toEqual(['c']);
  });

  it('refuses unknown codes with not_found', async () => {
    expect((await refusal(env.api['codes.delete']({ id: 'nope', children: 'lift' }, one))).code).toBe('not_found');
    expect((await refusal(env.api['codes.usage']({ id: 'nope', withDescendants: false }, one))).code).toBe('not_found');
  });
});

describe('codebook edits in two windows', () => {
  it("each window's undo takes back its own codebook edit only", async () => {
    await env.api['codes.create']({ name: 'From one', parentId: null }, one);
    await env.api['codes.create']({ name: 'From two', parentId: null }, two);
    await undo(one);
    expect(await tree()).toEqual(['Alpha', '  Beta', 'Gamma', 'From two']);
  });

  it('keeps codes another window added when undoing a move (untouched codes keep their places)', async () => {
    await env.api['codes.move']({ id: 'c', parentId: null, before: 'a' }, one);
    await env.api['codes.create']({ name: 'Zeta', parentId: null, before: 'a' }, two);
    expect(await tree()).toEqual(['Gamma', 'Zeta', 'Alpha', '  Beta']);
    await undo(one);
    expect(await tree()).toEqual(['Zeta', 'Alpha', '  Beta', 'Gamma']);
  });
});
