import { describe, expect, it } from "vitest";
import { baselineBefore, growth, HOUR_MS, median, multiples, peakInWindow, type HourSample } from "./series";

const T0 = new Date("2026-11-10T12:00:00Z"); // a promotion start
const at = (h: number) => new Date(T0.getTime() + h * HOUR_MS);
const flat = (fromH: number, toH: number, f: (h: number) => Partial<HourSample> = () => ({})): HourSample[] =>
  Array.from({ length: toH - fromH }, (_, i) => ({ at: at(fromH + i), qps: 100, memMb: 1000, clients: 50, ...f(fromH + i) }));

describe("peakInWindow", () => {
  it("takes the highest hour of each metric inside [start, end) only", () => {
    const s = flat(-48, 60, (h) => (h === 5 ? { qps: 900 } : h === 30 ? { memMb: 1500 } : h === 31 ? { qps: 5000 } : h === -1 ? { clients: 999 } : {}));
    expect(peakInWindow(s, { startsAt: at(0), endsAt: at(30) })).toEqual({ qps: 900, memMb: 1000, clients: 50, samples: 30 });
  });
  it("answers null for a window with no sample", () => {
    expect(peakInWindow(flat(-48, 0), { startsAt: at(0), endsAt: at(30) })).toBeNull();
    expect(peakInWindow([], { startsAt: at(0), endsAt: at(30) })).toBeNull();
  });
});

describe("baselineBefore", () => {
  it("is the median of the daily peaks of the days before the start", () => {
    // 5 days before the start with daily peaks 100, 200, 300, 400, 10000 (an incident): median 300
    const peaks = [10000, 400, 300, 200, 100];
    const s = flat(-120, 0, (h) => ({ qps: (h + 120) % 24 === 20 ? peaks[Math.floor((h + 120) / 24)] : 10 }));
    const b = baselineBefore(s, T0, 5, 3)!;
    expect(b.qps).toBe(300);
    expect(b.days).toBe(5);
  });
  it("uses 24-hour periods counted back from the start and ignores hours at or after it", () => {
    const s = [...flat(-24, 0, () => ({ qps: 50 })), ...flat(0, 10, () => ({ qps: 9999 }))];
    expect(baselineBefore(s, T0, 1, 1)!.qps).toBe(50);
  });
  it("averages the two middle days when their count is even", () => {
    const s = flat(-48, 0, (h) => ({ qps: h < -24 ? 100 : 200 }));
    expect(baselineBefore(s, T0, 2, 1)!.qps).toBe(150);
  });
  it("is null with fewer days of data than required (a service created just before the promotion)", () => {
    expect(baselineBefore(flat(-40, 0), T0, 14, 3)).toBeNull();
    expect(baselineBefore(flat(-72, 0), T0, 14, 3)!.days).toBe(3);
  });
  it("skips days without samples instead of counting them as zero (missing data)", () => {
    const s = flat(-14 * 24, 0).filter((x) => Math.floor((T0.getTime() - 1 - x.at.getTime()) / 86_400_000) % 2 === 0);
    const b = baselineBefore(s, T0, 14, 3)!;
    expect(b.days).toBe(7);
    expect(b.qps).toBe(100);
  });
});

describe("multiples and growth", () => {
  it("divides peak by baseline per metric", () => {
    expect(multiples({ qps: 300, memMb: 1200, clients: 80 }, { qps: 100, memMb: 1000, clients: 40 })).toEqual({ qps: 3, memMb: 1.2, clients: 2 });
  });
  it("has no multiple over a zero baseline (never Infinity or NaN)", () => {
    expect(multiples({ qps: 300, memMb: 0, clients: 0 }, { qps: 0, memMb: 0, clients: 0 })).toEqual({ qps: null, memMb: null, clients: null });
  });
  it("growth is relative and null when a side is missing or zero", () => {
    expect(growth(100, 150)).toBeCloseTo(0.5);
    expect(growth(200, 100)).toBeCloseTo(-0.5);
    expect(growth(null, 100)).toBeNull();
    expect(growth(0, 100)).toBeNull();
    expect(growth(100, undefined)).toBeNull();
  });
  it("median refuses an empty list loudly rather than answering NaN", () => {
    expect(() => median([])).toThrow();
    expect(median([3, 1, 2])).toBe(2);
  });
});
