import { useEffect, useRef, useState } from 'preact/hooks';
import type { Actions } from '../actions';
import { COLLECTION_FORMATS } from '../collection-actions';
import type { Collection, CollectionItem, PlacedAnnotation } from '../../shared/model';
import { storedCitationStyle } from '../preferences';
import type { AppState } from '../state';
import { useStore, type Store } from '../store';
import { DeleteQuestion } from './Dialogs';
import { excerpt } from '../excerpt';

/**
 * The quote collections view: the project's collections (made, renamed, deleted here), the
 * chosen one's quotes in their order, each with its words, its document and a note saved when
 * the field is left, moved up or down, removed, or opened in its article; and the collection
 * exported as Markdown with Pandoc citations, BibTeX, CSL-JSON or DOCX.
 */


/** A quote's note: typed freely, saved when the field is left, over the note as this window showed it. */
function NoteField({ collection, item, actions, label }: { collection: Collection; item: CollectionItem; actions: Actions; label: string }) {
  const [text, setText] = useState(item.note);
  const base = useRef(item.note);
  const [conflict, setConflict] = useState<{ message: string; theirs: string } | null>(null);
  const editing = useRef(false);
  // Another window's save (or an undo) shows here unless the user is typing.
  useEffect(() => {
    if (!editing.current && !conflict) {
      setText(item.note);
      base.current = item.note;
    }
  }, [item.note]);
  const save = async (note: string, over: string): Promise<void> => {
    if (note === over) return;
    const r = await actions.saveNote(collection.id, item.passageId, note, over);
    if (r === null) {
      base.current = note;
      setConflict(null);
    } else if (r !== 'failed') setConflict(r);
  };
  const id = `note-${item.passageId}`;
  return (
    <div class="collection-note">
      <label for={id}>Note</label>
      <textarea
        id={id}
        aria-label={label}
        rows={2}
        value={text}
        onFocus={() => (editing.current = true)}
        onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
        onBlur={() => {
          editing.current = false;
          void save(text, base.current);
        }}
      />
      {conflict ? (
        <div class="collection-conflict" role="alert">
          <p>{conflict.message}</p>
          <p>
            Their note: <q>{conflict.theirs}</q>
          </p>
          <button
            type="button"
            onClick={() => {
              const theirs = conflict.theirs;
              setConflict(null);
              void save(text, theirs);
            }}
          >
            Keep mine
          </button>
          <button
            type="button"
            onClick={() => {
              base.current = conflict.theirs;
              setText(conflict.theirs);
              setConflict(null);
            }}
          >
            Take theirs
          </button>
        </div>
      ) : null}
    </div>
  );
}

