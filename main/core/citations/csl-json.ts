/**
 * CSL-JSON, the data the citation processor reads: the safe subset of it Gloss keeps, as one zod
 * schema (`cslItemSchema`), the reading of a CSL-JSON file (`readCslJson`, e.g. Zotero's "Export
 * Library… › CSL JSON") and its writing (`toCslJson`, for Pandoc's `--bibliography`).
 *
 * Only fields a reference in APA, Chicago or MLA can show are kept: titles, names, dates,
 * container, publisher, locators, identifiers. Fields the processor would *interpret* are left
 * out: `note` (citeproc-js reads "key: value" lines in it as further fields), `abstract` and
 * free-form `custom` data. Strings are NFC, without control characters, at most `FIELD_MAX`
 * characters; a longer one is dropped with a warning rather than the whole file refused.
 * This module uses nothing but zod, so the schema can move to shared/ if the API carries items.
 */
import { z } from 'zod';

/** The longest string kept in one field (a title, a name part, a URL). */
export const FIELD_MAX = 10_000;
/** The most names one name field (authors, editors) may list. */
export const NAMES_MAX = 1_000;

/** The CSL 1.0.2 item types. */
export const CSL_TYPES = [
  'article', 'article-journal', 'article-magazine', 'article-newspaper', 'bill', 'book', 'broadcast',
  'chapter', 'classic', 'collection', 'dataset', 'document', 'entry', 'entry-dictionary',
  'entry-encyclopedia', 'event', 'figure', 'graphic', 'hearing', 'interview', 'legal_case',
  'legislation', 'manuscript', 'map', 'motion_picture', 'musical_score', 'pamphlet',
  'paper-conference', 'patent', 'performance', 'periodical', 'personal_communication', 'post',
  'post-weblog', 'regulation', 'report', 'review', 'review-book', 'software', 'song', 'speech',
  'standard', 'thesis', 'treaty', 'webpage',
] as const;
export type CslType = (typeof CSL_TYPES)[number];

/** The string fields kept. */
export const STRING_FIELDS = [
  'title', 'title-short', 'container-title', 'container-title-short', 'collection-title',
  'collection-number', 'publisher', 'publisher-place', 'event-title', 'event-place', 'page',
  'number-of-pages', 'volume', 'number-of-volumes', 'issue', 'number', 'edition', 'section',
  'chapter-number', 'genre', 'medium', 'status', 'version', 'archive', 'archive_location',
  'authority', 'dimensions', 'language', 'URL', 'DOI', 'ISBN', 'ISSN',
] as const;
/** The name fields kept. */
export const NAME_FIELDS = [
  'author', 'editor', 'translator', 'container-author', 'collection-editor', 'compiler',
  'contributor', 'director', 'editorial-director', 'illustrator', 'interviewer', 'original-author',
  'recipient', 'reviewed-author',
] as const;
/** The date fields kept. */
export const DATE_FIELDS = ['issued', 'accessed', 'original-date', 'event-date', 'submitted'] as const;

// Control characters other than tab and line feed never belong in a reference.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** A string as stored: control characters removed, blanks made single spaces, NFC, trimmed. */
export function cleanString(s: string): string {
  return s.replace(CONTROL, '').replace(/\s+/g, ' ').normalize('NFC').trim();
}

const text = z.string().max(FIELD_MAX).transform(cleanString);
// Zotero writes some numbers (volume, issue, pages) as JSON numbers.
const textOrNumber = z.union([text, z.number().finite().transform(String)]);

const namePart = text.optional();
/** One name: a person (family, given, particles, suffix) or an organisation (`literal`). */
export const cslNameSchema = z.object({
  family: namePart,
  given: namePart,
  literal: namePart,
  'non-dropping-particle': namePart,
  'dropping-particle': namePart,
  suffix: namePart,
});
export type CslName = z.output<typeof cslNameSchema>;

const datePart = z.union([z.number().int(), z.string().regex(/^-?\d{1,4}$/).transform(Number)]);
const dateParts = z
  .array(datePart)
  .min(1)
  .max(3)
  .refine(([y, m, d]) => y! >= -9999 && y! <= 9999 && (m === undefined || (m >= 1 && m <= 24)) && (d === undefined || (d >= 1 && d <= 31)), 'not a year, month and day');
/** A date: `date-parts` ([[year, month?, day?]], a second one for a range) or a `literal`. */
export const cslDateSchema = z.object({
  'date-parts': z.array(dateParts).min(1).max(2).optional(),
  literal: text.optional(),
  circa: z.union([z.boolean(), z.number(), z.string().max(20)]).optional(),
  season: z.union([z.number().int().min(1).max(4), z.string().max(20)]).optional(),
});
export type CslDate = z.output<typeof cslDateSchema>;

const names = z.array(cslNameSchema).max(NAMES_MAX);

/** One CSL-JSON item, as Gloss keeps it. Unknown fields are stripped. */
export const cslItemSchema = z.object({
  id: textOrNumber,
  type: z.enum(CSL_TYPES),
  'citation-key': text.optional(),
  ...(Object.fromEntries(STRING_FIELDS.map((f) => [f, textOrNumber.optional()])) as Record<(typeof STRING_FIELDS)[number], z.ZodOptional<typeof textOrNumber>>),
  ...(Object.fromEntries(NAME_FIELDS.map((f) => [f, names.optional()])) as Record<(typeof NAME_FIELDS)[number], z.ZodOptional<typeof names>>),
  ...(Object.fromEntries(DATE_FIELDS.map((f) => [f, cslDateSchema.optional()])) as Record<(typeof DATE_FIELDS)[number], z.ZodOptional<typeof cslDateSchema>>),
});
/** A CSL-JSON item (https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html). */
export type CslItem = z.output<typeof cslItemSchema>;

