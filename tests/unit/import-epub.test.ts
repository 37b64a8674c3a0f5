import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { describe, expect, it } from 'vitest';
import { importEpub } from '../../main/core/import/epub';
import type { Block } from '../../shared/model';
import { h, interviewBody, p } from '../fixtures/import/expected';
import { fixture, mutateBytes, mutateXml, outcome, prng, refusalOf, repack } from '../fixtures/import/fuzz';


/** tests/fixtures/import/src/interview.md as pandoc's EPUB shows it: a title page, then two chapters. */
const INTERVIEW: Block[] = [
  h(1, 'Interview 07: Crossing the river'),
  p('Ana Lima'),
  p('Kim Ji-woo'),
  p('Gloss test corpus'),
  p('2019-07-02'),
  ...interviewBody('[Image: A hand-drawn map of the border]'),
];

const container = (path: string): string =>
  `<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="${path}" media-type="application/oebps-package+xml"/></rootfiles></container>`;

interface Item {
  id: string;
  href: string;
  type?: string;
  props?: string;
  /** Its content, when the archive should hold it. */
  body?: string;
}

/** A small EPUB: these manifest items (chapters with content), the spine in `spine` order. */
function epub(items: Item[], opts: { spine?: string[]; metadata?: string; mimetype?: string; opfPath?: string; files?: Zippable } = {}): Uint8Array {
  const opfPath = opts.opfPath ?? 'OEBPS/content.opf';
  const manifest = items.map((i) => `<item id="${i.id}" href="${i.href}" media-type="${i.type ?? 'application/xhtml+xml'}"${i.props ? ` properties="${i.props}"` : ''}/>`).join('');
  const spine = (opts.spine ?? items.map((i) => i.id)).map((id) => `<itemref idref="${id}"/>`).join('');
  const opf = `<?xml version="1.0" encoding="UTF-8"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">${opts.metadata ?? '<dc:title>T</dc:title>'}</metadata><manifest>${manifest}</manifest><spine>${spine}</spine></package>`;
  const files: Zippable = { mimetype: [strToU8(opts.mimetype ?? 'application/epub+zip'), { level: 0 }], 'META-INF/container.xml': strToU8(container(opfPath)), [opfPath]: strToU8(opf), ...opts.files };
  for (const i of items) if (i.body !== undefined) files[`OEBPS/${i.href}`] = strToU8(i.body);
  return zipSync(files);
}

const xhtml = (body: string, head = '<title>Chapter</title>'): string =>
  `<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head>${head}</head><body>${body}</body></html>`;

const refusal = (bytes: Uint8Array): Promise<string> => refusalOf(importEpub(bytes, {}));
const pandoc = fixture('interview.pandoc.epub');

