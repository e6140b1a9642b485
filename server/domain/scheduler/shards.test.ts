import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maxShards } from "./shards";

/** Exhaustive: every way to give the next shard R distinct domains (memoized on the sorted caps). */
function bruteForce(caps: number[], R: number, memo = new Map<string, number>()): number {
  const key = [...caps].sort((a, b) => a - b).join(",");
  const known = memo.get(key);
  if (known !== undefined) return known;
  let best = 0;
  const pick = (from: number, chosen: number[]) => {
    if (chosen.length === R) {
      best = Math.max(
        best,
        1 +
          bruteForce(
            caps.map((v, i) => (chosen.includes(i) ? v - 1 : v)),
            R,
            memo,
          ),
      );
      return;
    }
    for (let i = from; i < caps.length; i++) if (caps[i]! > 0) pick(i + 1, [...chosen, i]);
  };
  pick(0, []);
  memo.set(key, best);
  return best;
}

describe("maxShards", () => {
  it("matches hand-made cases", () => {
    expect(maxShards([10, 1, 1], 2)).toBe(2);
    expect(maxShards([3, 3, 3], 3)).toBe(3);
    expect(maxShards([5, 5], 3)).toBe(0);
    expect(maxShards([4, 4, 4, 0], 2)).toBe(6);
    expect(maxShards([], 1)).toBe(0);
  });

  it("equals an exhaustive search on small domain sets", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 5 }), fc.integer({ min: 1, max: 4 }), (caps, R) => {
        expect(maxShards(caps, R)).toBe(bruteForce(caps, R));
      }),
      { numRuns: 300 },
    );
  });
});
