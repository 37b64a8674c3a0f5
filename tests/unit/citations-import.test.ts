// Reading bibliography files (BibTeX/BibLaTeX, RIS, CSL-JSON as Zotero exports them) into CSL
// items, refusing broken or hostile ones with BibliographyError and nothing else, and writing
// items back out (BibLaTeX, CSL-JSON) under unique citation keys.
import { describe, expect, it } from 'vitest';
import {
  BibliographyError, citationKey, citeFor, LIMITS, readBibliography, toBibtex, toCslJson, withCitationKeys,
  FIELD_MAX, type CslItem,
} from '../../main/core/citations';

// As Zotero 7's "BibTeX" export writes them (tabs, its key format, month macros, {} protection).
const ZOTERO_BIBTEX = `
@article{kim_families_2023,
	title = {Families left behind: {North} {Korean} defectors and guilt by association},
	volume = {12},
	issn = {1234-5678},
	url = {https://example.org/article},
	doi = {10.1000/xyz123},
	language = {en},
	number = {3},
	urldate = {2024-05-01},
	journal = {Journal of Korean Studies},
	author = {Kim, Jiyoung and Lee, Chul and Park, Min-ji},
	month = mar,
	year = {2023},
	pages = {45--67},
}

@incollection{lee_politics_2019,
	address = {London},
	title = {The politics of memory},
	isbn = {978-1-138-00000-0},
	booktitle = {Divided families in {Korea}},
	publisher = {Routledge},
	author = {Lee, Chul},
	editor = {Smith, Jane A. and Doe, John},
	year = {2019},
	pages = {45--67},
}
`;

// Zotero's "BibLaTeX" export of a newspaper article.
const ZOTERO_BIBLATEX_NEWS = `@article{kim_pyongyang_2012,
	title = {Pyongyang moves to identify defectors},
	url = {https://www.rfa.org/english/news/korea/defectors-03052012.html},
	journaltitle = {Radio Free Asia},
	author = {Kim, Joon-Ho and Ponnudurai, Parameswaran},
	urldate = {2024-05-01},
	date = {2012-03-05},
	langid = {english},
	entrysubtype = {newspaper},
}
`;

// Zotero's RIS export: a newspaper article and a book section.
const ZOTERO_RIS = `TY  - NEWS
TI  - Pyongyang moves to identify defectors
AU  - Kim, Joon-Ho
AU  - Ponnudurai, Parameswaran
T2  - Radio Free Asia
DA  - 2012/03/05/
PY  - 2012
UR  - https://www.rfa.org/english/news/korea/defectors-03052012.html
Y2  - 2024/05/01/10:22:41
LA  - en
ER  - 

TY  - CHAP
TI  - The politics of memory
AU  - Lee, Chul
T2  - Divided families in Korea
A2  - Smith, Jane A.
A2  - Doe, John
CY  - London
PB  - Routledge
SP  - 45
EP  - 67
PY  - 2019
SN  - 978-1-138-00000-0
ER  - 
`;

// Zotero's "CSL JSON" export (years as strings, fields Gloss does not keep).
const ZOTERO_CSL_JSON = JSON.stringify([
  {
    id: 'http://zotero.org/users/local/AbC/items/XYZ12345', type: 'article-newspaper', 'container-title': 'Radio Free Asia',
    language: 'en', source: 'rfa.org', title: 'Pyongyang moves to identify defectors', URL: 'https://www.rfa.org/english/news/korea/defectors-03052012.html',
    author: [{ family: 'Kim', given: 'Joon-Ho' }, { family: 'Ponnudurai', given: 'Parameswaran' }],
    accessed: { 'date-parts': [['2024', 5, 1]] }, issued: { 'date-parts': [['2012', 3, 5]] }, note: 'type: book\noriginal-date: 1900',
    abstract: 'The campaign is aimed at punishing families.',
  },
]);

