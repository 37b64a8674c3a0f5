// Citations in APA 7, Chicago author-date (17th ed.) and MLA 9, checked against the forms of the
// styles' published examples: APA Publication Manual 7th ed. §§ 8.17–8.28 (in-text), 9.7–9.18
// (elements), 10.1 (newspaper article, ex. 16), 10.3 (chapter in an edited book, ex. 38), 10.16
// (webpage, ex. 110–114); Chicago Manual of Style 17th ed. 15.9 (reference list), 15.22–15.30
// (in-text), 15.44 (n.d.), 15.49 (newspapers, unsigned articles), 15.51 (websites), 14.107
// (chapter), 8.159 (title case); MLA Handbook 9th ed. ch. 5 (works-cited elements), 6.6–6.19
// (in-text, "par."), 5.116 (access date only without a publication date).
// Each expected reference is written as its elements, one per line, so a failure shows which.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { citeFor, cslItemFor, quotation, BLOCK_QUOTE_WORDS, type CitationStyle, type CslItem } from '../../main/core/citations';
import { parseAuthors, formatAuthors } from '../../main/core/citations/names';
import { metaFromCslItem } from '../../main/core/citations/csl-item';
import { readCorpus, type CorpusArticle } from '../../main/core/corpus';
import type { DocumentMeta } from '../../shared/model';

const repoRoot = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const para = (value: string) => ({ label: 'paragraph' as const, value });
const page = (value: string) => ({ label: 'page' as const, value });
/** A reference from its elements, in order (HTML as the engine writes it, `&amp;` escaped). */
const ref = (...elements: string[]) => elements.join(' ');
const meta = (m: Partial<DocumentMeta>): DocumentMeta => ({ title: '', publication: '', author: '', date: '', url: '', ...m });

function cite(item: CslItem, style: CitationStyle, locator?: Parameters<typeof citeFor>[2]) {
  return citeFor(item, style, locator);
}

