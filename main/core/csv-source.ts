import type { CsvSource } from './export-csv';
import type { ProjectStore } from './store';

/** The project as the CSV exporter sees it: documents in project order, passages read per document. */
export function csvSource(store: ProjectStore): CsvSource {
  return {
    codes: store.project.codebook.codes,
    coders: store.project.coders,
    documents: () => store.project.documents.map((d) => ({ id: d.id, meta: d.meta })),
    annotations: (documentId) => store.readAnnotationsUncached(documentId),
  };
}
