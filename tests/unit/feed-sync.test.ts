import { describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../../shared/api';
import type { ChangeEvent, ChangesSince } from '../../shared/changes';
import type { DocumentSummary, PlacedAnnotation } from '../../shared/model';
import { FeedSync } from '../../renderer/feed';
import { initialState, type AppState } from '../../renderer/state';
import { createStore } from '../../renderer/store';

// The window's side of the change feed: events applied once each, in revision order, gaps
// filled from main, and a reload when main no longer has what was missed.

const summary = (id: string, annotationCount: number): DocumentSummary => ({ id, meta: { title: id, publication: '', author: '', date: '', url: '' }, textHash: 'h', annotationCount, codeCounts: {} });
const passage = (id: string, start: number): PlacedAnnotation => ({
  id,
  documentId: 'doc',
  textHash: 'h',
  position: { type: 'TextPositionSelector', start, end: start + 3 },
  quote: { type: 'TextQuoteSelector', exact: 'abc', prefix: '', suffix: '' },
  codeIds: ['a'],
  memo: '',
  coderId: 'c',
  created: '2026-01-01T00:00:00.000Z',
  modified: '2026-01-01T00:00:00.000Z',
  rev: start,
  anchor: { status: 'exact', start, end: start + 3 },
});
const event = (revision: number, ...changes: ChangeEvent['changes']): ChangeEvent => ({ revision, origin: 'other', label: 'code passage', changes });
const added = (revision: number, id: string, count: number) => event(revision, { type: 'annotation', annotation: passage(id, revision * 10) }, { type: 'document', summary: summary('doc', count) });

function setup(since: (revision: number) => ChangesSince = (r) => ({ revision: r, events: [] })) {
  const store = createStore<AppState>({ ...initialState, openDocumentId: 'doc', documents: [summary('doc', 0)] });
  const calls: number[] = [];
  const api = { 'changes.since': async ({ revision }: { revision: number }) => (calls.push(revision), since(revision)) } as unknown as ApiClient;
  const reload = vi.fn(async () => undefined);
  const sync = new FeedSync(api, store, reload);
  return { store, sync, calls, reload };
}

describe('applying change events', () => {
  it('applies each event once, in revision order, whatever order they arrive in', () => {
    const { store, sync } = setup();
    sync.accept(added(2, 'p2', 2));
    expect(store.get().annotations).toEqual([]);
    sync.accept(added(1, 'p1', 1));
    expect(store.get().revision).toBe(2);
    expect(store.get().annotations.map((a) => a.id)).toEqual(['p1', 'p2']);
    expect(store.get().documents[0]!.annotationCount).toBe(2);
    // A repeat (the feed and the command's own answer both bring it) changes nothing.
    sync.accept(added(2, 'p2', 2));
    expect(store.get().annotations).toHaveLength(2);
  });

  it('drops what is not an event of ours', () => {
    const { store, sync } = setup();
    sync.receive({ revision: 1, label: 'x', changes: [{ type: 'rm -rf' }] });
    sync.receive('nonsense');
    sync.receive({ revision: 'one', changes: [] });
    expect(store.get().revision).toBe(0);
  });

  it('takes every kind of change from the feed: documents added and deleted, a project renamed', () => {
    const { store, sync } = setup();
    store.set((s) => ({ ...s, project: { name: 'Old', location: '/p', coder: null, suggestedCoderName: '', schemaVersion: 3, revision: 0, notices: [] } }));
    sync.receive(event(1, { type: 'document', summary: summary('new', 0), index: 0 }));
    sync.receive(event(2, { type: 'document-removed', documentId: 'doc' }));
    sync.receive(event(3, { type: 'project', name: 'Thesis' }));
    expect(store.get().revision).toBe(3);
    expect(store.get().documents.map((d) => d.id)).toEqual(['new']);
    expect(store.get().openDocumentId).toBeNull();
    expect(store.get().project?.name).toBe('Thesis');
  });

  it('asks main for a gap that does not fill by itself', async () => {
    vi.useFakeTimers();
    try {
      const { store, sync, calls } = setup((r) => ({ revision: 3, events: [added(2, 'p2', 2), added(3, 'p3', 3)].filter((e) => e.revision > r) }));
      sync.accept(added(1, 'p1', 1));
      sync.accept(added(3, 'p3', 3));
      expect(store.get().revision).toBe(1);
      await vi.advanceTimersByTimeAsync(300);
      expect(calls).toEqual([1]);
      expect(store.get().revision).toBe(3);
      expect(store.get().annotations.map((a) => a.id)).toEqual(['p1', 'p2', 'p3']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reloads the state when main no longer keeps the events missed', async () => {
    const { sync, reload } = setup((r) => ({ revision: r + 50, reset: true }));
    await sync.catchUp();
    expect(reload).toHaveBeenCalledOnce();
  });

  it('brings a document’s passages read at an older revision up to date with what the feed applied since', () => {
    const { store, sync } = setup();
    sync.accept(added(1, 'p1', 1));
    sync.accept(event(2, { type: 'annotation-removed', documentId: 'doc', id: 'p1' }, { type: 'document', summary: summary('doc', 0) }));
    // The list arrives read at revision 1: it still holds p1.
    store.set((s) => ({ ...s, annotations: [passage('p1', 10)] }));
    sync.replayOnto('doc', 1);
    expect(store.get().annotations).toEqual([]);
    expect(store.get().revision).toBe(2);
  });
});
