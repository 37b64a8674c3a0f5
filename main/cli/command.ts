import path from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import type { GlossCore } from '../core/core';
import type { OpenCoreOptions } from '../core/open';
import type { WebServer, WebServerOptions } from '../web/server';

/**
 * The pieces every `gloss` command is built from. A command declares its options and usage and
 * gets parsed values; adding one means writing a `Command` and listing it in run.ts, nothing else.
 */

/** Where a command writes. */
export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** The outside world, injectable so tests run commands without signals, browsers or real paths. */
export interface CliDeps {
  openCore(opts: OpenCoreOptions): Promise<GlossCore>;
  /** True for errors whose message is fit to show the user as is (e.g. ProjectOpenError). */
  isUserFacingError(error: unknown): boolean;
  defaultProjectDir(): string;
  corpusDir(): string;
  /** The built UI, `<appRoot>/dist/renderer`. */
  staticDir(): string;
  startWebServer(opts: WebServerOptions): Promise<WebServer>;
  /** Resolves when the running server should stop (Ctrl+C, SIGTERM…), with a reason. */
  waitForShutdown(server: WebServer): Promise<string>;
  /** Opens the address in the user's browser; rejects if that could not even be started. */
  openBrowser(url: string): Promise<void>;
  /** The folder relative paths are resolved against. */
  cwd(): string;
}

export interface CommandContext {
  io: CliIO;
  deps: CliDeps;
  /** The arguments that are not options, for commands that take them (`positionals`). */
  positionals: readonly string[];
}

/** Parsed option values, as `node:util` parseArgs returns them. */
export type OptionValues = Record<string, string | boolean | undefined>;

export interface Command {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** The command's full help text (usage line, description, options). */
  help: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** How many arguments that are not options it takes (e.g. a file name); none when absent. */
  positionals?: number;
  /** Runs the command; resolves to the process exit code. */
  run(values: OptionValues, ctx: CommandContext): Promise<number>;
}

/** A failure the user can act on: its message is printed alone, without a stack. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Misuse of the command line (exit code 2): the command's help follows the message. */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'UsageError';
  }
}

/** A string option's value, or undefined. */
export function stringOption(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

/** The project folder a command works on: `--project DIR` (relative to the working folder), else the default one. */
export function projectDirOption(values: OptionValues, deps: Pick<CliDeps, 'cwd' | 'defaultProjectDir'>): string {
  const project = stringOption(values, 'project');
  return project !== undefined ? path.resolve(deps.cwd(), project) : deps.defaultProjectDir();
}

/**
 * Opens the project at `projectDir` (which must exist), runs `fn` with it, and closes it however
 * `fn` ends. Read-only unless told otherwise: no lock, so reading works while the desktop app or
 * `gloss web` has the project open.
 */
export async function withProject<T>(deps: Pick<CliDeps, 'openCore' | 'corpusDir'>, projectDir: string, fn: (core: GlossCore) => Promise<T>, opts: { readOnly?: boolean } = {}): Promise<T> {
  const core = await deps.openCore({ projectDir, corpusDir: deps.corpusDir(), createIfMissing: false, readOnly: opts.readOnly ?? true });
  try {
    return await fn(core);
  } finally {
    await core.close();
  }
}

/** A failed write of `file` as a message for the user (a system error names the fault); anything else as it is. */
export function writeFailure(e: unknown, file: string): unknown {
  const err = e as NodeJS.ErrnoException | null;
  if (typeof err?.code === 'string' && err.syscall) return new CliError(`Cannot write ${file}: ${err.message}`);
  return e;
}
