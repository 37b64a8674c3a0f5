import { useRef } from 'preact/hooks';
import type { Actions } from '../actions';
import type { DocumentSummary } from '../../shared/model';
import type { AppState } from '../state';
import { useStore, type Store } from '../store';
import { VirtualList } from './VirtualList';

/** A document row's usual height (title, details, count): the first guess before rows are measured. */
const DOCUMENT_ROW_ESTIMATE = 76;

function plural(n: number): string {
  return `${n} coded passage${n === 1 ? '' : 's'}`;
}

/**
 * The project's documents: title, publication, date and how many passages are coded. A
 * virtualised list, so that a project of any size draws only the rows on screen.
 */
export function DocumentList({ store, actions }: { store: Store<AppState>; actions: Actions }) {
  const documents = useStore(store, (s) => s.documents);
  const openId = useStore(store, (s) => s.openDocumentId);
  const nav = useRef<HTMLElement>(null);
  const openIndex = openId ? documents.findIndex((d) => d.id === openId) : -1;
  const row = (d: DocumentSummary, tabbable: boolean) => (
    <button type="button" class="doc-item" tabIndex={tabbable ? 0 : -1} aria-current={d.id === openId ? 'page' : undefined} onClick={() => void actions.openDocument(d.id)}>
      <span class="doc-title">{d.meta.title}</span>
      <span class="doc-meta">{[d.meta.publication, d.meta.date].filter(Boolean).join(' · ') || 'No publication details'}</span>
      {d.problem ? (
        <span class="doc-count error-text" title={d.problem}>
          Coded passages unavailable
        </span>
      ) : (
        <span class="doc-count">{plural(d.annotationCount)}</span>
      )}
    </button>
  );
  return (
    <nav class="documents" aria-labelledby="documents-heading" ref={nav}>
      <h2 id="documents-heading">Documents</h2>
      <VirtualList
        items={documents}
        getKey={(d) => d.id}
        estimateSize={DOCUMENT_ROW_ESTIMATE}
        renderItem={(d, _i, tabbable) => row(d, tabbable)}
        scrollElement={() => nav.current}
        label="Documents"
        class="doc-list virtual"
        activeIndex={openIndex >= 0 ? openIndex : undefined}
      />
    </nav>
  );
}
