import { ApiError } from '../shared/api-core';
import type { ApiClient, ApiInput, CommandResult } from '../shared/api';
import type { VariableType } from '../shared/model';

/**
 * Defining and editing the project's document variables, each one undoable command in main.
 * Each resolves to null when done, else to main's refusal, for the dialog to show beside what
 * the user typed.
 */

export interface VariableActionsDeps {
  api: ApiClient;
  applied: (result: CommandResult) => CommandResult;
  serial: <T>(work: () => Promise<T>) => Promise<T>;
  notify: (kind: 'error' | 'info', text: string) => void;
}

/** What a refusal says: main's words for a conflict or an input it does not take, else what failed. */
function refusal(e: unknown, what: string): string {
  if (e instanceof ApiError && (e.code === 'conflict' || e.code === 'invalid_input' || e.code === 'not_found')) return e.message;
  return `${what} failed: ${e instanceof Error ? e.message : String(e)}`;
}

export function variableActions({ api, applied, serial, notify }: VariableActionsDeps) {
  const run = (what: string, call: () => Promise<CommandResult>): Promise<string | null> =>
    serial(async () => {
      try {
        const r = applied(await call());
        if (r.notice) notify('info', r.notice);
        return null;
      } catch (e) {
        return refusal(e, what);
      }
    });
  return {
    /** Defines a variable (last in the order). */
    createVariable(name: string, type: VariableType, choices?: string[]): Promise<string | null> {
      return run('Adding the variable', () => api['variables.create']({ name, type, ...(type === 'choice' && choices ? { choices } : {}) }));
    },
    /** Renames a variable, edits its choices (`renamed`: old choice → new, the values follow) or changes its type. */
    updateVariable(input: ApiInput<'variables.update'>): Promise<string | null> {
      return run('Changing the variable', () => api['variables.update'](input));
    },
    /** Moves a variable before another (null: last). */
    moveVariable(id: string, before: string | null): Promise<string | null> {
      return run('Moving the variable', () => api['variables.move']({ id, before }));
    },
    /** Deletes a variable with every document's value of it. */
    deleteVariable(id: string): Promise<string | null> {
      return run('Deleting the variable', () => api['variables.delete']({ id }));
    },
  };
}
