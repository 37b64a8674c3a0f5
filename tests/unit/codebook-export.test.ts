import { realCliCore, runCli } from '../support/cli';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOMParser, type Element } from '@xmldom/xmldom';
import { parse as parseCsv } from 'csv-parse/sync';
import MarkdownIt from 'markdown-it';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Code } from '../../shared/model';
import type { CliDeps } from '../../main/cli/command';
import { codebookToCsv, codebookToMarkdown, codebookToQdc, codeGuid } from '../../main/core/codebook-export';
import { defaultCodes } from '../../main/core/default-codebook';
import type { OpenCoreOptions } from '../../main/core/open';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const QDC_NS = 'urn:QDA-XML:codebook:1.0';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The REFI-QDA Codebook schema (QDA-XML 1.0, spec §5.2), a copy kept with the fixtures so the
 * tests run on a clean clone; when the reference folder's copy is present, a test checks that
 * the two agree.
 */
const CODEBOOK_XSD_FILE = path.join(repoRoot, 'tests', 'fixtures', 'refi-qda', 'Codebook.xsd');
const SHARED_XSD = path.resolve(repoRoot, '..', 'shared', 'refi-qda', 'xsd', 'Codebook.xsd');

const HOSTILE = 'Ünïcøde & <angle> "quoted" — 教师';
const TOP_ID = '8162617F-E691-400B-AA13-C586DFAF7B89';

function code(id: string, name: string, parentId: string | null, extra: Partial<Code> = {}): Code {
  return { id, name, color: '#a1b2c3', description: '', parentId, slot: 0, ...extra };
}

/**
 * A small tree with hostile names. Siblings are not next to each other in the list, so sibling
 * order must come from list order, not adjacency.
 */
const tree: Code[] = [
  code(TOP_ID, HOSTILE, null, { description: 'Line one & <two>\nLine "three" — 教师\n\n  indented after a blank line', color: '#0aF0c1', shortcut: '1' }),
  code('second', '[a](b)', null, { description: '=SUM(A1)' }),
  code('first-child', '*x*', TOP_ID),
  code('grandchild', 'Grand, "child"', 'first-child', { description: 'Only one line.' }),
  code('second-child', '<b>bold</b> &amp; `tick` _u_', TOP_ID, { description: '- not a list\n1. not a list\n# not a heading\n> not a quote\n---', shortcut: 'Alt+S' }),
];

interface ParsedCode {
  guid: string;
  name: string;
  isCodable: string;
  color: string;
  description: string | null;
  children: ParsedCode[];
}

/** Parses a .qdc strictly (any parser complaint fails) into its tree of codes. */
function parseQdc(xml: string): { origin: string; codes: ParsedCode[] } {
  const doc = new DOMParser({
    onError: (level, message) => {
      throw new Error(`${level}: ${message}`);
    },
  }).parseFromString(xml, 'text/xml');
  const root = doc.documentElement!;
  expect([root.namespaceURI, root.localName]).toEqual([QDC_NS, 'CodeBook']);
  const elements = (el: Element): Element[] => Array.from(el.childNodes).filter((n): n is Element => n.nodeType === n.ELEMENT_NODE);
  const toCode = (el: Element): ParsedCode => {
    expect([el.namespaceURI, el.localName]).toEqual([QDC_NS, 'Code']);
    const kids = elements(el);
    const desc = kids.filter((k) => k.localName === 'Description');
    expect(desc.length).toBeLessThanOrEqual(1);
    // The schema's sequence: Description before any child Code.
    if (desc.length === 1) expect(kids[0]).toBe(desc[0]);
    return {
      guid: el.getAttribute('guid')!,
      name: el.getAttribute('name')!,
      isCodable: el.getAttribute('isCodable')!,
      color: el.getAttribute('color')!,
      description: desc[0] ? desc[0].textContent : null,
      children: kids.filter((k) => k.localName === 'Code').map(toCode),
    };
  };
  const [codesEl, ...rest] = elements(root);
  expect(rest).toEqual([]);
  expect(codesEl!.localName).toBe('Codes');
  return { origin: root.getAttribute('origin')!, codes: elements(codesEl!).map(toCode) };
}

function expected(c: Code, children: ParsedCode[] = []): ParsedCode {
  return { guid: codeGuid(c.id), name: c.name, isCodable: 'true', color: c.color.toUpperCase(), description: c.description === '' ? null : c.description, children };
}

