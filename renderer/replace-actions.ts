import { ApiError } from '../shared/api-core';
import type { ApiClient, ApiOutput, CommandResult } from '../shared/api';
import { base64OfBytes, encodingNeeded, fitFileName, IMPORT_MAX_BYTES, type EncodingChoice } from './import-files';

/** What main says replacing a document's text with a file would do (`documents.previewReplace`). */
export type ReplacePreview = ApiOutput<'documents.previewReplace'>;

/** One passage of a preview. */
export type ReplacedPassage = ReplacePreview['passages'][number];

/** An earlier text of a document (`documents.versions`). */
export type TextVersion = ApiOutput<'documents.versions'>[number];

/** A preview, or why there is none: main's message, and the encodings to choose from when only the encoding is unknown. */
export type PreviewAnswer = { preview: ReplacePreview } | { refusal: string; encoding: { suggestions: string[]; choices: EncodingChoice[] } | null };

/** "12 unchanged, 3 moved, 2 changed, 1 orphaned". */
export function countsSentence(c: ReplacePreview['counts']): string {
  return `${c.unchanged} unchanged, ${c.moved} moved, ${c.changed} changed, ${c.orphaned} orphaned`;
}

/** What the replace actions borrow from the window's actions (actions.ts). */
export interface ReplaceActionsDeps {
  api: ApiClient;
  applied: (result: CommandResult) => CommandResult;
  serial: <T>(work: () => Promise<T>) => Promise<T>;
}

/**
 * Replacing a document's text with a new version of it: a preview of where each passage goes
 * (which changes nothing), then the replacement as one undoable command; and the texts replaced.
 */
export function replaceActions({ api, applied, serial }: ReplaceActionsDeps) {
  const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));
  return {
    /** Reads `file` and asks main what it would do as the text of `documentId`. */
    async previewReplace(documentId: string, file: File, encoding?: string): Promise<PreviewAnswer> {
      if (file.size > IMPORT_MAX_BYTES) return { refusal: `“${file.name}” is larger than Gloss imports (64 MB).`, encoding: null };
      try {
        const content = base64OfBytes(new Uint8Array(await file.arrayBuffer()));
        const preview = await api['documents.previewReplace']({ documentId, requestId: crypto.randomUUID(), fileName: fitFileName(file.name), content, ...(encoding ? { encoding } : {}) });
        return { preview };
      } catch (e) {
        return { refusal: e instanceof ApiError ? e.message : `Reading “${file.name}” failed: ${message(e)}`, encoding: e instanceof ApiError ? encodingNeeded(e) : null };
      }
    },

    /** Replaces the text as previewed, `orphan` kept unplaced: null when done, else main's refusal. */
    replaceText(token: string, orphan: string[]): Promise<string | null> {
      return serial(async () => {
        try {
          applied(await api['documents.replaceText']({ token, orphan }));
          return null;
        } catch (e) {
          return e instanceof ApiError ? e.message : `Replacing the text failed: ${message(e)}`;
        }
      });
    },

    /** The document's earlier texts, oldest first (none when they cannot be read). */
    documentVersions(documentId: string): Promise<TextVersion[]> {
      return api['documents.versions']({ documentId }).catch(() => []);
    },
  };
}
