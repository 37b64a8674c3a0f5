import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, dispatch, type ApiHandlers, type CallContext } from '../../shared/api';
import { ProjectStore } from '../../main/core/store';
import { createActions } from '../../renderer/actions';
import { initialState, type AppState } from '../../renderer/state';
import { createStore, type Store } from '../../renderer/store';
import { docFile, p, seedOf, servicesFor, tempDir } from '../support/project';

// The window's side of placing a passage on selected words (`annotations.setRange`): what the
// lists show after it, its undo and redo, and a refusal when another window moved it meanwhile.

const OLD = 'Defectors say the state punishes the families. Remittances changed village life.';
const NEW = 'Defectors say the state punishes the families. Money sent home from abroad altered life in the villages.';
const THIS_WINDOW: CallContext = { client: 'window-1' };
const OTHER_WINDOW: CallContext = { client: 'window-2' };
const b64 = (s: string): string => Buffer.from(s).toString('base64');
const rangeIn = (text: string, words: string) => ({ start: text.indexOf(words), end: text.indexOf(words) + words.length });

let dir: string | null = null;
let store: ProjectStore;
let handlers: ApiHandlers;
let ui: Store<AppState>;
let actions: ReturnType<typeof createActions>;

async function setup(): Promise<void> {
  dir = await tempDir('gloss-place-');
  store = await ProjectStore.open(dir, { seed: seedOf(docFile('doc', 'Doc', p(OLD))) });
  const services = await servicesFor(store, dir, { coder: 'Tess' });
  handlers = services.handlers;
  ui = createStore<AppState>(initialState);
  actions = createActions(
    createClient((method, input) => dispatch(handlers, method, input, THIS_WINDOW)),
    ui,
    (_since, onEvent) => services.feed.subscribe((event) => onEvent(JSON.parse(JSON.stringify(event)))),
  );
  await actions.start();
}

/** Codes `words` of the old text, then replaces the text so that the passage is left unplaced. */
async function orphaned(words: string): Promise<string> {
  await actions.codeRange(rangeIn(OLD, words), 'a');
  const id = ui.get().annotations[0]!.id;
  await handlers['annotations.setMemo']({ documentId: 'doc', id, memo: 'about money', base: '' }, THIS_WINDOW);
  const preview = await handlers['documents.previewReplace']({ documentId: 'doc', requestId: randomUUID(), fileName: 'v2.txt', content: b64(NEW) }, THIS_WINDOW);
  expect(await actions.replaceText(preview.token, [])).toBeNull();
  await actions.reloadText();
  expect(ui.get().orphans.map((a) => a.id)).toEqual([id]);
  return id;
}

afterEach(async () => {
  if (!dir) return;
  actions.stop();
  await store.close();
  await rm(dir, { recursive: true, force: true });
  await rm(`${dir}-profile.json`, { force: true });
  dir = null;
});

describe('placing a passage on selected words, in the window', () => {
  it('moves an orphan into the list, selected and shown, with its codes and memo; undo unplaces it, redo places it again', async () => {
    await setup();
    const id = await orphaned('Remittances changed village life.');
    const words = 'Money sent home from abroad';
    const placed = await actions.placePassage(id, rangeIn(NEW, words));
    expect(placed).toMatchObject({ id, quote: { exact: words }, codeIds: ['a'], memo: 'about money' });
    const s = ui.get();
    expect(s.orphans).toEqual([]);
    expect(s.annotations.map((a) => [a.id, a.anchor])).toEqual([[id, { status: 'exact', ...rangeIn(NEW, words) }]]);
    expect(s.selectedId).toBe(id);
    expect(s.reveal?.id).toBe(id);
    expect(s.history.undo).toBe('place passage');
    expect(s.notice).toBeNull();

    await actions.undo();
    expect(ui.get().annotations).toEqual([]);
    expect(ui.get().orphans.map((a) => [a.id, a.quote.exact])).toEqual([[id, 'Remittances changed village life.']]);
    expect(ui.get().selectedId).toBe(id);
    await actions.redo();
    expect(ui.get().orphans).toEqual([]);
    expect(ui.get().annotations.map((a) => a.quote.exact)).toEqual([words]);
  });

  it('moves the edges of a placed passage', async () => {
    await setup();
    await actions.codeRange(rangeIn(OLD, 'the state punishes'), 'a');
    const id = ui.get().annotations[0]!.id;
    await actions.placePassage(id, rangeIn(OLD, 'the state punishes the families'));
    expect(ui.get().annotations.map((a) => [a.id, a.quote.exact])).toEqual([[id, 'the state punishes the families']]);
  });

  it('says why, and changes nothing, when undoing a placing another window has moved since', async () => {
    await setup();
    const id = await orphaned('Remittances changed village life.');
    await actions.placePassage(id, rangeIn(NEW, 'Money sent home'));
    await handlers['annotations.setRange']({ documentId: 'doc', id, ...rangeIn(NEW, 'altered life in the villages') }, OTHER_WINDOW);
    await actions.undo();
    expect(ui.get().notice).toMatchObject({ kind: 'error', text: expect.stringMatching(/moved or placed elsewhere since/) });
    expect(ui.get().annotations.map((a) => a.quote.exact)).toEqual(['altered life in the villages']);
  });

  it('places nothing over a text replaced since it was shown', async () => {
    await setup();
    await actions.codeRange(rangeIn(OLD, 'the state punishes'), 'a');
    const id = ui.get().annotations[0]!.id;
    const preview = await handlers['documents.previewReplace']({ documentId: 'doc', requestId: randomUUID(), fileName: 'v2.txt', content: b64(NEW) }, OTHER_WINDOW);
    await handlers['documents.replaceText']({ token: preview.token }, OTHER_WINDOW);
    expect(ui.get().textChanged).toBe(true);
    expect(await actions.placePassage(id, rangeIn(OLD, 'Remittances'))).toBeNull();
    expect((await handlers['annotations.list']({ documentId: 'doc' }, THIS_WINDOW)).annotations.map((a) => a.quote.exact)).toEqual(['the state punishes']);
  });
});
