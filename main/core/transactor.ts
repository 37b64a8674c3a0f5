import type { Change, ChangeEvent } from '../../shared/changes';
import type { Annotation } from '../../shared/model';
import type { DocumentFileData, ProjectFileData } from './files';

/**
 * Group commit of transactions over the whole project.
 *
 * A change is a synchronous function over a `Tx`, a copy-on-write view of the project: the
 * project file, any document's passages, new document files. Changes wait in one queue; when no
 * write is in flight, every waiting change runs in order against the state its predecessors
 * left, each getting the next revision number, and the whole batch is persisted as one
 * transaction (journal.ts). Only when that is on disk does the batch become what readers see,
 * each caller's promise resolve and each change's event go out. A change that throws is rejected
 * alone, leaving no trace; a failed write rejects the whole batch and leaves the state as it was.
 */

/** What a change may read and write. */
export interface Tx {
  /** The revision this change will have. */
  readonly revision: number;
  /** The project file, to read or change (copied on first use). */
  readonly project: ProjectFileData;
  /** A document's passages, to read or change (copied on first use). The store must have loaded them. */
  annotations(documentId: string): Annotation[];
  /** Whether a document's passages are loaded (so that `annotations` may read them). */
  isLoaded(documentId: string): boolean;
  /** A document's file as it is now (put in this batch, or committed: the store must have read it). */
  documentFile(documentId: string): DocumentFileData;
  /**
   * A file keeping an earlier text of a document (`DocumentEntry.versions`), as it is now: put
   * or removed in this batch, or committed, as the store looked it up before the change
   * (`ProjectStore.versionFile`); null when there is none or it was refused.
   */
  versionFile(fileId: string): DocumentFileData | null;
  /** Adds or replaces a document's text file. */
  putDocument(doc: DocumentFileData): void;
  /**
   * Removes a document's text and passages files (its entry in the project file is the change's
   * to remove), or a file keeping an earlier text of one. Its passages may be read before, for
   * an inverse; a later `putDocument` of the same id, in this batch, starts it afresh with no
   * passages.
   */
  removeDocument(documentId: string): void;
  /** Records what changed, for the change feed. */
  emit(change: Change): void;
}

/** The committed state the transactor works from, and how to persist a batch. */
export interface TxHost {
  project(): ProjectFileData;
  /** A loaded document's committed passages; throws if not loaded. */
  annotations(documentId: string): readonly Annotation[];
  /** Whether a document's committed passages are loaded. */
  isLoaded(documentId: string): boolean;
  /** A document's committed file; throws if it has not been read. */
  documentFile(documentId: string): DocumentFileData;
  /** A committed file of an earlier text, null when there is none; throws if it has not been looked up. */
  versionFile(fileId: string): DocumentFileData | null;
  /** Writes the batch as one transaction; on success it becomes the committed state. */
  persist(write: BatchWrite): Promise<void>;
  /** Changes the store adds to every change's event for the documents it touched (their list entries). */
  touched(documentId: string, list: readonly Annotation[], project: ProjectFileData): Change[];
}

/** One batch, as it is written. */
export interface BatchWrite {
  project: ProjectFileData;
  annotations: Map<string, Annotation[]>;
  documents: Map<string, DocumentFileData>;
  /** Documents removed, in the order they were; a document put again after is in `documents` too. */
  removed: string[];
}

/** How a change is labelled in the feed, and who made it. */
export interface TxMeta {
  origin: string | null;
  label: string;
}

interface Item {
  meta: TxMeta;
  change: (tx: Tx) => unknown;
  resolve: (v: { value: unknown; event: ChangeEvent }) => void;
  reject: (e: unknown) => void;
}

/** Work that must see no commit in flight (see `Transactor.exclusive`). */
interface Exclusive {
  exclusive: () => Promise<void>;
}

class Overlay {
  project: ProjectFileData | null = null;
  readonly lists = new Map<string, Annotation[]>();
  readonly documents = new Map<string, DocumentFileData>();
  readonly removed: string[] = [];
  constructor(readonly host: TxHost) {}
  currentProject(): ProjectFileData {
    return this.project ?? this.host.project();
  }
  currentAnnotations(id: string): readonly Annotation[] {
    return this.lists.get(id) ?? this.host.annotations(id);
  }
}

