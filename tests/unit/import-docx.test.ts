import fs from 'node:fs';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterEach, describe, expect, it, vi } from 'vitest';
import mammoth from 'mammoth';
import { importDocx } from '../../main/core/import/docx';
import { inflateWork } from '../../main/core/import/zip';
import type { Block } from '../../shared/model';
import { h, interviewBody, p } from '../fixtures/import/expected';
import { fixture, mutateBytes, mutateXml, outcome, prng, refusalOf, repack } from '../fixtures/import/fuzz';

/** tests/fixtures/import/src/interview.md as a Word document shows it. */
const interview = (image: string): Block[] => [
  h(1, 'Interview 07: Crossing the river'),
  p('Ana Lima'),
  p('Kim Ji-woo'),
  p('2019-07-02'),
  ...interviewBody(image),
];

const META = { title: 'Interview 07: Crossing the river', author: 'Ana Lima; Kim Ji-woo', publication: 'Gloss test corpus', date: '2019-07-02', url: 'https://example.org/interviews/07' };
const NOTES = ['1 image became a placeholder naming it.', '2 footnotes were moved to the end of the text as paragraphs numbered as their references in the text are (“[1]”).'];

const refusal = (bytes: Uint8Array): Promise<string> => refusalOf(importDocx(bytes, {}));

const pandoc = fixture('interview.pandoc.docx');
const documentXml = strFromU8(unzipSync(pandoc)['word/document.xml']!);

describe('Word documents', () => {
  it('reads the pandoc fixture block by block, with its metadata', async () => {
    const r = await importDocx(pandoc, {});
    expect(r.blocks).toEqual(interview('[Image: A hand-drawn map of the border]'));
    expect(r.meta).toEqual(META);
    expect(r.notes).toEqual(NOTES);
  });

  it('reads the one LibreOffice wrote (its image has no alt text)', async () => {
    const r = await importDocx(fixture('interview.libreoffice.docx'), {});
    expect(r.blocks).toEqual(interview('[Image]'));
    expect(r.meta).toEqual(META);
    expect(r.notes).toEqual(NOTES);
  });

  it('takes no date from when the file was made, only one the author states', async () => {
    const r = await importDocx(repack(pandoc, { 'docProps/custom.xml': null }), {});
    // core.xml still says dcterms:created 2019-07-02T00:00:00Z: that is not a publication date.
    expect(r.meta).toEqual({ ...META, date: '', publication: '', url: '' });
  });

  it('leaves comments out and says so', async () => {
    const comments = `<?xml version="1.0" encoding="UTF-8"?><w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:comment w:id="0" w:author="Ana"><w:p><w:r><w:t>check this</w:t></w:r></w:p></w:comment><w:comment w:id="1" w:author="Ana"><w:p><w:r><w:t>and this</w:t></w:r></w:p></w:comment></w:comments>`;
    const r = await importDocx(repack(pandoc, { 'word/comments.xml': comments }), {});
    expect(r.notes).toContain('2 comments were left out.');
    expect(JSON.stringify(r.blocks)).not.toContain('check this');
  });
});

