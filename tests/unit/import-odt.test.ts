import { DOMParser } from '@xmldom/xmldom';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it, vi } from 'vitest';
import { importOdt } from '../../main/core/import/odt';
import type { Block } from '../../shared/model';
import { h, interviewBody, ol, p, quote, ul } from '../fixtures/import/expected';
import { fixture, mutateBytes, mutateXml, outcome, prng, refusalOf, repack } from '../fixtures/import/fuzz';


/** tests/fixtures/import/src/interview.md as an OpenDocument text shows it. */
const interview = (image: string): Block[] => [
  h(1, 'Interview 07: Crossing the river'),
  p('Ana Lima'),
  p('Kim Ji-woo'),
  p('2019-07-02'),
  ...interviewBody(image),
];

const META = { title: 'Interview 07: Crossing the river', author: 'Ana Lima; Kim Ji-woo', publication: 'Gloss test corpus', date: '2019-07-02', url: 'https://example.org/interviews/07' };
const NOTES = ['1 image became a placeholder naming it.', '2 footnotes were moved to the end of the text as paragraphs numbered as their references in the text are (“[1]”).'];
const MIME = 'application/vnd.oasis.opendocument.text';

const NAMESPACES = [
  'office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"',
  'style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"',
  'text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"',
  'table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"',
  'draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"',
  'svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"',
  'xlink="http://www.w3.org/1999/xlink"',
  'dc="http://purl.org/dc/elements/1.1/"',
  'meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"',
]
  .map((ns) => `xmlns:${ns}`)
  .join(' ');

/** A small ODT: content.xml with this body and automatic styles, and meta.xml with these fields. */
function odt(body: string, opts: { styles?: string; meta?: string; mimetype?: string } = {}): Uint8Array {
  const content = `<?xml version="1.0" encoding="UTF-8"?><office:document-content ${NAMESPACES} office:version="1.3"><office:automatic-styles>${opts.styles ?? ''}</office:automatic-styles><office:body><office:text>${body}</office:text></office:body></office:document-content>`;
  const meta = `<?xml version="1.0" encoding="UTF-8"?><office:document-meta ${NAMESPACES}><office:meta>${opts.meta ?? ''}</office:meta></office:document-meta>`;
  return zipSync({ mimetype: [strToU8(opts.mimetype ?? MIME), { level: 0 }], 'content.xml': strToU8(content), 'meta.xml': strToU8(meta) });
}

const refusal = (bytes: Uint8Array): Promise<string> => refusalOf(importOdt(bytes, {}));
const pandoc = fixture('interview.pandoc.odt');
const contentXml = strFromU8(unzipSync(pandoc)['content.xml']!);

