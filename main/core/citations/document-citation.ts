/**
 * A document's imported citation: the entries of a bibliography file as the user chooses among
 * them (`citationChoices`), and the document properties an entry fills (`citationFills`), each
 * as `documents.update` would take it, so that the preview shows exactly what is saved.
 */
import { documentFieldsSchema } from '../../../shared/api';
import type { DocumentMeta } from '../../../shared/model';
import { metaFromCslItem } from './csl-item';
import type { CslItem } from './csl-json';
import { citationLabel, cslTypeName } from './describe';
import { readBibliography, type Bibliography } from './import';

/** The properties an imported citation fills. */
export type CitationFills = Partial<DocumentMeta>;

const FIELD_WORDS: Record<keyof DocumentMeta, string> = { title: 'title', author: 'authors', publication: 'publication', date: 'date', url: 'address', accessed: 'date accessed', pages: 'pages' };

/**
 * The properties `item` gives (metaFromCslItem), one line of NFC text each, as the properties
 * form takes them; one the form would refuse (an address that is not http(s), a title past its
 * length) is left as it is, and `notes` say so.
 */
export function citationFills(item: CslItem): { fills: CitationFills; notes: string[] } {
  const fills: CitationFills = {};
  const notes: string[] = [];
  const shape = documentFieldsSchema.shape;
  for (const [key, raw] of Object.entries(metaFromCslItem(item)) as [keyof DocumentMeta, string][]) {
    const value = raw.normalize('NFC').replace(/\s+/g, ' ').trim();
    if (value === '') continue;
    if (shape[key].safeParse(value).success) fills[key] = value;
    else notes.push(`The ${FIELD_WORDS[key]} of the entry (“${value.length > 60 ? `${value.slice(0, 60)}…` : value}”) is not one the document's properties take, so it is left as it is.`);
  }
  return { fills, notes };
}

/** One entry of a file, as the user chooses it. */
export interface CitationChoice {
  item: CslItem;
  type: string;
  kind: string;
  label: string;
  fills: CitationFills;
}

/** The entries of a bibliography file to choose from; throws BibliographyError as `readBibliography`. */
export function citationChoices(text: string, fileName: string): { format: Bibliography['format']; items: CitationChoice[]; warnings: string[] } {
  const read = readBibliography(text, fileName);
  const warnings = [...read.warnings];
  const items = read.items.map((item) => {
    const { fills, notes } = citationFills(item);
    if (notes.length) warnings.push(...notes.map((n) => `${citationLabel(item)}: ${n}`));
    return { item, type: item.type, kind: cslTypeName(item.type), label: citationLabel(item), fills };
  });
  return { format: read.format, items, warnings };
}