const KEPT = new Set<string>(['id', 'type', 'citation-key', ...STRING_FIELDS, ...NAME_FIELDS, ...DATE_FIELDS]);

/**
 * One item from untrusted data (a CSL-JSON file, a parser's output, a stored value): the kept
 * fields, cleaned. Over-long strings are dropped and empty fields left out, each dropped field
 * noted in `warnings` under `where` ("entry 3", "kim2023"); an unknown type becomes `document`.
 * Returns a sentence saying what is wrong when the item cannot be read at all.
 */
export function cleanCslItem(raw: unknown, where: string, warnings: string[]): CslItem | string {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return `${where} is not an object of fields`;
  const input: Record<string, unknown> = {};
  const ignored: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (!KEPT.has(key)) {
      ignored.push(key);
      continue;
    }
    if (value === null || value === undefined || value === '') continue;
    if (tooLong(value)) {
      warnings.push(`${where}: the field "${key}" is longer than ${FIELD_MAX.toLocaleString('en-US')} characters and was left out.`);
      continue;
    }
    input[key] = value;
  }
  if (input['id'] === undefined) input['id'] = where;
  if (typeof input['type'] !== 'string' || !(CSL_TYPES as readonly string[]).includes(input['type'])) {
    if (input['type'] !== undefined) warnings.push(`${where}: the type "${String(input['type']).slice(0, 40)}" is not a CSL type; it is read as a document.`);
    input['type'] = 'document';
  }
  const result = cslItemSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    return `${where}: the field "${issue.path.map(String).join('.')}" ${describeIssue(issue.message)}`;
  }
  return prune(result.data);
}

/**
 * An item kept with a document (its project-file entry, an API call setting it): it must read
 * whole, as it is, with no field dropped and a CSL type; returns it cleaned, or a sentence saying
 * what is wrong. Fields Gloss does not keep are ignored (and stay in the file).
 */
export function strictCslItem(raw: unknown, where: string): CslItem | string {
  const warnings: string[] = [];
  const typed = raw !== null && typeof raw === 'object' && (CSL_TYPES as readonly string[]).includes(String((raw as Record<string, unknown>)['type']));
  if (!typed) return `${where} has no CSL type`;
  const item = cleanCslItem(raw, where, warnings);
  if (typeof item === 'string') return item;
  return warnings.length ? warnings[0]!.replace(/ and was left out\.$/, '') : item;
}

/** Reads a CSL-JSON file: an array of items. Throws a sentence for the user when it cannot. */
export function parseCslJson(text: string): { raw: unknown[] } {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const at = /position (\d+)/.exec(message);
    throw new Error(at ? `it is not valid JSON (${where(text, Number(at[1]))})` : 'it is not valid JSON');
  }
  if (!Array.isArray(data)) {
    throw new Error(`a CSL-JSON file holds an array of items ([ … ]), but this one holds ${data === null ? 'null' : typeof data === 'object' ? 'a single object' : `a ${typeof data}`}`);
  }
  return { raw: data };
}

/** CSL-JSON text of `items` (an array, two-space indented), as Pandoc and Zotero read it. */
export function toCslJson(items: readonly CslItem[]): string {
  return JSON.stringify(items.map((item) => ({ ...item, id: item['citation-key'] ?? item.id })), null, 2) + '\n';
}

/** "line 3, column 14" of a UTF-16 offset in `text`. */
export function where(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - before.lastIndexOf('\n')}`;
}

function tooLong(value: unknown): boolean {
  if (typeof value === 'string') return value.length > FIELD_MAX;
  if (Array.isArray(value)) return value.some((v) => v !== null && typeof v === 'object' && Object.values(v).some((p) => typeof p === 'string' && p.length > FIELD_MAX));
  if (value !== null && typeof value === 'object') return Object.values(value).some((p) => typeof p === 'string' && p.length > FIELD_MAX);
  return false;
}

function describeIssue(message: string): string {
  return `cannot be read (${message.replace(/\s+/g, ' ').slice(0, 120)})`;
}

/** The item without empty strings, empty names and empty name lists (cleaning can empty them). */
function prune(item: CslItem): CslItem {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) {
    if (value === undefined || value === '') continue;
    if ((NAME_FIELDS as readonly string[]).includes(key)) {
      const kept = (value as CslName[])
        .map((n) => Object.fromEntries(Object.entries(n).filter(([, v]) => v !== undefined && v !== '')) as CslName)
        .filter((n) => n.family !== undefined || n.literal !== undefined || n.given !== undefined);
      if (kept.length > 0) out[key] = kept;
      continue;
    }
    if ((DATE_FIELDS as readonly string[]).includes(key)) {
      const date = value as CslDate;
      if (date['date-parts'] === undefined && (date.literal ?? '') === '') continue;
    }
    out[key] = value;
  }
  return out as CslItem;
}
