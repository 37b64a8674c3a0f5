import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, dispatch, type ApiHandlers, type ApiMethod, type CallContext } from '../../shared/api';
import { plainText } from '../../shared/plain-text';
import { ProjectStore } from '../../main/core/store';
import { createActions, type MemoDraft, type Subscribe } from '../../renderer/actions';
import { initialState, isPending, type AppState } from '../../renderer/state';
import { createStore, type Store } from '../../renderer/store';
import { docFile, p, seedOf, servicesFor, tempDir } from '../support/project';

// The UI's actions against the real core, over a transport whose answers can be held back:
// what happens when the user acts faster than the disk or the network answers.

const A = docFile('doc-a', 'Alpha article', p('The first article talks about surveillance of families.'));
const B = docFile('doc-b', 'Beta article', p('The second article is about smuggling across the border.'));
const C = docFile('doc-c', 'Gamma article', p('A third, short article.'));

/** This window, as main knows it. */
const THIS_WINDOW: CallContext = { client: 'window-1' };
/** Another window on the same project. */
const OTHER_WINDOW: CallContext = { client: 'window-2' };

/**
 * A transport to the real handlers whose answers can be held back. The call itself reaches the
 * store at once (as a request reaches main); only its answer waits, as for a slow disk or network.
 */
function gatedClient(handlers: ApiHandlers) {
  const gates = new Map<ApiMethod, { open: Promise<void>; applies: (input: unknown) => boolean }>();
  const client = createClient(async (method, input) => {
    const answer = dispatch(handlers, method, input, THIS_WINDOW);
    const gate = gates.get(method);
    if (gate?.applies(input)) await gate.open;
    return answer;
  });
  /** Holds back answers to `method` (those whose input `applies`) until the returned function is called. */
  const hold = (method: ApiMethod, applies: (input: unknown) => boolean = () => true): (() => void) => {
    let release!: () => void;
    gates.set(method, { open: new Promise<void>((resolve) => (release = resolve)), applies });
    return () => {
      gates.delete(method);
      release();
    };
  };
  return { client, hold };
}

let dir: string | null = null;
let store: ProjectStore;
let ui: Store<AppState>;
let handlers: ApiHandlers;
let gated: ReturnType<typeof gatedClient>;
let actions: ReturnType<typeof createActions>;

const textOf = (d: typeof A): string => plainText(d.blocks);
const rangeOf = (d: typeof A, phrase: string) => {
  const start = textOf(d).indexOf(phrase);
  return { start, end: start + phrase.length };
};
const serverList = async (documentId: string) => (await handlers['annotations.list']({ documentId }, THIS_WINDOW)).annotations;
const serverCount = async (documentId: string): Promise<number> => (await serverList(documentId)).length;
const shownCount = (documentId: string): number => ui.get().documents.find((d) => d.id === documentId)!.annotationCount;
const memoDraft = (text: string, base = ''): MemoDraft => ({ text, base });

/**
 * Opens a fresh project and starts the UI on it. With `feed`, the window also hears every
 * committed change at once, as the desktop app's windows do; without, it learns of changes
 * only from its commands' answers.
 */
async function setup(feed: boolean): Promise<void> {
  dir = await tempDir('gloss-actions-');
  store = await ProjectStore.open(dir, { seed: seedOf(A, B, C) });
  const services = await servicesFor(store, dir, { coder: 'Tess' });
  handlers = services.handlers;
  gated = gatedClient(handlers);
  ui = createStore<AppState>(initialState);
  const subscribe: Subscribe | null = feed ? (_since, onEvent) => services.feed.subscribe((event) => onEvent(JSON.parse(JSON.stringify(event)))) : null;
  actions = createActions(gated.client, ui, subscribe);
  await actions.start();
  expect(ui.get().openDocumentId).toBe('doc-a');
  expect(ui.get().project?.coder?.name).toBe('Tess');
}

afterEach(async () => {
  if (!dir) return;
  actions.stop();
  await store.close();
  await rm(dir, { recursive: true, force: true });
  await rm(`${dir}-profile.json`, { force: true });
  dir = null;
});

