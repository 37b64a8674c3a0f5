import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOMParser } from '@xmldom/xmldom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { nextColor } from '../../shared/codebook';
import type { Code } from '../../shared/model';
import { codebookToQdc, codeGuid } from '../../main/core/codebook-export';
import { applyPlanToCodes, CodebookImportError, parseQdc, planImport, type ImportEntry, type ParsedCode, type ParsedCodebook } from '../../main/core/codebook-import';
import { defaultCodes } from '../../main/core/default-codebook';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURES = path.join(repoRoot, 'tests', 'fixtures', 'refi-qda');
const SHARED_SAMPLES = path.resolve(repoRoot, '..', 'shared', 'refi-qda', 'samples');
const SAMPLES = ['qualcoder-3.8.2_codebook.qdc', 'taguette-1.4.1_codebook.qdc'];
const NS = 'urn:QDA-XML:codebook:1.0';

/** A sample as a caller reads it: Node's 'utf8' keeps the byte-order mark. */
function sample(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

// ---------------------------------------------------------------------------------------------
// Builders

/** A codable code of an expected tree. */
function pc(guid: string, name: string, color: string | null, description = '', children: ParsedCode[] = []): ParsedCode {
  return { guid, name, color, description, isCodable: true, children };
}

/** A category (`isCodable="false"`, no colour), as QualCoder writes them. */
function cat(guid: string, name: string, children: ParsedCode[]): ParsedCode {
  return { guid, name, color: null, description: '', isCodable: false, children };
}

function book(codes: ParsedCode[], origin: string | null = 'Test'): ParsedCodebook {
  return { origin, codes, warnings: [] };
}

function code(id: string, name: string, parentId: string | null, extra: Partial<Code> = {}): Code {
  return { id, name, color: '#123456', description: '', parentId, slot: 0, ...extra };
}

/** A codebook file around some `<Code>` markup. */
function qdc(codes: string, { ns = NS, root = 'CodeBook', after = '' } = {}): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<${root} xmlns="${ns}" origin="Test">\n<Codes>\n${codes}\n</Codes>${after}\n</${root}>\n`;
}

/** A GUID from a number, for generated files. */
function g(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

function entry(plan: { entries: ImportEntry[] }, name: string): ImportEntry {
  const e = plan.entries.find((x) => x.name === name);
  expect(e, `an entry named ${name}`).toBeDefined();
  return e!;
}

/** What `applyPlanToCodes` needs, deterministic: ids `new-1…`, slots after the highest, palette colours. */
function applier(codes: readonly Code[]) {
  let ids = 0;
  let slot = Math.max(-1, ...codes.map((c) => c.slot));
  return [() => `new-${++ids}`, () => ++slot, (soFar: readonly Code[]) => nextColor(soFar)] as const;
}

function apply(codes: readonly Code[], plan: ReturnType<typeof planImport>): Code[] {
  return applyPlanToCodes(codes, plan, ...applier(codes));
}

/** The codebook as a tree of names, for expectations that fit on a line. */
function shape(codes: readonly Code[], parent: string | null = null): unknown[] {
  return codes.filter((c) => c.parentId === parent).map((c) => (codes.some((k) => k.parentId === c.id) ? [c.name, shape(codes, c.id)] : c.name));
}

function refused(text: string): string {
  try {
    parseQdc(text);
  } catch (e) {
    expect(e).toBeInstanceOf(CodebookImportError);
    return (e as Error).message;
  }
  throw new Error('the file was imported');
}

afterEach(() => {
  vi.restoreAllMocks();
});

// ---------------------------------------------------------------------------------------------

describe('the REFI-QDA sample fixtures', () => {
  it.each(SAMPLES)('%s is a copy of the reference sample', (name) => {
    const shared = path.join(SHARED_SAMPLES, name);
    if (!existsSync(shared)) return; // a clean clone without the reference folder
    expect(readFileSync(path.join(FIXTURES, name)).equals(readFileSync(shared))).toBe(true);
  });
});

describe('parseQdc on real files', () => {
  it("reads QualCoder 3.8.2's codebook (BOM, CRLF, categories, escapes, CJK) as the exact tree", () => {
    expect(parseQdc(sample('qualcoder-3.8.2_codebook.qdc'))).toEqual({
      origin: 'QualCoder',
      warnings: [],
      codes: [
        pc('8162617f-e691-400b-aa13-c586dfaf7b89', 'Unsubstantive/Artifact', '#d8d8d8', 'Non-substantive content or transcript artifacts'),
        pc('0b8d2bce-4fb0-4eec-a1ed-b8dba3c0f486', 'Unclear', '#81bef7', 'Content that is unclear or needs review'),
        pc('da298f4e-3d71-4df2-880d-4bd3ed264ee0', 'Ünïcøde & <angle> "quoted" — 教师', '#81bef7'),
        cat('a07ea1c2-3f9d-4c62-ad0c-74f0880cf42f', 'Implementation Quality', [
          pc('4d1ebd54-13f8-4da1-9a17-026e2aefc288', 'Curriculum fidelity', '#a3bea5', 'Teacher follows the published sequence.\nSecond line, after a hard break.'),
          pc('f9bd9244-1f01-4c53-9757-c5cb72a413b0', 'Pacing adherence', '#b07ce1'),
          pc('29bd4479-953b-406c-89ba-afe15b14da56', 'Materials use (manipulatives)', '#f7be81', 'Uses "manipulatives" & other <hands-on> materials — quotes, ampersand, angle brackets.'),
          pc('287650d1-951c-4a8d-814d-02e8793f9a1d', 'Inquiry protocol followed', '#6d91c6'),
          pc('48c6d841-0a07-4e66-8d27-9e9d241c2f64', 'Reversion to old methods', '#c54949'),
        ]),
        cat('e40ea3f0-e7bb-4ed8-b349-89e493aa2312', 'Training & Professional Development', [
          pc('052ca641-1b93-45f9-bb65-730699f5fb5f', 'Training adequacy', '#5882fa'),
          pc('00c852be-e503-4663-b9f5-e0b57966f019', 'Training format (workshop vs. session)', '#7ea793'),
          pc('4a335fa4-f592-4be4-b138-f4c03023b58c', 'Ongoing coaching', '#d8866d', 'Résumé of coaching; 教师反馈 included.'),
          pc('aa6c51e9-c735-4c13-b5ba-1281f9080ad2', 'Peer collaboration', '#d37676'),
          pc('c61c11ff-3210-49d5-90fe-65155c707c84', 'Self-directed learning', '#81bef7'),
        ]),
        cat('f4e3048b-4822-4d21-a1ce-01d53cd13a72', 'Leadership & Support', [
          pc('f9980187-9ed7-44c4-80d1-da6f0eaef52d', 'Principal engagement', '#a3bea5'),
          pc('5b1cd703-91e7-40e1-b1c9-77b8cdc353de', 'Classroom walkthroughs', '#b07ce1'),
          pc('9fc85044-4e1c-4bc5-a544-5a26351f2dbf', 'Protected planning time', '#f7be81'),
          pc('103f6555-08db-40f9-b4a4-5a0b159ae123', 'District support', '#6d91c6'),
          pc('ef2a652c-97e5-4677-a698-0a2fb57e6211', 'Communication clarity', '#c54949'),
        ]),
        cat('64efd5b1-6b05-4c4a-bd84-ae2d781dc575', 'Barriers to Implementation', [
          pc('67d3af39-acba-4073-a816-e5dca86407df', 'Insufficient time', '#5882fa'),
          pc('2b401e93-d41b-4901-a687-acbdd5951c1b', 'Competing priorities', '#7ea793'),
          pc('4dd511ae-dd0e-4965-ba1d-a8200615d4a2', 'Teacher resistance', '#d8866d'),
          pc('0632f9fa-5308-4a0a-b26d-5147964c5e47', 'Material delivery delays', '#d37676'),
          pc('96b6d3c3-42c5-4dfc-9724-129936059e36', 'Scheduling conflicts', '#81bef7'),
          pc('104632d0-59bd-4ecd-bc2a-41b29c4c7a12', 'Staff turnover', '#a3bea5'),
        ]),
        cat('756bbd0b-ef35-4bcc-9b24-d8faf5ffbf23', 'Teacher Attitudes', [
          pc('f43440a1-9f6f-4353-bf54-134725faa542', 'Enthusiasm / buy-in', '#b07ce1'),
          pc('21e54663-d043-410c-824f-7505aa62d983', 'Skepticism', '#f7be81'),
          pc('033c4651-fa28-48e5-a044-938193c691fd', 'Feeling unsupported', '#6d91c6'),
          pc('be5c7ef8-dd3a-4cd6-8a10-c01f5f03a157', 'Confidence with new materials', '#c54949'),
        ]),
        cat('169448d4-bb24-46d7-8a4d-5ff8af8cfb62', 'Student Engagement', [
          pc('5415d81f-2ab9-47f1-813e-5894a3fa1152', 'Positive student response', '#5882fa'),
          pc('5124d75c-570c-49ec-a988-10a731bd03bb', 'Student confusion / frustration', '#7ea793'),
          pc('31d082f6-b00f-44a4-9a2e-c7f1f3aa8937', 'Differentiation challenges', '#d8866d'),
          pc('66462669-92f5-4dbe-a6dc-c1d75a3394a0', 'Parent feedback', '#d37676'),
        ]),
      ],
    });
  });

  it("reads Taguette 1.4.1's flat codebook: upper-case GUIDs lower-cased, no colours, its empty <Sets/> tolerated", () => {
    expect(parseQdc(sample('taguette-1.4.1_codebook.qdc'))).toEqual({
      origin: 'Taguette 1.4.1',
      warnings: [],
      codes: [pc('0d62985d-b147-5d01-a9b5-cae5dcd98342', 'interesting', null), pc('6b108ee0-2dc3-5b43-9061-1330f75a6b9b', 'Scarcity', null), pc('b061a8c8-4fe7-5a79-9e1c-e50874232da7', 'public opinion', null)],
    });
  });

  it("reads the CodeBook of an ATLAS.ti 23 project.qde (Project namespace, CRLF-free, no colours)", () => {
    // The head of project.qde in ../shared/refi-qda/samples/atlasti-23.2.3_project.qdpx, Users kept.
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:QDA-XML:project:1.0 http://schema.qdasoftware.org/versions/Project/v1.0/Project.xsd" origin="ATLAS.ti for Windows 23.2.3.27778" name="target-atlas-project" xmlns="urn:QDA-XML:project:1.0">
  <Users>
    <User guid="088B08AC-D5CD-4ADB-8B71-B4F3459C177F" name="Enric Llagostera" />
  </Users>
  <CodeBook>
    <Codes>
      <Code guid="A182CD3A-D83C-4D8C-BC80-26D9103EC6D6" name="Commits" isCodable="true">
        <Code guid="2D2466F0-D77F-4F8C-BDF9-628966B6B74D" name="2022-05-10T02:05:59Z 19e4dce" isCodable="true" />
        <Code guid="086AC733-7B1C-4749-A138-D7182F63A5C9" name="2022-02-11T10:39:25Z cdbfd92" isCodable="true" />
      </Code>
    </Codes>
  </CodeBook>
</Project>`;
    expect(parseQdc(xml)).toEqual({
      origin: 'ATLAS.ti for Windows 23.2.3.27778',
      warnings: [],
      codes: [pc('a182cd3a-d83c-4d8c-bc80-26d9103ec6d6', 'Commits', null, '', [pc('2d2466f0-d77f-4f8c-bdf9-628966b6b74d', '2022-05-10T02:05:59Z 19e4dce', null), pc('086ac733-7b1c-4749-a138-d7182f63a5c9', '2022-02-11T10:39:25Z cdbfd92', null)])],
    });
  });

  it.each([
    ['ATLAS.ti Win', 'urn:QDA-XML:codebook:0:4'],
    ['NVivo Mac', 'urn:QDA-XML:codebook:1:0'],
    ['the project namespace', 'urn:QDA-XML:project:1.0'],
    ['a hyphen pasted from the PDF', 'urn:QDA\u2010XML:codebook:1.0'],
  ])('accepts a CodeBook in the namespace of %s', (_label, ns) => {
    expect(parseQdc(qdc(`<Code guid="${g(1)}" name="A" isCodable="true"/>`, { ns })).codes).toEqual([pc(g(1), 'A', null)]);
  });
});

