/**
 * Importing a REFI-QDA codebook (`.qdc`): pure functions from the file's text to a tree of codes
 * (`parseQdc`), from that tree and the project's codebook to a plan of what the import would do
 * (`planImport`), and from a plan to the codebook after it (`applyPlanToCodes`). The caller
 * reads the file, shows the plan and commits the result as one transaction.
 *
 * The parser is strict about what could hurt (any DOCTYPE is refused before the XML parser
 * runs, so no entity is ever declared, expanded or fetched; sizes, depth and counts are bounded;
 * characters Gloss cannot store are refused) and tolerant about what real tools get wrong (see
 * ../shared/refi-qda/NOTES.md §6: namespace variants, Taguette's empty `<Sets/>`, missing or odd
 * colours), reporting what it tolerated as warnings.
 */
import { DOMParser, ParseError, type Document, type Element } from '@xmldom/xmldom';
import { cleanName, nameKey, nameProblem } from '../../shared/codebook';
import type { Code } from '../../shared/model';
import { codePathNames } from '../../shared/order';
import { codeGuid } from './codebook-export';

/** A codebook file that cannot be imported; the message is a sentence for the user. */
export class CodebookImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CodebookImportError';
  }
}

/** The largest file read, in characters (UTF-16 code units) of its text: 10 MB. */
export const QDC_MAX_CHARS = 10 * 1024 * 1024;
/** The most codes one file may hold. */
export const QDC_MAX_CODES = 20_000;
/** The deepest a code may lie (top-level codes are at depth 1). */
export const QDC_MAX_DEPTH = 64;
/** The longest definition (`Description`) kept, as the API's limit. */
export const DEFINITION_MAX = 10_000;
/**
 * The most `<` a file may hold. The XML parser needs about 5 µs per element, so 10 MB of empty
 * elements would block for over ten seconds; 20,000 codes with a definition each need 80,000.
 */
export const QDC_MAX_TAGS = 400_000;

/** One code as the file has it. */
export interface ParsedCode {
  /** Lower-case 8-4-4-4-12, braces stripped. */
  guid: string;
  /** As stored (`cleanName`). */
  name: string;
  /** `#rrggbb`, lower-case; null when the file gives none or one that is not a colour. */
  color: string | null;
  /** The code's `Description`: LF line ends, NFC; '' when absent. */
  description: string;
  isCodable: boolean;
  children: ParsedCode[];
}

export interface ParsedCodebook {
  /** The program that wrote the file (`origin`), or null. */
  origin: string | null;
  /** The top-level codes, in file order. */
  codes: ParsedCode[];
  /** What was tolerated, each a sentence: dropped colours, ignored elements and sets. */
  warnings: string[];
}

// ---------------------------------------------------------------------------------------------
// Parsing

/**
 * The namespaces real tools write (NOTES.md §6.4): the spec's `urn:QDA-XML:codebook:1.0`, and
 * ATLAS.ti's `…:codebook:0:4`, NVivo Mac's `…:codebook:1:0`, and a `CodeBook` inside a
 * `urn:QDA-XML:project:1.0` project; any version is accepted, as QualCoder does. A U+2010
 * hyphen (pasted from the spec's PDF) counts as a hyphen.
 */
function qdaNamespace(ns: string | null): 'codebook' | 'project' | null {
  const m = /^urn:QDA-XML:(codebook|project):/i.exec((ns ?? '').replace(/[\u2010\u2011]/g, '-'));
  return m ? (m[1]!.toLowerCase() as 'codebook' | 'project') : null;
}

