import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { CorpusFormatError, parseArticle, readCorpus, type CorpusArticle } from '../../main/core/corpus';
import { textblockTexts } from '../../shared/plain-text';
import type { Block } from '../../shared/model';

const repoRoot = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const corpusDir = path.join(repoRoot, 'corpus');
const seedsDir = path.resolve(repoRoot, '..', 'shared', 'seeds');

/**
 * What each corpus file leaves out of its seed, mirroring corpus/README.md. `lines` are whole seed
 * lines dropped (site chrome); `prefixes` are cut from the start of a seed line whose rest is kept;
 * `from` drops that line and everything after it.
 */
interface Omissions {
  lines: string[];
  prefixes?: string[];
  from?: string;
}

const omitted: Record<string, Omissions> = {
  '000_301aed86bc5ae560.txt': {
    lines: [
      'Recommended for You',
      "The limits of North Korea's plastic surgery industry",
      'Every week we ask a North Korean your questions, giving you the chance to learn more about the country we know so little about. This week\'s question is: We’ve heard before that plastic surgery…',
      'May 6th, 2015',
      "Low 'Net worth: North Koreans' limited grasp of the World Wide Web",
      'Every week we ask a North Korean your questions, giving you the chance to learn more about the country we know so little about. This week Colin from the UK asks: How pervasive is the Internet in…',
      'April 30th, 2015',
    ],
    from: 'Join the discussion',
  },
  '001_3e5f5fe261a4035b.txt': { lines: ['Leave a Reply'] },
  '002_d42ac7482a5a3db6.txt': {
    lines: [
      'Email story',
      'Comment on this story',
      'Share story',
      'Print story',
      '  • Print',
      '  • Share',
      '  • Comment',
      '  • Email',
      'More Listening Options',
      'View Full Site',
    ],
  },
  '003_48ca73c499e85b04.txt': {
    lines: [
      'Add comment',
      "Add your comment by filling out the form below in plain text. Comments are approved by a moderator and can be edited in accordance with RFAs Terms of Use. Comments will not appear in real time. RFA is not responsible for the content of the postings. Please, be respectful of others' point of view and stick to the facts.",
      'View Full Site',
    ],
    prefixes: ['nk-yalu-boat-april-2013.jpg '],
  },
  '004_1b18eda2fef63a6c.txt': {
    lines: [
      'This story is over 5 years old.',
      'Related: How a 19-Year-Old North Korean Escaped and Became a Sushi Chef in America',
      'Related: After Turning Hundreds of North Koreans Away, Canada Now Vows to Accept Its Refugees',
      'Watch the VICE News documentary\u00a0Launching Balloons into North Korea: Propaganda Over Pyongyang:',
    ],
  },
};

/** Strings that only occur in the dropped site chrome, never in article text. */
const chrome = [
  'Email story',
  'Comment on this story',
  'Share story',
  'Print story',
  '•',
  'View Full Site',
  'More Listening Options',
  'This story is over 5 years old',
  'Recommended for You',
  'Join the discussion',
  'Maozhuxi',
  'Leave a Reply',
  'Add comment',
  'Add your comment',
  'Related:',
  'Watch the VICE News documentary',
  '.jpg',
];

function wrap(front: string, body: string): string {
  return `---\n${front}\n---\n\n${body}`;
}

