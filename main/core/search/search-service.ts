import { foldText, type FoldedText } from '../../../shared/folded-text';
import { regexSearchInWorker } from './regex-worker';
import { compileRegex, searchTexts, type ProjectHits, type SearchOptions } from '../../../shared/text-search';

/**
 * Searching a project's texts for the API: plain searches on the main thread over folded texts
 * kept between searches (a project of 500 documents, 25 MB, is folded once and then scanned in
 * tens of milliseconds), regular expressions in a worker with a time limit. The texts come from
 * the store; a text is folded again only when its version changes.
 */

/** Where the texts come from: the documents in list order, and each one's canonical text. */
export interface SearchSource {
  documents(): readonly { id: string; textHash: string }[];
  text(documentId: string): Promise<string | null>;
}

/** At most this many matches are listed in one answer; the answer says when there were more. */
export const SEARCH_HIT_LIMIT = 5000;

const optionsKey = (o: SearchOptions): string => `${o.caseSensitive ? 'C' : 'c'}${o.diacriticSensitive ? 'D' : 'd'}`;

export class SearchService {
  /** Folded texts by document, for the text version and options they were folded with. */
  private readonly folded = new Map<string, { textHash: string; key: string; folded: FoldedText }>();

  constructor(
    private readonly source: SearchSource,
    private readonly opts: { workerFile?: string; timeMs?: number } = {},
  ) {}

  /**
   * Searches the documents `documentIds` (all, in list order, when absent). Throws SearchError
   * for a query that cannot be searched for (malformed, or a regular expression that ran too long).
   */
  async search(query: string, options: SearchOptions, documentIds?: readonly string[], limit = SEARCH_HIT_LIMIT): Promise<ProjectHits> {
    // A malformed expression is said at once, without starting a worker.
    if (options.regex) compileRegex(query, options);
    const wanted = documentIds ? new Set(documentIds) : null;
    const docs = this.source.documents().filter((d) => !wanted || wanted.has(d.id));
    const texts: { documentId: string; text: string; textHash: string }[] = [];
    for (const d of docs) {
      const text = await this.source.text(d.id);
      if (text !== null) texts.push({ documentId: d.id, text, textHash: d.textHash });
    }
    if (options.regex) {
      const job = { texts: texts.map(({ documentId, text }) => ({ documentId, text })), query, opts: options, limit };
      return regexSearchInWorker(job, this.opts);
    }
    const key = optionsKey(options);
    const hashes = new Map(texts.map((t) => [t.documentId, t.textHash]));
    return searchTexts(texts, query, options, limit, (documentId, text) => {
      const textHash = hashes.get(documentId)!;
      const kept = this.folded.get(documentId);
      if (kept && kept.textHash === textHash && kept.key === key) return kept.folded;
      const folded = foldText(text, options);
      this.folded.set(documentId, { textHash, key, folded });
      return folded;
    });
  }

  /** Forgets what it kept of documents no longer in the project. */
  prune(): void {
    const ids = new Set(this.source.documents().map((d) => d.id));
    for (const id of this.folded.keys()) if (!ids.has(id)) this.folded.delete(id);
  }
}
