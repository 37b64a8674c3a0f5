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
}

/** A document's full content: metadata plus its block structure. */
export interface DocumentContent {
  id: string;
  meta: DocumentMeta;
  blocks: Block[];
  /** SHA-256 (hex) of the canonical plain text, see `plainText()`. */
  textHash: string;
}

/** One entry of the documents list. */
export interface DocumentSummary {
  id: string;
  meta: DocumentMeta;
  textHash: string;
  annotationCount: number;
  /** Why the document's coded passages cannot be read (their file was refused); absent when fine. */
  problem?: string;
}

/** A codebook entry. Hierarchy is expressed by `parentId` (null for top-level codes). */
export interface Code {
  id: string;
  name: string;
  /** CSS hex colour, `#rrggbb`. */
  color: string;
  description: string;
  parentId: string | null;
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

/** A coded passage. */
export interface Annotation {
  id: string;
  documentId: string;
  /** Hash of the document text the selectors were made on. */
  textHash: string;
  position: TextPositionSelector;
  quote: TextQuoteSelector;
  codeIds: string[];
  memo: string;
  coder: string;
  /** ISO 8601 timestamps. */
  created: string;
  modified: string;
}

export interface Coder {
  id: string;
  name: string;
}

export interface ProjectInfo {
  name: string;
  /** Absolute folder of the project, shown to the user. */
  location: string;
  coder: Coder;
  schemaVersion: number;
}
