import type { ChangeEvent } from '../shared/changes';
import type { DocumentMeta, PlacedAnnotation } from '../shared/model';
import { putPassage, removePassage, type PassageLists } from './passages';
import type { AppState } from './state';

/**
 * The one reducer through which every committed change reaches the UI: this window's own
 * commands and every other window's alike. Events carry the whole new value of what they
 * change (a passage, a document's list entry, the codebook), so applying them in revision order
 * always ends in main's state, and nothing is counted or cached by hand.
 */
export function applyEvent(s: AppState, event: ChangeEvent): AppState {
  let { project, documents, codes, coders, variables, memos, collections, selectedId, chooser, pending, openDocumentId, document, propertiesDialog, replaceDialog, versionsDialog, textChanged } = s;
  // The open document's text was replaced: the app reloads it (see `textChanged`). Found before
  // the loop, since the event's passage changes may come ahead of its document change.
  textChanged ||= event.changes.some((c) => c.type === 'document' && document !== null && c.summary.id === openDocumentId && c.summary.textHash !== document.textHash);
  let lists: PassageLists = { annotations: s.annotations, orphans: s.orphans };
  const changed = new Map<string, PlacedAnnotation | null>();
  for (const change of event.changes) {
    switch (change.type) {
      case 'annotation': {
        const a = change.annotation;
        // A passage of a replaced text is placed in the new one: the reload brings it.
        if (a.documentId !== s.openDocumentId || textChanged) break;
        // This window's own passage, shown while it was being saved, is now there for real.
        const stand = pending.find((p) => p.anchor.start === a.anchor.start && p.anchor.end === a.anchor.end && p.codeIds.every((c) => a.codeIds.includes(c)));
        if (stand) {
          lists = putPassage(removePassage(lists, stand, changed), a, changed, true);
          pending = pending.filter((p) => p !== stand);
        } else lists = putPassage(lists, a, changed);
        break;
      }
      case 'annotation-removed':
        if (change.documentId === s.openDocumentId && !textChanged) lists = removePassage(lists, change.id, changed);
        if (selectedId === change.id) selectedId = null;
        if (chooser?.ids.includes(change.id)) chooser = null;
        break;
      case 'document': {
        const { summary, index } = change;
        const known = documents.some((d) => d.id === summary.id);
        if (known && index === undefined) documents = documents.map((d) => (d.id === summary.id ? summary : d));
        else {
          // Added (imported, put back by an undo) or moved: where main says it is in the list.
          const rest = documents.filter((d) => d.id !== summary.id);
          const at = index === undefined ? rest.length : Math.min(index, rest.length);
          documents = [...rest.slice(0, at), summary, ...rest.slice(at)];
        }
        // The open document's properties changed: the reader shows them.
        // Compared field by field: every coding sends the entry again (its counts), and a new
        // `meta` object each time would rebuild the article.
        if (document && summary.id === openDocumentId && !sameMeta(summary.meta, document.meta) && summary.textHash === document.textHash) document = { ...document, meta: summary.meta };
        break;
      }
      case 'document-removed':
        documents = documents.filter((d) => d.id !== change.documentId);
        if (openDocumentId === change.documentId) {
          // The open document went (deleted here or in another window): nothing of it stays on screen.
          openDocumentId = null;
          document = null;
          lists = { annotations: [], orphans: [] };
          selectedId = null;
          chooser = null;
          pending = [];
          propertiesDialog = false;
          replaceDialog = false;
          versionsDialog = false;
          textChanged = false;
        }
        break;
      case 'codebook':
        codes = change.codes;
        break;
      case 'coders':
        coders = change.coders;
        break;
      case 'variables':
        variables = change.variables;
        break;
      case 'memos':
        memos = change.memos;
        break;
      case 'collections':
        collections = change.collections;
        break;
      case 'project':
        if (project) project = { ...project, name: change.name };
        break;
    }
  }
  const passagesDelta = lists.annotations !== s.annotations ? { from: s.annotations, changes: changed } : s.passagesDelta;
  return { ...s, revision: event.revision, ...lists, passagesDelta, project, documents, codes, coders, variables, memos, collections, selectedId, chooser, pending, openDocumentId, document, propertiesDialog, replaceDialog, versionsDialog, textChanged };
}

/** Whether two documents' properties are the same, field by field. */
function sameMeta(a: DocumentMeta, b: DocumentMeta): boolean {
  return a.title === b.title && a.author === b.author && a.publication === b.publication && a.date === b.date && a.url === b.url && (a.accessed ?? '') === (b.accessed ?? '') && (a.pages ?? '') === (b.pages ?? '');
}
