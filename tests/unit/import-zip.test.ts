import { readFileSync } from 'node:fs';
import { zipSync, type Zippable } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { ImportFailure } from '../../main/core/import/types';
import { XML_LIMITS, checkXml, parseXml } from '../../main/core/import/xml';
import { INFLATE_SLICE, ZIP_LIMITS, ZipArchive, inflateWork, resolveInArchive } from '../../main/core/import/zip';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../fixtures/import/${name}`, import.meta.url)));
const open = (bytes: Uint8Array): ZipArchive => ZipArchive.open(bytes, 'test archive');
const fail = (p: string): ImportFailure => new ImportFailure(p);

/** Where each central directory header is, by entry name. */
function central(bytes: Uint8Array): Map<string, number> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = bytes.length - 22;
  while (view.getUint32(end, true) !== 0x06054b50) end--;
  const out = new Map<string, number>();
  let at = view.getUint32(end + 16, true);
  for (let i = 0; i < view.getUint16(end + 10, true); i++) {
    const nameLen = view.getUint16(at + 28, true);
    out.set(Buffer.from(bytes.subarray(at + 46, at + 46 + nameLen)).toString('utf8'), at);
    at += 46 + nameLen + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return out;
}

/** Sets a 16- or 32-bit field of an entry's central header, and the same field of its local header. */
function patch(bytes: Uint8Array, name: string, field: 'method' | 'flags' | 'crc' | 'compressedSize' | 'size', value: number, both = true): Uint8Array {
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  const at = central(out).get(name)!;
  const local = view.getUint32(at + 42, true);
  const [c, l, wide] = { flags: [8, 6, false], method: [10, 8, false], crc: [16, 14, true], compressedSize: [20, 18, true], size: [24, 22, true] }[field] as [number, number, boolean];
  const set = (off: number): void => (wide ? view.setUint32(off, value, true) : view.setUint16(off, value, true));
  set(at + c);
  if (both) set(local + l);
  return out;
}

/** What `f` had the zip reader inflate: compressed bytes fed to the inflater, and bytes it gave back. */
function inflatedBy(f: () => unknown): { fed: number; produced: number } {
  const before = { ...inflateWork };
  f();
  return { fed: inflateWork.fed - before.fed, produced: inflateWork.produced - before.produced };
}

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ImportFailure);
    return (e as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('the guarded zip reader', () => {
  it('lists files (not folders) and reads them, checked', () => {
    const z = open(zipSync({ 'a.txt': enc('hello'), 'dir/': new Uint8Array(0), 'dir/b.xml': enc('<b/>'.repeat(1000)) }));
    expect(z.names()).toEqual(['a.txt', 'dir/b.xml']);
    expect(z.readText('a.txt')).toBe('hello');
    expect(z.readText('dir/b.xml')).toBe('<b/>'.repeat(1000));
    expect(z.has('dir/')).toBe(false);
    expect(refusal(() => z.read('missing.xml'))).toBe('The file cannot be read as a test archive: it has no “missing.xml”.');
    expect(refusal(() => z.read('dir/b.xml', 100))).toMatch(/“dir\/b.xml” is too large \(0.00 MB; the limit is 0.00 MB\)/);
  });

  it('reads stored entries and UTF-16 text with a byte-order mark', () => {
    const z = open(zipSync({ 's.txt': [enc('stored'), { level: 0 }], 'u.xml': Uint8Array.from([0xff, 0xfe, 0x3c, 0, 0x61, 0, 0x2f, 0, 0x3e, 0]) }));
    expect(z.readText('s.txt')).toBe('stored');
    expect(z.readText('u.xml')).toBe('<a/>');
  });

  it('refuses bytes that are not a zip, and a zip cut in half', () => {
    let seed = 7;
    const random = Uint8Array.from({ length: 5000 }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
    expect(refusal(() => open(random))).toBe('The file cannot be read as a test archive: it is not a zip archive, or it is damaged or cut short (its directory is missing).');
    const docx = fixture('interview.pandoc.docx');
    expect(refusal(() => open(docx.subarray(0, docx.length >> 1)))).toMatch(/it is not a zip archive, or it is damaged or cut short/);
    expect(refusal(() => open(new Uint8Array(0)))).toMatch(/not a zip archive/);
  });

  it.each([
    ['../evil', 'an entry whose name leads outside the archive (“../evil”)'],
    ['word/../../evil', 'an entry whose name leads outside the archive (“word/../../evil”)'],
    ['/abs', 'an entry with an absolute path (“/abs”)'],
    ['C:/Windows/x', 'an entry with an absolute path (“C:/Windows/x”)'],
    ['word\\document.xml', 'an entry with a backslash in its name (“word\\document.xml”)'],
    ['a\0b', 'an entry whose name holds a NUL character'],
    ['a\u0007b', 'an entry whose name holds control characters'],
  ])('refuses an entry named %j', (name, problem) => {
    const bytes = zipSync({ 'ok.xml': enc('<a/>'), [name]: enc('x') });
    expect(refusal(() => open(bytes))).toBe(`The file cannot be read as a test archive: it holds ${problem}.`);
  });

  it('refuses two entries of the same name', () => {
    const bytes = zipSync({ 'a.xml': enc('<a/>'), 'b.xml': enc('<b/>') });
    // Rename b.xml to a.xml in both its headers (same length, so nothing moves).
    const s = Buffer.from(bytes).toString('latin1').replaceAll('b.xml', 'a.xml');
    expect(refusal(() => open(Uint8Array.from(Buffer.from(s, 'latin1'))))).toMatch(/it holds two entries named “a.xml”/);
  });

  it(`refuses more than ${ZIP_LIMITS.entries.toLocaleString('en')} entries`, () => {
    const files: Zippable = {};
    for (let i = 0; i <= ZIP_LIMITS.entries; i++) files[`f${i}`] = new Uint8Array(0);
    expect(refusal(() => open(zipSync(files)))).toMatch(/it holds 10,001 files; the limit is 10,000/);
  });

  it('refuses an entry whose headers disagree, that overlaps another, or that is encrypted or oddly compressed', () => {
    const bytes = zipSync({ 'a.xml': enc('<a>'.repeat(100)), 'b.xml': enc('<b/>') });
    const view = new DataView(bytes.buffer);
    const swapped = bytes.slice();
    swapped.set(enc('c.xml'), view.getUint32(central(bytes).get('a.xml')! + 42, true) + 30);
    expect(refusal(() => open(swapped))).toMatch(/“a.xml” is damaged \(its two headers disagree\)/);
    const size = view.getUint32(central(bytes).get('a.xml')! + 20, true);
    expect(refusal(() => open(patch(bytes, 'a.xml', 'compressedSize', size + 40, false)))).toMatch(/“b.xml” overlaps another entry/);
    expect(refusal(() => open(patch(bytes, 'a.xml', 'flags', 1)).read('a.xml'))).toMatch(/“a.xml” is encrypted/);
    expect(refusal(() => open(patch(bytes, 'a.xml', 'method', 12)).read('a.xml'))).toMatch(/“a.xml” is compressed with a method Gloss cannot read \(method 12\)/);
  });

  it('refuses an entry with a bad checksum, or fewer bytes than it declares', () => {
    const bytes = zipSync({ 'a.xml': enc('<a>text</a>'.repeat(50)) });
    const crc = new DataView(bytes.buffer).getUint32(central(bytes).get('a.xml')! + 16, true);
    expect(refusal(() => open(patch(bytes, 'a.xml', 'crc', crc ^ 1)).read('a.xml'))).toBe('The file cannot be read as a test archive: “a.xml” is damaged (its checksum does not match).');
    expect(refusal(() => open(patch(bytes, 'a.xml', 'size', 560)).read('a.xml'))).toBe('The file cannot be read as a test archive: “a.xml” is damaged: it holds 550 bytes where it says 560.');
    expect(refusal(() => open(patch(bytes, 'a.xml', 'size', 540)).read('a.xml'))).toMatch(/“a.xml” is damaged or unsafe: it holds more data than it says/);
  });

  it('resolves hrefs inside the archive only', () => {
    expect(resolveInArchive('OEBPS/content.opf', 'text/ch%201.xhtml#top')).toBe('OEBPS/text/ch 1.xhtml');
    expect(resolveInArchive('OEBPS/text/a.xhtml', '../images/b.png')).toBe('OEBPS/images/b.png');
    expect(resolveInArchive('', 'content.opf')).toBe('content.opf');
    // Escaped dots are dots.
    expect(resolveInArchive('OEBPS/content.opf', '%2e%2e/x')).toBe('x');
    expect(resolveInArchive('content.opf', '%2e%2e/x')).toBeNull();
    for (const href of ['../../content.opf', 'a/../../../b', '/etc/passwd', 'file:///etc/passwd', 'https://example.org/x', 'a\\b', '%zz', '', '#only-a-fragment']) {
      expect(resolveInArchive('OEBPS/content.opf', href)).toBeNull();
    }
  });
});

describe('zip bombs', () => {
  let bomb: Uint8Array;
  beforeAll(() => {
    // 200 MB of zeros: compressed at any level it comes to ~200 KB (deflate's ~1,000:1 ceiling).
    bomb = zipSync({ 'word/document.xml': new Uint8Array(200 * 1024 * 1024) }, { level: 1 });
    expect(bomb.length).toBeLessThan(250_000);
  }, 20_000);

  it('refuses a 200 MB entry from its declared size, before inflating anything', () => {
    let message = '';
    expect(inflatedBy(() => (message = refusal(() => open(bomb))))).toEqual({ fed: 0, produced: 0 });
    expect(message).toBe('The file cannot be read as a test archive: “word/document.xml” would unpack to 200 MB; the limit is 64 MB.');
  });

  it('refuses a compression ratio no document has, before inflating anything', () => {
    let message = '';
    expect(inflatedBy(() => (message = refusal(() => open(patch(bomb, 'word/document.xml', 'size', 50 * 1024 * 1024)))))).toEqual({ fed: 0, produced: 0 });
    expect(message).toMatch(/“word\/document.xml” is compressed 256 to 1, which only a zip bomb is; the limit is 200 to 1/);
  });

  it('stops inflating an entry that lies about its size as soon as it passes it', () => {
    const lying = patch(bomb, 'word/document.xml', 'size', 1000);
    const z = open(lying);
    let message = '';
    const work = inflatedBy(() => (message = refusal(() => z.read('word/document.xml'))));
    expect(message).toBe('The file cannot be read as a test archive: “word/document.xml” is damaged or unsafe: it holds more data than it says.');
    // One slice of the ~200 KB of deflate fed, and what it gave back: at most deflate's ceiling
    // of ~1,032:1, where reading the whole entry would inflate 200 MB.
    expect(work.fed).toBe(INFLATE_SLICE);
    expect(work.produced).toBeGreaterThan(1000);
    expect(work.produced).toBeLessThanOrEqual(1032 * INFLATE_SLICE);
    expect(z.entry('word/document.xml')!.compressedSize).toBeGreaterThan(40 * INFLATE_SLICE);
    // The count is of real work: an honest entry is fed whole, and gives back its size.
    const honest = zipSync({ 'a.xml': enc('<a/>'.repeat(100_000)) });
    expect(inflatedBy(() => open(honest).read('a.xml'))).toEqual({ fed: open(honest).entry('a.xml')!.compressedSize, produced: 400_000 });
  });

  it('refuses the total an archive may unpack to', () => {
    const files: Zippable = {};
    // Declared sizes only: 260 entries of 1 MB each (small enough to compress as they like).
    for (let i = 0; i < 260; i++) files[`m${i}.png`] = [new Uint8Array(1), { level: 0 }];
    let bytes: Uint8Array = zipSync(files);
    for (let i = 0; i < 260; i++) bytes = patch(bytes, `m${i}.png`, 'size', 1024 * 1024, false);
    expect(refusal(() => open(bytes))).toMatch(/its files would unpack to more than 256 MB/);
  });
});

describe('XML parts', () => {
  it('refuses a DOCTYPE, so no entity is ever declared or fetched', () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>';
    expect(refusal(() => parseXml(xxe, 'content.xml', fail))).toMatch(/^its part “content.xml” has a DOCTYPE/);
    const billion = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><r>&lol2;</r>';
    expect(refusal(() => parseXml(billion, 'a.xml', fail))).toMatch(/has a DOCTYPE/);
    // An entity without a DTD is not expanded: the part is not well-formed.
    expect(refusal(() => parseXml('<r>&x;</r>', 'a.xml', fail))).toMatch(/^its part “a.xml” is not well-formed XML \(.*entity.*\)$/);
    // Markup inside comments and CDATA is not a DOCTYPE.
    expect(() => parseXml('<r><!-- <!DOCTYPE x> --><![CDATA[<!DOCTYPE y>]]></r>', 'a.xml', fail)).not.toThrow();
  });

  it('refuses nesting past the limit without running out of stack', () => {
    const deep = '<r>' + '<a>'.repeat(100_000) + 'x' + '</a>'.repeat(100_000) + '</r>';
    // An ImportFailure naming the depth, not a RangeError from a recursive walk (refusal checks).
    expect(refusal(() => checkXml(deep, 'content.xml', fail))).toBe(`its part “content.xml” nests elements more than ${XML_LIMITS.depth} levels deep, which no real document does`);
    const ok = '<r>' + '<a>'.repeat(XML_LIMITS.depth - 1) + '</a>'.repeat(XML_LIMITS.depth - 1) + '</r>';
    expect(() => checkXml(ok, 'a.xml', fail)).not.toThrow();
  });

  it('counts tags past quoted attributes that hold ">" and refuses too many', () => {
    expect(() => checkXml(`<r>${'<a t=">"><b/></a>'.repeat(1000)}</r>`, 'a.xml', fail)).not.toThrow();
    expect(refusal(() => checkXml(`<r>${'<a/>'.repeat(XML_LIMITS.tags)}</r>`, 'a.xml', fail))).toMatch(/more than 500,000 elements/);
  });

  it('names the first error of a malformed part', () => {
    expect(refusal(() => parseXml('<r><a></r>', 'word/document.xml', fail))).toMatch(/^its part “word\/document.xml” is not well-formed XML \(.+\)$/);
    expect(refusal(() => parseXml('not xml at all', 'a.xml', fail))).toMatch(/is not well-formed XML/);
  });
});
