import { describe, expect, it, vi } from 'vitest';
import { ApiError, type ApiClient, type ApiInput, type ApiOutput, type CommandResult } from '../../shared/api';
import { createImports } from '../../renderer/import-actions';
import type { ImportStatus } from '../../renderer/import-files';

// The import dialog's steps against a fake API: files go to main one at a time, the ready ones
// are committed once, Cancel stops what is in flight and sends no more, an encoding is asked for.

type Prepared = ApiOutput<'documents.prepareImport'>;
type PrepareInput = ApiInput<'documents.prepareImport'>;

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const file = (name: string, text = `The text of ${name}.`): File => new File([text], name, { type: 'text/plain' });
const prepared = (title: string, duplicateOf: Prepared['duplicateOf'] = null): Prepared => ({ token: `token-${title}`, title, format: 'txt', characters: 10, notes: [], duplicateOf });

/** The answer of a commit that added a document per token (or `added` of them). */
function committed(tokens: string[], added = tokens.map((t) => t.replace('token-', ''))): CommandResult {
  return {
    event: {
      revision: 1,
      origin: 'w',
      label: 'import documents',
      changes: added.map((title) => ({ type: 'document' as const, summary: { id: `doc-${title}`, meta: { title, publication: '', author: '', date: '', url: '' }, textHash: 'h', annotationCount: 0, codeCounts: {} } })),
    },
    history: { undo: 'import documents', redo: null },
    documentIds: added.map((t) => `doc-${t}`),
  };
}

/** A fake API whose prepare answers are given by `answer` (each call may wait on its own promise). */
function fakeApi(answer: (input: PrepareInput) => Promise<Prepared>) {
  let inFlight = 0;
  let most = 0;
  const prepares: PrepareInput[] = [];
  const api = {
    'documents.prepareImport': vi.fn(async (input: PrepareInput) => {
      prepares.push(input);
      inFlight++;
      most = Math.max(most, inFlight);
      try {
        return await answer(input);
      } finally {
        inFlight--;
      }
    }),
    'documents.cancelImport': vi.fn(async () => ({ cancelled: true })),
    'documents.commitImport': vi.fn(async ({ tokens }: { tokens: string[] }) => committed(tokens)),
  };
  const applied = vi.fn((r: CommandResult) => r);
  const imports = createImports({ api: api as unknown as ApiClient, applied, serial: (work) => work() });
  return { api, applied, imports, prepares, mostAtOnce: () => most };
}

const statuses = (imports: ReturnType<typeof createImports>): [string, ImportStatus['kind']][] => imports.store.get().items.map((i) => [i.name, i.status.kind]);
const until = (check: () => boolean) => vi.waitFor(() => expect(check()).toBe(true));

