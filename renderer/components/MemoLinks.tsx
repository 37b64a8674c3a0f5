import type { Actions } from '../actions';
import type { Memo, PlacedAnnotation } from '../../shared/model';

/**
 * A passage's links to memos with a title, in its details: the memos it is linked to (each
 * opens in the memo dialog, or is unlinked), a memo to link it to, and a new memo on it.
 */
export function MemoLinks({ passage, memos, actions }: { passage: PlacedAnnotation; memos: readonly Memo[]; actions: Actions }) {
  const ref = { documentId: passage.documentId, id: passage.id };
  const linked = memos.filter((m) => m.passages.some((p) => p.id === passage.id));
  const others = memos.filter((m) => !linked.includes(m));
  return (
    <section class="memo-links" aria-labelledby="passage-memos-heading">
      <h3 id="passage-memos-heading">Linked memos</h3>
      {linked.length ? (
        <ul>
          {linked.map((m) => (
            <li key={m.id}>
              <button type="button" class="ghost" onClick={() => actions.openMemo({ id: m.id })}>
                {m.title}
              </button>
              <button type="button" class="ghost" aria-label={`Unlink from the memo “${m.title}”`} onClick={() => void actions.linkPassage(m.id, ref, false)}>
                Unlink
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div class="memo-link-actions">
        {others.length ? (
          <label>
            <span>Link to a memo</span>
            <select
              value=""
              onChange={(e) => {
                const el = e.target as HTMLSelectElement;
                const id = el.value;
                el.value = '';
                if (id) void actions.linkPassage(id, ref, true);
              }}
            >
              <option value="">Choose…</option>
              {others.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.title}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <button
          type="button"
          onClick={() => {
            void actions.createMemo('', '', { kind: 'document', id: passage.documentId }, [ref]).then((id) => id && actions.openMemo({ id }));
          }}
        >
          New memo on this passage…
        </button>
      </div>
    </section>
  );
}