describe('the five bundled articles', () => {
  let corpus: Map<string, CorpusArticle>;
  beforeAll(async () => {
    corpus = new Map((await readCorpus(path.join(repoRoot, 'corpus'))).map((a) => [a.id, a]));
  });
  const item = (id: string) => cslItemFor(corpus.get(id)!.meta);

  // The properties as the corpus gives them (corpus/README.md): no URL, mostly no date, a
  // publication for three. The Korean names written family name first carry a comma ("Kim,
  // Joon-Ho"): without it, Gloss's rule (names.ts: the last word is the family name) would cite
  // "Joon-Ho".
  const expected: Record<string, Record<CitationStyle, { inText: string; referenceHtml: string }>> = {
    'dilemma-of-leaving-family': {
      // No publication, no URL: a document, cited like a stand-alone work (title in italics).
      apa: { inText: '(Kang, 2014, para. 12)', referenceHtml: ref('Kang, J.-M.', '(2014, January 23).', '<i>The dilemma of leaving my family behind in North Korea</i>.') },
      // CMOS 8.159 would capitalise the adverb "Behind"; CSL's title case lowercases every word on
      // its list of prepositions, as citeproc-js must without knowing the part of speech.
      chicago: { inText: '(Kang 2014, para. 12)', referenceHtml: ref('Kang, Ji-Min.', '2014.', '“The Dilemma of Leaving My Family behind in North Korea.”') },
      mla: { inText: '(Kang, par. 12)', referenceHtml: ref('Kang, Ji-Min.', '<i>The Dilemma of Leaving My Family behind in North Korea</i>.', '23 Jan. 2014.') },
    },
    'secret-police-pressure-on-families': {
      apa: { inText: '(Jang, n.d., para. 12)', referenceHtml: ref('Jang, S.', '(n.d.).', '<i>Secret Police Intensifies Pressure on Defectors’ Families</i>.') },
      chicago: { inText: '(Jang, n.d., para. 12)', referenceHtml: ref('Jang, Seiul.', 'n.d.', '“Secret Police Intensifies Pressure on Defectors’ Families.”') },
      mla: { inText: '(Jang, par. 12)', referenceHtml: ref('Jang, Seiul.', '<i>Secret Police Intensifies Pressure on Defectors’ Families</i>.') },
    },
    'pyongyang-moves-to-identify-defectors': {
      apa: { inText: '(Kim &amp; Ponnudurai, n.d., para. 12)', referenceHtml: ref('Kim, J.-H., &amp; Ponnudurai, P.', '(n.d.).', 'Pyongyang Moves to Identify Defectors.', '<i>RFA</i>.') },
      chicago: { inText: '(Kim and Ponnudurai, n.d., para. 12)', referenceHtml: ref('Kim, Joon-Ho, and Parameswaran Ponnudurai.', 'n.d.', '“Pyongyang Moves to Identify Defectors.”', '<i>RFA</i>.') },
      mla: { inText: '(Kim and Ponnudurai, par. 12)', referenceHtml: ref('Kim, Joon-Ho, and Parameswaran Ponnudurai.', '“Pyongyang Moves to Identify Defectors.”', '<i>RFA</i>.') },
    },
    'officials-bankroll-flight-risk-relatives': {
      apa: { inText: '(Kim &amp; Lipes, n.d., para. 12)', referenceHtml: ref('Kim, J., &amp; Lipes, J.', '(n.d.).', 'North Korean Officials, Businessmen Bankroll Poor Flight-Risk Relatives.', '<i>RFA</i>.') },
      chicago: { inText: '(Kim and Lipes, n.d., para. 12)', referenceHtml: ref('Kim, Joonho, and Joshua Lipes.', 'n.d.', '“North Korean Officials, Businessmen Bankroll Poor Flight-Risk Relatives.”', '<i>RFA</i>.') },
      mla: { inText: '(Kim and Lipes, par. 12)', referenceHtml: ref('Kim, Joonho, and Joshua Lipes.', '“North Korean Officials, Businessmen Bankroll Poor Flight-Risk Relatives.”', '<i>RFA</i>.') },
    },
    'threats-of-death-and-banishment': {
      apa: { inText: '(Hamilton, n.d., para. 12)', referenceHtml: ref('Hamilton, K.', '(n.d.).', 'North Korea Said to Threaten Families of Defectors with Death and Banishment.', '<i>VICE News</i>.') },
      chicago: { inText: '(Hamilton, n.d., para. 12)', referenceHtml: ref('Hamilton, Keegan.', 'n.d.', '“North Korea Said to Threaten Families of Defectors with Death and Banishment.”', '<i>VICE News</i>.') },
      mla: { inText: '(Hamilton, par. 12)', referenceHtml: ref('Hamilton, Keegan.', '“North Korea Said to Threaten Families of Defectors with Death and Banishment.”', '<i>VICE News</i>.') },
    },
  };

  for (const [id, styles] of Object.entries(expected)) {
    for (const [style, want] of Object.entries(styles) as [CitationStyle, { inText: string; referenceHtml: string }][]) {
      it(`${id} in ${style}`, () => {
        const c = cite(item(id), style, para('12'));
        expect(c.inTextHtml).toBe(want.inText);
        expect(c.referenceHtml).toBe(want.referenceHtml);
        // The plain text is the same without markup.
        expect(c.reference).toBe(want.referenceHtml.replace(/<[^>]+>/g, '').replace(/&amp;/g, '&'));
      });
    }
  }

  it('gives the corpus titles the expected type', () => {
    expect(item('dilemma-of-leaving-family').type).toBe('document');
    expect(item('pyongyang-moves-to-identify-defectors').type).toBe('article-newspaper');
  });
});

