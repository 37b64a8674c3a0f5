/**
 * Plain text written into the Markdown files Gloss exports (passages, memos, collections): what
 * Markdown would read as markup is escaped, so the text reads as the user wrote it and no HTML in
 * it is taken as HTML.
 */

/**
 * `text` with Markdown's own characters escaped; with `citations`, `@` too, which Pandoc reads
 * as the start of a citation in a file that holds citations of its own.
 */
export function markdownText(text: string, opts: { citations?: boolean } = {}): string {
  return text.replace(opts.citations ? /[\\`*_[\]<>#|@]/g : /[\\`*_[\]<>#|]/g, (c) => `\\${c}`);
}
