import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { Low } from 'lowdb';
import type { z } from 'zod';
import type { Change, ChangeEvent } from '../../shared/changes';
import type { Annotation, DocumentContent, DocumentSummary } from '../../shared/model';
import { plainText } from '../../shared/plain-text';
import { DurableJsonFile, StoreFileError, removeStaleTemps, realFs, type DurableFs, type VersionedFile } from './durable';
import {
  ANNOTATIONS_DIR,
  DOCUMENTS_DIR,
  FORMAT,
  PROJECT_FILE,
  SCHEMA_VERSION,
  countsOf,
  fileSchemas,
  summaryOfEntry,
  type AnnotationsFileData,
  type DocumentCounts,
  type DocumentFileData,
  type ProjectFileData,
} from './files';
import { ChangeLog, LOG_DIR, applyPassages, diffPassages, type LogRecord, type PassageDelta } from './change-log';
import { JOURNAL_FILE, commitFiles, recoverJournal, type FileOp, type StepHook } from './journal';
import { ProjectLockError, acquireProjectLock, type ProjectLock } from './lock';
import { migrateProject } from './migrate';
import { Transactor, type BatchWrite, type Tx, type TxMeta } from './transactor';

/** What a new project starts with. */
export interface ProjectSeed {
  project: ProjectFileData;
  documents: DocumentFileData[];
}

export interface OpenStoreOptions {
  /** Creates the project when the folder holds none. Without it a missing project is an error. */
  seed?: () => Promise<ProjectSeed>;
  /** Opens without a lock and refuses every write (for exports while the app runs). */
  readOnly?: boolean;
  /** File-system steps, injectable so tests can fail them. */
  fs?: DurableFs;
  /** Called before every step of every commit (tests kill the process there). */
  onStep?: StepHook;
  /** The log size that starts a background checkpoint (default CHECKPOINT_BYTES; tests make it small). */
  checkpointBytes?: number;
}

/** A project that cannot be opened. The message is fit to show the user. */
export class ProjectOpenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProjectOpenError';
  }
}

/** A write that the store refuses, because the file it would replace was refused on read. */
export class StoreRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreRefusedError';
  }
}

/**
 * The lowdb adapter every store file uses: reads are DurableJsonFile's strict reads; writes are
 * staged into the transaction being committed, never written alone, so that every change of a
 * commit reaches disk together (journal.ts).
 */
class StagedJsonFile<T extends VersionedFile> extends DurableJsonFile<T> {
  constructor(
    file: string,
    format: string,
    private readonly staging: { ops: FileOp[] | null; dir: string },
  ) {
    super(file, format, SCHEMA_VERSION);
  }
  override async write(data: T): Promise<void> {
    if (!this.staging.ops) throw new Error('Gloss store files are written only inside a transaction.');
    this.staging.ops.push({ file: path.relative(this.staging.dir, this.file), data: JSON.stringify(data) });
  }
}

/**
 * How many bytes the change log may hold before the store writes a checkpoint in the background
 * (change-log.ts). Large enough that a merge over a whole project is one append, small enough
 * that opening after a crash replays little.
 */
export const CHECKPOINT_BYTES = 32 * 1024 * 1024;

/** The project file without what every commit changes, to tell whether anything else did. */
function projectKey(p: ProjectFileData): string {
  return JSON.stringify({ ...p, revision: 0, index: null });
}

interface Slot {
  /** The file's lowdb handle; its `data` is what is being written, `committed` what is on disk. */
  db: Low<AnnotationsFileData> | null;
  committed: Annotation[];
  /** Why the passages are unavailable; the document then shows this and accepts no writes. */
  problem: string | null;
}

