import { describe, expect, it } from "vitest";
import { leaderOf, ownerOf } from "./assignment";

const ids = Array.from({ length: 3000 }, (_, i) => i + 1);

describe("spreading instances over workers", () => {
  it("every instance has exactly one owner and the shares are even", () => {
    const workers = ["w-a", "w-b", "w-c"];
    const counts = new Map<string, number>();
    for (const id of ids) counts.set(ownerOf(id, workers)!, (counts.get(ownerOf(id, workers)!) ?? 0) + 1);
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(3000);
    for (const c of counts.values()) expect(c).toBeGreaterThan(800);
    expect(ownerOf(1, [])).toBeUndefined();
  });

  it("a worker leaving moves only its own instances", () => {
    const before = ["w-a", "w-b", "w-c"];
    const after = ["w-a", "w-c"];
    for (const id of ids) {
      const was = ownerOf(id, before);
      if (was !== "w-b") expect(ownerOf(id, after)).toBe(was);
    }
  });

  it("the oldest live worker leads", () => {
    expect(
      leaderOf([
        { id: "b", startedAt: new Date(2) },
        { id: "a", startedAt: new Date(5) },
      ]),
    ).toBe("b");
    expect(leaderOf([])).toBeUndefined();
  });
});
