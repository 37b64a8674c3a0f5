import type { Block, DocumentMeta } from '../../../shared/model';

/**
 * What every importer gives back: the text's structure in the viewer's blocks, the metadata the
 * file states (never invented: a field the file does not give is ''), and what the user should
 * know about what was dropped or guessed.
 */
export interface ImportedText {
  meta: DocumentMeta;
  blocks: Block[];
  /** Things the user should know ("2 images became placeholders", "the encoding was chosen"). */
  notes: string[];
  /** For paged formats (PDF): the page each top-level block starts on, 1-based. */
  pages?: number[];
}

/** The formats Gloss imports. */
export type ImportFormat = 'txt' | 'md' | 'html' | 'docx' | 'odt' | 'epub' | 'pdf';

/** A file that cannot be imported. The message is fit to show the user, naming what is wrong. */
export class ImportFailure extends Error {
  override name = 'ImportFailure';
}

/** Limits every importer keeps to, so that a hostile file costs bounded time and memory. */
export const IMPORT_LIMITS = {
  /** The largest file accepted at all. */
  fileBytes: 64 * 1024 * 1024,
  /** The largest text (HTML, Markdown, XML part) parsed as markup. */
  markupBytes: 24 * 1024 * 1024,
  /** The most characters of text one document may hold. */
  textChars: 16 * 1024 * 1024,
  /** Elements nested deeper than this are read as plain text of the block they are in. */
  depth: 256,
  /** The most blocks one document may hold. */
  blocks: 200_000,
} as const;

/** The empty metadata an importer starts from. */
export function emptyMeta(): DocumentMeta {
  return { title: '', publication: '', author: '', date: '', url: '' };
}

/** The title a file gives, else its name without the extension. */
export function titleOr(meta: DocumentMeta, fileName: string): DocumentMeta {
  if (meta.title.trim() !== '') return meta;
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]+$/, '');
  return { ...meta, title: base.trim() === '' ? 'Untitled' : base };
}

/** An ISO date (YYYY, YYYY-MM or YYYY-MM-DD) from the start of a date or date-time, or ''. */
export function isoDate(value: string | null | undefined): string {
  const m = /^\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(value ?? '');
  if (!m) return '';
  const [, y, mo, d] = m;
  if (mo === undefined) return y!;
  if (Number(mo) < 1 || Number(mo) > 12) return y!;
  if (d === undefined) return `${y}-${mo}`;
  const days = new Date(Date.UTC(Number(y), Number(mo), 0)).getUTCDate();
  return Number(d) >= 1 && Number(d) <= days ? `${y}-${mo}-${d}` : `${y}-${mo}`;
}

/**
 * `s` without the characters `strip` matches at its start and at its end, in linear time: a
 * regular expression such as `/\s+$/` retries at every position of a long inner run of blanks
 * and turns quadratic (a paragraph of a million line breaks would take minutes).
 */
export function trimEnds(s: string, strip: (c: string) => boolean, start = strip): string {
  let from = 0;
  let to = s.length;
  while (from < to && start(s[from]!)) from++;
  while (to > from && strip(s[to - 1]!)) to--;
  return from === 0 && to === s.length ? s : s.slice(from, to);
}

/** White space as `\s` has it. */
export const isSpace = (c: string): boolean => /\s/.test(c);
