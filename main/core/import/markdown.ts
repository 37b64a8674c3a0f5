import MarkdownIt from 'markdown-it';
import { parse as parseHtml } from 'parse5';
import { parseDocument } from 'yaml';
import { canonicalText } from '../../../shared/plain-text';
import { htmlToBlocks } from './html';
import { assertText, decodeText, ENCODINGS } from './text';
import { IMPORT_LIMITS, ImportFailure, emptyMeta, isoDate, type ImportedText } from './types';

/**
 * Markdown (CommonMark with tables) to blocks: markdown-it renders it to HTML with raw HTML
 * *off* (markup in the file shows as the text it is), and the HTML walk (html.ts) maps that to
 * blocks, so Markdown, HTML and DOCX share one mapping. YAML front matter gives the metadata
 * (title, author or authors, date, publication, url), where it says.
 */

const md = new MarkdownIt('commonmark', { html: false, linkify: false }).enable(['table', 'strikethrough']);

/** Imports a Markdown file. */
export function importMarkdown(bytes: Uint8Array, encoding?: string): ImportedText {
  const { text, encoding: used } = decodeText(bytes, encoding);
  assertText(text, Number.POSITIVE_INFINITY);
  if (text.length > IMPORT_LIMITS.markupBytes) throw new ImportFailure(`The file is too large to import as Markdown (the limit is ${IMPORT_LIMITS.markupBytes / 1048576} MB).`);
  const src = text.replace(/\r\n?/g, '\n');
  const { front, body } = splitFrontMatter(src);
  const notes: string[] = used === 'utf-8' ? [] : [`Read as ${ENCODINGS[used]}.`];
  const meta = emptyMeta();
  if (front !== null) Object.assign(meta, frontMatter(front, notes));
  const html = md.render(body);
  const { blocks, notes: walked } = htmlToBlocks(parseHtml(`<body>${html}</body>`));
  return { meta, blocks, notes: [...notes, ...walked] };
}

function splitFrontMatter(src: string): { front: string | null; body: string } {
  const m = /^---[ \t]*\n([\s\S]*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)/.exec(src);
  return m ? { front: m[1]!, body: src.slice(m[0].length) } : { front: null, body: src };
}

/** The citation fields front matter gives; a front matter that is not YAML is noted, not fatal. */
function frontMatter(yamlText: string, notes: string[]): Partial<ReturnType<typeof emptyMeta>> {
  const doc = parseDocument(yamlText, { prettyErrors: false });
  if (doc.errors.length) {
    notes.push(`The front matter is not valid YAML (${doc.errors[0]!.message.split('\n')[0]}), so no properties were taken from it.`);
    return {};
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    notes.push(`The front matter could not be read (${(e as Error).message}), so no properties were taken from it.`);
    return {};
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return {};
  const rec = data as Record<string, unknown>;
  const str = (...keys: string[]): string => {
    for (const k of keys) {
      const v = rec[k];
      if (typeof v === 'string' && v.trim() !== '') return canonicalText(v.trim());
      if (typeof v === 'number') return String(v);
      if (v instanceof Date && !Number.isNaN(v.getTime())) return v.toISOString().slice(0, 10);
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return canonicalText(v.join('; '));
    }
    return '';
  };
  const url = str('url', 'link', 'source');
  return {
    title: str('title'),
    author: str('author', 'authors', 'creator'),
    publication: str('publication', 'publisher', 'journal', 'site'),
    date: isoDate(str('date', 'published')),
    url: /^https?:\/\/\S+$/i.test(url) ? url : '',
  };
}
