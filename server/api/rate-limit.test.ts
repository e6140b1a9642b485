import { describe, expect, it } from "vitest";
import { RateLimiter } from "./rate-limit";

describe("RateLimiter", () => {
  it("allows perMinute calls per caller in a minute, then says how long to wait; each caller has its own window", () => {
    const l = new RateLimiter(3);
    const t0 = 1_000_000;
    expect([l.take("a", t0), l.take("a", t0 + 1), l.take("a", t0 + 2)]).toEqual([null, null, null]);
    expect(l.take("a", t0 + 10_000)).toBe(50);
    expect(l.take("b", t0 + 10_000)).toBeNull();
    expect(l.take("a", t0 + 60_000)).toBeNull();
  });
});
