import { describe, expect, it } from 'vitest';
import type { GlossCore } from '../../main/core/core';
import type { OpenCoreOptions } from '../../main/core/open';
import { withProject } from '../../main/cli/command';

// Every command that reads or changes a project opens it the same way and closes it however the
// command ends.

function fakeDeps() {
  const opened: OpenCoreOptions[] = [];
  let closed = 0;
  const deps = {
    corpusDir: () => '/corpus',
    openCore: async (opts: OpenCoreOptions) => {
      opened.push(opts);
      return { close: async () => void closed++ } as unknown as GlossCore;
    },
  };
  return { deps, opened, closed: () => closed };
}

describe('a command with its project', () => {
  it('opens an existing project read-only unless told otherwise, and closes it after', async () => {
    const t = fakeDeps();
    expect(await withProject(t.deps, '/p', async () => 7)).toBe(7);
    await withProject(t.deps, '/q', async () => undefined, { readOnly: false });
    expect(t.opened).toEqual([
      { projectDir: '/p', corpusDir: '/corpus', createIfMissing: false, readOnly: true },
      { projectDir: '/q', corpusDir: '/corpus', createIfMissing: false, readOnly: false },
    ]);
    expect(t.closed()).toBe(2);
  });

  it('closes the project when the command fails, and the failure goes on as it was', async () => {
    const t = fakeDeps();
    const failure = new Error('No coded passage has the id x.');
    await expect(withProject(t.deps, '/p', async () => Promise.reject(failure))).rejects.toBe(failure);
    expect(t.closed()).toBe(1);
  });
});
