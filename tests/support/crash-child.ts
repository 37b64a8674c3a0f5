/**
 * A child process for the crash tests, bundled by them with esbuild:
 *
 *   node crash-child.mjs <mode> <projectDir> <killAt> [corpusDir]
 *
 * It does one piece of work with a step hook on every write step of the store, and SIGKILLs
 * itself before step number `killAt` (0-based); with killAt = -1 it finishes and prints the
 * list of steps it went through as one JSON line. Modes:
 *   tx       a transaction over five files (four documents' passages and the project file)
 *   checkpoints  three such transactions in a row, each followed by a background checkpoint
 *   migrate  open a Gloss 0.1 project, which migrates it
 *   create   create the default project in an empty folder
 */
import { randomUUID } from 'node:crypto';
import { ProjectStore } from '../../main/core/store';
import { defaultSeed } from '../../main/core/open';
import type { Annotation } from '../../shared/model';

const [mode, dir, killAtArg, corpusDir] = process.argv.slice(2);
if (!mode || !dir || killAtArg === undefined) throw new Error('usage: crash-child <mode> <dir> <killAt> [corpusDir]');
const killAt = Number(killAtArg);
const steps: string[] = [];
const onStep = (step: string): void => {
  if (steps.length === killAt) process.kill(process.pid, 'SIGKILL');
  steps.push(step);
};

/** The passage the transaction adds to each document. */
export function crashPassage(documentId: string): Annotation {
  return {
    id: randomUUID(),
    documentId,
    textHash: 'x',
    position: { type: 'TextPositionSelector', start: 0, end: 1 },
    quote: { type: 'TextQuoteSelector', exact: 'x', prefix: '', suffix: '' },
    codeIds: ['a'],
    memo: `added to ${documentId}`,
    coderId: 'coder-ana',
    created: '2026-01-01T00:00:00.000Z',
    modified: '2026-01-01T00:00:00.000Z',
    rev: 0,
  };
}

async function main(): Promise<void> {
  if (mode === 'tx') {
    const store = await ProjectStore.open(dir!, { onStep });
    const ids = store.project.documents.slice(0, 4).map((d) => d.id);
    await store.transact({ origin: 'crash', label: 'crash test', documents: ids }, (tx) => {
      for (const id of ids) tx.annotations(id).push({ ...crashPassage(id), rev: tx.revision });
    });
    await store.close();
  } else if (mode === 'checkpoints') {
    const store = await ProjectStore.open(dir!, { onStep, checkpointBytes: 1 });
    const ids = store.project.documents.slice(0, 4).map((d) => d.id);
    for (let i = 0; i < 3; i++) {
      await store.transact({ origin: 'crash', label: 'crash test', documents: ids }, (tx) => {
        for (const id of ids) tx.annotations(id).push({ ...crashPassage(id), rev: tx.revision });
      });
    }
    await store.close();
  } else if (mode === 'migrate') {
    const store = await ProjectStore.open(dir!, { onStep });
    await store.close();
  } else if (mode === 'create') {
    const store = await ProjectStore.open(dir!, { onStep, seed: () => defaultSeed(corpusDir!) });
    await store.close();
  } else throw new Error(`unknown mode ${mode}`);
  process.stdout.write(`${JSON.stringify(steps)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
