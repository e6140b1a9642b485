import { describe, expect, it } from "vitest";
import { ageParts } from "./age";

describe("ageParts", () => {
  const t0 = new Date("2026-11-11T00:00:00Z");
  const at = (s: number) => new Date(t0.getTime() + s * 1000);
  it("reads in the two largest units", () => {
    expect(ageParts(t0, at(42))).toEqual({ unit: "s", values: { s: 42 } });
    expect(ageParts(t0, at(7 * 60 + 59))).toEqual({ unit: "m", values: { m: 7 } });
    expect(ageParts(t0, at(3 * 3600 + 5 * 60))).toEqual({ unit: "h", values: { h: 3, m: 5 } });
    expect(ageParts(t0, at(2 * 86400 + 3 * 3600))).toEqual({ unit: "d", values: { d: 2, h: 3 } });
  });
  it("never goes negative when clocks disagree", () => {
    expect(ageParts(at(10), t0)).toEqual({ unit: "s", values: { s: 0 } });
  });
});