describe('codeGuid', () => {
  it('gives slug ids the RFC 9562 version-5 UUID in Gloss namespace, the same on every call', () => {
    // Computed independently: python3 -c "import uuid; print(uuid.uuid5(uuid.UUID('1d1beafe-245d-49e2-bd8e-ab3cb59dd8dd'), 'repression-tactic.surveillance'))"
    expect(codeGuid('repression-tactic.surveillance')).toBe('ae5bc57a-c740-5d2d-85f7-b885d15fc393');
    expect(codeGuid('repression-tactic')).toBe('af41de40-f388-5b24-9f91-72aa273a2099');
    expect(codeGuid('x')).toBe('1a829a18-adf3-5ddc-96ea-a2ef8b654d02');
    expect(codeGuid('repression-tactic.surveillance')).toBe(codeGuid('repression-tactic.surveillance'));
    const g = codeGuid('economic-change.bribery');
    expect(g).toMatch(GUID);
    expect(g[14]).toBe('5');
    expect('89ab').toContain(g[19]);
  });

  it('passes a UUID id through, lower-cased', () => {
    const id = randomUUID();
    expect(codeGuid(id)).toBe(id);
    expect(codeGuid(TOP_ID)).toBe(TOP_ID.toLowerCase());
  });

  it('gives every code of the bundled codebook its own GUID', () => {
    const guids = defaultCodes().map((c) => codeGuid(c.id));
    for (const g of guids) expect(g).toMatch(GUID);
    expect(new Set(guids).size).toBe(guids.length);
  });
});

describe('codebookToQdc', () => {
  it('writes the tree in list order, and parses back to the same names, colours and definitions', () => {
    const xml = codebookToQdc(tree, 'Gloss');
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<CodeBook ')).toBe(true);
    const [top, second, firstChild, grandchild, secondChild] = tree as [Code, Code, Code, Code, Code];
    expect(parseQdc(xml)).toEqual({
      origin: 'Gloss',
      codes: [expected(top, [expected(firstChild, [expected(grandchild)]), expected(secondChild)]), expected(second)],
    });
    // Escaped by the serializer, never by hand: the raw text holds no bare markup from the names.
    expect(xml).toContain('name="Ünïcøde &amp; &lt;angle&gt; &quot;quoted&quot; — 教师"');
    expect(xml).toContain('guid="8162617f-e691-400b-aa13-c586dfaf7b89"');
    expect(xml).toContain('color="#0AF0C1"');
  });

  it('is the same text on every export', () => {
    expect(codebookToQdc(defaultCodes(), 'Gloss')).toBe(codebookToQdc(defaultCodes(), 'Gloss'));
  });

  it('writes line breaks in definitions as LF, and keeps tabs and line breaks in names', () => {
    const codes = [code('a', 'Tab\there', null, { description: 'one\r\ntwo\rthree' }), code('b', 'Line\nbreak', null)];
    const parsed = parseQdc(codebookToQdc(codes, 'Gloss'));
    expect(parsed.codes.map((c) => [c.name, c.description])).toEqual([
      ['Tab\there', 'one\ntwo\nthree'],
      ['Line\nbreak', null],
    ]);
  });

  it('refuses an empty codebook with a sentence', () => {
    expect(() => codebookToQdc([], 'Gloss')).toThrow('The codebook has no codes, and a REFI-QDA codebook must hold at least one: add a code first.');
  });

  it.each([
    ['a C0 control in a name', { name: 'Bad\u0001name' }, 'name', 'U+0001'],
    ['a form feed in a definition', { description: 'page\fbreak' }, 'definition', 'U+000C'],
    ['U+FFFE in a definition', { description: 'x\uFFFEy' }, 'definition', 'U+FFFE'],
    ['U+FFFF in a name', { name: 'x\uFFFF' }, 'name', 'U+FFFF'],
    ['a lone high surrogate', { name: 'x\uD800y' }, 'name', 'U+D800'],
    ['a lone low surrogate', { description: '\uDC00' }, 'definition', 'U+DC00'],
  ])('refuses %s, naming the code', (_label, bad, field, char) => {
    const codes = [code('ok', 'Fine', null), code('bad', 'Bad', 'ok', bad)];
    const name = (bad as Partial<Code>).name ?? 'Bad';
    expect(() => codebookToQdc(codes, 'Gloss')).toThrow(`The code "${name}" cannot be written as REFI-QDA: its ${field} holds the character ${char}, which XML cannot hold. Remove it and export again.`);
  });

  it('keeps characters outside the BMP, C1 controls and Unicode line separators, which XML can hold', () => {
    const codes = [code('a', 'Emoji 😀 𝔘 \u2028', null, { description: 'C1 \u0085 and \u009f, LS \u2028, PS \u2029' })];
    expect(parseQdc(codebookToQdc(codes, 'Gloss')).codes[0]).toMatchObject({ name: 'Emoji 😀 𝔘 \u2028', description: 'C1 \u0085 and \u009f, LS \u2028, PS \u2029' });
  });

  it('refuses two codes whose ids would give the same GUID', () => {
    const codes = [code(TOP_ID, 'Upper', null), code(TOP_ID.toLowerCase(), 'Lower', null)];
    expect(() => codebookToQdc(codes, 'Gloss')).toThrow(`The codes "Upper" and "Lower" would get the same GUID ${TOP_ID.toLowerCase()}: their ids differ only in case.`);
  });

  it('refuses a damaged hierarchy rather than leave codes out', () => {
    const codes = [code('ok', 'Fine', null), code('a', 'Loop A', 'b'), code('b', 'Loop B', 'a')];
    expect(() => codebookToQdc(codes, 'Gloss')).toThrow(/hierarchy is damaged, "Loop A", "Loop B" lie below itself/);
  });
});