describe('hostile Word documents', () => {
  afterEach(() => vi.restoreAllMocks());

  it('never reads a linked image from disk', async () => {
    const readFile = vi.spyOn(fs.promises, 'readFile');
    const readFileSync = vi.spyOn(fs, 'readFileSync');
    const rels = strFromU8(unzipSync(pandoc)['word/_rels/document.xml.rels']!).replace(/Target="media\/rId25.png"/, 'Target="file:///etc/passwd" TargetMode="External"');
    const doc = documentXml.replace(/r:embed="rId25"/, 'r:link="rId25"');
    expect(doc).not.toBe(documentXml);
    const r = await importDocx(repack(pandoc, { 'word/_rels/document.xml.rels': rels, 'word/document.xml': doc }), {});
    expect(r.blocks).toContainEqual(p('[Image: A hand-drawn map of the border]'));
    expect(readFile.mock.calls.filter(([path]) => String(path).includes('passwd'))).toEqual([]);
    expect(readFileSync.mock.calls.filter(([path]) => String(path).includes('passwd'))).toEqual([]);
  });

  it('refuses a document.xml that is not XML', async () => {
    expect(await refusal(repack(pandoc, { 'word/document.xml': 'this is <not xml' }))).toMatch(/^The file cannot be read as a Word document \(.docx\): a part of it is not well-formed XML/);
  });

  it('refuses a DTD (external entities) before mammoth sees the file', async () => {
    const xxe = documentXml.replace('?>', '?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>').replace('Interviewer:', '&x;');
    expect(await refusal(repack(pandoc, { 'word/document.xml': xxe }))).toMatch(/its part “word\/document.xml” has a DOCTYPE/);
  });

  it('refuses a document nested 100,000 levels deep, quickly', async () => {
    const deep = documentXml.replace('<w:body>', `<w:body>${'<w:sdt><w:sdtContent>'.repeat(50_000)}${'</w:sdtContent></w:sdt>'.repeat(50_000)}`);
    // Stored: so repetitive a part would compress past the ratio limit, which is tested elsewhere.
    const bytes = repack(pandoc, { 'word/document.xml': deep }, 0);
    const convert = vi.spyOn(mammoth, 'convertToHtml');
    // An ImportFailure naming the depth (refusalOf rethrows anything else, a RangeError say),
    // given before mammoth, whose walk of the tree would be 100,000 levels deep, is called.
    expect(await refusal(bytes)).toMatch(/“word\/document.xml” nests elements more than 256 levels deep/);
    expect(convert).not.toHaveBeenCalled();
  }, 30_000);

  it('refuses a zip bomb in place of the document, before inflating anything', async () => {
    const files = unzipSync(pandoc);
    files['word/document.xml'] = new Uint8Array(80 * 1024 * 1024);
    const bomb = zipSync(files, { level: 1 });
    const convert = vi.spyOn(mammoth, 'convertToHtml');
    const before = { ...inflateWork };
    expect(await refusal(bomb)).toMatch(/“word\/document.xml” would unpack to 80 MB; the limit is 64 MB/);
    expect(inflateWork).toEqual(before);
    expect(convert).not.toHaveBeenCalled();
  }, 30_000);

  it('refuses what is not a Word document', async () => {
    expect(await refusal(pandoc.subarray(0, pandoc.length >> 1))).toMatch(/not a zip archive, or it is damaged or cut short/);
    expect(await refusal(fixture('interview.pandoc.odt'))).toMatch(/it seems to be an OpenDocument or EPUB file renamed/);
    expect(await refusal(repack(pandoc, { 'word/document.xml': null }))).toMatch(/it has no main document part/);
    expect(await refusal(zipSync({ 'a.txt': strToU8('x') }))).toMatch(/it has no “\[Content_Types\].xml”/);
  });
});

const WORD_MARKUP = ['</w:p>', '<w:p>', '<w:tbl>', '<w:t>', '</w:t>', '<w:r>', '<w:numPr>', '<w:footnoteReference w:id="9"/>'];

describe('fuzzed Word documents', () => {
  it('300 mutations of the fixtures each import or are refused, never crash', async () => {
    const rnd = prng(20240611);
    const fixtures = [pandoc, fixture('interview.libreoffice.docx')];
    const outcomes = { ok: 0, refused: 0 };
    for (let i = 0; i < 300; i++) {
      const base = fixtures[Math.floor(i / 2) % 2]!;
      const bytes = i % 2 === 0 ? repack(base, { 'word/document.xml': mutateXml(strFromU8(unzipSync(base)['word/document.xml']!), rnd, WORD_MARKUP) }) : mutateBytes(base, rnd);
      outcomes[await outcome(importDocx(bytes, {}))]++;
    }
    expect(outcomes.ok).toBeGreaterThan(10);
    expect(outcomes.refused).toBeGreaterThan(10);
    // What is checked is each outcome, not the speed; the timeout only guards against a hang.
  }, 60_000);
});
