import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { GlossCore } from '../core/core';
import { ApiError } from '../../shared/api';
import { writeFileDurable } from '../core/durable';
import { CliError, UsageError, writeFailure, projectDirOption, stringOption, withProject, type Command } from './command';

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
    await withProject(deps, projectDir, async (core) => {
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
          throw writeFailure(e, out);
        });
        io.stdout.write(`Wrote ${describeCodes(codes.length)} to ${out}\n`);
      }
    });
    return 0;
  },
};

function describeCodes(n: number): string {
  return `${n} ${n === 1 ? 'code' : 'codes'}`;
}


/** The largest .qdc file read (as the API takes). */
const QDC_FILE_MAX_BYTES = 10 * 1024 * 1024;

/** `gloss codebook import FILE`: a REFI-QDA codebook merged into a project's codebook, after a preview. */
export const codebookImportCommand: Command = {
  name: 'codebook import',
  summary: 'Import a REFI-QDA codebook (.qdc) into a project, or preview it with --dry-run',
  help: `Usage: gloss codebook import FILE [--project DIR] [--dry-run]

Reads a REFI-QDA codebook (.qdc) and prints what importing it does: the codes that are new,
those matched to codes of the project (by GUID, then by their path of names) and what changes
in them, and conflicts, which are left as they are. Then imports it as one change, which Undo
in the app does not reach (it was not made in a window) but a second import of the same file
leaves alone: it changes nothing.

The project must not be open in Gloss meanwhile (the import takes the project's lock);
--dry-run only reads it, and works while Gloss has it open.

Options:
  --project DIR   Project folder (default: $GLOSS_PROJECT, settings.json, or your Gloss data folder)
  --dry-run       Print the preview only; change nothing
  -h, --help      Show this help
`,
  positionals: 1,
  options: {
    project: { type: 'string' },
    'dry-run': { type: 'boolean' },
  },
  async run(values, { io, deps, positionals }) {
    const file = positionals[0];
    if (file === undefined || file === '') throw new UsageError('say which file to import: gloss codebook import FILE');
    const dryRun = values['dry-run'] === true;
    const projectDir = projectDirOption(values, deps);
    const content = await readQdcFile(path.resolve(deps.cwd(), file), file);

    await withProject(deps, projectDir, async (core) => {
      const context = { client: 'cli' };
      const preview = await core.handlers['codebook.previewImport']({ content }, context).catch(refusal);
      io.stdout.write(describePreview(preview));
      if (preview.unchanged) {
        io.stdout.write('Nothing to import: every code of the file is in the codebook already, as it is.\n');
        return;
      }
      if (dryRun) {
        io.stdout.write('Dry run: nothing was changed.\n');
        return;
      }
      await core.handlers['codebook.import']({ content }, context).catch(refusal);
      await core.flush();
      io.stdout.write(`Imported into ${projectDir}.\n`);
    }, { readOnly: dryRun });
    return 0;
  },
};

/** A refusal of the API (a file that cannot be read) as a failure with its message. */
function refusal(e: unknown): never {
  throw e instanceof ApiError && (e.code === 'invalid_input' || e.code === 'conflict') ? new CliError(e.message) : e;
}

/** The file's text: UTF-8 (a byte-order mark is dropped); anything else is refused, never guessed. */
async function readQdcFile(absolute: string, shown: string): Promise<string> {
  let bytes: Buffer;
  try {
    const info = await stat(absolute);
    if (!info.isFile()) throw new CliError(`${shown} is not a file.`);
    if (info.size > QDC_FILE_MAX_BYTES) throw new CliError(`${shown} is ${Math.round(info.size / 1024 / 1024)} MB; a codebook file can be at most 10 MB.`);
    bytes = await readFile(absolute);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`Cannot read ${shown}: ${e instanceof Error ? e.message : String(e)}`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new CliError(`${shown} is not UTF-8 text, as a REFI-QDA codebook must be.`);
  }
}

function describePreview(preview: Awaited<ReturnType<GlossCore['handlers']['codebook.previewImport']>>): string {
  const { counts } = preview;
  const lines = [
    `${preview.origin ? `A codebook from ${preview.origin}: ` : ''}${counts.new} new, ${counts.matched} matched (${counts.changed} to update), ${counts.conflicts} conflict${counts.conflicts === 1 ? '' : 's'}.`,
  ];
  for (const e of preview.entries) {
    const where = e.path.join(' › ');
    if (e.status === 'new') lines.push(`  new       ${where}`);
    else if (e.status === 'conflict') lines.push(`  conflict  ${where}: ${e.reason ?? 'left as it is'}`);
    else if (e.updates) lines.push(`  update    ${where} (${(e.changes ?? []).join(', ')})`);
  }
  for (const w of preview.warnings) lines.push(`  note: ${w}`);
  return `${lines.join('\n')}\n`;
}
