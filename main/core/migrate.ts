import { createHash, randomUUID } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { anchor, describeRange } from '../../shared/anchoring';
import type { Annotation, Block, Code, Coder } from '../../shared/model';
import { BLOCK_SEPARATOR, canonicalBlocks, canonicalMeta, canonicalText, plainText, textblockTexts } from '../../shared/plain-text';
import { coderColor, initialsOf } from './coders';
import { DurableJsonFile, StoreFileError, TEMP_MARK, type DurableFs } from './durable';
import {
  ANNOTATIONS_DIR,
  BACKUPS_DIR,
  DOCUMENTS_DIR,
  FORMAT,
  PROJECT_FILE,
  SCHEMA_VERSION,
  countsOf,
  fileSchemas,
  type AnnotationsFileData,
  type DocumentFileData,
  type ProjectFileData,
} from './files';
import { textHash } from './hash';
import { commitFiles, type FileOp, type StepHook } from './journal';

/**
 * Migration of an older project to the current schema, run once when such a project is opened
 * for writing. Schema 2 to 3 is `migrateV2` below; the rest of this comment is schema 1 (Gloss
 * 0.1), which is migrated to the current schema in one step.
 *
 * What changes: the title leaves the text (passages counted from the title's start now count
 * from the body's); text is NFC with LF line ends; passages record a coder id instead of a
 * name, and the revision of their last change; codes get a stable colour slot; the project
 * file gets a revision and per-document counts.
 *
 * Safe to interrupt at any moment: first every file it will replace is copied into
 * `backups/schema-1-<time>/` (built under a temporary name and renamed when complete), then
 * every new file is written in one transaction (journal.ts). A kill before the transaction's
 * commit point leaves the 0.1 files as they were, and the next start migrates again; a kill
 * after it is rolled forward by the next start.
 */

interface V1Annotation {
  id: string;
  documentId: string;
  textHash: string;
  position: { type: 'TextPositionSelector'; start: number; end: number };
  quote: { type: 'TextQuoteSelector'; exact: string; prefix: string; suffix: string };
  codeIds: string[];
  memo: string;
  coder: string;
  created: string;
  modified: string;
  [extra: string]: unknown;
}

interface V1Project {
  format: string;
  schemaVersion: 1;
  id: string;
  name: string;
  created: string;
  codebook: { codes: Omit<Code, 'slot'>[] };
  documents: { id: string; meta: DocumentFileData['meta']; textHash: string; added: string }[];
  coders: { id: string; name: string }[];
  settings: Record<string, unknown>;
  [extra: string]: unknown;
}

/** The v1 coder id of a name (0.1 made ids this way), kept so that ids stay valid. */
function v1CoderId(name: string): string {
  return `coder-${createHash('sha256').update(name).digest('hex').slice(0, 12)}`;
}

/** Maps an offset of `raw` to the same place in `canonicalText(raw)` (exact at grapheme boundaries, where passages end). */
function canonicalOffset(raw: string, offset: number): number {
  return canonicalText(raw.slice(0, offset)).length;
}

async function readV1<T>(file: string, format: string): Promise<T | null> {
  const data = await new DurableJsonFile<{ format: string; schemaVersion: number }>(file, format, 1).read();
  return data as T | null;
}

