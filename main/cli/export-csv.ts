import path from 'node:path';
import { Writable } from 'node:stream';
import { writeStreamDurable } from '../core/durable';
import { UsageError, writeFailure, projectDirOption, stringOption, type Command } from './command';

/** `gloss export-csv`: every coded passage of a project as CSV, into a file or standard output. */
export const exportCsvCommand: Command = {
  name: 'export-csv',
  summary: 'Write every coded passage of a project to a CSV file',
  help: `Usage: gloss export-csv [--project DIR] --out FILE [--bom]

Writes one row per coded passage and code (RFC 4180, UTF-8). The file is replaced only once
the export is complete. Works while Gloss has the project open; changes not yet saved there
are not included.

Options:
  --out FILE      File to write; "-" writes to standard output
  --project DIR   Project folder (default: $GLOSS_PROJECT, settings.json, or your Gloss data folder)
  --bom           Start with a byte-order mark, so Excel reads the file as UTF-8
  -h, --help      Show this help
`,
  options: {
    out: { type: 'string' },
    project: { type: 'string' },
    bom: { type: 'boolean' },
  },
  async run(values, { io, deps }) {
    const out = stringOption(values, 'out');
    if (out === undefined || out === '') throw new UsageError('--out FILE is required (use --out - for standard output).');
    const bom = values['bom'] === true;
    const projectDir = projectDirOption(values, deps);

    // Read-only: no lock, so exporting works while the desktop app or `gloss web` has it open.
    const core = await deps.openCore({ projectDir, corpusDir: deps.corpusDir(), createIfMissing: false, readOnly: true });
    try {
      if (out === '-') {
        const { rows } = await core.exportCsv(forwardWithoutEnding(io.stdout), { bom });
        io.stderr.write(`Wrote ${describeRows(rows)} to standard output.\n`);
      } else {
        const { rows } = await writeStreamDurable(path.resolve(deps.cwd(), out), (stream) => core.exportCsv(stream, { bom })).catch((e: unknown) => {
          throw writeFailure(e, out);
        });
        io.stdout.write(`Wrote ${describeRows(rows)} to ${out}\n`);
      }
    } finally {
      await core.close();
    }
    return 0;
  },
};

/**
 * A stream that passes writes on to `target` (with back-pressure) but does not end it when it
 * ends itself: the export ends its output, and standard output must stay usable.
 */
function forwardWithoutEnding(target: NodeJS.WritableStream): Writable {
  const forward = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (target.write(chunk)) callback();
      else target.once('drain', () => callback());
    },
  });
  // A closed pipe (`gloss export-csv --out - | head`) fails the export instead of hanging it.
  const onError = (e: Error) => forward.destroy(e);
  target.once('error', onError);
  forward.once('close', () => target.off('error', onError));
  return forward;
}

/** A passage with several codes has a row per code, so rows are counted, not passages. */
function describeRows(rows: number): string {
  return `${rows} ${rows === 1 ? 'row' : 'rows'} of coded passages`;
}

