import { describe, expect, it } from "vitest";
import { DomainError } from "../errors";
import { countInventory } from "./inventory";
import { placeShards } from "./placement";
import { buildSnapshot } from "./snapshot";
import { BIG, host, query, rackedHosts, spec } from "./test-fixtures";
import type { HostInput, PlacementRequest } from "./types";

const request = (over: Partial<PlacementRequest> = {}): PlacementRequest => ({ ...query(), shards: 1, strategy: "spread", ...over });
const hostsOf = (plan: { items: { hostId: number }[] }) => plan.items.map((i) => i.hostId);
const memory = (memoryMb: number) => ({ ...BIG, memoryMb });

describe("placeShards", () => {
  it("returns every (shard, replica) with its host and role: copy 0 is MASTER", () => {
    const s = buildSnapshot(rackedHosts(4, 2, (r) => r * 10));
    const plan = placeShards(s, request({ shards: 2, replicas: 2 }));
    expect(plan).toMatchObject({ shards: 2, replicas: 2, antiAffinity: "host" });
    expect(plan.items.map((i) => [i.shardIndex, i.replicaIndex, i.role])).toEqual([
      [0, 0, "MASTER"],
      [0, 1, "REPLICA"],
      [1, 0, "MASTER"],
      [1, 1, "REPLICA"],
    ]);
    for (const it of plan.items) {
      const h = s.indexOf.get(it.hostId)!;
      expect(it).toMatchObject({ ip: s.ip[h], rackId: s.rackIds[s.rackOf[h]!], idcId: s.idcIds[s.idcOf[h]!] });
    }
  });

  it("gives every copy a role passed in", () => {
    const plan = placeShards(buildSnapshot(rackedHosts(2, 1)), request({ shards: 2, role: "CACHE" }));
    expect(plan.items.map((i) => i.role)).toEqual(["CACHE", "CACHE"]);
  });

  it("never puts two copies of a shard on one host, and uses up room as it goes", () => {
    // hosts with room 3, 1, 1, 1 (memory): 3 shards of 2 fit only if host 1 serves every shard
    const s = buildSnapshot([
      host(1, { capacity: memory(12288) }),
      host(2, { capacity: memory(4096) }),
      host(3, { capacity: memory(4096) }),
      host(4, { capacity: memory(4096) }),
    ]);
    const plan = placeShards(s, request({ shards: 3, replicas: 2 }));
    for (let shard = 0; shard < 3; shard++) {
      const hs = plan.items.filter((i) => i.shardIndex === shard).map((i) => i.hostId);
      expect(new Set(hs).size).toBe(2);
      expect(hs).toContain(1);
    }
    expect(() => placeShards(s, request({ shards: 4, replicas: 2 }))).toThrow(/only 3 of 4 shards fit/);
  });

  it("forces a shard onto the domains every remaining shard needs, even against the score", () => {
    // Racks 2–4 are in the preferred IDC and score higher, but only rack 1 can serve all 3 shards.
    const hosts = [
      host(1, { rackId: 1, idcId: 1, tier: "DEDICATED", capacity: memory(12288) }),
      ...[2, 3, 4].map((r) => host(r, { rackId: r, idcId: 2, tier: "DEDICATED", capacity: memory(4096) })),
    ];
    const plan = placeShards(buildSnapshot(hosts), request({ shards: 3, replicas: 2, importance: 4, preferredIdcId: 2 }));
    expect(plan.antiAffinity).toBe("rack");
    for (let shard = 0; shard < 3; shard++) {
      const racks = plan.items.filter((i) => i.shardIndex === shard).map((i) => i.rackId);
      expect(racks).toContain(1);
      expect(new Set(racks).size).toBe(2);
    }
  });

  it("puts copies on different racks from importance 4, and says so when racks run out", () => {
    const hosts = rackedHosts(6, 2, () => 1, { tier: "DEDICATED" });
    const plan = placeShards(buildSnapshot(hosts), request({ shards: 5, replicas: 2, importance: 4 }));
    for (let shard = 0; shard < 5; shard++) {
      expect(new Set(plan.items.filter((i) => i.shardIndex === shard).map((i) => i.rackId)).size).toBe(2);
    }
    const fail = () => placeShards(buildSnapshot(hosts), request({ shards: 1, replicas: 3, importance: 4 }));
    expect(fail).toThrow(DomainError);
    expect(fail).toThrow("no shard of 3 copies fits: copies must be on different racks (importance 4★) and only 2 racks have room");
  });

  it("puts copies in different IDCs when asked", () => {
    const hosts = rackedHosts(6, 3, (r) => r);
    const plan = placeShards(buildSnapshot(hosts), request({ shards: 4, replicas: 3, crossIdc: true }));
    for (let shard = 0; shard < 4; shard++) {
      expect(new Set(plan.items.filter((i) => i.shardIndex === shard).map((i) => i.idcId)).size).toBe(3);
    }
    expect(() => placeShards(buildSnapshot(hosts.filter((h) => h.idcId !== 3)), request({ replicas: 3, crossIdc: true }))).toThrow(
      "no shard of 3 copies fits: copies must be on different IDCs (copies across IDCs requested) and only 2 IDCs have room",
    );
  });

  it("explains a resource shortfall with the rejection counts", () => {
    const hosts = [host(1, { capacity: memory(8192) }), host(2, { capacity: memory(1024) }), host(3, { status: "OFFLINE" })];
    expect(() => placeShards(buildSnapshot(hosts), request({ shards: 3 }))).toThrow(
      "only 2 of 3 shards fit: 2 of the 3 copies needed fit (1/3 hosts have room: 1 offline, 1 insufficient memory)",
    );
  });

  it("respects the per-host cap, existing instances included", () => {
    const hosts = rackedHosts(3, 1, () => 1, { serviceCounts: { 4: 1 } });
    const req = request({ shards: 3, replicas: 2, hostCap: { serviceId: 4, maxPerHost: 3 } });
    const plan = placeShards(buildSnapshot(hosts), req);
    const perHost = new Map<number, number>();
    for (const id of hostsOf(plan)) perHost.set(id, (perHost.get(id) ?? 0) + 1);
    expect(Math.max(...perHost.values())).toBeLessThanOrEqual(2);
    expect(() => placeShards(buildSnapshot(hosts), { ...req, shards: 4 })).toThrow(/service at its per-host cap|only 3 of 4/);
  });

  it("spread takes the least allocated host, concentrate the most allocated", () => {
    const half = { cpuCores: 8, memoryMb: 32768, diskGb: 500, bandwidthMbps: 5000 };
    const hosts = [host(1, { used: half }), host(2)];
    const s = buildSnapshot(hosts);
    expect(hostsOf(placeShards(s, request({ strategy: "spread" })))).toEqual([2]);
    expect(hostsOf(placeShards(s, request({ strategy: "concentrate" })))).toEqual([1]);
    // spread alternates between equal hosts, concentrate fills one first
    const twin = buildSnapshot([host(1, { capacity: memory(16384) }), host(2, { capacity: memory(16384) })]);
    expect(hostsOf(placeShards(twin, request({ shards: 4, strategy: "spread" })))).toEqual([1, 2, 1, 2]);
    expect(hostsOf(placeShards(twin, request({ shards: 4, strategy: "concentrate" })))).toEqual([1, 1, 1, 1]);
  });

  it("prefers the preferred IDC while it has room", () => {
    const hosts = [host(1, { idcId: 1, rackId: 1 }), host(2, { idcId: 2, rackId: 2, capacity: memory(8192) })];
    const plan = placeShards(buildSnapshot(hosts), request({ shards: 3, preferredIdcId: 2 }));
    expect(hostsOf(plan)).toEqual([2, 2, 1]);
  });

  it("is deterministic: same input, same plan, whatever the host order; the snapshot is not changed", () => {
    const hosts: HostInput[] = rackedHosts(30, 6, (r) => (r % 3) + 1, { tier: "DEDICATED" }).map((h, i) => ({
      ...h,
      used: { cpuCores: i % 5, memoryMb: (i * 3001) % 40000, diskGb: i * 7, bandwidthMbps: (i * 37) % 900 },
    }));
    const req = request({ shards: 20, replicas: 3, importance: 5, strategy: "concentrate", preferredIdcId: 2 });
    const s = buildSnapshot(hosts);
    const before = countInventory(s, req);
    const plan = placeShards(s, req);
    expect(placeShards(s, req)).toEqual(plan);
    expect(placeShards(buildSnapshot([...hosts].reverse()), req)).toEqual(plan);
    expect(countInventory(s, req)).toEqual(before);
  });

  it("refuses a shard count below 1 and an unknown strategy", () => {
    const s = buildSnapshot([host(1)]);
    expect(() => placeShards(s, request({ shards: 0 }))).toThrow(/shard count 0 is not valid/);
    expect(() => placeShards(s, request({ strategy: "random" as never }))).toThrow(/strategy "random" is unknown/);
    expect(() => placeShards(s, request({ spec: spec({ memoryMb: -5 }) }))).toThrow(/memoryMb = -5/);
  });
});