async function readLow<T extends VersionedFile>(file: string, format: string, schema: z.ZodType, staging: { ops: FileOp[] | null; dir: string }): Promise<Low<T> | null> {
  // lowdb's read() sets data to what the adapter read, null for a missing file.
  const db = new Low<T>(new StagedJsonFile<T>(file, format, staging), null as unknown as T);
  await db.read();
  if ((db.data as T | null) === null) return null;
  const parsed = schema.safeParse(db.data);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new StoreFileError(file, 'corrupt', `${file} does not hold valid Gloss data (${first ? `${first.path.join('.')}: ${first.message}` : 'invalid'}). Gloss left it untouched.`);
  }
  db.data = parsed.data as T;
  return db;
}

/**
 * One open project folder. Reads the project file at once and each document's passages when
 * they are first needed; commits every change as a transaction over all the files it touches.
 * Never writes over a file it refused.
 */
export class ProjectStore {
  private readonly docCache = new Map<string, DocumentContent>();
  /** Files of earlier texts looked up (`versionFile`): null when missing or refused. */
  private readonly versionCache = new Map<string, DocumentFileData | null>();
  private readonly texts = new Map<string, string>();
  private readonly slots = new Map<string, Promise<Slot>>();
  private readonly loaded = new Map<string, Slot>();
  private readonly transactor: Transactor;
  private closed = false;
  private closing: Promise<void> | null = null;
  /** Passages changed since the checkpoint, per document not yet read: applied when it is. */
  private readonly pending = new Map<string, PassageDelta[]>();
  /** Document files written since the checkpoint (only in the log so far). */
  private readonly pendingDocs = new Map<string, DocumentFileData>();
  /** Documents whose passages changed since the checkpoint, with the revision of the last change. */
  private readonly dirty = new Map<string, number>();
  /** Documents removed since the checkpoint (their files there are void), with the revision of the removal. */
  private readonly voidBase = new Map<string, number>();
  /** Each document's counts as of the checkpoint. */
  private baseCounts: ProjectFileData['index']['documents'];
  private checkpointing: Promise<void> | null = null;
  /** The log size at which the next background checkpoint is due. */
  private nextCheckpointAt: number;
  private readonly projectKeys = new WeakMap<ProjectFileData, string>();
  /** The project file as it is on disk (readers never see a commit before it is durable). */
  private committedProject: ProjectFileData;

  private constructor(
    readonly dir: string,
    private readonly projectDb: Low<ProjectFileData>,
    readonly readOnly: boolean,
    private readonly lock: ProjectLock | null,
    /** What happened on opening that the user should know. */
    readonly notices: string[],
    private readonly fs: DurableFs,
    private readonly onStep: StepHook | undefined,
    /** Where every file's adapter stages its writes for the checkpoint in progress. */
    private readonly staging: { ops: FileOp[] | null; dir: string },
    private readonly log: ChangeLog,
    base: { counts: ProjectFileData['index']['documents']; records: readonly LogRecord[] },
    private readonly checkpointBytes: number,
  ) {
    this.nextCheckpointAt = checkpointBytes;
    this.committedProject = projectDb.data;
    this.baseCounts = base.counts;
    for (const r of base.records) {
      for (const id of r.removedDocuments ?? []) this.voidDocument(id, r.revision);
      for (const doc of r.documents) this.pendingDocs.set(doc.id, doc);
      for (const [id, delta] of Object.entries(r.passages)) {
        const list = this.pending.get(id) ?? [];
        list.push(delta);
        this.pending.set(id, list);
        this.dirty.set(id, r.revision);
      }
    }
    this.transactor = new Transactor({
      project: () => this.committedProject,
      annotations: (id) => {
        const slot = this.loaded.get(id);
        if (!slot?.db) throw new StoreRefusedError(slot?.problem ?? `The passages of document "${id}" are not loaded.`);
        return slot.committed;
      },
      isLoaded: (id) => Boolean(this.loaded.get(id)?.db),
      documentFile: (id) => {
        const content = this.docCache.get(id);
        if (!content) throw new StoreRefusedError(`The text of document "${id}" has not been read.`);
        const file: DocumentFileData = { format: FORMAT.document, schemaVersion: SCHEMA_VERSION, id, meta: content.meta, blocks: content.blocks, textHash: content.textHash };
        if (content.pages) file.pages = content.pages;
        return file;
      },
      versionFile: (id) => {
        const file = this.pendingDocs.get(id) ?? (this.voidBase.has(id) ? null : this.versionCache.get(id));
        if (file === undefined) throw new StoreRefusedError(`The earlier text kept in "${id}" has not been read.`);
        return file;
      },
      persist: (write) => this.persist(write),
      touched: (id, list, project) => {
        const entry = project.documents.find((d) => d.id === id);
        if (!entry) return [];
        return [{ type: 'document', summary: summaryOfEntry(entry, this.countsFor(list)) }];
      },
    });
  }

