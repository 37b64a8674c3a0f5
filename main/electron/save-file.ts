import { z } from 'zod';
import { describeIssues } from '../../shared/api';
import type { SaveFileRequest } from '../../shared/desktop-bridge';

/**
 * Validation of the renderer's save-file requests. The renderer only proposes a name; the user
 * picks the folder in a native dialog, so a request can never name a path by itself.
 */

/**
 * Upper bound on exported text, in UTF-16 code units. Far above any real export (a CSV of every
 * passage of a large project is a few megabytes), low enough that a runaway renderer cannot make
 * main buffer gigabytes.
 */
export const SAVE_FILE_MAX_CHARS = 256 * 1024 * 1024;

/**
 * A file name without folders that every platform accepts: no separators or characters Windows
 * forbids, no control characters, no leading dot (`.`, `..`, hidden files), and no trailing dot
 * or space (which Windows silently strips).
 */
const SafeBaseName = z
  .string()
  .min(1)
  .max(200)
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  .regex(/^[^/\\:*?"<>|\u0000-\u001f\u007f]+$/, 'must be a file name without folders or special characters')
  .refine((name) => !name.startsWith('.') && !/[. ]$/.test(name) && name.trim() === name, 'must not start with a dot or start or end with a space or dot');

/** The schema of `saveFile` requests. */
export const saveFileRequestSchema = z
  .object({
    suggestedName: SafeBaseName,
    content: z.string().max(SAVE_FILE_MAX_CHARS),
  })
  .strict() satisfies z.ZodType<SaveFileRequest>;

/** Validates a request from the renderer; throws an Error with one readable line per problem. */
export function parseSaveFileRequest(input: unknown): SaveFileRequest {
  const parsed = saveFileRequestSchema.safeParse(input);
  if (!parsed.success) throw new Error(`saveFile: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
