import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../../shared/api';
import type { DocumentSummary, DocumentVariable, VariableValue } from '../../shared/model';
import { plainText } from '../../shared/plain-text';
import { VARIABLE_TYPE_LABELS, valueText } from '../../shared/variables';
import { IMPORT_LIMITS } from '../core/import/types';
import { CliError, UsageError, projectDirOption, stringOption, withProject, type Command } from './command';

/** `gloss import FILE...`: documents added to a project, as the app's Import documents… adds them. */
export const importCommand: Command = {
  name: 'import',
  summary: 'Import documents (.txt, .md, .html, .docx, .odt, .epub, .pdf) into a project',
  help: `Usage: gloss import FILE... [--project DIR] [--encoding ENC] [--json]

Reads each file with the importer for its format (in a worker, with limits on time and memory)
and adds every file that could be read to the project in one change. A file whose text the
project already holds is skipped; a file that cannot be read is reported with the reason and
does not stop the others. The files themselves are never changed: the project keeps its own
copy of the text.

A text file that is not UTF-8 (or UTF-16 with a byte-order mark) is refused with the likeliest
encodings named; import it again with --encoding (e.g. --encoding windows-1252).

The project must not be open in Gloss meanwhile (the import takes the project's lock).
Exit status: 0 when every file was imported or skipped, 1 when any failed.

Options:
  --project DIR    Project folder (default: $GLOSS_PROJECT, settings.json, or your Gloss data folder)
  --encoding ENC   The encoding of text files that are not UTF-8
  --json           Print the report as JSON: [{ file, status, id?, title?, reason?, notes? }]
  -h, --help       Show this help
`,
  positionals: 10_000,
  options: { project: { type: 'string' }, encoding: { type: 'string' }, json: { type: 'boolean' } },
  async run(values, { io, deps, positionals }) {
    if (positionals.length === 0) throw new UsageError('say which files to import: gloss import FILE...');
    const encoding = stringOption(values, 'encoding');
    const projectDir = projectDirOption(values, deps);
    const report: { file: string; status: 'imported' | 'skipped' | 'failed'; id?: string; title?: string; reason?: string; notes?: string[] }[] = [];
    await withProject(deps, projectDir, async (core) => {
      const context = { client: 'cli' };
      const ready: { token: string; row: (typeof report)[number] }[] = [];
      for (const file of positionals) {
        const row: (typeof report)[number] = { file, status: 'failed' };
        report.push(row);
        try {
          const bytes = await readInput(path.resolve(deps.cwd(), file), file);
          const prepared = await core.handlers['documents.prepareImport'](
            { requestId: randomUUID(), fileName: path.basename(file), content: bytes.toString('base64'), ...(encoding ? { encoding } : {}) },
            context,
          );
          row.title = prepared.title;
          if (prepared.notes.length) row.notes = prepared.notes;
          if (prepared.duplicateOf) Object.assign(row, { status: 'skipped', reason: `the project has this text already, as “${prepared.duplicateOf.title}”` });
          else ready.push({ token: prepared.token, row });
        } catch (e) {
          row.reason = e instanceof ApiError || e instanceof CliError ? e.message : String(e);
        }
      }
      if (ready.length) {
        const done = await core.handlers['documents.commitImport']({ tokens: ready.map((r) => r.token) }, context);
        // Files of the batch with the same text as an earlier one were skipped by the commit.
        const ids = done.documentIds ?? [];
        const skipped = new Set(done.skipped ?? []);
        let i = 0;
        for (const r of ready) {
          if (skipped.has(r.token)) Object.assign(r.row, { status: 'skipped', reason: 'an earlier file of this import has the same text' });
          else Object.assign(r.row, { status: 'imported', id: ids[i++] });
        }
        await core.flush();
      }
    }, { readOnly: false });
    if (values['json'] === true) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else {
      for (const r of report) {
        const what = r.status === 'imported' ? `imported as ${r.id} (“${r.title}”)` : r.status === 'skipped' ? `skipped: ${r.reason}` : `failed: ${r.reason}`;
        io.stdout.write(`${r.file}: ${what}\n`);
        for (const n of r.notes ?? []) io.stdout.write(`  note: ${n}\n`);
      }
      const count = (s: string): number => report.filter((r) => r.status === s).length;
      io.stdout.write(`${count('imported')} imported, ${count('skipped')} skipped, ${count('failed')} failed.\n`);
    }
    return report.some((r) => r.status === 'failed') ? 1 : 0;
  },
};