describe('EPUB books', () => {
  it('reads the pandoc fixture block by block, chapters in spine order, with its metadata', async () => {
    const r = await importEpub(pandoc, {});
    expect(r.blocks).toEqual(INTERVIEW);
    expect(r.meta).toEqual({ title: 'Interview 07: Crossing the river', author: 'Ana Lima; Kim Ji-woo', publication: 'Gloss test corpus', date: '2019-07-02', url: 'https://example.org/interviews/07' });
    expect(r.notes).toEqual(['1 image became a placeholder naming it.', '2 footnotes were kept as paragraphs numbered as their references in the text are (“[1]”).']);
  });

  it('follows the spine, skips the navigation document, and reads each chapter once', async () => {
    const r = await importEpub(
      epub(
        [
          { id: 'nav', href: 'nav.xhtml', props: 'nav', body: xhtml('<nav epub:type="toc"><ol><li><a href="b.xhtml">Second</a></li></ol></nav>') },
          { id: 'a', href: 'text/a%20one.xhtml', body: '' },
          { id: 'b', href: 'b.xhtml', body: xhtml('<h2>Second</h2><p>two</p>') },
          { id: 'cover', href: 'cover.svg', type: 'image/svg+xml', body: '<svg/>' },
        ],
        { spine: ['nav', 'b', 'cover', 'a', 'b'], files: { 'OEBPS/text/a one.xhtml': strToU8(xhtml('<h1>First</h1><p>one</p>')) } },
      ),
      {},
    );
    expect(r.blocks).toEqual([h(2, 'Second'), p('two'), h(1, 'First'), p('one')]);
    expect(r.notes).toEqual(['A document of the reading order that is not XHTML (such as images) was left out.']);
  });

  it('reads XHTML an HTML parser would misread: an empty <title/>, self-closed elements', async () => {
    const r = await importEpub(epub([{ id: 'a', href: 'a.xhtml', body: xhtml('<p>before<a id="x"/> anchor</p><div/><p>after</p>', '<title/><link rel="stylesheet" href="s.css"/>') }]), {});
    expect(r.blocks).toEqual([p('before anchor'), p('after')]);
  });

  it('numbers EPUB 3 notes where they stand, their back links removed', async () => {
    const body = `<p>Text<a epub:type="noteref" href="#n1">1</a> and more<a role="doc-noteref" href="notes.xhtml#e1">[a]</a>.</p>
      <aside epub:type="footnote" id="n1"><p>An aside note. <a role="doc-backlink" href="#r1">↩</a></p></aside>`;
    const notes = `<section epub:type="endnotes"><ol><li epub:type="endnote" id="e1"><p>First endnote.</p></li><li epub:type="endnote" id="e2">Second, <em>no</em> paragraph.</li></ol></section>`;
    const r = await importEpub(epub([{ id: 'a', href: 'a.xhtml', body: xhtml(body) }, { id: 'n', href: 'notes.xhtml', body: xhtml(notes) }]), {});
    expect(r.blocks).toEqual([p('Text[1] and more[a].'), p('[1] An aside note.'), p('[1] First endnote.'), p('[2] Second, no paragraph.')]);
    expect(r.notes).toEqual(['1 footnote and 2 endnotes were kept as paragraphs numbered as their references in the text are (“[1]”).']);
  });

  it('takes the publication date among EPUB 2 dates, all creators, and only a web address as URL', async () => {
    const metadata = `<dc:title>Book</dc:title><dc:title>Subtitle</dc:title><dc:creator opf:role="aut">Ana Lima</dc:creator><dc:creator>Kim Ji-woo</dc:creator><dc:creator>Ana Lima</dc:creator>
      <dc:date opf:event="creation">2001-01-01</dc:date><dc:date opf:event="publication">1999-12</dc:date><dc:identifier>urn:isbn:9780000000000</dc:identifier><dc:identifier>javascript:alert(1)</dc:identifier>`;
    const r = await importEpub(epub([{ id: 'a', href: 'a.xhtml', body: xhtml('<p>x</p>') }], { metadata }), {});
    expect(r.meta).toEqual({ title: 'Book', author: 'Ana Lima; Kim Ji-woo', publication: '', date: '1999-12', url: '' });
  });
});