class DraftTx implements Tx {
  private draftProject: ProjectFileData | null = null;
  readonly lists = new Map<string, Annotation[]>();
  readonly documents = new Map<string, DocumentFileData>();
  readonly removed: string[] = [];
  readonly changes: Change[] = [];
  constructor(
    private readonly base: Overlay,
    readonly revision: number,
  ) {}
  get project(): ProjectFileData {
    return (this.draftProject ??= structuredClone(this.base.currentProject()));
  }
  get projectDraft(): ProjectFileData | null {
    return this.draftProject;
  }
  annotations(documentId: string): Annotation[] {
    let list = this.lists.get(documentId);
    if (!list) {
      // A document this batch puts that has no committed passages loaded is new (or put back): none yet.
      const fresh = !this.base.lists.has(documentId) && !this.base.host.isLoaded(documentId) && (this.documents.has(documentId) || this.base.documents.has(documentId));
      list = fresh ? [] : [...this.base.currentAnnotations(documentId)];
      this.lists.set(documentId, list);
    }
    return list;
  }
  documentFile(documentId: string): DocumentFileData {
    return this.documents.get(documentId) ?? this.base.documents.get(documentId) ?? this.base.host.documentFile(documentId);
  }
  versionFile(fileId: string): DocumentFileData | null {
    const put = this.documents.get(fileId) ?? this.base.documents.get(fileId);
    if (put) return put;
    if (this.removed.includes(fileId) || this.base.removed.includes(fileId)) return null;
    return this.base.host.versionFile(fileId);
  }
  isLoaded(documentId: string): boolean {
    return this.lists.has(documentId) || this.base.lists.has(documentId) || this.base.host.isLoaded(documentId);
  }
  putDocument(doc: DocumentFileData): void {
    this.documents.set(doc.id, doc);
  }
  removeDocument(documentId: string): void {
    this.removed.push(documentId);
    this.documents.delete(documentId);
    // No passages from here on, also for a later change of this batch (or a putDocument again).
    this.lists.set(documentId, []);
  }
  emit(change: Change): void {
    this.changes.push(change);
  }
}

export class Transactor {
  private queue: (Item | Exclusive)[] = [];
  private writing: Promise<void> | null = null;
  private listeners = new Set<(event: ChangeEvent) => void>();

  constructor(private readonly host: TxHost) {}

  /** Runs `change` in the next batch; resolves with its result and event once it is on disk. */
  run<R>(meta: TxMeta, change: (tx: Tx) => R): Promise<{ value: R; event: ChangeEvent }> {
    return new Promise((resolve, reject) => {
      this.queue.push({ meta, change, resolve: resolve as Item['resolve'], reject });
      this.kick();
    });
  }

  /**
   * Runs `work` between batches: after every change queued before it is on disk, before any
   * queued after it is run. For the store's checkpoints, which must see the state at rest.
   */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    return new Promise((resolve, reject) => {
      this.queue.push({ exclusive: () => work().then(resolve, reject) });
      this.kick();
    });
  }

  /** Calls `listener` with every committed event, in revision order. */
  subscribe(listener: (event: ChangeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when nothing is waiting or being written. */
  async idle(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private kick(): void {
    if (this.writing) return;
    this.writing = this.drain().finally(() => {
      this.writing = null;
      if (this.queue.length > 0) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      if ('exclusive' in head) {
        this.queue.shift();
        await head.exclusive();
        continue;
      }
      const next = this.queue.findIndex((q) => 'exclusive' in q);
      const batch = this.queue.splice(0, next < 0 ? this.queue.length : next) as Item[];
      const overlay = new Overlay(this.host);
      let revision = this.host.project().revision;
      const applied: { item: Item; value: unknown; event: ChangeEvent }[] = [];
      for (const item of batch) {
        const tx = new DraftTx(overlay, revision + 1);
        let value: unknown;
        const changes: Change[] = [];
        try {
          value = item.change(tx);
          changes.push(...tx.changes);
          const project = tx.projectDraft ?? overlay.currentProject();
          for (const [id, list] of tx.lists) changes.push(...this.host.touched(id, list, project));
        } catch (e) {
          item.reject(e);
          continue;
        }
        revision += 1;
        if (tx.projectDraft) overlay.project = tx.projectDraft;
        for (const [id, list] of tx.lists) overlay.lists.set(id, list);
        for (const id of tx.removed) {
          overlay.removed.push(id);
          overlay.documents.delete(id);
        }
        for (const [id, doc] of tx.documents) overlay.documents.set(id, doc);
        applied.push({ item, value, event: { revision, origin: item.meta.origin, label: item.meta.label, changes } });
      }
      if (applied.length === 0) continue;
      const project = overlay.project ?? structuredClone(this.host.project());
      project.revision = revision;
      try {
        await this.host.persist({ project, annotations: overlay.lists, documents: overlay.documents, removed: overlay.removed });
      } catch (e) {
        for (const a of applied) a.item.reject(e);
        continue;
      }
      for (const a of applied) a.item.resolve({ value: a.value, event: a.event });
      for (const a of applied) for (const l of [...this.listeners]) l(a.event);
    }
  }
}
