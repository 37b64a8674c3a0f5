import type { ApiClient, ApiInput, CommandResult } from '../shared/api';
import { treeRows } from '../shared/codebook';
import { siblingStep } from '../shared/code-moves';
import type { CodebookFormat } from '../shared/desktop-bridge';
import type { Code } from '../shared/model';
import { exportFile } from './file-export';
import { codePath } from './state';

/** What the codebook's actions borrow from the window's actions (actions.ts). */
export interface CodebookActionsDeps {
  api: ApiClient;
  attempt: <T>(what: string, work: () => Promise<T>) => Promise<T | undefined>;
  applied: (result: CommandResult) => CommandResult;
  serial: <T>(work: () => Promise<T>) => Promise<T>;
  notify: (kind: 'error' | 'info', text: string) => void;
  /** The codebook as this window has it now. */
  codes: () => readonly Code[];
}

/** Where code `id` sits in `codes`, said for the status line: "“Bribery” is now 1 of 5 in “Economic change”." */
export function placeSentence(codes: readonly Code[], id: string): string {
  const row = treeRows(codes).find((r) => r.code.id === id);
  if (!row) return '';
  const parent = row.code.parentId === null ? '' : codePath(codes, row.code.parentId);
  return `“${row.code.name}” is now ${row.position} of ${row.siblings} ${parent ? `in “${parent}”` : 'at the top level'}.`;
}

/**
 * Editing the codebook. Each is one command in main (one transaction, one undo step); its
 * answer's change event updates this window like any other, and every other window through the
 * feed. Each resolves with the answer, or undefined when main refused (the user is told why).
 */
export function codebookActions({ api, attempt, applied, serial, notify, codes }: CodebookActionsDeps) {
  const run = (what: string, call: () => Promise<CommandResult>): Promise<CommandResult | undefined> =>
    serial(() =>
      attempt(what, async () => {
        const result = applied(await call());
        if (result.notice) notify('info', result.notice);
        return result;
      }),
    );
  /**
   * Runs `codes.move` with what `plan` gives when the move's turn comes, from the codebook as the
   * moves before it left it (so a fast run of steps moves once per key); a sentence instead says
   * why there is nowhere to go. Says where the code now is, for those who do not see the tree.
   */
  const move = (plan: () => ApiInput<'codes.move'> | string): Promise<CommandResult | undefined> =>
    serial(() =>
      attempt('Moving the code', async () => {
        const input = plan();
        if (typeof input === 'string') {
          notify('info', input);
          return undefined;
        }
        const result = applied(await api['codes.move'](input));
        notify('info', result.notice ?? placeSentence(codes(), input.id));
        return result;
      }),
    );
  return {
    createCode: (input: ApiInput<'codes.create'>) => run('Creating the code', () => api['codes.create'](input)),
    updateCode: (input: ApiInput<'codes.update'>) => run('Changing the code', () => api['codes.update'](input)),
    moveCode: (input: ApiInput<'codes.move'>) => move(() => input),
    /** Moves code `id` one place up or down among its siblings (see `siblingStep`). */
    stepCode: (id: string, direction: 'up' | 'down') =>
      move(() => {
        const current = codes();
        const placement = siblingStep(current, id, direction);
        if (placement) return { id, ...placement };
        const name = current.find((c) => c.id === id)?.name ?? 'The code';
        return `“${name}” is already ${direction === 'up' ? 'first' : 'last'} among its siblings.`;
      }),
    mergeCode: (id: string, into: string) => run('Merging the codes', () => api['codes.merge']({ id, into })),
    deleteCode: (id: string, children: 'lift' | 'delete') => run('Deleting the code', () => api['codes.delete']({ id, children })),
    /**
     * Exports the codebook: the desktop app asks where to save it and writes it; the browser
     * downloads it. Resolves true when saved.
     */
    exportCodebook: (format: CodebookFormat): Promise<boolean> =>
      attempt('Exporting the codebook', async () => {
        const said = await exportFile(api, 'codebook.export', { format }, (file) => `${file.fileName} (${file.codes} code${file.codes === 1 ? '' : 's'})`);
        if (said) notify('info', said);
        return said !== null;
      }).then((ok) => ok === true),
    /** What importing a .qdc file's text would do; undefined when it cannot be read (the user is told why). */
    previewCodebookImport: (content: string) => attempt('Reading the codebook file', () => api['codebook.previewImport']({ content })),
    /** Imports a .qdc file's text as one undoable step; true when done. */
    importCodebook: (content: string) => run('Importing the codebook', () => api['codebook.import']({ content })).then((r) => r !== undefined),
    /** What deleting a code would touch; undefined when it cannot be told (the user is told why). */
    codeUsage: (id: string, withDescendants: boolean) => attempt('Counting the code’s passages', () => api['codes.usage']({ id, withDescendants })),
  };
}