/** What XML 1.0 or Gloss cannot hold: C0 controls but tab, LF and CR; DEL; U+FFFE/U+FFFF; lone surrogates. */
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function unstorable(text: string): string | null {
  const m = UNSTORABLE.exec(text);
  if (!m) return null;
  const c = m[0].charCodeAt(0);
  const hex = `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
  if (c >= 0xd800 && c <= 0xdfff) return `${hex}, half of a surrogate pair without its other half, which is not a character`;
  if (c >= 0xfffe) return `${hex}, which is not a character`;
  return `${hex}, a control character that XML 1.0 does not allow`;
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * Refuses a DOCTYPE anywhere in the prolog (the only place XML allows one), before any parser
 * sees it: no DTD means no external entity and no entity expansion at all.
 */
function refuseDoctype(xml: string): void {
  let i = 0;
  for (;;) {
    while (i < xml.length && ' \t\r\n'.includes(xml[i]!)) i++;
    const close = xml.startsWith('<?', i) ? '?>' : xml.startsWith('<!--', i) ? '-->' : null;
    if (close) {
      const end = xml.indexOf(close, i + 2);
      if (end === -1) return; // left to the parser to call malformed
      i = end + close.length;
    } else if (xml.slice(i, i + 9).toUpperCase() === '<!DOCTYPE') {
      throw new CodebookImportError(`The file has a DOCTYPE (line ${lineOf(xml, i)}), which a REFI-QDA codebook never needs: Gloss refuses DTDs, as they can make a file read other files or grow without bound.`);
    } else {
      return;
    }
  }
}

function parseXml(xml: string): Document {
  let first: { message: string; line?: number; column?: number } | null = null;
  let replacementChar = false;
  const parser = new DOMParser({
    // XML 1.0 line ends only: xmldom's default also turns NEL, LS and PS into LF, as XML 1.1 does.
    normalizeLineEndings: (s) => s.replace(/\r\n?/g, '\n'),
    onError: (level, message, context) => {
      // Text that really holds U+FFFD is well-formed; it is reported, not refused.
      if (level === 'warning' && message.startsWith('Unicode replacement character')) {
        replacementChar = true;
        return;
      }
      const locator = (context as { locator?: { lineNumber?: number; columnNumber?: number } } | undefined)?.locator;
      first ??= { message, line: locator?.lineNumber, column: locator?.columnNumber };
      throw new CodebookImportError(message);
    },
  });
  let doc: Document;
  try {
    doc = parser.parseFromString(xml, 'application/xml');
  } catch (e) {
    if (!(e instanceof ParseError) && !(e instanceof CodebookImportError)) throw e;
    const f = first as { message: string; line?: number; column?: number } | null;
    const raw = (f?.message ?? (e as Error).message).replace(/[\s!.]+$/, '');
    // xmldom names every unclosed tag: keep the message short.
    const said = raw.length > 160 ? `${raw.slice(0, 160)}…` : raw;
    const where = f?.line ? ` (line ${f.line}${f.column ? `, column ${f.column}` : ''})` : '';
    throw new CodebookImportError(`The file is not well-formed XML${where}: ${said}.`);
  }
  if (replacementChar) (doc as unknown as { replacementChar?: boolean }).replacementChar = true;
  return doc;
}

function elementChildren(el: Element): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) out.push(n as Element);
  return out;
}

/** `Codes › A › B`, shortened in the middle when long (a 10,000-level path would drown the message). */
function showPath(names: readonly string[]): string {
  const parts = ['Codes', ...names];
  const shown = parts.length > 7 ? [...parts.slice(0, 3), '…', ...parts.slice(-3)] : parts;
  return `“${shown.join(' › ')}”`;
}

/** Collects what the parser tolerated and words it as a few sentences, however often it happened. */
class Tolerated {
  private colours: string[] = [];
  private codable: string[] = [];
  private unknown = new Map<string, number>();
  private extraDescriptions: string[] = [];
  sets = 0;
  noCodes = false;
  replacementChar = false;
  originDropped = false;

  colour(where: string, value: string): void {
    this.colours.push(`${where} (“${value.length > 20 ? `${value.slice(0, 20)}…` : value}”)`);
  }
  notCodable(where: string): void {
    this.codable.push(where);
  }
  element(name: string): void {
    this.unknown.set(name, (this.unknown.get(name) ?? 0) + 1);
  }
  extraDescription(where: string): void {
    this.extraDescriptions.push(where);
  }

  sentences(): string[] {
    const list = (items: string[]): string => (items.length <= 3 ? items.join(', ') : `${items.slice(0, 3).join(', ')} and ${items.length - 3} more`);
    const out: string[] = [];
    if (this.noCodes) out.push('The file holds no codes.');
    if (this.colours.length > 0) out.push(`Dropped ${this.colours.length === 1 ? 'a colour' : `${this.colours.length} colours`} not of the form #rrggbb: ${list(this.colours)}.`);
    if (this.codable.length > 0) out.push(`Read ${this.codable.length === 1 ? 'a code' : `${this.codable.length} codes`} without a valid isCodable as codable: ${list(this.codable)}.`);
    if (this.extraDescriptions.length > 0) out.push(`Kept only the first Description of ${list(this.extraDescriptions)}.`);
    if (this.unknown.size > 0) out.push(`Ignored elements Gloss does not read: ${[...this.unknown].map(([n, k]) => `${n} (${k})`).join(', ')}.`);
    if (this.sets > 0) out.push(`Ignored the file's ${this.sets === 1 ? 'code set' : `${this.sets} code sets`}: Gloss has no code sets.`);
    if (this.replacementChar) out.push('The file holds the replacement character U+FFFD, often a sign it was not saved as UTF-8: check the names for damaged letters.');
    if (this.originDropped) out.push('Dropped characters that cannot be stored from the origin.');
    return out;
  }
}

