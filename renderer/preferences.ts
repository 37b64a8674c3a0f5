import type { ApiInput } from '../shared/api';

/**
 * Preferences of this computer for one project (where in-vivo codes go, how the documents list
 * is sorted and filtered, the citation style of copied quotations), kept in the page's
 * localStorage rather than in the project: colleagues sharing a project folder each keep their
 * own. A project is known by its folder. Where storage is refused (a private window, a full
 * disk) preferences last as long as the page.
 */

/** What is kept per project; every field may be missing (never chosen). */
export interface ProjectPreferences {
  /** The code new in-vivo codes go under; null or missing: the top level. */
  inVivoParent?: string | null;
  /** How the documents list is sorted and filtered (document-query.ts `DocumentView`; read with `readView`). */
  documentView?: unknown;
  /** The style quotations are copied in (read with `storedCitationStyle`). */
  citationStyle?: CitationStyle;
}

/** A citation style of `passages.quote`: APA 7, Chicago author-date, MLA 9. */
export type CitationStyle = ApiInput<'passages.quote'>['style'];

/** The style used until the user chooses one. */
export const DEFAULT_CITATION_STYLE: CitationStyle = 'apa';

/** Every style, as a record so that a style added to the API fails to compile here until listed. */
const CITATION_STYLES: Readonly<Record<CitationStyle, true>> = { apa: true, chicago: true, mla: true };

/** Whether `value` is a citation style Gloss knows (stored values and form values are checked with it). */
export function isCitationStyle(value: unknown): value is CitationStyle {
  return typeof value === 'string' && Object.hasOwn(CITATION_STYLES, value);
}

const PREFIX = 'gloss.project-preferences:';
/** What storage refused to keep, for the rest of the page's life. */
const unsaved = new Map<string, ProjectPreferences>();

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    // Reading `localStorage` itself throws where the page may not store anything.
    return null;
  }
}

/** The preferences kept for the project in `location`. */
export function readPreferences(location: string): ProjectPreferences {
  const kept = unsaved.get(location);
  if (kept) return kept;
  try {
    const raw = storage()?.getItem(PREFIX + location);
    const value: unknown = raw ? JSON.parse(raw) : null;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as ProjectPreferences) : {};
  } catch {
    return {};
  }
}

/** Changes some of the preferences kept for the project in `location`. */
export function writePreferences(location: string, change: ProjectPreferences): void {
  const next = { ...readPreferences(location), ...change };
  try {
    const store = storage();
    if (!store) throw new Error('no storage');
    store.setItem(PREFIX + location, JSON.stringify(next));
    unsaved.delete(location);
  } catch {
    unsaved.set(location, next);
  }
}

/**
 * The citation style kept for the project in `location`; the default when none was chosen, when
 * what is stored is not a style (an older or damaged entry), or before a project is open.
 */
export function storedCitationStyle(location: string | undefined): CitationStyle {
  if (location === undefined) return DEFAULT_CITATION_STYLE;
  const style = readPreferences(location).citationStyle;
  return isCitationStyle(style) ? style : DEFAULT_CITATION_STYLE;
}
