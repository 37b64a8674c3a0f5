/**
 * Undo and redo for the session's coding actions. A step knows how to undo and redo itself
 * through the API; steps run one at a time, in order, so a fast run of Ctrl+Z never interleaves.
 */
export interface Step {
  /** What the step did, for the Undo/Redo labels ("Undo delete passage"). */
  label: string;
  undo(): Promise<void>;
  redo(): Promise<void>;
}

export interface HistoryView {
  undoLabel: string | null;
  redoLabel: string | null;
}

export class History {
  private done: Step[] = [];
  private undone: Step[] = [];
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly onChange: (view: HistoryView) => void,
    private readonly limit = 500,
  ) {}

  /** Records a step that has just been done. Clears the redo stack. */
  push(step: Step): void {
    this.done.push(step);
    if (this.done.length > this.limit) this.done.shift();
    this.undone = [];
    this.changed();
  }

  /** Runs `work` after every queued step, so actions and undo stay in order. */
  run<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  undo(): Promise<void> {
    return this.move(this.done, this.undone, (step) => step.undo());
  }

  redo(): Promise<void> {
    return this.move(this.undone, this.done, (step) => step.redo());
  }

  /** Takes the top step of `from`, runs it, and files it on `to`; on failure it stays where it was, since nothing changed. */
  private move(from: Step[], to: Step[], run: (step: Step) => Promise<void>): Promise<void> {
    return this.run(async () => {
      const step = from.pop();
      if (!step) return;
      try {
        await run(step);
        to.push(step);
      } catch (e) {
        from.push(step);
        throw e;
      } finally {
        this.changed();
      }
    });
  }

  private changed(): void {
    this.onChange({ undoLabel: this.done.at(-1)?.label ?? null, redoLabel: this.undone.at(-1)?.label ?? null });
  }
}
