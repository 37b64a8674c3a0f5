import { describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../../shared/changes';
import type { DocumentContent, DocumentSummary } from '../../shared/model';
import { applyEvent } from '../../renderer/changes';
import { initialState, type AppState } from '../../renderer/state';

// The one reducer, on the document changes: added and moved where main says, removed (closing it
// when open), properties shown, and a replaced text flagged for the app to reload.

const meta = (title: string) => ({ title, author: '', publication: '', date: '', url: '' });
const summary = (id: string, textHash = `h-${id}`, title = id): DocumentSummary => ({ id, meta: meta(title), textHash, annotationCount: 0, codeCounts: {} });
const event = (changes: ChangeEvent['changes'], revision = 2): ChangeEvent => ({ revision, origin: null, label: 'x', changes });
const open: DocumentContent = { id: 'b', meta: meta('b'), blocks: [{ type: 'paragraph', text: 'text' }], textHash: 'h-b' };
const state = (): AppState => ({ ...initialState, revision: 1, documents: ['a', 'b', 'c'].map((id) => summary(id)), openDocumentId: 'b', document: open });

describe('document changes in the reducer', () => {
  it('adds a document where main says, and moves one there', () => {
    expect(applyEvent(state(), event([{ type: 'document', summary: summary('n'), index: 1 }])).documents.map((d) => d.id)).toEqual(['a', 'n', 'b', 'c']);
    expect(applyEvent(state(), event([{ type: 'document', summary: summary('c'), index: 0 }])).documents.map((d) => d.id)).toEqual(['c', 'a', 'b']);
    expect(applyEvent(state(), event([{ type: 'document', summary: summary('z') }])).documents.map((d) => d.id)).toEqual(['a', 'b', 'c', 'z']);
  });

  it('removes a document, and closes it when it is open', () => {
    const s = applyEvent(state(), event([{ type: 'document-removed', documentId: 'b' }]));
    expect(s.documents.map((d) => d.id)).toEqual(['a', 'c']);
    expect([s.openDocumentId, s.document]).toEqual([null, null]);
    expect(applyEvent(state(), event([{ type: 'document-removed', documentId: 'a' }])).openDocumentId).toBe('b');
  });

  it('shows new properties of the open document, and keeps the same object when only counts changed', () => {
    const renamed = applyEvent(state(), event([{ type: 'document', summary: summary('b', 'h-b', 'Renamed') }]));
    expect(renamed.document?.meta.title).toBe('Renamed');
    expect(renamed.textChanged).toBe(false);
    const counted = applyEvent(state(), event([{ type: 'document', summary: { ...summary('b'), annotationCount: 3 } }]));
    expect(counted.document).toBe(open);
  });

  it('flags a replaced text of the open document for a reload, and only that', () => {
    expect(applyEvent(state(), event([{ type: 'document', summary: summary('b', 'h-new') }])).textChanged).toBe(true);
    expect(applyEvent(state(), event([{ type: 'document', summary: summary('a', 'h-new') }])).textChanged).toBe(false);
  });
});
