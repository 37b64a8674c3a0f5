/**
 * Reading a bibliography file (BibTeX/BibLaTeX, RIS or CSL-JSON, e.g. exported from Zotero) into
 * clean CSL items for a document's citation (`readBibliography`).
 *
 * The format is told by the file's content (BibTeX starts with `@`, RIS with `TY  - `, CSL-JSON
 * with `[`); a known extension that says otherwise is refused. Bounded: `LIMITS`. Broken syntax
 * is refused with where it breaks; an over-long field is left out with a warning. Nothing in a
 * file is run or fetched: there are no DOI, URL or Wikidata look-ups, LaTeX commands become
 * their letters, and markup is text until the HTML sanitiser escapes it. Every item goes through
 * the same zod schema (csl-json.ts), so only the kept fields, cleaned, come out.
 */
import { BibtexSyntaxError, readBibtex } from './bibtex';
import { cleanCslItem, parseCslJson, type CslItem } from './csl-json';
import { readRis, RisSyntaxError } from './ris';

/** The formats read. */
export type BibliographyFormat = 'bibtex' | 'ris' | 'csl-json';

/** Limits that keep a hostile file's cost bounded. */
export const LIMITS = {
  /** The largest file, in characters (UTF-16 code units) of its text: 5 MB. */
  fileChars: 5 * 1024 * 1024,
  /** The most entries one file may hold. */
  entries: 10_000,
} as const;

/** A bibliography file that cannot be read. The message is a sentence for the user. */
export class BibliographyError extends Error {
  constructor(
    message: string,
    /** The 1-based line where the file is broken, when known. */
    readonly line?: number,
  ) {
    super(message);
    this.name = 'BibliographyError';
  }
}

/** What a file held. */
export interface Bibliography {
  format: BibliographyFormat;
  items: CslItem[];
  /** What was left out or read differently, each a sentence. */
  warnings: string[];
}

const EXTENSIONS: Record<string, BibliographyFormat> = {
  bib: 'bibtex', bibtex: 'bibtex', biblatex: 'bibtex', ris: 'ris', json: 'csl-json', csljson: 'csl-json',
};
const NAMES: Record<BibliographyFormat, string> = { bibtex: 'BibTeX', ris: 'RIS', 'csl-json': 'CSL-JSON' };

/**
 * The items of a BibTeX, RIS or CSL-JSON file. Throws BibliographyError (and nothing else) when
 * the file is too large, is none of these, or is broken (a CSL-JSON item that does not fit the
 * schema too, naming the item and field; a BibTeX or RIS entry that cannot be mapped is left out
 * with a warning); `fileName` names the file in messages and its extension must agree with the
 * content.
 */
export function readBibliography(text: string, fileName?: string): Bibliography {
  const name = fileName ? fileName.replace(/^.*[\\/]/, '') : 'The file';
  const fail = (what: string, line?: number): never => {
    throw new BibliographyError(`${name} cannot be imported: ${what}.`, line);
  };
  if (typeof text !== 'string') fail('it is not text');
  if (text.length > LIMITS.fileChars) fail(`it is larger than ${LIMITS.fileChars / 1024 / 1024} MB`);
  const body = text.replace(/^\uFEFF/, '');
  if (body.includes('\0')) fail('it holds NUL characters, so it is not a text file');

  const format = sniff(body);
  const ext = fileName ? /\.([a-z]+)$/i.exec(fileName)?.[1]?.toLowerCase() : undefined;
  const claimed = ext ? EXTENSIONS[ext] : undefined;
  if (!format) fail('it is not BibTeX (entries start with "@"), RIS (records start with "TY  - ") or CSL-JSON (an array "[ … ]")');
  if (claimed && claimed !== format) fail(`its name says ${NAMES[claimed]}, but it holds ${NAMES[format!]}`);

  const warnings: string[] = [];
  let raw: unknown[];
  try {
    if (format === 'bibtex') raw = readBibtex(body, LIMITS.entries, warnings);
    else if (format === 'ris') raw = readRis(body, warnings);
    else raw = parseCslJson(body).raw;
  } catch (e) {
    if (e instanceof BibtexSyntaxError || e instanceof RisSyntaxError) return fail(e.message, e.line);
    // A parser's own failure on input it did not expect (a deep recursion, a library bug) is
    // still this file's fault and must not reach the user as a crash.
    return fail(e instanceof Error ? firstLine(e.message) : 'it cannot be read');
  }
  if (raw.length > LIMITS.entries) fail(`it holds ${raw.length.toLocaleString('en-US')} entries; at most ${LIMITS.entries.toLocaleString('en-US')} are read`);
  if (raw.length === 0) fail(`it holds no ${NAMES[format!]} entries`);

  const items: CslItem[] = [];
  raw.forEach((entry, i) => {
    const where = describe(format!, entry, i);
    const item = cleanCslItem(entry, where, warnings);
    if (typeof item === 'string') {
      if (format === 'csl-json') fail(item);
      warnings.push(`${item}; the entry was left out.`);
    } else {
      items.push(item);
    }
  });
  if (items.length === 0) fail('none of its entries could be read');
  return { format: format!, items, warnings };
}

/** The format the text's first characters say, or null. */
export function sniff(text: string): BibliographyFormat | null {
  const start = /\S/.exec(text.slice(0, 64 * 1024));
  if (!start) return null;
  const c = text[start.index];
  if (c === '[' || c === '{') return 'csl-json';
  const head = text.slice(start.index, start.index + 64 * 1024);
  if (/^[A-Z][A-Z0-9] {2}-/.test(head) && /^TY {2}-/m.test(head)) return 'ris';
  // BibTeX tolerates comments and text before the first entry (JabRef and Zotero write some).
  // No pattern here may retry a run of blanks from each of its characters (quadratic).
  if (/^[ \t]*@[ \t]*[A-Za-z]+[ \t]*[{(]/m.test(head)) return 'bibtex';
  return null;
}

function describe(format: BibliographyFormat, entry: unknown, i: number): string {
  const id = entry !== null && typeof entry === 'object' ? (entry as Record<string, unknown>)['id'] : undefined;
  const label = typeof id === 'string' || typeof id === 'number' ? ` "${String(id).slice(0, 60)}"` : '';
  return `${NAMES[format]} entry ${i + 1}${label}`;
}

function firstLine(s: string): string {
  return (s.split('\n')[0] ?? '').slice(0, 160);
}
