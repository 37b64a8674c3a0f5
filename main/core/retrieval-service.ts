import { ApiError, type ApiHandlers, type CommandResult } from '../../shared/api';
import { locatorFor } from '../../shared/locator';
import type { Annotation, PlacedAnnotation } from '../../shared/model';
import { compareAnnotations } from '../../shared/order';
import { QueryError, type QueryProject } from '../../shared/query';
import { SearchError, type ProjectHits, type SearchOptions } from '../../shared/text-search';
import { citeFor, cslItemFor, quotation } from './citations';
import type { Command } from './commands';
import { passagesCsv, passagesMarkdown } from './passage-export';
import { PAGE_MAX, PassageQueries, type PassageRow } from './passage-query';
import { SEARCH_HIT_LIMIT, SearchService } from './search/search-service';
import type { ProjectStore } from './store';

/**
 * Getting coded passages and words back out of the project: the passages query, the project
 * search, autocoding from a search, and quotations with their citation. The matching, the query
 * language and the citation engine live in their own modules; this wires them to the store.
 */

export interface RetrievalDeps {
  store: ProjectStore;
  /** A document's passages as stored (the store's own list, the same object until a change). */
  annotations(documentId: string): Promise<readonly Annotation[]>;
  /** Runs a command for a window, recorded in its history (services.ts). */
  command(client: string, cmd: Command, label?: string): Promise<CommandResult>;
  /** A document's passages, each where it is in the document's current text, and that text. */
  placed(documentId: string): Promise<{ text: string; passages: PlacedAnnotation[] }>;
  /** The command coding [start, end) of a document's text with `codeIds` (checked, trimmed, by this window's coder). */
  codePassage(documentId: string, start: number, end: number, codeIds: string[]): Promise<Command>;
  /** Codes that exist, deduplicated; throws `invalid_input` naming unknown ones. */
  checkCodes(codeIds: readonly string[]): string[];
  /** The search worker's file, for tests that run from source. */
  searchWorkerFile?: string;
}

type RetrievalMethods = 'search.project' | 'annotations.autocode' | 'annotations.recode' | 'passages.query' | 'passages.export' | 'passages.quote';

/** A search or query the user wrote that cannot be run, as the API says it. */
function asInput<T>(run: () => Promise<T>): Promise<T> {
  return run().catch((e: unknown) => {
    if (e instanceof QueryError || e instanceof SearchError) throw new ApiError('invalid_input', e.message);
    throw e;
  });
}

const entryMaps = new WeakMap<readonly { id: string }[], Map<string, { id: string }>>();

/**
 * A documents list's entries by id, made once per list: the store's project is copied on write,
 * so a change brings a new list and the lookups of one revision share one map.
 */
export function entriesById<E extends { id: string }>(documents: readonly E[]): ReadonlyMap<string, E> {
  let byId = entryMaps.get(documents) as Map<string, E> | undefined;
  if (!byId) entryMaps.set(documents, (byId = new Map(documents.map((d) => [d.id, d]))));
  return byId;
}