export function CollectionsView({ store, actions, shown }: { store: Store<AppState>; actions: Actions; shown: boolean }) {
  const collections = useStore(store, (s) => s.collections);
  const documents = useStore(store, (s) => s.documents);
  const location = useStore(store, (s) => s.project?.location);
  const revision = useStore(store, (s) => s.revision);
  const [chosenId, setChosenId] = useState<string | null>(null);
  const [naming, setNaming] = useState<'new' | 'rename' | null>(null);
  const [name, setName] = useState('');
  const [deleting, setDeleting] = useState(false);
  const [passages, setPassages] = useState<Map<string, PlacedAnnotation>>(new Map());
  const question = useRef<HTMLDivElement>(null);
  const nameField = useRef<HTMLInputElement>(null);

  const chosen = collections.find((c) => c.id === chosenId) ?? collections[0] ?? null;
  const items = chosen?.items ?? [];
  // The passages' words, read again when the collection or the project changes (while shown).
  const wanted = items.map((q) => q.passageId).join(',');
  useEffect(() => {
    if (!shown || !chosen) return;
    let live = true;
    void actions.passagesOf(items.map((q) => ({ documentId: q.documentId, id: q.passageId }))).then((m) => live && setPassages(m));
    return () => {
      live = false;
    };
  }, [shown, chosen?.id, wanted, revision]);
  useEffect(() => {
    if (naming) nameField.current?.focus();
  }, [naming]);

  const titleOf = (id: string): string => documents.find((d) => d.id === id)?.meta.title ?? 'A deleted document';
  const submitName = async (): Promise<void> => {
    if (naming === 'new') {
      const id = await actions.createCollection(name);
      if (id) setChosenId(id);
    } else if (naming === 'rename' && chosen) {
      if (name.trim() && name !== chosen.name && !(await actions.renameCollection(chosen.id, name, chosen.name))) return;
    }
    setNaming(null);
  };
  const move = (at: number, by: -1 | 1): void => {
    if (!chosen) return;
    const q = items[at]!;
    // Up: before the one above. Down: before the one two below (or last).
    const before = by < 0 ? items[at - 1]!.passageId : (items[at + 2]?.passageId ?? null);
    void actions.moveQuote(chosen.id, q.passageId, before);
  };

  return (
    <section class="retrieval collections-view" id="view-collections" aria-label="Collections" hidden={!shown}>
      <div class="retrieval-head">
        <h2>Collections</h2>
        <div class="retrieval-line">
          {collections.length ? (
            <>
              <label for="collection-choice">Collection</label>
              <select id="collection-choice" value={chosen?.id ?? ''} onChange={(e) => setChosenId((e.target as HTMLSelectElement).value)}>
                {collections.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name} ({c.items.length})
                  </option>
                ))}
              </select>
            </>
          ) : null}
          <button
            type="button"
            class="primary"
            onClick={() => {
              setName('');
              setNaming('new');
            }}
          >
            New collection…
          </button>
          {chosen ? (
            <>
              <button
                type="button"
                onClick={() => {
                  setName(chosen.name);
                  setNaming('rename');
                }}
              >
                Rename…
              </button>
              <button type="button" class="danger" onClick={() => setDeleting(true)}>
                Delete…
              </button>
            </>
          ) : null}
        </div>
        {naming ? (
          <form
            class="retrieval-line"
            onSubmit={(e) => {
              e.preventDefault();
              void submitName();
            }}
            onKeyDown={(e) => e.key === 'Escape' && setNaming(null)}
          >
            <label for="collection-name">{naming === 'new' ? 'Name of the new collection' : 'New name'}</label>
            <input id="collection-name" ref={nameField} value={name} maxLength={200} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
            <button type="submit" class="primary">
              {naming === 'new' ? 'Make collection' : 'Rename'}
            </button>
            <button type="button" onClick={() => setNaming(null)}>
              Cancel
            </button>
          </form>
        ) : null}
        {chosen ? (
          <div class="retrieval-bar">
            <p class="retrieval-status" role="status" aria-live="polite">
              {items.length.toLocaleString()} quote{items.length === 1 ? '' : 's'}
            </p>
            <div class="retrieval-actions" role="group" aria-label="Export the collection">
              {COLLECTION_FORMATS.map((f) => (
                <button key={f.format} type="button" title={f.format === 'docx' ? 'A Word document, cited in the style chosen for quotations' : undefined} onClick={() => void actions.exportCollection(chosen.id, f.format, storedCitationStyle(location))}>
                  Export {f.label}…
                </button>
              ))}
            </div>
          </div>
        ) : null}
      </div>
      {/* Drawn while shown only: nothing is laid out behind the article, nor found there. */}
      <div class="retrieval-rows">
        {shown && chosen && items.length ? (
          <ol class="collection-quotes" aria-label={`Quotes of “${chosen.name}”`}>
            {items.map((q, i) => {
              const p = passages.get(q.passageId);
              const words = p ? excerpt(p.quote.exact, 400) : 'A deleted passage';
              const short = p ? excerpt(p.quote.exact, 50) : 'a deleted passage';
              return (
                <li key={q.passageId} class="collection-quote">
                  <blockquote class="quote">{words}</blockquote>
                  <p class="muted">{titleOf(q.documentId)}</p>
                  <NoteField collection={chosen} item={q} actions={actions} label={`Note on “${short}”`} />
                  <div class="collection-quote-actions">
                    <button type="button" disabled={i === 0} aria-label={`Move up “${short}”`} onClick={() => move(i, -1)}>
                      Move up
                    </button>
                    <button type="button" disabled={i === items.length - 1} aria-label={`Move down “${short}”`} onClick={() => move(i, 1)}>
                      Move down
                    </button>
                    {p ? (
                      <button type="button" aria-label={`Open in article “${short}”`} onClick={() => void actions.openPassage({ passage: p, documentTitle: titleOf(q.documentId), before: '', after: '' })}>
                        Open in article
                      </button>
                    ) : null}
                    <button type="button" class="danger" aria-label={`Remove “${short}” from the collection`} onClick={() => void actions.removeQuote(chosen.id, q.passageId)}>
                      Remove
                    </button>
                  </div>
                </li>
              );
            })}
          </ol>
        ) : null}
        {shown && !chosen ? <p class="muted">No collection yet: New collection… makes one, and a passage’s details or a row of All passages add to it.</p> : null}
        {shown && chosen && !items.length ? <p class="muted">No quote in this collection yet: add passages from their details or from All passages.</p> : null}
      </div>
      {deleting && chosen ? (
        <div class="modal-backdrop">
          <DeleteQuestion
            id="collection-delete"
            heading={`Delete the collection “${chosen.name}”?`}
            text={`Its ${items.length} quote${items.length === 1 ? '' : 's'} and their notes go with it; the passages stay. Undo brings it back.`}
            dialog={question}
            onCancel={() => setDeleting(false)}
            onDelete={() => {
              setDeleting(false);
              void actions.deleteCollection(chosen.id);
            }}
          />
        </div>
      ) : null}
    </section>
  );
}
