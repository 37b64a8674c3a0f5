/**
 * Coder profiles: who codes. Helpers shared by the profile store and the migration.
 */

/** Colours for coders, distinct from each other and readable on white and dark backgrounds. */
const CODER_COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22'];

/** The colour given to the n-th coder (0-based) when none was chosen. */
export function coderColor(n: number): string {
  return CODER_COLORS[((n % CODER_COLORS.length) + CODER_COLORS.length) % CODER_COLORS.length]!;
}

/** Up to three initials of a name: "Ana Lima" → "AL", "Kim Ji-woo" → "KJW", "Ana" → "A". */
export function initialsOf(name: string): string {
  const words = name
    .trim()
    .split(/[\s\-_.]+/u)
    .filter((w) => w !== '');
  const letters = words.map((w) => Array.from(w)[0]!.toLocaleUpperCase());
  return letters.slice(0, 3).join('') || '?';
}
