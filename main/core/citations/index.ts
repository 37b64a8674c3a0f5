/**
 * The citation engine for quotes and exports: a document's reference as CSL-JSON (csl-item.ts),
 * rendered in APA 7, Chicago author-date or MLA 9 by citeproc-js (format.ts), bibliography files
 * read (import.ts) and written (bibtex.ts, csl-json.ts) with citation keys (keys.ts), and a
 * document's imported citation said in words (describe.ts) and previewed (document-citation.ts).
 */
export { cslItemFor, metaFromCslItem, typeFor, isoToCsl, cslToIso } from './csl-item';
export { parseAuthors, formatAuthors } from './names';
export { citeFor, quotation, BLOCK_QUOTE_WORDS, type Citation, type Locator, type Quotation } from './format';
export { CITATION_STYLES, CITATION_CREDITS, CitationDataError, type CitationStyle } from './styles';
export { readBibliography, BibliographyError, LIMITS, type Bibliography, type BibliographyFormat } from './import';
export { toBibtex } from './bibtex';
export { toCslJson, cslItemSchema, cleanCslItem, strictCslItem, FIELD_MAX, type CslItem, type CslName, type CslDate } from './csl-json';
export { citationKey, withCitationKeys, KEY_PATTERN } from './keys';
export { sanitizeCslHtml, escapeHtml } from './html';
export { citationLabel, citationSummary, cslTypeName } from './describe';
export { citationChoices, citationFills, type CitationChoice, type CitationFills } from './document-citation';
