/**
 * A child process for the lock tests, bundled by them with esbuild: `node lock-child.mjs <dir>`.
 * Prints `ready`, acquires the lock on <dir> when a line arrives on stdin (so that several
 * children can be started together), prints the outcome as one JSON line, and if it won holds
 * the lock until stdin closes, then releases it and exits.
 */
import { acquireProjectLock, ProjectLockError } from '../../main/core/lock';

export interface ChildOutcome {
  pid: number;
  won: boolean;
  tookOver: string | null;
  error: string | null;
}

const dir = process.argv[2];
if (!dir) throw new Error('usage: lock-child <dir>');

const say = (outcome: ChildOutcome): void => {
  process.stdout.write(`${JSON.stringify(outcome)}\n`);
};

process.stdin.once('data', () => {
  acquireProjectLock(dir).then(
    (lock) => {
      say({ pid: process.pid, won: true, tookOver: lock.tookOver, error: null });
      process.stdin.once('end', () => {
        void lock.release().then(() => process.exit(0));
      });
      process.stdin.resume();
    },
    (e: unknown) => {
      say({ pid: process.pid, won: false, tookOver: null, error: e instanceof ProjectLockError ? e.message : `unexpected: ${String(e)}` });
      process.exit(0);
    },
  );
});
process.stdout.write('ready\n');