  /** Opens (or, with `seed`, creates) the project in `dir`, migrating an older one. Throws ProjectOpenError. */
  static async open(dir: string, opts: OpenStoreOptions = {}): Promise<ProjectStore> {
    const abs = path.resolve(dir);
    const readOnly = opts.readOnly ?? false;
    const fs = opts.fs ?? realFs;
    let lock: ProjectLock | null = null;
    const notices: string[] = [];
    try {
      if (!readOnly) {
        await fsp.mkdir(abs, { recursive: true });
        lock = await acquireProjectLock(abs);
        if (lock.tookOver) notices.push(lock.tookOver);
        // Roll an interrupted commit forward before anything is read, then clear what crashes left.
        if (await recoverJournal(abs, fs)) notices.push('Gloss finished saving a change that was being written when it last stopped.');
        await Promise.all([abs, path.join(abs, DOCUMENTS_DIR), path.join(abs, ANNOTATIONS_DIR)].map((d) => removeStaleTemps(d)));
      } else if (await exists(path.join(abs, JOURNAL_FILE))) {
        throw new ProjectOpenError(`The project in ${abs} is being saved by Gloss right now. Try again in a moment.`);
      }
      const staging: { ops: FileOp[] | null; dir: string } = { ops: null, dir: abs };
      const file = path.join(abs, PROJECT_FILE);
      // The log is read before the checkpoint: a checkpoint written in between (by a running
      // app, when this opens read-only) only makes more of it redundant, never leaves a gap.
      const { log, contents } = await ChangeLog.open(abs, { repair: !readOnly, fs, ...(opts.onStep ? { onStep: opts.onStep } : {}) });
      if (contents.tornTail && !readOnly) notices.push('A change that was being saved when Gloss last stopped had not reached the disk whole, and was left out.');
      let raw = await new DurableJsonFile<ProjectFileData>(file, FORMAT.project, SCHEMA_VERSION).read();
      if (raw === null) {
        if (!opts.seed) throw new ProjectOpenError(`There is no Gloss project in ${abs}.`);
        if (await ProjectStore.holdsData(abs)) {
          throw new ProjectOpenError(
            `${abs} holds Gloss documents or coded passages but no ${PROJECT_FILE}. Gloss will not create a new project over them: restore ${PROJECT_FILE} from a backup, or choose another folder.`,
          );
        }
        if (readOnly) throw new ProjectOpenError(`There is no Gloss project in ${abs}.`);
        await ProjectStore.create(abs, await opts.seed(), fs, opts.onStep);
        raw = await new DurableJsonFile<ProjectFileData>(file, FORMAT.project, SCHEMA_VERSION).read();
      } else if (raw.schemaVersion < SCHEMA_VERSION) {
        if (readOnly) {
          throw new ProjectOpenError(`The project in ${abs} was written by an older Gloss (format ${raw.schemaVersion}). Open it once in Gloss to update it, then export.`);
        }
        notices.push(...(await migrateProject(abs, fs, opts.onStep)));
      }
      const db = await readLow<ProjectFileData>(file, FORMAT.project, fileSchemas.project, staging);
      if (!db) throw new ProjectOpenError(`There is no Gloss project in ${abs}.`);
      const counts = { ...db.data.index.documents };
      const records = replay(db.data, contents.records, path.join(abs, LOG_DIR));
      return new ProjectStore(abs, db, readOnly, lock, notices, fs, opts.onStep, staging, log, { counts, records }, opts.checkpointBytes ?? CHECKPOINT_BYTES);
    } catch (e) {
      await lock?.release();
      if (e instanceof StoreFileError || e instanceof ProjectLockError) throw new ProjectOpenError(e.message);
      throw e;
    }
  }

