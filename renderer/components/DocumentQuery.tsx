import type { DocumentVariable } from '../../shared/model';
import { DEFAULT_VIEW, boundProblem, emptyCondition, type DocumentView, type SortKey, type VariableCondition, type VariableFilter } from '../document-query';

/**
 * Above the documents list: Sort by (list order, title, date, coded passages, each variable)
 * with its direction, and the filters: words in the title, authors or publication, and a
 * condition per variable chosen under "Filter by variable" (one or more choices; yes, no or not
 * set; a range of numbers or of dates). The view is the window's own (document-query.ts).
 */
export function DocumentQuery({ view, variables, onView }: { view: DocumentView; variables: readonly DocumentVariable[]; onView: (view: DocumentView) => void }) {
  const byId = new Map(variables.map((v) => [v.id, v]));
  const sortKeyKnown = !view.sort.key.startsWith('variable:') || byId.has(view.sort.key.slice('variable:'.length));
  const sortKey = sortKeyKnown ? view.sort.key : 'list';
  const filters = view.filter.variables.filter((f) => byId.has(f.variableId));
  const offered = variables.filter((v) => !filters.some((f) => f.variableId === v.id));
  const setFilters = (variables: VariableFilter[]): void => onView({ ...view, filter: { ...view.filter, variables } });
  const setCondition = (variableId: string, condition: VariableCondition): void => setFilters(filters.map((f) => (f.variableId === variableId ? { variableId, condition } : f)));
  return (
    <div class="documents-query">
      <div class="documents-sort">
        <label for="documents-sort-by">Sort by</label>
        <select
          id="documents-sort-by"
          value={sortKey}
          onChange={(e) => {
            const key = (e.target as HTMLSelectElement).value as SortKey;
            // List order has no direction: it is the project's own.
            onView({ ...view, sort: { key, descending: key === 'list' ? false : view.sort.descending } });
          }}
        >
          <option value="list">List order</option>
          <option value="title">Title</option>
          <option value="date">Date</option>
          <option value="passages">Coded passages</option>
          {variables.length ? (
            <optgroup label="Variables">
              {variables.map((v) => (
                <option key={v.id} value={`variable:${v.id}`}>
                  {v.name}
                </option>
              ))}
            </optgroup>
          ) : null}
        </select>
        {sortKey !== 'list' ? (
          <select aria-label="Sort direction" value={view.sort.descending ? 'descending' : 'ascending'} onChange={(e) => onView({ ...view, sort: { ...view.sort, descending: (e.target as HTMLSelectElement).value === 'descending' } })}>
            <option value="ascending">Ascending</option>
            <option value="descending">Descending</option>
          </select>
        ) : null}
      </div>
      <input
        type="search"
        class="documents-filter"
        aria-label="Filter documents"
        placeholder="Filter: title, authors, publication"
        value={view.filter.text}
        onInput={(e) => onView({ ...view, filter: { ...view.filter, text: (e.target as HTMLInputElement).value } })}
      />
      {offered.length ? (
        <select
          aria-label="Filter by variable"
          value=""
          onChange={(e) => {
            const v = byId.get((e.target as HTMLSelectElement).value);
            (e.target as HTMLSelectElement).value = '';
            if (v) setFilters([...filters, { variableId: v.id, condition: emptyCondition(v) }]);
          }}
        >
          <option value="">Filter by variable…</option>
          {offered.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
            </option>
          ))}
        </select>
      ) : null}
      {filters.map((f) => {
        const v = byId.get(f.variableId)!;
        // A condition kept from before the variable's type changed starts afresh.
        const condition = f.condition.type === v.type ? f.condition : emptyCondition(v);
        return (
          <fieldset key={f.variableId} class="variable-filter">
            <legend>{v.name}</legend>
            <Condition variable={v} condition={condition} onChange={(c) => setCondition(v.id, c)} />
            <button type="button" class="ghost" aria-label={`Remove filter by “${v.name}”`} onClick={() => setFilters(filters.filter((x) => x.variableId !== v.id))}>
              Remove filter
            </button>
          </fieldset>
        );
      })}
    </div>
  );
}

/** A view with no filter, its sort kept. */
export function withoutFilters(view: DocumentView): DocumentView {
  return { ...view, filter: DEFAULT_VIEW.filter };
}

function Condition({ variable: v, condition: c, onChange }: { variable: DocumentVariable; condition: VariableCondition; onChange: (c: VariableCondition) => void }) {
  const id = `filter-${v.id}`;
  const valueOf = (e: Event): string => (e.target as HTMLInputElement).value;
  switch (c.type) {
    case 'choice':
      return (
        <div class="filter-choices">
          {[...(v.choices ?? []).map((choice) => ({ choice, label: choice })), { choice: null, label: 'Not set' }].map(({ choice, label }) => (
            <label key={choice ?? ''}>
              <input
                type="checkbox"
                checked={choice === null ? c.notSet : c.values.includes(choice)}
                onChange={(e) => {
                  const on = (e.target as HTMLInputElement).checked;
                  if (choice === null) onChange({ ...c, notSet: on });
                  else onChange({ ...c, values: on ? [...c.values, choice] : c.values.filter((x) => x !== choice) });
                }}
              />{' '}
              {label}
            </label>
          ))}
        </div>
      );
    case 'boolean':
      return (
        <select aria-label={`${v.name}: which documents`} value={c.value} onChange={(e) => onChange({ type: 'boolean', value: valueOf(e) as typeof c.value })}>
          <option value="any">Any</option>
          <option value="yes">Yes</option>
          <option value="no">No</option>
          <option value="unset">Not set</option>
        </select>
      );
    case 'text':
      return <input type="text" aria-label={`${v.name} contains`} placeholder="Contains…" value={c.contains} onInput={(e) => onChange({ type: 'text', contains: valueOf(e) })} />;
    case 'number':
    case 'date': {
      const [lo, hi] = c.type === 'number' ? ([c.min, c.max] as const) : ([c.from, c.to] as const);
      const put = (which: 0 | 1) => (e: Event) => {
        const text = valueOf(e);
        const pair: [string, string] = which === 0 ? [text, hi] : [lo, text];
        onChange(c.type === 'number' ? { type: 'number', min: pair[0], max: pair[1] } : { type: 'date', from: pair[0], to: pair[1] });
      };
      const labels = c.type === 'number' ? ['At least', 'At most'] : ['From', 'To'];
      const problems = [boundProblem(c.type, lo), boundProblem(c.type, hi)];
      return (
        <div class="filter-range">
          {[lo, hi].map((text, i) => (
            <span key={i} class="filter-bound">
              <label for={`${id}-${i}`}>{labels[i]}</label>
              <input
                id={`${id}-${i}`}
                type="text"
                inputMode={c.type === 'number' ? 'decimal' : undefined}
                placeholder={c.type === 'date' ? 'YYYY-MM-DD' : undefined}
                value={text}
                aria-invalid={problems[i] ? true : undefined}
                aria-describedby={problems[i] ? `${id}-${i}-problem` : undefined}
                onInput={put(i as 0 | 1)}
              />
              {problems[i] ? (
                <span id={`${id}-${i}-problem`} class="field-hint error-text">
                  {problems[i]}
                </span>
              ) : null}
            </span>
          ))}
        </div>
      );
    }
  }
}