describe.each([
  ['from their answers', false],
  ['from their answers and the change feed', true],
])('UI actions when answers are slow, learning of changes %s', (_how, feed) => {
  it('codes a selection in the document it was made in, even when another opens before the code is applied', async () => {
    await setup(feed);
    // An earlier save is still being written, so the coding waits its turn in the queue.
    const passage = rangeOf(A, 'surveillance of families');
    await actions.codeRange(passage, 'a');
    const first = ui.get().annotations[0]!;
    const release = gated.hold('annotations.setMemo');
    const saving = actions.saveMemo('doc-a', first.id, randomUUID(), memoDraft('slow memo'));
    const coding = actions.codeRange(rangeOf(A, 'first article'), 'c');
    await actions.openDocument('doc-b');
    expect(ui.get().openDocumentId).toBe('doc-b');
    release();
    expect(await saving).toBe(true);
    await coding;
    const inA = await serverList('doc-a');
    expect(inA.map((a) => [a.quote.exact, a.codeIds, a.memo])).toEqual([
      ['first article', ['c'], ''],
      ['surveillance of families', ['a'], 'slow memo'],
    ]);
    expect(await serverCount('doc-b')).toBe(0);
    expect(ui.get().annotations).toEqual([]);
    expect(shownCount('doc-a')).toBe(2);
    expect(ui.get().revision).toBe(store.revision);
    expect(ui.get().notice).toBeNull();
  });

  it('keeps the documents list counts equal to the store through changes and undo in a closed document', async () => {
    await setup(feed);
    await actions.codeRange(rangeOf(A, 'surveillance'), 'a');
    expect(shownCount('doc-a')).toBe(1);
    const id = ui.get().annotations[0]!.id;
    await actions.addCode(id, 'c');
    // Counts change when passages come and go, not when their codes do.
    expect(shownCount('doc-a')).toBe(1);
    expect(ui.get().annotations[0]!.codeIds).toEqual(['a', 'c']);
    await actions.openDocument('doc-b');
    await actions.undo(); // removes code c again, in doc-a, while doc-b is open
    expect(ui.get().openDocumentId).toBe('doc-a'); // undo shows where it acted
    expect(ui.get().annotations[0]!.codeIds).toEqual(['a']);
    expect(ui.get().selectedId).toBe(id);
    await actions.openDocument('doc-b');
    await actions.undo(); // undoes the coding: deletes the passage
    expect(shownCount('doc-a')).toBe(0);
    expect(ui.get().history).toEqual({ undo: null, redo: 'code passage' });
    await actions.redo();
    expect(shownCount('doc-a')).toBe(1);
    await actions.redo();
    for (const d of ['doc-a', 'doc-b', 'doc-c']) expect(shownCount(d)).toBe(await serverCount(d));
    expect(shownCount('doc-a')).toBe(1);
    expect((await serverList('doc-a'))[0]!.codeIds).toEqual(['a', 'c']);
    expect(ui.get().annotations.map((a) => a.codeIds)).toEqual([['a', 'c']]);
    expect(ui.get().history).toEqual({ undo: 'add code', redo: null });
  });

  it('shows the document clicked last, not the one whose answer came last', async () => {
    await setup(feed);
    const release = gated.hold('documents.get', (input) => (input as { documentId: string }).documentId === 'doc-b');
    const slow = actions.openDocument('doc-b');
    await actions.openDocument('doc-c');
    release();
    await slow;
    expect(ui.get().openDocumentId).toBe('doc-c');
    expect(ui.get().document?.id).toBe('doc-c');
  });

  it('saves a memo ended after its document was closed (behind a slow save), as one undo step', async () => {
    await setup(feed);
    await actions.codeRange(rangeOf(A, 'surveillance'), 'a');
    const id = ui.get().annotations[0]!.id;
    const release = gated.hold('annotations.setMemo');
    const session = randomUUID();
    const draft = memoDraft('first words');
    const first = actions.saveMemo('doc-a', id, session, draft);
    // The first save has reached main; its answer is slow.
    await expect.poll(async () => (await serverList('doc-a'))[0]!.memo).toBe('first words');
    // The user types on, then leaves the field (ending the session) and opens another document.
    draft.text = 'first words, and the rest';
    const ended = actions.saveMemo('doc-a', id, session, draft);
    await actions.openDocument('doc-b');
    release();
    expect(await first).toBe(true);
    expect(await ended).toBe(true);
    expect(draft.base).toBe('first words, and the rest');
    expect((await serverList('doc-a'))[0]!.memo).toBe('first words, and the rest');
    expect(ui.get().history.undo).toBe('edit memo');
    // Both saves of the session are one step: one undo takes back the whole edit.
    await actions.undo();
    expect((await serverList('doc-a'))[0]!.memo).toBe('');
    expect(ui.get().history).toEqual({ undo: 'code passage', redo: 'edit memo' });
  });

  it('asks the user, rather than saving over it, when another window changed the memo since', async () => {
    await setup(feed);
    await actions.codeRange(rangeOf(A, 'surveillance'), 'a');
    const id = ui.get().annotations[0]!.id;
    await handlers['annotations.setMemo']({ documentId: 'doc-a', id, memo: 'their words', base: '' }, OTHER_WINDOW);
    const draft = memoDraft('my words');
    expect(await actions.saveMemo('doc-a', id, randomUUID(), draft)).toBe(false);
    expect(draft.conflict).toBe(true);
    expect(ui.get().memoConflict).toEqual({ annotationId: id, documentId: 'doc-a', mine: 'my words', theirs: 'their words' });
    expect((await serverList('doc-a'))[0]!.memo).toBe('their words');
    // Keeping their text writes nothing.
    await actions.resolveMemoConflict('theirs');
    expect(ui.get().memoConflict).toBeNull();
    expect((await serverList('doc-a'))[0]!.memo).toBe('their words');

    // Keeping mine saves it over theirs, which the user was shown.
    expect(await actions.saveMemo('doc-a', id, randomUUID(), memoDraft('my words again'))).toBe(false);
    await actions.resolveMemoConflict('mine');
    expect((await serverList('doc-a'))[0]!.memo).toBe('my words again');
    // Without the feed, the other window's change is a gap in this window's revisions, filled by asking main.
    await expect.poll(() => ui.get().annotations[0]!.memo).toBe('my words again');
    expect(ui.get().revision).toBe(store.revision);
  });
});

