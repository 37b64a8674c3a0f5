import type { ApiClient } from '../shared/api';
import { CHANGE_TYPES, type ChangeEvent } from '../shared/changes';
import { applyEvent } from './changes';
import type { AppState } from './state';
import type { Store } from './store';

/** How long a gap in revisions may stay before the window asks main for what it missed. */
const GAP_WAIT_MS = 250;
/** Events kept to replay onto a document's passages that were read at an older revision. */
const RECENT = 500;

/**
 * Applies change events to the UI in revision order, whatever order they arrive in (a command's
 * own answer, the feed), each once. A gap that does not fill by itself is filled from
 * `changes.since`; if main no longer keeps those events, the window reloads its state.
 */
export class FeedSync {
  private readonly pending = new Map<number, ChangeEvent>();
  private readonly recent: ChangeEvent[] = [];
  private gapTimer: ReturnType<typeof setTimeout> | null = null;
  private catchingUp = false;

  constructor(
    private readonly api: ApiClient,
    private readonly store: Store<AppState>,
    private readonly reload: () => Promise<void>,
  ) {}

  /**
   * An event from the feed, applied in order. It comes from main over the window's own
   * authenticated channel, as every API answer does; its shape is checked, not its every field.
   */
  receive(data: unknown): void {
    if (isChangeEvent(data)) this.accept(data);
  }

  /** Applies `event` once every earlier revision has been applied. */
  accept(event: ChangeEvent): void {
    if (event.revision <= this.store.get().revision) return;
    this.pending.set(event.revision, event);
    this.drain();
  }

  /** Starts from a fresh state at `revision` (after a load). */
  resetTo(revision: number): void {
    this.pending.clear();
    this.recent.length = 0;
    this.store.set((s) => ({ ...s, revision }));
  }

  /**
   * Brings passages read at `revision` for `documentId` up to the state's revision, by
   * replaying what changed them since (only their changes: everything else is newer already).
   */
  replayOnto(documentId: string, revision: number): void {
    const missed = this.recent.filter((e) => e.revision > revision);
    if (missed.length === 0) return;
    this.store.set((s) => {
      let next = s;
      for (const e of missed) {
        const changes = e.changes.filter((c) => (c.type === 'annotation' ? c.annotation.documentId : c.type === 'annotation-removed' ? c.documentId : null) === documentId);
        if (changes.length) next = { ...applyEvent(next, { ...e, changes }), revision: next.revision };
      }
      return next;
    });
  }

  private drain(): void {
    for (;;) {
      const next = this.pending.get(this.store.get().revision + 1);
      if (!next) break;
      this.pending.delete(next.revision);
      this.store.set((s) => applyEvent(s, next));
      this.recent.push(next);
      if (this.recent.length > RECENT) this.recent.shift();
    }
    for (const [r] of this.pending) if (r <= this.store.get().revision) this.pending.delete(r);
    if (this.pending.size > 0 && !this.gapTimer) this.gapTimer = setTimeout(() => void this.catchUp(), GAP_WAIT_MS);
    else if (this.pending.size === 0 && this.gapTimer) {
      clearTimeout(this.gapTimer);
      this.gapTimer = null;
    }
  }

  /** Asks main for the events after the state's revision. */
  async catchUp(): Promise<void> {
    this.gapTimer = null;
    if (this.catchingUp) return;
    this.catchingUp = true;
    try {
      const answer = await this.api['changes.since']({ revision: this.store.get().revision });
      if ('reset' in answer) await this.reload();
      else for (const e of answer.events) this.accept(e);
    } catch {
      // Main unreachable: the next event or reconnect tries again.
    } finally {
      this.catchingUp = false;
    }
  }
}

/** An event holding a kind of change not in CHANGE_TYPES is not one of main's. */
const KNOWN_TYPES = new Set<string>(CHANGE_TYPES);

function isChangeEvent(v: unknown): v is ChangeEvent {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Partial<ChangeEvent>;
  return (
    Number.isSafeInteger(e.revision) &&
    typeof e.label === 'string' &&
    Array.isArray(e.changes) &&
    e.changes.every((c) => typeof c === 'object' && c !== null && KNOWN_TYPES.has((c as { type?: string }).type ?? ''))
  );
}
