import { randomUUID } from 'node:crypto';
import { ApiError, type ApiHandlers } from '../../shared/api';
import { describeRange, snapToGraphemes, trimRange } from '../../shared/anchoring';
import type { Annotation, DocumentContent } from '../../shared/model';
import { compareAnnotations } from '../../shared/order';
import { plainText } from '../../shared/plain-text';
import { StoreFileError } from './durable';
import { ProjectStore, StoreRefusedError } from './store';

/** What the handlers need beyond the store. */
export interface ServiceContext {
  store: ProjectStore;
  /** The coder put on new passages. */
  coder: { id: string; name: string };
  /** Clock, injectable for tests. */
  now?: () => Date;
}


/** Runs `run`, turning the store's refusals into `store_refused` API errors (with their message). */
export async function guarded<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof StoreRefusedError || e instanceof StoreFileError) throw new ApiError('store_refused', e.message);
    throw e;
  }
}

/** The API handlers for one open project. Inputs arrive validated by `dispatch`. */
export function createHandlers(ctx: ServiceContext): ApiHandlers {
  const { store } = ctx;
  const now = (): string => (ctx.now ? ctx.now() : new Date()).toISOString();
  const texts = new Map<string, string>();
  /** Passages deleted this session, so undo can put them back exactly without trusting the client's copy. */
  const deleted = new Map<string, Annotation>();

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

  const notFound = (documentId: string, id: string): ApiError => new ApiError('not_found', `No coded passage with id "${id}" in document "${documentId}".`);

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
          if (problem) return { id: d.id, meta: d.meta, textHash: d.textHash, annotationCount: 0, problem };
          return { id: d.id, meta: d.meta, textHash: d.textHash, annotationCount: (await store.annotations(d.id)).length };
        }),
      ),

    'documents.get': ({ documentId }) => guarded(() => doc(documentId)),

    'codebook.get': async () => ({ codes: store.project.codebook.codes }),

    'annotations.list': ({ documentId }) =>
      guarded(async () => {
        await doc(documentId);
        return [...(await store.annotations(documentId))].sort(compareAnnotations);
      }),

    'annotations.create': ({ documentId, start, end, codeIds, memo }) =>
      guarded(async () => {
        const { content, text } = await textOf(documentId);
        if (end > text.length) throw new ApiError('invalid_input', `The passage ends at ${end}, past the end of the document (${text.length}).`);
        const trimmed = trimRange(text, start, end);
        if (trimmed.end <= trimmed.start) throw new ApiError('invalid_input', 'The passage holds no text (only spaces or line breaks).');
        const range = snapToGraphemes(text, trimmed.start, trimmed.end);
        const codes = checkCodes(codeIds);
        const at = now();
        const annotation: Annotation = {
          id: randomUUID(),
          documentId,
          textHash: content.textHash,
          ...describeRange(text, range.start, range.end),
          codeIds: codes,
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
        await doc(documentId);
        const codes = codeIds ? checkCodes(codeIds) : undefined;
        const at = now();
        // Built inside the change, from the committed passage: concurrent updates of different fields both survive.
        return store.updateAnnotations(documentId, (list) => {
          const i = list.findIndex((a) => a.id === id);
          if (i < 0) throw notFound(documentId, id);
          const next: Annotation = { ...list[i]!, codeIds: codes ?? list[i]!.codeIds, memo: memo ?? list[i]!.memo, modified: at };
          list[i] = next;
          return next;
        });
      }),

    'annotations.delete': ({ documentId, id }) =>
      guarded(async () => {
        await doc(documentId);
        const gone = await store.updateAnnotations(documentId, (list) => {
          const i = list.findIndex((a) => a.id === id);
          if (i < 0) throw notFound(documentId, id);
          return list.splice(i, 1)[0]!;
        });
        deleted.set(id, gone);
        return gone;
      }),

    'annotations.restore': ({ documentId, id }) =>
      guarded(async () => {
        await doc(documentId);
        const gone = deleted.get(id);
        if (!gone || gone.documentId !== documentId) throw new ApiError('not_found', `No passage with id "${id}" was deleted from document "${documentId}" in this session.`);
        checkCodes(gone.codeIds);
        await store.updateAnnotations(documentId, (list) => {
          if (list.some((a) => a.id === id)) throw new ApiError('invalid_input', `A coded passage with id "${id}" already exists.`);
          list.push(gone);
        });
        deleted.delete(id);
        return gone;
      }),
  };
}
