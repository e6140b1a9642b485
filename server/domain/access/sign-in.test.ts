import { describe, expect, it } from "vitest";
import { blockedUntilAfter, THROTTLE } from "./sign-in";

describe("blockedUntilAfter", () => {
  const at = new Date("2026-12-03T10:00:00Z");
  const wait = (kind: "user" | "addr", n: number) => {
    const until = blockedUntilAfter(kind, n, at);
    return until ? (until.getTime() - at.getTime()) / 1000 : 0;
  };

  it("lets the first failures go, then doubles the wait up to a minute, then locks", () => {
    expect([1, 2].map((n) => wait("user", n))).toEqual([0, 0]);
    expect([3, 4, 5, 6, 7, 8, 9].map((n) => wait("user", n))).toEqual([1, 2, 4, 8, 16, 32, 60]);
    expect(wait("user", THROTTLE.user.lockAfter)).toBe(THROTTLE.lockMinutes * 60);
  });

  it("is more lenient per address (many people behind one NAT)", () => {
    expect(wait("addr", THROTTLE.user.freeFailures)).toBe(0);
    expect(wait("addr", THROTTLE.addr.freeFailures)).toBe(1);
    expect(wait("addr", THROTTLE.addr.lockAfter)).toBe(THROTTLE.lockMinutes * 60);
  });
});