describe('a newspaper article with date and URL (APA 10.1 ex. 16, CMOS 15.49, MLA 9 ch. 5)', () => {
  const item = cslItemFor(meta({
    title: 'Pyongyang moves to identify defectors', publication: 'Radio Free Asia',
    author: 'Kim, Joon-Ho and Parameswaran Ponnudurai', date: '2012-03-05',
    url: 'https://www.rfa.org/english/news/korea/defectors-03052012.html', accessed: '2024-05-01',
  }));
  const url = 'https://www.rfa.org/english/news/korea/defectors-03052012.html';

  it('APA: initials, (year, Month day), title plain, newspaper italic, bare URL, no retrieval date', () => {
    const c = cite(item, 'apa', para('12'));
    expect(c.inText).toBe('(Kim & Ponnudurai, 2012, para. 12)');
    expect(c.referenceHtml).toBe(ref('Kim, J.-H., &amp; Ponnudurai, P.', '(2012, March 5).', 'Pyongyang moves to identify defectors.', '<i>Radio Free Asia</i>.', url));
    expect(cite(item, 'apa', page('4')).inText).toBe('(Kim & Ponnudurai, 2012, p. 4)');
    expect(cite(item, 'apa', page('4–5')).inText).toBe('(Kim & Ponnudurai, 2012, pp. 4–5)');
  });

  it('Chicago: full names, year after the authors, title in quotes and title case, full date after the newspaper', () => {
    const c = cite(item, 'chicago', para('12'));
    expect(c.inText).toBe('(Kim and Ponnudurai 2012, para. 12)');
    expect(c.referenceHtml).toBe(ref('Kim, Joon-Ho, and Parameswaran Ponnudurai.', '2012.', '“Pyongyang Moves to Identify Defectors.”', '<i>Radio Free Asia</i>,', 'March 5, 2012.', `${url}.`));
    expect(cite(item, 'chicago', page('4')).inText).toBe('(Kim and Ponnudurai 2012, 4)');
  });

  it('MLA: day Mon. year after the newspaper, URL, no access date (there is a publication date)', () => {
    const c = cite(item, 'mla', para('12'));
    expect(c.inText).toBe('(Kim and Ponnudurai, par. 12)');
    expect(c.referenceHtml).toBe(ref('Kim, Joon-Ho, and Parameswaran Ponnudurai.', '“Pyongyang Moves to Identify Defectors.”', '<i>Radio Free Asia</i>,', '5 Mar. 2012,', `${url}.`));
    expect(cite(item, 'mla', page('4')).inText).toBe('(Kim and Ponnudurai 4)');
    expect(cite(item, 'mla', page('4–5')).inText).toBe('(Kim and Ponnudurai 4–5)');
  });

  it('cites without a locator', () => {
    expect(cite(item, 'apa').inText).toBe('(Kim & Ponnudurai, 2012)');
    expect(cite(item, 'chicago').inText).toBe('(Kim and Ponnudurai 2012)');
    expect(cite(item, 'mla').inText).toBe('(Kim and Ponnudurai)');
  });
});

describe('a chapter in an edited book (APA 10.3 ex. 38, CMOS 14.107/15.9, MLA 9 ch. 5)', () => {
  const chapter: CslItem = {
    id: 'lee2019', type: 'chapter', title: 'The politics of memory', author: [{ family: 'Lee', given: 'Chul' }],
    editor: [{ family: 'Smith', given: 'Jane A.' }, { family: 'Doe', given: 'John' }],
    'container-title': 'Divided families in Korea', publisher: 'Routledge', 'publisher-place': 'London',
    page: '45-67', issued: { 'date-parts': [[2019]] },
  };

  it('APA: "In" editors with initials first "(Eds.)", book italic, (pp. 45–67), publisher without place', () => {
    const c = cite(chapter, 'apa', page('50'));
    expect(c.inText).toBe('(Lee, 2019, p. 50)');
    expect(c.referenceHtml).toBe(ref('Lee, C.', '(2019).', 'The politics of memory.', 'In J. A. Smith &amp; J. Doe (Eds.),', '<i>Divided families in Korea</i>', '(pp. 45–67).', 'Routledge.'));
  });

  it('Chicago: chapter in quotes, "In" book italic, "edited by", pages, Place: Publisher', () => {
    const c = cite(chapter, 'chicago', page('50'));
    expect(c.inText).toBe('(Lee 2019, 50)');
    expect(c.referenceHtml).toBe(ref('Lee, Chul.', '2019.', '“The Politics of Memory.”', 'In <i>Divided Families in Korea</i>,', 'edited by Jane A. Smith and John Doe,', '45–67.', 'London: Routledge.'));
  });

  it('MLA: chapter in quotes, book italic, "edited by", publisher, year, pp.', () => {
    const c = cite(chapter, 'mla', page('50'));
    expect(c.inText).toBe('(Lee 50)');
    expect(c.referenceHtml).toBe(ref('Lee, Chul.', '“The Politics of Memory.”', '<i>Divided Families in Korea</i>,', 'edited by Jane A. Smith and John Doe,', 'Routledge,', '2019,', 'pp. 45–67.'));
  });
});

