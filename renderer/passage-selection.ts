import type { PassageRef } from '../shared/model';

/**
 * The passages view's selection, for recoding many passages at once: passages chosen one by one
 * (or a run of them, with Shift), or every passage the query gives, however many — those need
 * not have been read from main, the query names them.
 */


export interface Selection {
  /** Every passage of the query (the rows need not be loaded); `refs` is then empty. */
  all: boolean;
  refs: ReadonlyMap<string, PassageRef>;
}

export const NOTHING: Selection = { all: false, refs: new Map() };

/** Whether a passage is chosen. */
export function isChosen(sel: Selection, id: string): boolean {
  return sel.all || sel.refs.has(id);
}

/** The selection with `refs` chosen (`on`) or not; choosing one by one ends "every passage". */
export function choose(sel: Selection, refs: readonly PassageRef[], on: boolean): Selection {
  const next = new Map(sel.all ? [] : sel.refs);
  for (const r of refs) {
    if (on) next.set(r.id, r);
    else next.delete(r.id);
  }
  return { all: false, refs: next };
}

/** How many passages are chosen, of `total` matching the query. */
export function chosenCount(sel: Selection, total: number): number {
  return sel.all ? total : sel.refs.size;
}

/** What to recode: the passages chosen, or the query when every passage of it is. */
export function recodeTarget(sel: Selection, query: string): { passages: PassageRef[] } | { query: string } {
  return sel.all ? { query } : { passages: [...sel.refs.values()] };
}
