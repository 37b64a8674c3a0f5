import type { Actions } from '../actions';
import type { Collection, PassageRef } from '../../shared/model';

const NEW = '\u0000new';

/**
 * “Add to collection”: a select of the project's quote collections and “New collection…”;
 * choosing one adds the passage there (one undoable step) and the select goes back to its prompt.
 * A collection that holds the passage already is offered disabled.
 */
export function AddToCollection({ passage, collections, actions, label, tabbable = true, class: className }: { passage: PassageRef; collections: readonly Collection[]; actions: Pick<Actions, 'addQuote' | 'addToNewCollection' | 'notify'>; label: string; tabbable?: boolean; class?: string }) {
  return (
    <select
      class={className ?? 'add-to-collection'}
      aria-label={label}
      tabIndex={tabbable ? 0 : -1}
      value=""
      onChange={(e) => {
        const select = e.currentTarget as HTMLSelectElement;
        const choice = select.value;
        select.value = '';
        if (choice === NEW) void actions.addToNewCollection(passage);
        else if (choice) {
          const name = collections.find((c) => c.id === choice)?.name ?? 'the collection';
          void actions.addQuote(choice, passage).then((done) => done && actions.notify('info', `Added to “${name}”.`));
        }
      }}
    >
      <option value="">Add to collection…</option>
      {collections.map((c) => (
        <option key={c.id} value={c.id} disabled={c.items.some((q) => q.passageId === passage.id)}>
          {c.name}
        </option>
      ))}
      <option value={NEW}>New collection…</option>
    </select>
  );
}