describe('OpenDocument texts', () => {
  it('reads the pandoc fixture block by block, with its metadata', async () => {
    const r = await importOdt(pandoc, {});
    expect(r.blocks).toEqual(interview('[Image: img1]'));
    expect(r.meta).toEqual(META);
    expect(r.notes).toEqual(NOTES);
  });

  it('reads the one LibreOffice wrote (list styles in styles.xml, the image described)', async () => {
    const r = await importOdt(fixture('interview.libreoffice.odt'), {});
    expect(r.blocks).toEqual(interview('[Image: A hand-drawn map of the border]'));
    expect(r.meta).toEqual(META);
    expect(r.notes).toEqual(NOTES);
  });

  it('keeps spaces, tabs and line breaks it states, and collapses the rest', async () => {
    const r = await importOdt(odt('<text:p>  spaced   out<text:s text:c="3"/>three<text:tab/>tab<text:line-break/>line <text:soft-page-break/>page </text:p><text:p> e\u0301 <text:span>in</text:span> <text:span> span</text:span></text:p><text:p>   </text:p>'), {});
    expect(r.blocks).toEqual([p('spaced out   three\ttab\nline page'), p('é in span')]);
  });

  it('maps headings, lists, tables, frames, sections and quotation styles', async () => {
    const styles = `
      <style:style style:name="MyQuote" style:family="paragraph" style:parent-style-name="Quotations"/>
      <style:style style:name="Loop1" style:family="paragraph" style:parent-style-name="Loop2"/>
      <style:style style:name="Loop2" style:family="paragraph" style:parent-style-name="Loop1"/>
      <style:style style:name="P9" style:family="paragraph" style:list-style-name="Num"/>
      <text:list-style style:name="Num">
        <text:list-level-style-number text:level="1" style:num-format="1"/>
        <text:list-level-style-bullet text:level="2" text:bullet-char="•"/>
        <text:list-level-style-number text:level="3" style:num-format=""/>
      </text:list-style>`;
    const body = `
      <text:sequence-decls><text:sequence-decl text:name="Figure"/></text:sequence-decls>
      <text:table-of-content text:name="TOC"><text:index-body><text:p>Contents 1</text:p></text:index-body></text:table-of-content>
      <text:h text:outline-level="9">Deep heading</text:h><text:h>No level</text:h><text:h text:outline-level="x">Bad level</text:h>
      <text:list><text:list-header><text:p>Header item</text:p></text:list-header><text:list-item><text:p>Unstyled item</text:p></text:list-item></text:list>
      <text:list text:style-name="Num"><text:list-item><text:p>one</text:p><text:list><text:list-item><text:p>level two</text:p>
        <text:list><text:list-item><text:p>level three</text:p></text:list-item></text:list></text:list-item></text:list></text:list-item></text:list>
      <text:list><text:list-item><text:p text:style-name="P9">numbered by its paragraph style</text:p></text:list-item></text:list>
      <text:list><text:list-item><text:h text:outline-level="2">1.1 Numbered heading</text:h></text:list-item></text:list>
      <table:table><table:table-column/><table:table-header-rows><table:table-row><table:table-cell><text:p>a</text:p><text:p>b</text:p></table:table-cell><table:covered-table-cell/><table:table-cell><text:p>c</text:p></table:table-cell></table:table-row></table:table-header-rows>
        <table:table-row><table:table-cell/><table:table-cell/></table:table-row>
        <table:table-row><table:table-cell><table:table><table:table-row><table:table-cell><text:p>inner</text:p></table:table-cell><table:table-cell><text:p>table</text:p></table:table-cell></table:table-row></table:table></table:table-cell><table:table-cell><text:list><text:list-item><text:p>listed</text:p></text:list-item></text:list></table:table-cell></table:table-row></table:table>
      <text:p><draw:frame draw:name="Image1"><draw:image xlink:href="Pictures/x.png"><office:binary-data>QUFBQQ==</office:binary-data></draw:image><svg:title>A photo</svg:title><svg:desc>Longer words</svg:desc></draw:frame> and <draw:frame draw:name="Box"><draw:text-box><text:p>boxed</text:p><text:p>text</text:p></draw:text-box></draw:frame>, <draw:frame draw:name="Formula 1"><draw:object xlink:href="./Object 1"/></draw:frame></text:p>
      <draw:frame draw:name="Page image"><draw:image xlink:href="Pictures/y.png"/></draw:frame>
      <text:section text:name="S"><text:p text:style-name="MyQuote">quoted one</text:p><text:p text:style-name="Quotations">quoted two</text:p><text:p text:style-name="Loop1">after</text:p></text:section>
      <text:p text:style-name="Title">A title</text:p><text:p text:style-name="Quote">another quote</text:p>`;
    const r = await importOdt(odt(body, { styles }), {});
    expect(r.blocks).toEqual([
      h(6, 'Deep heading'),
      h(1, 'No level'),
      h(1, 'Bad level'),
      ul([p('Header item')], [p('Unstyled item')]),
      ol([p('one'), ul([p('level two'), ul([p('level three')])])]),
      ol([p('numbered by its paragraph style')]),
      h(2, '1.1 Numbered heading'),
      p('a b | c'),
      p('inner | table | listed'),
      p('[Image: A photo] and boxed text, [Object: Formula 1]'),
      p('[Image: Page image]'),
      quote(p('quoted one'), p('quoted two')),
      p('after'),
      h(1, 'A title'),
      quote(p('another quote')),
    ]);
    expect(r.notes).toEqual([
      '2 images became placeholders naming them.',
      '1 embedded object became a placeholder naming it.',
      'A table of contents or index was left out: it repeats text found elsewhere.',
    ]);
  });

  it('moves footnotes and endnotes to the end, and leaves out comments and tracked deletions', async () => {
    const body = `
      <text:tracked-changes><text:changed-region text:id="c1"><text:deletion><text:p>deleted text</text:p></text:deletion></text:changed-region></text:tracked-changes>
      <text:p>Said<office:annotation><dc:creator>Ana</dc:creator><text:p>a comment</text:p></office:annotation><office:annotation-end/> here<text:note text:id="n1" text:note-class="endnote"><text:note-citation>i</text:note-citation><text:note-body><text:p>An endnote.</text:p><text:p>Its second paragraph.</text:p></text:note-body></text:note>, there<text:note text:note-class="footnote"><text:note-citation text:label="*">1</text:note-citation><text:note-body><text:list><text:list-item><text:p>a list in a note</text:p></text:list-item></text:list></text:note-body></text:note>.</text:p>`;
    const r = await importOdt(odt(body), {});
    expect(r.blocks).toEqual([p('Said here[i], there[*].'), p('[i] An endnote.'), p('Its second paragraph.'), p('[*]'), ul([p('a list in a note')])]);
    expect(r.notes).toEqual(['1 footnote and 1 endnote were moved to the end of the text as paragraphs numbered as their references in the text are (“[1]”).', 'A comment was left out.']);
  });

  it('takes the author, never a date of the file, and what user-defined properties state', async () => {
    const meta = `<dc:title> A  title </dc:title><dc:creator>Last Editor</dc:creator><meta:creation-date>2020-01-01T00:00:00</meta:creation-date><dc:date>2021-02-03T00:00:00</dc:date>`;
    expect((await importOdt(odt('<text:p>x</text:p>', { meta }), {})).meta).toEqual({ title: 'A title', author: 'Last Editor', publication: '', date: '', url: '' });
    const stated = `${meta}<meta:initial-creator>Author</meta:initial-creator><meta:user-defined meta:name="Publication date">2019-05</meta:user-defined><meta:user-defined meta:name="Journal">Field Notes</meta:user-defined><meta:user-defined meta:name="URL">javascript:alert(1)</meta:user-defined>`;
    expect((await importOdt(odt('<text:p>x</text:p>', { meta: stated }), {})).meta).toEqual({ title: 'A title', author: 'Author', publication: 'Field Notes', date: '2019-05', url: '' });
  });
});

