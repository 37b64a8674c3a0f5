import { describe, expect, it } from 'vitest';
import { PAGE_SIZE, PassagePages, type PageFetch, type PassageRow } from '../../renderer/passage-pages';
import { choose, chosenCount, isChosen, NOTHING, recodeTarget } from '../../renderer/passage-selection';

// The passages view's rows, a page at a time from main, and its selection.

const rowOf = (id: string): PassageRow => ({ passage: { id, documentId: 'd' } as PassageRow['passage'], documentTitle: 'D', before: '', after: '' });

/** A fake main whose answers the test lets through one by one. */
function fakeMain(total: () => number, revision: () => number) {
  const calls: { query: string; offset: number; resolve: () => void; reject: (e: Error) => void }[] = [];
  const fetch: PageFetch = (query, _sort, offset, limit) =>
    new Promise((resolve, reject) => {
      const answer = { revision: revision(), total: total(), rows: Array.from({ length: Math.max(0, Math.min(limit, total() - offset)) }, (_, i) => rowOf(`${query}:${revision()}:${offset + i}`)) };
      calls.push({ query, offset, resolve: () => resolve(answer), reject });
    });
  return { fetch, calls };
}
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('the passages view’s pages', () => {
  it('asks for the first page of a query, then only the pages drawn', async () => {
    const main = fakeMain(() => 1000, () => 1);
    const pages = new PassagePages(main.fetch);
    pages.setQuery('q', 'document');
    expect(pages.state).toMatchObject({ total: null, loading: true });
    main.calls[0]!.resolve();
    await settle();
    expect(pages.state).toMatchObject({ total: 1000, loading: false, error: null });
    expect(pages.row(0)?.passage.id).toBe('q:1:0');
    expect(pages.row(PAGE_SIZE)).toBeUndefined();
    pages.want(450, 520);
    expect(main.calls.slice(1).map((c) => c.offset)).toEqual([400, 500]);
    // Asked again while on their way: not asked twice.
    pages.want(450, 520);
    expect(main.calls).toHaveLength(3);
  });

  it('drops the answers to an earlier query', async () => {
    const main = fakeMain(() => 10, () => 1);
    const pages = new PassagePages(main.fetch);
    pages.setQuery('old', 'document');
    pages.setQuery('new', 'document');
    main.calls[1]!.resolve();
    main.calls[0]!.resolve();
    await settle();
    expect(pages.row(0)?.passage.id).toBe('new:1:0');
    expect(pages.state.generation).toBe(2);
  });

  it('keeps the rows on screen after a change until their new page comes, and drops the others', async () => {
    let revision = 1;
    const main = fakeMain(() => 300, () => revision);
    const pages = new PassagePages(main.fetch);
    pages.setQuery('q', 'document');
    main.calls[0]!.resolve();
    await settle();
    pages.want(250, 260);
    main.calls[1]!.resolve();
    await settle();
    expect(pages.row(255)?.passage.id).toBe('q:1:255');
    revision = 2;
    pages.refresh();
    // Still shown while its page is on its way; the first page, off screen, is dropped.
    expect(pages.row(255)?.passage.id).toBe('q:1:255');
    expect(pages.row(0)).toBeUndefined();
    main.calls.at(-1)!.resolve();
    await settle();
    expect(pages.row(255)?.passage.id).toBe('q:2:255');
  });

  it('says why a query cannot be run, and runs it again after a change', async () => {
    const main = fakeMain(() => 3, () => 1);
    const pages = new PassagePages(main.fetch);
    pages.setQuery('code:Nope', 'document');
    main.calls[0]!.reject(new Error('No code is named “Nope”.'));
    await settle();
    expect(pages.state).toMatchObject({ error: 'No code is named “Nope”.', total: null, loading: false });
    pages.refresh();
    main.calls[1]!.resolve();
    await settle();
    expect(pages.state).toMatchObject({ error: null, total: 3 });
  });
});

describe('the passages view’s selection', () => {
  const a = { documentId: 'd1', id: 'a' };
  const b = { documentId: 'd2', id: 'b' };
  it('chooses passages one by one or as a run, and all of a query', () => {
    const some = choose(NOTHING, [a, b], true);
    expect([isChosen(some, 'a'), isChosen(some, 'b'), chosenCount(some, 50)]).toEqual([true, true, 2]);
    const one = choose(some, [a], false);
    expect(recodeTarget(one, 'q')).toEqual({ passages: [b] });
    const all = { all: true, refs: new Map() };
    expect([isChosen(all, 'zzz'), chosenCount(all, 50)]).toEqual([true, 50]);
    expect(recodeTarget(all, 'code:X')).toEqual({ query: 'code:X' });
    // Choosing by hand after "all" starts again from those.
    expect(chosenCount(choose(all, [a], true), 50)).toBe(1);
  });
});
