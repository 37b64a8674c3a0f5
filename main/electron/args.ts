/**
 * The desktop app's command line. Electron and Chromium put their own arguments into
 * `process.argv` (the executable, the app folder in development, `--inspect=…`, `--no-sandbox`,
 * macOS's `-psn_…`), so options are looked up by name wherever they are and everything else is
 * ignored.
 */

/** What the desktop app takes from its command line. Paths are as given (not yet resolved). */
export interface LaunchArgs {
  /** `--project DIR` or `--project=DIR`: the project folder to open instead of the default one. */
  projectDir: string | null;
  /**
   * `--user-data-dir DIR` or `--user-data-dir=DIR`: Electron's per-user folder (window state,
   * caches, and the single-instance lock). Lets tests and side-by-side installs stay apart.
   */
  userDataDir: string | null;
}

/** A command line Gloss cannot act on. The message is fit to show the user. */
export class LaunchArgsError extends Error {
  override name = 'LaunchArgsError';
}

const OPTIONS = { '--project': 'projectDir', '--user-data-dir': 'userDataDir' } as const;
type OptionName = keyof typeof OPTIONS;

function isOption(name: string): name is OptionName {
  return Object.prototype.hasOwnProperty.call(OPTIONS, name);
}

/** Reads Gloss's options from a full `process.argv`. A repeated option: the last one wins. */
export function parseLaunchArgs(argv: readonly string[]): LaunchArgs {
  const result: LaunchArgs = { projectDir: null, userDataDir: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (!isOption(name)) continue;
    let value: string | undefined;
    if (eq !== -1) {
      value = arg.slice(eq + 1);
    } else {
      value = argv[i + 1];
      // `--project --foo` is a forgotten value, not a folder called "--foo".
      if (value !== undefined && !value.startsWith('-')) i++;
      else value = undefined;
    }
    if (value === undefined || value.trim() === '') throw new LaunchArgsError(`${name} needs a folder, e.g. ${name} ~/gloss-project`);
    result[OPTIONS[name]] = value;
  }
  return result;
}