describe('hostile OpenDocument texts', () => {
  it('refuses a wrong or missing mimetype', async () => {
    expect(await refusal(odt('<text:p>x</text:p>', { mimetype: 'application/vnd.oasis.opendocument.spreadsheet' }))).toBe(
      'The file cannot be read as a OpenDocument text (.odt): it is an OpenDocument spreadsheet file (“application/vnd.oasis.opendocument.spreadsheet”), not a text document.',
    );
    expect(await refusal(odt('<text:p>x</text:p>', { mimetype: 'application/epub+zip' }))).toMatch(/its mimetype is “application\/epub\+zip”, not “application\/vnd.oasis.opendocument.text”/);
    expect(await refusal(repack(pandoc, { mimetype: null }))).toMatch(/it has no “mimetype” entry/);
    expect(await refusal(fixture('interview.pandoc.docx'))).toMatch(/it seems to be a Word document renamed/);
  });

  it('refuses a DTD (external entities) in content.xml', async () => {
    const xxe = contentXml.replace('?>', '?><!DOCTYPE office:document-content [<!ENTITY x SYSTEM "file:///etc/passwd">]>').replace('Interviewer:', '&x;');
    expect(await refusal(repack(pandoc, { 'content.xml': xxe }))).toMatch(/its part “content.xml” has a DOCTYPE/);
  });

  it('refuses content nested 100,000 levels deep before parsing it, and reads nesting real files have', async () => {
    const deep = odt(`<text:p>${'<text:span>'.repeat(100_000)}deep${'</text:span>'.repeat(100_000)}</text:p>`);
    const parse = vi.spyOn(DOMParser.prototype, 'parseFromString');
    // An ImportFailure naming the depth (refusalOf rethrows anything else, a RangeError say),
    // given before a parser builds the 100,000 levels.
    expect(await refusal(repack(deep, {}, 0))).toMatch(/its part “content.xml” nests elements more than 256 levels deep/);
    expect(parse).not.toHaveBeenCalled();
    parse.mockRestore();
    const lists = '<text:list><text:list-item>'.repeat(60) + '<text:p>inside</text:p>' + '</text:list-item></text:list>'.repeat(60);
    expect((await importOdt(odt(`<text:p>${'<text:span>'.repeat(200)}spans${'</text:span>'.repeat(200)}</text:p>${lists}`), {})).blocks[0]).toEqual(p('spans'));
  }, 30_000);

  it('reads long runs of explicit spaces, trimmed by scanning', async () => {
    const run = '<text:s text:c="1000"/>'.repeat(2000);
    const r = await importOdt(odt(`<text:p>a${run}b${run}<text:line-break/>${run}c</text:p>`), {});
    expect(r.blocks).toEqual([p(`a${' '.repeat(2_000_000)}b\nc`)]);
    // No clock: trimming these 2,000,000-space runs with a regular expression such as / +$/ is
    // quadratic, hours of work, so such a regression fails by the timeout, which only guards
    // against that; how fast the linear scan is belongs to the benchmarks.
  }, 60_000);

  it('refuses content.xml that is not XML, or has no text body', async () => {
    expect(await refusal(repack(pandoc, { 'content.xml': '<office:document-content><oops' }))).toMatch(/its part “content.xml” is not well-formed XML/);
    expect(await refusal(repack(pandoc, { 'content.xml': null }))).toMatch(/it has no “content.xml”/);
    expect(await refusal(repack(pandoc, { 'content.xml': contentXml.replace(/<office:text>[\s\S]*<\/office:text>/, '<office:spreadsheet/>') }))).toMatch(/its content.xml has no text body/);
    expect(await refusal(pandoc.subarray(0, pandoc.length >> 1))).toMatch(/not a zip archive, or it is damaged or cut short/);
  });
});

const ODF_MARKUP = ['<text:p>', '</text:p>', '<text:list>', '<text:list-item>', '<text:note>', '<text:s text:c="99999999"/>', '<text:h text:outline-level="-3">', '<table:table-row>', '<draw:frame>'];

describe('fuzzed OpenDocument texts', () => {
  it('300 mutations of the fixtures each import or are refused, never crash', async () => {
    const rnd = prng(19970101);
    const fixtures = [pandoc, fixture('interview.libreoffice.odt')];
    const outcomes = { ok: 0, refused: 0 };
    for (let i = 0; i < 300; i++) {
      const base = fixtures[Math.floor(i / 2) % 2]!;
      const bytes = i % 2 === 0 ? repack(base, { 'content.xml': mutateXml(strFromU8(unzipSync(base)['content.xml']!), rnd, ODF_MARKUP) }) : mutateBytes(base, rnd);
      outcomes[await outcome(importOdt(bytes, {}))]++;
    }
    expect(outcomes.ok).toBeGreaterThan(10);
    expect(outcomes.refused).toBeGreaterThan(10);
    // What is checked is each outcome, not the speed; the timeout only guards against a hang.
  }, 60_000);
});
