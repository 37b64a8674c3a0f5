import type { CsvSource } from './export-csv';
import type { ProjectStore } from './store';

/** The project as the CSV exporter sees it: documents in project order, passages read per document. */
export function csvSource(store: ProjectStore): CsvSource {
  // One revision's variables and documents, so that every value has its column.
  const project = store.project;
  return {
    codes: project.codebook.codes,
    coders: project.coders,
    variables: project.variables ?? [],
    documents: () => project.documents.map((d) => (d.values ? { id: d.id, meta: d.meta, values: d.values } : { id: d.id, meta: d.meta })),
    annotations: (documentId) => store.readAnnotationsUncached(documentId),
  };
}
