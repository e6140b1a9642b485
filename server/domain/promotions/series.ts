/**
 * Peaks and baselines over one service's hourly rollups: the pure core the SQL in `stats-store.ts`
 * mirrors (its integration test checks that both agree on the same rows).
 */

export type Metrics = { qps: number; memMb: number; clients: number };
/** One hourly rollup: the hour's peaks (ServiceHour opsMax, usedMemoryMbMax, clientsMax). */
export type HourSample = Metrics & { at: Date };
export type WindowPeak = Metrics & { samples: number };
/** Median of the daily peaks over the days before a start; `days` counts the days that had samples. */
export type Baseline = Metrics & { days: number };

export type Window = { startsAt: Date; endsAt: Date };

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
const METRICS = ["qps", "memMb", "clients"] as const;

/** Peaks of each metric over the hours in [startsAt, endsAt); null when the window has no sample. */
export function peakInWindow(samples: readonly HourSample[], w: Window): WindowPeak | null {
  const inside = samples.filter((s) => s.at >= w.startsAt && s.at < w.endsAt);
  if (inside.length === 0) return null;
  const peak = (m: keyof Metrics) => Math.max(...inside.map((s) => s[m]));
  return { qps: peak("qps"), memMb: peak("memMb"), clients: peak("clients"), samples: inside.length };
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error("median of nothing");
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * The pre-promotion baseline: the `days` 24-hour periods before `start` (period k holds
 * [start − (k+1)·24h, start − k·24h)), each reduced to its peak, then the median of those peaks.
 * The median ignores one odd day (an incident, an earlier campaign) that a mean would not.
 * Null when fewer than `minDays` periods have samples.
 */
export function baselineBefore(samples: readonly HourSample[], start: Date, days: number, minDays: number): Baseline | null {
  const from = start.getTime() - days * DAY_MS;
  const daily = new Map<number, Metrics>();
  for (const s of samples) {
    const t = s.at.getTime();
    if (t < from || t >= start.getTime()) continue;
    const k = Math.floor((start.getTime() - 1 - t) / DAY_MS);
    const d = daily.get(k);
    daily.set(
      k,
      d
        ? { qps: Math.max(d.qps, s.qps), memMb: Math.max(d.memMb, s.memMb), clients: Math.max(d.clients, s.clients) }
        : { qps: s.qps, memMb: s.memMb, clients: s.clients },
    );
  }
  if (daily.size < Math.max(1, minDays)) return null;
  const peaks = [...daily.values()];
  const out = { days: daily.size } as Baseline;
  for (const m of METRICS) out[m] = median(peaks.map((p) => p[m]));
  return out;
}

/** peak ÷ baseline per metric; a metric whose baseline is 0 has no multiple (null), never Infinity. */
export function multiples(peak: Metrics, baseline: Metrics): { [K in keyof Metrics]: number | null } {
  const ratio = (m: keyof Metrics) => (baseline[m] > 0 ? peak[m] / baseline[m] : null);
  return { qps: ratio("qps"), memMb: ratio("memMb"), clients: ratio("clients") };
}

/** Relative change from `before` to `after` (0.25 = +25 %); null when `before` is 0 or missing. */
export function growth(before: number | null | undefined, after: number | null | undefined): number | null {
  if (before === null || before === undefined || after === null || after === undefined || before <= 0) return null;
  return after / before - 1;
}