describe('bundled corpus', () => {
  let articles: CorpusArticle[];
  const seeds = new Map<string, string>();

  beforeAll(async () => {
    articles = await readCorpus(corpusDir);
    for (const a of articles) {
      if (existsSync(path.join(seedsDir, a.source))) seeds.set(a.source, await readFile(path.join(seedsDir, a.source), 'utf8'));
    }
  });
  const seedOf = (a: CorpusArticle): string => seeds.get(a.source)!;
  /** Everything an article shows as text: its title (metadata, not part of the plain text) and its body's textblocks. */
  const textsOf = (a: CorpusArticle): string[] => [a.meta.title, ...textblockTexts(a.blocks)];

  it('holds five articles, sorted by file name, each from a different seed that exists', () => {
    expect(articles).toHaveLength(5);
    const ids = articles.map((a) => a.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(articles.map((a) => a.source)).size).toBe(5);
    for (const a of articles) {
      expect(a.id).toMatch(/^[a-z0-9-]+$/);
      expect(seeds.has(a.source), `${a.id}: seed ${a.source} not found`).toBe(true);
      expect(Object.keys(omitted)).toContain(a.source);
    }
  });

  it('keeps every textblock verbatim, as one whole seed line, in seed order', () => {
    for (const a of articles) {
      const seed = seedOf(a);
      const { prefixes = [] } = omitted[a.source]!;
      const lines = new Set(seed.split('\n').map((l) => prefixes.reduce((s, p) => (s.startsWith(p) ? s.slice(p.length) : s), l)));
      let from = 0;
      for (const text of textsOf(a)) {
        expect(seed, `${a.id}: not verbatim: ${text}`).toContain(text);
        expect(lines.has(text), `${a.id}: not a whole seed line: ${text}`).toBe(true);
        const at = seed.indexOf(text, from);
        expect(at, `${a.id}: out of seed order: ${text}`).toBeGreaterThanOrEqual(0);
        from = at + text.length;
      }
    }
  });

  it('takes the title from the seed headline and keeps the metadata to what the text says', () => {
    const meta = Object.fromEntries(articles.map((a) => [a.source, a.meta]));
    expect(meta['000_301aed86bc5ae560.txt']).toMatchObject({ date: '2014-01-23', author: 'Ji-Min Kang', publication: '' });
    expect(meta['002_d42ac7482a5a3db6.txt']).toMatchObject({ publication: 'RFA', date: '' });
    expect(meta['003_48ca73c499e85b04.txt']).toMatchObject({ publication: 'RFA', date: '' });
    expect(meta['004_1b18eda2fef63a6c.txt']).toMatchObject({ publication: 'VICE News', date: '' });
    for (const a of articles) {
      expect(a.meta.url).toBe('');
      const seedLines = seedOf(a).split('\n');
      expect(seedLines).toContain(a.meta.title);
      for (const field of ['author', 'publication'] as const) {
        for (const part of a.meta[field].split(' and ').filter(Boolean)) {
          // "Family, Given" (written so for citations) is in the text in either order, without the comma.
          const [family, given] = part.split(', ');
          const forms = given ? [`${family} ${given}`, `${given} ${family}`] : [part];
          expect(forms.some((f) => seedOf(a).includes(f)), `${a.id}.${field}: ${part}`).toBe(true);
        }
      }
    }
  });

  it('leaves out the site chrome', () => {
    for (const a of articles) {
      for (const text of textsOf(a)) {
        for (const c of chrome) expect(text, `${a.id} keeps chrome "${c}"`).not.toContain(c);
      }
    }
  });

  it('keeps no textblock twice (duplicated alt-text and teaser lines are gone)', () => {
    for (const a of articles) {
      const texts = textsOf(a);
      expect(new Set(texts).size, a.id).toBe(texts.length);
    }
  });

  it('loses nothing but the documented omissions', () => {
    for (const a of articles) {
      const { lines: dropped, prefixes = [], from } = omitted[a.source]!;
      const seedLines = seedOf(a).split('\n');
      for (const d of dropped) expect(seedLines, `${a.id}: stale omission "${d}"`).toContain(d);
      for (const p of prefixes) expect(seedLines.some((l) => l.startsWith(p)), `${a.id}: stale prefix "${p}"`).toBe(true);
      const end = from === undefined ? seedLines.length : seedLines.indexOf(from);
      expect(end, `${a.id}: stale "from" line`).toBeGreaterThanOrEqual(0);

      const texts = new Set(textsOf(a));
      for (const line of seedLines.slice(0, end)) {
        if (line.trim() === '' || dropped.includes(line)) continue;
        const kept = prefixes.reduce((s, p) => (s.startsWith(p) ? s.slice(p.length) : s), line);
        expect(texts.has(kept), `${a.id}: seed line missing: ${kept}`).toBe(true);
      }
    }
  });
});

