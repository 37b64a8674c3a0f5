import { createHash } from 'node:crypto';

/** SHA-256 (hex) of a document's canonical plain text: the version stamp selectors are made against. */
export function textHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
