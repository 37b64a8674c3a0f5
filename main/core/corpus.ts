import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import MarkdownIt, { type Token } from 'markdown-it';
import { parseDocument } from 'yaml';
import type { Block, DocumentMeta } from '../../shared/model';

/**
 * The bundled corpus: one Markdown file per article, YAML front matter for the metadata and a
 * restricted Markdown body (paragraphs, `#` headings, `>` block quotes, `-`/`1.` lists). Inline
 * text is literal: no emphasis, links, entities or escapes, so a file's text is the article's
 * text character for character. See corpus/README.md for the format.
 */

/** One parsed corpus file. */
export interface CorpusArticle {
  /** The file name without `.md`. */
  id: string;
  meta: DocumentMeta;
  blocks: Block[];
  /** The front matter's `source` field (where the text came from), or ''. */
  source: string;
}

/** A corpus file that does not follow the format. The message names the file and the fault. */
export class CorpusFormatError extends Error {
  override name = 'CorpusFormatError';
}

const ID_PATTERN = /^[a-z0-9-]+$/;
const FIELDS = ['title', 'publication', 'author', 'date', 'url', 'source'] as const;
type Field = (typeof FIELDS)[number];

// Only the block rules the format uses. Everything else (indented code, fences, HTML, rules,
// setext headings, tables, link references) would turn ordinary article text into markup.
// No inline rule matters: blocks take the inline token's raw `content`.
const md = new MarkdownIt('zero').enable(['heading', 'blockquote', 'list']);
md.core.ruler.disable(['inline', 'text_join']);

/** Parses one corpus file. Throws CorpusFormatError with a clear message (file name + what is wrong) on bad input. */
export function parseArticle(fileName: string, text: string): CorpusArticle {
  const name = path.basename(fileName);
  const fail: Fail = (what) => {
    throw new CorpusFormatError(`${name}: ${what}`);
  };

  if (!name.endsWith('.md')) fail('a corpus file name must end in .md');
  const id = name.slice(0, -'.md'.length);
  if (!ID_PATTERN.test(id)) fail(`the id "${id}" (the file name without .md) may only use a-z, 0-9 and "-"`);
  if (typeof text !== 'string') fail('the content is not text');

  const src = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (src.includes('\0')) fail('contains NUL characters; this is not a text file');

  const { yamlText, body, bodyLine } = splitFrontMatter(src, fail);
  const fields = parseFrontMatter(yamlText, fail);
  const meta: DocumentMeta = {
    title: fields.title,
    publication: fields.publication,
    author: fields.author,
    date: fields.date,
    url: fields.url,
  };

  const blocks = parseBody(body, bodyLine, fail);
  if (blocks.length === 0) fail('the body is empty; an article needs at least one paragraph after the front matter');
  return { id, meta, blocks, source: fields.source };
}

/** Reads every *.md except README.md in a folder, sorted by file name. */
export async function readCorpus(dir: string): Promise<CorpusArticle[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && e.name.endsWith('.md') && e.name !== 'README.md')
    .map((e) => e.name)
    // Code-unit order, so the result does not depend on the machine's locale.
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const articles: CorpusArticle[] = [];
  for (const name of names) {
    articles.push(parseArticle(name, await readFile(path.join(dir, name), 'utf8')));
  }
  return articles;
}

type Fail = (what: string) => never;

/** Splits off the front matter; `bodyLine` is the file line (1-based) where the body starts. */
function splitFrontMatter(src: string, fail: Fail): { yamlText: string; body: string; bodyLine: number } {
  const lines = src.split('\n');
  if (!/^---[ \t]*$/.test(lines[0] ?? '')) {
    fail('missing front matter; the file must start with a line "---", the YAML metadata, then another "---"');
  }
  const close = lines.findIndex((l, i) => i > 0 && /^---[ \t]*$/.test(l));
  if (close < 0) fail('unterminated front matter; no closing "---" line after the opening one');
  return {
    yamlText: lines.slice(1, close).join('\n'),
    body: lines.slice(close + 1).join('\n'),
    bodyLine: close + 2,
  };
}