describe('parseArticle', () => {
  it('keeps inline text literally, byte for byte', () => {
    const lines = [
      'a *stars* and _under_ and `tick` and [link](x) and <b>bold</b> &amp; &#169; \\* \\ ~~s~~ https://example.org',
      'Typography stays: -- ... (c) "straight" \'single\' “curly” — dash',
      '<div>not html</div>',
      '[ref]: https://example.org',
      '```js',
      'Ends with a no-break space\u00a0',
    ];
    const a = parseArticle('lit.md', wrap('title: "*T* & <i>"', lines.join('\n\n')));
    expect(a.meta.title).toBe('*T* & <i>');
    expect(a.blocks).toEqual(lines.map((text) => ({ type: 'paragraph', text })));
  });

  it('leaves rules, setext underlines and indented lines as paragraph text', () => {
    const a = parseArticle('lit.md', wrap('title: T', 'one\n---\n\ntwo\n===\n\n***\n\n    four'));
    expect(a.blocks).toEqual([
      { type: 'paragraph', text: 'one\n---' },
      { type: 'paragraph', text: 'two\n===' },
      { type: 'paragraph', text: '***' },
      { type: 'paragraph', text: 'four' },
    ]);
  });

  it('parses headings, block quotes and lists into blocks', () => {
    const body = [
      '# One',
      '###### Six',
      '## Two',
      'Para.',
      '> Quoted.\n>\n> - in quote',
      '- a\n- b\n\n  b2\n  - nested',
      '1. first\n2. second',
    ].join('\n\n');
    const p = (text: string): Block => ({ type: 'paragraph', text });
    expect(parseArticle('s.md', wrap('title: T', body)).blocks).toEqual([
      { type: 'heading', level: 1, text: 'One' },
      { type: 'heading', level: 6, text: 'Six' },
      { type: 'heading', level: 2, text: 'Two' },
      p('Para.'),
      { type: 'blockquote', children: [p('Quoted.'), { type: 'list', ordered: false, items: [[p('in quote')]] }] },
      { type: 'list', ordered: false, items: [[p('a')], [p('b'), p('b2'), { type: 'list', ordered: false, items: [[p('nested')]] }]] },
      { type: 'list', ordered: true, items: [[p('first')], [p('second')]] },
    ]);
  });

  it('joins the lines of one paragraph with "\\n", without their indentation', () => {
    expect(parseArticle('s.md', wrap('title: T', 'one  \n   two\nthree')).blocks).toEqual([{ type: 'paragraph', text: 'one\ntwo\nthree' }]);
  });

  it('reads metadata, defaults absent fields to "" and takes the id from the file name', () => {
    const a = parseArticle('some/dir/my-id-2.md', wrap('title: "A: b"\ndate: "2014-02"\nsource: s.txt', 'x'));
    expect(a).toEqual({
      id: 'my-id-2',
      meta: { title: 'A: b', publication: '', author: '', date: '2014-02', url: '' },
      blocks: [{ type: 'paragraph', text: 'x' }],
      source: 's.txt',
    });
  });

  it('accepts a byte order mark and CRLF line ends', () => {
    const lf = wrap('title: T\nauthor: A', '## H\n\nP one\n\n- i');
    const crlf = '\uFEFF' + lf.replace(/\n/g, '\r\n');
    expect(parseArticle('a.md', crlf)).toEqual(parseArticle('a.md', lf));
  });

  it.each(['', '2014', '2014-12', '2016-02-29'])('accepts the date %j', (date) => {
    expect(parseArticle('a.md', wrap(`title: T\ndate: "${date}"`, 'x')).meta.date).toBe(date);
  });

  const garbage = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 151 + 17) % 256)).toString('utf8');
  const highBytes = Buffer.from(Array.from({ length: 512 }, (_, i) => 128 + ((i * 37) % 128))).toString('utf8');
  const aliasBomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefg'[i]}`).join(', ')}]`)].join('\n');
  const malformed: [string, string, string, RegExp][] = [
    ['no front matter', 'a.md', 'Just text.\n', /missing front matter/],
    ['an empty file', 'a.md', '', /missing front matter/],
    ['unterminated front matter', 'a.md', '---\ntitle: T\n\nBody.\n', /unterminated front matter/],
    ['YAML that is a list', 'a.md', wrap('- title\n- T', 'x'), /must be a YAML mapping/],
    ['YAML that is a scalar', 'a.md', wrap('just a title', 'x'), /must be a YAML mapping/],
    ['empty front matter', 'a.md', wrap('', 'x'), /must be a YAML mapping/],
    ['invalid YAML', 'a.md', wrap('title: "T\nauthor: [', 'x'), /invalid YAML in the front matter at line \d+/],
    ['a duplicated key', 'a.md', wrap('title: T\ntitle: U', 'x'), /invalid YAML.*unique/],
    ['missing title', 'a.md', wrap('author: A', 'x'), /no title/],
    ['an empty title', 'a.md', wrap('title: "  "', 'x'), /title is empty/],
    ['a title that is a list', 'a.md', wrap('title: [a, b]', 'x'), /"title" must be a string/],
    ['a title that is a number', 'a.md', wrap('title: 42', 'x'), /"title" must be a string/],
    ['a null author', 'a.md', wrap('title: T\nauthor:', 'x'), /"author" must be a string.*null/],
    ['an unquoted year', 'a.md', wrap('title: T\ndate: 2014', 'x'), /"date" must be a string/],
    ['a date in another format', 'a.md', wrap('title: T\ndate: "23 January 2014"', 'x'), /date "23 January 2014" is not/],
    ['an impossible day', 'a.md', wrap('title: T\ndate: "2014-02-30"', 'x'), /date "2014-02-30" is not/],
    ['month 13', 'a.md', wrap('title: T\ndate: "2014-13"', 'x'), /date "2014-13" is not/],
    ['an unknown field', 'a.md', wrap('title: T\nautor: A', 'x'), /unknown front matter field "autor"/],
    ['an empty body', 'a.md', wrap('title: T', '\n   \n\n'), /body is empty/],
    ['no body at all', 'a.md', '---\ntitle: T\n---', /body is empty/],
    ['an id with capitals', 'Bad_Name.md', wrap('title: T', 'x'), /id "Bad_Name"/],
    ['a file that is not .md', 'a.txt', wrap('title: T', 'x'), /must end in \.md/],
    ['binary garbage', 'a.md', garbage, /NUL characters/],
    ['binary garbage without NUL bytes', 'a.md', highBytes, /missing front matter/],
    ['a binary body', 'a.md', wrap('title: T', garbage), /NUL characters/],
    ['a YAML alias bomb', 'a.md', wrap(aliasBomb, 'x'), /front matter cannot be read/],
  ];
  it.each(malformed)('rejects %s with a CorpusFormatError naming the file', (_what, fileName, text, message) => {
    let error: unknown;
    try {
      parseArticle(fileName, text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CorpusFormatError);
    expect((error as Error).message.startsWith(`${fileName}: `)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });
});