const expectRefused = (text: string, message: RegExp, fileName?: string) => {
  let error: unknown;
  try {
    readBibliography(text, fileName);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(BibliographyError);
  expect((error as Error).message).toMatch(message);
  return error as BibliographyError;
};

describe('readBibliography: what Zotero exports', () => {
  it('reads a BibTeX article and a chapter', () => {
    const { format, items, warnings } = readBibliography(ZOTERO_BIBTEX, 'My Library.bib');
    expect(format).toBe('bibtex');
    expect(warnings).toEqual([]);
    expect(items).toHaveLength(2);
    const [article, chapter] = items;
    expect(article).toMatchObject({
      id: 'kim_families_2023', 'citation-key': 'kim_families_2023', type: 'article-journal',
      title: 'Families left behind: North Korean defectors and guilt by association', 'container-title': 'Journal of Korean Studies',
      volume: '12', issue: '3', page: '45-67', DOI: '10.1000/xyz123', URL: 'https://example.org/article',
      author: [{ family: 'Kim', given: 'Jiyoung' }, { family: 'Lee', given: 'Chul' }, { family: 'Park', given: 'Min-ji' }],
      issued: { 'date-parts': [[2023, 3]] }, accessed: { 'date-parts': [[2024, 5, 1]] },
    });
    expect(chapter).toMatchObject({
      type: 'chapter', title: 'The politics of memory', 'container-title': 'Divided families in Korea', publisher: 'Routledge',
      'publisher-place': 'London', page: '45-67', editor: [{ family: 'Smith', given: 'Jane A.' }, { family: 'Doe', given: 'John' }],
    });
    expect(citeFor(chapter!, 'apa').reference).toBe('Lee, C. (2019). The politics of memory. In J. A. Smith & J. Doe (Eds.), Divided families in Korea (pp. 45–67). Routledge.');
  });

  it('reads a BibLaTeX newspaper article (entrysubtype) as a newspaper article', () => {
    const [item] = readBibliography(ZOTERO_BIBLATEX_NEWS).items;
    expect(item).toMatchObject({ type: 'article-newspaper', 'container-title': 'Radio Free Asia', issued: { 'date-parts': [[2012, 3, 5]] }, accessed: { 'date-parts': [[2024, 5, 1]] } });
    expect(citeFor(item!, 'apa').inText).toBe('(Kim & Ponnudurai, 2012)');
  });

  it('reads RIS records, the full date from DA and the editors from A2', () => {
    const { format, items } = readBibliography(ZOTERO_RIS, 'export.ris');
    expect(format).toBe('ris');
    expect(items[0]).toMatchObject({
      type: 'article-newspaper', title: 'Pyongyang moves to identify defectors', 'container-title': 'Radio Free Asia',
      author: [{ family: 'Kim', given: 'Joon-Ho' }, { family: 'Ponnudurai', given: 'Parameswaran' }],
      issued: { 'date-parts': [[2012, 3, 5]] }, accessed: { 'date-parts': [[2024, 5, 1]] }, language: 'en',
    });
    expect(items[1]).toMatchObject({
      type: 'chapter', 'container-title': 'Divided families in Korea', publisher: 'Routledge', 'publisher-place': 'London',
      page: '45-67', ISBN: '978-1-138-00000-0', editor: [{ family: 'Smith', given: 'Jane A.' }, { family: 'Doe', given: 'John' }],
    });
    expect(citeFor(items[1]!, 'mla').reference).toBe('Lee, Chul. “The Politics of Memory.” Divided Families in Korea, edited by Jane A. Smith and John Doe, Routledge, 2019, pp. 45–67.');
  });

  it('reads a CSL-JSON array, keeping only the fields Gloss uses (never `note`, which citeproc-js would interpret)', () => {
    const { format, items } = readBibliography(ZOTERO_CSL_JSON, 'items.json');
    expect(format).toBe('csl-json');
    expect(items[0]).toEqual({
      id: 'http://zotero.org/users/local/AbC/items/XYZ12345', type: 'article-newspaper', 'container-title': 'Radio Free Asia',
      language: 'en', title: 'Pyongyang moves to identify defectors', URL: 'https://www.rfa.org/english/news/korea/defectors-03052012.html',
      author: [{ family: 'Kim', given: 'Joon-Ho' }, { family: 'Ponnudurai', given: 'Parameswaran' }],
      accessed: { 'date-parts': [[2024, 5, 1]] }, issued: { 'date-parts': [[2012, 3, 5]] },
    });
    expect(citeFor(items[0]!, 'chicago').reference).toMatch(/^Kim, Joon-Ho, and Parameswaran Ponnudurai\. 2012\. “Pyongyang/);
  });

  it('reads an unknown type as a document, with a warning', () => {
    const { items, warnings } = readBibliography('[{"id": "a", "type": "hologram", "title": "T"}]');
    expect(items[0]!.type).toBe('document');
    expect(warnings.join(' ')).toMatch(/"hologram" is not a CSL type/);
  });
});

describe('readBibliography: broken files are refused, saying where', () => {
  it('unbalanced braces in BibTeX', () => {
    const e = expectRefused('@article{x,\n  title = {Families {left behind},\n}\n', /cannot be imported: at line \d+, column \d+: expected/);
    expect(e.line).toBeGreaterThan(0);
    expectRefused('@article{x, title = {a}, author = {b}', /expected a closing brace but found the end of the file/);
    expectRefused('@article{x title = {a}}', /line 1, column 12: expected a comma but found a citation key/);
  });

  it('truncated RIS, RIS without TY, a new record before ER', () => {
    expectRefused(ZOTERO_RIS.slice(0, ZOTERO_RIS.lastIndexOf('ER  -')), /record from line 13 has no end .*cut off/);
    expectRefused('AU  - Kim, Jiyoung\nTY  - JOUR\nER  - \n', /line 1: a RIS record must start with a "TY {2}- " line/);
    expectRefused('TY  - JOUR\nTI  - a\nTY  - JOUR\nER  - \n', /line 3: a record starts before the record from line 1 has ended/);
  });

  it('JSON that is not JSON, or not an array', () => {
    expectRefused('[{"id": "a", "type": "book",}]', /not valid JSON \(line 1, column \d+\)/);
    expectRefused('{"id": "a", "type": "book", "title": "T"}', /holds an array of items .* this one holds a single object/);
    expectRefused('[{"id": "a", "type": "book", "author": "Kim"}]', /entry 1 "a": the field "author" cannot be read/);
    expectRefused('[]', /holds no CSL-JSON entries/);
  });

  it('text that is none of the three, or a name that says otherwise', () => {
    expectRefused('Kim, Jiyoung. 2023. Families left behind.', /not BibTeX .*, RIS .* or CSL-JSON/);
    expectRefused(ZOTERO_RIS, /its name says BibTeX, but it holds RIS/, 'library.bib');
    expectRefused('', /not BibTeX/);
  });
});

describe('readBibliography: hostile files', () => {
  it('refuses a file over 5 MB (a 20 MB one at once)', () => {
    expectRefused(`@misc{a, title = {${'x'.repeat(20 * 1024 * 1024)}}}`, /larger than 5 MB/);
    expect(LIMITS.fileChars).toBe(5 * 1024 * 1024);
    // At once: refused for its size before anything else is looked at, here the NUL characters
    // that are checked next, and so before any parser reads it.
    expectRefused('\0'.repeat(LIMITS.fileChars + 1), /larger than 5 MB/);
    expectRefused('\0'.repeat(LIMITS.fileChars), /holds NUL characters/);
  }, 30_000);

  it('leaves out a field of 100,000 characters, with a warning, in every format', () => {
    const long = 'x'.repeat(100_000);
    const bib = readBibliography(`@book{a, title = {${long}}, author = {Kim, Jiyoung}, year = 2020}`);
    expect(bib.items[0]!.title).toBeUndefined();
    expect(bib.items[0]!.author).toEqual([{ family: 'Kim', given: 'Jiyoung' }]);
    expect(bib.warnings.join(' ')).toMatch(/"title" is longer than 10,000 characters/);
    const ris = readBibliography(`TY  - BOOK\nTI  - ${long}\nPY  - 2020\nER  - \n`);
    expect(ris.items[0]!.title).toBeUndefined();
    expect(ris.warnings).toHaveLength(1);
    const json = readBibliography(JSON.stringify([{ id: 'a', type: 'book', title: 'T', author: [{ family: long }] }]));
    expect(json.items[0]!.author).toBeUndefined();
    expect(json.warnings.join(' ')).toMatch(/"author" is longer/);
    expect(FIELD_MAX).toBe(10_000);
  });

  it(`refuses more than ${LIMITS.entries.toLocaleString('en-US')} entries`, () => {
    const entries = Array.from({ length: LIMITS.entries + 1 }, (_, i) => `@misc{k${i}, title = {t}}`).join('\n');
    expectRefused(entries, /holds 10,001 entries; at most 10,000/);
  });

  it('refuses braces nested past what the parser can follow, and string macros that double', () => {
    expectRefused(`@misc{a, title = ${'{'.repeat(200_000)}x${'}'.repeat(200_000)}}`, /nested or repeated too deeply|cannot be imported/);
    const macros = ['@string{m0 = "xxxxxxxxxxxxxxxx"}'];
    for (let i = 1; i <= 40; i++) macros.push(`@string{m${i} = m${i - 1} # m${i - 1}}`);
    // 16 × 2^40 characters if expanded: refused, and the timeout guards against expanding them.
    expectRefused(`${macros.join('\n')}\n@misc{a, title = m40}`, /cannot be imported: it is nested or repeated too deeply to be read/);
  }, 60_000);

  it('reads long runs of blanks, lines and separators in linear time', () => {
    const cases = [
      '\n'.repeat(4_000_000) + 'x',
      ' \n'.repeat(2_000_000) + '@misc{a, title = {t}}',
      `@misc{a, title = {${' '.repeat(4_000_000)}}}`,
      `TY  - JOUR\nTI  - a\n${'b\n'.repeat(1_000_000)}ER  - \n`,
      `@misc{a, ${'x = {y},'.repeat(200_000)}}`,
    ];
    for (const text of cases) {
      try {
        readBibliography(text);
      } catch (e) {
        expect(e).toBeInstanceOf(BibliographyError);
      }
    }
    // No clock: at these lengths (millions of characters) quadratic work is hours, so such a
    // regression fails by the timeout, which only guards against that; speed is a benchmark's.
  }, 60_000);

  it('keeps LaTeX commands and markup as plain text, escaped in HTML', () => {
    const { items } = readBibliography(String.raw`@misc{evil, title = {\input{/etc/passwd} \write18{rm -rf ~} <script>alert(1)</script> <img src=x onerror=alert(1)>}, author = {{<b>Org</b>}}, url = {javascript:alert(1)}, howpublished = {\url{http://x}}}`);
    const item = items[0]!;
    expect(item.title).toContain('<script>alert(1)</script>');
    expect(item.title).toMatch(/\\input/);
    for (const style of ['apa', 'chicago', 'mla'] as const) {
      const c = citeFor(item, style);
      expect(c.referenceHtml).toMatch(/&lt;script&gt;alert\(1\)&lt;\/script&gt;/i);
      expect(c.referenceHtml).not.toMatch(/<(?!(\/?(i|b)|span class="[a-z-]+"|\/span)>)/);
      expect(c.referenceHtml).not.toMatch(/<a\b|href/);
    }
  });

  it('survives a few hundred random mutations of a valid BibTeX file, refusing only with BibliographyError', () => {
    const random = lcg(20240501);
    const pieces = ['{', '}', '@', ',', '=', '"', '#', '\\', '%', '\n', ' ', 'a', '$', '^', '_', '~', '{{', '}}', '@string{', '\\"', 'ü', '\u0000', '<script>'];
    let read = 0;
    let refused = 0;
    for (let round = 0; round < 300; round++) {
      let text = ZOTERO_BIBTEX + ZOTERO_BIBLATEX_NEWS;
      for (let edits = 1 + Math.floor(random() * 4); edits > 0; edits--) {
        const at = Math.floor(random() * text.length);
        const op = random();
        if (op < 0.35) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 5));
        else if (op < 0.8) text = text.slice(0, at) + pieces[Math.floor(random() * pieces.length)] + text.slice(at);
        else if (op < 0.9) text = text.slice(0, at);
        else text = text.slice(0, at) + text.slice(at, at + 40).repeat(3) + text.slice(at);
      }
      try {
        const { items } = readBibliography(text);
        read++;
        for (const item of items) {
          const c = citeFor(item, (['apa', 'chicago', 'mla'] as const)[round % 3]!);
          expect(c.referenceHtml).not.toMatch(/<(?!(\/?(i|b|sup|sub)|span class="[a-z-]+"|\/span)>)/);
        }
      } catch (e) {
        if (!(e instanceof BibliographyError)) throw new Error(`round ${round}: ${String(e)}\n${text}`);
        refused++;
      }
    }
    // Both outcomes occur, so the loop exercises the parser's errors and the engine alike.
    expect(read).toBeGreaterThan(10);
    expect(refused).toBeGreaterThan(10);
  });
});

