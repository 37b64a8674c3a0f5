/**
 * The codebook as a file for other people and other programs: a REFI-QDA codebook (`.qdc`, the
 * exchange format of ATLAS.ti, MAXQDA, NVivo, QualCoder…), CSV for spreadsheets, and Markdown
 * for reading. Pure functions from the list of codes to the file's text; the caller writes it.
 *
 * Every format lists the codes in tree order (parents before children, siblings in codebook
 * order), and every export of the same codebook is the same text on every machine: codes keep
 * their GUIDs from one export to the next, so a later import can match them back.
 */
import { createHash } from 'node:crypto';
import { DOMImplementation, XMLSerializer, type Document, type Element } from '@xmldom/xmldom';
import { treeRows, type TreeRow } from '../../shared/codebook';
import type { Code } from '../../shared/model';
import { codePathNames } from '../../shared/order';
import { neutraliseFormula } from './export-csv';

/** A codebook that cannot be written in the asked format; the message is a sentence for the user. */
export class CodebookExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CodebookExportError';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The namespace of Gloss's name-based code GUIDs (RFC 9562 version 5). A random UUID chosen
 * once for Gloss; it must never change, or every export would give its codes new GUIDs.
 */
const GLOSS_CODE_NAMESPACE = '1d1beafe-245d-49e2-bd8e-ab3cb59dd8dd';

/**
 * A code's REFI-QDA GUID: its id, lower-cased, when that is already a UUID (codes made in
 * Gloss); otherwise (the bundled codebook's slugs such as `repression-tactic.surveillance`) the
 * version-5 UUID of the id in Gloss's namespace, so it is the same on every machine.
 */
