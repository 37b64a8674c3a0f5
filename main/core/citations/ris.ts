/**
 * RIS (the tagged format Zotero, EndNote, Mendeley and most databases export) read into raw
 * CSL-JSON items, which import.ts then cleans.
 *
 * Our own reader rather than @citation-js/plugin-ris: that plugin (0.8.2) files the authors of a
 * newspaper article (TY NEWS, the bundled corpus's kind) as plain strings under "reporter", which
 * is no CSL variable, ignores the full date in DA, and accepts a record cut off before its ER
 * line. The format is a line per field, `XX  - value`, records from `TY` to `ER`; long values may
 * wrap onto untagged lines. Reading is strict about structure (a record must start with TY and end
 * with ER, nothing but blank lines between records) and says where it is broken.
 */

/** A RIS file that is structurally broken; `line` is 1-based. */
export class RisSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'RisSyntaxError';
  }
}

const TAG_LINE = /^([A-Z][A-Z0-9]) {2}-(?: (.*))?$/;

/** RIS reference types → CSL types. Anything else is a `document` (with a warning). */
const TYPES: Record<string, string> = {
  ABST: 'article', ADVS: 'motion_picture', AGGR: 'dataset', ANCIENT: 'classic', ART: 'graphic',
  BILL: 'bill', BLOG: 'post-weblog', BOOK: 'book', CASE: 'legal_case', CHAP: 'chapter',
  CHART: 'graphic', CLSWK: 'classic', COMP: 'software', CONF: 'paper-conference',
  CPAPER: 'paper-conference', CTLG: 'book', DATA: 'dataset', DBASE: 'dataset', DICT: 'entry-dictionary',
  EBOOK: 'book', ECHAP: 'chapter', EDBOOK: 'book', EJOUR: 'article-journal', ELEC: 'webpage',
  ENCYC: 'entry-encyclopedia', EQUA: 'figure', FIGURE: 'figure', GEN: 'document', GOVDOC: 'report',
  GRANT: 'report', HEAR: 'hearing', ICOMM: 'personal_communication', INPR: 'article-journal',
  INTV: 'interview', JFULL: 'periodical', JOUR: 'article-journal', LEGAL: 'legislation',
  MANSCPT: 'manuscript', MAP: 'map', MGZN: 'article-magazine', MPCT: 'motion_picture',
  MULTI: 'webpage', MUSIC: 'musical_score', NEWS: 'article-newspaper', PAMP: 'pamphlet',
  PAT: 'patent', PCOMM: 'personal_communication', RPRT: 'report', SER: 'book', SLIDE: 'speech',
  SOUND: 'song', STAND: 'standard', STAT: 'legislation', STD: 'standard', THES: 'thesis',
  UNPB: 'manuscript', VIDEO: 'motion_picture', WEB: 'webpage',
};
const BOOKISH = new Set(['book', 'chapter']);

/** Tags whose value is one name each. */
const NAME_TAGS: Record<string, string> = { AU: 'author', A1: 'author', ED: 'editor', A2: 'editor', A3: 'collection-editor', A4: 'translator' };
/** Tags whose value is one string field (the first occurrence wins). */
const STRING_TAGS: Record<string, string> = {
  TI: 'title', T1: 'title', CT: 'title', ST: 'title-short', T2: 'container-title', JF: 'container-title',
  JO: 'container-title', JA: 'container-title-short', J1: 'container-title-short', J2: 'container-title-short',
  T3: 'collection-title', VL: 'volume', IS: 'issue', ET: 'edition', PB: 'publisher', CY: 'publisher-place',
  PP: 'publisher-place', UR: 'URL', DO: 'DOI', LA: 'language', M3: 'genre', NV: 'number-of-volumes',
  SE: 'section',
};

/** The records of a RIS file as raw CSL items (names parsed, dates as date parts). */
export function readRis(text: string, warnings: string[]): Record<string, unknown>[] {
  const records = splitRecords(text);
  return records.map((r, i) => toCsl(r, `RIS record ${i + 1} (line ${r.line})`, warnings));
}

/** One record: the line it starts on and its fields in order (TY first). */
export interface RisRecord {
  line: number;
  fields: [tag: string, value: string][];
}