  /** Writes every document, every (empty) annotations file and the project file in one transaction. */
  private static async create(dir: string, seed: ProjectSeed, fs: DurableFs, onStep?: StepHook): Promise<void> {
    await fsp.mkdir(path.join(dir, DOCUMENTS_DIR), { recursive: true });
    await fsp.mkdir(path.join(dir, ANNOTATIONS_DIR), { recursive: true });
    const ops: FileOp[] = [];
    for (const doc of seed.documents) {
      ops.push({ file: path.join(DOCUMENTS_DIR, `${doc.id}.json`), data: JSON.stringify(doc) });
      const empty: AnnotationsFileData = { format: FORMAT.annotations, schemaVersion: SCHEMA_VERSION, documentId: doc.id, annotations: [] };
      ops.push({ file: path.join(ANNOTATIONS_DIR, `${doc.id}.json`), data: JSON.stringify(empty) });
    }
    ops.push({ file: PROJECT_FILE, data: JSON.stringify(seed.project) });
    await commitFiles(dir, ops, fs, onStep);
  }

  /** Whether a folder already holds project data (documents or passages). */
  private static async holdsData(dir: string): Promise<boolean> {
    for (const sub of [DOCUMENTS_DIR, ANNOTATIONS_DIR, LOG_DIR]) {
      const names = await fsp.readdir(path.join(dir, sub)).catch(() => [] as string[]);
      if (names.some((n) => n.endsWith('.json') || n.endsWith('.jsonl'))) return true;
    }
    return false;
  }

  /** The project file's data, as committed. Change it only through `transact`. */
  get project(): Readonly<ProjectFileData> {
    return this.committedProject;
  }

  /** The project's revision. */
  get revision(): number {
    return this.committedProject.revision;
  }

  private documentFile(id: string): string {
    return path.join(this.dir, DOCUMENTS_DIR, `${id}.json`);
  }

  private annotationsFile(id: string): string {
    return path.join(this.dir, ANNOTATIONS_DIR, `${id}.json`);
  }

  /** A document's content, read once and cached; null for an unknown id. */
  async document(id: string): Promise<DocumentContent | null> {
    const entry = this.project.documents.find((d) => d.id === id);
    if (!entry) return null;
    const cached = this.docCache.get(id);
    // The properties are the project entry's (editable without rewriting the text's file).
    if (cached) return cached.meta === entry.meta ? cached : { ...cached, meta: entry.meta };
    let data = this.pendingDocs.get(id);
    if (!data && this.voidBase.has(id)) return null;
    if (!data) {
      const file = this.documentFile(id);
      const db = await readLow<DocumentFileData>(file, FORMAT.document, fileSchemas.document, this.staging);
      if (!db) throw new StoreFileError(file, 'unreadable', `The text of document "${id}" is missing: ${file} does not exist. Restore it from a backup.`);
      if (db.data.id !== id) throw new StoreFileError(file, 'corrupt', `${file} holds the text of another document ("${db.data.id}"). Gloss left it untouched; restore the right file from a backup.`);
      data = db.data;
    }
    const { blocks, textHash, pages } = data;
    const content: DocumentContent = { id, meta: entry.meta, blocks, textHash };
    if (pages) content.pages = pages;
    this.docCache.set(id, content);
    return content;
  }

