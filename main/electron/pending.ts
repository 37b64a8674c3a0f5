/**
 * Work started by IPC messages that has not finished yet. Quitting waits for it before closing
 * the core: the page sends its last changes (a memo still being typed) while its window closes,
 * and those calls must reach the store before it stops accepting changes.
 */
export class PendingWork {
  private readonly running = new Set<Promise<unknown>>();

  /** Returns `work` unchanged, remembering it until it settles. */
  track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    const forget = () => void this.running.delete(work);
    work.then(forget, forget);
    return work;
  }

  /** Resolves once everything tracked so far, and anything tracked meanwhile, has settled. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