export function codeGuid(id: string): string {
  if (UUID.test(id)) return id.toLowerCase();
  const namespace = Buffer.from(GLOSS_CODE_NAMESPACE.replace(/-/g, ''), 'hex');
  const bytes = createHash('sha1').update(namespace).update(id, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50; // version 5
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // variant 10 (RFC 9562)
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The codes in tree order. A code that is its own ancestor (a damaged codebook) is not below
 * any top-level code and would silently be left out, so it fails the export instead.
 */
function exportRows(codes: readonly Code[]): TreeRow[] {
  const rows = treeRows(codes);
  if (rows.length < codes.length) {
    const shown = new Set(rows.map((r) => r.code.id));
    const lost = codes.filter((c) => !shown.has(c.id)).map((c) => `"${c.name}"`);
    throw new CodebookExportError(`The codebook cannot be exported: its hierarchy is damaged, ${lost.join(', ')} ${lost.length === 1 ? 'lies' : 'lie'} below itself.`);
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// REFI-QDA codebook (.qdc)

const QDC_NAMESPACE = 'urn:QDA-XML:codebook:1.0';

/** What XML 1.0 cannot hold, even as a character reference: most C0 controls, U+FFFE/U+FFFF, lone surrogates. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

function describeChar(text: string): string {
  const c = NOT_XML_CHAR.exec(text)![0].codePointAt(0)!;
  return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
}

function checkXmlText(code: Code): void {
  for (const [field, text] of [
    ['name', code.name],
    ['definition', code.description],
  ] as const) {
    if (NOT_XML_CHAR.test(text)) {
      throw new CodebookExportError(`The code "${code.name}" cannot be written as REFI-QDA: its ${field} holds the character ${describeChar(text)}, which XML cannot hold. Remove it and export again.`);
    }
  }
}

/** The XSD's `RGBType`: `#RRGGBB` (written upper-case, as ATLAS.ti and QualCoder do). */
function qdcColor(code: Code): string {
  if (!/^#[0-9a-fA-F]{6}$/.test(code.color)) throw new CodebookExportError(`The code "${code.name}" cannot be written as REFI-QDA: its colour "${code.color}" is not of the form #rrggbb.`);
  return code.color.toUpperCase();
}

/**
 * The codebook as a REFI-QDA codebook file (QDA-XML 1.0, `urn:QDA-XML:codebook:1.0`): UTF-8
 * text with an XML declaration, root `CodeBook` with `origin`, the codes nested as in the tree.
 * Every code is codable (Gloss has no folder-only codes); a code's definition is its
 * `Description`, with line breaks as LF. Throws a `CodebookExportError` rather than write a file
 * other programs would refuse: for an empty codebook (the schema needs at least one code), for a
 * character XML cannot hold, or for a damaged hierarchy.
 */
export function codebookToQdc(codes: readonly Code[], origin: string): string {
  if (codes.length === 0) throw new CodebookExportError('The codebook has no codes, and a REFI-QDA codebook must hold at least one: add a code first.');
  if (NOT_XML_CHAR.test(origin)) throw new CodebookExportError(`The origin cannot be written as REFI-QDA: it holds the character ${describeChar(origin)}, which XML cannot hold.`);
  const rows = exportRows(codes);

  const guids = new Map<string, Code>();
  for (const { code } of rows) {
    checkXmlText(code);
    const guid = codeGuid(code.id);
    const other = guids.get(guid);
    if (other) throw new CodebookExportError(`The codes "${other.name}" and "${code.name}" would get the same GUID ${guid}: their ids differ only in case.`);
    guids.set(guid, code);
  }

  const doc = new DOMImplementation().createDocument(QDC_NAMESPACE, 'CodeBook', null);
  const root = doc.documentElement!;
  root.setAttribute('origin', origin);
  const codesEl = child(doc, root, 'Codes', 1);

  // Rows come parents first, so each code's parent element exists when the code is added.
  const elements = new Map<string | null, Element>([[null, codesEl]]);
  for (const { code, depth } of rows) {
    const parentKey = depth === 0 ? null : code.parentId;
    const el = child(doc, elements.get(parentKey)!, 'Code', depth + 2);
    el.setAttribute('guid', codeGuid(code.id));
    el.setAttribute('name', code.name);
    el.setAttribute('isCodable', 'true');
    el.setAttribute('color', qdcColor(code));
    if (code.description !== '') child(doc, el, 'Description', depth + 3).appendChild(doc.createTextNode(code.description.replace(/\r\n?/g, '\n')));
    elements.set(code.id, el);
  }
  closeIndents(root, 0);

  // requireWellFormed: a second guard, should a character slip past the checks above.
  const xml = new XMLSerializer().serializeToString(doc, { requireWellFormed: true });
  // Some readers (xmldom among them) turn NEL, LS and PS into line feeds, as XML 1.1 does; a
  // character reference keeps them. They can only occur in names and definitions here.
  const kept = xml.replace(/[\u0085\u2028\u2029]/g, (c) => `&#x${c.charCodeAt(0).toString(16).toUpperCase()};`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${kept}\n`;
}

const INDENT = '  ';

/** Appends a new element to `parent`, on its own line at `depth`. */
function child(doc: Document, parent: Element, name: string, depth: number): Element {
  parent.appendChild(doc.createTextNode(`\n${INDENT.repeat(depth)}`));
  const el = doc.createElementNS(QDC_NAMESPACE, name);
  parent.appendChild(el);
  return el;
}

/** Puts each closing tag of an element with children on its own line (whitespace only, which the schema allows). */
function closeIndents(el: Element, depth: number): void {
  const kids = Array.from(el.childNodes).filter((n): n is Element => n.nodeType === n.ELEMENT_NODE);
  if (kids.length === 0) return;
  for (const k of kids) closeIndents(k, depth + 1);
  el.appendChild(el.ownerDocument!.createTextNode(`\n${INDENT.repeat(depth)}`));
}

// ---------------------------------------------------------------------------------------------
// CSV

/** Between the names of a code path, outermost first: `Repression tactic › Surveillance`. */
const PATH_SEPARATOR = ' › ';

/** The CSV's header row, in column order; `passages` only when counts are given. */
export const CODEBOOK_CSV_COLUMNS: readonly string[] = Object.freeze(['path', 'name', 'parent_path', 'colour', 'shortcut', 'definition', 'guid']);

/** RFC 4180 quoting, as the coded-passages export does it (see export-csv.ts). */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The codebook as CSV (RFC 4180, CRLF, a header row): one row per code in tree order, with its
 * path, name, parent's path, colour, shortcut, definition and GUID, and, when `counts` (passages
 * per code id) is given, its number of passages. Text cells are neutralised against formula
 * injection as in the coded-passages export (`neutraliseFormula`).
 */
export function codebookToCsv(codes: readonly Code[], counts?: ReadonlyMap<string, number>): string {
  const byId = new Map(codes.map((c) => [c.id, c]));
  const header = counts ? [...CODEBOOK_CSV_COLUMNS, 'passages'] : [...CODEBOOK_CSV_COLUMNS];
  const lines = [header.join(',')];
  for (const { code } of exportRows(codes)) {
    const names = codePathNames(byId, code.id);
    const text = [names.join(PATH_SEPARATOR), code.name, names.slice(0, -1).join(PATH_SEPARATOR), code.color, code.shortcut ?? '', code.description, codeGuid(code.id)];
    const cells = text.map((t) => csvField(neutraliseFormula(t)));
    if (counts) cells.push(String(counts.get(code.id) ?? 0));
    lines.push(cells.join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

// ---------------------------------------------------------------------------------------------
// Markdown

/**
 * Backslash-escapes what CommonMark could read as markup inside a line (emphasis, code, links,
 * images, HTML, entities, GFM tables and strike-through), so the text shows as typed.
 */
function escapeInline(text: string): string {
  return text.replace(/[\\`*_[\]()<>!&|~#]/g, '\\$&');
}

/** Also escapes what would start a block at the beginning of a line: lists, headings, quotes, setext underlines. */
function escapeLine(line: string): string {
  const escaped = escapeInline(line.trim());
  return escaped.replace(/^(\d+)([.)])/, '$1\\$2').replace(/^[-+=]/, '\\$&');
}

/**
 * The codebook as a Markdown document for reading: a heading `<title> codebook`, then the tree as
 * a nested bullet list, each code's name in bold followed by its definition. A definition's line
 * breaks are kept (as hard breaks) and its blank lines separate paragraphs under the bullet; text
 * is escaped, so names and definitions show literally, never as markup.
 */
export function codebookToMarkdown(codes: readonly Code[], title: string): string {
  const out = [`# ${escapeInline(title.replace(/\s+/g, ' ').trim())} codebook`, ''];
  const rows = exportRows(codes);
  if (rows.length === 0) out.push('This codebook has no codes.');
  for (const { code, depth } of rows) {
    const indent = INDENT.repeat(depth);
    const body = `${indent}${INDENT}`;
    const paragraphs = code.description
      .split(/\r\n?|\n/)
      .reduce<string[][]>((acc, line) => {
        if (line.trim() === '') acc.push([]);
        else acc[acc.length - 1]!.push(escapeLine(line));
        return acc;
      }, [[]])
      .filter((p) => p.length > 0)
      .map((p) => p.join(`\\\n${body}`));
    const name = `**${escapeInline(code.name.replace(/\s+/g, ' ').trim())}**`;
    out.push(paragraphs.length === 0 ? `${indent}- ${name}` : `${indent}- ${name} — ${paragraphs[0]}`);
    for (const p of paragraphs.slice(1)) out.push('', `${body}${p}`);
  }
  return `${out.join('\n')}\n`;
}