  /**
   * An earlier version of a document's text, by the id of the file that keeps it (see
   * `DocumentEntry.versions`); null when there is no such file.
   */
  async versionFile(fileId: string): Promise<DocumentFileData | null> {
    const pending = this.pendingDocs.get(fileId);
    if (pending) return pending;
    if (this.voidBase.has(fileId)) return null;
    const cached = this.versionCache.get(fileId);
    if (cached !== undefined) return cached;
    try {
      const db = await readLow<DocumentFileData>(this.documentFile(fileId), FORMAT.document, fileSchemas.document, this.staging);
      const file = db?.data.id === fileId ? db.data : null;
      this.versionCache.set(fileId, file);
      return file;
    } catch (e) {
      // Refused: a change that would take the file along (deleting its document) leaves it be.
      this.versionCache.set(fileId, null);
      throw e;
    }
  }

  /** Looks up the files keeping a document's earlier texts, so that a change may read them (`Tx.versionFile`). */
  async readVersions(documentId: string): Promise<void> {
    const entry = this.project.documents.find((d) => d.id === documentId);
    for (const v of entry?.versions ?? []) await this.versionFile(v.file).catch(() => null);
  }

  /** A document's canonical plain text, computed once. */
  async text(id: string): Promise<string | null> {
    const cached = this.texts.get(id);
    if (cached !== undefined) return cached;
    const doc = await this.document(id);
    if (!doc) return null;
    const text = plainText(doc.blocks);
    this.texts.set(id, text);
    return text;
  }

  /** A document's text if it has been read (see `text`), without waiting. */
  cachedText(id: string): string | null {
    return this.texts.get(id) ?? null;
  }

  private slot(id: string): Promise<Slot> {
    let slot = this.slots.get(id);
    if (!slot) {
      slot = this.readSlot(id).then((s) => {
        this.loaded.set(id, s);
        // Applied now; what changes next goes through `committed`.
        if (s.db) this.pending.delete(id);
        return s;
      });
      this.slots.set(id, slot);
    }
    return slot;
  }

  private async readSlot(id: string): Promise<Slot> {
    const file = this.annotationsFile(id);
    try {
      // A document removed since the checkpoint (perhaps put again since) has no passages there.
      const db = this.voidBase.has(id) ? null : await readLow<AnnotationsFileData>(file, FORMAT.annotations, fileSchemas.annotations, this.staging);
      const deltas = this.pending.get(id) ?? [];
      if (!db) {
        // What the checkpoint says the file held: passages added since are in the log.
        const expected = this.voidBase.has(id) ? 0 : (this.baseCounts[id]?.annotations ?? 0);
        if (expected > 0) {
          return {
            db: null,
            committed: [],
            problem: `The coded passages of this document are missing: ${file} does not exist, and the project recorded ${expected} passage${expected === 1 ? '' : 's'} in it. Restore the file from a backup; until then Gloss will not create a new, empty one over the loss.`,
          };
        }
        return { db: this.emptyAnnotations(id), committed: deltas.reduce<Annotation[]>((list, d) => applyPassages(list, d), []), problem: null };
      }
      const foreign = db.data.documentId !== id ? db.data.documentId : db.data.annotations.find((a) => a.documentId !== id)?.documentId;
      if (foreign !== undefined) {
        return { db: null, committed: [], problem: `${file} holds coded passages of another document ("${foreign}"), perhaps copied from its file. Gloss left it untouched; restore the right file from a backup.` };
      }
      const seen = new Set<string>();
      for (const a of db.data.annotations) {
        if (seen.has(a.id)) return { db: null, committed: [], problem: `${file} is damaged: two coded passages share the id ${a.id}. Gloss left it untouched; restore it from a backup.` };
        seen.add(a.id);
      }
      return { db, committed: deltas.reduce((list, d) => applyPassages(list, d), db.data.annotations), problem: null };
    } catch (e) {
      if (!(e instanceof StoreFileError)) throw e;
      return { db: null, committed: [], problem: e.message };
    }
  }

