import { randomUUID } from 'node:crypto';
import { ApiError, type ApiHandlers } from '../../shared/api';
import { describeRange, snapToCodePoints } from '../../shared/anchoring';
import type { Annotation, DocumentContent } from '../../shared/model';
import { plainText } from '../../shared/plain-text';
import { codedPassagesCsvString } from './export-csv';
import { csvSource } from './csv-source';
import { ProjectStore, StoreRefusedError } from './store';

/** What the handlers need beyond the store. */
export interface ServiceContext {
  store: ProjectStore;
  /** The coder put on new passages. */
  coder: { id: string; name: string };
  /** Clock, injectable for tests. */
  now?: () => Date;
}

function byTextOrder(a: Annotation, b: Annotation): number {
  return a.position.start - b.position.start || a.position.end - b.position.end || a.created.localeCompare(b.created) || a.id.localeCompare(b.id);
}

/** Maps store refusals to the API's error kind. */
async function guarded<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof StoreRefusedError) throw new ApiError('store_refused', e.message);
    throw e;
  }
}

/** The API handlers for one open project. Inputs arrive validated by `dispatch`. */
export function createHandlers(ctx: ServiceContext): ApiHandlers {
  const { store } = ctx;
  const now = (): string => (ctx.now ? ctx.now() : new Date()).toISOString();
  const texts = new Map<string, string>();

  async function doc(documentId: string): Promise<DocumentContent> {
    const d = await store.document(documentId);
    if (!d) throw new ApiError('not_found', `No document with id "${documentId}" in this project.`);
    return d;
  }

  async function textOf(documentId: string): Promise<{ content: DocumentContent; text: string }> {
    const content = await doc(documentId);
    let text = texts.get(documentId);
    if (text === undefined) {
      text = plainText(content.meta.title, content.blocks);
      texts.set(documentId, text);
    }
    return { content, text };
  }

  function checkCodes(codeIds: readonly string[]): string[] {
    const known = new Set(store.project.codebook.codes.map((c) => c.id));
    const unknown = codeIds.filter((id) => !known.has(id));
    if (unknown.length) throw new ApiError('invalid_input', `Unknown code${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`);
    return [...new Set(codeIds)];
  }

  async function find(documentId: string, id: string): Promise<Annotation> {
    await doc(documentId);
    const found = (await store.annotations(documentId)).find((a) => a.id === id);
    if (!found) throw new ApiError('not_found', `No coded passage with id "${id}" in document "${documentId}".`);
    return found;
  }

  return {
    'project.info': async () => ({
      name: store.project.name,
      location: store.dir,
      coder: ctx.coder,
      schemaVersion: store.project.schemaVersion,
    }),

    'documents.list': async () =>
      Promise.all(
        store.project.documents.map(async (d) => {
          const problem = await store.problem(d.id);
          return { id: d.id, meta: d.meta, textHash: d.textHash, annotationCount: problem ? 0 : (await store.annotations(d.id)).length };
        }),
      ),

    'documents.get': async ({ documentId }) => doc(documentId),

    'codebook.get': async () => ({ codes: store.project.codebook.codes }),

    'annotations.list': ({ documentId }) =>
      guarded(async () => {
        await doc(documentId);
        return [...(await store.annotations(documentId))].sort(byTextOrder);
      }),

    'annotations.create': ({ documentId, start, end, codeIds, memo }) =>
      guarded(async () => {
        const { content, text } = await textOf(documentId);
        if (end > text.length) throw new ApiError('invalid_input', `The passage ends at ${end}, past the end of the document (${text.length}).`);
        const range = snapToCodePoints(text, start, end);
        const at = now();
        const annotation: Annotation = {
          id: randomUUID(),
          documentId,
          textHash: content.textHash,
          ...describeRange(text, range.start, range.end),
          codeIds: checkCodes(codeIds),
          memo: memo ?? '',
          coder: ctx.coder.name,
          created: at,
          modified: at,
        };
        await store.updateAnnotations(documentId, (list) => void list.push(annotation));
        return annotation;
      }),

    'annotations.update': ({ documentId, id, codeIds, memo }) =>
      guarded(async () => {
        const old = await find(documentId, id);
        const next: Annotation = {
          ...old,
          codeIds: codeIds ? checkCodes(codeIds) : old.codeIds,
          memo: memo ?? old.memo,
          modified: now(),
        };
        await store.updateAnnotations(documentId, (list) => {
          const i = list.findIndex((a) => a.id === id);
          if (i >= 0) list[i] = next;
        });
        return next;
      }),

    'annotations.delete': ({ documentId, id }) =>
      guarded(async () => {
        const old = await find(documentId, id);
        await store.updateAnnotations(documentId, (list) => {
          const i = list.findIndex((a) => a.id === id);
          if (i >= 0) list.splice(i, 1);
        });
        return old;
      }),

    'annotations.restore': ({ annotation }) =>
      guarded(async () => {
        const { text } = await textOf(annotation.documentId);
        if (annotation.position.end > text.length) throw new ApiError('invalid_input', 'The passage lies past the end of its document.');
        checkCodes(annotation.codeIds);
        const list = await store.annotations(annotation.documentId);
        if (list.some((a) => a.id === annotation.id)) throw new ApiError('invalid_input', `A coded passage with id "${annotation.id}" already exists.`);
        await store.updateAnnotations(annotation.documentId, (l) => void l.push(annotation));
        return annotation;
      }),

    'export.codedPassagesCsv': async ({ bom }) => {
      const { content } = await codedPassagesCsvString(csvSource(store), { bom });
      return { fileName: 'coded-passages.csv', content };
    },
  };
}
