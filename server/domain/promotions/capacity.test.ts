import { describe, expect, it } from "vitest";
import { DEFAULT_SIZING_SETTINGS as S } from "../provisioning/sizing-settings";
import { assessRisk, capacityOf } from "./capacity";

describe("capacityOf", () => {
  it("is the QPS ceiling per shard × shards, bounded by proxy ceiling × proxies", () => {
    const c = capacityOf({ kind: "REDIS_TWEMPROXY", shards: 4, proxies: 2, maxmemoryMb: 16384 }, S)!;
    expect(c.shardQps).toBe(4 * S.redisQpsPerShard);
    expect(c.proxyQps).toBe(2 * S.proxyQps);
    expect(c.qps).toBe(Math.min(4 * S.redisQpsPerShard, 2 * S.proxyQps));
    expect(c.perShardMemMb).toBe(4096);
  });
  it("uses the Memcached ceiling for Memcached nodes and has no proxy bound without proxies", () => {
    const c = capacityOf({ kind: "MEMCACHED", shards: 3, proxies: 0, maxmemoryMb: 3 * 4096 }, S)!;
    expect(c.qps).toBe(3 * S.memcachedQpsPerNode);
    expect(c.proxyQps).toBeNull();
  });
  it("is null for a service without data instances", () => {
    expect(capacityOf({ kind: "REDIS_STANDALONE", shards: 0, proxies: 0, maxmemoryMb: 0 }, S)).toBeNull();
  });
});

describe("assessRisk", () => {
  const proxied = { kind: "REDIS_TWEMPROXY" as const, shards: 4, proxies: 2, maxmemoryMb: 4 * 4096 };
  it("is not at risk while the forecast stays under capacity minus headroom, and proposes nothing", () => {
    const cap = capacityOf(proxied, S)!;
    const r = assessRisk(proxied, cap, { qps: cap.qps * 0.69, memMb: 16384 * 0.5 }, 0.3, S);
    expect(r.atRisk).toBe(false);
    expect(r.actions).toEqual([]);
  });
  it("adds shards and proxies for QPS beyond the usable capacity", () => {
    const cap = capacityOf(proxied, S)!;
    const r = assessRisk(proxied, cap, { qps: 300_000, memMb: 8000 }, 0.3, S);
    expect(r.atRisk).toBe(true);
    const shards = Math.ceil(300_000 / (S.redisQpsPerShard * 0.7));
    const proxies = Math.ceil(300_000 / (S.proxyQps * 0.7));
    expect(r.actions).toEqual([
      { kind: "shards", from: 4, to: shards },
      { kind: "proxies", from: 2, to: proxies },
    ]);
    expect(r.qpsLoad).toBeCloseTo(300_000 / (cap.qps * 0.7));
  });
  it("raises maxmemory per shard when memory is the limit and the shard may grow", () => {
    const cap = capacityOf(proxied, S)!;
    const r = assessRisk(proxied, cap, { qps: 1000, memMb: 14000 }, 0.3, S);
    expect(r.atRisk).toBe(true);
    expect(r.actions).toEqual([{ kind: "memory", fromMbPerShard: 4096, toMbPerShard: 5120 }]);
  });
  it("splits a one-shard Sentinel service into shards behind Twemproxy when one shard cannot carry it", () => {
    const f = { kind: "REDIS_SENTINEL" as const, shards: 1, proxies: 0, maxmemoryMb: 8192 };
    const r = assessRisk(f, capacityOf(f, S)!, { qps: 100_000, memMb: 4000 }, 0.3, S);
    expect(r.actions[0]).toEqual({ kind: "split", to: 3, proxies: 2 });
    expect(r.target.kind).toBe("REDIS_TWEMPROXY");
  });
});
