import { english } from "../../../i18n/load";
import { describe, expect, it } from "vitest";
import { DomainError } from "../errors";
import { hostsBeside, placementGroups } from "./placement";
import { sizeRequest, type Plan, type SizingInput } from "./sizing";
import { DEFAULT_SIZING_SETTINGS, resolveSizingSettings } from "./sizing-settings";

const request = (change: Partial<SizingInput>): SizingInput => ({
  kind: "REDIS_TWEMPROXY",
  capacityGb: 10,
  peakQps: 10_000,
  expectedKeys: 1_000_000,
  persistence: "none",
  highAvailability: false,
  readRatio: 80,
  ...change,
});

const countsOf = (plan: ReturnType<typeof sizeRequest>) => Object.fromEntries(plan.roles.map((r) => [r.role, r.count]));

/** A plan's reasons in English, as an API caller reads them. */
const words = (plan: Plan): string[] => plan.reasons.map((r) => english(r));

describe("sizeRequest", () => {
  it("gives a tiny standalone Redis the smallest shard and no replica", () => {
    const plan = sizeRequest(
      request({ kind: "REDIS_STANDALONE", capacityGb: 0.1, peakQps: 100, expectedKeys: 10_000, readRatio: 90 }),
      { importance: 2 },
      null,
    );
    expect(plan).toMatchObject({ kind: "REDIS_STANDALONE", shards: 1, perShardMemoryMb: 512, replicas: 1, sentinels: 0, proxies: 0, vip: false });
    // 512 MB × 1.2; 130 QPS × 10,737-byte items ≈ 11 Mbps, rounded up to the 10 Mbps step
    expect(plan.roles).toEqual([{ role: "MASTER", software: "REDIS", count: 1, spec: { cpuCores: 1, memoryMb: 615, diskGb: 2, bandwidthMbps: 20 } }]);
    expect(plan.totals).toEqual({ instances: 1, cpuCores: 1, memoryMb: 615, diskGb: 2, bandwidthMbps: 20 });
    expect(words(plan)).toEqual([
      "Memory: 0.13 GB = (0.1 GB asked + 10,000 keys × 64 bytes of per-key overhead (settings: bytesPerKey)) × 1.3 headroom (settings: headroom).",
      "Traffic: 130 QPS = 100 QPS asked × 1.3 headroom.",
      "1 shard: 0.13 GB at most 12 GB per shard (settings: redisMaxShardMemoryGb) needs 1, and 130 QPS at 60,000 QPS per shard (settings: redisQpsPerShard) needs 1.",
      "maxmemory 512 MB per shard: the smallest shard (settings: minShardMemoryMb).",
      "1 copy per shard (no replica): the product line is 2★ (settings: copiesByImportance).",
      "Clients connect to the instance directly.",
      "Each Redis reserves 615 MB: maxmemory × 1.2 for fragmentation and buffers (settings: memoryOverhead).",
      "Each Redis gets 2 GB of disk, for logs only: nothing is persisted (settings: logDiskGb).",
      "Each Redis reserves 20 Mbps: 130 QPS per shard × 10,737-byte items (capacity / keys), rounded up to 10 Mbps (settings: bandwidthStepMbps).",
    ]);
  });

  it("splits a big memory request into shards no larger than the maximum, with disk for snapshots", () => {
    const plan = sizeRequest(request({ capacityGb: 200, persistence: "rdb" }), { importance: 3 }, null);
    // (200 GB + 61 MB of key overhead) × 1.3 = 260 GB over 12 GB shards
    expect(plan).toMatchObject({ shards: 22, perShardMemoryMb: 12_288, replicas: 1, sentinels: 0, proxies: 2, vip: true });
    expect(countsOf(plan)).toEqual({ MASTER: 22, PROXY: 2 });
    // 591 QPS per shard × 214,748-byte items
    expect(plan.roles[0]!.spec).toEqual({ cpuCores: 1, memoryMb: 18_432, diskGb: 26, bandwidthMbps: 1020 });
    expect(words(plan)).toContain(
      "22 shards: 260.1 GB at most 12 GB per shard (settings: redisMaxShardMemoryGb) needs 22, and 13,000 QPS at 60,000 QPS per shard (settings: redisQpsPerShard) needs 1.",
    );
    expect(words(plan)).toContain(
      "2 proxies: 13,000 QPS at 80,000 QPS per proxy (settings: proxyQps) needs 1; at least 2 so one can fail while another serves (settings: minProxies). A VIP in front of them is the one address clients use.",
    );
    expect(words(plan)).toContain(
      "Each Redis reserves 18,432 MB: maxmemory × 1.5, as the fork of an RDB snapshot copies the pages written meanwhile (settings: persistentMemoryOverhead).",
    );
    expect(words(plan)).toContain(
      "Each Redis gets 26 GB of disk: 2 × maxmemory, for a new RDB file written beside the old one (settings: persistenceDiskFactor), + 2 GB for logs (settings: logDiskGb).",
    );
  });

  it("shards by QPS when traffic, not memory, is the limit, and sizes the proxy tier for it", () => {
    const plan = sizeRequest(request({ peakQps: 1_000_000, highAvailability: true, readRatio: 50 }), { importance: 3 }, null);
    // 1,300,000 QPS over 60,000 per shard; 14.1 GB over 22 shards → 641 MB, rounded up to 768
    expect(plan).toMatchObject({ shards: 22, perShardMemoryMb: 768, replicas: 2, proxies: 17 });
    expect(countsOf(plan)).toEqual({ MASTER: 22, REPLICA: 22, SENTINEL: 17, PROXY: 17 });
    expect(plan).toMatchObject({ sentinels: 17, sentinelQuorum: 9, sentinelsBeside: "PROXY" });
    expect(words(plan)).toContain(
      "2 copies per shard (a master and 1 replica): high availability was asked (settings: haCopies); the scheduler keeps a shard's copies on different hosts (racks for important lines).",
    );
    expect(words(plan)).toContain(
      "17 Sentinels with a quorum of 9, one on each proxy's host (as the Vipshop platform runs them): they watch every shard's master; when a majority agrees one is down for 3 s they promote its replica, and each Sentinel rewrites its own proxy's server line for that shard (same name, so keys stay put) and restarts it, one proxy after the other — no one needs to be awake. 8 Sentinels can be lost.",
    );
    expect(words(plan)).toContain(
      "17 proxies: 1,300,000 QPS at 80,000 QPS per proxy (settings: proxyQps) needs 17. A VIP in front of them is the one address clients use.",
    );
    // 59,091 QPS × 10,737-byte items × 8 bits, × 1.5 for the half of them that are writes streamed to the replica
    const master = plan.roles.find((r) => r.role === "MASTER")!;
    expect(master.spec.bandwidthMbps).toBe(7620);
    expect(plan.roles.find((r) => r.role === "REPLICA")!.spec).toEqual(master.spec);
    // a proxy carries its rated 80,000 QPS in and out
    expect(plan.roles.find((r) => r.role === "PROXY")!.spec).toEqual({ cpuCores: 1, memoryMb: 512, diskGb: 2, bandwidthMbps: 13_750 });
  });

  it("gives a 5★ master/replica three copies and five Sentinels with a majority quorum", () => {
    const plan = sizeRequest(
      request({ kind: "REDIS_SENTINEL", capacityGb: 8, peakQps: 30_000, expectedKeys: 5_000_000, persistence: "aof", highAvailability: true, readRatio: 70 }),
      { importance: 5 },
      null,
    );
    expect(plan).toMatchObject({ shards: 1, replicas: 3, sentinels: 5, sentinelQuorum: 3, proxies: 0, vip: false });
    expect(countsOf(plan)).toEqual({ MASTER: 1, REPLICA: 2, SENTINEL: 5 });
    expect(plan.roles.find((r) => r.role === "SENTINEL")!.spec).toEqual({ cpuCores: 0.5, memoryMb: 256, diskGb: 2, bandwidthMbps: 10 });
    expect(words(plan)).toContain(
      "3 copies per shard (a master and 2 replicas): the product line is 5★ (settings: copiesByImportance); the scheduler keeps a shard's copies on different hosts (racks for important lines).",
    );
    expect(words(plan)).toContain(
      "5 Sentinels with a quorum of 3 for a 5★ product line (settings: sentinelsByImportance): a majority must agree the master is down, so 2 Sentinels can be lost; clients ask the Sentinels where the master is.",
    );
    expect(words(plan)).toContain("Replicas get the master's spec: one of them becomes the master in a failover.");
  });

  it("gives a 3★ master/replica one replica and three Sentinels", () => {
    const plan = sizeRequest(request({ kind: "REDIS_SENTINEL", capacityGb: 4 }), { importance: 3 }, null);
    expect(plan).toMatchObject({ replicas: 2, sentinels: 3, sentinelQuorum: 2 });
    expect(words(plan)).toContain(
      "2 copies per shard (a master and 1 replica): master/replica needs a replica to fail over to (settings: haCopies); the scheduler keeps a shard's copies on different hosts (racks for important lines).",
    );
  });

  it("sizes Memcached behind Twemproxy by node limits, with one copy and a spare proxy for a 4★ line", () => {
    const plan = sizeRequest(
      request({ kind: "MEMCACHED_TWEMPROXY", capacityGb: 100, peakQps: 300_000, expectedKeys: 200_000_000, highAvailability: true, readRatio: 95 }),
      { importance: 4 },
      null,
    );
    // 145.5 GB over 16 GB nodes needs 10; 390,000 QPS over 100,000 per node needs 4; 390,000 / 80,000 per proxy needs 5, +1 spare
    expect(plan).toMatchObject({ kind: "MEMCACHED_TWEMPROXY", shards: 10, perShardMemoryMb: 15_104, replicas: 1, sentinels: 0, proxies: 6, vip: true });
    expect(plan.roles.map((r) => [r.role, r.software, r.count])).toEqual([
      ["CACHE", "MEMCACHED", 10],
      ["PROXY", "TWEMPROXY", 6],
    ]);
    expect(plan.roles[0]!.spec).toMatchObject({ cpuCores: 2, memoryMb: 18_125, diskGb: 2 });
    expect(words(plan)).toContain(
      "10 nodes: 145.5 GB at most 16 GB per node (settings: memcachedMaxNodeMemoryGb) needs 10, and 390,000 QPS at 100,000 QPS per node (settings: memcachedQpsPerNode) needs 4.",
    );
    expect(words(plan)).toContain("Memory limit (-m) 15,104 MB per node: 145.5 GB over 10 nodes, rounded up to 256 MB (settings: memoryStepMb).");
    expect(words(plan)).toContain("1 copy per node: Memcached does not replicate, so a lost node costs cache misses until the proxies eject it.");
    expect(words(plan)).toContain(
      "6 proxies: 390,000 QPS at 80,000 QPS per proxy (settings: proxyQps) needs 5, plus 1 spare so a 4★ peak is carried with a proxy down (settings: spareProxyFromImportance). A VIP in front of them is the one address clients use.",
    );
  });

  it("keeps two Memcached nodes behind Twemproxy for high availability however small", () => {
    const plan = sizeRequest(request({ kind: "MEMCACHED_TWEMPROXY", capacityGb: 1, highAvailability: true }), { importance: 2 }, null);
    expect(plan.shards).toBe(2);
    expect(words(plan)).toContain(
      "2 nodes: 1.4 GB at most 16 GB per node (settings: memcachedMaxNodeMemoryGb) needs 1, and 13,000 QPS at 100,000 QPS per node (settings: memcachedQpsPerNode) needs 1; high availability needs 2 nodes, so the proxies can eject a failed one while the other serves.",
    );
  });

  it("says how clients reach plain Memcached", () => {
    expect(words(sizeRequest(request({ kind: "MEMCACHED", capacityGb: 1 }), { importance: 1 }, null))).toContain("Clients connect to the instance directly.");
    const big = sizeRequest(request({ kind: "MEMCACHED", capacityGb: 60 }), { importance: 1 }, null);
    expect(big).toMatchObject({ shards: 5, proxies: 0, vip: false });
    expect(words(big)).toContain("Clients spread keys over the 5 nodes themselves (consistent hashing in the client).");
  });

  it("sizes from the product line's history when its grown peak exceeds the request, and says so", () => {
    const history = { peakQps: 100_000, peakMemoryMb: 40_960, growthPerYear: 1.5 };
    const plan = sizeRequest(request({ capacityGb: 10, peakQps: 20_000 }), { importance: 3 }, history);
    // 40 GB × 1.5 × 1.3 = 78 GB → 7 shards; 150,000 × 1.3 = 195,000 QPS → 4 shards
    expect(plan).toMatchObject({ shards: 7, perShardMemoryMb: 11_520 });
    expect(words(plan).slice(0, 3)).toEqual([
      "Memory: 78 GB = the product line's monitored peak of 40 GB × 1.5 growth per year (60 GB, above the 10.1 GB asked) × 1.3 headroom (settings: headroom).",
      "Traffic: 195,000 QPS = the product line's monitored peak of 100,000 QPS × 1.5 growth per year (above the 20,000 QPS asked) × 1.3 headroom.",
      "7 shards: 78 GB at most 12 GB per shard (settings: redisMaxShardMemoryGb) needs 7, and 195,000 QPS at 60,000 QPS per shard (settings: redisQpsPerShard) needs 4.",
    ]);
  });

  it("keeps the request when it exceeds the history", () => {
    const history = { peakQps: 1_000, peakMemoryMb: 1_024, growthPerYear: 1.2 };
    const withHistory = sizeRequest(request({}), { importance: 3 }, history);
    expect(withHistory).toEqual(sizeRequest(request({}), { importance: 3 }, null));
    expect(words(withHistory)[0]).toMatch(/^Memory: 13.1 GB = \(10 GB asked \+ 1,000,000 keys/);
  });

  it("follows the settings and cites them", () => {
    const settings = resolveSizingSettings({ redisMaxShardMemoryGb: 4, headroom: 1, copiesByImportance: { 3: 2 } });
    const plan = sizeRequest(request({ capacityGb: 16, expectedKeys: 1 }), { importance: 3 }, null, settings);
    expect(plan).toMatchObject({ shards: 5, replicas: 2 });
    expect(words(plan)[2]).toContain("at most 4 GB per shard (settings: redisMaxShardMemoryGb) needs 5");
    expect(words(plan)).toContain(
      "2 copies per shard (a master and 1 replica): the product line is 3★ (settings: copiesByImportance); the scheduler keeps a shard's copies on different hosts (racks for important lines).",
    );
  });

  it("refuses a single-master kind that needs several shards, beside the field that drives it", () => {
    const big = () => sizeRequest(request({ kind: "REDIS_STANDALONE", capacityGb: 12 }), { importance: 2 }, null);
    expect(big).toThrow(DomainError);
    expect(big).toThrow(
      "Redis standalone has a single master, and this request needs 2 shards (15.7 GB at most 12 GB per shard (settings: redisMaxShardMemoryGb) needs 2, and 13,000 QPS at 60,000 QPS per shard (settings: redisQpsPerShard) needs 1): choose Redis shards behind Twemproxy, or lower the capacity or peak QPS",
    );
    expect(errorOf(big).details).toEqual({ field: "capacityGb" });
    const busy = () => sizeRequest(request({ kind: "REDIS_SENTINEL", capacityGb: 4, peakQps: 100_000 }), { importance: 3 }, null);
    expect(busy).toThrow(/^Redis master\/replica with Sentinel has a single master, and this request needs 3 shards/);
    expect(errorOf(busy).details).toEqual({ field: "peakQps" });
  });

  it("refuses a standalone Redis for a product line that must keep copies", () => {
    const run = () => sizeRequest(request({ kind: "REDIS_STANDALONE", capacityGb: 4 }), { importance: 4 }, null);
    expect(run).toThrow(
      "a 4★ product line keeps 2 copies of its Redis data (settings: copiesByImportance), and a standalone Redis has no replica: choose Redis master/replica with Sentinel, or Redis shards behind Twemproxy",
    );
    expect(errorOf(run).details).toEqual({ field: "kind" });
  });

  it("refuses an importance or a history it cannot use", () => {
    for (const importance of [0, 6, 2.5]) {
      expect(() => sizeRequest(request({}), { importance }, null)).toThrow(
        `the product line's importance ${importance} is not valid: set it to 1–5 stars on the product line`,
      );
    }
    expect(() => sizeRequest(request({}), { importance: 3 }, { peakQps: -1, peakMemoryMb: 0, growthPerYear: 1 })).toThrow(
      "monitoring history peakQps = -1 is not valid: it must be a number ≥ 0",
    );
    expect(() => sizeRequest(request({}), { importance: 3 }, { peakQps: 1, peakMemoryMb: 1, growthPerYear: 0 })).toThrow(
      "monitoring history growthPerYear = 0 is not valid: it is a factor, 1 for no growth",
    );
  });
});

describe("a DBA's adjustment of the plan", () => {
  const twemproxy = request({ kind: "REDIS_TWEMPROXY", capacityGb: 20, peakQps: 100_000, expectedKeys: 50_000_000 });

  it("replaces the computed figure, recomputes what follows from it and says so", () => {
    const proposed = sizeRequest(twemproxy, { importance: 3 }, null);
    const plan = sizeRequest(twemproxy, { importance: 3 }, null, DEFAULT_SIZING_SETTINGS, { shards: proposed.shards + 2, proxies: 4 });
    expect(plan.shards).toBe(proposed.shards + 2);
    expect(plan.proxies).toBe(4);
    // the same memory over more shards: each holds less
    expect(plan.perShardMemoryMb).toBeLessThan(proposed.perShardMemoryMb);
    expect(plan.roles.find((r) => r.role === "MASTER")!.count).toBe(proposed.shards + 2);
    expect(plan.roles.find((r) => r.role === "PROXY")!.count).toBe(4);
    expect(plan.totals.instances).toBe((proposed.shards + 2) * plan.replicas + 4);
    expect(words(plan)).toContain(`Adjusted by the DBA: shards ${proposed.shards} → ${proposed.shards + 2}.`);
    expect(words(plan)).toContain(`Adjusted by the DBA: proxies ${proposed.proxies} → 4.`);
  });

  it("is the proposed plan when nothing changes", () => {
    const proposed = sizeRequest(twemproxy, { importance: 3 }, null);
    expect(sizeRequest(twemproxy, { importance: 3 }, null, DEFAULT_SIZING_SETTINGS, { shards: proposed.shards })).toEqual(proposed);
  });

  it("refuses what the topology cannot be, naming the field", () => {
    const sentinel = request({ kind: "REDIS_SENTINEL", capacityGb: 1 });
    const refusals: [SizingInput, Parameters<typeof sizeRequest>[4], string, string][] = [
      [sentinel, { shards: 2 }, "shards", "Redis master/replica with Sentinel has a single master: it has 1 shard, not 2"],
      [sentinel, { replicas: 1 }, "replicas", "needs 2 copies per shard (a master and a replica to fail over to); 1 cannot be approved"],
      [sentinel, { proxies: 2 }, "proxies", "has no proxy tier: proxies must stay 0"],
      [request({ kind: "MEMCACHED", capacityGb: 1 }), { replicas: 2 }, "replicas", "Memcached does not replicate: a node has 1 copy, not 2"],
      [twemproxy, { perShardMemoryMb: 256 }, "perShardMemoryMb", "less than the"],
    ];
    for (const [input, adjust, field, message] of refusals) {
      const e = errorOf(() => sizeRequest(input, { importance: 3 }, null, DEFAULT_SIZING_SETTINGS, adjust));
      expect(e.message).toContain(message);
      expect(e.details).toMatchObject({ field });
    }
  });
});

function errorOf(run: () => unknown): DomainError {
  try {
    run();
  } catch (e) {
    return e as DomainError;
  }
  throw new Error("did not throw");
}

describe("Sentinels beside the proxies (Redis shards behind Twemproxy with high availability)", () => {
  it("puts one Sentinel on each proxy's host, with a majority quorum, placed after the proxies on their hosts", () => {
    const plan = sizeRequest(request({ capacityGb: 4, peakQps: 10_000, highAvailability: true }), { importance: 3 }, null);
    expect(plan).toMatchObject({ proxies: 2, sentinels: 2, sentinelQuorum: 2, sentinelsBeside: "PROXY" });
    expect(words(plan).find((r) => r.startsWith("2 Sentinels"))).toMatch(
      /one on each proxy's host .* A failover needs all 2 Sentinels up; with a proxy host down, a DBA fails over from Hedwig\.$/,
    );
    const groups = placementGroups(plan);
    expect(groups.map((g) => [g.role ?? "MASTER", g.beside ?? null])).toEqual([
      ["MASTER", null],
      ["PROXY", null],
      ["SENTINEL", "PROXY"],
    ]);
    const placed = [
      { role: "PROXY" as const, hostId: 7 },
      { role: "PROXY" as const, hostId: 9 },
      { role: "MASTER" as const, hostId: 3 },
    ];
    expect(hostsBeside(groups[2]!, placed)).toEqual([7, 9]);
    expect(hostsBeside(groups[1]!, placed)).toBeNull();
  });

  it("gives shards without a replica no Sentinel", () => {
    const plan = sizeRequest(request({ capacityGb: 4, peakQps: 10_000, highAvailability: false }), { importance: 1 }, null);
    expect(plan).toMatchObject({ replicas: 1, sentinels: 0 });
    expect(plan.sentinelsBeside).toBeUndefined();
  });
});
