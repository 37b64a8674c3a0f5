import { describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../../shared/changes';
import type { DocumentContent, DocumentSummary } from '../../shared/model';
import { applyEvent } from '../../renderer/changes';
import { changedFields, documentPlaceSentence, fieldsOf, isDateLike } from '../../renderer/document-actions';
import { initialState } from '../../renderer/state';

// What the document properties dialog sends and shows (renderer/document-actions.ts), and how
// the open document takes a changed entry (renderer/changes.ts).

const meta = { title: 'Anna', author: 'Kim', publication: 'RFA', date: '2014', url: '' };
const summary = (over: Partial<DocumentSummary> = {}): DocumentSummary => ({ id: 'a', meta: { ...meta }, textHash: 'h', annotationCount: 0, codeCounts: {}, ...over });

describe('document properties in the window', () => {
  it('sends only the fields changed, each with the value shown as its base', () => {
    const shown = fieldsOf(summary());
    expect(shown).toEqual({ ...meta, accessed: '', pages: '', memo: '' });
    expect(changedFields(shown, { ...shown, title: ' Anna K. ', pages: '3–9', memo: ' Kept as typed ' })).toEqual({
      changes: { title: 'Anna K.', pages: '3–9', memo: ' Kept as typed ' },
      base: { title: 'Anna', pages: '', memo: '' },
    });
    // Spaces around a single-line field are no change.
    expect(changedFields(shown, { ...shown, author: 'Kim ' })).toEqual({ changes: {}, base: {} });
  });

  it('hints at the dates main takes', () => {
    for (const ok of ['', '2014', '2014-03', '2014-03-31', ' 2014 ']) expect(isDateLike(ok), ok).toBe(true);
    for (const bad of ['March 2014', '2014-13', '2014-3', '14', '2014-03-32']) expect(isDateLike(bad), bad).toBe(false);
  });

  it('says where a moved document is now', () => {
    const list = [summary(), summary({ id: 'b', meta: { ...meta, title: 'Ben' } })];
    expect(documentPlaceSentence(list, 'b')).toBe('“Ben” is now 2 of 2 documents.');
    expect(documentPlaceSentence(list, 'gone')).toBe('');
  });

  it('keeps the open document when its entry comes again with the same properties (a coding changed its counts), and takes new ones', () => {
    const document: DocumentContent = { id: 'a', meta: { ...meta }, blocks: [], textHash: 'h' };
    const s = { ...initialState, documents: [summary()], openDocumentId: 'a', document };
    const event = (m: typeof meta, revision: number): ChangeEvent => ({ revision, origin: null, label: 'code passage', changes: [{ type: 'document', summary: summary({ meta: { ...m }, annotationCount: 1 }) }] });
    const counted = applyEvent(s, event(meta, 1));
    expect(counted.document).toBe(document);
    expect(counted.documents[0]!.annotationCount).toBe(1);
    expect(applyEvent(counted, event({ ...meta, title: 'Anna K.' }, 2)).document?.meta.title).toBe('Anna K.');
  });
});
