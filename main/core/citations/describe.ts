/**
 * Imported citations said in words, for choosing among the entries of a file and for saying what
 * a document is cited from: a short label ("Kim, Lee & Park 2023 — Families left behind…") and
 * the item's type in words ("book chapter").
 */
import type { CitationSummary, ImportedCitation } from '../../../shared/model';
import type { CslName } from './csl-json';

/** The CSL types in words, as the dialog says them; a type not listed is said as written. */
const TYPE_NAMES: Record<string, string> = {
  article: 'article',
  'article-journal': 'journal article',
  'article-magazine': 'magazine article',
  'article-newspaper': 'newspaper article',
  bill: 'bill',
  book: 'book',
  broadcast: 'broadcast',
  chapter: 'book chapter',
  classic: 'classic work',
  collection: 'collection',
  dataset: 'dataset',
  document: 'document',
  entry: 'entry',
  'entry-dictionary': 'dictionary entry',
  'entry-encyclopedia': 'encyclopedia entry',
  event: 'event',
  figure: 'figure',
  graphic: 'graphic',
  hearing: 'hearing',
  interview: 'interview',
  legal_case: 'legal case',
  legislation: 'legislation',
  manuscript: 'manuscript',
  map: 'map',
  motion_picture: 'film',
  musical_score: 'musical score',
  pamphlet: 'pamphlet',
  'paper-conference': 'conference paper',
  patent: 'patent',
  performance: 'performance',
  periodical: 'periodical',
  personal_communication: 'personal communication',
  post: 'post',
  'post-weblog': 'blog post',
  regulation: 'regulation',
  report: 'report',
  review: 'review',
  'review-book': 'book review',
  software: 'software',
  song: 'song',
  speech: 'speech',
  standard: 'standard',
  thesis: 'thesis',
  treaty: 'treaty',
  webpage: 'web page',
};

/** The longest title shown in a label before it is cut at a word with "…". */
const LABEL_TITLE_MAX = 60;

/** A CSL type in words: `chapter` → "book chapter". */
export function cslTypeName(type: string): string {
  return Object.prototype.hasOwnProperty.call(TYPE_NAMES, type) ? TYPE_NAMES[type]! : type.replace(/[-_]/g, ' ');
}

/** A label for choosing an item: its authors' (else editors') family names, year and title. */
export function citationLabel(item: Readonly<Record<string, unknown>>): string {
  const names = (Array.isArray(item['author']) && item['author'].length > 0 ? item['author'] : Array.isArray(item['editor']) ? item['editor'] : []) as CslName[];
  const families = names.map((n) => n.family ?? n.literal ?? n.given ?? '').filter((f) => f !== '');
  const who =
    families.length === 0 ? '' : families.length === 1 ? families[0]! : families.length <= 3 ? `${families.slice(0, -1).join(', ')} & ${families[families.length - 1]}` : `${families[0]} et al.`;
  const year = yearOf(item['issued']);
  const title = typeof item['title'] === 'string' ? shorten(item['title']) : '';
  const head = [who, year].filter(Boolean).join(' ');
  if (head && title) return `${head} — ${title}`;
  return head || title || '(an entry without author, year or title)';
}

/** What the documents list says of an imported citation. */
export function citationSummary(citation: ImportedCitation): CitationSummary {
  const type = citation.item.type;
  return { format: citation.format, type, kind: cslTypeName(type), label: citationLabel(citation.item) };
}

function yearOf(date: unknown): string {
  if (date === null || typeof date !== 'object') return '';
  const parts = (date as { 'date-parts'?: unknown })['date-parts'];
  const year = Array.isArray(parts) && Array.isArray(parts[0]) ? parts[0][0] : undefined;
  if (typeof year === 'number') return String(year);
  const literal = (date as { literal?: unknown }).literal;
  return typeof literal === 'string' ? (/\d{4}/.exec(literal)?.[0] ?? '') : '';
}

function shorten(title: string): string {
  if (title.length <= LABEL_TITLE_MAX) return title;
  const cut = title.slice(0, LABEL_TITLE_MAX);
  const space = cut.lastIndexOf(' ');
  return `${(space > LABEL_TITLE_MAX / 2 ? cut.slice(0, space) : cut).replace(/[\s,.:;—–-]+$/, '')}…`;
}
