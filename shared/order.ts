import type { Annotation, Code } from './model';

/**
 * Text order of passages, the same in the UI, the API and every export: by start, then end,
 * then creation time, then id (plain code-unit comparison, so it never depends on a locale).
 */
export function compareAnnotations(a: Annotation, b: Annotation): number {
  return a.position.start - b.position.start || a.position.end - b.position.end || cmp(a.created, b.created) || cmp(a.id, b.id);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A code's name with its ancestors', outermost first: ["Repression tactic", "Surveillance"].
 * A missing parent ends the path; a cycle stops at the first code seen twice. Unknown id: [].
 */
export function codePathNames(byId: ReadonlyMap<string, Code>, id: string): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  for (let c = byId.get(id); c && !seen.has(c.id); c = c.parentId === null ? undefined : byId.get(c.parentId)) {
    seen.add(c.id);
    names.unshift(c.name);
  }
  return names;
}