/** Migrates the project in `dir` if it is of an older schema; returns what it did, in words for the user. */
export async function migrateProject(dir: string, fs: DurableFs, onStep?: StepHook, now: () => Date = () => new Date()): Promise<string[]> {
  const projectFile = path.join(dir, PROJECT_FILE);
  const head = await new DurableJsonFile<{ format: string; schemaVersion: number }>(projectFile, FORMAT.project, SCHEMA_VERSION).read();
  if (head?.schemaVersion === 2) return migrateV2(dir, head as unknown as ProjectFileData, fs, onStep, now);
  const old = await readV1<V1Project>(projectFile, FORMAT.project);
  if (!old || old.schemaVersion !== 1) return [];
  if (!Array.isArray(old.documents) || !Array.isArray(old.codebook?.codes) || !Array.isArray(old.coders)) {
    throw new StoreFileError(projectFile, 'corrupt', `${projectFile} is not a valid Gloss 0.1 project file, so Gloss cannot update it. It was left untouched.`);
  }
  const at = now().toISOString();
  const revision = 1;
  const coders: Coder[] = old.coders.map((c, i) => ({ id: c.id, name: c.name, initials: initialsOf(c.name), color: coderColor(i) }));
  const coderByName = new Map(coders.map((c) => [c.name, c]));
  const coderFor = (name: string): string => {
    const n = name.trim() === '' ? 'Unknown coder' : name;
    let c = coderByName.get(n);
    if (!c) {
      c = { id: v1CoderId(n), name: n, initials: initialsOf(n), color: coderColor(coders.length) };
      coders.push(c);
      coderByName.set(n, c);
    }
    return c.id;
  };

  const ops: FileOp[] = [];
  const notes: string[] = [];
  const index: ProjectFileData['index'] = { documents: {} };
  const entries: ProjectFileData['documents'] = [];
  const backupFiles: string[] = [PROJECT_FILE];
  let passages = 0;
  let orphans = 0;

  for (const entry of old.documents) {
    const docRel = path.join(DOCUMENTS_DIR, `${entry.id}.json`);
    const annRel = path.join(ANNOTATIONS_DIR, `${entry.id}.json`);
    const doc = await readV1<DocumentFileData>(path.join(dir, docRel), FORMAT.document);
    if (!doc) throw new StoreFileError(path.join(dir, docRel), 'unreadable', `The text of document "${entry.id}" is missing (${path.join(dir, docRel)}), so Gloss cannot update the project. Restore the file and open the project again; nothing was changed.`);
    const file = await readV1<AnnotationsFileData & { annotations: V1Annotation[] }>(path.join(dir, annRel), FORMAT.annotations);
    backupFiles.push(docRel);
    if (file) backupFiles.push(annRel);
    const list: V1Annotation[] = file?.annotations ?? [];

    const title = doc.meta.title;
    const oldText = [title, ...textblockTexts(doc.blocks)].join(BLOCK_SEPARATOR);
    // Where each old passage is, in the old text; those in the title keep the title in the text.
    const found = list.map((a) => {
      const where = anchor(oldText, a.position, a.quote);
      return where.status === 'orphan' ? null : where;
    });
    const titleLength = title.length + BLOCK_SEPARATOR.length;
    const inTitle = found.filter((f) => f && f.start < titleLength).length;
    const rawBlocks: Block[] = inTitle > 0 ? [{ type: 'heading', level: 1, text: title }, ...doc.blocks] : doc.blocks;
    const shift = inTitle > 0 ? 0 : titleLength;
    if (inTitle > 0) {
      notes.push(`“${title}”: ${inTitle} passage${inTitle === 1 ? ' was' : 's were'} coded in the title, which is no longer part of the text; the title was kept as the first heading of the text so that they stay where they were.`);
    }
    const blocks = canonicalBlocks(rawBlocks);
    const rawBody = [...textblockTexts(rawBlocks)].join(BLOCK_SEPARATOR);
    const text = plainText(blocks);
    const hash = textHash(text);

    const annotations: Annotation[] = list.map((a, i) => {
      const f = found[i];
      const { coder, ...rest } = a;
      const base = { ...rest, coderId: coderFor(typeof coder === 'string' ? coder : ''), rev: revision };
      if (!f) {
        orphans += 1;
        // Kept as it was (its old text hash says it was made on another text); shown as not placed.
        const start = Math.max(0, a.position.start - shift);
        return { ...base, position: { type: 'TextPositionSelector', start, end: Math.max(start, a.position.end - shift) } };
      }
      const start = canonicalOffset(rawBody, f.start - shift);
      const end = canonicalOffset(rawBody, f.end - shift);
      return { ...base, textHash: hash, ...describeRange(text, start, end) };
    });
    passages += annotations.length;

    // Metadata is text too: NFC, so that a title can be found as it is typed.
    const meta = canonicalMeta(doc.meta);
    const newDoc: DocumentFileData = { ...doc, schemaVersion: SCHEMA_VERSION, meta, blocks, textHash: hash };
    ops.push({ file: docRel, data: JSON.stringify(newDoc) });
    const newFile: AnnotationsFileData = { ...(file ?? {}), format: FORMAT.annotations, schemaVersion: SCHEMA_VERSION, documentId: entry.id, annotations };
    ops.push({ file: annRel, data: JSON.stringify(newFile) });
    index.documents[entry.id] = countsOf(annotations);
    entries.push({ ...entry, meta, textHash: hash });
  }
  if (orphans > 0) notes.push(`${orphans} passage${orphans === 1 ? '' : 's'} could not be found in the text and ${orphans === 1 ? 'is' : 'are'} kept under “Could not be placed”.`);

  const backup = path.join(BACKUPS_DIR, `schema-1-${at.replace(/[:.]/g, '-')}`);
  await copyBackup(dir, backupFiles, backup, fs, onStep);

  const summary = [
    `Gloss updated this project from the Gloss 0.1 format: ${entries.length} document${entries.length === 1 ? '' : 's'}, ${passages} coded passage${passages === 1 ? '' : 's'}, ${old.codebook.codes.length} codes and ${coders.length} coder${coders.length === 1 ? '' : 's'} carried over. Passage positions now count from the start of the text below the title. A copy of the replaced files is in ${backup}.`,
    ...notes,
  ];
  const { schemaVersion: _v, ...rest } = old;
  const project: ProjectFileData = {
    ...rest,
    format: FORMAT.project,
    schemaVersion: SCHEMA_VERSION,
    id: old.id,
    name: old.name,
    created: old.created,
    revision,
    codebook: { ...old.codebook, codes: old.codebook.codes.map((c, i) => ({ ...c, slot: i })) },
    documents: entries,
    coders,
    index,
    settings: old.settings ?? {},
    migrations: [{ from: 1, to: SCHEMA_VERSION, at, backup, summary }],
  };
  ops.push({ file: PROJECT_FILE, data: JSON.stringify(project) });
  await commitFiles(dir, ops, fs, onStep);
  return summary;
}

