import { describe, expect, it } from 'vitest';
import { pageLines, type Line, type TextRun } from '../../main/core/import/pdf-lines';
import { joinLines, pagesToBlocks } from '../../main/core/import/pdf-paragraphs';
import type { Block } from '../../shared/model';

// Synthetic text runs and lines, in points with y upwards as in a PDF. Glyphs are half an em wide.
const EM = 0.5;
const run = (text: string, x: number, y: number, size = 10, rtl = false): TextRun => ({ text, x, y, width: text.length * EM * size, size, rtl });
/** One line written as a run per word with a space run between, as many programs write it. */
function words(text: string, x: number, y: number, size = 10): TextRun[] {
  const out: TextRun[] = [];
  let at = x;
  for (const [i, w] of text.split(' ').entries()) {
    if (i > 0) {
      out.push(run(' ', at, y, size));
      at += EM * size;
    }
    out.push(run(w, at, y, size));
    at += w.length * EM * size;
  }
  return out;
}
const texts = (lines: Line[]): string[] => lines.map((l) => l.text);
const para = (text: string): Block => ({ type: 'paragraph', text });

/**
 * A page of lines, one per row of `spec`, 12 pt apart (10 pt type): a blank row is a line's
 * height of space; `»` at the start indents by 1.5 em; `¶` at the end marks a line that ends
 * where its text does, where other lines reach the right margin (justified); `#N ` at the start
 * sets the line in N pt type; `[R] ` puts it in the right half of a two-column page.
 */
function page(spec: string, { left = 72, right = 372, top = 700, leading = 12 } = {}): Line[] {
  const lines: Line[] = [];
  let y = top;
  for (const row of spec.replace(/^\n|\n\s*$/g, '').split('\n').map((r) => r.trim())) {
    if (row === '') {
      y -= leading;
      continue;
    }
    let text = row;
    let size = 10;
    let column = '';
    let x0 = left;
    let x1 = right;
    const sized = /^#(\d+) /.exec(text);
    if (sized) {
      size = Number(sized[1]);
      text = text.slice(sized[0].length);
    }
    if (text.startsWith('[R] ')) {
      column = 'R';
      text = text.slice(4);
    }
    if (text.startsWith('»')) {
      x0 += 1.5 * size;
      text = text.slice(1);
    }
    if (text.endsWith('¶')) {
      text = text.slice(0, -1);
      x1 = x0 + [...text].length * EM * size;
    }
    lines.push({ text, x0, x1, y, size, column });
    y -= leading * Math.max(1, size / 10);
  }
  return lines;
}

