import { describe, expect, it } from 'vitest';
import type { Code, PlacedAnnotation } from '../../shared/model';
import { PassageQueries, type PassageSource } from '../../main/core/passage-query';
import { QueryError, type QueryProject } from '../../shared/query';
import { compareAnnotations } from '../../shared/order';

// The project's passages asked with the query language: one snapshot per revision, sorted,
// handed out a page at a time with the words around each passage.

const code = (id: string, name: string, parentId: string | null = null): Code => ({ id, name, color: '#336699', description: '', parentId, slot: 0 });
const TEXTS: Record<string, string> = {
  d1: 'The state punishes the families of those who leave. Relatives are questioned and watched.',
  d2: 'Markets changed life in Hyesan. Remittances arrive by broker.',
};

function passage(id: string, documentId: string, words: string, codeIds: string[], created = '2024-01-01T00:00:00.000Z'): PlacedAnnotation {
  const start = TEXTS[documentId]!.indexOf(words);
  const end = start + words.length;
  return {
    id, documentId, textHash: 'h', codeIds, memo: '', coderId: 'me', created, modified: created, rev: 1,
    position: { type: 'TextPositionSelector', start, end },
    quote: { type: 'TextQuoteSelector', exact: words, prefix: '', suffix: '' },
    anchor: { status: 'exact', start, end },
  };
}

function setup() {
  let revision = 1;
  const passages: Record<string, PlacedAnnotation[]> = {
    d1: [passage('p2', 'd1', 'Relatives are questioned', ['sur'], '2024-03-01T00:00:00.000Z'), passage('p1', 'd1', 'punishes the families', ['rep'])],
    d2: [passage('p3', 'd2', 'Remittances arrive', ['eco'], '2023-05-01T00:00:00.000Z'), passage('p4', 'd2', 'Markets', [])],
  };
  const project: QueryProject = {
    codes: [code('eco', 'Economic change'), code('rep', 'Repression tactic'), code('sur', 'Surveillance', 'rep')],
    documents: [
      { id: 'd1', title: 'Families', values: { site: 'Seoul' } },
      { id: 'd2', title: 'Markets', values: { site: 'Busan' } },
    ],
    variables: [{ id: 'site', name: 'Site', type: 'choice', choices: ['Seoul', 'Busan'] }],
    coders: [],
  };
  let reads = 0;
  let projects = 0;
  const source: PassageSource = {
    revision: () => revision,
    project: () => (projects++, project),
    passages: async (id) => {
      reads++;
      return [...passages[id]!].sort(compareAnnotations);
    },
    text: async (id) => TEXTS[id] ?? null,
  };
  return { queries: new PassageQueries(source), passages, bump: () => revision++, reads: () => reads, projects: () => projects };
}

const ids = (a: { rows: { passage: PlacedAnnotation }[] }) => a.rows.map((r) => r.passage.id);

describe('asking the project for passages', () => {
  it('lists every passage in document and text order, with context and titles', async () => {
    const { queries } = setup();
    const all = await queries.run('', 'document', 0, 100);
    expect(all.total).toBe(4);
    expect(ids(all)).toEqual(['p1', 'p2', 'p4', 'p3']);
    expect(all.rows[0]).toMatchObject({ documentTitle: 'Families', before: 'The state ', after: ' of those who leave. Relatives are questioned and' });
  });

  it('filters by a query with codes and variables', async () => {
    const { queries } = setup();
    expect(ids(await queries.run('code:"Repression tactic"', 'document', 0, 100))).toEqual(['p1', 'p2']);
    expect(ids(await queries.run('@Site=Busan AND NOT uncoded', 'document', 0, 100))).toEqual(['p3']);
    await expect(queries.run('code:Nothing', 'document', 0, 100)).rejects.toThrow(QueryError);
  });

  it('sorts by code path, date and length, uncoded last by code', async () => {
    const { queries } = setup();
    expect(ids(await queries.run('', 'code', 0, 100))).toEqual(['p3', 'p1', 'p2', 'p4']);
    expect(ids(await queries.run('', 'created', 0, 100))).toEqual(['p3', 'p1', 'p4', 'p2']);
    expect(ids(await queries.run('', 'length', 0, 100))).toEqual(['p2', 'p1', 'p3', 'p4']);
  });

  it('hands out pages of the same answer', async () => {
    const { queries } = setup();
    const first = await queries.run('', 'document', 0, 3);
    const second = await queries.run('', 'document', 3, 3);
    expect([...ids(first), ...ids(second)]).toEqual(['p1', 'p2', 'p4', 'p3']);
    expect(second.total).toBe(4);
  });

  it('reads the passages again only when the project changed', async () => {
    const t = setup();
    await t.queries.run('', 'document', 0, 10);
    await t.queries.run('uncoded', 'document', 0, 10);
    expect(t.reads()).toBe(2);
    t.passages.d2!.push(passage('p5', 'd2', 'broker', ['eco']));
    expect((await t.queries.run('', 'document', 0, 10)).total).toBe(4);
    t.bump();
    expect((await t.queries.run('', 'document', 0, 10)).total).toBe(5);
    expect(t.reads()).toBe(4);
  });

  it('asks the source for the project once per revision, however many queries run', async () => {
    const t = setup();
    await t.queries.run('', 'document', 0, 10);
    await t.queries.run('code:"Repression tactic"', 'code', 0, 10);
    await t.queries.run('uncoded', 'document', 1, 10);
    expect(t.projects()).toBe(1);
    t.bump();
    expect((await t.queries.run('', 'document', 0, 10)).rows[0]!.documentTitle).toBe('Families');
    expect(t.projects()).toBe(2);
  });
});
