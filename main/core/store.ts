import { randomUUID } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Low } from 'lowdb';
import type { z } from 'zod';
import type { Annotation, DocumentContent } from '../../shared/model';
import { DurableJsonFile, StoreFileError, removeStaleTemps, writeFileDurable, type VersionedFile } from './durable';
import {
  ANNOTATIONS_DIR,
  DOCUMENTS_DIR,
  FORMAT,
  LOCK_FILE,
  PROJECT_FILE,
  SCHEMA_VERSION,
  fileSchemas,
  type AnnotationsFileData,
  type DocumentFileData,
  type ProjectFileData,
} from './files';
import { CommitQueue } from './writer';

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

interface AnnotationSlot {
  queue: CommitQueue<Annotation[]> | null;
  /** Why the file was refused on read; the document then shows this and accepts no writes. */
  problem: string | null;
}

/** Folders locked by this process (with the nonce written in their lock), so one process cannot open a project twice. */
const lockedHere = new Map<string, string>();

/** A lock file younger than this with unreadable content is being written by another opener, not left by a crash. */
const LOCK_SETTLE_MS = 10_000;

/** Writes a Low's data durably through its adapter; the queue decides when data counts as committed. */
function persistWith<T>(db: Low<T>): (state: T) => Promise<void> {
  return async (state) => {
    db.data = state;
    await db.write();
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readValidated<T extends VersionedFile>(file: string, format: string, schema: z.ZodType): Promise<Low<T> | null> {
  const adapter = new DurableJsonFile<T>(file, format, SCHEMA_VERSION);
  const raw = await adapter.read();
  if (raw === null) return null;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new StoreFileError(file, 'corrupt', `${file} does not hold valid Gloss data (${first ? `${first.path.join('.')}: ${first.message}` : 'invalid'}). Gloss left it untouched.`);
  }
  return new Low<T>(adapter, parsed.data as T);
}

/**
 * One open project folder. Keeps the project file and every document's passages in memory,
 * writes each file durably and only when it changed, and never writes over a file it refused.
 */
export class ProjectStore {
  private readonly docCache = new Map<string, DocumentContent>();
  private readonly slots = new Map<string, AnnotationSlot>();
  private readonly projectQueue: CommitQueue<ProjectFileData>;
  private closed = false;

  private constructor(
    readonly dir: string,
    projectDb: Low<ProjectFileData>,
    readonly readOnly: boolean,
  ) {
    this.projectQueue = new CommitQueue(projectDb.data, (p) => structuredClone(p), persistWith(projectDb));
  }

  /** Opens (or, with `seed`, creates) the project in `dir`. Throws ProjectOpenError. */
  static async open(dir: string, opts: OpenStoreOptions = {}): Promise<ProjectStore> {
    const abs = path.resolve(dir);
    const projectFile = path.join(abs, PROJECT_FILE);
    let db: Low<ProjectFileData> | null;
    try {
      db = await readValidated<ProjectFileData>(projectFile, FORMAT.project, fileSchemas.project);
    } catch (e) {
      if (e instanceof StoreFileError) throw new ProjectOpenError(e.message);
      throw e;
    }
    if (!db && !opts.seed) throw new ProjectOpenError(`There is no Gloss project in ${abs}.`);
    if (!db && (await ProjectStore.holdsData(abs))) {
      throw new ProjectOpenError(
        `${abs} holds Gloss documents or coded passages but no ${PROJECT_FILE}. Gloss will not create a new project over them: restore ${PROJECT_FILE} from a backup, or choose another folder.`,
      );
    }
    if (!opts.readOnly) await ProjectStore.lock(abs);
    try {
      if (!db) db = await ProjectStore.create(abs, await opts.seed!());
      // Only the lock holder may clear temporaries: another process's could be in flight.
      else if (!opts.readOnly) await Promise.all([abs, path.join(abs, DOCUMENTS_DIR), path.join(abs, ANNOTATIONS_DIR)].map((d) => removeStaleTemps(d)));
      const store = new ProjectStore(abs, db, opts.readOnly ?? false);
      if (!store.readOnly) await Promise.all(db.data.documents.map((d) => store.slot(d.id)));
      return store;
    } catch (e) {
      if (!opts.readOnly) await ProjectStore.unlock(abs);
      throw e;
    }
  }

  /** Writes documents and empty annotation files first and the project file last, so a crash mid-way leaves no half project. */
  private static async create(dir: string, seed: ProjectSeed): Promise<Low<ProjectFileData>> {
    await fsp.mkdir(path.join(dir, DOCUMENTS_DIR), { recursive: true });
    await fsp.mkdir(path.join(dir, ANNOTATIONS_DIR), { recursive: true });
    for (const doc of seed.documents) {
      await writeFileDurable(path.join(dir, DOCUMENTS_DIR, `${doc.id}.json`), JSON.stringify(doc));
      const empty: AnnotationsFileData = { format: FORMAT.annotations, schemaVersion: SCHEMA_VERSION, documentId: doc.id, annotations: [] };
      await writeFileDurable(path.join(dir, ANNOTATIONS_DIR, `${doc.id}.json`), JSON.stringify(empty));
    }
    const db = new Low<ProjectFileData>(new DurableJsonFile(path.join(dir, PROJECT_FILE), FORMAT.project, SCHEMA_VERSION), seed.project);
    await db.write();
    return db;
  }

  /** Whether a folder already holds project data (documents or passages). */
  private static async holdsData(dir: string): Promise<boolean> {
    for (const sub of [DOCUMENTS_DIR, ANNOTATIONS_DIR]) {
      const names = await fsp.readdir(path.join(dir, sub)).catch(() => [] as string[]);
      if (names.some((n) => n.endsWith('.json'))) return true;
    }
    return false;
  }

  /**
   * Takes the project's lock file, created exclusively. A lock is taken over only when it is
   * provably stale: written on this computer by a process that no longer runs. A lock from
   * another computer (a shared or synced folder) is never taken over silently.
   */
  private static async lock(dir: string): Promise<void> {
    if (lockedHere.has(dir)) throw new ProjectOpenError(`The project in ${dir} is already open in this Gloss.`);
    await fsp.mkdir(dir, { recursive: true });
    const file = path.join(dir, LOCK_FILE);
    const nonce = randomUUID();
    const mine = JSON.stringify({ pid: process.pid, host: os.hostname(), nonce, since: new Date().toISOString() });
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fh = await fsp.open(file, 'wx');
        try {
          await fh.writeFile(mine);
          await fh.sync();
        } finally {
          await fh.close();
        }
        lockedHere.set(dir, nonce);
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const held = await fsp.readFile(file, 'utf8').then(
        (t) => JSON.parse(t) as { pid?: unknown; host?: unknown },
        () => null,
      );
      if (held === null || typeof held !== 'object') {
        const age = await fsp.stat(file).then((st) => Date.now() - st.mtimeMs, () => Infinity);
        if (age < LOCK_SETTLE_MS) throw new ProjectOpenError(`The project in ${dir} is being opened by another Gloss. Try again in a moment.`);
      } else if (held.host !== os.hostname()) {
        throw new ProjectOpenError(
          `The project in ${dir} is open in Gloss on another computer (${String(held.host)}). Close it there first; if that Gloss is no longer running, delete ${LOCK_FILE} in the project folder.`,
        );
      } else if (typeof held.pid === 'number' && held.pid !== process.pid && isAlive(held.pid)) {
        throw new ProjectOpenError(`The project in ${dir} is open in another Gloss (process ${held.pid}). Close it there first.`);
      }
      // Stale: moved aside atomically, so two openers cannot both remove it.
      const aside = `${file}.stale-${nonce}`;
      try {
        await fsp.rename(file, aside);
        await fsp.rm(aside, { force: true });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
    }
    throw new ProjectOpenError(`Gloss could not lock the project in ${dir}: another Gloss keeps opening it.`);
  }

  /** Removes the lock, if it is still ours. */
  private static async unlock(dir: string): Promise<void> {
    const nonce = lockedHere.get(dir);
    lockedHere.delete(dir);
    const file = path.join(dir, LOCK_FILE);
    const held = await fsp.readFile(file, 'utf8').then(
      (t) => JSON.parse(t) as { nonce?: unknown },
      () => null,
    );
    if (held && held.nonce === nonce) await fsp.rm(file, { force: true });
  }

  /** The project file's data. Mutate only through `updateProject`. */
  get project(): Readonly<ProjectFileData> {
    return this.projectQueue.state;
  }

  /** A document's content, read once and cached. */
  async document(id: string): Promise<DocumentContent | null> {
    const cached = this.docCache.get(id);
    if (cached) return cached;
    if (!this.project.documents.some((d) => d.id === id)) return null;
    const db = await readValidated<DocumentFileData>(path.join(this.dir, DOCUMENTS_DIR, `${id}.json`), FORMAT.document, fileSchemas.document);
    if (!db) throw new StoreFileError(path.join(this.dir, DOCUMENTS_DIR, `${id}.json`), 'unreadable', `The text of document "${id}" is missing from the project folder.`);
    const { meta, blocks, textHash } = db.data;
    const content: DocumentContent = { id, meta, blocks, textHash };
    this.docCache.set(id, content);
    return content;
  }

  private annotationsFile(id: string): string {
    return path.join(this.dir, ANNOTATIONS_DIR, `${id}.json`);
  }

  private async slot(id: string): Promise<AnnotationSlot> {
    let slot = this.slots.get(id);
    if (slot) return slot;
    const file = this.annotationsFile(id);
    try {
      const db =
        (await readValidated<AnnotationsFileData>(file, FORMAT.annotations, fileSchemas.annotations)) ??
        new Low<AnnotationsFileData>(new DurableJsonFile(file, FORMAT.annotations, SCHEMA_VERSION), {
          format: FORMAT.annotations,
          schemaVersion: SCHEMA_VERSION,
          documentId: id,
          annotations: [],
        });
      slot = { queue: new CommitQueue(db.data.annotations, (list) => [...list], async (annotations) => persistWith(db)({ ...db.data, annotations })), problem: null };
    } catch (e) {
      if (!(e instanceof StoreFileError)) throw e;
      slot = { queue: null, problem: e.message };
    }
    this.slots.set(id, slot);
    return slot;
  }

  /** Why a document's passages are unavailable, or null when they are fine. */
  async problem(documentId: string): Promise<string | null> {
    return (await this.slot(documentId)).problem;
  }

  /** A document's passages (a live array: do not mutate outside `updateAnnotations`). */
  async annotations(documentId: string): Promise<readonly Annotation[]> {
    const slot = await this.slot(documentId);
    if (slot.problem) throw new StoreRefusedError(slot.problem);
    return slot.queue!.state;
  }

  /**
   * Reads a document's passages straight from disk without keeping them, for exports that
   * walk a whole project.
   */
  async readAnnotationsUncached(documentId: string): Promise<readonly Annotation[]> {
    const cached = this.slots.get(documentId);
    if (cached) return this.annotations(documentId);
    const db = await readValidated<AnnotationsFileData>(this.annotationsFile(documentId), FORMAT.annotations, fileSchemas.annotations);
    return db?.data.annotations ?? [];
  }

  /**
   * Changes a document's passages and resolves with the change's result once it is on disk.
   * `change` gets a draft (a fresh array) and runs when earlier changes are committed, so it
   * always sees the latest state; if it throws, or the write fails, nothing changes.
   */
  async updateAnnotations<R>(documentId: string, change: (list: Annotation[]) => R): Promise<R> {
    this.assertWritable();
    const slot = await this.slot(documentId);
    if (slot.problem) throw new StoreRefusedError(slot.problem);
    return slot.queue!.commit(change);
  }

  /** Changes the project file (on a deep copy) and resolves once the change is on disk. */
  async updateProject<R>(change: (data: ProjectFileData) => R): Promise<R> {
    this.assertWritable();
    return this.projectQueue.commit(change);
  }

  private assertWritable(): void {
    if (this.closed) throw new StoreRefusedError('The project is closed.');
    if (this.readOnly) throw new StoreRefusedError('The project is open read-only.');
  }

  /** Waits until every accepted change is on disk. */
  async flush(): Promise<void> {
    await this.projectQueue.idle();
    await Promise.all([...this.slots.values()].map((s) => s.queue?.idle()));
  }

  /** Flushes and releases the project. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    if (!this.readOnly) await ProjectStore.unlock(this.dir);
  }
}