describe('missing dates, missing authors, organisations, several authors', () => {
  const noDate = cslItemFor(meta({ title: 'Threats of death', publication: 'VICE News', author: 'Keegan Hamilton' }));
  const noAuthor = cslItemFor(meta({ title: 'Pyongyang moves to identify defectors', publication: 'RFA', date: '2012-03-05' }));
  const undatedPage = cslItemFor(meta({ title: 'About the families', url: 'https://example.org/about', accessed: '2024-05-01' }));
  const org = cslItemFor(meta({ title: 'North Korea: Events of 2023', author: '{{Human Rights Watch}}', date: '2024-01-11', url: 'https://www.hrw.org/x' }));
  const authors = (names: string) => cslItemFor(meta({ title: 'Families left behind', publication: 'The Korea Herald', author: names, date: '2023-03-05' }));

  it('no date: "n.d." in APA and Chicago (with a comma in Chicago\'s in-text), left out in MLA', () => {
    expect(cite(noDate, 'apa').inText).toBe('(Hamilton, n.d.)');
    expect(cite(noDate, 'apa').reference).toBe('Hamilton, K. (n.d.). Threats of death. VICE News.');
    expect(cite(noDate, 'chicago').inText).toBe('(Hamilton, n.d.)');
    expect(cite(noDate, 'chicago').reference).toBe('Hamilton, Keegan. n.d. “Threats of Death.” VICE News.');
    expect(cite(noDate, 'mla').inText).toBe('(Hamilton)');
    expect(cite(noDate, 'mla').reference).toBe('Hamilton, Keegan. “Threats of Death.” VICE News.');
  });

  it('no author, APA: the title moves to the author position, then the date; in-text title in quotes, title case', () => {
    const c = cite(noAuthor, 'apa');
    expect(c.referenceHtml).toBe(ref('Pyongyang moves to identify defectors.', '(2012, March 5).', '<i>RFA</i>.'));
    expect(c.inText).toBe('(“Pyongyang Moves to Identify Defectors,” 2012)');
  });

  it('no author, Chicago: an unsigned newspaper article is listed under the newspaper (CMOS 15.49)', () => {
    const c = cite(noAuthor, 'chicago');
    // The comma between the title and the date is the CSL style's punctuation.
    expect(c.referenceHtml).toBe(ref('<i>RFA</i>.', '2012.', '“Pyongyang Moves to Identify Defectors,”', 'March 5, 2012.'));
    expect(c.inTextHtml).toBe('(<i>RFA</i> 2012)');
  });

  it('no author, MLA: the title first, and the in-text citation by title', () => {
    const c = cite(noAuthor, 'mla');
    expect(c.referenceHtml).toBe(ref('“Pyongyang Moves to Identify Defectors.”', '<i>RFA</i>,', '5 Mar. 2012.'));
    expect(c.inText).toBe('(“Pyongyang Moves to Identify Defectors”)');
  });

  it('no author and no date on a web page: title first, n.d., and the retrieval / access date', () => {
    expect(cite(undatedPage, 'apa').referenceHtml).toBe(ref('<i>About the families</i>.', '(n.d.).', 'Retrieved May 1, 2024, from https://example.org/about'));
    expect(cite(undatedPage, 'apa').inTextHtml).toBe('(<i>About the Families</i>, n.d.)');
    expect(cite(undatedPage, 'chicago').reference).toBe('“About the Families.” n.d. Accessed May 1, 2024. https://example.org/about.');
    expect(cite(undatedPage, 'mla').reference).toBe('About the Families. https://example.org/about. Accessed 1 May 2024.');
  });

  it('an organisation as author is written whole, never as initials', () => {
    expect(cite(org, 'apa').inText).toBe('(Human Rights Watch, 2024)');
    expect(cite(org, 'apa').referenceHtml).toBe(ref('Human Rights Watch.', '(2024, January 11).', '<i>North Korea: Events of 2023</i>.', 'https://www.hrw.org/x'));
    expect(cite(org, 'chicago').inText).toBe('(Human Rights Watch 2024)');
    expect(cite(org, 'chicago').reference).toMatch(/^Human Rights Watch\. 2024\. “North Korea: Events of 2023\.”/);
    expect(cite(org, 'mla').inText).toBe('(Human Rights Watch)');
    expect(cite(org, 'mla').reference).toMatch(/^Human Rights Watch\. North Korea: Events of 2023\. 11 Jan\. 2024, https:\/\/www\.hrw\.org\/x\.$/);
  });

  it('two authors: "&" in APA, "and" in Chicago and MLA', () => {
    const two = authors('Kim, Jiyoung; Lee, Chul');
    expect(cite(two, 'apa').inText).toBe('(Kim & Lee, 2023)');
    expect(cite(two, 'apa').reference).toMatch(/^Kim, J\., & Lee, C\. \(2023, March 5\)\./);
    expect(cite(two, 'chicago').inText).toBe('(Kim and Lee 2023)');
    expect(cite(two, 'chicago').reference).toMatch(/^Kim, Jiyoung, and Chul Lee\. 2023\./);
    expect(cite(two, 'mla').inText).toBe('(Kim and Lee)');
    expect(cite(two, 'mla').reference).toMatch(/^Kim, Jiyoung, and Chul Lee\. “Families Left Behind\.”/);
  });

  it('three authors: "et al." in APA and MLA in-text, all three in Chicago; MLA lists the first and "et al."', () => {
    const three = authors('Kim, Jiyoung; Lee, Chul; Park, Min-ji');
    expect(cite(three, 'apa').inText).toBe('(Kim et al., 2023)');
    expect(cite(three, 'apa').reference).toMatch(/^Kim, J\., Lee, C\., & Park, M\. \(2023, March 5\)\./);
    expect(cite(three, 'chicago').inText).toBe('(Kim, Lee, and Park 2023)');
    expect(cite(three, 'chicago').reference).toMatch(/^Kim, Jiyoung, Chul Lee, and Min-ji Park\. 2023\./);
    expect(cite(three, 'mla').inText).toBe('(Kim et al.)');
    expect(cite(three, 'mla').reference).toMatch(/^Kim, Jiyoung, et al\. “Families Left Behind\.”/);
  });

  it('four authors: "et al." in Chicago too; every author in the APA and Chicago reference lists', () => {
    const four = authors('Kim, Jiyoung; Lee, Chul; Park, Min-ji; Choi, Soo');
    expect(cite(four, 'apa').inText).toBe('(Kim et al., 2023)');
    expect(cite(four, 'apa').reference).toMatch(/^Kim, J\., Lee, C\., Park, M\., & Choi, S\. /);
    expect(cite(four, 'chicago').inText).toBe('(Kim et al. 2023)');
    expect(cite(four, 'chicago').reference).toMatch(/^Kim, Jiyoung, Chul Lee, Min-ji Park, and Soo Choi\. 2023\./);
    expect(cite(four, 'mla').inText).toBe('(Kim et al.)');
  });

  it('is not disambiguated against a document cited before', () => {
    cite(authors('Kim, Jiyoung; Lee, Chul; Park, Min-ji; Choi, Soo'), 'apa');
    expect(cite(authors('Kim, Jiyoung; Lee, Chul; Park, Min-ji'), 'apa').inText).toBe('(Kim et al., 2023)');
  });
});

