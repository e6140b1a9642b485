import { describe, expect, it } from "vitest";
import {
  configDrift,
  driftText,
  hasProxyTimeout,
  liveRedisFindings,
  memoryBytes,
  parseRedisConf,
  placementFindings,
  versionSkewFindings,
  type PlacedInstance,
} from "./checks";

describe("inspection checks", () => {
  it("reads the compared keys of a rendered redis.conf, with save lines joined as CONFIG GET shows them", () => {
    const conf = parseRedisConf(
      "# x\nbind 1.2.3.4\nmaxmemory 100mb\nmaxmemory-policy noeviction\nsave 3600 1\nsave 300 100\nappendonly no\nmasterauth secret\n",
    );
    expect(conf).toEqual({ maxmemory: "100mb", "maxmemory-policy": "noeviction", save: "3600 1 300 100", appendonly: "no" });
    expect(parseRedisConf('save ""\n').save).toBe("");
    expect(memoryBytes("100mb")).toBe(104857600);
    expect(memoryBytes("1g")).toBe(1e9);
  });

  it("finds drift only where the running value differs, memory read in Redis's units", () => {
    const file = { maxmemory: "100mb", appendonly: "no", save: "" };
    expect(configDrift(file, { maxmemory: "104857600", appendonly: "no", save: "" })).toEqual([]);
    const drift = configDrift(file, { maxmemory: "209715200", appendonly: "yes", save: "" });
    expect(drift).toEqual([
      ["maxmemory", "209715200", "100mb"],
      ["appendonly", "yes", "no"],
    ]);
    expect(driftText(drift)).toBe("maxmemory 209715200 → 100mb; appendonly yes → no");
  });

  it("judges persistence, fragmentation and clients", () => {
    const base = { instanceId: 1, serviceId: 2, hostId: 3, service: "s", where: "1.2.3.4:6379" };
    const codes = (info: Record<string, string>, config: Record<string, string> = {}) =>
      liveRedisFindings({ ...base, info, config }).map((f) => `${f.code}:${f.severity}`);
    expect(codes({ rdb_last_bgsave_status: "err" })).toEqual(["persistenceFailing:CRITICAL"]);
    expect(codes({ rdb_last_bgsave_status: "ok", aof_last_write_status: "ok" })).toEqual([]);
    expect(codes({ mem_fragmentation_ratio: "2.1", used_memory_rss: String(500 * 1024 ** 2) })).toEqual(["fragmentation:WARNING"]);
    // an empty instance's high ratio is allocator overhead
    expect(codes({ mem_fragmentation_ratio: "9", used_memory_rss: String(8 * 1024 ** 2) })).toEqual([]);
    expect(codes({ connected_clients: "850" }, { maxclients: "1000" })).toEqual(["clientsNearMax:WARNING"]);
    expect(codes({ connected_clients: "990" }, { maxclients: "1000" })).toEqual(["clientsNearMax:CRITICAL"]);
    expect(codes({ connected_clients: "10" }, { maxclients: "1000" })).toEqual([]);
  });

  it("finds a replica on its master's host or rack, and versions that differ inside a service", () => {
    const i = (id: number, hostId: number, rackId: number, role = "REPLICA", version = "7.0.15"): PlacedInstance => ({
      id,
      serviceId: 1,
      service: "cart",
      role,
      shardIndex: 0,
      masterId: role === "REPLICA" ? 1 : null,
      hostId,
      ip: `10.0.0.${hostId}`,
      port: 6379,
      rackId,
      rack: `r${rackId}`,
      software: "REDIS",
      version,
    });
    const found = placementFindings([i(1, 1, 1, "MASTER"), i(2, 1, 1), i(3, 2, 1), i(4, 3, 2)]);
    expect(found.map((f) => [f.code, f.instanceId])).toEqual([
      ["masterReplicaSameHost", 2],
      ["masterReplicaSameRack", 3],
    ]);
    expect(versionSkewFindings([i(1, 1, 1, "MASTER"), i(2, 2, 1)])).toEqual([]);
    expect(versionSkewFindings([i(1, 1, 1, "MASTER"), i(2, 2, 1, "REPLICA", "6.2.14"), i(3, 3, 1)])[0]!.params.versions).toBe("7.0.15 ×2, 6.2.14 ×1");
  });

  it("sees a Twemproxy pool without timeout", () => {
    expect(hasProxyTimeout("alpha:\n  listen: 1.2.3.4:22121\n  timeout: 400\n")).toBe(true);
    expect(hasProxyTimeout("alpha:\n  listen: 1.2.3.4:22121\n  redis: true\n")).toBe(false);
  });
});
