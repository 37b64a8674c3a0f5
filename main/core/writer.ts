/**
 * Coalesces saves of one file: at most one write is in flight, and every change made while it
 * runs is carried by the single write that follows it. A caller's promise settles once a write
 * that started after its change has reached disk, so an acknowledged change is a durable one,
 * and a burst of changes costs two writes, not one per change.
 */
export class CoalescingWriter {
  private inFlight: Promise<void> | null = null;
  private queued: Promise<void> | null = null;

  constructor(private readonly writeNow: () => Promise<void>) {}

  /** Schedules a write of the current data; resolves when it is on disk. */
  save(): Promise<void> {
    if (this.queued) return this.queued;
    if (!this.inFlight) return this.start();
    const after = this.inFlight;
    this.queued = after
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.start();
      });
    return this.queued;
  }

  /** Resolves when nothing is being written or waiting to be. */
  async idle(): Promise<void> {
    while (this.inFlight || this.queued) await (this.queued ?? this.inFlight)!.catch(() => undefined);
  }

  private start(): Promise<void> {
    const p = this.writeNow().finally(() => {
      if (this.inFlight === p) this.inFlight = null;
    });
    this.inFlight = p;
    return p;
  }
}
