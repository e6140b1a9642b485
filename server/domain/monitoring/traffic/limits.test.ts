import { english } from "../../../../i18n/load";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dueOperations, isLoopback, isRead, TRAFFIC_MAX_RATE, TRAFFIC_MAX_SECONDS, trafficProblems } from "./limits";

const ok = { ratePerSec: 500, durationSec: 60, readRatio: 0.8 };
const local = { host: "127.0.14.2", port: 6379 };

describe("demo traffic limits", () => {
  it("accepts loopback addresses only", () => {
    expect(["127.0.0.1", "127.0.14.2", "127.255.255.254"].map(isLoopback)).toEqual([true, true, true]);
    expect(["10.0.0.1", "128.0.0.1", "127.0.0", "127.0.0.256", "localhost", "::1", "127.0.0.1.5"].map(isLoopback)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it("says every way the settings are out of bounds", () => {
    expect(trafficProblems(ok, local)).toEqual([]);
    expect(english(trafficProblems({ ...ok, ratePerSec: TRAFFIC_MAX_RATE + 1 }, local)[0])).toMatch(/from 1 to 2000/);
    expect(english(trafficProblems({ ...ok, durationSec: TRAFFIC_MAX_SECONDS + 1 }, local)[0])).toMatch(/from 1 to 600 seconds/);
    expect(trafficProblems(ok, { host: "10.1.2.3", port: 6379 }).map(english)).toEqual([
      "demo traffic goes only to loopback addresses (127.0.0.0/8); the entry point 10.1.2.3:6379 is not one",
    ]);
    expect(trafficProblems({ ratePerSec: 0, durationSec: 0, readRatio: 2 }, { host: null, port: null })).toHaveLength(4);
  });

  it("keeps the read share exact over any prefix of the run", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 5000 }), (ratio, n) => {
        let reads = 0;
        for (let i = 0; i < n; i++) if (isRead(i, ratio)) reads++;
        expect(reads).toBe(Math.floor(n * ratio));
      }),
    );
  });

  it("schedules rate × elapsed operations", () => {
    expect(dueOperations(2000, 1500)).toBe(3000);
    expect(dueOperations(3, 999)).toBe(2);
  });
});