export function retrievalHandlers(deps: RetrievalDeps): Pick<ApiHandlers, RetrievalMethods> {
  const { store } = deps;
  const search = new SearchService(
    { documents: () => store.project.documents, text: (id) => store.text(id) },
    deps.searchWorkerFile ? { workerFile: deps.searchWorkerFile } : {},
  );
  const queryProject = (): QueryProject => ({
    codes: store.project.codebook.codes,
    documents: store.project.documents.map((d) => (d.values ? { id: d.id, title: d.meta.title, values: d.values } : { id: d.id, title: d.meta.title })),
    variables: store.project.variables ?? [],
    coders: store.project.coders,
  });
  // A document's passages, placed, kept while its list and text are the same: the store makes a
  // new list for every change, so after a change only the documents it touched are placed again.
  const placedLists = new WeakMap<readonly Annotation[], { textHash: string; passages: PlacedAnnotation[] }>();
  const queries = new PassageQueries({
    revision: () => store.revision,
    project: queryProject,
    passages: async (id) => {
      const list = await deps.annotations(id);
      const textHash = entriesById(store.project.documents).get(id)?.textHash ?? '';
      const kept = placedLists.get(list);
      if (kept && kept.textHash === textHash) return kept.passages;
      const passages = (await deps.placed(id)).passages.sort(compareAnnotations);
      placedLists.set(list, { textHash, passages });
      return passages;
    },
    text: (id) => store.text(id),
  });
  const optionsOf = (o: SearchOptions): SearchOptions => ({ caseSensitive: o.caseSensitive === true, diacriticSensitive: o.diacriticSensitive === true, wholeWord: o.wholeWord === true, regex: o.regex === true });
  const unknownDocuments = (ids: readonly string[] | undefined): void => {
    const known = new Set(store.project.documents.map((d) => d.id));
    const unknown = (ids ?? []).filter((id) => !known.has(id));
    if (unknown.length) throw new ApiError('not_found', `No document ${unknown.slice(0, 5).map((id) => `“${id}”`).join(', ')} in this project.`);
  };

  async function find(input: { query: string; documentIds?: string[] | undefined } & SearchOptions): Promise<ProjectHits> {
    unknownDocuments(input.documentIds);
    search.prune();
    return asInput(() => search.search(input.query, optionsOf(input), input.documentIds));
  }

  /** Every passage `query` gives now, as references. */
  async function everyPassageOf(query: string): Promise<{ documentId: string; id: string }[]> {
    const out: { documentId: string; id: string }[] = [];
    for (let offset = 0; ; ) {
      const page = await asInput(() => queries.run(query, 'document', offset, PAGE_MAX));
      out.push(...page.rows.map((r) => ({ documentId: r.passage.documentId, id: r.passage.id })));
      offset += page.rows.length;
      if (out.length >= page.total || page.rows.length === 0) return out;
    }
  }

  return {
    'search.project': async (input) => {
      const found = await find(input);
      const entries = entriesById(store.project.documents);
      return {
        total: found.total,
        truncated: found.truncated,
        documents: found.documents.map((d) => ({ documentId: d.documentId, title: entries.get(d.documentId)?.meta.title ?? d.documentId, textHash: entries.get(d.documentId)?.textHash ?? '', hits: d.hits })),
      };
    },

    'annotations.autocode': async (input, { client }) => {
      const codeIds = deps.checkCodes(input.codeIds);
      const found = await find(input);
      if (found.truncated) throw new ApiError('invalid_input', `The search has more than ${SEARCH_HIT_LIMIT} matches; narrow it before coding them all.`);
      const skip = new Set((input.skip ?? []).map((s) => `${s.documentId}:${s.start}`));
      const steps: Command[] = [];
      for (const d of found.documents) {
        const entry = entriesById(store.project.documents).get(d.documentId);
        if (!entry || input.expect[d.documentId] !== entry.textHash) {
          throw new ApiError('conflict', `The text of “${entry?.meta.title ?? d.documentId}” changed since the preview (a new version, perhaps in another window). Nothing was coded; search again.`);
        }
        const { passages } = await deps.placed(d.documentId);
        for (const hit of d.hits) {
          if (skip.has(`${d.documentId}:${hit.start}`)) continue;
          // A passage over exactly these words gets the codes rather than a twin.
          const same = passages.find((p) => p.anchor.status !== 'orphan' && p.anchor.start === hit.start && p.anchor.end === hit.end);
          if (same) {
            const missing = codeIds.filter((c) => !same.codeIds.includes(c));
            if (missing.length) steps.push({ kind: 'addCodes', documentId: d.documentId, id: same.id, codeIds: missing });
          } else steps.push(await deps.codePassage(d.documentId, hit.start, hit.end, codeIds));
        }
      }
      if (steps.length === 0) throw new ApiError('invalid_input', 'No match is left to code: every one was left out or has these codes already.');
      const shown = input.query.length > 40 ? `${input.query.slice(0, 40)}…` : input.query;
      return deps.command(client, { kind: 'compound', steps }, `code ${steps.length} match${steps.length === 1 ? '' : 'es'} of “${shown}”`);
    },

    'annotations.recode': async (input, { client }) => {
      const add = input.add.length ? deps.checkCodes(input.add) : [];
      const remove = [...new Set(input.remove)];
      const targets = input.passages ?? (await everyPassageOf(input.query!));
      // Each document's passages read once, however many of them are recoded.
      const byDocument = new Map<string, Map<string, Annotation>>();
      const steps: Command[] = [];
      for (const { documentId, id } of targets) {
        let passages = byDocument.get(documentId);
        if (!passages) {
          unknownDocuments([documentId]);
          byDocument.set(documentId, (passages = new Map((await deps.annotations(documentId)).map((a) => [a.id, a]))));
        }
        const passage = passages.get(id);
        if (!passage) throw new ApiError('not_found', 'A passage of the selection was deleted, perhaps in another window. Nothing was changed.');
        const adding = add.filter((c) => !passage.codeIds.includes(c));
        const removing = remove.filter((c) => passage.codeIds.includes(c));
        if (adding.length) steps.push({ kind: 'addCodes', documentId, id, codeIds: adding });
        if (removing.length) steps.push({ kind: 'removeCodes', documentId, id, codeIds: removing });
      }
      const changed = new Set(steps.map((s) => (s.kind === 'addCodes' || s.kind === 'removeCodes' ? s.id : ''))).size;
      if (changed === 0) throw new ApiError('invalid_input', 'Nothing to change: every passage chosen has these codes already, and none of those to take off.');
      const result = await deps.command(client, { kind: 'compound', steps }, `recode ${changed} passage${changed === 1 ? '' : 's'}`);
      const left = targets.length - changed;
      return { ...result, notice: `Recoded ${changed} passage${changed === 1 ? '' : 's'}${left ? `; ${left} had nothing to change` : ''}. Undo takes it back.` };
    },

    'passages.query': ({ query, sort, offset, limit }) => asInput(() => queries.run(query, sort, offset, limit)),

    'passages.export': async ({ query, sort, format }) => {
      const rows: PassageRow[] = [];
      // One revision throughout: a change committed meanwhile starts the file again.
      for (let offset = 0, revision = -1; ; ) {
        const page = await asInput(() => queries.run(query, sort, offset, PAGE_MAX));
        if (revision !== -1 && page.revision !== revision) {
          rows.length = 0;
          offset = 0;
          revision = page.revision;
          continue;
        }
        revision = page.revision;
        rows.push(...page.rows);
        offset += page.rows.length;
        if (rows.length >= page.total || page.rows.length === 0) break;
      }
      const names = { codes: store.project.codebook.codes, coders: store.project.coders };
      const content = format === 'csv' ? passagesCsv(rows, names) : passagesMarkdown(rows, names, { title: `Coded passages of ${store.project.name}`, query });
      return { fileName: `passages.${format}`, mimeType: format === 'csv' ? 'text/csv' : 'text/markdown', content, rows: rows.length };
    },

    'passages.quote': async ({ documentId, id, style }) => {
      unknownDocuments([documentId]);
      const { passages } = await deps.placed(documentId);
      const passage = passages.find((p) => p.id === id);
      if (!passage) throw new ApiError('not_found', 'The passage was deleted, perhaps in another window.');
      const content = (await store.document(documentId))!;
      const locator = passage.anchor.status === 'orphan' ? null : locatorFor(content.blocks, content.pages, passage.anchor.start, passage.anchor.end);
      // An imported citation (a chapter with its editors, a DOI) is the fuller record: cited whole.
      const imported = store.project.documents.find((d) => d.id === documentId)?.citation?.item;
      const cite = citeFor(cslItemFor(content.meta, imported), style, locator ?? undefined);
      const quote = quotation(passage.quote.exact, cite);
      return { text: quote.text, html: quote.html, inText: cite.inText, reference: cite.reference, referenceHtml: cite.referenceHtml, locator };
    },
  };
}
