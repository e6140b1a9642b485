import { describe, expect, it } from "vitest";
import { backtest, forecastPeak, leastSquares, trendAcross, type Outcome } from "./forecast";

const promo = (id: number, kind: Outcome["kind"], date: string, peakQps: number | null, baseQps: number | null): Outcome => ({
  promotionId: id,
  name: `P${id}`,
  kind,
  startsAt: new Date(date),
  peak: peakQps === null ? null : { qps: peakQps, memMb: 1200, clients: 100, samples: 30 },
  baseline: baseQps === null ? null : { qps: baseQps, memMb: 1000, clients: 50, days: 14 },
});
const now = { qps: 2000, memMb: 2000, clients: 100, days: 14 };
const d12 = { kind: "DOUBLE_12" as const, startsAt: new Date("2026-12-11T12:00:00Z") };

describe("forecastPeak", () => {
  const history = [
    promo(1, "DOUBLE_12", "2024-12-11T12:00:00Z", 2000, 1000), // 2×
    promo(2, "SIX_EIGHTEEN", "2025-06-17T12:00:00Z", 3000, 1000), // 3×
    promo(3, "DOUBLE_12", "2025-12-11T12:00:00Z", 2500, 1000), // 2.5×
    promo(4, "DOUBLE_11", "2026-11-10T12:00:00Z", 4000, 1000), // 4×
  ];
  it("is the current baseline × the last promotion of the same kind's multiple", () => {
    const f = forecastPeak(history, now, d12, null, 14);
    expect(f.ok && f.method).toBe("lastMultiple");
    expect(f.ok && f.reference?.name).toBe("P3");
    expect(f.ok && f.qps).toBeCloseTo(5000);
    expect(f.ok && f.memMb).toBeCloseTo(2400);
  });
  it("falls back to the latest promotion of any kind when the kind never happened", () => {
    const f = forecastPeak(history, now, { kind: "OTHER", startsAt: d12.startsAt }, null, 14);
    expect(f.ok && f.reference?.name).toBe("P4");
    expect(f.ok && f.qps).toBeCloseTo(8000);
  });
  it("adds a least-squares trend over the multiples of the same kind when 3 or more have data, and judges on the higher", () => {
    const h = [...history, promo(5, "DOUBLE_12", "2023-12-11T12:00:00Z", 1500, 1000)]; // 1.5×, 2×, 2.5× a year apart
    const f = forecastPeak(h, now, d12, null, 14);
    expect(f.ok && f.trend?.points).toBe(3);
    expect(f.ok && f.trend!.slopePerYear).toBeCloseTo(0.5, 2);
    expect(f.ok && f.trend!.multiple).toBeCloseTo(3, 1);
    expect(f.ok && f.judgedQps).toBe(Math.max(f.ok ? f.qps : 0, f.ok ? f.trend!.qps : 0));
  });
  it("has no trend with fewer than 3 usable promotions of the kind", () => {
    const f = forecastPeak(history, now, d12, null, 14);
    expect(f.ok && f.trend).toBeNull();
  });
  it("skips a promotion with no samples (or no baseline) and uses the one before", () => {
    const h = [...history.slice(0, 2), promo(3, "DOUBLE_12", "2025-12-11T12:00:00Z", null, 1000)];
    const f = forecastPeak(h, now, d12, null, 14);
    expect(f.ok && f.reference?.name).toBe("P1");
    expect(f.ok && f.qps).toBeCloseTo(4000);
  });
  it("says in words when there is no current data", () => {
    expect(forecastPeak(history, null, d12, null, 14)).toEqual({ ok: false, note: { code: "noCurrentData", days: 14 } });
  });
  it("a service created after the last promotion uses the fleet's multiple and says so", () => {
    const blank = [promo(4, "DOUBLE_11", "2026-11-10T12:00:00Z", null, null)];
    const f = forecastPeak(blank, now, d12, { multiple: { qps: 2.5, memMb: 1.1, clients: 1.5 }, from: "2025 双12" }, 14);
    expect(f.ok && f.method).toBe("fallbackMultiple");
    expect(f.ok && f.qps).toBeCloseTo(5000);
    expect(f.ok && f.note).toEqual({ code: "fallbackMultiple", multiple: 2.5, from: "2025 双12" });
    expect(forecastPeak(blank, now, d12, null, 14)).toEqual({ ok: false, note: { code: "noPromotionData" } });
  });
  it("never answers NaN: a zero baseline makes a promotion unusable", () => {
    const f = forecastPeak([promo(1, "DOUBLE_12", "2025-12-11T12:00:00Z", 500, 0)], now, d12, null, 14);
    expect(f).toEqual({ ok: false, note: { code: "noPromotionData" } });
  });
});

describe("leastSquares and trendAcross", () => {
  it("fits a line exactly through collinear points", () => {
    const fit = leastSquares([
      { x: 0, y: 1 },
      { x: 1, y: 3 },
      { x: 2, y: 5 },
    ])!;
    expect(fit.slope).toBeCloseTo(2);
    expect(fit.intercept).toBeCloseTo(1);
  });
  it("has no fit for one point or equal x", () => {
    expect(leastSquares([{ x: 1, y: 1 }])).toBeNull();
    expect(
      leastSquares([
        { x: 1, y: 1 },
        { x: 1, y: 2 },
      ]),
    ).toBeNull();
  });
  it("never trends below 1× (a falling line still forecasts at least the baseline)", () => {
    const falling = [
      promo(1, "DOUBLE_11", "2023-11-10T12:00:00Z", 9000, 1000),
      promo(2, "DOUBLE_11", "2024-11-10T12:00:00Z", 5000, 1000),
      promo(3, "DOUBLE_11", "2025-11-10T12:00:00Z", 1000, 1000),
    ];
    const t = trendAcross(falling, { kind: "DOUBLE_11", startsAt: new Date("2030-11-10T12:00:00Z") }, 100)!;
    expect(t.multiple).toBe(1);
    expect(t.qps).toBe(100);
  });
});

describe("backtest", () => {
  it("predicts each promotion from its own baseline and the multiple before it, with the error", () => {
    const h = [promo(1, "DOUBLE_11", "2024-11-10T12:00:00Z", 3000, 1000), promo(2, "DOUBLE_11", "2025-11-10T12:00:00Z", 4800, 1500)];
    expect(backtest(h)).toEqual([{ promotionId: 2, name: "P2", predictedQps: 4500, actualQps: 4800, error: 4500 / 4800 - 1 }]);
  });
  it("leaves out promotions with nothing earlier to learn from or no samples", () => {
    expect(backtest([promo(1, "DOUBLE_11", "2024-11-10T12:00:00Z", 3000, 1000), promo(2, "DOUBLE_11", "2025-11-10T12:00:00Z", null, 1500)])).toEqual([]);
  });
});