const xmllint = spawnSync('xmllint', ['--version'], { encoding: 'utf8' });
const haveXmllint = xmllint.error === undefined && xmllint.status === 0;
const inCi = Boolean(process.env['CI']);

/** Runs Debian's xmllint against the codebook schema; returns its exit status and messages. */
async function validate(dir: string, xml: string): Promise<{ status: number | null; output: string }> {
  const file = path.join(dir, `${randomUUID()}.qdc`);
  await writeFile(file, xml);
  const r = spawnSync('xmllint', ['--nonet', '--noout', '--schema', CODEBOOK_XSD_FILE, file], { encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

// On CI a missing xmllint fails the tests below; elsewhere they are skipped, saying why.
if (!haveXmllint && !inCi) console.warn('codebook-export.test.ts: xmllint not found, so the REFI-QDA schema validation is skipped (apt-get install libxml2-utils).');
describe.skipIf(!haveXmllint && !inCi)(`REFI-QDA schema validation${haveXmllint || inCi ? '' : ' (skipped: xmllint not found; apt-get install libxml2-utils)'}`, () => {
  let dir: string;
  beforeEach(async () => {
    expect(haveXmllint, 'xmllint is required on CI: apt-get install libxml2-utils').toBe(true);
    dir = await mkdtemp(path.join(os.tmpdir(), 'gloss-qdc-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('validates the bundled codebook against Codebook.xsd', async () => {
    const r = await validate(dir, codebookToQdc(defaultCodes(), 'Gloss'));
    expect(r.output).toMatch(/ validates\n?$/);
    expect(r.status).toBe(0);
  });

  it('validates the small tree with hostile names against Codebook.xsd', async () => {
    const r = await validate(dir, codebookToQdc(tree, 'Gloss 0.1 & <friends>'));
    expect(r.output).toMatch(/ validates\n?$/);
    expect(r.status).toBe(0);
  });

  it('the validation can fail: an empty Codes and a bad colour are refused', async () => {
    const empty = await validate(dir, `<?xml version="1.0"?><CodeBook xmlns="${QDC_NS}"><Codes/></CodeBook>`);
    expect(empty.status).not.toBe(0);
    const colour = await validate(dir, codebookToQdc([code('a', 'A', null)], 'Gloss').replace('#A1B2C3', 'red'));
    expect(colour.output).toMatch(/fails to validate/);
    expect(colour.status).not.toBe(0);
  });
});

describe.skipIf(!existsSync(SHARED_XSD))('the fixture schema', () => {
  it('is the reference folder’s Codebook.xsd', async () => {
    expect(await readFile(CODEBOOK_XSD_FILE, 'utf8')).toBe(await readFile(SHARED_XSD, 'utf8'));
  });
});

describe('codebookToCsv', () => {
  const rows = (csv: string): string[][] => parseCsv(csv, { relaxColumnCount: false }) as string[][];

  it('writes one row per code in tree order, with paths, colour, shortcut, definition and GUID', () => {
    const csv = codebookToCsv(tree);
    const [header, ...body] = rows(csv);
    expect(header).toEqual(['path', 'name', 'parent_path', 'colour', 'shortcut', 'definition', 'guid']);
    expect(body.map((r) => r[0])).toEqual([HOSTILE, `${HOSTILE} › *x*`, `${HOSTILE} › *x* › Grand, "child"`, `${HOSTILE} › <b>bold</b> &amp; \`tick\` _u_`, '[a](b)']);
    expect(body[2]).toEqual([`${HOSTILE} › *x* › Grand, "child"`, 'Grand, "child"', `${HOSTILE} › *x*`, '#a1b2c3', '', 'Only one line.', codeGuid('grandchild')]);
    expect(body[0]![2]).toBe('');
    expect(body[0]![4]).toBe('1');
    expect(body[0]![5]).toBe(tree[0]!.description);
    expect(body[3]![4]).toBe('Alt+S');
  });

  it('quotes as RFC 4180 says, with CRLF between records', () => {
    const csv = codebookToCsv([code('a', 'Grand, "child"', null, { description: 'two\nlines' }), code('b', 'plain', null)]);
    expect(csv).toBe(
      'path,name,parent_path,colour,shortcut,definition,guid\r\n' +
        `"Grand, ""child""","Grand, ""child""",,#a1b2c3,,"two\nlines",${codeGuid('a')}\r\n` +
        `plain,plain,,#a1b2c3,,,${codeGuid('b')}\r\n`,
    );
  });

  it.each(['=SUM(A1)', '+1', '-1', '@cmd', '\tx', '\rx'])('neutralises a cell starting %j against formula injection', (text) => {
    const [, row] = rows(codebookToCsv([code('a', text, null, { description: text })]));
    expect(row!.slice(0, 2)).toEqual([`'${text}`, `'${text}`]);
    expect(row![5]).toBe(`'${text}`);
  });

  it('leaves a formula character later in a cell alone', () => {
    const [, row] = rows(codebookToCsv([code('a', 'a=b', null)]));
    expect(row![1]).toBe('a=b');
  });

  it('adds passages per code when counts are given (0 for codes without any)', () => {
    const [header, ...body] = rows(codebookToCsv(tree, new Map([[TOP_ID, 3], ['grandchild', 12]])));
    expect(header!.at(-1)).toBe('passages');
    expect(body.map((r) => r.at(-1))).toEqual(['3', '0', '12', '0', '0']);
  });

  it('writes only the header for an empty codebook', () => {
    expect(codebookToCsv([])).toBe('path,name,parent_path,colour,shortcut,definition,guid\r\n');
  });
});

describe('codebookToMarkdown', () => {
  const md = new MarkdownIt();

  it('writes a heading and the tree as a nested list, definitions after the names', () => {
    const codes = [
      code('a', 'Alpha', null, { description: 'First line.\nSecond line.\n\nA new paragraph.' }),
      code('b', 'Beta', null),
      code('a1', 'Alpha one', 'a', { description: 'Child.' }),
    ];
    expect(codebookToMarkdown(codes, 'My project')).toBe(
      ['# My project codebook', '', '- **Alpha** — First line.\\', '  Second line.', '', '  A new paragraph.', '  - **Alpha one** — Child.', '- **Beta**', ''].join('\n'),
    );
    const html = md.render(codebookToMarkdown(codes, 'My project'));
    expect(html).toContain('<h1>My project codebook</h1>');
    expect(html).toMatch(/<li>[\s\S]*<strong>Alpha<\/strong> — First line\.<br>\s*Second line\.[\s\S]*<p>A new paragraph\.<\/p>\s*<ul>\s*<li><strong>Alpha one<\/strong> — Child\.<\/li>\s*<\/ul>\s*<\/li>\s*<li>[\s\S]*<strong>Beta<\/strong>/);
  });

  it('shows names, definitions and the title literally, never as markup', () => {
    const html = md.render(codebookToMarkdown(tree, '*Project* <i>x</i>'));
    // Only the markup the export itself writes: a heading, the lists, bold names, line breaks.
    expect(new Set(html.match(/<\/?[a-z0-9]+/g))).toEqual(new Set(['<h1', '</h1', '<ul', '</ul', '<li', '</li', '<p', '</p', '<strong', '</strong', '<br']));
    const text = html.replace(/<br>\n?/g, '\n').replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    expect(text).toContain('*Project* <i>x</i> codebook');
    for (const c of tree) expect(text).toContain(c.name);
    expect(text).toContain('- not a list\n1. not a list\n# not a heading\n> not a quote\n---');
    expect(text).toContain('Line one & <two>\nLine "three" — 教师');
  });

  it('says so when the codebook is empty', () => {
    expect(codebookToMarkdown([], 'P')).toBe('# P codebook\n\nThis codebook has no codes.\n');
  });
});

describe('gloss codebook export', () => {
  it('says what `gloss codebook` can do when the second word is missing or unknown', async () => {
    for (const args of [['codebook'], ['codebook', 'explode']]) {
      const r = await run(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/gloss codebook needs one of: export/);
    }
    const h = await run(['help', 'codebook', 'export']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('Usage: gloss codebook export');
  });

  let tmp: string;
  let opened: OpenCoreOptions[];
  beforeEach(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'gloss-codebook-cli-'));
    opened = [];
  });
  afterEach(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  const corpusDir = path.join(repoRoot, 'corpus');
  /** The real core, with the coder profile in the temp folder (never the user's), recording how it was opened. */
  const core = realCliCore(() => tmp);
  const realCore = (o: OpenCoreOptions) => {
    opened.push(o);
    return core(o);
  };
  const run = (argv: string[], deps: Partial<CliDeps> = {}) => runCli(argv, { cwd: () => tmp, corpusDir: () => corpusDir, openCore: realCore, ...deps });

  async function newProject(): Promise<string> {
    const projectDir = path.join(tmp, 'project');
    await (await realCore({ projectDir, corpusDir })).close();
    opened = [];
    return projectDir;
  }

  it('writes a REFI-QDA codebook of a project, opened read-only', async () => {
    const projectDir = await newProject();
    const r = await run(['codebook', 'export', '--format', 'qdc', '--out', 'out.qdc', '--project', projectDir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Wrote ${defaultCodes().length} codes to out.qdc\n`);
    expect(opened).toEqual([{ projectDir, corpusDir, createIfMissing: false, readOnly: true }]);
    const xml = await readFile(path.join(tmp, 'out.qdc'), 'utf8');
    expect(xml).toBe(codebookToQdc(defaultCodes(), 'Gloss'));
    expect(parseQdc(xml).codes.map((c) => c.name)).toEqual(defaultCodes().filter((c) => c.parentId === null).map((c) => c.name));
    expect((await readdir(tmp)).sort()).toEqual(['out.qdc', 'profile.json', 'project']);
    if (haveXmllint || inCi) {
      const v = await validate(await mkdtemp(path.join(tmp, 'xsd-')), xml);
      expect(v.output).toMatch(/ validates\n?$/);
    }
  });

  it('writes CSV with each code’s passages', async () => {
    const projectDir = await newProject();
    const core = await realCore({ projectDir, corpusDir });
    const surveillance = 'repression-tactic.surveillance';
    try {
      const context = { client: 'test' };
      const [d1, d2] = await core.handlers['documents.list']({}, context);
      await core.handlers['annotations.create']({ documentId: d1!.id, start: 0, end: 5, codeIds: [surveillance] }, context);
      await core.handlers['annotations.create']({ documentId: d2!.id, start: 0, end: 5, codeIds: [surveillance, 'economic-change'] }, context);
      await core.flush();
    } finally {
      await core.close();
    }
    const r = await run(['codebook', 'export', '--project', projectDir, '--format', 'csv', '--out', 'codes.csv']);
    expect(r.code).toBe(0);
    const [header, ...body] = parseCsv(await readFile(path.join(tmp, 'codes.csv'), 'utf8')) as string[][];
    const count = (name: string) => body.find((row) => row[1] === name)![header!.indexOf('passages')];
    expect([count('Surveillance'), count('Economic change'), count('Bribery')]).toEqual(['2', '1', '0']);
  });

  it('writes to standard output with --out -, reporting on stderr', async () => {
    const projectDir = await newProject();
    const r = await run(['codebook', 'export', '--project', projectDir, '--format', 'md', '--out', '-']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('# Families of defectors codebook\n\n- **Repression tactic** — ')).toBe(true);
    expect(r.stdout).toBe(codebookToMarkdown(defaultCodes(), 'Families of defectors'));
    expect(r.stderr).toBe(`Wrote ${defaultCodes().length} codes to standard output.\n`);
    expect((await readdir(tmp)).sort()).toEqual(['profile.json', 'project']);
  });

  it.each([
    [['--format', 'nope', '--out', 'x'], /unknown format "nope": use qdc \(REFI-QDA\), csv or md \(Markdown\)/],
    [['--out', 'x'], /--format is required: qdc, csv or md/],
    [['--format', 'qdc'], /--out FILE is required/],
    [['--format', 'toString', '--out', 'x'], /unknown format "toString"/],
  ])('%j is misuse: exit 2, a message and the usage, nothing opened or written', async (args, message) => {
    const r = await run(['codebook', 'export', ...args]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('Usage: gloss codebook export');
    expect(opened).toEqual([]);
    expect(await readdir(tmp)).toEqual([]);
  });

  it('reports a codebook REFI-QDA cannot hold as a failure, writing no file', async () => {
    const projectDir = await newProject();
    // Every top-level code deleted with the codes below it: an empty codebook.
    const core = await realCore({ projectDir, corpusDir });
    try {
      const context = { client: 'test' };
      for (const c of (await core.handlers['codebook.get']({}, context)).codes.filter((x) => x.parentId === null)) {
        await core.handlers['codes.delete']({ id: c.id, children: 'delete' }, context);
      }
      expect((await core.handlers['codebook.get']({}, context)).codes).toEqual([]);
    } finally {
      await core.close();
    }
    const before = (await readdir(tmp)).sort();
    const r = await run(['codebook', 'export', '--project', projectDir, '--format', 'qdc', '--out', 'out.qdc']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('gloss codebook export: The codebook has no codes, and a REFI-QDA codebook must hold at least one: add a code first.\n');
    expect((await readdir(tmp)).sort()).toEqual(before);
  });

  describe('gloss codebook import', () => {
    const qualcoder = path.join(repoRoot, 'tests', 'fixtures', 'refi-qda', 'qualcoder-3.8.2_codebook.qdc');
    const codeNames = async (projectDir: string) => {
      const core = await realCore({ projectDir, corpusDir, createIfMissing: false, readOnly: true });
      try {
        return (await core.handlers['codebook.get']({}, { client: 'test' })).codes.map((c) => c.name);
      } finally {
        await core.close();
      }
    };

    it('previews with --dry-run, changing nothing, then imports; the same file again changes nothing', async () => {
      const projectDir = await newProject();
      const before = await codeNames(projectDir);
      const dry = await run(['codebook', 'import', qualcoder, '--project', projectDir, '--dry-run']);
      expect(dry.stderr).toBe('');
      expect(dry.code).toBe(0);
      expect(dry.stdout).toMatch(/^A codebook from QualCoder: \d+ new, 0 matched \(0 to update\), 0 conflicts\.\n/);
      expect(dry.stdout).toContain('  new       Implementation Quality › Curriculum fidelity\n');
      expect(dry.stdout).toMatch(/Dry run: nothing was changed\.\n$/);
      expect(await codeNames(projectDir)).toEqual(before);

      const real = await run(['codebook', 'import', qualcoder, '--project', projectDir]);
      expect(real.code).toBe(0);
      expect(real.stdout).toMatch(/Imported into /);
      expect(await codeNames(projectDir)).toEqual(expect.arrayContaining([...before, 'Curriculum fidelity', 'Implementation Quality']));

      const again = await run(['codebook', 'import', qualcoder, '--project', projectDir]);
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/Nothing to import/);
    });

    it('refuses a file that is not UTF-8, or not a codebook, saying why, and changes nothing', async () => {
      const projectDir = await newProject();
      const before = await codeNames(projectDir);
      await writeFile(path.join(tmp, 'latin1.qdc'), Buffer.from([0x3c, 0x61, 0xe9, 0x3e]));
      const latin = await run(['codebook', 'import', 'latin1.qdc', '--project', projectDir]);
      expect(latin.code).toBe(1);
      expect(latin.stderr).toBe('gloss codebook import: latin1.qdc is not UTF-8 text, as a REFI-QDA codebook must be.\n');
      await writeFile(path.join(tmp, 'evil.qdc'), '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>');
      const evil = await run(['codebook', 'import', 'evil.qdc', '--project', projectDir]);
      expect(evil.code).toBe(1);
      expect(evil.stderr).toMatch(/^gloss codebook import: .*(DTD|DOCTYPE)/i);
      const missing = await run(['codebook', 'import', 'nowhere.qdc', '--project', projectDir]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/Cannot read nowhere\.qdc/);
      expect(await codeNames(projectDir)).toEqual(before);
    });

    it('is misuse without a file, or with two', async () => {
      for (const args of [[], ['a.qdc', 'b.qdc']]) {
        const r = await run(['codebook', 'import', ...args]);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain('Usage: gloss codebook import');
      }
    });
  });
});
