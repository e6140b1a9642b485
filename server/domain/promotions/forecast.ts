import type { PromotionKind } from "../../../generated/prisma/enums";
import type { Baseline, Metrics, WindowPeak } from "./series";

/** What one past promotion looked like for one service (from the stats cache or a hand-made series). */
export type Outcome = {
  promotionId: number;
  name: string;
  kind: PromotionKind;
  startsAt: Date;
  peak: WindowPeak | null;
  baseline: Baseline | null;
};

/** Why a figure is missing, for the page to say in words (codes are translated there). */
export type Note = { code: "noCurrentData"; days: number } | { code: "noPromotionData" } | { code: "fallbackMultiple"; multiple: number; from: string };

export type Trend = { method: "leastSquares"; points: number; slopePerYear: number; multiple: number; qps: number };

export type Forecast =
  | { ok: false; note: Note }
  | {
      ok: true;
      /** "lastMultiple": current baseline × the multiple of `reference`; "fallbackMultiple": the service has no usable promotion */
      method: "lastMultiple" | "fallbackMultiple";
      reference: { promotionId: number; name: string } | null;
      baseline: Baseline;
      multiple: { qps: number; memMb: number; clients: number };
      /** the forecast by the method */
      qps: number;
      memMb: number;
      clients: number;
      trend: Trend | null;
      /** what the risk is judged on: the higher of the method and the trend */
      judgedQps: number;
      note: Note | null;
    };

const YEAR_MS = 365.25 * 24 * 3_600_000;

/** Ordinary least squares y = a + b·x; null with fewer than 2 points or all x equal. */
export function leastSquares(points: readonly { x: number; y: number }[]): { intercept: number; slope: number } | null {
  const n = points.length;
  if (n < 2) return null;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  if (sxx === 0) return null;
  const slope = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / sxx;
  return { intercept: my - slope * mx, slope };
}

/** A promotion's multiples when both its peak and its baseline exist and the baselines are above 0. */
export function outcomeMultiples(o: Outcome): Metrics | null {
  if (!o.peak || !o.baseline || o.baseline.qps <= 0 || o.baseline.memMb <= 0) return null;
  return {
    qps: o.peak.qps / o.baseline.qps,
    memMb: o.peak.memMb / o.baseline.memMb,
    clients: o.baseline.clients > 0 ? o.peak.clients / o.baseline.clients : 1,
  };
}

/**
 * The reference promotion: the latest one before `target` with usable multiples, of the target's kind
 * when the service has one (a 双11 behaves like the previous 双11, not like 618), else of any kind.
 */
export function referenceOutcome(history: readonly Outcome[], target: { kind: PromotionKind; startsAt: Date }): Outcome | null {
  const usable = history.filter((o) => o.startsAt < target.startsAt && outcomeMultiples(o)).sort((a, b) => b.startsAt.getTime() - a.startsAt.getTime());
  return usable.find((o) => o.kind === target.kind) ?? usable[0] ?? null;
}

/**
 * Trend across promotions: least squares of the QPS multiple against time over the usable
 * promotions of the target's kind before it (3 or more; kinds differ too much in size to share a
 * line), read at the target's start and never below 1×.
 */
export function trendAcross(history: readonly Outcome[], target: { kind: PromotionKind; startsAt: Date }, baselineQps: number): Trend | null {
  const pts = history
    .filter((o) => o.startsAt < target.startsAt && o.kind === target.kind)
    .flatMap((o) => {
      const m = outcomeMultiples(o);
      return m ? [{ x: o.startsAt.getTime() / YEAR_MS, y: m.qps }] : [];
    });
  if (pts.length < 3) return null;
  const fit = leastSquares(pts);
  if (!fit) return null;
  const multiple = Math.max(1, fit.intercept + fit.slope * (target.startsAt.getTime() / YEAR_MS));
  return { method: "leastSquares", points: pts.length, slopePerYear: fit.slope, multiple, qps: baselineQps * multiple };
}

/**
 * Next peak = current baseline × the reference promotion's multiple. A service without a usable
 * promotion (created after the last one, or never sampled in one) gets `fallback` — the fleet's
 * median multiple of the reference — and says so.
 */
export function forecastPeak(
  history: readonly Outcome[],
  current: Baseline | null,
  target: { kind: PromotionKind; startsAt: Date },
  fallback: { multiple: Metrics; from: string } | null,
  baselineDays: number,
): Forecast {
  if (!current) return { ok: false, note: { code: "noCurrentData", days: baselineDays } };
  const ref = referenceOutcome(history, target);
  const refMultiple = ref ? outcomeMultiples(ref)! : fallback?.multiple;
  if (!refMultiple) return { ok: false, note: { code: "noPromotionData" } };
  const qps = current.qps * refMultiple.qps;
  const trend = ref ? trendAcross(history, target, current.qps) : null;
  return {
    ok: true,
    method: ref ? "lastMultiple" : "fallbackMultiple",
    reference: ref ? { promotionId: ref.promotionId, name: ref.name } : null,
    baseline: current,
    multiple: refMultiple,
    qps,
    memMb: current.memMb * refMultiple.memMb,
    clients: current.clients * refMultiple.clients,
    trend,
    judgedQps: Math.max(qps, trend?.qps ?? 0),
    note: ref ? null : { code: "fallbackMultiple", multiple: refMultiple.qps, from: fallback!.from },
  };
}

export type BacktestPoint = { promotionId: number; name: string; predictedQps: number; actualQps: number; error: number };

/**
 * For each past promotion with a peak and a baseline: what `forecastPeak` would have said from the
 * data before it (its own pre-promotion baseline × the reference multiple before it) and the error
 * (predicted ÷ actual − 1). Promotions with nothing earlier to learn from are left out.
 */
export function backtest(history: readonly Outcome[]): BacktestPoint[] {
  const out: BacktestPoint[] = [];
  for (const o of history) {
    if (!o.peak || !o.baseline || o.peak.qps <= 0) continue;
    const earlier = history.filter((h) => h.startsAt < o.startsAt);
    const f = forecastPeak(earlier, o.baseline, o, null, 0);
    if (!f.ok) continue;
    out.push({ promotionId: o.promotionId, name: o.name, predictedQps: f.qps, actualQps: o.peak.qps, error: f.qps / o.peak.qps - 1 });
  }
  return out;
}