/**
 * Schema 2 to 3: the files stay as they are, and from now on each commit is a line of the change
 * log (change-log.ts) until the next checkpoint. Only the project file changes, to say so: a
 * Gloss that knows no log would read the checkpoint alone and miss every change since. The old
 * project file is kept in `backups/schema-2-<time>/` first.
 */
async function migrateV2(dir: string, old: ProjectFileData, fs: DurableFs, onStep: StepHook | undefined, now: () => Date): Promise<string[]> {
  const file = path.join(dir, PROJECT_FILE);
  const valid = fileSchemas.project.safeParse(old);
  if (!valid.success) {
    const first = valid.error.issues[0];
    throw new StoreFileError(file, 'corrupt', `${file} does not hold valid Gloss data (${first ? `${first.path.join('.')}: ${first.message}` : 'invalid'}), so Gloss cannot update it. It was left untouched.`);
  }
  const at = now().toISOString();
  const backup = path.join(BACKUPS_DIR, `schema-2-${at.replace(/[:.]/g, '-')}`);
  await copyBackup(dir, [PROJECT_FILE], backup, fs, onStep);
  const summary = [`Gloss updated this project to a format that saves large changes faster; every document, passage, code and memo is as it was. A copy of the replaced project file is in ${backup}.`];
  const project: ProjectFileData = { ...old, schemaVersion: SCHEMA_VERSION, migrations: [...old.migrations, { from: 2, to: SCHEMA_VERSION, at, backup, summary }] };
  await commitFiles(dir, [{ file: PROJECT_FILE, data: JSON.stringify(project) }], fs, onStep);
  return summary;
}

/**
 * Copies `files` (relative to `dir`) into `dir/backupRel`, flushed, under a temporary name that
 * becomes the backup's name only once every file is in it.
 */
async function copyBackup(dir: string, files: readonly string[], backupRel: string, fs: DurableFs, onStep?: StepHook): Promise<void> {
  const backupsDir = path.join(dir, BACKUPS_DIR);
  await fsp.mkdir(backupsDir, { recursive: true });
  // Half-made backups of interrupted attempts.
  for (const name of await fsp.readdir(backupsDir)) {
    if (name.startsWith(TEMP_MARK)) await fsp.rm(path.join(backupsDir, name), { recursive: true, force: true });
  }
  const temp = path.join(backupsDir, `${TEMP_MARK}${randomUUID()}`);
  for (const rel of files) {
    await onStep?.(`backup ${rel}`);
    const to = path.join(temp, rel);
    await fsp.mkdir(path.dirname(to), { recursive: true });
    await fsp.copyFile(path.join(dir, rel), to);
    const fh = await fsp.open(to, 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  }
  for (const sub of ['', DOCUMENTS_DIR, ANNOTATIONS_DIR]) await fs.syncDir(path.join(temp, sub)).catch(() => undefined);
  await onStep?.('backup complete');
  await fs.rename(temp, path.join(dir, backupRel));
  await fs.syncDir(backupsDir);
}
