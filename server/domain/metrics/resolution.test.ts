import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_POINTS, pickResolution, rangeOf, stepFor } from "./resolution";

const now = new Date("2026-11-11T12:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms);
const H = 3600_000;

describe("pickResolution", () => {
  it("reads raw samples for the last hour, minutes for a day, hours for 7 and 30 days", () => {
    expect(pickResolution(ago(H), now, now)).toEqual({ resolution: "raw", stepSeconds: 10 });
    expect(pickResolution(ago(24 * H), now, now)).toEqual({ resolution: "minute", stepSeconds: 120 });
    expect(pickResolution(ago(7 * 24 * H), now, now)).toEqual({ resolution: "hour", stepSeconds: 3600 });
    expect(pickResolution(ago(30 * 24 * H), now, now)).toEqual({ resolution: "hour", stepSeconds: 3600 });
  });

  it("falls back to a rollup when a short range is older than the raw or minute window", () => {
    expect(pickResolution(ago(3 * 24 * H), ago(3 * 24 * H - H), now).resolution).toBe("minute");
    expect(pickResolution(ago(40 * 24 * H), ago(40 * 24 * H - H), now).resolution).toBe("hour");
  });

  it("keeps every chart under MAX_POINTS points with a whole multiple of the table's period", () => {
    fc.assert(
      fc.property(fc.integer({ min: 60_000, max: 2 * 366 * 24 * H }), fc.integer({ min: 0, max: 400 * 24 * H }), (span, age) => {
        const to = ago(age);
        const p = pickResolution(new Date(to.getTime() - span), to, now);
        const base = { raw: 10, minute: 60, hour: 3600 }[p.resolution];
        expect(p.stepSeconds % base).toBe(0);
        expect(Math.ceil(span / 1000 / p.stepSeconds)).toBeLessThanOrEqual(MAX_POINTS);
      }),
    );
  });

  it("steps are never finer than the table", () => {
    expect(stepFor("hour", 60_000)).toBe(3600);
  });

  it("turns presets into ranges ending now", () => {
    expect(rangeOf({ preset: "7d" }, now)).toEqual({ from: ago(7 * 24 * H), to: now });
  });
});
