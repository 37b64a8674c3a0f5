/**
 * Statistics and printing for the benchmarks. A goal row carries the figure measured, the
 * baseline measured in the same run, their ratio, and whether the goal was met.
 */

/** One line of the summary table. */
export interface GoalRow {
  goal: string;
  /** What the goal asks, e.g. "≤ 16 ms" or "≤ 1.5× baseline". */
  target: string;
  measured: string;
  baseline: string;
  /** measured ÷ baseline. */
  ratio: number;
  pass: boolean;
  /** A figure shown for context, not a goal of its own: printed as "info", never counted as missed. */
  info?: boolean;
}

export function median(xs: readonly number[]): number {
  return quantile(xs, 0.5);
}

/** Nearest-rank quantile (p in [0, 1]). */
export function quantile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  if (p === 0.5 && sorted.length % 2 === 0) return (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export function ms(x: number): string {
  if (!Number.isFinite(x)) return '–';
  if (x >= 1000) return `${(x / 1000).toFixed(2)} s`;
  return x >= 100 ? `${x.toFixed(0)} ms` : `${x.toFixed(1)} ms`;
}

export function bytes(x: number): string {
  if (x >= 1 << 30) return `${(x / (1 << 30)).toFixed(2)} GiB`;
  if (x >= 1 << 20) return `${(x / (1 << 20)).toFixed(1)} MiB`;
  if (x >= 1 << 10) return `${(x / (1 << 10)).toFixed(1)} KiB`;
  return `${x} B`;
}

export function ratio(x: number): string {
  return Number.isFinite(x) ? `${x < 0.1 ? x.toFixed(3) : x.toFixed(2)}×` : '–';
}

/** "median 12.3 ms, p95 15.0 ms (n=30)". */
export function spread(xs: readonly number[]): string {
  return `median ${ms(median(xs))}, p95 ${ms(quantile(xs, 0.95))}, min ${ms(Math.min(...xs))}, max ${ms(Math.max(...xs))} (n=${xs.length})`;
}

/** Section headings and detail lines go to stdout as the bench runs. */
export function section(title: string): void {
  console.log(`\n== ${title}`);
}

export function detail(line: string): void {
  console.log(`   ${line}`);
}

/** The summary table, columns padded to fit. */
export function table(rows: readonly GoalRow[]): string {
  const head = ['Goal', 'Target', 'Measured', 'Baseline', 'Ratio', 'Result'];
  const cells = rows.map((r) => [r.goal, r.target, r.measured, r.baseline, ratio(r.ratio), r.info ? 'info' : r.pass ? 'PASS' : 'MISS']);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]): string => `| ${c.map((x, i) => x.padEnd(widths[i]!)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(head), rule, ...cells.map(line)].join('\n');
}