const GUID = /^(?:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})|\{([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\})$/i;
const COLOR = /^#([0-9a-f]{6}|[0-9a-f]{3})$/i;

function lcFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/**
 * Parses a REFI-QDA codebook's text (decoded from UTF-8; a byte-order mark is skipped) into its
 * tree of codes. Throws a `CodebookImportError` saying what is wrong and where for text that is
 * too large, not XML or malformed, holds a DOCTYPE, is not a QDA-XML codebook, has no `Codes`,
 * has a code without a usable name or GUID, two codes with one GUID, codes nested deeper than
 * 64 levels, more than 20,000 codes (or 400,000 tags), a definition over 10,000 characters, or
 * characters that cannot be stored (control characters, lone surrogates). A missing colour is
 * null without a warning (Taguette and ATLAS.ti write none); one that is not a colour is null
 * with a warning. Text inside elements within a `Description` is dropped, with a warning.
 */
export function parseQdc(text: string): ParsedCodebook {
  // Before anything else reads the text.
  if (text.length > QDC_MAX_CHARS) throw new CodebookImportError(`The file is larger than 10 MB (${(text.length / 1024 / 1024).toFixed(1)} MB), far larger than any codebook: Gloss does not import it.`);
  const xml = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const start = /\S/.exec(xml);
  if (!start || start[0] !== '<') throw new CodebookImportError('The file is not XML: a REFI-QDA codebook (.qdc) begins with “<”. Is it the right file?');
  refuseDoctype(xml);
  let tags = 0;
  for (let i = xml.indexOf('<'); i !== -1; i = xml.indexOf('<', i + 1)) {
    if (++tags > QDC_MAX_TAGS) throw new CodebookImportError(`The file holds more than ${QDC_MAX_TAGS.toLocaleString('en')} XML tags, far more than a codebook of at most ${QDC_MAX_CODES.toLocaleString('en')} codes needs: Gloss does not import it.`);
  }

  const doc = parseXml(xml);
  if (doc.doctype) throw new CodebookImportError('The file has a DOCTYPE, which a REFI-QDA codebook never needs: Gloss refuses DTDs.');
  const tolerated = new Tolerated();
  tolerated.replacementChar = (doc as unknown as { replacementChar?: boolean }).replacementChar === true;

  const root = doc.documentElement!;
  const rootKind = qdaNamespace(root.namespaceURI);
  let book: Element | undefined;
  if (root.localName === 'CodeBook' && rootKind) book = root;
  else if (root.localName === 'Project' && rootKind === 'project') {
    book = elementChildren(root).find((e) => e.localName === 'CodeBook' && e.namespaceURI === root.namespaceURI);
    if (!book) throw new CodebookImportError('The file is a REFI-QDA project without a CodeBook: it holds no codes to import.');
  } else {
    const ns = root.namespaceURI ? `in the namespace “${root.namespaceURI}”` : 'in no namespace';
    throw new CodebookImportError(`The file is not a REFI-QDA codebook: its root element is <${root.tagName}> ${ns}, where a codebook has <CodeBook> in “urn:QDA-XML:codebook:1.0”.`);
  }
  const ns = book.namespaceURI;
  const ours = (e: Element, local: string): boolean => e.localName === local && e.namespaceURI === ns;

  const originRaw = (root.getAttribute('origin') ?? '').replace(new RegExp(UNSTORABLE.source, 'g'), () => {
    tolerated.originDropped = true;
    return '';
  });
  const origin = cleanName(originRaw) || null;

  const codesEls: Element[] = [];
  for (const e of elementChildren(book)) {
    if (ours(e, 'Codes')) codesEls.push(e);
    else if (ours(e, 'Sets')) tolerated.sets += elementChildren(e).filter((s) => ours(s, 'Set')).length;
    else tolerated.element(e.tagName);
  }
  if (codesEls.length === 0) throw new CodebookImportError('The file has no Codes element, which every REFI-QDA codebook holds: it has no codes to import.');
  if (codesEls.length > 1) throw new CodebookImportError(`The file has ${codesEls.length} Codes elements (lines ${codesEls.map((e) => e.lineNumber).join(', ')}), where a REFI-QDA codebook has one.`);

  // Walked with a stack, parents before children in file order, so no depth can overflow the
  // call stack; the depth check stops the walk at 64 levels anyway.
  const top: ParsedCode[] = [];
  const guids = new Map<string, string>();
  let count = 0;
  type Item = { el: Element; path: string[]; siblings: ParsedCode[]; index: number };
  const stack: Item[] = [];
  const pushChildren = (parent: Element, path: string[], siblings: ParsedCode[]): void => {
    const kids: Item[] = [];
    for (const e of elementChildren(parent)) {
      if (ours(e, 'Code')) kids.push({ el: e, path, siblings, index: kids.length + 1 });
      else if (!(parent !== codesEls[0] && ours(e, 'Description'))) tolerated.element(e.tagName);
    }
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  };
  pushChildren(codesEls[0]!, [], top);

  while (stack.length > 0) {
    const { el, path, siblings, index } = stack.pop()!;
    const line = el.lineNumber ? ` (line ${el.lineNumber})` : '';
    const under = `the code number ${index} under ${showPath(path)}${line}`;
    if (++count > QDC_MAX_CODES) throw new CodebookImportError(`The file holds more than ${QDC_MAX_CODES.toLocaleString('en')} codes: Gloss imports at most ${QDC_MAX_CODES.toLocaleString('en')} at a time.`);

    const rawName = el.getAttribute('name');
    if (rawName === null) throw new CodebookImportError(`Cannot import ${under}: it has no name attribute, and a code needs a name.`);
    const badInName = unstorable(rawName);
    if (badInName) throw new CodebookImportError(`Cannot import ${under}: its name holds ${badInName}, and Gloss cannot store it.`);
    const problem = nameProblem(rawName);
    if (problem) throw new CodebookImportError(`Cannot import ${under}: ${lcFirst(problem)}`);
    const name = cleanName(rawName);
    const codePath = [...path, name];
    const where = `${showPath(codePath)}${line}`;

    if (codePath.length > QDC_MAX_DEPTH) throw new CodebookImportError(`The code ${where} lies ${codePath.length} levels deep: Gloss reads codes at most ${QDC_MAX_DEPTH} levels deep.`);

    const rawGuid = el.getAttribute('guid');
    if (rawGuid === null || rawGuid.trim() === '') throw new CodebookImportError(`The code ${where} has no guid, which every REFI-QDA code has.`);
    const g = GUID.exec(rawGuid.trim());
    if (!g) throw new CodebookImportError(`The code ${where} has the guid “${rawGuid.length > 60 ? `${rawGuid.slice(0, 60)}…` : rawGuid}”, which is not a GUID (8-4-4-4-12 hexadecimal digits).`);
    const guid = (g[1] ?? g[2]!).toLowerCase();
    const other = guids.get(guid);
    if (other) throw new CodebookImportError(`The codes ${other} and ${where} have the same guid ${guid}: each code needs its own.`);
    guids.set(guid, where);

    let color: string | null = null;
    const rawColor = (el.getAttribute('color') ?? '').trim();
    const c = COLOR.exec(rawColor);
    if (c) color = `#${(c[1]!.length === 3 ? c[1]!.replace(/./g, '$&$&') : c[1]!).toLowerCase()}`;
    else if (rawColor !== '') tolerated.colour(where, rawColor);

    const rawCodable = (el.getAttribute('isCodable') ?? '').trim();
    const isCodable = rawCodable !== 'false' && rawCodable !== '0';
    if (!['true', '1', 'false', '0'].includes(rawCodable)) tolerated.notCodable(where);

    const descriptions = elementChildren(el).filter((e) => ours(e, 'Description'));
    if (descriptions.length > 1) tolerated.extraDescription(where);
    let description = '';
    if (descriptions[0]) {
      let raw = '';
      for (let n = descriptions[0].firstChild; n; n = n.nextSibling) {
        if (n.nodeType === 3 || n.nodeType === 4) raw += (n as unknown as { data: string }).data;
        else if (n.nodeType === 1) tolerated.element(`Description › ${(n as Element).tagName}`);
      }
      const bad = unstorable(raw);
      if (bad) throw new CodebookImportError(`Cannot import the code ${where}: its definition holds ${bad}, and Gloss cannot store it.`);
      description = raw.replace(/\r\n?/g, '\n').normalize('NFC');
      if (description.length > DEFINITION_MAX) throw new CodebookImportError(`The definition of the code ${where} is ${description.length.toLocaleString('en')} characters long: Gloss keeps definitions of at most ${DEFINITION_MAX.toLocaleString('en')}.`);
    }

    const code: ParsedCode = { guid, name, color, description, isCodable, children: [] };
    siblings.push(code);
    pushChildren(el, codePath, code.children);
  }
  if (count === 0) tolerated.noCodes = true;
  return { origin, codes: top, warnings: tolerated.sentences() };
}

// ---------------------------------------------------------------------------------------------
// Planning

export type ImportStatus = 'new' | 'matched' | 'conflict';
/** A field of a matched code that differs in the file. */
export type ImportChange = 'name' | 'colour' | 'definition';
/**
 * Where a code is (matched) or goes (new), or where the file puts it (conflict): under an
 * existing code, under a code the import creates, or at the top level — and null too for a
 * conflict whose parent is not imported (case 5 of `planImport`).
 */
export type ImportParentRef = { existingId: string } | { newGuid: string } | null;

export interface ImportEntry {
  guid: string;
  /** The file's names, outermost first. */
  path: string[];
  status: ImportStatus;
  /** The existing code it is (matched, or a conflict matched by GUID). */
  existingId?: string;
  /** How a matched code was found. */
  matchedBy?: 'guid' | 'path';
  parentRef: ImportParentRef;
  /** The file's values. */
  name: string;
  color: string | null;
  description: string;
  /** Matched codes: the fields that differ from the file (a definition is reported even when kept). */
  changes?: ImportChange[];
  /** Matched codes: what the import writes (absent when nothing). */
  update?: { name?: string; color?: string; description?: string };
  /** Conflicts: why, as a sentence. */
  reason?: string;
}

export interface ImportPlan {
  /** One entry per code of the file, in the file's tree order. */
  entries: ImportEntry[];
  /** `changed`: matched codes the import updates. */
  counts: { new: number; matched: number; changed: number; conflicts: number };
  /** True when the import creates and updates nothing. */
  unchanged: boolean;
}

/** Where a group of siblings goes: an existing code's children, a new code's, the top level, or nowhere. */
type Level = { kind: 'existing'; id: string | null } | { kind: 'new'; guid: string } | { kind: 'none'; because: string };

function sameText(existing: string, imported: string): boolean {
  return existing.replace(/\r\n?/g, '\n').normalize('NFC') === imported;
}

/**
 * What importing `parsed` into the codebook `existing` would do, entry by entry, as plain data.
 *
 * Each code of the file is matched to an existing code, first by GUID (the file's GUID equals
 * `codeGuid(existing.id)`), else by path: an existing code with the same name (`nameKey`) under
 * the code its parent was matched to (so the chain of names from the top, following renames of
 * ancestors). It is then:
 * - `new`: nothing matches; it is created under its parent's match, or at the top level;
 * - `matched` (`matchedBy` guid or path): `changes` lists what differs — the name (only when
 *   matched by GUID; applied), the colour (when the file has one; applied), the definition
 *   (when the file has one; applied only when the existing one is empty, reported either way);
 * - `conflict`, left unchanged, in these cases (the `reason` says which):
 *   1. matched by GUID to a code that lies under a different parent than the file says (the
 *      import moves nothing); its sub-codes are still imported below the existing code;
 *   2. matched by GUID, but its new name is the name another code at that level ends with
 *      (renames are decided before names are matched: an existing code renamed away frees its
 *      name, a swap of two names goes through); sub-codes go below the existing code;
 *   3. no GUID match, and the code with its name at that level is one the file gives another
 *      GUID to, i.e. that existing code is another entry's GUID match;
 *   4. another code of the file, earlier at the same level, already has its name (matched or
 *      new): Gloss allows one name per level;
 *   5. its parent in the file is a conflict without an existing code (cases 3, 4, or 5), so
 *      there is nowhere to put it; if its GUID matches, the existing code is not touched.
 * After `applyPlanToCodes`, planning the same file against the result gives `unchanged`.
 */
export function planImport(existing: readonly Code[], parsed: ParsedCodebook): ImportPlan {
  const byId = new Map(existing.map((c) => [c.id, c]));
  const byGuid = new Map<string, Code>();
  for (const c of existing) if (!byGuid.has(codeGuid(c.id))) byGuid.set(codeGuid(c.id), c);
  // A code whose parent is missing counts as top-level, as the codebook tree shows it.
  const parentOf = (c: Code): string | null => (c.parentId !== null && byId.has(c.parentId) ? c.parentId : null);
  const existingChildren = new Map<string | null, Code[]>();
  for (const c of existing) {
    const p = parentOf(c);
    const list = existingChildren.get(p);
    if (list) list.push(c);
    else existingChildren.set(p, [c]);
  }
  const showExisting = (c: Code): string => `“${codePathNames(byId, c.id).join(' › ')}”`;
  const showFile = (path: readonly string[]): string => `“${path.join(' › ')}”`;

  // Which existing code each code of the file claims by GUID, wherever it lies.
  const claimedBy = new Map<string, string[]>(); // existing id → the claiming code's path
  const entryOf = new Map<ParsedCode, ImportEntry>();
  type Group = { codes: ParsedCode[]; level: Level; path: string[] };
  const queue: Group[] = [{ codes: parsed.codes, level: { kind: 'existing', id: null }, path: [] }];
  {
    const walk: { code: ParsedCode; path: string[] }[] = parsed.codes.map((code) => ({ code, path: [] }));
    while (walk.length > 0) {
      const { code, path } = walk.pop()!;
      const hit = byGuid.get(code.guid.toLowerCase());
      if (hit) claimedBy.set(hit.id, [...path, code.name]);
      for (const child of code.children) walk.push({ code: child, path: [...path, code.name] });
    }
  }
  const pathClaimed = new Set<string>();

  for (let q = 0; q < queue.length; q++) {
    const { codes, level, path } = queue[q]!;
    const parentRef: ImportParentRef = level.kind === 'existing' ? (level.id === null ? null : { existingId: level.id }) : level.kind === 'new' ? { newGuid: level.guid } : null;
    const base = (code: ParsedCode): ImportEntry => ({ guid: code.guid.toLowerCase(), path: [...path, code.name], status: 'conflict', parentRef, name: code.name, color: code.color, description: code.description });
    const childLevel = new Map<ParsedCode, Level>();

    if (level.kind === 'none') {
      for (const code of codes) {
        const hit = byGuid.get(code.guid.toLowerCase());
        const entry = { ...base(code), reason: `It cannot be placed: ${level.because}` };
        if (hit) entry.existingId = hit.id;
        entryOf.set(code, entry);
        childLevel.set(code, hit ? { kind: 'existing', id: hit.id } : { kind: 'none', because: `its parent ${showFile(entry.path)} is not imported.` });
      }
    } else {
      const levelId = level.kind === 'existing' ? level.id : undefined;
      const here = levelId === undefined ? [] : (existingChildren.get(levelId) ?? []);
      // 1. GUID matches: at this level (rename candidates) or elsewhere (case 1).
      const renames = new Map<string, { code: ParsedCode; to: string }>(); // existing id → rename
      const guidHit = new Map<ParsedCode, Code>();
      for (const code of codes) {
        const hit = byGuid.get(code.guid.toLowerCase());
        if (!hit) continue;
        guidHit.set(code, hit);
        if (levelId !== undefined && parentOf(hit) === levelId && cleanName(hit.name) !== code.name) renames.set(hit.id, { code, to: code.name });
      }
      // 2. Renames that would leave two codes at this level with one name fall back (case 2),
      // until the names at the level are settled.
      const refused = new Map<string, Code>(); // existing id → the code whose name it would take
      for (let settled = false; !settled; ) {
        settled = true;
        const owners = new Map<string, Code[]>();
        for (const c of here) {
          const r = renames.get(c.id);
          const key = nameKey(r ? r.to : c.name);
          owners.set(key, [...(owners.get(key) ?? []), c]);
        }
        for (const [id, r] of renames) {
          const other = owners.get(nameKey(r.to))!.find((c) => c.id !== id);
          if (other) {
            renames.delete(id);
            refused.set(id, other);
            settled = false;
          }
        }
      }
      const names = new Map<string, { existing: Code } | { file: ParsedCode }>();
      for (const c of here) {
        const key = nameKey(renames.get(c.id)?.to ?? c.name);
        if (!names.has(key)) names.set(key, { existing: c });
      }

      // 3. Each code in order.
      for (const code of codes) {
        const entry = base(code);
        const hit = guidHit.get(code);
        if (hit) {
          entry.existingId = hit.id;
          childLevel.set(code, { kind: 'existing', id: hit.id });
          if (levelId === undefined || parentOf(hit) !== levelId) {
            const there = parentOf(hit);
            const wanted = level.kind === 'new' ? `under ${showFile(path)}, a code the import creates` : levelId === null ? 'at the top level' : `under ${showExisting(byId.get(levelId!)!)}`;
            entry.reason = `It has the GUID of the existing code ${showExisting(hit)}, which lies ${there === null ? 'at the top level' : `under ${showExisting(byId.get(there)!)}`}, but the file puts it ${wanted}: the import moves no code.`;
          } else if (refused.has(hit.id)) {
            entry.reason = `It has the GUID of the existing code ${showExisting(hit)}, but renaming that code “${code.name}” would give it the name of ${showExisting(refused.get(hit.id)!)} at the same level.`;
          } else {
            Object.assign(entry, { status: 'matched', matchedBy: 'guid' }, compare(hit, code, true));
          }
        } else {
          const key = nameKey(code.name);
          const owner = names.get(key);
          if (!owner) {
            entry.status = 'new';
            names.set(key, { file: code });
            childLevel.set(code, { kind: 'new', guid: entry.guid });
          } else if ('file' in owner) {
            entry.reason = `The file has another code named “${owner.file.name}” at this level, ${showFile([...path, owner.file.name])}, and a level holds one code of a name.`;
          } else if (claimedBy.has(owner.existing.id) || pathClaimed.has(owner.existing.id)) {
            const claimant = claimedBy.get(owner.existing.id);
            entry.reason =
              claimant && claimant.join('\u0000') !== entry.path.join('\u0000')
                ? `The existing code of that name here, ${showExisting(owner.existing)}, has a different GUID, one the file gives to ${showFile(claimant)}.`
                : `The file has another code named “${owner.existing.name}” at this level, and a level holds one code of a name.`;
          } else {
            pathClaimed.add(owner.existing.id);
            entry.existingId = owner.existing.id;
            childLevel.set(code, { kind: 'existing', id: owner.existing.id });
            Object.assign(entry, { status: 'matched', matchedBy: 'path' }, compare(owner.existing, code, false));
          }
        }
        if (entry.status === 'conflict' && !childLevel.has(code)) childLevel.set(code, { kind: 'none', because: `its parent ${showFile(entry.path)} is a conflict.` });
        entryOf.set(code, entry);
      }
    }
    for (const code of codes) if (code.children.length > 0) queue.push({ codes: code.children, level: childLevel.get(code)!, path: [...path, code.name] });
  }

  // Entries in tree order (iteratively: a hand-made tree may be deeper than the parser allows).
  const entries: ImportEntry[] = [];
  const order = [...parsed.codes].reverse();
  while (order.length > 0) {
    const code = order.pop()!;
    entries.push(entryOf.get(code)!);
    for (let i = code.children.length - 1; i >= 0; i--) order.push(code.children[i]!);
  }
  const counts = { new: 0, matched: 0, changed: 0, conflicts: 0 };
  for (const e of entries) {
    if (e.status === 'new') counts.new++;
    else if (e.status === 'conflict') counts.conflicts++;
    else {
      counts.matched++;
      if (e.update) counts.changed++;
    }
  }
  return { entries, counts, unchanged: counts.new === 0 && counts.changed === 0 };
}

/** What differs between an existing code and the file's, and what the import writes. */
function compare(existing: Code, code: ParsedCode, byGuid: boolean): Pick<ImportEntry, 'changes' | 'update'> {
  const changes: ImportChange[] = [];
  const update: NonNullable<ImportEntry['update']> = {};
  if (byGuid && cleanName(existing.name) !== code.name) {
    changes.push('name');
    update.name = code.name;
  }
  if (code.color !== null && code.color !== existing.color.toLowerCase()) {
    changes.push('colour');
    update.color = code.color;
  }
  if (code.description !== '' && !sameText(existing.description, code.description)) {
    changes.push('definition');
    if (existing.description.trim() === '') update.description = code.description;
  }
  return Object.keys(update).length > 0 ? { changes, update } : { changes };
}

// ---------------------------------------------------------------------------------------------
// Applying

/**
 * The codebook after carrying out `plan` (made by `planImport` against `existing`): matched codes
 * get their `update`, new codes are created (id: the file's GUID when no existing code has that
 * id, else `newId(guid)`; slot: `nextSlot()`; colour: the file's, else `defaultColor` of the codes
 * so far, a list that grows as codes are made and must not be kept), each after its parent's
 * subtree, top-level ones at the end. Conflicts change nothing. Pure: `existing` is not touched.
 * Throws a `CodebookImportError` if a code the plan names is gone (the codebook changed since).
 */
export function applyPlanToCodes(existing: readonly Code[], plan: ImportPlan, newId: (guid: string) => string, nextSlot: () => number, defaultColor: (codesSoFar: readonly Code[]) => string): Code[] {
  const codes = existing.map((c) => ({ ...c }));
  const byId = new Map(codes.map((c) => [c.id, c]));
  const gone = (id: string): never => {
    throw new CodebookImportError(`The codebook changed since the import was planned (the code with id “${id}” is gone): plan the import again.`);
  };
  for (const e of plan.entries) {
    if (e.status !== 'matched' || !e.update) continue;
    const c = byId.get(e.existingId!) ?? gone(e.existingId!);
    Object.assign(c, e.update);
  }

  // Where each new code goes: after the subtree of its nearest existing ancestor (deepest
  // anchors first when several subtrees end at one place), or at the end.
  const index = new Map(codes.map((c, i) => [c.id, i]));
  const parentOf = (c: Code): Code | undefined => (c.parentId === null ? undefined : byId.get(c.parentId));
  const subtreeEnd = new Map<string, number>();
  const depth = new Map<string, number>();
  codes.forEach((c, i) => {
    let d = 0;
    const seen = new Set<string>();
    for (let a: Code | undefined = c; a && !seen.has(a.id); a = parentOf(a), d++) {
      seen.add(a.id);
      subtreeEnd.set(a.id, Math.max(subtreeEnd.get(a.id) ?? -1, i));
    }
    depth.set(c.id, d);
  });

  const used = new Set(codes.map((c) => c.id.toLowerCase()));
  const newIds = new Map<string, string>(); // guid → id
  const anchorOfNew = new Map<string, string | null>(); // guid → existing anchor id (null: the end)
  const buckets = new Map<string | null, Code[]>();
  const soFar: Code[] = [...codes];
  for (const e of plan.entries) {
    if (e.status !== 'new') continue;
    let parentId: string | null = null;
    let anchor: string | null = null;
    if (e.parentRef && 'existingId' in e.parentRef) {
      if (!byId.has(e.parentRef.existingId)) gone(e.parentRef.existingId);
      parentId = anchor = e.parentRef.existingId;
    } else if (e.parentRef) {
      const guid = e.parentRef.newGuid;
      if (!newIds.has(guid)) throw new CodebookImportError(`The import plan is damaged: the code “${e.name}” goes under a code it does not create.`);
      parentId = newIds.get(guid)!;
      anchor = anchorOfNew.get(guid)!;
    }
    let id = e.guid.toLowerCase();
    if (used.has(id)) id = newId(e.guid);
    if (used.has(id.toLowerCase())) throw new CodebookImportError(`The import cannot give the code “${e.name}” the id “${id}”: a code already has it.`);
    used.add(id.toLowerCase());
    newIds.set(e.guid, id);
    anchorOfNew.set(e.guid, anchor);
    const code: Code = { id, name: e.name, color: (e.color ?? defaultColor(soFar)).toLowerCase(), description: e.description, parentId, slot: nextSlot() };
    soFar.push(code);
    const bucket = buckets.get(anchor);
    if (bucket) bucket.push(code);
    else buckets.set(anchor, [code]);
  }

  const after = new Map<number, string[]>(); // index → anchors whose subtree ends there
  for (const anchor of buckets.keys()) {
    if (anchor === null) continue;
    const at = subtreeEnd.get(anchor) ?? index.get(anchor)!;
    after.set(at, [...(after.get(at) ?? []), anchor]);
  }
  const out: Code[] = [];
  codes.forEach((c, i) => {
    out.push(c);
    const anchors = after.get(i);
    if (anchors) for (const a of anchors.sort((x, y) => depth.get(y)! - depth.get(x)!)) out.push(...buckets.get(a)!);
  });
  out.push(...(buckets.get(null) ?? []));
  return out;
}