async function readInput(absolute: string, shown: string): Promise<Buffer> {
  try {
    const info = await stat(absolute);
    if (!info.isFile()) throw new CliError(`${shown} is not a file.`);
    if (info.size > IMPORT_LIMITS.fileBytes) throw new CliError(`${shown} is ${Math.round(info.size / 1048576)} MB; Gloss imports files of up to ${IMPORT_LIMITS.fileBytes / 1048576} MB.`);
    return await readFile(absolute);
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(`Cannot read ${shown}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** `gloss documents`: the documents of a project. */
export const documentsCommand: Command = {
  name: 'documents',
  summary: 'List the documents of a project (id, title, properties, passages)',
  help: `Usage: gloss documents [--project DIR] [--json]

Lists every document of the project in its order: id, title, properties and the number of
coded passages, and under each its values of the document variables (one line a variable, in
the variables' order; gloss variables lists them). Works while Gloss has the project open
(changes not yet saved there are not included).

Options:
  --project DIR   Project folder (default: $GLOSS_PROJECT, settings.json, or your Gloss data folder)
  --json          Print JSON: [{ id, title, author, publication, date, url, passages, values }],
                  values by variable name (numbers as numbers, yes/no as true/false)
  -h, --help      Show this help
`,
  options: { project: { type: 'string' }, json: { type: 'boolean' } },
  async run(values, { io, deps }) {
    const projectDir = projectDirOption(values, deps);
    await withProject(deps, projectDir, async (core) => {
      // One snapshot: the documents and the variables their values are of.
      const { documents: list, variables } = await core.handlers['workspace.get']({}, { client: 'cli' });
      const rows = list.map((d) => ({ id: d.id, title: d.meta.title, author: d.meta.author, publication: d.meta.publication, date: d.meta.date, url: d.meta.url, passages: d.annotationCount, values: namedValues(d, variables) }));
      if (values['json'] === true) io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      else {
        for (const r of rows) {
          const props = [r.author, r.publication, r.date].filter(Boolean).join(', ');
          io.stdout.write(`${r.id}\t${r.title}${props ? ` (${props})` : ''}\t${r.passages} passage${r.passages === 1 ? '' : 's'}\n`);
          for (const [name, value] of Object.entries(r.values)) io.stdout.write(`  ${name}: ${valueText(value)}\n`);
        }
      }
    });
    return 0;
  },
};

/** A document's values by variable name, in the variables' order. */
function namedValues(d: DocumentSummary, variables: readonly DocumentVariable[]): Record<string, VariableValue> {
  const out: Record<string, VariableValue> = {};
  for (const v of variables) {
    const value = d.values?.[v.id];
    if (value !== undefined) out[v.name] = value;
  }
  return out;
}

/** `gloss variables`: the document variables of a project. */
export const variablesCommand: Command = {
  name: 'variables',
  summary: 'List the document variables of a project (name, type, choices, documents with a value)',
  help: `Usage: gloss variables [--project DIR] [--json]

Lists the project's document variables in their order: name, type (text, number, date, yes/no,
one of a list, with its choices) and how many documents have a value of it. Define and edit
them in the app (Variables… above the documents list); gloss documents prints the values.
Works while Gloss has the project open.

Options:
  --project DIR   Project folder (default: $GLOSS_PROJECT, settings.json, or your Gloss data folder)
  --json          Print JSON: [{ id, name, type, choices?, documents }]
                  (type: text, number, date, boolean or choice)
  -h, --help      Show this help
`,
  options: { project: { type: 'string' }, json: { type: 'boolean' } },
  async run(values, { io, deps }) {
    const projectDir = projectDirOption(values, deps);
    await withProject(deps, projectDir, async (core) => {
      const { documents, variables } = await core.handlers['workspace.get']({}, { client: 'cli' });
      const rows = variables.map((v) => ({ ...v, documents: documents.filter((d) => d.values?.[v.id] !== undefined).length }));
      if (values['json'] === true) io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      else if (rows.length === 0) io.stdout.write('The project has no document variables.\n');
      else {
        for (const r of rows) {
          const type = r.type === 'choice' ? `one of: ${(r.choices ?? []).join(', ')}` : VARIABLE_TYPE_LABELS[r.type].toLowerCase();
          io.stdout.write(`${r.name}\t${type}\t${r.documents} document${r.documents === 1 ? '' : 's'}\n`);
        }
      }
    });
    return 0;
  },
};

/** `gloss documents text ID`: a document's canonical text, the one passage offsets count in. */
export const documentTextCommand: Command = {
  name: 'documents text',
  summary: "Print a document's text, as passage offsets count it",
  help: `Usage: gloss documents text ID [--project DIR]

Prints the document's canonical plain text (Unicode NFC, LF line ends, blocks separated by a
blank line): the text whose UTF-16 offsets coded passages record.

Options:
  --project DIR   Project folder (default: $GLOSS_PROJECT, settings.json, or your Gloss data folder)
  -h, --help      Show this help
`,
  positionals: 1,
  options: { project: { type: 'string' } },
  async run(values, { io, deps, positionals }) {
    const id = positionals[0];
    if (id === undefined || id === '') throw new UsageError('say which document: gloss documents text ID (gloss documents lists the ids)');
    const projectDir = projectDirOption(values, deps);
    await withProject(deps, projectDir, async (core) => {
      const doc = await core.handlers['documents.get']({ documentId: id }, { client: 'cli' }).catch((e: unknown) => {
        throw e instanceof ApiError ? new CliError(e.message) : e;
      });
      io.stdout.write(`${plainText(doc.blocks)}\n`);
    });
    return 0;
  },
};

/** `gloss replace-text ID FILE`: a new version of a document's text, with every passage re-anchored. */
export const replaceTextCommand: Command = {
  name: 'replace-text',
  summary: "Replace a document's text with a new version, re-anchoring its passages",
  help: `Usage: gloss replace-text ID FILE [--project DIR] [--dry-run] [--json] [--encoding ENC]

Reads FILE (any format gloss import reads) as the new version of the text of document ID, and
re-anchors every coded passage in it: unchanged, moved (the same words elsewhere), changed (the
words were edited: old and new are printed with a score) or orphaned (found nowhere: the
passage is kept, unplaced, for you to place again in the app). Then replaces the text as one
change; the text replaced is kept as an earlier version. With --dry-run nothing changes.

The project must not be open in Gloss meanwhile (unless --dry-run).

Options:
  --project DIR    Project folder (default: $GLOSS_PROJECT, settings.json, or your Gloss data folder)
  --dry-run        Print the report only; change nothing
  --json           Print the report as JSON: { counts, passages: [{ id, status, score, old, new }] }
  --encoding ENC   The encoding of a text file that is not UTF-8
  -h, --help       Show this help
`,
  positionals: 2,
  options: { project: { type: 'string' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' }, encoding: { type: 'string' } },
  async run(values, { io, deps, positionals }) {
    const [id, file] = positionals;
    if (!id || !file) throw new UsageError('say which document and which file: gloss replace-text ID FILE');
    const dryRun = values['dry-run'] === true;
    const encoding = stringOption(values, 'encoding');
    const projectDir = projectDirOption(values, deps);
    const bytes = await readInput(path.resolve(deps.cwd(), file), file);
    await withProject(deps, projectDir, async (core) => {
      const context = { client: 'cli' };
      const fail = (e: unknown): never => {
        throw e instanceof ApiError ? new CliError(e.message) : e;
      };
      const preview = await core.handlers['documents.previewReplace'](
        { documentId: id, requestId: randomUUID(), fileName: path.basename(file), content: bytes.toString('base64'), ...(encoding ? { encoding } : {}) },
        context,
      ).catch(fail);
      const { counts } = preview;
      if (values['json'] === true) io.stdout.write(`${JSON.stringify({ counts, passages: preview.passages }, null, 2)}\n`);
      else {
        for (const p of preview.passages) {
          const where = p.new ? `${p.old.start}–${p.old.end} → ${p.new.start}–${p.new.end}` : `${p.old.start}–${p.old.end} → nowhere`;
          io.stdout.write(`${p.status.padEnd(9)} ${where}  “${short(p.old.text)}”${p.status === 'changed' && p.new ? ` → “${short(p.new.text)}” (${Math.round(p.score * 100)}%)` : ''}\n`);
        }
        io.stdout.write(`${counts.unchanged} unchanged, ${counts.moved} moved, ${counts.changed} changed, ${counts.orphaned} orphaned.\n`);
      }
      if (dryRun) {
        if (values['json'] !== true) io.stdout.write('Dry run: nothing was changed.\n');
        return;
      }
      await core.handlers['documents.replaceText']({ token: preview.token }, context).catch(fail);
      await core.flush();
      if (values['json'] !== true) io.stdout.write(`Replaced the text of ${id}; the text it had is kept as an earlier version.\n`);
    }, { readOnly: dryRun });
    return 0;
  },
};

function short(text: string): string {
  const one = text.replace(/\s+/g, ' ');
  return one.length > 60 ? `${one.slice(0, 57)}…` : one;
}
