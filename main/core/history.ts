import type { HistoryView } from '../../shared/api';
import type { Command } from './commands';

/**
 * Undo and redo histories, one per window (client id), kept in main: a window that reloads
 * finds its history as it left it, and one window's undo never takes back another's work.
 * Each step holds the command that undoes (or, once undone, redoes) it.
 */

/** One undoable action. */
export interface Step {
  /** What the user did ("code passage"). */
  label: string;
  /** The command undo (or redo) runs now. */
  command: Command;
}

interface ClientHistory {
  done: Step[];
  undone: Step[];
  /** Serialises this window's history operations. */
  queue: Promise<unknown>;
}

export class Histories {
  private readonly clients = new Map<string, ClientHistory>();

  constructor(
    /** Steps kept per window; older ones are forgotten. */
    private readonly limit = 500,
    /** Windows whose history is kept; the least recently used is forgotten first. */
    private readonly maxClients = 64,
  ) {}

  private of(client: string): ClientHistory {
    let h = this.clients.get(client);
    if (h) {
      // Most recently used last.
      this.clients.delete(client);
    } else {
      h = { done: [], undone: [], queue: Promise.resolve() };
      if (this.clients.size >= this.maxClients) this.clients.delete(this.clients.keys().next().value!);
    }
    this.clients.set(client, h);
    return h;
  }

  /** Runs `work` after this window's earlier history work, so steps never interleave. */
  serial<T>(client: string, work: () => Promise<T>): Promise<T> {
    const h = this.of(client);
    const next = h.queue.then(work, work);
    h.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * Records a step just done and clears the redo stack. A memo save of the same editing
   * session as the last step joins it, so one Undo takes back the whole edit.
   */
  record(client: string, step: Step): void {
    const h = this.of(client);
    const top = h.done.at(-1);
    const cmd = step.command;
    if (top && cmd.kind === 'setMemo' && top.command.kind === 'setMemo' && cmd.session !== undefined && top.command.session === cmd.session && top.command.id === cmd.id) {
      // The joined step still restores the memo from before the session, from the latest text.
      top.command = { ...top.command, base: cmd.base };
    } else {
      h.done.push(step);
      if (h.done.length > this.limit) h.done.shift();
    }
    h.undone = [];
  }

  /** Takes the step Undo (or Redo) would run now; put it back with `file` (or drop it if it can no longer run). */
  take(client: string, which: 'undo' | 'redo'): Step | undefined {
    const h = this.of(client);
    return (which === 'undo' ? h.done : h.undone).pop();
  }

  /** Files a step that was just undone (onto the redo stack) or redone (onto the undo stack). */
  file(client: string, which: 'undo' | 'redo', step: Step): void {
    const h = this.of(client);
    (which === 'undo' ? h.undone : h.done).push(step);
  }

  /** Puts back a step that failed for a passing reason (a failed write), so the user can try again. */
  restore(client: string, which: 'undo' | 'redo', step: Step): void {
    const h = this.of(client);
    (which === 'undo' ? h.done : h.undone).push(step);
  }

  view(client: string): HistoryView {
    const h = this.clients.get(client);
    return { undo: h?.done.at(-1)?.label ?? null, redo: h?.undone.at(-1)?.label ?? null };
  }
}
