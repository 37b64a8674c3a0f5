import type { ChangeEvent } from './changes';
import type { PlacedAnnotation } from './model';
import { API_METHODS } from './api-methods';
import type { ApiClient, ApiMethod } from './api';

/**
 * The runtime half of the API that needs no schemas: errors, the response shape, the typed
 * client. The UI imports this (and only types from api.ts), so the page carries no validator
 * library; main validates every input (shared/api.ts, `dispatch`).
 */

/** This window's undo and redo, as the toolbar and menu label them. */
export interface HistoryView {
  /** What Undo would undo ("code passage"), or null when there is nothing. */
  undo: string | null;
  redo: string | null;
}

/** Where the UI should take the user after a command: the passage it acted on, in its document. */
export interface Reveal {
  documentId: string;
  annotationId: string;
  /** The passage has just come back (undo of a delete, redo of a coding): its details take the focus. */
  restored: boolean;
}

/** The answer to every command. */
export interface CommandResult {
  /** The change the command committed, as the feed publishes it. */
  event: ChangeEvent;
  history: HistoryView;
  /** The passage the command made or changed, when there is one. */
  annotation?: PlacedAnnotation;
  reveal?: Reveal;
  /** The code the command made or edited, for codebook commands. */
  codeId?: string;
  /** The document variable the command made or edited, for variable commands. */
  variableId?: string;
  /** The memo the command made or edited, for memo commands. */
  memoId?: string;
  /** The quote collection the command made or edited, for collection commands. */
  collectionId?: string;
  /** The documents the command added, for imports, in the order of the files not skipped. */
  documentIds?: string[];
  /** For imports: the tokens of the files skipped, their text being in the project already. */
  skipped?: string[];
  /** What the user should know of how it went (e.g. passages left alone because they changed since). */
  notice?: string;
}

/** Who is calling: set by the transport, never by the caller's input. */
export interface CallContext {
  /**
   * The calling window, which owns an undo history in main: the desktop app uses the window's
   * contents id, browser mode an id the page keeps for its tab (surviving reloads).
   */
  client: string;
}

/** Error kinds a call can fail with. Transports carry them as `{ code, message, details? }`. */
export type ApiErrorCode = 'invalid_input' | 'unknown_method' | 'not_found' | 'conflict' | 'store_refused' | 'internal';

/** What a failure carries beyond its message, so the user can choose. */
export interface ConflictDetails {
  /** The memo as it is now (a stale memo save). */
  memo?: string;
  /** A titled memo's title as it is now (a stale save of one). */
  title?: string;
  /** The passage as it is now, or null when it is gone. */
  annotation?: PlacedAnnotation | null;
  /** A file to import whose encoding the user must choose: the likeliest labels, best first. */
  encodings?: string[];
  /** …and every encoding Gloss reads, with its name. */
  choices?: { label: string; name: string }[];
}

/** An error with a message fit to show the user. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: ConflictDetails,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Longest error message a reply carries: a hostile input must not produce a huge answer. */
export const MAX_ERROR_MESSAGE = 2048;

/** `message` cut to at most `MAX_ERROR_MESSAGE` code units, ending in "… (message shortened)" if it was cut. */
export function capMessage(message: string): string {
  if (message.length <= MAX_ERROR_MESSAGE) return message;
  const tail = '… (message shortened)';
  let end = MAX_ERROR_MESSAGE - tail.length;
  // Never split a surrogate pair: half of one is not text.
  const c = message.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return message.slice(0, end) + tail;
}

/** The serialisable form of an outcome, the same on every transport. */
export type ApiResponse = { ok: true; result: unknown } | { ok: false; error: { code: ApiErrorCode; message: string; details?: ConflictDetails } };

/** Builds a typed client over any transport that carries `(method, input)` to `dispatch`. */
export function createClient(send: (method: ApiMethod, input: unknown) => Promise<ApiResponse>): ApiClient {
  const client = {} as Record<ApiMethod, (input: unknown) => Promise<unknown>>;
  for (const m of API_METHODS) {
    client[m] = async (input: unknown) => {
      const res = await send(m, input);
      if (!res.ok) throw new ApiError(res.error.code, res.error.message, res.error.details);
      return res.result;
    };
  }
  return client as unknown as ApiClient;
}
