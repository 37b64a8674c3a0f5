import type { ApiClient, ApiInput, CommandResult } from '../shared/api';
import type { CodebookFormat } from '../shared/desktop-bridge';
import { desktopBridge } from './api';
import { saveBlob } from './save-file';

/** What the codebook's actions borrow from the window's actions (actions.ts). */
export interface CodebookActionsDeps {
  api: ApiClient;
  attempt: <T>(what: string, work: () => Promise<T>) => Promise<T | undefined>;
  applied: (result: CommandResult) => CommandResult;
  serial: <T>(work: () => Promise<T>) => Promise<T>;
  notify: (kind: 'error' | 'info', text: string) => void;
}

/**
 * Editing the codebook. Each is one command in main (one transaction, one undo step); its
 * answer's change event updates this window like any other, and every other window through the
 * feed. Each resolves with the answer, or undefined when main refused (the user is told why).
 */
export function codebookActions({ api, attempt, applied, serial, notify }: CodebookActionsDeps) {
  const run = (what: string, call: () => Promise<CommandResult>): Promise<CommandResult | undefined> =>
    serial(() =>
      attempt(what, async () => {
        const result = applied(await call());
        if (result.notice) notify('info', result.notice);
        return result;
      }),
    );
  return {
    createCode: (input: ApiInput<'codes.create'>) => run('Creating the code', () => api['codes.create'](input)),
    updateCode: (input: ApiInput<'codes.update'>) => run('Changing the code', () => api['codes.update'](input)),
    moveCode: (input: ApiInput<'codes.move'>) => run('Moving the code', () => api['codes.move'](input)),
    mergeCode: (id: string, into: string) => run('Merging the codes', () => api['codes.merge']({ id, into })),
    deleteCode: (id: string, children: 'lift' | 'delete') => run('Deleting the code', () => api['codes.delete']({ id, children })),
    /**
     * Exports the codebook: the desktop app asks where to save it and writes it; the browser
     * downloads it. Resolves true when saved.
     */
    exportCodebook: (format: CodebookFormat): Promise<boolean> =>
      attempt('Exporting the codebook', async () => {
        const desktop = desktopBridge();
        if (desktop) {
          const res = await desktop.exportCodebook({ format });
          if (res.error !== undefined) throw new Error(res.error);
          if (res.saved) notify('info', `Saved ${res.path ?? 'the codebook'}`);
          return res.saved;
        }
        const file = await api['codebook.export']({ format });
        saveBlob(new Blob([file.content], { type: `${file.mimeType};charset=utf-8` }), file.fileName);
        notify('info', `Exported ${file.fileName} (${file.codes} code${file.codes === 1 ? '' : 's'})`);
        return true;
      }).then((ok) => ok === true),
    /** What importing a .qdc file's text would do; undefined when it cannot be read (the user is told why). */
    previewCodebookImport: (content: string) => attempt('Reading the codebook file', () => api['codebook.previewImport']({ content })),
    /** Imports a .qdc file's text as one undoable step; true when done. */
    importCodebook: (content: string) => run('Importing the codebook', () => api['codebook.import']({ content })).then((r) => r !== undefined),
    /** What deleting a code would touch; undefined when it cannot be told (the user is told why). */
    codeUsage: (id: string, withDescendants: boolean) => attempt('Counting the code’s passages', () => api['codes.usage']({ id, withDescendants })),
  };
}