describe('markup in the data is text', () => {
  it('escapes a script in a title and keeps only the processor\'s own tags', () => {
    const item = cslItemFor(meta({ title: 'A <script>alert(1)</script> & <img src=x onerror=alert(1)> title', author: 'O<b>Brien, Pat', publication: 'The <i>Times</i>' }));
    for (const style of ['apa', 'chicago', 'mla'] as const) {
      const c = cite(item, style);
      expect(c.referenceHtml).not.toMatch(/<(?!(\/?(i|b)|span class="[a-z-]+"|\/span)>)/);
      expect(c.referenceHtml).toContain('&lt;script&gt;');
      expect(c.referenceHtml).toContain('&lt;img');
      expect(c.inTextHtml).not.toMatch(/<(?!(\/?(i|b)|span class="[a-z-]+"|\/span)>)/);
      expect(c.reference).toMatch(/<script>alert\(1\)<\/script>/i);
    }
  });
});

describe('quotation', () => {
  const item = cslItemFor(meta({ title: 'The dilemma', author: 'Ji-Min Kang', date: '2014-01-23' }));

  it('runs a short passage in, in double quotes (inner quotes single), the full stop after the citation', () => {
    const c = cite(item, 'apa', para('9'));
    const q = quotation('My father was able to avoid punishment with the aid of "party officials" who vouched for him.', c);
    expect(q.block).toBe(false);
    expect(q.text).toBe('“My father was able to avoid punishment with the aid of ‘party officials’ who vouched for him” (Kang, 2014, para. 9).\n\nKang, J.-M. (2014, January 23). The dilemma.');
    expect(q.html).toBe('<p>“My father was able to avoid punishment with the aid of ‘party officials’ who vouched for him” (Kang, 2014, para. 9).</p><p>Kang, J.-M. (2014, January 23). <i>The dilemma</i>.</p>');
    expect(quotation('Why did they stay?', cite(item, 'mla', para('3'))).text.split('\n')[0]).toBe('“Why did they stay?” (Kang, par. 3).');
    expect(quotation('It was “the worst” day', cite(item, 'chicago', page('4'))).text.split('\n')[0]).toBe('“It was ‘the worst’ day” (Kang 2014, 4).');
  });

  it(`sets ${BLOCK_QUOTE_WORDS} words or more as a block, without quote marks, the citation after the final punctuation`, () => {
    const words = Array.from({ length: BLOCK_QUOTE_WORDS - 1 }, (_, i) => `w${i}`).join(' ');
    const short = quotation(`${words}.`, cite(item, 'apa', para('2')));
    expect(short.block).toBe(false);
    const passage = `First “paragraph” ${words}.\n\nSecond <paragraph> & end.`;
    const q = quotation(passage, cite(item, 'apa', para('2')));
    expect(q.block).toBe(true);
    expect(q.text).toBe(`First “paragraph” ${words}.\n\nSecond <paragraph> & end. (Kang, 2014, para. 2)\n\nKang, J.-M. (2014, January 23). The dilemma.`);
    expect(q.html).toBe(`<blockquote><p>First “paragraph” ${words}.</p><p>Second &lt;paragraph&gt; &amp; end. (Kang, 2014, para. 2)</p></blockquote><p>Kang, J.-M. (2014, January 23). <i>The dilemma</i>.</p>`);
  });
});

