/** A range of plain text covered by a passage. */
export interface Span {
  id: string;
  start: number;
  end: number;
}

/** A maximal run of text covered by the same set of passages. */
export interface Segment {
  start: number;
  end: number;
  /** Passages covering this run, outermost (earliest start, then longest) first. */
  ids: string[];
}

/**
 * Cuts overlapping and nested spans into segments with a constant set of covering passages, so
 * that a view can show every layer of coding instead of painting one colour over another.
 * Sorting costs O(n log n); each segment then costs O(active passages), which stays small for
 * real coding (the viewer calls this per block).
 */
export function segmentSpans(spans: readonly Span[]): Segment[] {
  const live = spans.filter((s) => s.end > s.start);
  if (live.length === 0) return [];
  // Nesting order: outer passages first, so each layer keeps its place across segments.
  const order = [...live].sort((a, b) => a.start - b.start || b.end - a.end || (a.id < b.id ? -1 : 1));
  const rank = new Map(order.map((s, i) => [s.id, i]));
  const points = [...new Set(live.flatMap((s) => [s.start, s.end]))].sort((a, b) => a - b);
  const active: Span[] = [];
  const out: Segment[] = [];
  let next = 0;
  for (let p = 0; p < points.length - 1; p++) {
    const from = points[p]!;
    const to = points[p + 1]!;
    while (next < order.length && order[next]!.start <= from) active.push(order[next++]!);
    for (let i = active.length - 1; i >= 0; i--) if (active[i]!.end <= from) active.splice(i, 1);
    if (active.length === 0) continue;
    const ids = active.map((s) => s.id).sort((a, b) => rank.get(a)! - rank.get(b)!);
    out.push({ start: from, end: to, ids });
  }
  return out;
}
