import { describe, expect, it } from "vitest";
import { english, serverTranslator } from "../../../i18n/load";
import { zodIssueText } from "../../../lib/zod-text";
import { requestFormSchema } from "./request-schema";

const valid = {
  productLineId: 3,
  kind: "REDIS_SENTINEL",
  purpose: "  shopping cart sessions of the trade app  ",
  capacityGb: 8,
  peakQps: 20_000,
  expectedKeys: 5_000_000,
  persistence: "aof",
  highAvailability: true,
  idcPreference: null,
  readRatio: 80,
};

/** path → messages of a refused form, in English as the API says them */
function refusal(change: Record<string, unknown>): Record<string, string[]> {
  const result = requestFormSchema.safeParse({ ...valid, ...change });
  expect(result.success).toBe(false);
  const out: Record<string, string[]> = {};
  for (const issue of result.error!.issues) (out[issue.path.join(".")] ??= []).push(english(zodIssueText(issue, (m) => serverTranslator("en").has(m))));
  return out;
}

describe("requestFormSchema", () => {
  it("accepts a sensible form and trims the purpose", () => {
    const form = requestFormSchema.parse(valid);
    expect(form.purpose).toBe("shopping cart sessions of the trade app");
    expect(requestFormSchema.parse({ ...valid, idcPreference: 2, capacityGb: 0.5, readRatio: 0 }).capacityGb).toBe(0.5);
  });

  it("accepts each kind with what it can do", () => {
    const ok = (change: Record<string, unknown>) => expect(requestFormSchema.safeParse({ ...valid, ...change }).success).toBe(true);
    ok({ kind: "REDIS_STANDALONE", highAvailability: false, persistence: "rdb" });
    ok({ kind: "REDIS_TWEMPROXY", highAvailability: true, persistence: "none" });
    ok({ kind: "MEMCACHED", highAvailability: false, persistence: "none" });
    ok({ kind: "MEMCACHED_TWEMPROXY", highAvailability: true, persistence: "none" });
  });

  it.each([
    [{ productLineId: undefined }, "productLineId", "pick the product line this cache serves"],
    [{ productLineId: 0 }, "productLineId", "pick the product line this cache serves"],
    [
      { kind: "REDIS_CLUSTER" },
      "kind",
      "pick a software: Redis standalone, Redis master/replica with Sentinel, Redis shards behind Twemproxy, Memcached, Memcached behind Twemproxy",
    ],
    [{ purpose: "cache" }, "purpose", "say what the cache holds and which application uses it (at least 10 characters)"],
    [{ purpose: "          " }, "purpose", "say what the cache holds and which application uses it (at least 10 characters)"],
    [{ purpose: "x".repeat(501) }, "purpose", "keep the purpose under 500 characters; details belong in the service description"],
    [{ purpose: 42 }, "purpose", "say what the cache holds and which application uses it"],
    [{ capacityGb: "8" }, "capacityGb", "capacity must be a number of GB, e.g. 8"],
    [{ capacityGb: Number.NaN }, "capacityGb", "capacity must be a number of GB, e.g. 8"],
    [{ capacityGb: 0.05 }, "capacityGb", "capacity must be at least 0.1 GB"],
    [{ capacityGb: 2000 }, "capacityGb", "more than 1,024 GB is too much for one service: split the data into several services (e.g. one per business domain)"],
    [{ peakQps: "lots" }, "peakQps", "peak QPS must be a number, e.g. 20000"],
    [{ peakQps: 0 }, "peakQps", "peak QPS must be at least 1"],
    [{ peakQps: 1.5 }, "peakQps", "peak QPS must be a whole number"],
    [{ peakQps: 6_000_000 }, "peakQps", "more than 5,000,000 QPS is too much for one service: split the traffic into several services"],
    [{ expectedKeys: 0 }, "expectedKeys", "the expected number of keys must be at least 1"],
    [{ expectedKeys: 2.5 }, "expectedKeys", "the expected number of keys must be a whole number"],
    [{ expectedKeys: 2e10 }, "expectedKeys", "more than 10,000,000,000 keys is too much for one service: split the data into several services"],
    [{ persistence: "snapshot" }, "persistence", 'pick a persistence: "none" (a cache), "rdb" (snapshots) or "aof" (every write logged)'],
    [{ highAvailability: "yes" }, "highAvailability", "say whether the service must survive the loss of an instance (yes or no)"],
    [{ idcPreference: undefined }, "idcPreference", "pick an IDC, or none for any"],
    [{ idcPreference: -1 }, "idcPreference", "pick an IDC, or none for any"],
    [{ readRatio: -1 }, "readRatio", "the read share is a percentage from 0 to 100"],
    [{ readRatio: 101 }, "readRatio", "the read share is a percentage from 0 to 100"],
    [{ readRatio: 50.5 }, "readRatio", "the read share must be a whole percentage"],
    [{ readRatio: null }, "readRatio", "the read share must be a number from 0 to 100 (% of requests that read)"],
  ])("refuses %o beside %s", (change, field, message) => {
    expect(refusal(change)[field]).toEqual([message]);
  });

  it("refuses persistence for Memcached, saying why", () => {
    const message = "Memcached keeps data only in memory and cannot persist it: choose no persistence, or Redis if the data must survive a restart";
    expect(refusal({ kind: "MEMCACHED", persistence: "rdb", highAvailability: false })).toEqual({ persistence: [message] });
    expect(refusal({ kind: "MEMCACHED_TWEMPROXY", persistence: "aof" })).toEqual({ persistence: [message] });
  });

  it("refuses high availability where there is nothing to fail over to, naming the kind that has it", () => {
    expect(refusal({ kind: "REDIS_STANDALONE", highAvailability: true })).toEqual({
      highAvailability: ["a standalone Redis has no replica to fail over to: choose Redis master/replica with Sentinel, or Redis shards behind Twemproxy"],
    });
    expect(refusal({ kind: "MEMCACHED", highAvailability: true, persistence: "none" })).toEqual({
      highAvailability: ["Memcached alone has no failover: choose Memcached behind Twemproxy (the proxies eject a failed node), or Redis master/replica"],
    });
  });

  it("reports a field rule and a cross-field rule together", () => {
    expect(refusal({ kind: "MEMCACHED", persistence: "aof", highAvailability: true, readRatio: 200 })).toEqual({
      readRatio: ["the read share is a percentage from 0 to 100"],
      persistence: [expect.stringContaining("Memcached keeps data only in memory")],
      highAvailability: [expect.stringContaining("Memcached alone has no failover")],
    });
  });
});
