/**
 * Folding text for matching words as a reader means them: "Pyongyang", "PYONGYANG" and
 * "Pyŏngyang" are one word to someone looking for it. Compatibility decomposition splits
 * ligatures and accented letters, the non-spacing marks are dropped, upper- then lower-casing
 * approximates Unicode full case folding ("Straße" and "STRASSE" meet at "strasse"), and any run
 * of spaces or line breaks is one space. Folded text is for `includes` tests only: its length is
 * not the original's, so no offset may be taken from it.
 */
export function fold(s: string): string {
  return s.normalize('NFKD').replace(/\p{Mn}+/gu, '').toUpperCase().toLowerCase().replace(/\s+/g, ' ');
}
