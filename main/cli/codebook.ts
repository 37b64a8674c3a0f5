import path from 'node:path';
import { ApiError } from '../../shared/api';
import { writeFileDurable } from '../core/durable';
import { CliError, UsageError, projectDirOption, stringOption, type Command } from './command';

/** The formats `--format` takes. */
const FORMATS = ['qdc', 'csv', 'md'] as const;

/** `gloss codebook export`: the codebook of a project as a REFI-QDA codebook, CSV or Markdown. */
export const codebookExportCommand: Command = {
  name: 'codebook export',
  summary: 'Write the codebook of a project to a REFI-QDA (.qdc), CSV or Markdown file',
  help: `Usage: gloss codebook export --format qdc|csv|md --out FILE [--project DIR]

Writes every code, in the codebook's order, with its definition and colour:
  qdc   REFI-QDA codebook, for ATLAS.ti, MAXQDA, NVivo, QualCoder and others
  csv   one row per code (RFC 4180, UTF-8), with its number of coded passages
  md    Markdown, for reading and sharing
The file is replaced only once it is complete. Works while Gloss has the project open; changes
not yet saved there are not included. Codes keep their GUIDs from one export to the next.

Options:
  --format FORMAT  qdc, csv or md
  --out FILE       File to write; "-" writes to standard output
  --project DIR    Project folder (default: $GLOSS_PROJECT, settings.json, or your Gloss data folder)
  -h, --help       Show this help
`,
  options: {
    format: { type: 'string' },
    out: { type: 'string' },
    project: { type: 'string' },
  },
  async run(values, { io, deps }) {
    const format = stringOption(values, 'format');
    if (format === undefined || format === '') throw new UsageError('--format is required: qdc, csv or md.');
    if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown format "${format}": use qdc (REFI-QDA), csv or md (Markdown).`);
    const out = stringOption(values, 'out');
    if (out === undefined || out === '') throw new UsageError('--out FILE is required (use --out - for standard output).');
    const projectDir = projectDirOption(values, deps);

    // Read-only: no lock, so exporting works while the desktop app or `gloss web` has it open.
    const core = await deps.openCore({ projectDir, corpusDir: deps.corpusDir(), createIfMissing: false, readOnly: true });
    try {
      // The same export as the app's, so the two never differ.
      const file = await core.handlers['codebook.export']({ format: format as (typeof FORMATS)[number] }, { client: 'cli' }).catch((e: unknown) => {
        throw e instanceof ApiError && e.code === 'invalid_input' ? new CliError(e.message) : e;
      });
      const text = file.content;
      const codes = { length: file.codes };
      if (out === '-') {
        io.stdout.write(text);
        io.stderr.write(`Wrote ${describeCodes(codes.length)} to standard output.\n`);
      } else {
        // The whole file is in memory (a codebook is small), so one durable write of it.
        await writeFileDurable(path.resolve(deps.cwd(), out), text).catch((e: unknown) => {
          throw fileError(e, out);
        });
        io.stdout.write(`Wrote ${describeCodes(codes.length)} to ${out}\n`);
      }
    } finally {
      await core.close();
    }
    return 0;
  },
};

function describeCodes(n: number): string {
  return `${n} ${n === 1 ? 'code' : 'codes'}`;
}

function fileError(e: unknown, file: string): unknown {
  const err = e as NodeJS.ErrnoException | null;
  if (typeof err?.code === 'string' && err.syscall) return new CliError(`Cannot write ${file}: ${err.message}`);
  return e;
}
