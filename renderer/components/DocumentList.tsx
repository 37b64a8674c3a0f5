import type { Actions } from '../actions';
import type { AppState } from '../state';
import { useStore, type Store } from '../store';

function plural(n: number): string {
  return `${n} coded passage${n === 1 ? '' : 's'}`;
}

/** The project's documents: title, publication, date and how many passages are coded. */
export function DocumentList({ store, actions }: { store: Store<AppState>; actions: Actions }) {
  const documents = useStore(store, (s) => s.documents);
  const openId = useStore(store, (s) => s.openDocumentId);
  return (
    <nav class="documents" aria-labelledby="documents-heading">
      <h2 id="documents-heading">Documents</h2>
      <ul>
        {documents.map((d) => (
          <li key={d.id}>
            <button type="button" class="doc-item" aria-current={d.id === openId ? 'page' : undefined} onClick={() => void actions.openDocument(d.id)}>
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
          </li>
        ))}
      </ul>
    </nav>
  );
}
