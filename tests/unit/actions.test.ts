import { rm } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClient, dispatch, type ApiMethod } from '../../shared/api';
import { plainText } from '../../shared/plain-text';
import { createHandlers } from '../../main/core/services';
import { ProjectStore } from '../../main/core/store';
import { createActions } from '../../renderer/actions';
import { initialState, type AppState } from '../../renderer/state';
import { createStore, type Store } from '../../renderer/store';
import { docFile, p, seedOf, tempDir } from '../support/project';

// The UI's actions against the real core, over a transport whose answers can be held back:
// what happens when the user acts faster than the disk or the network answers.

const A = docFile('doc-a', 'Alpha article', p('The first article talks about surveillance of families.'));
const B = docFile('doc-b', 'Beta article', p('The second article is about smuggling across the border.'));
const C = docFile('doc-c', 'Gamma article', p('A third, short article.'));

/**
 * A transport to the real handlers whose answers can be held back. The call itself reaches the
 * store at once (as a request reaches main); only its answer waits, as for a slow disk or network.
 */
function gatedClient(handlers: ReturnType<typeof createHandlers>) {
  const gates = new Map<ApiMethod, { open: Promise<void>; applies: (input: unknown) => boolean }>();
  const client = createClient(async (method, input) => {
    const answer = dispatch(handlers, method, input);
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

let dir: string;
let store: ProjectStore;
let ui: Store<AppState>;
let handlers: ReturnType<typeof createHandlers>;
let gated: ReturnType<typeof gatedClient>;
let actions: ReturnType<typeof createActions>;

const textOf = (d: typeof A): string => plainText(d.meta.title, d.blocks);
const rangeOf = (d: typeof A, phrase: string) => {
  const start = textOf(d).indexOf(phrase);
  return { start, end: start + phrase.length };
};
const serverCount = async (documentId: string): Promise<number> => (await handlers['annotations.list']({ documentId })).length;
const shownCount = (documentId: string): number => ui.get().documents.find((d) => d.id === documentId)!.annotationCount;

beforeEach(async () => {
  dir = await tempDir('gloss-actions-');
  store = await ProjectStore.open(dir, { seed: seedOf(A, B, C) });
  handlers = createHandlers({ store, coder: { id: 'coder-t', name: 'Tess' } });
  gated = gatedClient(handlers);
  ui = createStore<AppState>(initialState);
  actions = createActions(gated.client, ui);
  await actions.load();
  expect(ui.get().openDocumentId).toBe('doc-a');
});

afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('UI actions when answers are slow', () => {
  it('codes a selection in the document it was made in, even when another opens before the code is applied', async () => {
    // An earlier save is still being written, so the coding waits its turn in the queue.
    const passage = rangeOf(A, 'surveillance of families');
    await actions.codeRange(passage, 'a');
    const first = ui.get().annotations[0]!;
    const release = gated.hold('annotations.update');
    const saving = actions.saveMemo(first.id, 'slow memo');
    const coding = actions.codeRange(rangeOf(A, 'first article'), 'c');
    await actions.openDocument('doc-b');
    expect(ui.get().openDocumentId).toBe('doc-b');
    release();
    await Promise.all([saving, coding]);
    const inA = await handlers['annotations.list']({ documentId: 'doc-a' });
    expect(inA.map((a) => [a.quote.exact, a.codeIds])).toEqual([
      ['first article', ['c']],
      ['surveillance of families', ['a']],
    ]);
    expect(await serverCount('doc-b')).toBe(0);
    expect(ui.get().annotations).toEqual([]);
    expect(shownCount('doc-a')).toBe(2);
  });

  it('keeps the documents list counts equal to the store through changes and undo in a closed document', async () => {
    await actions.codeRange(rangeOf(A, 'surveillance'), 'a');
    const id = ui.get().annotations[0]!.id;
    await actions.addCode(id, 'c');
    await actions.openDocument('doc-b');
    await actions.undo(); // removes code c again, in doc-a, while doc-b is open
    expect(ui.get().openDocumentId).toBe('doc-a'); // undo shows where it acted
    await actions.openDocument('doc-b');
    await actions.undo(); // undoes the coding: deletes the passage
    await actions.redo();
    await actions.redo();
    for (const d of ['doc-a', 'doc-b', 'doc-c']) expect(shownCount(d)).toBe(await serverCount(d));
    expect(shownCount('doc-a')).toBe(1);
    expect((await handlers['annotations.list']({ documentId: 'doc-a' }))[0]!.codeIds).toEqual(['a', 'c']);
  });

  it('shows the document clicked last, not the one whose answer came last', async () => {
    const release = gated.hold('documents.get', (input) => (input as { documentId: string }).documentId === 'doc-b');
    const slow = actions.openDocument('doc-b');
    await actions.openDocument('doc-c');
    release();
    await slow;
    expect(ui.get().openDocumentId).toBe('doc-c');
    expect(ui.get().document?.id).toBe('doc-c');
  });

  it('saves a memo ended after its document was closed (behind a slow save)', async () => {
    await actions.codeRange(rangeOf(A, 'surveillance'), 'a');
    const id = ui.get().annotations[0]!.id;
    const release = gated.hold('annotations.update');
    const first = actions.saveMemo(id, 'first words');
    const ended = actions.commitMemo(id, '', 'first words, and the rest');
    await actions.openDocument('doc-b');
    release();
    expect(await first).toBe(true);
    expect(await ended).toBe(true);
    expect((await handlers['annotations.list']({ documentId: 'doc-a' }))[0]!.memo).toBe('first words, and the rest');
    expect(ui.get().history.undoLabel).toBe('edit memo');
  });

  it('sends a memo at once when the page goes away, while an earlier save is still in flight', async () => {
    await actions.codeRange(rangeOf(A, 'surveillance'), 'a');
    const id = ui.get().annotations[0]!.id;
    const release = gated.hold('annotations.update', (input) => (input as { memo?: string }).memo === 'typed so far');
    void actions.saveMemo(id, 'typed so far');
    await new Promise((resolve) => setTimeout(resolve, 10));
    actions.sendMemoNow(id, 'typed so far, and the last words');
    // Without waiting for the queue (the page is gone by then), the final text is on disk.
    await expect.poll(async () => (await handlers['annotations.list']({ documentId: 'doc-a' }))[0]!.memo).toBe('typed so far, and the last words');
    release();
  });
});

describe('UI actions: undo behind the export dialog', () => {
  it('changes nothing while the modal export dialog is open, and undoes once it is closed', async () => {
    await actions.codeRange(rangeOf(A, 'surveillance'), 'a');
    actions.setExportDialog(true);
    await actions.undo();
    expect(await serverCount('doc-a')).toBe(1);
    actions.setExportDialog(false);
    await actions.undo();
    expect(await serverCount('doc-a')).toBe(0);
  });
});
