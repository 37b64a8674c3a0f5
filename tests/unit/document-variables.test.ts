import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatch, type ApiHandlers } from '../../shared/api';
import type { DocumentVariable, VariableValue } from '../../shared/model';
import { PROJECT_FILE } from '../../main/core/files';
import { ProjectOpenError, ProjectStore } from '../../main/core/store';
import { applyEvent } from '../../renderer/changes';
import { initialState } from '../../renderer/state';
import { docFile, p, servicesFor, tempDir } from '../support/project';
import { refusal, useServices } from '../support/services';

// Document variables (typed attributes such as site or wave): defined, renamed, reordered,
// converted and deleted as undoable steps; values set with a document's properties, checked
// against their variable's type; kept in the project file over reopening and the change log.

const ctx = { client: 'window-1' };
const other = { client: 'window-2' };

describe('document variables', () => {
  const env = useServices('gloss-variables-', docFile('one', 'One', p('alpha')), docFile('two', 'Two', p('beta')), docFile('three', 'Three', p('gamma')));
  const variables = async (): Promise<DocumentVariable[]> => (await env.api['workspace.get']({}, ctx)).variables;
  const valuesOf = async (id: string): Promise<Record<string, VariableValue> | undefined> => (await env.api['documents.list']({}, ctx)).find((d) => d.id === id)!.values;
  const create = async (name: string, type: DocumentVariable['type'], choices?: string[], who = ctx): Promise<string> =>
    (await env.api['variables.create']({ name, type, ...(choices ? { choices } : {}) }, who)).variableId!;
  const setValues = (documentId: string, values: Record<string, VariableValue | null>, valuesBase: Record<string, VariableValue | null> = {}, who = ctx) =>
    env.api['documents.update']({ documentId, changes: {}, base: {}, values, valuesBase }, who);

  it('defines, renames, reorders and deletes variables, each one undoable step', async () => {
    expect(await variables()).toEqual([]);
    const made = await env.api['variables.create']({ name: '  Site ', type: 'choice', choices: ['Seoul', ' Busan '] }, ctx);
    expect(made.history.undo).toBe('create variable');
    expect(made.event.changes).toContainEqual({ type: 'variables', variables: [{ id: made.variableId, name: 'Site', type: 'choice', choices: ['Seoul', 'Busan'] }] });
    const site = made.variableId!;
    // A window applying the event has the variables.
    expect(applyEvent(initialState, made.event).variables).toEqual([{ id: site, name: 'Site', type: 'choice', choices: ['Seoul', 'Busan'] }]);
    const wave = await create('Wave', 'number');
    expect((await variables()).map((v) => v.name)).toEqual(['Site', 'Wave']);

    expect((await refusal(create('site', 'text'))).message).toBe('A variable is called “Site” already.');
    expect((await refusal(create('x'.repeat(201), 'text'))).message).toMatch(/at most 200 characters/);
    expect((await refusal(create('Region', 'choice', ['North', 'north']))).message).toMatch(/“north” is a choice twice/);
    expect((await refusal(create('Region', 'choice'))).message).toMatch(/needs at least one choice/);
    expect((await refusal(create('Region', 'text', ['a']))).message).toMatch(/Only a variable of one of a list has choices/);
    expect((await dispatch(env.api, 'variables.create', { name: '   ', type: 'text' }, ctx)).ok).toBe(false);
    expect((await dispatch(env.api, 'variables.create', { name: 'Mood', type: 'colour' }, ctx)).ok).toBe(false);

    const moved = await env.api['variables.move']({ id: wave, before: site }, ctx);
    expect(moved.history.undo).toBe('move variable');
    expect((await variables()).map((v) => v.name)).toEqual(['Wave', 'Site']);
    await env.api['variables.update']({ id: site, name: 'City' }, ctx);
    expect((await variables()).map((v) => v.name)).toEqual(['Wave', 'City']);
    expect((await env.api['history.undo']({}, ctx))!.history.redo).toBe('rename variable');
    expect((await variables()).map((v) => v.name)).toEqual(['Wave', 'Site']);
    await env.api['history.undo']({}, ctx);
    expect((await variables()).map((v) => v.name)).toEqual(['Site', 'Wave']);
    await env.api['history.redo']({}, ctx);
    expect((await variables()).map((v) => v.name)).toEqual(['Wave', 'Site']);

    const deleted = await env.api['variables.delete']({ id: wave }, ctx);
    expect(deleted.history.undo).toBe('delete variable “Wave”');
    expect((await variables()).map((v) => v.id)).toEqual([site]);
    await env.api['history.undo']({}, ctx);
    expect((await variables()).map((v) => v.id)).toEqual([wave, site]);
    await env.reopen();
    expect((await variables()).map((v) => v.id)).toEqual([wave, site]);
    // Undoing the creation takes the variable away; redoing it brings it back under its id.
    const mood = await create('Mood', 'text');
    await env.api['history.undo']({}, ctx);
    expect((await variables()).map((v) => v.id)).toEqual([wave, site]);
    await env.api['history.redo']({}, ctx);
    expect((await variables()).map((v) => v.id)).toEqual([wave, site, mood]);
  });

  it('sets values with the properties, checked against each type, as one undoable step with the fields and memo', async () => {
    const site = await create('Site', 'choice', ['Seoul', 'Busan']);
    const wave = await create('Wave', 'number');
    const when = await create('Interviewed', 'date');
    const consent = await create('Consent', 'boolean');
    const who = await create('Interviewee', 'text');
    const saved = await env.api['documents.update'](
      { documentId: 'one', changes: { title: 'One, revised', memo: 'Long talk.' }, base: { title: 'One' }, values: { [site]: 'Busan', [wave]: 2, [when]: '2020-02', [consent]: false, [who]: '  Kim   Ji-woo ' }, valuesBase: {} },
      ctx,
    );
    expect(saved.history.undo).toBe('edit document properties');
    const summary = saved.event.changes.find((c) => c.type === 'document');
    expect(summary).toMatchObject({ summary: { id: 'one', memo: 'Long talk.', values: { [site]: 'Busan', [wave]: 2, [when]: '2020-02', [consent]: false, [who]: 'Kim Ji-woo' } } });
    // Another window applying the event shows the values.
    const state = applyEvent({ ...initialState, documents: await env.api['documents.list']({}, ctx) }, saved.event);
    expect(state.documents.find((d) => d.id === 'one')!.values).toEqual({ [site]: 'Busan', [wave]: 2, [when]: '2020-02', [consent]: false, [who]: 'Kim Ji-woo' });

    for (const [id, value, why] of [
      [wave, 'two', /The value of “Wave” must be a number/],
      [when, '2021-02-30', /The value of “Interviewed” must be a date that exists/],
      [when, '2021-13', /must be a date that exists/],
      [when, 'March 2021', /must be a date that exists/],
      [site, 'Daegu', /The value of “Site” must be one of: Seoul, Busan \(not “Daegu”\)/],
      [consent, 'yes', /The value of “Consent” must be yes or no/],
      [who, 'a\u0007b', /must be one line of text/],
      [wave, Number.POSITIVE_INFINITY, /The value of “Wave” must be a number/],
      [wave, Number.NaN, /The value of “Wave” must be a number/],
      ['nope', 1, /no variable with id "nope"/],
    ] as const) {
      const e = await refusal(setValues('two', { [id]: value }));
      expect(e.code, String(value)).toBe('invalid_input');
      expect(e.message).toMatch(why);
    }
    // Through the API's own check, numbers that JSON cannot carry are refused too.
    expect((await dispatch(env.api, 'documents.update', { documentId: 'two', changes: {}, base: {}, values: { [wave]: Number.NaN } }, ctx)).ok).toBe(false);
    expect((await dispatch(env.api, 'documents.update', { documentId: 'two', changes: {}, base: {}, values: { [wave]: Number.POSITIVE_INFINITY } }, ctx)).ok).toBe(false);
    expect(await valuesOf('two')).toBeUndefined();
    await setValues('two', { [when]: '2020-02-29', [wave]: -3.5 });
    expect(await valuesOf('two')).toEqual({ [when]: '2020-02-29', [wave]: -3.5 });
    // The same value again is nothing to change; null (or empty text) clears one.
    expect((await refusal(setValues('two', { [wave]: -3.5 }))).message).toMatch(/Nothing to change/);
    await setValues('two', { [wave]: null, [when]: '' as string });
    expect(await valuesOf('two')).toBeUndefined();

    // One undo takes back the title, the memo and every value of that save.
    await env.api['history.undo']({}, ctx);
    await env.api['history.undo']({}, ctx);
    await env.api['history.undo']({}, ctx);
    const one = (await env.api['documents.list']({}, ctx)).find((d) => d.id === 'one')!;
    expect(one.meta.title).toBe('One');
    expect(one.memo).toBeUndefined();
    expect(one.values).toBeUndefined();
  });

  it('refuses to write over a value changed or a variable deleted in another window', async () => {
    const wave = await create('Wave', 'number');
    const site = await create('Site', 'choice', ['Seoul', 'Busan']);
    await setValues('one', { [wave]: 2 }, { [wave]: null }, other);
    const e = await refusal(setValues('one', { [wave]: 3 }, { [wave]: null }));
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(/the “Wave” of “One” changed elsewhere since/);
    expect(await valuesOf('one')).toEqual({ [wave]: 2 });

    await env.api['variables.delete']({ id: site }, other);
    const gone = await refusal(setValues('one', { [site]: 'Seoul' }, { [site]: null }));
    expect(gone.code).toBe('conflict');
    expect(gone.message).toMatch(/A variable was deleted elsewhere since/);

    // Undo over another window's change refuses too, and changes nothing.
    await setValues('two', { [wave]: 5 }, { [wave]: null });
    await setValues('two', { [wave]: 6 }, { [wave]: 5 }, other);
    const undo = await refusal(env.api['history.undo']({}, ctx));
    expect(undo.code).toBe('conflict');
    expect(await valuesOf('two')).toEqual({ [wave]: 6 });

    // A variable renamed in another window: this window's rename is undone only if it is still its.
    const mood = await create('Mood', 'text');
    await env.api['variables.update']({ id: mood, name: 'Tone' }, ctx);
    await env.api['variables.update']({ id: mood, name: 'Feeling' }, other);
    expect((await refusal(env.api['history.undo']({}, ctx))).message).toMatch(/the variable “Tone” was renamed “Feeling” elsewhere since/);
    // Two windows making the same name: the second is refused.
    expect((await refusal(create('feeling', 'number', undefined, other))).message).toBe('A variable is called “Feeling” already.');
  });

  it('renames, merges and removes choices, rewriting the values, and undo gives each document its value back', async () => {
    const site = await create('Site', 'choice', ['Seoul', 'Busan', 'Incheon']);
    await setValues('one', { [site]: 'Seoul' });
    await setValues('two', { [site]: 'Busan' });
    await setValues('three', { [site]: 'Busan' });

    const renamed = await env.api['variables.update']({ id: site, choices: ['Seoul', 'Pusan', 'Incheon'], renamed: { Busan: 'Pusan' } }, ctx);
    expect(renamed.history.undo).toBe('edit variable choices');
    expect(await valuesOf('two')).toEqual({ [site]: 'Pusan' });
    expect(await valuesOf('three')).toEqual({ [site]: 'Pusan' });
    await env.api['history.undo']({}, ctx);
    expect(await valuesOf('two')).toEqual({ [site]: 'Busan' });
    expect((await variables())[0]!.choices).toEqual(['Seoul', 'Busan', 'Incheon']);

    // Taking out a choice documents hold is refused, counting them; an unused one goes.
    const e = await refusal(env.api['variables.update']({ id: site, choices: ['Seoul'] }, ctx));
    expect(e.message).toBe('“Busan” (2 documents) is a value of “Site” still: keep it, or rename it to another choice (the documents\' values follow). Nothing was changed.');
    await env.api['variables.update']({ id: site, choices: ['Busan', 'Seoul'] }, ctx);
    expect((await variables())[0]!.choices).toEqual(['Busan', 'Seoul']);
    // Renaming one to a choice that is kept merges them.
    await env.api['variables.update']({ id: site, choices: ['Seoul'], renamed: { Busan: 'Seoul' } }, ctx);
    expect([await valuesOf('one'), await valuesOf('two'), await valuesOf('three')]).toEqual([{ [site]: 'Seoul' }, { [site]: 'Seoul' }, { [site]: 'Seoul' }]);
    await env.api['history.undo']({}, ctx);
    expect([await valuesOf('one'), await valuesOf('two'), await valuesOf('three')]).toEqual([{ [site]: 'Seoul' }, { [site]: 'Busan' }, { [site]: 'Busan' }]);
    await env.api['history.redo']({}, ctx);
    await env.reopen();
    expect(await valuesOf('two')).toEqual({ [site]: 'Seoul' });
    expect((await variables())[0]!.choices).toEqual(['Seoul']);
  });

  it('deletes a variable with every value, and undo puts back each of them', async () => {
    const site = await create('Site', 'choice', ['Seoul', 'Busan']);
    const wave = await create('Wave', 'number');
    await setValues('one', { [site]: 'Seoul', [wave]: 1 });
    await setValues('three', { [site]: 'Busan' });
    const deleted = await env.api['variables.delete']({ id: site }, ctx);
    expect(deleted.event.changes.filter((c) => c.type === 'document').map((c) => c.type === 'document' && c.summary.id)).toEqual(['one', 'three']);
    expect([await valuesOf('one'), await valuesOf('three')]).toEqual([{ [wave]: 1 }, undefined]);
    await env.api['history.undo']({}, ctx);
    expect([await valuesOf('one'), await valuesOf('three')]).toEqual([{ [wave]: 1, [site]: 'Seoul' }, { [site]: 'Busan' }]);
    expect((await variables()).map((v) => v.name)).toEqual(['Site', 'Wave']);
    await env.api['history.redo']({}, ctx);
    expect(await valuesOf('three')).toBeUndefined();
    await env.reopen();
    expect(await variables()).toEqual([{ id: wave, name: 'Wave', type: 'number' }]);
    expect(await valuesOf('one')).toEqual({ [wave]: 1 });
  });

  it('changes a variable’s type by converting every value, or refuses naming how many would not convert', async () => {
    const wave = await create('Wave', 'text');
    await setValues('one', { [wave]: '2' });
    await setValues('two', { [wave]: 'two' });
    const e = await refusal(env.api['variables.update']({ id: wave, type: 'number' }, ctx));
    expect(e.message).toBe('“Wave” cannot become a number variable: the values of 1 document are not numbers (“two”). Change or clear them first; nothing was changed.');
    await setValues('two', { [wave]: '3' });
    const done = await env.api['variables.update']({ id: wave, type: 'number' }, ctx);
    expect(done.history.undo).toBe('change variable type');
    expect([await valuesOf('one'), await valuesOf('two')]).toEqual([{ [wave]: 2 }, { [wave]: 3 }]);
    // To one of a list: the values become the choices, in their natural order.
    await setValues('three', { [wave]: 10 });
    await env.api['variables.update']({ id: wave, type: 'choice' }, ctx);
    expect((await variables())[0]).toMatchObject({ type: 'choice', choices: ['2', '3', '10'] });
    expect(await valuesOf('three')).toEqual({ [wave]: '10' });
    await env.api['history.undo']({}, ctx);
    await env.api['history.undo']({}, ctx);
    await env.api['history.undo']({}, ctx);
    expect((await variables())[0]).toEqual({ id: wave, name: 'Wave', type: 'text' });
    expect([await valuesOf('one'), await valuesOf('two')]).toEqual([{ [wave]: '2' }, { [wave]: '3' }]);
    // Given choices, every value must be one of them.
    expect((await refusal(env.api['variables.update']({ id: wave, type: 'choice', choices: ['2'] }, ctx))).message).toMatch(/are not among its choices \(“3”\)/);
  });

  it('keeps variables and values over reopening, and over a replay of the change log', async () => {
    const site = await create('Site', 'choice', ['Seoul', 'Busan']);
    const when = await create('When', 'date');
    await setValues('two', { [site]: 'Busan', [when]: '2019' });
    await env.reopen();
    // Committed after the checkpoint that closing wrote: only in the log when the copy is made.
    await env.api['variables.update']({ id: site, choices: ['Seoul', 'Pusan'], renamed: { Busan: 'Pusan' } }, ctx);
    await setValues('one', { [when]: '2021-06-30' });
    await env.api['variables.move']({ id: when, before: site }, ctx);
    const crashed = path.join(path.dirname(env.dir), 'crashed');
    await fsp.cp(env.dir, crashed, { recursive: true, filter: (src) => !path.basename(src).startsWith('.gloss-lock') });
    expect((await fsp.readdir(path.join(crashed, 'log'))).length).toBe(1);
    const store = await ProjectStore.open(crashed);
    try {
      const api = (await servicesFor(store, crashed)).handlers;
      expect((await api['workspace.get']({}, ctx)).variables).toEqual([
        { id: when, name: 'When', type: 'date' },
        { id: site, name: 'Site', type: 'choice', choices: ['Seoul', 'Pusan'] },
      ]);
      const docs = await api['documents.list']({}, ctx);
      expect(docs.map((d) => d.values)).toEqual([{ [when]: '2021-06-30' }, { [site]: 'Pusan', [when]: '2019' }, undefined]);
    } finally {
      await store.close();
    }
  });

  it('puts a deleted document back with its values, less those of variables deleted since', async () => {
    const site = await create('Site', 'choice', ['Seoul', 'Busan']);
    const wave = await create('Wave', 'number');
    await setValues('two', { [site]: 'Seoul', [wave]: 4 });
    await env.api['documents.remove']({ documentIds: ['two'] }, ctx);
    await env.api['variables.delete']({ id: wave }, other);
    await env.api['history.undo']({}, ctx);
    expect(await valuesOf('two')).toEqual({ [site]: 'Seoul' });
  });
});