describe.each([
  ['from its answer', false],
  ['from its answer and the change feed', true],
])('UI actions: a passage shown while main saves it, learning of it %s', (_how, feed) => {
  const phrase = 'surveillance of families';
  it('shows the passage at once, marked as being saved, then main\'s passage in its place', async () => {
    await setup(feed);
    const release = gated.hold('annotations.create');
    const coding = actions.codeRange(rangeOf(A, phrase), 'a', phrase);
    // Before main has answered: one passage, provisional, over the range, with the code.
    const shown = ui.get().annotations;
    expect(shown).toHaveLength(1);
    expect(isPending(shown[0]!.id)).toBe(true);
    expect([shown[0]!.anchor.start, shown[0]!.anchor.end, shown[0]!.quote.exact, shown[0]!.codeIds]).toEqual([rangeOf(A, phrase).start, rangeOf(A, phrase).end, phrase, ['a']]);
    expect(ui.get().passagesDelta?.changes.get(shown[0]!.id)).toBe(shown[0]);
    // It cannot be opened yet: it has no details in main.
    actions.select(shown[0]!.id);
    expect(ui.get().selectedId).toBeNull();
    release();
    await coding;
    const [saved] = await serverList('doc-a');
    expect(ui.get().annotations.map((a) => a.id)).toEqual([saved!.id]);
    expect(ui.get().pending).toEqual([]);
    expect(ui.get().selectedId).toBe(saved!.id);
  });

  it('takes the passage away again, and says why, when main refuses it', async () => {
    await setup(feed);
    // A code that is not in the codebook: main refuses the passage.
    await actions.codeRange(rangeOf(A, phrase), 'no-such-code', phrase);
    expect(ui.get().annotations).toEqual([]);
    expect(ui.get().pending).toEqual([]);
    expect(ui.get().notice?.kind).toBe('error');
    expect(await serverCount('doc-a')).toBe(0);
  });

  it('adds the code to the passage already over the range, showing no second one', async () => {
    await setup(feed);
    await actions.codeRange(rangeOf(A, phrase), 'a', phrase);
    const release = gated.hold('annotations.addCodes');
    const adding = actions.codeRange(rangeOf(A, phrase), 'c', phrase);
    release();
    await adding;
    const list = await serverList('doc-a');
    expect(list).toHaveLength(1);
    expect(list[0]!.codeIds).toEqual(['a', 'c']);
    expect(ui.get().annotations.map((a) => [a.id, a.codeIds])).toEqual([[list[0]!.id, ['a', 'c']]]);
    expect(ui.get().pending).toEqual([]);
  });
});

