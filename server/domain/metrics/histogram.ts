/**
 * Latency histograms ({ "<upper bound µs>": count }) and per-command figures
 * ({ get: { calls, usec } }) as the collector stores them: merging and reading percentiles.
 */

export type Histogram = Record<string, number>;
export type CommandStats = Record<string, { calls: number; usec: number }>;

export function mergeHistograms(into: Map<number, number>, raw: unknown): void {
  if (!raw || typeof raw !== "object") return;
  for (const [bound, count] of Object.entries(raw as Histogram)) {
    const b = Number(bound);
    const c = Number(count);
    if (Number.isFinite(b) && Number.isFinite(c) && c > 0) into.set(b, (into.get(b) ?? 0) + c);
  }
}

/** The upper bound of the bucket holding the q-th request (q in 0..1); null for an empty histogram. */
export function percentile(h: Map<number, number>, q: number): number | null {
  const bounds = [...h.keys()].sort((a, b) => a - b);
  const total = bounds.reduce((s, b) => s + h.get(b)!, 0);
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (const b of bounds) {
    seen += h.get(b)!;
    if (seen >= rank) return b;
  }
  return bounds[bounds.length - 1]!;
}

export function mergeCommands(into: Map<string, { calls: number; usec: number }>, raw: unknown): void {
  if (!raw || typeof raw !== "object") return;
  for (const [name, v] of Object.entries(raw as CommandStats)) {
    const calls = Number(v?.calls);
    const usec = Number(v?.usec);
    if (!Number.isFinite(calls)) continue;
    const cur = into.get(name) ?? { calls: 0, usec: 0 };
    cur.calls += calls;
    cur.usec += Number.isFinite(usec) ? usec : 0;
    into.set(name, cur);
  }
}