describe('authors as typed', () => {
  const names = (s: string) => parseAuthors(s);

  it('reads "Family, Given" lists split on ";" or "and"', () => {
    expect(names('Kim, Jiyoung; Lee, Chul')).toEqual([{ family: 'Kim', given: 'Jiyoung' }, { family: 'Lee', given: 'Chul' }]);
    expect(names('Kim, Jiyoung and Lee, Chul')).toEqual([{ family: 'Kim', given: 'Jiyoung' }, { family: 'Lee', given: 'Chul' }]);
    expect(names('King, Martin Luther, Jr.')).toEqual([{ family: 'King', given: 'Martin Luther', suffix: 'Jr.' }]);
  });

  it('takes the last word as the family name without a comma, the first in Hangul or Han', () => {
    expect(names('Jiyoung Kim and Chul Lee')).toEqual([{ family: 'Kim', given: 'Jiyoung' }, { family: 'Lee', given: 'Chul' }]);
    expect(names('Kim Jiyoung')).toEqual([{ family: 'Jiyoung', given: 'Kim' }]);
    expect(names('Jiyoung Kim & Chul Lee')).toEqual([{ family: 'Kim', given: 'Jiyoung' }, { family: 'Lee', given: 'Chul' }]);
    expect(names('Jiyoung Kim, Chul Lee and Min Park')).toHaveLength(3);
    expect(names('Jiyoung Kim, Chul Lee, Min Park')).toHaveLength(3);
    expect(names('김 지영; 이 철')).toEqual([{ family: '김', given: '지영' }, { family: '이', given: '철' }]);
    expect(names('Ludwig van Beethoven')).toEqual([{ family: 'van Beethoven', given: 'Ludwig' }]);
    expect(names('Martin Luther King Jr.')).toEqual([{ family: 'King', given: 'Martin Luther', suffix: 'Jr.' }]);
  });

  it('keeps organisations and single words whole', () => {
    expect(names('{{Human Rights Watch}}')).toEqual([{ literal: 'Human Rights Watch' }]);
    expect(names('{{Smith and Sons}} and Jane Doe')).toEqual([{ literal: 'Smith and Sons' }, { family: 'Doe', given: 'Jane' }]);
    expect(names('Reuters')).toEqual([{ literal: 'Reuters' }]);
    expect(names('김지영')).toEqual([{ literal: '김지영' }]);
    expect(names('')).toEqual([]);
  });

  it('reads a long list, and long runs of blanks and separators', () => {
    expect(names(`Kim${' and Lee'.repeat(20_000)}`)).toHaveLength(20_001);
    names(`${' '.repeat(100_000)}x${' and'.repeat(10_000)}${','.repeat(10_000)}`);
    // No clock: backtracking over these runs would be quadratic or worse, and fails by the
    // timeout, which only guards against that; how fast the linear reading is is a benchmark's.
  }, 60_000);

  it('writes names back in a form read back to the same names', () => {
    for (const s of ['Kim, Jiyoung; Lee, Chul', '{{Human Rights Watch}}; King, Martin Luther, Jr.', 'van Beethoven, Ludwig']) {
      expect(parseAuthors(formatAuthors(parseAuthors(s)))).toEqual(parseAuthors(s));
    }
    expect(formatAuthors(parseAuthors('Jiyoung Kim and {{Human Rights Watch}}'))).toBe('Kim, Jiyoung; {{Human Rights Watch}}');
  });
});