describe('UI actions: the page going away', () => {
  it('sends a memo at once when the page goes away, while an earlier save is still in flight', async () => {
    await setup(true);
    await actions.codeRange(rangeOf(A, 'surveillance'), 'a');
    const id = ui.get().annotations[0]!.id;
    const release = gated.hold('annotations.setMemo', (input) => (input as { memo?: string }).memo === 'typed so far');
    const session = randomUUID();
    const draft = memoDraft('typed so far');
    void actions.saveMemo('doc-a', id, session, draft);
    await new Promise((resolve) => setTimeout(resolve, 10));
    draft.text = 'typed so far, and the last words';
    actions.sendMemoNow('doc-a', id, session, draft);
    try {
      // Without waiting for the queue (the page is gone by then), the final text is on disk.
      await expect.poll(async () => (await serverList('doc-a'))[0]!.memo).toBe('typed so far, and the last words');
    } finally {
      release();
    }
  });
});

describe('UI actions: undo behind modal dialogs', () => {
  it('changes nothing while the modal export dialog is open, and undoes once it is closed', async () => {
    await setup(false);
    await actions.codeRange(rangeOf(A, 'surveillance'), 'a');
    actions.setExportDialog(true);
    await actions.undo();
    expect(await serverCount('doc-a')).toBe(1);
    actions.setExportDialog(false);
    await actions.undo();
    expect(await serverCount('doc-a')).toBe(0);
  });

  it('changes nothing while the coder profile dialog is open', async () => {
    await setup(false);
    await actions.codeRange(rangeOf(A, 'surveillance'), 'a');
    actions.setProfileDialog(true);
    await actions.undo();
    expect(await serverCount('doc-a')).toBe(1);
    actions.setProfileDialog(false);
    expect(ui.get().profileDialog).toBeNull();
    await actions.undo();
    expect(await serverCount('doc-a')).toBe(0);
  });
});

describe('UI actions: changes made in other windows', () => {
  it('follows another window’s changes through the feed: its passages, their counts, and this window’s own undo', async () => {
    await setup(true);
    await actions.codeRange(rangeOf(A, 'surveillance'), 'a');
    const mine = ui.get().annotations[0]!.id;
    // The other window codes a passage in the open document and one in a closed one.
    const [s, e] = [textOf(A).indexOf('first'), textOf(A).indexOf('first') + 5];
    const theirs = (await handlers['annotations.create']({ documentId: 'doc-a', start: s, end: e, codeIds: ['c'] }, OTHER_WINDOW)).annotation!;
    await handlers['annotations.create']({ documentId: 'doc-c', ...rangeOf(C, 'short'), codeIds: ['a'] }, OTHER_WINDOW);
    await expect.poll(() => shownCount('doc-c')).toBe(1);
    expect(shownCount('doc-a')).toBe(2);
    expect(ui.get().annotations.map((a) => a.id)).toEqual([theirs.id, mine]);
    // This window's undo takes back its own coding, not the other window's.
    await actions.undo();
    expect(await serverList('doc-a')).toMatchObject([{ id: theirs.id }]);
    expect(ui.get().annotations.map((a) => a.id)).toEqual([theirs.id]);
    expect(shownCount('doc-a')).toBe(1);
    expect(ui.get().revision).toBe(store.revision);
  });

  it('fails an undo that would overwrite another window’s change, says why, and drops the step', async () => {
    await setup(true);
    await actions.codeRange(rangeOf(A, 'surveillance'), 'a');
    const id = ui.get().annotations[0]!.id;
    await handlers['annotations.addCodes']({ documentId: 'doc-a', id, codeIds: ['c'] }, OTHER_WINDOW);
    // Undoing the coding would delete a passage the other window has changed since.
    await actions.undo();
    expect(await serverCount('doc-a')).toBe(1);
    expect(ui.get().notice).toMatchObject({ kind: 'error', text: expect.stringMatching(/changed elsewhere since \(code “Gamma” added\)/) });
    expect(ui.get().history).toEqual({ undo: null, redo: null });
  });
});