describe('importing documents', () => {
  it('sends the files one at a time, as base64, and commits the ready ones in one call', async () => {
    const { api, applied, imports, prepares, mostAtOnce } = fakeApi(async ({ fileName }) => {
      if (fileName === 'again.txt') return prepared('again', { id: 'old', title: 'Old notes' });
      if (fileName === 'broken.docx') throw new ApiError('invalid_input', 'The file is named .docx but is not one.');
      return prepared(fileName.replace(/\.\w+$/, ''));
    });
    imports.open([file('one.txt'), file('again.txt'), file('broken.docx'), file('two.html')]);
    await until(() => imports.store.get().phase === 'done');
    expect(mostAtOnce()).toBe(1);
    expect(prepares.map((p) => p.fileName)).toEqual(['one.txt', 'again.txt', 'broken.docx', 'two.html']);
    expect(Buffer.from(prepares[0]!.content, 'base64').toString()).toBe('The text of one.txt.');
    expect(api['documents.commitImport']).toHaveBeenCalledExactlyOnceWith({ tokens: ['token-one', 'token-two'] });
    expect(applied).toHaveBeenCalledOnce();
    expect(statuses(imports)).toEqual([
      ['one.txt', 'imported'],
      ['again.txt', 'duplicate'],
      ['broken.docx', 'failed'],
      ['two.html', 'imported'],
    ]);
    expect(imports.store.get().items[2]!.status).toEqual({ kind: 'failed', reason: 'The file is named .docx but is not one.' });
  });

  it('commits nothing when no file is ready', async () => {
    const { api, imports } = fakeApi(async () => {
      throw new ApiError('invalid_input', 'The file is empty.');
    });
    imports.open([file('empty.txt', '')]);
    await until(() => imports.store.get().phase === 'done');
    expect(api['documents.commitImport']).not.toHaveBeenCalled();
  });

  it('on Cancel, stops the file in flight, sends no more and commits only what was ready', async () => {
    const second = deferred<Prepared>();
    const { api, imports, prepares } = fakeApi(async ({ fileName }) => (fileName === 'b.txt' ? second.promise : prepared(fileName.slice(0, 1))));
    imports.open([file('a.txt'), file('b.txt'), file('c.txt'), file('d.txt')]);
    await until(() => prepares.length === 2);
    imports.cancel();
    expect(api['documents.cancelImport']).toHaveBeenCalledExactlyOnceWith({ requestId: prepares[1]!.requestId });
    // Main had finished it anyway: Cancel still means it is not added.
    second.resolve(prepared('b'));
    await until(() => imports.store.get().phase === 'done');
    expect(prepares).toHaveLength(2);
    expect(api['documents.commitImport']).toHaveBeenCalledExactlyOnceWith({ tokens: ['token-a'] });
    expect(statuses(imports)).toEqual([
      ['a.txt', 'imported'],
      ['b.txt', 'cancelled'],
      ['c.txt', 'cancelled'],
      ['d.txt', 'cancelled'],
    ]);
  });

  it('asks for an encoding, then prepares the file again with it and commits it on its own', async () => {
    const choices = [
      { label: 'utf-8', name: 'Unicode (UTF-8)' },
      { label: 'windows-1252', name: 'Western European (Windows-1252)' },
    ];
    const { api, imports, prepares } = fakeApi(async ({ fileName, encoding }) => {
      if (fileName === 'latin.txt' && !encoding) throw new ApiError('invalid_input', 'The file is not UTF-8 text.', { encodings: ['windows-1252'], choices } as never);
      return prepared(fileName.replace('.txt', ''));
    });
    imports.open([file('plain.txt'), file('latin.txt')]);
    await until(() => imports.store.get().phase === 'done');
    expect(imports.store.get().items[1]!.status).toEqual({ kind: 'encoding', reason: 'The file is not UTF-8 text.', suggestions: ['windows-1252'], choices });
    expect(api['documents.commitImport']).toHaveBeenCalledExactlyOnceWith({ tokens: ['token-plain'] });

    await imports.retry(imports.store.get().items[1]!.id, 'windows-1252');
    expect(prepares.at(-1)).toMatchObject({ fileName: 'latin.txt', encoding: 'windows-1252' });
    expect(api['documents.commitImport']).toHaveBeenLastCalledWith({ tokens: ['token-latin'] });
    expect(api['documents.commitImport']).toHaveBeenCalledTimes(2);
    expect(statuses(imports)).toEqual([
      ['plain.txt', 'imported'],
      ['latin.txt', 'imported'],
    ]);
  });

  it('keeps asking when the chosen encoding does not fit the file', async () => {
    const { imports } = fakeApi(async ({ encoding }) => {
      if (!encoding) throw new ApiError('invalid_input', 'Choose its encoding.', { encodings: [], choices: [{ label: 'koi8-r', name: 'Cyrillic (KOI8-R)' }] } as never);
      throw new ApiError('invalid_input', 'The file is not valid Cyrillic (KOI8-R) text.');
    });
    imports.open([file('odd.txt')]);
    await until(() => imports.store.get().phase === 'done');
    await imports.retry(imports.store.get().items[0]!.id, 'koi8-r');
    expect(imports.store.get().items[0]!.status).toMatchObject({ kind: 'encoding', reason: 'The file is not valid Cyrillic (KOI8-R) text.' });
  });

  it('reports a file that main skipped at commit as a duplicate of the earlier one', async () => {
    // Tokens are unique per file, as main's are; main names the one it skipped.
    const { api, imports } = fakeApi(async ({ fileName }) => (fileName.startsWith('copy') ? { ...prepared('Notes'), token: 'token-copy' } : prepared(fileName === 'notes.txt' ? 'Notes' : 'Other')));
    api['documents.commitImport'].mockImplementationOnce(async () => ({ ...committed(['token-Notes'], ['Notes', 'Other']), skipped: ['token-copy'], notice: '1 file was skipped: its text is already in this import.' }));
    imports.open([file('notes.txt'), file('copy of notes.txt'), file('other.txt')]);
    await until(() => imports.store.get().phase === 'done');
    expect(statuses(imports)).toEqual([
      ['notes.txt', 'imported'],
      ['copy of notes.txt', 'duplicate'],
      ['other.txt', 'imported'],
    ]);
    expect(imports.store.get().items[1]!.status).toEqual({ kind: 'duplicate', of: 'Notes' });
    expect(imports.store.get().notices).toEqual(['1 file was skipped: its text is already in this import.']);
  });

  it('refuses files while an import runs, and cannot be closed until it is done', async () => {
    const held = deferred<Prepared>();
    const { imports, prepares } = fakeApi(() => held.promise);
    imports.open([file('slow.txt')]);
    await until(() => prepares.length === 1);
    imports.open([file('more.txt')]);
    imports.close();
    expect(imports.store.get()).toMatchObject({ phase: 'preparing', message: expect.stringMatching(/still importing/) });
    held.resolve(prepared('slow'));
    await until(() => imports.store.get().phase === 'done');
    expect(prepares.map((p) => p.fileName)).toEqual(['slow.txt']);
    imports.close();
    expect(imports.isOpen()).toBe(false);
  });
});