describe('hostile EPUB books', () => {
  const chapter = { id: 'a', href: 'a.xhtml', body: xhtml('<p>x</p>') };

  it('refuses paths that lead outside the archive', async () => {
    expect(await refusal(epub([chapter], { opfPath: '../content.opf' }))).toMatch(/it holds an entry whose name leads outside the archive/);
    const outside = epub([chapter], { files: { 'META-INF/container.xml': strToU8(container('../content.opf')) } });
    expect(await refusal(outside)).toBe('The file cannot be read as a EPUB book: its container.xml points outside the book (“../content.opf”).');
    for (const href of ['../../etc/passwd', '/etc/passwd', 'file:///etc/passwd', 'https://example.org/chapter.xhtml']) {
      expect(await refusal(epub([{ id: 'a', href }]))).toBe(`The file cannot be read as a EPUB book: its package document points outside the book (“${href}”).`);
    }
  });

  it('refuses a wrong mimetype, a missing container, package or chapter', async () => {
    expect(await refusal(epub([chapter], { mimetype: 'application/zip' }))).toMatch(/its mimetype is “application\/zip”, not “application\/epub\+zip”/);
    expect(await refusal(repack(pandoc, { 'META-INF/container.xml': null }))).toMatch(/it has no “META-INF\/container.xml”/);
    expect(await refusal(repack(pandoc, { 'EPUB/content.opf': null }))).toMatch(/it has no “EPUB\/content.opf”, the package document its container.xml names/);
    expect(await refusal(repack(pandoc, { 'EPUB/text/ch001.xhtml': null }))).toMatch(/its chapter “EPUB\/text\/ch001.xhtml” is missing/);
    expect(await refusal(epub([chapter], { spine: ['a', 'ghost'] }))).toMatch(/its spine names “ghost”, which its manifest does not list/);
    expect(await refusal(fixture('interview.pandoc.odt'))).toMatch(/its mimetype is “application\/vnd.oasis.opendocument.text”/);
  });

  it('refuses a DTD in the package document, and never expands one in a chapter', async () => {
    const opf = strFromU8(unzipSync(pandoc)['EPUB/content.opf']!).replace('?>', '?><!DOCTYPE package [<!ENTITY x SYSTEM "file:///etc/passwd">]>');
    expect(await refusal(repack(pandoc, { 'EPUB/content.opf': opf }))).toMatch(/its part “EPUB\/content.opf” has a DOCTYPE/);
    const dtd = '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd"><!ENTITY y "expanded">]><html><body><p>a &x; b &y; c &amp;</p></body></html>';
    const r = await importEpub(epub([{ id: 'a', href: 'a.xhtml', body: dtd }]), {});
    expect(r.blocks).toEqual([p('a &x; b &y; c &')]);
  });

  it('reads a chapter nested 100,000 levels deep as text, without running out of stack', async () => {
    const deep = xhtml('<div>'.repeat(100_000) + 'deep text' + '</div>'.repeat(100_000));
    // Stored: so repetitive a chapter would compress past the ratio limit, which is tested elsewhere.
    const bytes = epub([{ id: 'a', href: 'a.xhtml' }], { files: { 'OEBPS/a.xhtml': [strToU8(deep), { level: 0 }] } });
    // A recursive walk would reject with a RangeError, and the text would not come out.
    expect((await importEpub(bytes, {})).blocks).toEqual([p('deep text')]);
  }, 60_000);

  it('reads pathological markup: a million attributes, 100,000 notes and back links', async () => {
    const attrs = xhtml(`<p>x<span${' a=b'.repeat(1_000_000)}/>y</p><div${' c'.repeat(1_000_000)}>z</div>`);
    const notes = xhtml(`<p>${'<a role="doc-backlink" href="#r">↩</a>'.repeat(100_000)}text</p><ol>${'<li role="doc-endnote">n</li>'.repeat(100_000)}</ol>`);
    const files: Zippable = { 'OEBPS/a.xhtml': [strToU8(attrs), { level: 0 }], 'OEBPS/b.xhtml': [strToU8(notes), { level: 0 }] };
    const r = await importEpub(epub([{ id: 'a', href: 'a.xhtml' }, { id: 'b', href: 'b.xhtml' }], { files }), {});
    expect(r.blocks.slice(0, 4)).toEqual([p('xy'), p('z'), p('text'), p('[1] n')]);
    expect(r.blocks.at(-1)).toEqual(p('[100000] n'));
    // No clock: the outcome is checked; the timeout guards against work quadratic in these
    // counts (10^10 steps and more), and how fast the linear work is belongs to the benchmarks.
  }, 60_000);

  it('limits the number of chapters and their markup', async () => {
    expect(await refusal(epub([chapter], { spine: Array.from({ length: 5001 }, () => 'a') }))).toMatch(/its spine lists 5,001 documents; the limit is 5,000/);
    const big = `<p>${'word '.repeat(2_700_000)}</p>`;
    const files: Zippable = { 'OEBPS/a.xhtml': [strToU8(big), { level: 0 }], 'OEBPS/b.xhtml': [strToU8(big), { level: 0 }] };
    expect(await refusal(epub([{ id: 'a', href: 'a.xhtml' }, { id: 'b', href: 'b.xhtml' }], { files }))).toMatch(/its chapters come to more than 24 MB of markup/);
  });
});

describe('fuzzed EPUB books', () => {
  it('300 mutations of the fixture each import or are refused, never crash', async () => {
    const rnd = prng(18850101);
    const parts = unzipSync(pandoc);
    const outcomes = { ok: 0, refused: 0 };
    for (let i = 0; i < 300; i++) {
      let bytes: Uint8Array;
      if (i % 3 === 0) bytes = mutateBytes(pandoc, rnd);
      else {
        const name = i % 3 === 1 ? 'EPUB/text/ch002.xhtml' : 'EPUB/content.opf';
        bytes = repack(pandoc, { [name]: mutateXml(strFromU8(parts[name]!), rnd, ['<p>', '</p>', '<ol>', '<li epub:type="footnote">', '<a epub:type="noteref" href="#fn1">', '<itemref idref="nav"/>', '<item id="x" href="../x"/>']) });
      }
      outcomes[await outcome(importEpub(bytes, {}))]++;
    }
    expect(outcomes.ok).toBeGreaterThan(10);
    expect(outcomes.refused).toBeGreaterThan(10);
    // What is checked is each outcome, not the speed; the timeout only guards against a hang.
  }, 60_000);
});
