/**
 * Plain-data types shared by every runtime. Nothing here holds behaviour: these are the shapes
 * that cross the API boundary and that the store writes to disk.
 *
 * Vocabulary (one name per concept): an *annotation* is a coded passage; a *code* is a codebook
 * entry; a *memo* is free text attached to either; a *coder* is the person who made it.
 */

/** A block of article structure. Inline text is kept verbatim, without markup. */
export type Block =
  | { type: 'heading'; level: 1 | 2 | 3 | 4 | 5 | 6; text: string }
  | { type: 'paragraph'; text: string }
  | { type: 'blockquote'; children: Block[] }
  | { type: 'list'; ordered: boolean; items: Block[][] };

/** Bibliographic metadata. Unknown fields are empty strings, never invented. */
export interface DocumentMeta {
  title: string;
  publication: string;
  author: string;
  /** ISO 8601 date (YYYY-MM-DD, YYYY-MM or YYYY) or empty. */
  date: string;
  url: string;
  /** When the URL was read, as `date`; absent or empty when not known. */
  accessed?: string;
  /** The pages the text spans in its publication ("12–34"), as a citation gives them. */
  pages?: string;
}

/** A document's full content: metadata plus its block structure. */
export interface DocumentContent {
  id: string;
  meta: DocumentMeta;
  blocks: Block[];
  /** For a text imported from pages (a PDF): the page each top-level block starts on, 1-based. */
  pages?: number[];
  /** SHA-256 (hex) of the canonical plain text (the body only, see `plainText()`). */
  textHash: string;
  /** The citation imported for the document (`documents.get` only); absent when it has none. */
  citation?: ImportedCitation;
}

/** One entry of the documents list. */
export interface DocumentSummary {
  id: string;
  meta: DocumentMeta;
  textHash: string;
  annotationCount: number;
  /** Its passages per code id (codes it does not use are absent). */
  codeCounts: Record<string, number>;
  /** Why the document's coded passages cannot be read (their file was refused or is missing); absent when fine. */
  problem?: string;
  /** The document's memo; absent when it has none. */
  memo?: string;
  /** Its values of the project's document variables, by variable id; absent when it has none. */
  values?: Record<string, VariableValue>;
  /** What its imported citation is, when it has one (the item itself: `documents.get`). */
  citation?: CitationSummary;
}

/** The bibliography formats a citation is imported from. */
export type BibliographyFormat = 'bibtex' | 'ris' | 'csl-json';

/**
 * A CSL-JSON item (citation metadata: type, names, dates, container, identifiers), as main keeps
 * it after cleaning it (main/core/citations/csl-json.ts lists the fields kept).
 */
export interface CslItemData {
  id: string;
  /** A CSL item type (`chapter`, `book`, `article-journal`…). */
  type: string;
  [field: string]: unknown;
}

/**
 * The citation imported for a document from a bibliography file (BibTeX, RIS, CSL-JSON): when a
 * document has one, its quotations are cited from it rather than from its properties.
 */
export interface ImportedCitation {
  format: BibliographyFormat;
  item: CslItemData;
}

/** An imported citation as the documents list shows it. */
export interface CitationSummary {
  format: BibliographyFormat;
  /** Its CSL type, and that in words ("book chapter"). */
  type: string;
  kind: string;
  /** "Kim, Lee & Park 2023 — Families left behind…" */
  label: string;
}

/** What a document variable holds (see `VariableValue`). */
export type VariableType = 'text' | 'number' | 'date' | 'boolean' | 'choice';

/**
 * A document variable: an attribute every document may have a value of (interviewee, site,
 * wave), for sorting and filtering the documents list and for exports. Its id never changes
 * when it is renamed or its type is changed.
 */
export interface DocumentVariable {
  id: string;
  name: string;
  type: VariableType;
  /** For `choice` only: the values allowed, in their order. */
  choices?: string[];
}

/**
 * A document's value of a variable: `text` a string of one line; `number` a finite number;
 * `date` an ISO 8601 date, YYYY, YYYY-MM or YYYY-MM-DD, that exists; `boolean` true or false;
 * `choice` one of the variable's `choices`. A document without a value has none (never an
 * empty string).
 */