  private loadingAll: Promise<void> | null = null;

  /**
   * Reads every document's passages, one file at a time with a pause for other work between
   * files, so that a running app answers calls meanwhile. Idempotent; stops when the store closes.
   */
  loadAll(): Promise<void> {
    this.loadingAll ??= (async () => {
      for (const d of this.project.documents) {
        if (this.closed) return;
        await this.slot(d.id);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    return this.loadingAll;
  }

  /** Why a document's passages are unavailable, or null when they are fine (reads them if needed). */
  async problem(documentId: string): Promise<string | null> {
    return (await this.slot(documentId)).problem;
  }

  /** A problem already known, without reading anything. */
  knownProblem(documentId: string): string | null {
    return this.loaded.get(documentId)?.problem ?? null;
  }

  /** Whether a document's passages have been read. */
  isLoaded(documentId: string): boolean {
    return this.loaded.has(documentId);
  }

  /** A document's passages (a live array: do not mutate). Throws StoreRefusedError when its file was refused. */
  async annotations(documentId: string): Promise<readonly Annotation[]> {
    const slot = await this.slot(documentId);
    if (!slot.db) throw new StoreRefusedError(slot.problem!);
    return slot.committed;
  }

  /**
   * The counts of a list of passages, computed once per list: a list is never changed once a
   * change has made it (the next change copies it), and the documents list asks for every
   * document's counts on every call.
   */
  private countsFor(list: readonly Annotation[]): DocumentCounts {
    let counts = this.countsCache.get(list);
    if (!counts) this.countsCache.set(list, (counts = countsOf(list)));
    return counts;
  }
  private readonly countsCache = new WeakMap<readonly Annotation[], DocumentCounts>();

  /** A document's entry in the documents list: counts from the project index, never an annotations file. */
  summary(id: string): DocumentSummary | null {
    const d = this.project.documents.find((e) => e.id === id);
    if (!d) return null;
    const slot = this.loaded.get(id);
    const counts = slot?.db ? this.countsFor(slot.committed) : (this.project.index.documents[id] ?? { annotations: 0, codes: {} });
    const summary = summaryOfEntry(d, counts);
    if (slot?.problem) summary.problem = slot.problem;
    return summary;
  }

  /**
   * Reads a document's passages straight from disk without keeping them, for exports that
   * walk a whole project.
   */
  async readAnnotationsUncached(documentId: string): Promise<readonly Annotation[]> {
    if (this.slots.has(documentId)) return this.annotations(documentId);
    const slot = await this.readSlot(documentId);
    if (!slot.db) throw new StoreRefusedError(slot.problem!);
    return slot.committed;
  }

  /**
   * Runs `change` as one transaction, after reading the passages of `documents` (which it may
   * then read and change through `tx.annotations`). Resolves with its result and its change
   * event once everything it changed is on disk; if it throws, or the write fails, nothing
   * changes.
   */
  async transact<R>(meta: TxMeta & { documents?: readonly string[] }, change: (tx: Tx) => R): Promise<{ value: R; event: ChangeEvent }> {
    this.assertWritable();
    for (const id of meta.documents ?? []) {
      const slot = await this.slot(id);
      if (!slot.db) throw new StoreRefusedError(slot.problem!);
    }
    return this.transactor.run(meta, change);
  }

  /** Calls `listener` with every committed change event, in revision order. */
  subscribe(listener: (event: ChangeEvent) => void): () => void {
    return this.transactor.subscribe(listener);
  }

  private async persist(write: BatchWrite): Promise<void> {
    const { project } = write;
    const record: LogRecord = { revision: project.revision, passages: {}, documents: [...write.documents.values()] };
    // Removed, or removed and put again afresh: their files up to now are void.
    const reset = new Set(write.removed);
    if (reset.size) record.removedDocuments = [...reset];
    const changed: string[] = [];
    for (const [id, list] of write.annotations) {
      if (reset.has(id) && !write.documents.has(id)) continue;
      const counts = this.countsFor(list);
      project.index.documents[id] = counts;
      // New (never read: put in this batch) or reset documents start from no passages.
      const delta = diffPassages(reset.has(id) ? [] : (this.loaded.get(id)?.committed ?? []), list);
      // Read but not changed: nothing to log, nothing to write at the next checkpoint.
      if (delta.put.length === 0 && delta.remove.length === 0 && !reset.has(id)) continue;
      record.passages[id] = { ...delta, counts };
      changed.push(id);
    }
    if (this.keyOf(project) !== this.keyOf(this.committedProject)) record.project = project;
    await this.log.append(record);
    this.committedProject = project;
    for (const id of reset) this.voidDocument(id, project.revision);
    for (const [id, list] of write.annotations) {
      if (reset.has(id) || !this.loaded.has(id)) {
        if (!write.documents.has(id)) continue;
        const slot: Slot = { db: this.emptyAnnotations(id), committed: list, problem: null };
        this.loaded.set(id, slot);
        this.slots.set(id, Promise.resolve(slot));
      } else this.loaded.get(id)!.committed = list;
    }
    for (const id of changed) this.dirty.set(id, project.revision);
    for (const doc of write.documents.values()) {
      this.pendingDocs.set(doc.id, doc);
      this.docCache.delete(doc.id);
      this.texts.delete(doc.id);
      this.versionCache.delete(doc.id);
    }
    if (this.log.bytes >= this.nextCheckpointAt && !this.checkpointing && !this.closing) {
      this.nextCheckpointAt = this.log.bytes + this.checkpointBytes;
      // In the background: commits go on meanwhile, into a new log segment.
      this.checkpointing = this.checkpoint()
        .catch((e: unknown) => console.error(`Gloss could not write a checkpoint of ${this.dir} (its changes are safe in the log): ${(e as Error).message}`))
        .finally(() => (this.checkpointing = null));
    }
  }

  /** Forgets everything of a document up to `revision`: its files at the checkpoint are void from then on. */
  private voidDocument(id: string, revision: number): void {
    this.voidBase.set(id, revision);
    this.pending.delete(id);
    this.pendingDocs.delete(id);
    this.dirty.delete(id);
    this.slots.delete(id);
    this.loaded.delete(id);
    this.docCache.delete(id);
    this.texts.delete(id);
    this.versionCache.delete(id);
  }

  private emptyAnnotations(id: string): Low<AnnotationsFileData> {
    return new Low<AnnotationsFileData>(new StagedJsonFile(this.annotationsFile(id), FORMAT.annotations, this.staging), {
      format: FORMAT.annotations,
      schemaVersion: SCHEMA_VERSION,
      documentId: id,
      annotations: [],
    });
  }

  private keyOf(p: ProjectFileData): string {
    let key = this.projectKeys.get(p);
    if (key === undefined) this.projectKeys.set(p, (key = projectKey(p)));
    return key;
  }

  /**
   * Writes the project's files as of the last commit, in one transaction, and drops the log
   * segments that holds (change-log.ts). The state is taken between commits; the files are
   * written while later commits go on, into a new segment.
   */
  private async checkpoint(): Promise<void> {
    const snap = await this.transactor.exclusive(async () => {
      // Documents changed in the log but not read since opening are read now (file and log).
      for (const id of this.dirty.keys()) await this.slot(id);
      const lists = new Map<string, { slot: Slot; list: readonly Annotation[] }>();
      for (const id of this.dirty.keys()) {
        const slot = this.loaded.get(id)!;
        // A file refused on reading keeps its changes in the log until it is restored.
        if (!slot.db) throw new StoreRefusedError(slot.problem ?? `The passages of document "${id}" cannot be read.`);
        lists.set(id, { slot, list: slot.committed });
      }
      // A document's files, and those keeping its earlier texts (put back with it by an undo).
      const present = new Set(this.committedProject.documents.flatMap((d) => [d.id, ...(d.versions ?? []).map((v) => v.file)]));
      const gone = [...this.voidBase.keys()].filter((id) => !present.has(id));
      return { project: this.committedProject, lists, documents: [...this.pendingDocs.values()], gone, voided: new Map(this.voidBase), sealed: await this.log.seal() };
    });
    this.staging.ops = [];
    try {
      for (const { slot, list } of snap.lists.values()) {
        slot.db!.data = { ...slot.db!.data, schemaVersion: SCHEMA_VERSION, annotations: list as Annotation[] };
        await slot.db!.write();
        // Serialising a whole project blocks; let calls in between.
        await new Promise((resolve) => setImmediate(resolve));
      }
      for (const doc of snap.documents) await new Low<DocumentFileData>(new StagedJsonFile(this.documentFile(doc.id), FORMAT.document, this.staging), doc).write();
      for (const id of snap.gone) {
        this.staging.ops.push({ file: path.join(DOCUMENTS_DIR, `${id}.json`), data: null }, { file: path.join(ANNOTATIONS_DIR, `${id}.json`), data: null });
      }
      this.projectDb.data = snap.project;
      await this.projectDb.write();
      const ops = this.staging.ops;
      this.staging.ops = null;
      await commitFiles(this.dir, ops, this.fs, this.onStep);
    } finally {
      this.staging.ops = null;
    }
    await this.log.dropSealed(snap.sealed);
    const revision = snap.project.revision;
    this.baseCounts = { ...snap.project.index.documents };
    for (const [id, at] of [...this.dirty]) if (at <= revision) this.dirty.delete(id);
    for (const doc of snap.documents) if (this.pendingDocs.get(doc.id) === doc) this.pendingDocs.delete(doc.id);
    for (const [id, at] of snap.voided) if (this.voidBase.get(id) === at) this.voidBase.delete(id);
  }

  private assertWritable(): void {
    if (this.closed || this.closing) throw new StoreRefusedError('The project is closed.');
    if (this.readOnly) throw new StoreRefusedError('The project is open read-only.');
  }

  /** Waits until every accepted change is on disk. */
  async flush(): Promise<void> {
    await this.transactor.idle();
  }

  /** Flushes, writes a checkpoint (so that a closed project is its files alone) and releases the project. */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return (this.closing ??= this.shutDown());
  }

  private async shutDown(): Promise<void> {
    try {
      await this.flush();
      await this.checkpointing;
      if (!this.readOnly && !this.log.empty) {
        await this.checkpoint().catch((e: unknown) => console.error(`Gloss could not write a checkpoint of ${this.dir} on closing (its changes are safe in the log): ${(e as Error).message}`));
      }
      await this.log.close();
    } finally {
      this.closed = true;
      await this.lock?.release();
    }
  }
}

/**
 * Applies the log's records after the checkpoint to the project file data (revision, counts,
 * and the project file where a record holds it); returns those records. A gap in revisions is
 * damage.
 */
function replay(project: ProjectFileData, records: readonly LogRecord[], where: string): LogRecord[] {
  const after = records.filter((r) => r.revision > project.revision);
  let expected = project.revision + 1;
  for (const r of after) {
    if (r.revision !== expected) {
      throw new StoreFileError(where, 'corrupt', `The change log in ${where} is missing changes (revision ${expected} is not there, ${r.revision} is). Gloss left the project untouched; restore the project folder from a backup.`);
    }
    expected++;
    if (r.project) Object.assign(project, r.project);
    for (const [id, delta] of Object.entries(r.passages)) project.index.documents[id] = delta.counts;
    project.revision = r.revision;
  }
  return after;
}

async function exists(file: string): Promise<boolean> {
  return fsp.access(file).then(
    () => true,
    () => false,
  );
}

export type { Change, Tx };
