import type { ApiHandlers } from '../../shared/api';
import type { ChangeEvent } from '../../shared/changes';

/**
 * What every adapter (Electron, browser-mode server, CLI) gets from the core: the API handlers
 * for one open project, its change feed, plus lifecycle. Adapters own transport and UI; the
 * core owns data.
 */
export interface GlossCore {
  /** One handler per API method. Callers must pass input through `dispatch()` (shared/api.ts). */
  readonly handlers: ApiHandlers;
  /** Calls `listener` with every committed change, in revision order, to push to every window. */
  subscribe(listener: (event: ChangeEvent) => void): () => void;
  /**
   * Resolves once every document's passages have been read. Gloss reads them in the background
   * a moment after opening (the documents list needs none of them); this starts it at once.
   */
  loaded(): Promise<void>;
  /** Resolves once every change accepted so far is on disk (each change is written as it comes). */
  flush(): Promise<void>;
  /** Flushes and releases the project. Safe to call twice. */
  close(): Promise<void>;
  /**
   * Streams every coded passage as CSV into `out` (ending it). A project file Gloss refuses
   * rejects with an `ApiError` of code `store_refused`; `out` is then neither ended nor destroyed.
   */
  exportCsv(out: NodeJS.WritableStream, opts: { bom: boolean }): Promise<{ rows: number }>;
}
