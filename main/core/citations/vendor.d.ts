// The parts of the citation libraries Gloss uses; none of them ships type declarations.

declare module 'citeproc' {
  /** citeproc-js's parsed form of a CSL style or locale (what its own XML reader makes). */
  export interface CslNode {
    name: string;
    attrs: Record<string, string>;
    children: (CslNode | string)[];
  }
  export interface CiteprocSys {
    retrieveLocale(lang: string): CslNode | string;
    retrieveItem(id: string): unknown;
  }
  export interface CitationItem {
    id: string;
    locator?: string;
    label?: string;
  }
  export class Engine {
    constructor(sys: CiteprocSys, style: CslNode | string, lang?: string, forceLang?: boolean);
    setOutputFormat(format: 'text' | 'html' | 'rtf'): void;
    updateItems(ids: string[]): void;
    makeCitationCluster(items: CitationItem[]): string;
    /** `false` when the style has no bibliography. */
    makeBibliography(): [Record<string, unknown>, string[]] | false;
  }
  const CSL: { Engine: typeof Engine };
  export default CSL;
}

declare module '@citation-js/core' {
  export const plugins: {
    input: { data(input: unknown, type: string): unknown };
    output: { format(name: string, data: unknown[], options?: Record<string, unknown>): string };
  };
  export const logger: { _log: unknown[]; level: string };
}

declare module '@citation-js/plugin-bibtex';
