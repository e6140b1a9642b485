import { describe, expect, it } from "vitest";
import { demoPromotions, HISTORY_DAYS } from "./history";

const DAY = 86_400_000;

describe("demoPromotions", () => {
  // The demo must look the same whatever day it is seeded on: a promotion just ended, mid-sale, new year.
  for (const day of ["2026-12-03T08:00:00Z", "2026-11-11T03:00:00Z", "2027-01-01T00:00:00Z", "2027-06-30T12:00:00Z", "2031-03-15T00:00:00Z"]) {
    it(`on ${day}: two past 双11s with a baseline inside the history, and a promotion to come`, () => {
      const now = new Date(day);
      const list = demoPromotions(now);
      const historyStart = now.getTime() - HISTORY_DAYS * DAY;
      for (const p of list) expect(new Date(p.start).getTime() - historyStart).toBeGreaterThanOrEqual(14 * DAY);
      const pastDouble11 = list.filter((p) => p.kind === "DOUBLE_11" && new Date(p.end) <= now);
      expect(pastDouble11.length).toBeGreaterThanOrEqual(2);
      expect(list.some((p) => new Date(p.start) > now)).toBe(true);
      expect(new Set(list.map((p) => p.name)).size).toBe(list.length);
    });
  }
});
