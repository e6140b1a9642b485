import { describe, expect, it } from "vitest";
import { mergeCommands, mergeHistograms, percentile } from "./histogram";

describe("latency histograms", () => {
  it("merges buckets and reads percentiles as the bucket's upper bound", () => {
    const h = new Map<number, number>();
    mergeHistograms(h, { "16": 50, "64": 40 });
    mergeHistograms(h, { "64": 5, "1024": 5, junk: 3, "2048": -1 });
    expect([...h.entries()].sort((a, b) => a[0] - b[0])).toEqual([
      [16, 50],
      [64, 45],
      [1024, 5],
    ]);
    expect(percentile(h, 0.5)).toBe(16);
    expect(percentile(h, 0.9)).toBe(64);
    expect(percentile(h, 0.99)).toBe(1024);
    expect(percentile(new Map(), 0.5)).toBeNull();
  });

  it("ignores what is not a histogram", () => {
    const h = new Map<number, number>();
    mergeHistograms(h, null);
    mergeHistograms(h, "x");
    expect(h.size).toBe(0);
  });
});

describe("command figures", () => {
  it("adds calls and µs per command", () => {
    const m = new Map<string, { calls: number; usec: number }>();
    mergeCommands(m, { get: { calls: 10, usec: 20 } });
    mergeCommands(m, { get: { calls: 5, usec: 10 }, set: { calls: 1 } });
    expect(Object.fromEntries(m)).toEqual({ get: { calls: 15, usec: 30 }, set: { calls: 1, usec: 0 } });
  });
});