export type VariableValue = string | number | boolean;

/** A codebook entry. Hierarchy is expressed by `parentId` (null for top-level codes). */
export interface Code {
  id: string;
  name: string;
  /** CSS hex colour, `#rrggbb`. */
  color: string;
  description: string;
  parentId: string | null;
  /**
   * The code's stable colour slot: highlight styles are keyed by it, so recolouring or inserting
   * a code changes one style rule, never every decoration. Unique within a codebook.
   */
  slot: number;
  /**
   * The key that applies the code to a selection: a digit ("1"–"9") or Alt with a letter
   * ("Alt+S"). Unique within a codebook; absent when the code has none.
   */
  shortcut?: string;
}

export interface Codebook {
  codes: Code[];
}

/** W3C-style selector: the passage's offsets in the canonical plain text (UTF-16 code units). */
export interface TextPositionSelector {
  type: 'TextPositionSelector';
  start: number;
  end: number;
}

/** W3C-style selector: the passage's text with some context either side, for re-anchoring. */
export interface TextQuoteSelector {
  type: 'TextQuoteSelector';
  exact: string;
  prefix: string;
  suffix: string;
}

/** A coded passage as stored. */
export interface Annotation {
  id: string;
  documentId: string;
  /** Hash of the document text the selectors were made on. */
  textHash: string;
  position: TextPositionSelector;
  quote: TextQuoteSelector;
  codeIds: string[];
  memo: string;
  /** The coder (see `Coder`) who made the passage. */
  coderId: string;
  /** ISO 8601 timestamps. */
  created: string;
  modified: string;
  /** The project revision of the passage's last change. */
  rev: number;
}

/** Where a passage is in the document's current text. */
export interface Anchor {
  /** `exact`: the stored position holds; `moved`: found elsewhere by its quote; `orphan`: not found (kept, shown apart). */
  status: 'exact' | 'moved' | 'orphan';
  /** Offsets in the current text; meaningless for orphans. */
  start: number;
  end: number;
}

/** A passage as the API names it: its document and its id. */
export interface PassageRef {
  documentId: string;
  id: string;
}

/** What a memo is about: the project (an entry of its research journal), a document, or a code. */
export type MemoSubject = { kind: 'project' } | { kind: 'document'; id: string } | { kind: 'code'; id: string };

/**
 * A memo of its own, with a title: on the project (the research journal), a document or a code.
 * A passage's memo is its `memo` field and a document's own note its entry's `memo`; these are
 * the others, each written by a coder, with passages linked to it.
 */
export interface Memo {
  id: string;
  title: string;
  text: string;
  about: MemoSubject;
  /** Passages linked to the memo, in the order they were linked. */
  passages: PassageRef[];
  /** The coder who wrote it. */
  authorId: string;
  created: string;
  modified: string;
}

/** A quote of a collection: a passage, and the researcher's note on it there. */
export interface CollectionItem {
  documentId: string;
  passageId: string;
  note: string;
}

/**
 * A quote collection: passages gathered under a name, in the order the researcher chose, each
 * with a note, to export with their citations (a chapter's quotations, a talk's examples).
 */
export interface Collection {
  id: string;
  name: string;
  items: CollectionItem[];
  created: string;
  modified: string;
}

/** A passage as the UI gets it: stored fields plus where it is now (computed by main). */
export interface PlacedAnnotation extends Annotation {
  anchor: Anchor;
}

/** A person who codes. */
export interface Coder {
  id: string;
  name: string;
  /** One to three letters shown beside passages. */
  initials: string;
  /** CSS hex colour, `#rrggbb`. */
  color: string;
}

export interface ProjectInfo {
  name: string;
  /** Absolute folder of the project, shown to the user. */
  location: string;
  /** The coder using this Gloss, or null before they have said who they are. */
  coder: Coder | null;
  /** A name to offer when asking who is coding (the login name). */
  suggestedCoderName: string;
  schemaVersion: number;
  /** The project's revision: it increases with every committed change. */
  revision: number;
  /** What Gloss did on opening that the user should know (a migration, a stale lock taken over). */
  notices: string[];
}
