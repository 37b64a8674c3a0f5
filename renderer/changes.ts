import type { ChangeEvent } from '../shared/changes';
import { compareAnnotations } from '../shared/order';
import type { PlacedAnnotation } from '../shared/model';
import type { AppState } from './state';

/**
 * The one reducer through which every committed change reaches the UI: this window's own
 * commands and every other window's alike. Events carry the whole new value of what they
 * change (a passage, a document's list entry, the codebook), so applying them in revision order
 * always ends in main's state, and nothing is counted or cached by hand.
 */
export function applyEvent(s: AppState, event: ChangeEvent): AppState {
  let { annotations, documents, codes, coders, selectedId, chooser } = s;
  for (const change of event.changes) {
    switch (change.type) {
      case 'annotation': {
        const a = change.annotation;
        if (a.documentId !== s.openDocumentId) break;
        annotations = upsert(annotations, a);
        break;
      }
      case 'annotation-removed':
        if (change.documentId === s.openDocumentId) annotations = annotations.filter((a) => a.id !== change.id);
        if (selectedId === change.id) selectedId = null;
        if (chooser?.ids.includes(change.id)) chooser = null;
        break;
      case 'document':
        documents = documents.map((d) => (d.id === change.summary.id ? change.summary : d));
        break;
      case 'codebook':
        codes = change.codes;
        break;
      case 'coders':
        coders = change.coders;
        break;
    }
  }
  return { ...s, revision: event.revision, annotations, documents, codes, coders, selectedId, chooser };
}

/** Replaces or inserts a passage, keeping text order. */
function upsert(list: PlacedAnnotation[], a: PlacedAnnotation): PlacedAnnotation[] {
  const i = list.findIndex((x) => x.id === a.id);
  if (i >= 0 && compareAnnotations(list[i]!, a) === 0) {
    const next = [...list];
    next[i] = a;
    return next;
  }
  const rest = i >= 0 ? list.filter((x) => x.id !== a.id) : [...list];
  // Binary search for the place: lists can hold tens of thousands of passages.
  let lo = 0;
  let hi = rest.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareAnnotations(rest[mid]!, a) < 0) lo = mid + 1;
    else hi = mid;
  }
  rest.splice(lo, 0, a);
  return rest;
}