function parseFrontMatter(yamlText: string, fail: Fail): Record<Field, string> {
  const doc = parseDocument(yamlText, { uniqueKeys: true, prettyErrors: false });
  const problem = doc.errors[0];
  if (problem) {
    // The YAML starts on the file's second line, after the opening "---".
    const line = yamlText.slice(0, problem.pos[0]).split('\n').length + 1;
    fail(`invalid YAML in the front matter at line ${line}: ${problem.message.split('\n')[0]}`);
  }
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (e) {
    // e.g. the yaml package's guard against alias bombs
    fail(`the front matter cannot be read: ${(e as Error).message}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    fail('the front matter must be a YAML mapping of fields (title: "...", author: "...", ...)');
  }
  const record = data as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!(FIELDS as readonly string[]).includes(key)) fail(`unknown front matter field "${key}" (allowed: ${FIELDS.join(', ')})`);
  }

  if (record['title'] === undefined || record['title'] === null) fail('the front matter has no title');
  const out = {} as Record<Field, string>;
  for (const key of FIELDS) {
    const value = key in record ? record[key] : '';
    if (typeof value !== 'string') {
      fail(`front matter field "${key}" must be a string (quote it; use "" when unknown), got ${describe(value)}`);
    }
    out[key] = value;
  }
  if (out.title.trim() === '') fail('the title is empty');
  if (!isIsoDate(out.date)) fail(`the date "${out.date}" is not YYYY, YYYY-MM or YYYY-MM-DD (or "" when unknown)`);
  return out;
}

function describe(value: unknown): string {
  if (value === null) return 'nothing (null)';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `the ${typeof value} ${String(value)}`;
}

/** '', YYYY, YYYY-MM or a real calendar day YYYY-MM-DD. */
function isIsoDate(s: string): boolean {
  if (s === '') return true;
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(s);
  if (!m) return false;
  const year = Number(m[1]);
  if (m[2] === undefined) return true;
  const month = Number(m[2]);
  if (month < 1 || month > 12) return false;
  if (m[3] === undefined) return true;
  const day = Number(m[3]);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day >= 1 && day <= daysInMonth;
}

function parseBody(body: string, firstLine: number, fail: Fail): Block[] {
  const tokens = md.parse(body, {});
  let at = 0;

  const lineOf = (t: Token | undefined): string => (t?.map ? ` at line ${t.map[0] + firstLine}` : '');
  const next = (): Token => {
    const t = tokens[at++];
    if (!t) fail('unexpected end of the body');
    return t;
  };
  const take = (type: string): Token => {
    const t = next();
    if (t.type !== type) fail(`unexpected ${t.type} where ${type} was expected${lineOf(t)}`);
    return t;
  };
  const inlineText = (): string => literal(take('inline').content);

  // Reads blocks until the token named `until` (a closing token) or the end of the stream.
  const blocks = (until: string | null): Block[] => {
    const out: Block[] = [];
    for (;;) {
      const t = tokens[at];
      if (!t) {
        if (until !== null) fail(`unexpected end of the body, ${until} missing`);
        return out;
      }
      if (t.type === until) return out;
      at++;
      switch (t.type) {
        case 'paragraph_open':
          out.push({ type: 'paragraph', text: inlineText() });
          take('paragraph_close');
          break;
        case 'heading_open':
          out.push({ type: 'heading', level: headingLevel(t.tag, fail), text: inlineText() });
          take('heading_close');
          break;
        case 'blockquote_open':
          out.push({ type: 'blockquote', children: blocks('blockquote_close') });
          at++;
          break;
        case 'bullet_list_open':
        case 'ordered_list_open': {
          const close = t.type === 'bullet_list_open' ? 'bullet_list_close' : 'ordered_list_close';
          const items: Block[][] = [];
          while (tokens[at]?.type === 'list_item_open') {
            at++;
            items.push(blocks('list_item_close'));
            at++;
          }
          take(close);
          out.push({ type: 'list', ordered: t.type === 'ordered_list_open', items });
          break;
        }
        default:
          fail(`unsupported Markdown construct "${t.type}"${lineOf(t)}`);
      }
    }
  };
  return blocks(null);
}

function headingLevel(tag: string, fail: Fail): 1 | 2 | 3 | 4 | 5 | 6 {
  const level = Number(tag.slice(1));
  if (!/^h[1-6]$/.test(tag)) fail(`unexpected heading tag ${tag}`);
  return level as 1 | 2 | 3 | 4 | 5 | 6;
}

/**
 * The inline token's content is the source text (markdown-it has already trimmed ASCII blanks at
 * its ends, keeping Unicode spaces). Within a multi-line paragraph, blanks around each soft line
 * break are indentation or hard-break markers, not text, so they go; the break stays as "\n".
 */
function literal(content: string): string {
  return content.replace(/[ \t]*\n[ \t]*/g, '\n');
}
