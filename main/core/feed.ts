import type { ChangeEvent, ChangesSince } from '../../shared/changes';

/**
 * The change feed: the last committed events, for windows that missed some (a sleep, a
 * reconnect), and live delivery to subscribers (IPC in the desktop app, a stream in browser
 * mode). A window further behind than what is kept reloads its state.
 */
export class ChangeFeed {
  private readonly events: ChangeEvent[] = [];
  private readonly listeners = new Set<(event: ChangeEvent) => void>();

  constructor(
    /** The revision the feed starts at (the project's when it was opened). */
    private revision: number,
    /** Events kept for catching up. */
    private readonly keep = 1000,
  ) {}

  /** Publishes a committed event (revisions arrive in order). */
  publish(event: ChangeEvent): void {
    this.revision = event.revision;
    this.events.push(event);
    if (this.events.length > this.keep) this.events.splice(0, this.events.length - this.keep);
    for (const l of [...this.listeners]) l(event);
  }

  /** The events after `revision`, or `reset` when some of them are no longer kept. */
  since(revision: number): ChangesSince {
    if (revision >= this.revision) return { revision: this.revision, events: [] };
    const first = this.events[0];
    if (!first || first.revision > revision + 1) return { revision: this.revision, reset: true };
    return { revision: this.revision, events: this.events.filter((e) => e.revision > revision) };
  }

  get current(): number {
    return this.revision;
  }

  subscribe(listener: (event: ChangeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
