/**
 * Commits changes to one file's data, durably and in order.
 *
 * Changes wait in a queue; when no write is in flight, every waiting change is applied, in
 * order, to a copy of the committed state, the copy is written once, and only then does it
 * become the state readers see. So a burst of changes costs one write per batch, a caller's
 * promise settles only when its change is on disk (or definitely not), and memory never holds
 * anything the disk does not: a failed write rejects the whole batch and leaves the state as it
 * was. A change that throws is rejected alone and does not touch the copy.
 */
export class CommitQueue<S> {
  private queue: { change: (draft: S) => unknown; resolve: (v: unknown) => void; reject: (e: unknown) => void }[] = [];
  private writing: Promise<void> | null = null;

  constructor(
    private committed: S,
    private readonly clone: (state: S) => S,
    private readonly persist: (state: S) => Promise<void>,
  ) {}

  /** The committed (on-disk) state. Treat as read-only. */
  get state(): S {
    return this.committed;
  }

  /** Applies `change` to a draft of the state and resolves with its result once written. */
  commit<R>(change: (draft: S) => R): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ change, resolve: resolve as (v: unknown) => void, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.writing) return;
    // Cleared after the assignment even when drain() finishes synchronously; a change that
    // arrived in between starts the next drain.
    this.writing = this.drain().finally(() => {
      this.writing = null;
      if (this.queue.length > 0) this.kick();
    });
  }

  /** Resolves when no change is waiting or being written. */
  async idle(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0);
      let draft = this.committed;
      const applied: { resolve: (v: unknown) => void; reject: (e: unknown) => void; value: unknown }[] = [];
      for (const item of batch) {
        const trial = this.clone(draft);
        try {
          applied.push({ resolve: item.resolve, reject: item.reject, value: item.change(trial) });
          draft = trial;
        } catch (e) {
          item.reject(e);
        }
      }
      if (applied.length === 0) continue;
      try {
        await this.persist(draft);
        this.committed = draft;
        for (const a of applied) a.resolve(a.value);
      } catch (e) {
        for (const a of applied) a.reject(e);
      }
    }
  }
}
