/**
 * Preferences of this computer for one project (where in-vivo codes go, how the documents list
 * is sorted and filtered), kept in the page's
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
