/**
 * Offsets in UTF-16 code units (what JavaScript strings, the DOM and Gloss's selectors count)
 * and in Unicode code points (what REFI-QDA and most other tools count) differ by one for every
 * astral character (emoji, 𝒳, many CJK extension ideographs) before the offset. One converter
 * for every runtime, built once per text and then answering each offset in O(log n).
 */
export class CodePointMap {
  /** UTF-16 offsets of the low surrogate of every astral character, ascending. */
  private readonly astral: Int32Array;

  constructor(readonly text: string) {
    const lows: number[] = [];
    for (let i = 0; i + 1 < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          lows.push(i + 1);
          i++;
        }
      }
    }
    this.astral = Int32Array.from(lows);
  }

  /** Number of code points in the text. */
  get length(): number {
    return this.text.length - this.astral.length;
  }

  /**
   * UTF-16 offset → code-point offset. An offset inside a surrogate pair counts the pair as
   * not yet passed (it resolves to the character's start).
   */
  toCodePoints(utf16: number): number {
    const u = Math.max(0, Math.min(utf16, this.text.length));
    // Pairs whose low surrogate lies before u have been fully or half passed; a half-passed one
    // (u is the low surrogate itself) resolves to the pair's start, which the `<=` counts too.
    return u - countBelow(this.astral, u + 1);
  }

  /** Code-point offset → UTF-16 offset. */
  toUtf16(codePoints: number): number {
    const cp = Math.max(0, Math.min(codePoints, this.length));
    // The k-th astral character (0-based) starts at code point lows[k] - 1 - k.
    let lo = 0;
    let hi = this.astral.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.astral[mid]! - 1 - mid < cp) lo = mid + 1;
      else hi = mid;
    }
    return cp + lo;
  }
}

/** How many values of an ascending array are < `limit`. */
function countBelow(values: Int32Array, limit: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! < limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
