import { parseArgs } from 'node:util';
import { CliError, UsageError, type CliDeps, type CliIO, type Command } from './command';
import { realDeps } from './deps';
import { codebookExportCommand, codebookImportCommand } from './codebook';
import { documentTextCommand, documentsCommand, importCommand, replaceTextCommand, variablesCommand } from './documents';
import { exportCsvCommand } from './export-csv';
import { passagesCommand, quoteCommand } from './passages';
import { webCommand } from './web';

/** Every `gloss` command. Each parses only its own options. */
export const commands: readonly Command[] = [webCommand, importCommand, documentsCommand, documentTextCommand, variablesCommand, replaceTextCommand, passagesCommand, quoteCommand, exportCsvCommand, codebookExportCommand, codebookImportCommand];

/** Exit codes: 0 success, 1 failure, 2 misuse of the command line. */
const EXIT_MISUSE = 2;

/** The top-level help text. */
export function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 'help'.length) + 3;
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`);
  return `Usage: gloss <command> [options]

Commands:
${lines.join('\n')}
  ${'help'.padEnd(width)}Show this help, or a command's: gloss help <command>
`;
}

/**
 * Runs the `gloss` command line (`argv` without node and script) and resolves to the exit code.
 * For `web` it resolves only after the server has been shut down. `deps` replaces parts of the
 * outside world, for tests.
 */
export async function main(argv: readonly string[], io: CliIO, deps: Partial<CliDeps> = {}): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) return misuse(io, 'no command given.', usage());
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' && rest.length ? rest.join(' ') : undefined;
    if (topic === undefined) return help(io, usage());
    const command = findCommand(topic);
    return command ? help(io, command.help) : misuse(io, `unknown command "${topic}".`, usage());
  }
  // A command of two words (`codebook export`, `documents text`) takes the second from the
  // arguments; it comes before a one-word command of the same first word (`documents`).
  let command: Command | undefined;
  let args = rest;
  if (rest[0] !== undefined && !rest[0].startsWith('-')) {
    command = findCommand(`${name} ${rest[0]}`);
    if (command) args = rest.slice(1);
  }
  command ??= findCommand(name);
  if (!command) {
    const group = commands.filter((c) => c.name.startsWith(`${name} `)).map((c) => c.name.slice(name.length + 1));
    if (group.length) return misuse(io, `gloss ${name} needs one of: ${group.join(', ')}${rest[0] !== undefined && !rest[0].startsWith('-') ? ` (not "${rest[0]}")` : ''}.`, usage());
    return misuse(io, name.startsWith('-') ? `unknown option "${name}".` : `unknown command "${name}".`, usage());
  }

  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: [...args],
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: (command.positionals ?? 0) > 0,
    }));
  } catch (e) {
    return misuse(io, e instanceof Error ? e.message : String(e), command.help);
  }
  if (values['help'] === true) return help(io, command.help);
  if (positionals.length > (command.positionals ?? 0)) return misuse(io, `unexpected argument "${positionals.at(-1)}".`, command.help);

  const ctx = { io, deps: { ...realDeps, ...deps }, positionals };
  try {
    return await command.run(values, ctx);
  } catch (e) {
    if (e instanceof UsageError) return misuse(io, e.message, command.help);
    if (e instanceof CliError) {
      io.stderr.write(`gloss ${command.name}: ${e.message}\n`);
      return e.exitCode;
    }
    // System errors (permission denied, disk full…) name the file and the fault: no stack needed.
    if (ctx.deps.isUserFacingError(e) || isSystemError(e)) {
      io.stderr.write(`gloss ${command.name}: ${(e as Error).message}\n`);
      return 1;
    }
    // Anything else is a bug: the stack helps whoever reports it.
    io.stderr.write(`gloss ${command.name}: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}

function isSystemError(e: unknown): boolean {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && typeof (e as NodeJS.ErrnoException).syscall === 'string';
}

function findCommand(name: string): Command | undefined {
  return commands.find((c) => c.name === name);
}

function help(io: CliIO, text: string): number {
  io.stdout.write(text);
  return 0;
}

function misuse(io: CliIO, problem: string, text: string): number {
  io.stderr.write(`gloss: ${problem}\n\n${text}`);
  return EXIT_MISUSE;
}