describe('exports: citation keys, BibLaTeX, CSL-JSON', () => {
  const article: CslItem = {
    id: 'x', type: 'article-newspaper', title: 'Families left behind', 'container-title': 'The Korea Herald',
    author: [{ family: 'Kim', given: 'Jiyoung' }], issued: { 'date-parts': [[2023, 3, 5]] },
  };

  it('makes keys of family name, year and first significant title word, unique', () => {
    const taken = new Set<string>();
    expect(citationKey(article, taken)).toBe('kim2023families');
    expect(citationKey(article, taken)).toBe('kim2023familiesa');
    expect(citationKey(article, taken)).toBe('kim2023familiesb');
    expect(citationKey({ id: 'y', type: 'document', title: 'The politics of memory' }, taken)).toBe('politicsndmemory');
    expect(citationKey({ id: 'z', type: 'webpage', title: 'Événements', author: [{ literal: 'Human Rights Watch' }], issued: { 'date-parts': [[2024]] } }, taken)).toBe('human2024evenements');
    expect(citationKey({ id: 'w', type: 'document', title: '북한', author: [{ literal: '김지영' }] }, taken)).toBe('refnd');
    expect(citationKey({ ...article, 'citation-key': 'kim_families_2023' }, taken)).toBe('kim_families_2023');
    expect(citationKey({ ...article, 'citation-key': 'bad key}' }, taken)).toBe('kim2023familiesc');
    expect(citationKey({ id: 'v', type: 'book', title: 'Memory', author: [{ family: 'van der Berg', given: 'Jan' }], issued: { 'date-parts': [[2001]] } }, taken)).toBe('vanderberg2001memory');
  });

  it('writes BibLaTeX that reads back to the same items, with hostile text unable to break out of its field', () => {
    const hostile: CslItem = {
      id: 'h', type: 'webpage', title: 'A } title = {evil}, @misc{injected, & 100% #1 $x$ \\cmd <i>it</i>',
      URL: 'https://x.org/a}b c%C3%A9', author: [{ literal: 'Human Rights Watch' }], accessed: { 'date-parts': [[2024, 5, 1]] },
    };
    const items = withCitationKeys([article, ZOTERO_CHAPTER, hostile]);
    const bib = toBibtex(items);
    expect(bib).toMatch(/^@article\{kim2023families,\n/);
    expect(bib).toMatch(/entrysubtype = \{newspaper\}/);
    expect(bib).not.toMatch(/@misc\{injected/);
    expect(bib).toContain('url = {https://x.org/a%7Db%20c%C3%A9}');
    const back = readBibliography(bib, 'export.bib');
    expect(back.items.map((i) => i['citation-key'])).toEqual(['kim2023families', 'lee2019politics', 'humanndtitle']);
    expect(back.items[0]).toMatchObject({ type: 'article-newspaper', title: article.title, 'container-title': 'The Korea Herald', issued: article.issued, author: article.author });
    expect(back.items[1]).toMatchObject({ type: 'chapter', title: ZOTERO_CHAPTER.title, editor: ZOTERO_CHAPTER.editor, publisher: 'Routledge', page: '45-67' });
    expect(back.items[2]!.title).toBe('A } title = {evil}, @misc{injected, & 100% #1 $x$ \\cmd <i>it</i>');
    expect(back.items[2]!.author).toEqual([{ literal: 'Human Rights Watch' }]);
  });

  it('writes CSL-JSON that reads back to the same items, keyed by citation key', () => {
    const items = withCitationKeys([article, ZOTERO_CHAPTER]);
    const json = toCslJson(items);
    expect(JSON.parse(json).map((i: CslItem) => i.id)).toEqual(['kim2023families', 'lee2019politics']);
    expect(readBibliography(json, 'export.json').items).toEqual(items);
  });
});

const ZOTERO_CHAPTER: CslItem = {
  id: 'c', type: 'chapter', title: 'The politics of memory', author: [{ family: 'Lee', given: 'Chul' }],
  editor: [{ family: 'Smith', given: 'Jane A.' }, { family: 'Doe', given: 'John' }], 'container-title': 'Divided families in Korea',
  publisher: 'Routledge', 'publisher-place': 'London', page: '45-67', issued: { 'date-parts': [[2019]] },
};

/** A small seeded generator (Park–Miller), so a failing round can be replayed. */
function lcg(seed: number): () => number {
  let s = seed % 2147483647;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}