describe('the item for a document', () => {
  it('picks the type from the properties', () => {
    expect(cslItemFor(meta({ title: 't', publication: 'RFA' })).type).toBe('article-newspaper');
    expect(cslItemFor(meta({ title: 't', url: 'https://x.org' })).type).toBe('webpage');
    expect(cslItemFor(meta({ title: 't' })).type).toBe('document');
  });

  it('reads dates and pages', () => {
    const item = cslItemFor(meta({ title: 't', date: '2014-01', url: 'https://x.org', accessed: '2024-05-01', pages: '12–34' }));
    expect(item.issued).toEqual({ 'date-parts': [[2014, 1]] });
    expect(item.accessed).toEqual({ 'date-parts': [[2024, 5, 1]] });
    expect(item.page).toBe('12–34');
  });

  it('uses an imported item whole, and gives the properties it implies', () => {
    const imported: CslItem = { id: 'x', type: 'chapter', title: 'The politics of memory', author: [{ family: 'Lee', given: 'Chul' }], 'container-title': 'Divided families', issued: { 'date-parts': [[2019]] }, page: '45-67' };
    const item = cslItemFor(meta({ title: 'Something else', publication: 'RFA' }), imported, 'doc1');
    expect(item).toEqual({ ...imported, id: 'doc1' });
    expect(metaFromCslItem(imported)).toEqual({ title: 'The politics of memory', publication: 'Divided families', author: 'Lee, Chul', date: '2019', pages: '45-67' });
  });
});
