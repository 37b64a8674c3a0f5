/**
 * BibTeX and BibLaTeX through @citation-js/plugin-bibtex: reading a `.bib` file into raw CSL
 * items, and writing items as BibLaTeX, the `.bib` dialect Pandoc reads.
 *
 * Reading runs in two stages so that a hostile file costs little: the grammar first turns the text
 * into entries of raw field strings (string macros joined without copying), which are counted
 * and measured (`ENTRIES_MAX`, `FIELD_MAX`) before the second stage maps them to CSL, decoding
 * LaTeX. The plugin never runs anything: an unknown command such as `\input{…}` or `\write18`
 * comes out as its letters, and `<script>` stays text for the HTML sanitiser to escape.
 */
import { logger, plugins } from '@citation-js/core';
import '@citation-js/plugin-bibtex';
import { FIELD_MAX, type CslItem } from './csl-json';

/** A BibTeX file the grammar cannot read; `line` and `column` are 1-based when known. */
export class BibtexSyntaxError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'BibtexSyntaxError';
  }
}

interface RawEntry {
  type: string;
  label: string;
  properties: Record<string, unknown>;
}

/**
 * The entries of a BibTeX/BibLaTeX file as raw CSL items (BibLaTeX's field names and BibTeX's
 * both understood). At most `maxEntries` entries; fields over `FIELD_MAX` characters are left
 * out with a warning. Throws BibtexSyntaxError naming the line where the grammar stopped.
 */
export function readBibtex(text: string, maxEntries: number, warnings: string[]): Record<string, unknown>[] {
  let entries: RawEntry[];
  try {
    entries = plugins.input.data(text, '@biblatex/text') as RawEntry[];
  } catch (e) {
    throw syntaxError(e);
  } finally {
    // The plugin's logger keeps every message it was ever given.
    logger._log.length = 0;
  }
  if (entries.length > maxEntries) throw new BibtexSyntaxError(`it holds ${entries.length.toLocaleString('en-US')} entries; at most ${maxEntries.toLocaleString('en-US')} are read`);
  for (const entry of entries) {
    for (const [field, value] of Object.entries(entry.properties)) {
      if (typeof value === 'string' && value.length > FIELD_MAX) {
        warnings.push(`BibTeX entry "${entry.label.slice(0, 60)}": the field "${field}" is longer than ${FIELD_MAX.toLocaleString('en-US')} characters and was left out.`);
        delete entry.properties[field];
      }
    }
  }
  let items: Record<string, unknown>[];
  try {
    items = plugins.input.data(entries, '@biblatex/entries+list') as Record<string, unknown>[];
  } catch (e) {
    throw syntaxError(e);
  } finally {
    logger._log.length = 0;
  }
  return items.map((item) => organisations(subtype(item)));
}

/**
 * BibLaTeX text for `items`, each under its `citation-key` (set them with `withCitationKeys`).
 * Newspaper and magazine articles are `@article` with `entrysubtype`, which Pandoc reads back as
 * such; URLs and DOIs have the characters that would end a braced value percent-encoded.
 */
export function toBibtex(items: readonly CslItem[]): string {
  const prepared = items.map((item) => {
    const copy: Record<string, unknown> = { ...item, id: item['citation-key'] ?? item.id };
    copy['citation-key'] = copy['id'];
    if (item.type === 'article-newspaper' && !item.genre) copy['genre'] = 'newspaper';
    if (item.type === 'article-magazine' && !item.genre) copy['genre'] = 'magazine';
    for (const field of ['URL', 'DOI'] as const) {
      const value = item[field];
      if (value !== undefined) copy[field] = value.replace(/[{}\\\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
    }
    return copy;
  });
  const text = plugins.output.format('biblatex', prepared, { format: 'text' });
  logger._log.length = 0;
  // The plugin adds a note of the access date, which `urldate` already holds.
  return text.replace(/^\tnote = \{\[Online; accessed [0-9-]+\]\},\n/gm, '').trim() + '\n';
}

/**
 * A braced name (`{Human Rights Watch}`) comes out of the plugin as a family name alone; it is an
 * organisation, written whole, as the other formats have it.
 */
function organisations(item: Record<string, unknown>): Record<string, unknown> {
  for (const [field, value] of Object.entries(item)) {
    if (!Array.isArray(value) || !['author', 'editor', 'translator', 'container-author', 'collection-editor'].includes(field)) continue;
    item[field] = value.map((name: Record<string, unknown>) => {
      const keys = Object.keys(name);
      return keys.length === 1 && keys[0] === 'family' ? { literal: name['family'] } : name;
    });
  }
  return item;
}

/** BibLaTeX's `@article` with `entrysubtype = {newspaper}` (what Zotero writes) is a newspaper article. */
function subtype(item: Record<string, unknown>): Record<string, unknown> {
  const genre = typeof item['genre'] === 'string' ? item['genre'].toLowerCase() : '';
  if (item['type'] === 'article-journal' && (genre === 'newspaper' || genre === 'magazine')) {
    const { genre: _genre, ...rest } = item;
    return { ...rest, type: `article-${genre}` };
  }
  return item;
}

/** The grammar's token names, as the user would say them. */
const TOKENS: Record<string, string> = {
  at: '"@"', lbrace: 'an opening brace', rbrace: 'a closing brace', comma: 'a comma', equals: '"="',
  hash: '"#"', quote: 'a double quote', identifier: 'a word', label: 'a citation key', number: 'a number',
  text: 'text', whitespace: 'a space', comment: 'a comment', junk: 'text outside an entry',
  otherEntryType: 'an entry type', dataEntryType: 'an entry type', EOF: 'the end of the file',
};

function syntaxError(e: unknown): BibtexSyntaxError {
  if (e instanceof RangeError) return new BibtexSyntaxError('it is nested or repeated too deeply to be read');
  const message = e instanceof Error ? e.message : String(e);
  const at = /at line (\d+) col (\d+)/.exec(message);
  const what = /expected "?(\w+)"?, got "?(\w+)"?/.exec(message);
  if (at && what) {
    const say = (t: string) => TOKENS[t] ?? t;
    return new BibtexSyntaxError(`at line ${at[1]}, column ${at[2]}: expected ${say(what[1]!)} but found ${say(what[2]!)}`, Number(at[1]));
  }
  if (at) return new BibtexSyntaxError(`the BibTeX syntax is broken at line ${at[1]}, column ${at[2]}`, Number(at[1]));
  return new BibtexSyntaxError(`the BibTeX syntax is broken (${message.split('\n')[0]!.slice(0, 120)})`);
}