describe('parseQdc: values', () => {
  it('decodes entities and character references exactly once, in names and definitions', () => {
    const parsed = parseQdc(qdc(`<Code guid="${g(1)}" name="&amp;lt;b&amp;gt; &lt;i&gt; &#233;t&#xE9; &quot;q&quot; &apos;" isCodable="true"><Description>&amp;amp; &amp;lt;x&amp;gt; &lt;y&gt; &#x1F600;<![CDATA[ <raw> &amp; ]]></Description></Code>`));
    expect(parsed.codes[0]).toMatchObject({ name: `&lt;b&gt; <i> été "q" '`, description: '&amp; &lt;x&gt; <y> 😀 <raw> &amp; ' });
  });

  it('gives colours as lower-case #rrggbb, expanding #rgb; a missing one is null without a warning', () => {
    const parsed = parseQdc(
      qdc(`<Code guid="${g(1)}" name="Six" isCodable="true" color="#A1b2C3"/>
<Code guid="${g(2)}" name="Three" isCodable="true" color=" #AbC "/>
<Code guid="${g(3)}" name="None" isCodable="true"/>
<Code guid="${g(4)}" name="Empty" isCodable="true" color=""/>`),
    );
    expect(parsed.codes.map((c) => c.color)).toEqual(['#a1b2c3', '#aabbcc', null, null]);
    expect(parsed.warnings).toEqual([]);
  });

  it('drops colours that are not #rrggbb or #rgb, with one warning naming the codes', () => {
    const parsed = parseQdc(
      qdc(`<Code guid="${g(1)}" name="Named" isCodable="true" color="red"/>
<Code guid="${g(2)}" name="Alpha" isCodable="true" color="#11223344"/>
<Code guid="${g(3)}" name="Rgb" isCodable="true" color="rgb(1,2,3)"><Code guid="${g(4)}" name="Child" isCodable="true" color="#12"/></Code>
<Code guid="${g(5)}" name="Fine" isCodable="true" color="#123456"/>`),
    );
    expect(parsed.codes.map((c) => c.color)).toEqual([null, null, null, '#123456']);
    expect(parsed.codes[2]!.children[0]!.color).toBeNull();
    expect(parsed.warnings).toEqual(['Dropped 4 colours not of the form #rrggbb: “Codes › Named” (line 4) (“red”), “Codes › Alpha” (line 5) (“#11223344”), “Codes › Rgb” (line 6) (“rgb(1,2,3)”) and 1 more.']);
  });

  it('strips braces and white space from GUIDs and lower-cases them', () => {
    const parsed = parseQdc(qdc(`<Code guid=" {0D62985D-B147-5D01-A9B5-CAE5DCD98342} " name="A" isCodable="true"/>`));
    expect(parsed.codes[0]!.guid).toBe('0d62985d-b147-5d01-a9b5-cae5dcd98342');
  });

  it('cleans names (NFC, one space for runs of white space, trimmed) and gives definitions LF line ends and NFC', () => {
    const parsed = parseQdc(qdc(`<Code guid="${g(1)}" name="  Cafe\u0301&#9;&#10;au   lait " isCodable="true"><Description>one&#13;&#10;two&#13;three\nfour Cafe\u0301</Description></Code>`));
    expect(parsed.codes[0]).toMatchObject({ name: 'Café au lait', description: 'one\ntwo\nthree\nfour Café' });
  });

  it('keeps NEL, LS and PS in definitions as they are (XML 1.0 line ends are CR and LF only)', () => {
    const parsed = parseQdc(qdc(`<Code guid="${g(1)}" name="A" isCodable="true"><Description>a\u0085b\u2028c\u2029d</Description></Code>`));
    expect(parsed.codes[0]!.description).toBe('a\u0085b\u2028c\u2029d');
  });

  it('reads isCodable, taking a missing or odd value as codable with a warning', () => {
    const parsed = parseQdc(
      qdc(`<Code guid="${g(1)}" name="T" isCodable="true"/><Code guid="${g(2)}" name="One" isCodable="1"/><Code guid="${g(3)}" name="F" isCodable="false"/><Code guid="${g(4)}" name="Zero" isCodable="0"/>
<Code guid="${g(5)}" name="Missing"/><Code guid="${g(6)}" name="Odd" isCodable="yes"/>`),
    );
    expect(parsed.codes.map((c) => c.isCodable)).toEqual([true, true, false, false, true, true]);
    expect(parsed.warnings).toEqual(['Read 2 codes without a valid isCodable as codable: “Codes › Missing” (line 5), “Codes › Odd” (line 5).']);
  });

  it('ignores unknown elements, memos and code sets, saying so, and reads on', () => {
    const parsed = parseQdc(
      qdc(`<Code guid="${g(1)}" name="A" isCodable="true"><Description>First<b>bold</b></Description><Description>Second</Description><NoteRef targetGUID="${g(9)}"/><x:Extra xmlns:x="urn:other"><Code guid="${g(7)}" name="Hidden" isCodable="true"/></x:Extra><Code guid="${g(2)}" name="B" isCodable="true"/></Code><Unknown/>`, {
        after: `<Sets><Set guid="${g(3)}" name="S"><MemberCode guid="${g(1)}"/></Set><Set guid="${g(4)}" name="T"/></Sets><Other/>`,
      }),
    );
    expect(parsed.codes).toEqual([pc(g(1), 'A', null, 'First', [pc(g(2), 'B', null)])]);
    expect(parsed.warnings).toEqual(['Kept only the first Description of “Codes › A” (line 4).', 'Ignored elements Gloss does not read: Other (1), Unknown (1), Description › b (1), NoteRef (1), x:Extra (1).', "Ignored the file's 2 code sets: Gloss has no code sets."]);
  });

  it('treats a Code in a foreign namespace as an unknown element', () => {
    const parsed = parseQdc(qdc(`<Code guid="${g(1)}" name="A" isCodable="true"/><o:Code xmlns:o="urn:other" guid="${g(2)}" name="B" isCodable="true"/>`));
    expect(parsed.codes.map((c) => c.name)).toEqual(['A']);
    expect(parsed.warnings).toEqual(['Ignored elements Gloss does not read: o:Code (1).']);
  });

  it('accepts an empty Codes with a warning', () => {
    expect(parseQdc(`<CodeBook xmlns="${NS}"><Codes/></CodeBook>`)).toEqual({ origin: null, codes: [], warnings: ['The file holds no codes.'] });
  });

  it('warns of U+FFFD, the mark of a file decoded with the wrong encoding', () => {
    const parsed = parseQdc(qdc(`<Code guid="${g(1)}" name="Caf\uFFFD" isCodable="true"/>`));
    expect(parsed.codes[0]!.name).toBe('Caf\uFFFD');
    expect(parsed.warnings).toEqual(['The file holds the replacement character U+FFFD, often a sign it was not saved as UTF-8: check the names for damaged letters.']);
  });

  it('accepts 64 levels of codes and 20,000 codes, and definitions of 10,000 characters', () => {
    let deep = `<Code guid="${g(64)}" name="L64" isCodable="true"/>`;
    for (let i = 63; i >= 1; i--) deep = `<Code guid="${g(i)}" name="L${i}" isCodable="true">${deep}</Code>`;
    let depth = 0;
    for (let c: ParsedCode | undefined = parseQdc(qdc(deep)).codes[0]; c; c = c.children[0]) depth++;
    expect(depth).toBe(64);

    const many = Array.from({ length: 20_000 }, (_, i) => `<Code guid="${g(i)}" name="C${i}" isCodable="true"/>`).join('');
    expect(parseQdc(qdc(many)).codes).toHaveLength(20_000);

    const long = parseQdc(qdc(`<Code guid="${g(1)}" name="A" isCodable="true"><Description>${'x'.repeat(9_999)}&amp;</Description></Code>`));
    expect(long.codes[0]!.description).toHaveLength(10_000);
  });
});

