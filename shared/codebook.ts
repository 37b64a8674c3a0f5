import type { Code } from './model';

/**
 * The codebook as a tree: pure functions over the flat list of codes (hierarchy by `parentId`,
 * sibling order by position in the list), shared by main's commands and the UI's panel.
 */

/** The tree's shape: each code's children in sibling order (`null` = the top level). */
export function childrenOf(codes: readonly Code[]): Map<string | null, Code[]> {
  const ids = new Set(codes.map((c) => c.id));
  const children = new Map<string | null, Code[]>();
  for (const c of codes) {
    // A code whose parent is missing is shown at the top level rather than lost.
    const parent = c.parentId !== null && ids.has(c.parentId) ? c.parentId : null;
    let list = children.get(parent);
    if (!list) children.set(parent, (list = []));
    list.push(c);
  }
  return children;
}

/** Every code below `id` (children, their children, …), parents before children. */
export function descendantsOf(codes: readonly Code[], id: string): Code[] {
  const children = childrenOf(codes);
  const out: Code[] = [];
  const seen = new Set<string>([id]);
  const walk = (parent: string): void => {
    for (const c of children.get(parent) ?? []) {
      if (seen.has(c.id)) continue;
      seen.add(c.id);
      out.push(c);
      walk(c.id);
    }
  };
  walk(id);
  return out;
}

/** Whether `id` is `ancestor` or lies below it. */
export function isWithin(codes: readonly Code[], id: string, ancestor: string): boolean {
  const byId = new Map(codes.map((c) => [c.id, c]));
  const seen = new Set<string>();
  for (let c = byId.get(id); c && !seen.has(c.id); c = c.parentId === null ? undefined : byId.get(c.parentId)) {
    if (c.id === ancestor) return true;
    seen.add(c.id);
  }
  return false;
}

/** One row of the tree as drawn: the code, its depth (0 = top level) and whether it has children. */
export interface TreeRow {
  code: Code;
  depth: number;
  hasChildren: boolean;
  /** The row's place among its siblings (1-based) and their number, for assistive technology. */
  position: number;
  siblings: number;
}

/**
 * The tree in reading order (parents before children, siblings in order), leaving out the
 * children of collapsed codes. A cycle of parents (damage) cannot loop: each code is drawn once.
 */
export function treeRows(codes: readonly Code[], collapsed: ReadonlySet<string> = new Set()): TreeRow[] {
  const children = childrenOf(codes);
  const rows: TreeRow[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | null, depth: number): void => {
    const list = (children.get(parent) ?? []).filter((c) => !seen.has(c.id));
    list.forEach((code, i) => {
      seen.add(code.id);
      const kids = children.get(code.id) ?? [];
      rows.push({ code, depth, hasChildren: kids.length > 0, position: i + 1, siblings: list.length });
      if (!collapsed.has(code.id)) walk(code.id, depth + 1);
    });
  };
  walk(null, 0);
  return rows;
}

/** How names are compared for clashes: Unicode-normalised, trimmed, case-folded. */
export function nameKey(name: string): string {
  return name.normalize('NFC').trim().toLocaleLowerCase('und');
}

/** A code name as stored: NFC, trimmed, inner runs of white space made one space. */
export function cleanName(name: string): string {
  return name.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** The longest code name accepted. */
export const CODE_NAME_MAX = 200;

/** Why `name` cannot name a code (a sentence), or null when it can. */
export function nameProblem(name: string): string | null {
  const clean = cleanName(name);
  if (clean === '') return 'A code needs a name.';
  if (clean.length > CODE_NAME_MAX) return `A code's name can be at most ${CODE_NAME_MAX} characters long.`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(clean)) return 'A code name cannot hold control characters.';
  return null;
}

/** The sibling of `exceptId` under `parentId` already named like `name`, if any. */
export function siblingNamed(codes: readonly Code[], parentId: string | null, name: string, exceptId?: string): Code | undefined {
  const key = nameKey(name);
  return codes.find((c) => c.parentId === parentId && c.id !== exceptId && nameKey(c.name) === key);
}

/**
 * A palette of clearly distinguishable colours for highlights on white and dark backgrounds
 * (after the Kelly and Tableau sets, chosen for mutual distinctness rather than by hue family).
 */
export const CODE_PALETTE: readonly string[] = [
  '#d62728', '#1f77b4', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf',
  '#bcbd22', '#7f7f7f', '#f0a30a', '#00a6a6', '#a0522d', '#6a3d9a', '#b15928', '#e31a1c',
];

/** A colour for a new code: the first palette colour no code uses yet, else the least used one. */
export function nextColor(codes: readonly Code[]): string {
  return colorPicker(codes)();
}

/**
 * Colours for several new codes in a row (an import): each call gives the palette colour least
 * used so far, counting the ones it gave. The codes are read once.
 */
export function colorPicker(codes: readonly Code[]): () => string {
  const uses = new Map<string, number>(CODE_PALETTE.map((c) => [c, 0]));
  for (const c of codes) {
    const k = c.color.toLowerCase();
    if (uses.has(k)) uses.set(k, uses.get(k)! + 1);
  }
  return () => {
    let best = CODE_PALETTE[0]!;
    for (const [color, n] of uses) if (n < uses.get(best)!) best = color;
    uses.set(best, uses.get(best)! + 1);
    return best;
  };
}