describe('a project of schema 3 written before variables', () => {
  it('opens unchanged, with no variables', async () => {
    const dir = path.join(await tempDir('gloss-variables-old-'), 'project');
    const { seedOf } = await import('../support/project');
    const first = await ProjectStore.open(dir, { seed: seedOf(docFile('one', 'One', p('alpha'))) });
    await first.close();
    const before = await fsp.readFile(path.join(dir, PROJECT_FILE), 'utf8');
    expect(before).not.toMatch(/"variables"|"values"/);
    const store = await ProjectStore.open(dir);
    const api: ApiHandlers = (await servicesFor(store, dir)).handlers;
    expect((await api['workspace.get']({}, ctx)).variables).toEqual([]);
    expect((await api['documents.list']({}, ctx))[0]!.values).toBeUndefined();
    await store.close();
    expect(await fsp.readFile(path.join(dir, PROJECT_FILE), 'utf8')).toBe(before);
    await fsp.rm(path.dirname(dir), { recursive: true, force: true });
  });

  it('and the schema-2 fixture, once migrated, has none either', async () => {
    const dir = path.join(await tempDir('gloss-variables-v2-'), 'project');
    await fsp.cp(path.resolve('tests/fixtures/project-v2'), dir, { recursive: true });
    const store = await ProjectStore.open(dir);
    const api = (await servicesFor(store, dir)).handlers;
    expect((await api['workspace.get']({}, ctx)).variables).toEqual([]);
    expect((await api['documents.list']({}, ctx)).every((d) => d.values === undefined)).toBe(true);
    await store.close();
    expect(await fsp.readFile(path.join(dir, PROJECT_FILE), 'utf8')).not.toMatch(/"variables"/);
    await fsp.rm(path.dirname(dir), { recursive: true, force: true });
  });

  it('refuses, untouched, a project file whose value does not fit its variable', async () => {
    const dir = path.join(await tempDir('gloss-variables-bad-'), 'project');
    const { seedOf } = await import('../support/project');
    await (await ProjectStore.open(dir, { seed: seedOf(docFile('one', 'One', p('alpha'))) })).close();
    const file = path.join(dir, PROJECT_FILE);
    const data = JSON.parse(await fsp.readFile(file, 'utf8')) as { variables?: unknown; documents: { values?: unknown }[] };
    data.variables = [{ id: 'wave', name: 'Wave', type: 'number' }];
    data.documents[0]!.values = { wave: 'two' };
    const damaged = JSON.stringify(data);
    await fsp.writeFile(file, damaged);
    const e = await ProjectStore.open(dir).then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(ProjectOpenError);
    expect((e as Error).message).toMatch(/documents\.0\.values\.wave: the value of “Wave” of document one must be a number/);
    expect(await fsp.readFile(file, 'utf8')).toBe(damaged);
    await fsp.rm(path.dirname(dir), { recursive: true, force: true });
  });
});