describe('parseQdc refuses, saying what and where', () => {
  it('a DOCTYPE with an external entity, before any parser reads it', () => {
    const parse = vi.spyOn(DOMParser.prototype, 'parseFromString');
    const xml = `<?xml version="1.0"?>\n<!DOCTYPE CodeBook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<CodeBook xmlns="${NS}"><Codes><Code guid="${g(1)}" name="&xxe;" isCodable="true"/></Codes></CodeBook>`;
    expect(refused(xml)).toBe('The file has a DOCTYPE (line 2), which a REFI-QDA codebook never needs: Gloss refuses DTDs, as they can make a file read other files or grow without bound.');
    expect(parse).not.toHaveBeenCalled();
  });

  it('billion laughs, before any expansion', () => {
    const parse = vi.spyOn(DOMParser.prototype, 'parseFromString');
    const entities = ['<!ENTITY lol "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`)].join('\n');
    const xml = `<?xml version="1.0"?>\n<!-- a comment first -->\n<?pi before?>\n<!doctype lolz [\n${entities}\n]>\n<CodeBook xmlns="${NS}"><Codes><Code guid="${g(1)}" name="&lol9;" isCodable="true"><Description>&lol9;</Description></Code></Codes></CodeBook>`;
    expect(refused(xml)).toMatch(/^The file has a DOCTYPE \(line 4\)/);
    // Refused from the text, so no parser ever saw (or expanded) an entity.
    expect(parse).not.toHaveBeenCalled();
  });

  it('a DOCTYPE after the root element, as malformed XML', () => {
    expect(refused(`<CodeBook xmlns="${NS}"><Codes/></CodeBook>\n<!DOCTYPE x>`)).toMatch(/^The file is not well-formed XML \(line 2, column \d+\): /);
  });

  it('but not the word DOCTYPE inside a definition', () => {
    expect(parseQdc(qdc(`<Code guid="${g(1)}" name="A" isCodable="true"><Description><![CDATA[<!DOCTYPE html>]]></Description></Code>`)).codes[0]!.description).toBe('<!DOCTYPE html>');
  });

  it('a file over 10 MB, before parsing it', () => {
    const parse = vi.spyOn(DOMParser.prototype, 'parseFromString');
    const big = qdc(`<Code guid="${g(1)}" name="A" isCodable="true"><Description>${'x'.repeat(10 * 1024 * 1024)}</Description></Code>`);
    expect(refused(big)).toBe('The file is larger than 10 MB (10.0 MB), far larger than any codebook: Gloss does not import it.');
    expect(parse).not.toHaveBeenCalled();
  });

  it('a file of more tags than a codebook needs, before parsing it', () => {
    const parse = vi.spyOn(DOMParser.prototype, 'parseFromString');
    expect(refused(qdc('<x/>'.repeat(400_000)))).toBe('The file holds more than 400,000 XML tags, far more than a codebook of at most 20,000 codes needs: Gloss does not import it.');
    expect(parse).not.toHaveBeenCalled();
  });

  it('10,000 levels of nesting, without overflowing the stack', () => {
    const n = 10_000;
    const xml = qdc(`${Array.from({ length: n }, (_, i) => `<Code guid="${g(i)}" name="L${i + 1}" isCodable="true">`).join('')}${'</Code>'.repeat(n)}`);
    expect(refused(xml)).toBe('The code “Codes › L1 › L2 › … › L63 › L64 › L65” (line 4) lies 65 levels deep: Gloss reads codes at most 64 levels deep.');
  });

  it('more than 20,000 codes', () => {
    const many = Array.from({ length: 20_001 }, (_, i) => `<Code guid="${g(i)}" name="C${i}" isCodable="true"/>`).join('');
    expect(refused(qdc(many))).toBe('The file holds more than 20,000 codes: Gloss imports at most 20,000 at a time.');
  });

  it('a definition over 10,000 characters', () => {
    expect(refused(qdc(`<Code guid="${g(1)}" name="Long" isCodable="true"><Description>${'x'.repeat(10_001)}</Description></Code>`))).toBe(
      'The definition of the code “Codes › Long” (line 4) is 10,001 characters long: Gloss keeps definitions of at most 10,000.',
    );
  });

  it.each([
    ['an empty name', `name=""`, 'Cannot import the code number 2 under “Codes › P” (line 4): a code needs a name.'],
    ['a whitespace-only name', `name=" &#9; &#10; "`, 'Cannot import the code number 2 under “Codes › P” (line 4): a code needs a name.'],
    ['a missing name', ``, 'Cannot import the code number 2 under “Codes › P” (line 4): it has no name attribute, and a code needs a name.'],
    ['a name over 200 characters', `name="${'n'.repeat(201)}"`, "Cannot import the code number 2 under “Codes › P” (line 4): a code's name can be at most 200 characters long."],
    ['a C1 control in a name', `name="a&#x85;b"`, 'Cannot import the code number 2 under “Codes › P” (line 4): a code name cannot hold control characters.'],
  ])('%s', (_label, attr, message) => {
    expect(refused(qdc(`<Code guid="${g(1)}" name="P" isCodable="true"><Code guid="${g(2)}" name="ok" isCodable="true"/>\n<Code guid="${g(3)}" ${attr} isCodable="true"/></Code>`).replace('\n<Code guid', '<Code guid'))).toBe(message);
  });

  it.each([
    ['missing', '', 'The code “Codes › Bad” (line 4) has no guid, which every REFI-QDA code has.'],
    ['empty', 'guid=" "', 'The code “Codes › Bad” (line 4) has no guid, which every REFI-QDA code has.'],
    ['malformed', 'guid="12345678-1234-1234-1234-12345678"', 'The code “Codes › Bad” (line 4) has the guid “12345678-1234-1234-1234-12345678”, which is not a GUID (8-4-4-4-12 hexadecimal digits).'],
    ['with one brace', `guid="{${g(1)}"`, `The code “Codes › Bad” (line 4) has the guid “{${g(1)}”, which is not a GUID (8-4-4-4-12 hexadecimal digits).`],
  ])('a %s guid', (_label, attr, message) => {
    expect(refused(qdc(`<Code ${attr} name="Bad" isCodable="true"/>`))).toBe(message);
  });

  it('two codes with one GUID, naming both', () => {
    const xml = qdc(`<Code guid="${g(1).toUpperCase()}" name="First" isCodable="true"/>\n<Code guid="${g(2)}" name="P" isCodable="true"><Code guid="{${g(1)}}" name="Second" isCodable="true"/></Code>`);
    expect(refused(xml)).toBe(`The codes “Codes › First” (line 4) and “Codes › P › Second” (line 5) have the same guid ${g(1)}: each code needs its own.`);
  });

  it('a file without Codes', () => {
    expect(refused(`<?xml version="1.0"?><CodeBook xmlns="${NS}" origin="x"><Sets/></CodeBook>`)).toBe('The file has no Codes element, which every REFI-QDA codebook holds: it has no codes to import.');
  });

  it('a file with two Codes', () => {
    expect(refused(`<CodeBook xmlns="${NS}">\n<Codes/>\n<Codes/></CodeBook>`)).toBe('The file has 2 Codes elements (lines 2, 3), where a REFI-QDA codebook has one.');
  });

  it.each([
    ['a wrong namespace', qdc('', { ns: 'urn:example:codebook' }), 'The file is not a REFI-QDA codebook: its root element is <CodeBook> in the namespace “urn:example:codebook”, where a codebook has <CodeBook> in “urn:QDA-XML:codebook:1.0”.'],
    ['no namespace', '<CodeBook><Codes/></CodeBook>', 'The file is not a REFI-QDA codebook: its root element is <CodeBook> in no namespace, where a codebook has <CodeBook> in “urn:QDA-XML:codebook:1.0”.'],
    ['a wrong root element', `<h:html xmlns:h="http://www.w3.org/1999/xhtml"/>`, 'The file is not a REFI-QDA codebook: its root element is <h:html> in the namespace “http://www.w3.org/1999/xhtml”, where a codebook has <CodeBook> in “urn:QDA-XML:codebook:1.0”.'],
    ['a project without a CodeBook', '<Project xmlns="urn:QDA-XML:project:1.0" name="p"><Users/></Project>', 'The file is a REFI-QDA project without a CodeBook: it holds no codes to import.'],
  ])('%s', (_label, xml, message) => {
    expect(refused(xml)).toBe(message);
  });

  it('text that is not XML', () => {
    expect(refused('{"codes": []}')).toBe('The file is not XML: a REFI-QDA codebook (.qdc) begins with “<”. Is it the right file?');
    expect(refused('')).toBe('The file is not XML: a REFI-QDA codebook (.qdc) begins with “<”. Is it the right file?');
  });

  it('malformed XML, with the line and column', () => {
    const xml = `<?xml version="1.0"?>\n<CodeBook xmlns="${NS}">\n<Codes>\n<Code guid="${g(1)}" name="A" isCodable="true">\n</Codes>\n</CodeBook>`;
    // xmldom places a mismatch at the end of the unclosed start tag.
    expect(refused(xml)).toBe('The file is not well-formed XML (line 4, column 77): Opening and ending tag mismatch: "Code" != "Codes".');
    expect(refused(`<CodeBook xmlns="${NS}">\n<Codes>\n<Code name=A/>`)).toBe('The file is not well-formed XML (line 3, column 1): attribute "A" missed quot(").');
    expect(refused(`<CodeBook xmlns="${NS}"><Codes><Code name="&nope;"/></Codes></CodeBook>`)).toMatch(/^The file is not well-formed XML \(line 1, column \d+\): entity not found:&nope;\.$/);
  });

  it('shortens the message of xmldom that lists every unclosed tag', () => {
    const message = refused(`<CodeBook xmlns="${NS}"><Codes>${'<a>'.repeat(5_000)}`);
    expect(message).toMatch(/^The file is not well-formed XML \(line 1, column \d+\): unclosed xml tag\(s\): CodeBook, Codes, a, a, .*…\.$/);
    expect(message.length).toBeLessThan(300);
  });

  it.each([
    ['a control character reference in a name', `name="a&#1;b"`, '', 'Cannot import the code number 1 under “Codes” (line 4): its name holds U+0001, a control character that XML 1.0 does not allow, and Gloss cannot store it.'],
    ['a raw control character in a name', `name="a\u0002b"`, '', 'Cannot import the code number 1 under “Codes” (line 4): its name holds U+0002, a control character that XML 1.0 does not allow, and Gloss cannot store it.'],
    ['a control character reference in a definition', `name="A"`, 'x&#1;y', 'Cannot import the code “Codes › A” (line 4): its definition holds U+0001, a control character that XML 1.0 does not allow, and Gloss cannot store it.'],
    ['DEL in a definition', `name="A"`, 'x&#127;', 'Cannot import the code “Codes › A” (line 4): its definition holds U+007F, a control character that XML 1.0 does not allow, and Gloss cannot store it.'],
    ['a lone surrogate reference in a name', `name="a&#xD800;"`, '', 'Cannot import the code number 1 under “Codes” (line 4): its name holds U+D800, half of a surrogate pair without its other half, which is not a character, and Gloss cannot store it.'],
    ['a lone surrogate reference in a definition', `name="A"`, '&#xDC00;', 'Cannot import the code “Codes › A” (line 4): its definition holds U+DC00, half of a surrogate pair without its other half, which is not a character, and Gloss cannot store it.'],
    ['a reference beyond Unicode', `name="A"`, '&#x110000;', 'Cannot import the code “Codes › A” (line 4): its definition holds U+DC00, half of a surrogate pair without its other half, which is not a character, and Gloss cannot store it.'],
    ['U+FFFE', `name="A&#xFFFE;"`, '', 'Cannot import the code number 1 under “Codes” (line 4): its name holds U+FFFE, which is not a character, and Gloss cannot store it.'],
  ])('%s', (_label, nameAttr, description, message) => {
    expect(refused(qdc(`<Code guid="${g(1)}" ${nameAttr} isCodable="true"><Description>${description}</Description></Code>`))).toBe(message);
  });

  it('keeps tabs and line breaks in definitions, and pairs of surrogates anywhere', () => {
    const parsed = parseQdc(qdc(`<Code guid="${g(1)}" name="😀 &#x1F600;" isCodable="true"><Description>a&#9;b&#10;c 😀</Description></Code>`));
    expect(parsed.codes[0]).toMatchObject({ name: '😀 😀', description: 'a\tb\nc 😀' });
  });
});

// ---------------------------------------------------------------------------------------------

/** The codebook as the tree `parseQdc` gives for its export. */
function treeOf(codes: readonly Code[], parent: string | null = null): ParsedCode[] {
  return codes.filter((c) => c.parentId === parent).map((c) => ({ guid: codeGuid(c.id), name: c.name, color: c.color, description: c.description, isCodable: true, children: treeOf(codes, c.id) }));
}

describe('round trip with the export', () => {
  it('parses the export of the bundled codebook back to its tree, and importing it changes nothing', () => {
    const codes = defaultCodes();
    const parsed = parseQdc(codebookToQdc(codes, 'Gloss 0.1'));
    expect(parsed).toEqual({ origin: 'Gloss 0.1', codes: treeOf(codes), warnings: [] });
    expect(parsed.codes).toHaveLength(3);
    const plan = planImport(codes, parsed);
    expect(plan.unchanged).toBe(true);
    expect(plan.counts).toEqual({ new: 0, matched: codes.length, changed: 0, conflicts: 0 });
    expect(plan.entries.every((e) => e.matchedBy === 'guid' && e.changes!.length === 0)).toBe(true);
    expect(applyPlanToCodes(codes, plan, ...applier(codes))).toEqual(codes);
  });

  it('round-trips hostile names and multi-line definitions', () => {
    const codes = [code('8162617F-E691-400B-AA13-C586DFAF7B89', 'Ünïcøde & <angle> "quoted" — 教师', null, { description: 'Line one & <two>\nLine "three"\n\n  indented', color: '#0af0c1' }), code('x', '&amp; 😀 𝔘 x', '8162617F-E691-400B-AA13-C586DFAF7B89', { description: 'LS \u2028 PS \u2029 NEL \u0085' })];
    const parsed = parseQdc(codebookToQdc(codes, 'Gloss'));
    expect(parsed.codes).toEqual(treeOf(codes));
    expect(planImport(codes, parsed).unchanged).toBe(true);
  });
});

describe('planImport', () => {
  const P = 'aaaaaaaa-0000-4000-8000-000000000001';
  const C = 'aaaaaaaa-0000-4000-8000-000000000002';
  const D = 'aaaaaaaa-0000-4000-8000-000000000003';
  const X = 'bbbbbbbb-0000-4000-8000-000000000009';
  const Y = 'bbbbbbbb-0000-4000-8000-000000000008';
  const existing = (): Code[] => [code(P, 'Parent', null, { slot: 0 }), code(C, 'Child', P, { slot: 1, description: 'Kept definition' }), code(D, 'Other', null, { slot: 2 })];

  it('classifies a file of new codes as new, under their new parents', () => {
    const plan = planImport(existing(), book([pc(X, 'Fresh', '#abcdef', 'Def', [pc(Y, 'Sub', null)])]));
    expect(plan.entries).toEqual([
      { guid: X, path: ['Fresh'], status: 'new', parentRef: null, name: 'Fresh', color: '#abcdef', description: 'Def' },
      { guid: Y, path: ['Fresh', 'Sub'], status: 'new', parentRef: { newGuid: X }, name: 'Sub', color: null, description: '' },
    ]);
    expect(plan.counts).toEqual({ new: 2, matched: 0, changed: 0, conflicts: 0 });
    expect(plan.unchanged).toBe(false);
  });

  it('matches by GUID before path: a renamed code is the same code, and reports the new name', () => {
    // "Child" is renamed "Kid"; a new code takes the name "Child" under Parent with another GUID.
    const plan = planImport(existing(), book([pc(P, 'Parent', null, '', [pc(C, 'Kid', null), pc(X, 'Child', null)])]));
    expect(entry(plan, 'Kid')).toEqual({ guid: C, path: ['Parent', 'Kid'], status: 'matched', matchedBy: 'guid', existingId: C, parentRef: { existingId: P }, name: 'Kid', color: null, description: '', changes: ['name'], update: { name: 'Kid' } });
    // The rename frees the name, so "Child" is a new code rather than a match by path.
    expect(entry(plan, 'Child')).toMatchObject({ status: 'new', parentRef: { existingId: P } });
    expect(plan.counts).toEqual({ new: 1, matched: 2, changed: 1, conflicts: 0 });
  });

  it('matches by path when the GUID differs (another tool minted new ones), ignoring case', () => {
    const plan = planImport(existing(), book([pc(X, 'PARENT', null, '', [pc(Y, 'child', '#ABCDEF'.toLowerCase(), 'Kept definition')])]));
    expect(entry(plan, 'PARENT')).toMatchObject({ status: 'matched', matchedBy: 'path', existingId: P, changes: [] });
    expect(entry(plan, 'PARENT').update).toBeUndefined();
    // A path match never renames, even by case.
    expect(entry(plan, 'child')).toMatchObject({ status: 'matched', matchedBy: 'path', existingId: C, parentRef: { existingId: P }, changes: ['colour'], update: { color: '#abcdef' } });
  });

  it('matches children by name below a parent renamed by GUID', () => {
    const plan = planImport(existing(), book([pc(P, 'Renamed parent', null, '', [pc(X, 'Child', null)])]));
    expect(entry(plan, 'Child')).toMatchObject({ status: 'matched', matchedBy: 'path', existingId: C });
  });

  it('reports a different definition but takes it only where the existing one is empty', () => {
    const plan = planImport(existing(), book([pc(P, 'Parent', null, 'New parent definition', [pc(C, 'Child', null, 'Imported definition')]), pc(D, 'Other', null, '')]));
    expect(entry(plan, 'Parent')).toMatchObject({ changes: ['definition'], update: { description: 'New parent definition' } });
    expect(entry(plan, 'Child')).toMatchObject({ changes: ['definition'] });
    expect(entry(plan, 'Child').update).toBeUndefined();
    // An empty definition in the file is no difference: Taguette writes none.
    expect(entry(plan, 'Other')).toMatchObject({ changes: [] });
    expect(plan.counts).toEqual({ new: 0, matched: 3, changed: 1, conflicts: 0 });
    const after = apply(existing(), plan);
    expect(after.map((c) => c.description)).toEqual(['New parent definition', 'Kept definition', '']);
    expect(planImport(after, book([pc(P, 'Parent', null, 'New parent definition', [pc(C, 'Child', null, 'Imported definition')]), pc(D, 'Other', null, '')])).unchanged).toBe(true);
  });

  it('makes a code matched by GUID but under another parent a conflict, and still imports its sub-codes below it', () => {
    // The file puts Child at the top level and gives it a new sub-code.
    const plan = planImport(existing(), book([pc(C, 'Child', '#000000', '', [pc(X, 'Grandchild', null)])]));
    expect(entry(plan, 'Child')).toMatchObject({ status: 'conflict', existingId: C, parentRef: null, reason: 'It has the GUID of the existing code “Parent › Child”, which lies under “Parent”, but the file puts it at the top level: the import moves no code.' });
    expect(entry(plan, 'Grandchild')).toMatchObject({ status: 'new', parentRef: { existingId: C } });
    const after = apply(existing(), plan);
    expect(after.find((c) => c.id === C)).toEqual(existing()[1]);
    expect(shape(after)).toEqual([['Parent', [['Child', ['Grandchild']]]], 'Other']);
  });

  it('makes a code matched by GUID under a code the import creates a conflict', () => {
    const plan = planImport(existing(), book([pc(X, 'New home', null, '', [pc(D, 'Other', null)])]));
    expect(entry(plan, 'Other')).toMatchObject({ status: 'conflict', existingId: D, parentRef: { newGuid: X }, reason: 'It has the GUID of the existing code “Other”, which lies at the top level, but the file puts it under “New home”, a code the import creates: the import moves no code.' });
  });

  it('makes a code a conflict when its name here belongs to an existing code the file gives another GUID to', () => {
    // The file has Child under Parent with a new GUID, and Child's own GUID on a top-level code.
    const plan = planImport(existing(), book([pc(P, 'Parent', null, '', [pc(X, 'Child', null, '', [pc(Y, 'Below', null)])]), pc(C, 'Elsewhere', null)]));
    expect(entry(plan, 'Child')).toMatchObject({ status: 'conflict', parentRef: { existingId: P }, reason: 'The existing code of that name here, “Parent › Child”, has a different GUID, one the file gives to “Elsewhere”.' });
    expect(entry(plan, 'Child').existingId).toBeUndefined();
    expect(entry(plan, 'Below')).toMatchObject({ status: 'conflict', reason: 'It cannot be placed: its parent “Parent › Child” is a conflict.' });
    expect(entry(plan, 'Elsewhere')).toMatchObject({ status: 'conflict', existingId: C });
    expect(plan.counts).toEqual({ new: 0, matched: 1, changed: 0, conflicts: 3 });
    expect(plan.unchanged).toBe(true);
  });

  it('refuses a rename that would give two codes at one level the same name, but lets names swap', () => {
    const codes = [code(P, 'Alpha', null), code(C, 'Beta', null), code(D, 'Gamma', null)];
    const clash = planImport(codes, book([pc(P, 'Gamma', null), pc(C, 'Beta', null)]));
    expect(entry(clash, 'Gamma')).toMatchObject({ status: 'conflict', existingId: P, reason: 'It has the GUID of the existing code “Alpha”, but renaming that code “Gamma” would give it the name of “Gamma” at the same level.' });
    const swap = planImport(codes, book([pc(P, 'Beta', null), pc(C, 'Alpha', null)]));
    expect(swap.entries.map((e) => [e.status, e.update])).toEqual([
      ['matched', { name: 'Beta' }],
      ['matched', { name: 'Alpha' }],
    ]);
    expect(apply(codes, swap).map((c) => c.name)).toEqual(['Beta', 'Alpha', 'Gamma']);
  });

  it('makes the second of two codes of one name at a level a conflict, and its sub-codes too', () => {
    const plan = planImport(existing(), book([pc(X, 'Twin', null), pc(Y, 'twin', null, '', [pc(g(1), 'Under', null, '', [pc(C, 'Child', null)])]), pc(g(2), 'Other', null), pc(g(3), 'OTHER', null)]));
    expect(plan.entries.map((e) => [e.name, e.status])).toEqual([
      ['Twin', 'new'],
      ['twin', 'conflict'],
      ['Under', 'conflict'],
      ['Child', 'conflict'],
      ['Other', 'matched'],
      ['OTHER', 'conflict'],
    ]);
    expect(entry(plan, 'twin').reason).toBe('The file has another code named “Twin” at this level, “Twin”, and a level holds one code of a name.');
    expect(entry(plan, 'Under').reason).toBe('It cannot be placed: its parent “twin” is a conflict.');
    expect(entry(plan, 'Child')).toMatchObject({ existingId: C, reason: 'It cannot be placed: its parent “twin › Under” is not imported.' });
    expect(entry(plan, 'OTHER').reason).toBe('The file has another code named “Other” at this level, and a level holds one code of a name.');
  });

  it('treats a code whose parent is missing as top-level, as the tree shows it', () => {
    const codes = [code(P, 'Orphan', 'gone')];
    expect(planImport(codes, book([pc(X, 'Orphan', null)])).entries[0]).toMatchObject({ status: 'matched', matchedBy: 'path', existingId: P });
  });

  it('plans 20,000 codes', () => {
    const parsed = book(Array.from({ length: 100 }, (_, i) => pc(g(i), `Top ${i}`, null, '', Array.from({ length: 199 }, (_, j) => pc(g(1000 + i * 200 + j), `Sub ${j}`, null)))));
    const plan = planImport(defaultCodes(), parsed);
    let slot = 100;
    // A constant colour: nextColor over the growing codebook would be the caller's quadratic cost.
    const after = applyPlanToCodes(defaultCodes(), plan, (guid) => guid, () => slot++, () => '#000000');
    expect(after).toHaveLength(defaultCodes().length + 20_000);
    expect(planImport(after, parsed).unchanged).toBe(true);
    // The outcome is checked, not the speed (a benchmark's business); the timeout guards a hang.
  }, 60_000);
});

describe('applyPlanToCodes', () => {
  const X = 'bbbbbbbb-0000-4000-8000-000000000009';

  it('appends new codes after their parent’s subtree and top-level ones at the end, with the file’s GUID as id', () => {
    const codes = [code('p', 'P', null, { slot: 4 }), code('q', 'Q', 'p', { slot: 7 }), code('r', 'R', 'q', { slot: 1 }), code('s', 'S', null, { slot: 2 })];
    const plan = planImport(codes, book([pc(codeGuid('p'), 'P', null, '', [pc(X, 'New under P', '#abcdef', 'D', [pc(g(5), 'Deeper', null)]), pc(codeGuid('q'), 'Q', null, '', [pc(g(6), 'New under Q', null)])]), pc(g(7), 'New top', null)]));
    const after = apply(codes, plan);
    expect(after.map((c) => [c.id, c.name, c.parentId, c.slot, c.color])).toEqual([
      ['p', 'P', null, 4, '#123456'],
      ['q', 'Q', 'p', 7, '#123456'],
      ['r', 'R', 'q', 1, '#123456'],
      [g(6), 'New under Q', 'q', 10, '#21cd36'],
      [X, 'New under P', 'p', 8, '#abcdef'],
      [g(5), 'Deeper', X, 9, '#d62728'],
      ['s', 'S', null, 2, '#123456'],
      [g(7), 'New top', null, 11, '#37a8ec'],
    ]);
    expect(after.find((c) => c.id === X)).toEqual({ id: X, name: 'New under P', color: '#abcdef', description: 'D', parentId: 'p', slot: 8 });
    expect(shape(after)).toEqual([['P', [['Q', ['R', 'New under Q']], ['New under P', ['Deeper']]]], 'S', 'New top']);
    expect(planImport(after, parsedAgain(plan)).unchanged).toBe(true);
  });

  it('leaves its input alone and updates matched codes per the plan', () => {
    const codes = [code('p', 'P', null, { color: '#111111', description: '' }), code('q', 'Q', null, { description: 'Mine', shortcut: '1' })];
    const before = structuredClone(codes);
    const plan = planImport(codes, book([pc(codeGuid('p'), 'P renamed', '#222222', 'Theirs'), pc(codeGuid('q'), 'Q', '#333333', 'Theirs too')]));
    const after = apply(codes, plan);
    expect(codes).toEqual(before);
    expect(after).toEqual([
      { id: 'p', name: 'P renamed', color: '#222222', description: 'Theirs', parentId: null, slot: 0 },
      { id: 'q', name: 'Q', color: '#333333', description: 'Mine', parentId: null, slot: 0, shortcut: '1' },
    ]);
  });

  it('gives a new code newId(guid) when a code has taken its GUID as id since the plan was made', () => {
    const plan = planImport([], book([pc(X, 'New', null)]));
    const codes = [code(X.toUpperCase(), 'Taken', null)];
    const newId = vi.fn(() => 'fresh-id');
    const after = applyPlanToCodes(codes, plan, newId, () => 5, () => '#000000');
    expect(newId).toHaveBeenCalledWith(X);
    expect(after.map((c) => c.id)).toEqual([X.toUpperCase(), 'fresh-id']);
  });

  it('refuses a plan whose codes are gone', () => {
    const codes = [code('p', 'P', null)];
    const plan = planImport(codes, book([pc(codeGuid('p'), 'P', '#999999', '', [pc(X, 'New', null)])]));
    expect(() => apply([], plan)).toThrow(new CodebookImportError('The codebook changed since the import was planned (the code with id “p” is gone): plan the import again.'));
  });
});

/** The parsed codebook a plan was made from, rebuilt from its entries (for re-planning in tests). */
function parsedAgain(plan: ReturnType<typeof planImport>): ParsedCodebook {
  const byPath = new Map<string, ParsedCode>();
  const top: ParsedCode[] = [];
  for (const e of plan.entries) {
    const c: ParsedCode = { guid: e.guid, name: e.name, color: e.color, description: e.description, isCodable: true, children: [] };
    byPath.set(e.path.join('\u0000'), c);
    if (e.path.length === 1) top.push(c);
    else byPath.get(e.path.slice(0, -1).join('\u0000'))!.children.push(c);
  }
  return book(top);
}

describe('importing twice', () => {
  it("imports QualCoder's codebook into the bundled one, and a second import changes nothing", () => {
    const codes = defaultCodes();
    const parsed = parseQdc(sample('qualcoder-3.8.2_codebook.qdc'));
    const plan = planImport(codes, parsed);
    expect(plan.counts).toEqual({ new: 38, matched: 0, changed: 0, conflicts: 0 });
    const after = apply(codes, plan);
    expect(after).toHaveLength(codes.length + 38);
    expect(after.slice(0, codes.length)).toEqual(codes);
    // Categories without a colour got one; ids are the file's GUIDs, so the codes keep them on export.
    expect(after.find((c) => c.name === 'Implementation Quality')).toMatchObject({ id: 'a07ea1c2-3f9d-4c62-ad0c-74f0880cf42f', color: '#8c0553', parentId: null });
    expect(after.find((c) => c.name === 'Ongoing coaching')).toMatchObject({ parentId: 'e40ea3f0-e7bb-4ed8-b349-89e493aa2312', color: '#d8866d', description: 'Résumé of coaching; 教师反馈 included.' });
    expect(new Set(after.map((c) => c.slot)).size).toBe(after.length);

    const again = planImport(after, parsed);
    expect(again.unchanged).toBe(true);
    expect(again.counts).toEqual({ new: 0, matched: 38, changed: 0, conflicts: 0 });
    expect(apply(after, again)).toEqual(after);
    // And the export of the result carries the same GUIDs.
    expect(planImport(after, parseQdc(codebookToQdc(after, 'Gloss'))).unchanged).toBe(true);
  });

  it('is a no-op the second time even after conflicts, renames and path matches', () => {
    const P = 'aaaaaaaa-0000-4000-8000-000000000001';
    const C = 'aaaaaaaa-0000-4000-8000-000000000002';
    const codes = [code(P, 'Parent', null), code(C, 'Child', P, { description: 'Mine' }), code('slug', 'Slug', null, { color: '#0000ff' })];
    const parsed = book([
      pc(g(1), 'PARENT', '#ff0000', 'New', [pc(g(2), 'Child', null, '', [pc(g(3), 'Grand', null)]), pc(g(4), 'Sibling', null)]),
      pc(C, 'Child moved', null, '', [pc(g(5), 'Under moved', null)]),
      pc(codeGuid('slug'), 'Slug renamed', '#00ff00', 'Slug definition', [pc(g(6), 'Slug child', null)]),
      pc(g(7), 'Twin', null),
      pc(g(8), 'twin', null, '', [pc(g(9), 'Lost', null)]),
    ]);
    const plan = planImport(codes, parsed);
    expect(plan.entries.map((e) => [e.path.join(' › '), e.status])).toEqual([
      ['PARENT', 'matched'],
      ['PARENT › Child', 'conflict'],
      ['PARENT › Child › Grand', 'conflict'],
      ['PARENT › Sibling', 'new'],
      ['Child moved', 'conflict'],
      ['Child moved › Under moved', 'new'],
      ['Slug renamed', 'matched'],
      ['Slug renamed › Slug child', 'new'],
      ['Twin', 'new'],
      ['twin', 'conflict'],
      ['twin › Lost', 'conflict'],
    ]);
    const after = apply(codes, plan);
    expect(shape(after)).toEqual([['Parent', [['Child', ['Under moved']], 'Sibling']], ['Slug renamed', ['Slug child']], 'Twin']);
    expect(after.find((c) => c.id === 'slug')).toMatchObject({ name: 'Slug renamed', color: '#00ff00', description: 'Slug definition' });
    const again = planImport(after, parsed);
    expect(again.unchanged).toBe(true);
    expect(again.counts).toEqual({ new: 0, matched: 6, changed: 0, conflicts: 5 });
    expect(apply(after, again)).toEqual(after);
  });
});
