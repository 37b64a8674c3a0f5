import type { PlacedAnnotation } from '../../shared/model';
import { codePathNames } from '../../shared/order';
import { compileQuery, DocumentPostings, PassageIndex, type QueryProject } from '../../shared/query';
import { inContext } from '../../shared/text-search';

/**
 * The passages of the whole project, asked with the query language (shared/query.ts): for the
 * passages view, the API and `gloss passages`. Every passage of the project is gathered once per
 * project revision (read and placed in its document's current text); a query then runs over
 * that snapshot, is sorted, and its rows are handed out a page at a time, so that a view of
 * 100,000 passages never carries them all across the API at once.
 */

export type PassageSort = 'document' | 'code' | 'created' | 'length';

/** One row of the answer: the passage, its document's title, and the words around it. */
export interface PassageRow {
  passage: PlacedAnnotation;
  documentTitle: string;
  before: string;
  after: string;
}

/** What the query service reads from the open project. */
export interface PassageSource {
  revision(): number;
  /** The names a query resolves against: codes, documents (in list order), variables, coders. */
  project(): QueryProject;
  /** A document's passages, placed in its current text, in text order. */
  passages(documentId: string): Promise<readonly PlacedAnnotation[]>;
  text(documentId: string): Promise<string | null>;
}

export interface QueryAnswer {
  revision: number;
  total: number;
  rows: PassageRow[];
}

/** How many rows one page may hold. */
export const PAGE_MAX = 2000;
/** Characters of context either side of a passage. */
const CONTEXT = 50;

/** What every query at one revision runs over: read once, kept until the revision moves. */
interface Snapshot {
  revision: number;
  /** The names queries resolve against, as the source gave them at this revision. */
  project: QueryProject;
  /** Each document's title by id, for the rows. The passages are `index.passages`, in document then text order. */
  titles: Map<string, string>;
  index: PassageIndex;
  texts: Map<string, string>;
}

export class PassageQueries {
  private snapshot: Promise<Snapshot> | null = null;
  /** Each document's index, kept while the source gives the same list. */
  private readonly postings = new WeakMap<readonly PlacedAnnotation[], DocumentPostings>();
  private last: { revision: number; key: string; ids: readonly PlacedAnnotation[] } | null = null;

  constructor(private readonly source: PassageSource) {}

  /** Every passage of the project at the current revision, in document then text order. */
  private async all(): Promise<Snapshot> {
    const revision = this.source.revision();
    const kept = this.snapshot && (await this.snapshot);
    if (kept && kept.revision === revision) return kept;
    const made = (async (): Promise<Snapshot> => {
      const documents: { documentId: string; postings: DocumentPostings }[] = [];
      const texts = new Map<string, string>();
      const project = this.source.project();
      for (const d of project.documents) {
        const list = await this.source.passages(d.id);
        let postings = this.postings.get(list);
        if (!postings) this.postings.set(list, (postings = new DocumentPostings(list)));
        documents.push({ documentId: d.id, postings });
        const text = await this.source.text(d.id);
        if (text !== null) texts.set(d.id, text);
      }
      const index = PassageIndex.of(documents);
      const titles = new Map(project.documents.map((d) => [d.id, d.title]));
      return { revision, project, titles, index, texts };
    })();
    this.snapshot = made;
    made.catch(() => this.snapshot === made && (this.snapshot = null));
    return made;
  }

  /**
   * The passages matching `query` (every passage when it is empty), sorted, and the rows
   * [offset, offset + limit) of them. Throws QueryError for a query that cannot be run.
   */
  async run(query: string, sort: PassageSort, offset: number, limit: number): Promise<QueryAnswer> {
    const snap = await this.all();
    const key = `${sort}\u0000${query}`;
    let matched: readonly PlacedAnnotation[];
    if (this.last && this.last.revision === snap.revision && this.last.key === key) matched = this.last.ids;
    else {
      const { project, texts } = snap;
      const passages = snap.index.passages;
      const q = query.trim() === '' ? null : compileQuery(query, project, { passages, text: (id) => texts.get(id) ?? null });
      matched = q ? q.select(snap.index).map((i) => passages[i]!) : passages;
      if (sort !== 'document') matched = sorted(matched, sort, project);
      this.last = { revision: snap.revision, key, ids: matched };
    }
    const { titles } = snap;
    const rows = matched.slice(offset, offset + Math.min(limit, PAGE_MAX)).map((p): PassageRow => {
      const text = snap.texts.get(p.documentId);
      const around = text && p.anchor.status !== 'orphan' ? inContext(text, { start: p.anchor.start, end: p.anchor.end }, CONTEXT) : null;
      return { passage: p, documentTitle: titles.get(p.documentId) ?? p.documentId, before: around?.before ?? '', after: around?.after ?? '' };
    });
    return { revision: snap.revision, total: matched.length, rows };
  }
}

/** `list` in another order than the documents': stable, so ties keep document order. */
function sorted(list: readonly PlacedAnnotation[], sort: Exclude<PassageSort, 'document'>, project: QueryProject): PlacedAnnotation[] {
  if (sort === 'created') return [...list].sort((a, b) => (a.created < b.created ? -1 : a.created > b.created ? 1 : 0));
  if (sort === 'length') return [...list].sort((a, b) => b.quote.exact.length - a.quote.exact.length);
  // By the path of each passage's first code in codebook order; uncoded passages last.
  const byId = new Map(project.codes.map((c) => [c.id, c]));
  const order = new Map(project.codes.map((c, i) => [c.id, i]));
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  const keyOf = new Map<PlacedAnnotation, string | null>();
  for (const p of list) {
    const first = [...p.codeIds].filter((c) => byId.has(c)).sort((a, b) => order.get(a)! - order.get(b)!)[0];
    keyOf.set(p, first ? codePathNames(byId, first).join('\u0001') : null);
  }
  return [...list].sort((a, b) => {
    const x = keyOf.get(a)!;
    const y = keyOf.get(b)!;
    return x === null || y === null ? (x === null ? 1 : 0) - (y === null ? 1 : 0) : collator.compare(x, y);
  });
}
