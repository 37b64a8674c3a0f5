import { randomUUID } from 'node:crypto';
import { ApiError, type ApiHandlers, type CommandResult } from '../../shared/api';
import { cleanName, COLLECTION_LIMITS } from '../../shared/collections';
import type { Annotation, Collection, CollectionItem, PlacedAnnotation } from '../../shared/model';
import { collectionFile, type CollectionQuote } from './collection-export';
import type { Command } from './commands';
import type { ProjectStore } from './store';

/**
 * Quote collections: passages gathered under a name, in order, each with a note, and each
 * collection as a file (Markdown with Pandoc citations, BibLaTeX, CSL-JSON, Word). Each change is
 * one `editCollection` command (collection-edit.ts), so one undo step, shown in every window.
 */

export interface CollectionDeps {
  store: ProjectStore;
  /** Runs a command for a window, recorded in its history (services.ts). */
  command(client: string, cmd: Command, label: string): Promise<CommandResult>;
  now(): string;
  /** A document's passages as stored. */
  annotations(documentId: string): Promise<readonly Annotation[]>;
  /** A document's passages with where they are now. */
  placed(documentId: string): Promise<readonly PlacedAnnotation[]>;
}

type CollectionMethods =
  | 'collections.create'
  | 'collections.rename'
  | 'collections.delete'
  | 'collections.addQuote'
  | 'collections.removeQuote'
  | 'collections.moveQuote'
  | 'collections.setNote'
  | 'collections.export';

const UNTITLED = 'Untitled collection';

export function collectionHandlers(deps: CollectionDeps): Pick<ApiHandlers, CollectionMethods> {
  const { store } = deps;
  const collections = (): Collection[] => store.project.collections ?? [];
  const collection = (id: string): Collection => {
    const found = collections().find((c) => c.id === id);
    if (!found) throw new ApiError('not_found', 'The collection was deleted, perhaps in another window.');
    return found;
  };
  const label = (c: Collection): string => (c.name.length > 40 ? `${c.name.slice(0, 40)}…` : c.name);
  const quoteAt = (c: Collection, passageId: string): number => {
    const at = c.items.findIndex((q) => q.passageId === passageId);
    if (at < 0) throw new ApiError('not_found', 'The quote is no longer in the collection, perhaps removed in another window.');
    return at;
  };

  const edit = async (client: string, before: Collection | null, after: Collection | null, what: string): Promise<CommandResult> => {
    const id = (before ?? after)!.id;
    const result = await deps.command(client, { kind: 'editCollection', id, before, after }, what);
    return { ...result, collectionId: id };
  };
  const changed = (c: Collection, items: CollectionItem[]): Collection => ({ ...c, items, modified: deps.now() });

  return {
    'collections.create': async ({ name }, { client }) => {
      if (collections().length >= COLLECTION_LIMITS.collections) throw new ApiError('invalid_input', `A project holds at most ${COLLECTION_LIMITS.collections.toLocaleString('en')} collections.`);
      const at = deps.now();
      const made: Collection = { id: randomUUID(), name: cleanName(name) || UNTITLED, items: [], created: at, modified: at };
      return edit(client, null, made, `make collection “${label(made)}”`);
    },

    'collections.rename': async ({ id, name, base }, { client }) => {
      const now = collection(id);
      if (now.name !== base) throw new ApiError('conflict', `The collection was renamed “${now.name}” in another window since. Nothing was changed.`);
      const clean = cleanName(name) || UNTITLED;
      if (clean === now.name) throw new ApiError('invalid_input', `The collection is called “${clean}” already.`);
      return edit(client, now, { ...now, name: clean, modified: deps.now() }, `rename collection “${label(now)}”`);
    },

    'collections.delete': async ({ id }, { client }) => {
      const now = collection(id);
      return edit(client, now, null, `delete collection “${label(now)}”`);
    },

    'collections.addQuote': async ({ id, passage, note }, { client }) => {
      const now = collection(id);
      if (now.items.some((q) => q.passageId === passage.id)) throw new ApiError('invalid_input', `The passage is in the collection “${now.name}” already.`);
      if (now.items.length >= COLLECTION_LIMITS.items) throw new ApiError('invalid_input', `A collection holds at most ${COLLECTION_LIMITS.items.toLocaleString('en')} quotes.`);
      if (!store.project.documents.some((d) => d.id === passage.documentId) || !(await deps.annotations(passage.documentId)).some((a) => a.id === passage.id)) {
        throw new ApiError('not_found', 'The passage was deleted, perhaps in another window.');
      }
      const items = [...now.items, { documentId: passage.documentId, passageId: passage.id, note: note ?? '' }];
      return edit(client, now, changed(now, items), `add a quote to collection “${label(now)}”`);
    },

    'collections.removeQuote': async ({ id, passageId }, { client }) => {
      const now = collection(id);
      const at = quoteAt(now, passageId);
      return edit(client, now, changed(now, now.items.filter((_, i) => i !== at)), `remove a quote from collection “${label(now)}”`);
    },

    'collections.moveQuote': async ({ id, passageId, before }, { client }) => {
      const now = collection(id);
      const at = quoteAt(now, passageId);
      if (before === passageId) throw new ApiError('invalid_input', 'A quote cannot be moved before itself.');
      const moving = now.items[at]!;
      const rest = now.items.filter((_, i) => i !== at);
      const to = before === null ? rest.length : rest.findIndex((q) => q.passageId === before);
      if (to < 0) throw new ApiError('not_found', 'The quote to move before is no longer in the collection.');
      const items = [...rest.slice(0, to), moving, ...rest.slice(to)];
      if (items.every((q, i) => q === now.items[i])) throw new ApiError('invalid_input', 'The quote is there already.');
      return edit(client, now, changed(now, items), `move a quote in collection “${label(now)}”`);
    },

    'collections.setNote': async ({ id, passageId, note, base }, { client }) => {
      const now = collection(id);
      const at = quoteAt(now, passageId);
      const item = now.items[at]!;
      if (item.note !== base) throw new ApiError('conflict', 'The note was changed in another window since you began. Your text was not saved over it.', { memo: item.note });
      if (note === item.note) throw new ApiError('invalid_input', 'The note is as it was: nothing to save.');
      const items = now.items.map((q, i) => (i === at ? { ...q, note } : q));
      return edit(client, now, changed(now, items), `edit a note in collection “${label(now)}”`);
    },

    'collections.export': async ({ id, format, style }) => {
      const c = collection(id);
      const quotes: CollectionQuote[] = [];
      const placedOf = new Map<string, readonly PlacedAnnotation[]>();
      for (const item of c.items) {
        const entry = store.project.documents.find((d) => d.id === item.documentId);
        if (!entry) continue;
        let list = placedOf.get(item.documentId);
        if (!list) placedOf.set(item.documentId, (list = await deps.placed(item.documentId)));
        const passage = list.find((p) => p.id === item.passageId);
        if (!passage) continue;
        const content = (await store.document(item.documentId))!;
        quotes.push({ item, passage, content, imported: entry.citation?.item });
      }
      return collectionFile(c.name, quotes, format, style ?? 'apa');
    },
  };
}