/** The records, each its fields in order; throws RisSyntaxError where the structure breaks. */
export function splitRecords(text: string): RisRecord[] {
  const lines = text.split(/\r\n?|\n/);
  const records: RisRecord[] = [];
  let open: RisRecord | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const n = i + 1;
    const m = TAG_LINE.exec(line.trimEnd());
    if (!m) {
      if (line.trim() === '') continue;
      if (open && open.fields.length > 0) {
        const last = open.fields[open.fields.length - 1]!;
        last[1] = `${last[1]} ${line.trim()}`;
        continue;
      }
      throw new RisSyntaxError(`line ${n} is not a RIS field ("XX  - value"): ${JSON.stringify(line.slice(0, 60))}`, n);
    }
    const [, tag, value = ''] = m;
    if (tag === 'TY') {
      if (open) throw new RisSyntaxError(`line ${n}: a record starts before the record from line ${open.line} has ended (an "ER  - " line is missing)`, n);
      open = { line: n, fields: [['TY', value.trim()]] };
      continue;
    }
    if (!open) throw new RisSyntaxError(`line ${n}: a RIS record must start with a "TY  - " line, but this one is "${tag}"`, n);
    if (tag === 'ER') {
      records.push(open);
      open = null;
      continue;
    }
    open.fields.push([tag!, value.trim()]);
  }
  if (open) throw new RisSyntaxError(`the record from line ${open.line} has no end (an "ER  - " line); the file may be cut off`, open.line);
  return records;
}

function toCsl(record: RisRecord, where: string, warnings: string[]): Record<string, unknown> {
  const risType = record.fields[0]![1].toUpperCase();
  const type = TYPES[risType] ?? 'document';
  if (!TYPES[risType]) warnings.push(`${where}: the RIS type "${risType.slice(0, 20)}" is not known; it is read as a document.`);
  const item: Record<string, unknown> = { type };
  let start = '';
  let end = '';
  let year = '';
  let date = '';
  for (const [tag, value] of record.fields.slice(1)) {
    if (value === '') continue;
    const nameField = NAME_TAGS[tag];
    if (nameField) {
      const list = (item[nameField] as unknown[] | undefined) ?? [];
      list.push(risName(value));
      item[nameField] = list;
      continue;
    }
    if (tag === 'BT') {
      // The book's title for a chapter, the title itself for a book.
      const field = type === 'chapter' ? 'container-title' : 'title';
      item[field] ??= value;
      continue;
    }
    if (tag === 'SN') item[BOOKISH.has(type) ? 'ISBN' : 'ISSN'] ??= value;
    else if (tag === 'SP') start ||= value;
    else if (tag === 'EP') end ||= value;
    else if (tag === 'PY' || tag === 'Y1') year ||= value;
    else if (tag === 'DA') date ||= value;
    else if (tag === 'Y2') item['accessed'] ??= risDate(value) ?? undefined;
    else if (STRING_TAGS[tag]) item[STRING_TAGS[tag]] ??= value;
  }
  if (start || end) item['page'] = start && end && !start.includes('-') ? `${start}-${end}` : start || end;
  // DA is the full date; PY the year (older files: "2012/03/05/" in PY or Y1).
  const issued = risDate(date) ?? risDate(year);
  if (issued) item['issued'] = issued;
  return item;
}

/** A RIS name: "Family, Given[, Suffix]" as RIS writes it, or a single string (an organisation). */
function risName(value: string): Record<string, string> {
  const [family, given, suffix] = value.split(',').map((s) => s.trim());
  if (!given) return { literal: family! };
  const name: Record<string, string> = { family: family!, given };
  if (suffix) name['suffix'] = suffix;
  return name;
}

/** "2012/03/05/", "2012///", "2012/03", "2012-03-05", "2024/05/01/10:22:41" → date parts; null otherwise. */
function risDate(value: string): { 'date-parts': number[][] } | null {
  const m = /^(\d{4})(?:[/-](\d{1,2})?(?:[/-](\d{1,2})?)?)?/.exec(value.trim());
  if (!m) return null;
  const parts = [Number(m[1])];
  const month = m[2] === undefined ? 0 : Number(m[2]);
  const day = m[3] === undefined ? 0 : Number(m[3]);
  if (month >= 1 && month <= 12) {
    parts.push(month);
    if (day >= 1 && day <= 31) parts.push(day);
  }
  return { 'date-parts': [parts] };
}
