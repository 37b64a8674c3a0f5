import { DOMParser, ParseError, type Document, type Element, type Node } from '@xmldom/xmldom';
import { IMPORT_LIMITS, ImportFailure, isoDate, type ImportedText } from './types';
import type { ZipArchive } from './zip';

/**
 * Safe reading of the XML parts of zipped documents. Every part is scanned before a parser sees
 * it: a DOCTYPE is refused outright (so no entity is ever declared, expanded or fetched), and so
 * are parts with more elements or deeper nesting than the limits below, which bounds both the
 * parser's time and the depth of every walk over the tree. xmldom then parses with an error
 * handler that throws, as it would otherwise only log.
 */

export const XML_LIMITS = {
  /**
   * Tags in one part. xmldom needs about 25 µs per element here, so this bounds a parse to
   * ~12 s; a 300-page book's content.xml has some 50,000.
   */
  tags: 500_000,
  /** Nesting: real documents stay under 40 (tables in tables); walks may recurse this deep. */
  depth: IMPORT_LIMITS.depth,
} as const;

const ATTR_OR_END = /["'>]/g;

/**
 * Refuses a part with a DOCTYPE, too many tags or too deep nesting (see the module comment).
 * `fail` words the problem for the user.
 */
export function checkXml(xml: string, where: string, fail: (problem: string) => ImportFailure): void {
  let depth = 0;
  let tags = 0;
  let i = xml.indexOf('<');
  while (i !== -1) {
    let close: string | null = null;
    if (xml.startsWith('<!--', i)) close = '-->';
    else if (xml.startsWith('<![CDATA[', i)) close = ']]>';
    else if (xml.startsWith('<?', i)) close = '?>';
    else if (xml.slice(i, i + 9).toUpperCase() === '<!DOCTYPE') {
      throw fail(`its part “${where}” has a DOCTYPE, which no document of this kind needs; Gloss refuses DTDs, as they can make a file read other files or grow without bound`);
    }
    if (close !== null) {
      const end = xml.indexOf(close, i + 2);
      if (end === -1) return; // unterminated: the parser will call it malformed
      i = xml.indexOf('<', end + close.length);
      continue;
    }
    // To the tag's '>', skipping quoted attribute values (which may hold '>').
    ATTR_OR_END.lastIndex = i + 1;
    let end = -1;
    for (let m = ATTR_OR_END.exec(xml); m; m = ATTR_OR_END.exec(xml)) {
      if (m[0] === '>') {
        end = m.index;
        break;
      }
      const q = xml.indexOf(m[0], m.index + 1);
      if (q === -1) return;
      ATTR_OR_END.lastIndex = q + 1;
    }
    if (end === -1) return;
    if (xml[i + 1] === '/') depth--;
    else if (xml[i + 1] !== '!' && xml[end - 1] !== '/') {
      if (++depth > XML_LIMITS.depth) throw fail(`its part “${where}” nests elements more than ${XML_LIMITS.depth} levels deep, which no real document does`);
    }
    if (++tags > XML_LIMITS.tags) throw fail(`its part “${where}” has more than ${XML_LIMITS.tags.toLocaleString('en')} elements; Gloss does not import documents that large`);
    i = xml.indexOf('<', end + 1);
  }
}

/** Parses XML that `checkXml` accepts; a malformed part is an ImportFailure naming it. */
export function parseXml(xml: string, where: string, fail: (problem: string) => ImportFailure): Document {
  checkXml(xml, where, fail);
  let first: string | null = null;
  const parser = new DOMParser({
    // XML 1.0 line ends only: xmldom's default also turns NEL, LS and PS into LF, as XML 1.1 does.
    normalizeLineEndings: (s) => s.replace(/\r\n?/g, '\n'),
    onError: (level, message) => {
      // Text that really holds U+FFFD is well-formed.
      if (level === 'warning' && message.startsWith('Unicode replacement character')) return;
      first ??= message;
      throw new ParseError(message);
    },
  });
  try {
    const doc = parser.parseFromString(xml, 'application/xml');
    if (!doc.documentElement) throw new ParseError('no root element');
    return doc;
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    const raw = ((first as string | null) ?? e.message).replace(/[\s!.]+$/, '').replace(/\s+/g, ' ');
    throw fail(`its part “${where}” is not well-formed XML (${raw.length > 120 ? `${raw.slice(0, 120)}…` : raw})`);
  }
}

/** Reads one part of an archive and parses it (see `parseXml`). */
export function readXml(zip: ZipArchive, name: string): Document {
  return parseXml(zip.readText(name), name, (p) => zip.fail(p));
}

/** The element children of `el`. */
export function elements(el: Node): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) out.push(n as Element);
  return out;
}

/** The first child element with this namespace and local name. */
export function child(el: Node, ns: string, local: string): Element | undefined {
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).namespaceURI === ns && (n as Element).localName === local) return n as Element;
  }
  return undefined;
}

/** The child elements with this namespace and local name. */
export function childrenNamed(el: Node, ns: string, local: string): Element[] {
  return elements(el).filter((c) => c.namespaceURI === ns && c.localName === local);
}

/** All text inside `el`, walked without recursion. */
export function textIn(el: Node): string {
  const parts: string[] = [];
  const stack: Node[] = [el];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.nodeType === 3 || n.nodeType === 4) parts.push((n as unknown as { data: string }).data);
    else for (let c = n.lastChild; c; c = c.previousSibling) stack.push(c);
  }
  return parts.join('');
}

/** An attribute by namespace, '' when absent. */
export function attrNS(el: Element, ns: string, local: string): string {
  return el.getAttributeNS(ns, local) ?? '';
}

/**
 * Publication, date and address from a document's custom properties (DOCX custom.xml, ODT
 * user-defined metadata), under the names authors and pandoc give them, lower-cased. These are
 * what the author states; the files' own created and modified times are not publication dates.
 */
export function customMeta(props: ReadonlyMap<string, string>): Pick<ImportedText['meta'], 'publication' | 'date' | 'url'> {
  const first = (...keys: string[]): string => keys.map((k) => props.get(k) ?? '').find((v) => v !== '') ?? '';
  const url = [first('url'), first('identifier'), first('source')].find((v) => /^https?:\/\/\S+$/i.test(v)) ?? '';
  return {
    publication: first('publication', 'publisher', 'journal'),
    date: isoDate(first('publication date', 'published', 'date')),
    url,
  };
}