describe('PDF text runs to lines', () => {
  it('joins the runs of a line, with a space only where the gap is a word space', () => {
    // A ligature drawn as a glyph of its own is a run of its own, touching its neighbours.
    const lines = pageLines([run('the o', 72, 700), run('ffi', 94.5, 700), run('cial', 109.5, 700), run('record', 131.5, 700), run('s', 162, 700)]);
    expect(texts(lines)).toEqual(['the official records']);
    expect(texts(pageLines(words('word spaces come as runs', 72, 700)))).toEqual(['word spaces come as runs']);
  });

  it('reads a line drawn out of order from left to right, superscripts and all, and drops text drawn twice for boldness', () => {
    const lines = pageLines([run('world', 110, 700), run('1', 135, 703.5, 6), run('hello', 72, 700), run('hello', 72.3, 700), run('next line', 72, 688)]);
    expect(texts(lines)).toEqual(['hello world1', 'next line']);
    expect(lines[0]).toMatchObject({ x0: 72, y: 700, size: 10, column: '' });
  });

  it('reads right-to-left lines from the right', () => {
    expect(texts(pageLines([run('עולם', 72, 700, 10, true), run('שלום', 100, 700, 10, true)]))).toEqual(['שלום עולם']);
  });

  it('reads two columns one after the other, with what spans the page before and after them', () => {
    const runs: TextRun[] = [...words('A title that spans the whole width of the page', 72, 760)];
    for (let i = 0; i < 6; i++) {
      runs.push(...words(`left line ${i} fills its column`, 72, 700 - 12 * i));
      runs.push(...words(`right line ${i} fills its column`, 232, 700 - 12 * i));
    }
    runs.push(...words('A closing paragraph spanning both columns again', 72, 600));
    const lines = pageLines(runs);
    expect(texts(lines)).toEqual([
      'A title that spans the whole width of the page',
      ...[0, 1, 2, 3, 4, 5].map((i) => `left line ${i} fills its column`),
      ...[0, 1, 2, 3, 4, 5].map((i) => `right line ${i} fills its column`),
      'A closing paragraph spanning both columns again',
    ]);
    expect(lines.map((l) => l.column)).toEqual(['', ...Array(6).fill('L'), ...Array(6).fill('R'), '']);
  });

  it('reads three columns from left to right', () => {
    const runs: TextRun[] = [];
    for (let i = 0; i < 5; i++) for (const [c, x] of [72, 182, 292].entries()) runs.push(...words(`col ${c} row ${i} runs on`, x, 700 - 12 * i));
    expect(texts(pageLines(runs))).toEqual([0, 1, 2].flatMap((c) => [0, 1, 2, 3, 4].map((i) => `col ${c} row ${i} runs on`)));
  });

  it('reads a table of short cells row by row, not as columns', () => {
    const runs: TextRun[] = [];
    for (let i = 0; i < 6; i++) runs.push(run(`${2010 + i}`, 72, 700 - 12 * i), run(`${10 * i + 3} arrests`, 300, 700 - 12 * i));
    const lines = pageLines(runs);
    expect(texts(lines)).toEqual([0, 1, 2, 3, 4, 5].map((i) => `${2010 + i} ${10 * i + 3} arrests`));
    expect(lines.every((l) => l.column === '')).toBe(true);
  });

  it('keeps single-column text with ragged ends and a short last line as one column', () => {
    const rows = ['a ragged line of text that', 'runs on with ends that vary', 'from line to line in', 'the way of unjustified type', 'and a last', 'line.'];
    const runs = rows.flatMap((r, i) => words(r, 72, 700 - 12 * i));
    runs.push(run('7', 360, 640));
    expect(pageLines(runs).every((l) => l.column === '')).toBe(true);
  });

  it('ignores runs without text or with impossible numbers', () => {
    expect(texts(pageLines([run('', 72, 700), { ...run('x', 72, 700), size: NaN }, { ...run('y', 72, 700), width: Infinity }, run('kept', 72, 680)]))).toEqual(['kept']);
  });
});

