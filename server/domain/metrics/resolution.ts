/**
 * Which table a chart reads for a time range: raw samples while the range is short and still
 * inside the raw window, the per-minute rollup for days, the per-hour rollup beyond (and for
 * anything older than the minute window). The step keeps a chart near MAX_POINTS points.
 */

export type Resolution = "raw" | "minute" | "hour";

/** Retention defaults of the collector (raw 2 days, minutes 30 days); hours are kept for years. */
export const RAW_RETENTION_MS = 2 * 24 * 3600_000;
export const MINUTE_RETENTION_MS = 30 * 24 * 3600_000;
export const RAW_MAX_SPAN_MS = 6 * 3600_000;
export const MINUTE_MAX_SPAN_MS = 3 * 24 * 3600_000;
export const POLL_SECONDS = 10;
export const MAX_POINTS = 800;

const BASE_SECONDS: Record<Resolution, number> = { raw: POLL_SECONDS, minute: 60, hour: 3600 };

export type Plan = { resolution: Resolution; stepSeconds: number };

export function pickResolution(from: Date, to: Date, now: Date): Plan {
  const span = to.getTime() - from.getTime();
  const age = now.getTime() - from.getTime();
  const resolution: Resolution =
    span <= RAW_MAX_SPAN_MS && age <= RAW_RETENTION_MS ? "raw" : span <= MINUTE_MAX_SPAN_MS && age <= MINUTE_RETENTION_MS ? "minute" : "hour";
  return { resolution, stepSeconds: stepFor(resolution, span) };
}

/** A whole multiple of the table's own period, so no bucket mixes a partial period. */
export function stepFor(resolution: Resolution, spanMs: number): number {
  const base = BASE_SECONDS[resolution];
  return base * Math.max(1, Math.ceil(spanMs / 1000 / base / MAX_POINTS));
}

/** The named ranges of the charts; "custom" passes from/to itself. */
export const PRESETS = { "1h": 3600_000, "1d": 24 * 3600_000, "7d": 7 * 24 * 3600_000, "30d": 30 * 24 * 3600_000 } as const;
export type Preset = keyof typeof PRESETS;

export function rangeOf(input: { preset: Preset } | { from: Date; to: Date }, now: Date): { from: Date; to: Date } {
  if ("preset" in input) return { from: new Date(now.getTime() - PRESETS[input.preset]), to: now };
  return { from: input.from, to: input.to };
}
