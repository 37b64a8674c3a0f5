/** Text as the lists show it: on one line, cut to a length, and dates in the window's locale. */

/**
 * `text` on one line (each run of white space one space), at most `max` characters: cut at the
 * end with “…”, or at the start (`keep: 'end'`, the words just before a match). Not trimmed:
 * the words around a match keep the space that parts them from it.
 */
export function oneLine(text: string, max: number, keep: 'start' | 'end' = 'start'): string {
  const s = text.replace(/\s+/g, ' ');
  if (s.length <= max) return s;
  return keep === 'start' ? `${s.slice(0, max - 1)}…` : `…${s.slice(s.length - max + 1)}`;
}

/** `text` on one line and trimmed, at most `max` characters (cut at the end with “…”). */
export function excerpt(text: string, max: number): string {
  return oneLine(text.trim(), max);
}

/** An ISO date as the window's locale writes a day (the text itself when it is not a date). */
export function day(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString();
}
