import type { ApiError } from '../shared/api-core';

/**
 * The pure parts of importing documents from the UI: files to base64, what each file's state is
 * called, the report sentence, which committed document is which file, and the encodings a
 * file that needs one is offered. No DOM and no API calls (see import-actions.ts for those).
 */

/** What the file choosers accept: every extension main imports. */
export const IMPORT_ACCEPT = '.txt,.text,.md,.markdown,.html,.htm,.xhtml,.docx,.odt,.epub,.pdf';

/** The largest file offered to main, the importers' limit (main checks again). */
export const IMPORT_MAX_BYTES = 64 * 1024 * 1024;

/** The longest file name the API takes. */
const FILE_NAME_MAX = 255;

/**
 * Bytes per `btoa` call: a multiple of 3, so that no chunk but the last ends in padding and the
 * chunks' base64 simply concatenate; small enough that spreading a chunk into
 * `String.fromCharCode` stays far below any engine's limit on arguments.
 */
const BASE64_CHUNK = 3 * 8192;

/** The base64 of `bytes`, built a chunk at a time (a whole file at once overflows the call stack). */
export function base64OfBytes(bytes: Uint8Array, chunk: number = BASE64_CHUNK): string {
  if (chunk <= 0 || chunk % 3 !== 0) throw new RangeError('chunk must be a positive multiple of 3');
  const parts: string[] = [];
  for (let at = 0; at < bytes.length; at += chunk) {
    const piece = bytes.subarray(at, at + chunk);
    parts.push(btoa(String.fromCharCode(...piece)));
  }
  return parts.join('');
}

/** A file name the API takes: at most 255 characters, keeping its extension (which says its format). */
export function fitFileName(name: string): string {
  if (name.length <= FILE_NAME_MAX) return name;
  const ext = /\.[^.\\/]{1,16}$/.exec(name)?.[0] ?? '';
  return name.slice(0, FILE_NAME_MAX - ext.length) + ext;
}

/** An encoding main reads: its label (what the API takes) and its name (what the user sees). */
export interface EncodingChoice {
  label: string;
  name: string;
}

/** Where a file of an import is. */
export type ImportStatus =
  | { kind: 'waiting' }
  | { kind: 'reading' }
  /** Prepared by main, to be committed. */
  | { kind: 'ready'; token: string; title: string; notes: string[] }
  /** The project (or an earlier file of this import, `of` null) holds its text already: skipped. */
  | { kind: 'duplicate'; of: string | null }
  | { kind: 'failed'; reason: string }
  /** Main will not guess its encoding: the user chooses, best guesses first. */
  | { kind: 'encoding'; reason: string; suggestions: string[]; choices: EncodingChoice[] }
  | { kind: 'imported'; documentId: string; title: string; notes: string[] }
  /** Stopped by Cancel: in flight then, or never sent. */
  | { kind: 'cancelled' };

/** One file of an import. */
export interface ImportItem {
  id: number;
  name: string;
  status: ImportStatus;
}

/** A file's state in words, for its row in the list. */
export function statusText(item: ImportItem): string {
  const s = item.status;
  switch (s.kind) {
    case 'waiting':
      return 'Waiting';
    case 'reading':
      return 'Reading…';
    case 'ready':
      return 'Ready';
    case 'duplicate':
      return s.of === null ? 'Duplicate of another file of this import: skipped' : `Duplicate of “${s.of}”: skipped`;
    case 'failed':
      return `Failed: ${s.reason}`;
    case 'encoding':
      return `Needs its encoding: ${s.reason}`;
    case 'imported':
      // A title that is only the file's name says nothing new.
      return s.title === item.name || s.title === item.name.replace(/\.[^.]*$/, '') ? 'Imported' : `Imported as “${s.title}”`;
    case 'cancelled':
      return 'Not imported (cancelled)';
  }
}

/** How many files of an import are done, of how many. */
export function progressOf(items: readonly ImportItem[]): { done: number; total: number } {
  return { done: items.filter((i) => i.status.kind !== 'waiting' && i.status.kind !== 'reading').length, total: items.length };
}

/** How an import went, counted per outcome. */
export interface ImportCounts {
  imported: number;
  duplicates: number;
  failed: number;
  encoding: number;
  cancelled: number;
}

export function countOutcomes(items: readonly ImportItem[]): ImportCounts {
  const counts: ImportCounts = { imported: 0, duplicates: 0, failed: 0, encoding: 0, cancelled: 0 };
  for (const { status } of items) {
    if (status.kind === 'imported') counts.imported++;
    else if (status.kind === 'duplicate') counts.duplicates++;
    else if (status.kind === 'failed') counts.failed++;
    else if (status.kind === 'encoding') counts.encoding++;
    else if (status.kind === 'cancelled') counts.cancelled++;
  }
  return counts;
}

/** "Imported 7 documents; 2 skipped as duplicates; 1 failed." Outcomes that did not happen are left out. */
export function reportSentence(c: ImportCounts): string {
  const parts = [`Imported ${c.imported === 0 ? 'no documents' : c.imported === 1 ? '1 document' : `${c.imported} documents`}`];
  if (c.duplicates) parts.push(`${c.duplicates} skipped as duplicate${c.duplicates === 1 ? '' : 's'}`);
  if (c.failed) parts.push(`${c.failed} failed`);
  if (c.encoding) parts.push(c.encoding === 1 ? '1 needs its encoding' : `${c.encoding} need their encoding`);
  if (c.cancelled) parts.push(`${c.cancelled} not imported (cancelled)`);
  return `${parts.join('; ')}.`;
}

/**
 * What a refusal of `documents.prepareImport` says about the encoding: the likeliest encodings
 * and every one main reads, when only the encoding is unknown; otherwise null.
 */
export function encodingNeeded(error: Pick<ApiError, 'code' | 'details'>): { suggestions: string[]; choices: EncodingChoice[] } | null {
  if (error.code !== 'invalid_input' || !error.details) return null;
  // The details of this refusal are not in ConflictDetails' type: read them defensively.
  const details = error.details as { encodings?: unknown; choices?: unknown };
  if (!Array.isArray(details.encodings) || !Array.isArray(details.choices)) return null;
  const choices = details.choices.filter((c): c is EncodingChoice => typeof c === 'object' && c !== null && typeof c.label === 'string' && typeof c.name === 'string');
  const known = new Set(choices.map((c) => c.label));
  const suggestions = details.encodings.filter((e): e is string => typeof e === 'string' && known.has(e));
  return choices.length ? { suggestions, choices } : null;
}

/** The encodings offered for a file: its likeliest first, then every one, each with its name. */
export function encodingGroups(suggestions: readonly string[], choices: readonly EncodingChoice[]): { label: string; options: EncodingChoice[] }[] {
  const byLabel = new Map(choices.map((c) => [c.label, c]));
  const likeliest = suggestions.map((s) => byLabel.get(s)).filter((c) => c !== undefined);
  return [...(likeliest.length ? [{ label: 'Likeliest', options: likeliest }] : []), { label: 'All encodings', options: [...choices] }];
}

/** Whether a drag carries files (and not, say, text or a code of the codebook). */
export function carriesFiles(transfer: Pick<DataTransfer, 'types'> | null | undefined): boolean {
  return !!transfer && Array.from(transfer.types).includes('Files');
}

/** The question asked before a document is deleted. */
export function deleteQuestion(title: string, passages: number): string {
  if (passages === 0) return `Delete “${title}”? It has no coded passages. You can undo this.`;
  return `Delete “${title}” and its ${passages === 1 ? '1 coded passage' : `${passages} coded passages`}? You can undo this.`;
}