describe('PDF lines to blocks', () => {
  it('breaks paragraphs at a wider gap, an indent, or a short line ending a sentence, and joins the rest', () => {
    const { blocks, pages } = pagesToBlocks([
      page(`
        The first paragraph is set in justified
        type over three lines, and ends with a
        short line.¶

        After a gap, a second paragraph.¶
        »An indented line starts a third one, whose
        last line ends a little short, mid-sentence¶
        and goes on here.¶
        A line ending short after a sentence.¶
        Then a fourth paragraph, and
        a line very much too short¶
        for its column starts another.¶
      `),
    ]);
    expect(blocks).toEqual([
      para('The first paragraph is set in justified type over three lines, and ends with a short line.'),
      para('After a gap, a second paragraph.'),
      para('An indented line starts a third one, whose last line ends a little short, mid-sentence and goes on here.'),
      para('A line ending short after a sentence.'),
      para('Then a fourth paragraph, and a line very much too short'),
      para('for its column starts another.'),
    ]);
    expect(pages).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('starts a paragraph at each bullet or item number after a line that ended', () => {
    const { blocks } = pagesToBlocks([
      page(`
        The families asked for three things, in this order, every time they wrote
        a letter:¶
        • news of who was alive¶
        • money, or medicine when money
        could not buy it¶
        2. a date for the next letter, which the carrier
        rarely gave¶
        - and nothing else¶
      `),
    ]);
    expect(blocks).toEqual([
      para('The families asked for three things, in this order, every time they wrote a letter:'),
      para('• news of who was alive'),
      para('• money, or medicine when money could not buy it'),
      para('2. a date for the next letter, which the carrier rarely gave'),
      para('- and nothing else'),
    ]);
  });

  it('makes headings of lines in larger type, the largest size first in level', () => {
    const { blocks } = pagesToBlocks([
      page(`
        #20 A title in twenty-point type¶
        #14 A section heading¶
        Body text, which is most of the text on the page, at ten points.¶
        #12 A subsection heading that is long enough to take
        #12 two lines¶
        More body text, so that ten points is the body size by far: more
        of the text is set in it than in any other size, which is what
        makes it the body's size, whatever the other sizes are.¶
        #14 Another section¶
        #10 The end.¶
      `),
    ]);
    expect(blocks).toEqual([
      { type: 'heading', level: 1, text: 'A title in twenty-point type' },
      { type: 'heading', level: 2, text: 'A section heading' },
      para('Body text, which is most of the text on the page, at ten points.'),
      { type: 'heading', level: 3, text: 'A subsection heading that is long enough to take two lines' },
      para("More body text, so that ten points is the body size by far: more of the text is set in it than in any other size, which is what makes it the body's size, whatever the other sizes are."),
      { type: 'heading', level: 2, text: 'Another section' },
      para('The end.'),
    ]);
  });

  it('reads large type as text when it is long or when much of the document is set in it', () => {
    const body = Array.from({ length: 12 }, (_, i) => `body line ${i} of a paragraph in ten-point type that runs on`).join('\n');
    const quote = pagesToBlocks([
      page(`
        ${body}¶
        #12 Five lines of twelve-point type are
        #12 not a heading but a paragraph in
        #12 large type, such as a lead or a
        #12 pull quote set apart from the text
        #12 around it.¶
      `),
    ]).blocks;
    expect(quote[1]).toEqual(para('Five lines of twelve-point type are not a heading but a paragraph in large type, such as a lead or a pull quote set apart from the text around it.'));
    // A specification whose examples, in small type, outweigh its prose.
    const code = Array.from({ length: 12 }, (_, i) => `#8 <Code guid="${i}" name="code number ${i}" isCodable="true"/>¶`).join('\n');
    const prose = '#11 Prose in eleven-point type that explains the examples\n#11 around it, in paragraphs of several lines, as prose\n#11 comes, where headings come a line or two at a time.¶';
    const spec = pagesToBlocks([page(`${prose}\n\n${code}\n\n${prose}\n\n${code}\n\n${prose}`)]).blocks;
    expect(spec.filter((b) => b.type === 'heading')).toEqual([]);
  });

  it('carries a paragraph over to the next page or column, unless it ended or the next line is indented', () => {
    const { blocks, pages } = pagesToBlocks([
      page(`
        A paragraph that runs to the foot of the
        page, in the middle of a
      `),
      page(`
        sentence, and goes on at the head of the next.¶
        A paragraph ending short at the foot.¶
        [R] A new one at the head of the next column
        [R] ends short.¶
      `),
      page(`
        A paragraph ending with a full line. It
        ends a sentence at the foot of the page.
      `),
      page(`
        »An indented line on the next page starts anew.¶
      `),
    ]);
    expect(blocks).toEqual([
      para('A paragraph that runs to the foot of the page, in the middle of a sentence, and goes on at the head of the next.'),
      para('A paragraph ending short at the foot.'),
      para('A new one at the head of the next column ends short.'),
      para('A paragraph ending with a full line. It ends a sentence at the foot of the page.'),
      para('An indented line on the next page starts anew.'),
    ]);
    expect(pages).toEqual([1, 2, 2, 3, 4]);
  });

  it('leaves out running heads, feet and page numbers found on most pages', () => {
    const names = ['', 'one', 'two', 'three', 'four'];
    const pageOf = (n: number, chapter: string): Line[] =>
      page(`
        Working paper 3 · Letters¶
        #16 ${chapter}¶
        Body text on page ${names[n]} of the paper, which goes on
        to the foot of page ${names[n]}, where it ends.¶

        Page ${n} of 4¶
      `);
    // Chapter titles at the top of their pages: each has words of its own, so none repeats.
    const chapters = ['', '1. Carriers', '2. Routes', '3. Money', '4. Silence'];
    const { blocks, pages, dropped } = pagesToBlocks([1, 2, 3, 4].map((n) => pageOf(n, chapters[n]!)));
    expect(dropped).toBe(8);
    expect(blocks).toEqual([1, 2, 3, 4].flatMap((n) => [{ type: 'heading', level: 1, text: chapters[n] }, para(`Body text on page ${names[n]} of the paper, which goes on to the foot of page ${names[n]}, where it ends.`)]));
    expect(pages).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
    // A single page has nothing to repeat, and a line on one page of four is text.
    expect(pagesToBlocks([pageOf(1, chapters[1]!)]).dropped).toBe(0);
    const once = pagesToBlocks([page('Printed once at the top.¶\nbody text goes here.¶'), page('other text.¶\nmore.¶'), page('and more.¶\nyet more.¶'), page('the end.¶\nreally.¶')]);
    expect(once.dropped).toBe(0);
  });

  it('leaves out a running head that names its chapter, on that chapter’s pages', () => {
    const words = ['', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight'];
    const pages = [1, 2, 3, 4, 5, 6, 7, 8].map((n) =>
      page(`
        ${n <= 3 ? 'Chapter 1: Carriers' : 'Chapter 2: Money and news'} ${n}¶
        The text of page ${words[n]}, one paragraph of two lines
        that ends on page ${words[n]}.¶
      `),
    );
    const { blocks, dropped } = pagesToBlocks(pages);
    expect(dropped).toBe(8);
    expect(blocks).toEqual(words.slice(1).map((w) => para(`The text of page ${w}, one paragraph of two lines that ends on page ${w}.`)));
  });

  it('drops page numbers that alternate sides and stand alone', () => {
    const names = ['', 'one', 'two', 'three'];
    const numbered = (n: number): Line[] => [
      ...page(`Text of page ${names[n]}, a paragraph that\nends on page ${names[n]}.¶`),
      { text: String(n), x0: n % 2 ? 360 : 72, x1: (n % 2 ? 360 : 72) + 5, y: 40, size: 10, column: '' },
    ];
    expect(pagesToBlocks([1, 2, 3].map(numbered)).blocks).toEqual([1, 2, 3].map((n) => para(`Text of page ${names[n]}, a paragraph that ends on page ${names[n]}.`)));
    expect(pagesToBlocks(['iv', 'v', 'vi'].map((r, i) => [...page(`Preface text ${names[i + 1]}.¶`), { text: r, x0: 200, x1: 210, y: 40, size: 10, column: '' }])).dropped).toBe(3);
  });
});

describe('Joining a paragraph’s lines', () => {
  const cases: [string, string, string][] = [
    ['the intensity of repres-', 'sion on either side', 'the intensity of repression on either side'],
    ['a sur\u2010', 'veillance camera', 'a surveillance camera'],
    ['a soft hy\u00ad', 'phen', 'a soft hyphen'],
    ['a North-', 'Korean border guard', 'a North-Korean border guard'],
    ['the COVID-', '19 years', 'the COVID-19 years'],
    ['from 1990-', '1995', 'from 1990-1995'],
    ['from 1990–', '1995', 'from 1990–1995'],
    ['a pause—', 'then more', 'a pause—then more'],
    ['a spaced dash —', 'then more', 'a spaced dash — then more'],
    ['https://example.org/', 'path', 'https://example.org/path'],
    ['国境を', '越える', '国境を越える'],
    ['편지는', '국경을', '편지는 국경을'],
    ['an ordinary', 'line', 'an ordinary line'],
  ];
  it.each(cases)('%s + %s', (a, b, joined) => expect(joinLines(a, b)).toBe(joined));

  it('keeps the hyphen of a compound the document writes hyphenated elsewhere', () => {
    expect(joinLines('a well-', 'known face', new Set(['well-known']))).toBe('a well-known face');
    expect(joinLines('a well-', 'known face')).toBe('a wellknown face');
  });
});
