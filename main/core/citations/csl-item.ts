/**
 * A document's reference as a CSL-JSON item, from its properties (`DocumentMeta`) or from the
 * item imported for it (BibTeX, RIS, CSL-JSON), and the properties an imported item implies.
 *
 * From properties: the type is `article-newspaper` when a publication is given (the bundled
 * articles and most pasted web news), `webpage` when only a URL is, `document` otherwise; the
 * authors are read by `parseAuthors` (names.ts); ISO dates become date parts; `pages` is the page
 * range. An imported item is the fuller record (a book chapter with editors and publisher), so
 * when there is one it is the reference, whole: properties are not mixed into it.
 */
import type { DocumentMeta } from '../../../shared/model';
import { cleanCslItem, type CslDate, type CslItem, type CslType } from './csl-json';
import { formatAuthors, parseAuthors } from './names';

/**
 * The CSL item for a document: `imported` when given (cleaned, with `id`), else one made from
 * `meta`. `id` is the item's id for the processor (a citation key when exporting several).
 */
export function cslItemFor(meta: DocumentMeta, imported?: Readonly<Record<string, unknown>>, id = 'item'): CslItem {
  if (imported) {
    const cleaned = cleanCslItem({ ...imported, id }, id, []);
    if (typeof cleaned !== 'string') return cleaned;
    // A stored item that no longer validates (it did when imported) falls back to the properties.
  }
  const raw: Record<string, unknown> = { id, type: typeFor(meta) };
  raw['title'] = meta.title;
  if (meta.publication.trim() !== '') raw['container-title'] = meta.publication;
  const authors = parseAuthors(meta.author);
  if (authors.length > 0) raw['author'] = authors;
  const issued = isoToCsl(meta.date);
  if (issued) raw['issued'] = issued;
  if (meta.url.trim() !== '') raw['URL'] = meta.url.trim();
  const accessed = isoToCsl(meta.accessed ?? '');
  if (accessed && raw['URL'] !== undefined) raw['accessed'] = accessed;
  if ((meta.pages ?? '').trim() !== '') raw['page'] = meta.pages!.trim();
  const item = cleanCslItem(raw, id, []);
  // Every field above is a string from the API (already bounded), so this only fails on a
  // title past FIELD_MAX; such a document is still cited, by the title cut short.
  return typeof item === 'string' ? { id, type: 'document', title: meta.title.slice(0, 200) } : item;
}

/** The type a document's properties imply (see the module comment). */
export function typeFor(meta: DocumentMeta): CslType {
  if (meta.publication.trim() !== '') return 'article-newspaper';
  if (meta.url.trim() !== '') return 'webpage';
  return 'document';
}

/**
 * The document properties an imported item gives, for filling the properties form: only the
 * fields the item has (a chapter's book title is its `publication`). The author string is in the
 * form `parseAuthors` reads back to the same names.
 */
export function metaFromCslItem(item: CslItem): Partial<DocumentMeta> {
  const meta: Partial<DocumentMeta> = {};
  if (item.title) meta.title = item.title;
  if (item['container-title']) meta.publication = item['container-title'];
  else if (item.publisher && item.type !== 'book') meta.publication = item.publisher;
  const names = item.author ?? item.editor;
  if (names && names.length > 0) meta.author = formatAuthors(names);
  const date = cslToIso(item.issued);
  if (date) meta.date = date;
  if (item.URL) meta.url = item.URL;
  const accessed = cslToIso(item.accessed);
  if (accessed) meta.accessed = accessed;
  if (item.page) meta.pages = item.page;
  return meta;
}

/** `YYYY`, `YYYY-MM` or `YYYY-MM-DD` as a CSL date; null for '' or anything else. */
export function isoToCsl(iso: string): CslDate | null {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(iso.trim());
  if (!m) return null;
  const parts = [Number(m[1])];
  if (m[2] !== undefined && Number(m[2]) >= 1 && Number(m[2]) <= 12) {
    parts.push(Number(m[2]));
    if (m[3] !== undefined && Number(m[3]) >= 1 && Number(m[3]) <= 31) parts.push(Number(m[3]));
  }
  return { 'date-parts': [parts] };
}

/** A CSL date's first date as ISO (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`); '' when it has none. */
export function cslToIso(date: CslDate | undefined): string {
  const parts = date?.['date-parts']?.[0];
  if (!parts || parts[0] === undefined || parts[0] < 0 || parts[0] > 9999) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  const [y, m, d] = parts;
  if (m === undefined || m > 12) return String(y).padStart(4, '0');
  return d === undefined ? `${String(y).padStart(4, '0')}-${pad(m)}` : `${String(y).padStart(4, '0')}-${pad(m)}-${pad(d)}`;
}
