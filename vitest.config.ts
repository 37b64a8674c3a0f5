import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', './tests/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          environment: 'node',
          // A guard against hangs, not a speed goal (those are benchmarks): the heavier tests
          // (fuzzing, large files) take seconds when the e2e browsers share the two cores.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // A saved change or a redrawn highlight can take over a second while the unit tests
          // load both cores; a poll that gives up sooner fails for the machine, not the app.
          expect: { poll: { timeout: 5000 } },
          // One browser at a time: the machines here have two cores.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'electron',
          include: ['tests/electron/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          // Launching Electron happens in beforeAll.
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
