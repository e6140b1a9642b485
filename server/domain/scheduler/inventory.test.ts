import { english } from "../../../i18n/load";
import { describe, expect, it } from "vitest";
import { DomainError } from "../errors";
import { countInventory, countInventoryForSpecs } from "./inventory";
import { resolveSettings } from "./settings";
import { buildSnapshot } from "./snapshot";
import { BIG, host, query, rackedHosts, spec } from "./test-fixtures";

describe("countInventory", () => {
  it("counts per host the least over the resources of floor(free / spec)", () => {
    const s = buildSnapshot([
      host(1, { capacity: { cpuCores: 8, memoryMb: 16384, diskGb: 1000, bandwidthMbps: 10000 } }), // memory: 4
      host(2, { capacity: { cpuCores: 2.5, memoryMb: 65536, diskGb: 1000, bandwidthMbps: 10000 } }), // cpu: 2
      host(3, { capacity: { cpuCores: 8, memoryMb: 65536, diskGb: 25, bandwidthMbps: 10000 } }), // disk: 2
      host(4, { capacity: { cpuCores: 8, memoryMb: 65536, diskGb: 1000, bandwidthMbps: 150 } }), // bandwidth: 1
    ]);
    const inv = countInventory(s, query());
    expect([...inv.perHost]).toEqual([4, 2, 2, 1]);
    expect(inv.instances).toBe(9);
    expect(inv.shards).toBe(9);
    expect(english(inv.summary)).toBe("4/4 hosts have room");
  });

  it("counts CPU in thousandths of a core, so summed fractions do not drift", () => {
    // 0.1 + 0.2 used of 1 core: 0.7 free; 0.1-core copies: exactly 7
    const h = host(1, { capacity: { ...BIG, cpuCores: 1 }, used: { cpuCores: 0.1 + 0.2, memoryMb: 0, diskGb: 0, bandwidthMbps: 0 } });
    expect(countInventory(buildSnapshot([h]), query({ spec: spec({ cpuCores: 0.1, memoryMb: 1 }) })).instances).toBe(7);
  });

  it("reports per IDC, per rack and per host, and the reasons largest first", () => {
    const s = buildSnapshot([
      host(1, { rackId: 10, idcId: 1 }),
      host(2, { rackId: 11, idcId: 1, status: "MAINTENANCE" }),
      host(3, { rackId: 20, idcId: 2, capacity: { ...BIG, memoryMb: 1024 } }),
      host(4, { rackId: 20, idcId: 2, capacity: { ...BIG, memoryMb: 2048 } }),
      host(5, { rackId: 21, idcId: 2, capacity: { ...BIG, memoryMb: 8192 } }),
    ]);
    const inv = countInventory(s, query());
    expect(inv.perIdc).toEqual([
      { idcId: 1, instances: 16, shards: 16 },
      { idcId: 2, instances: 2, shards: 2 },
    ]);
    expect(inv.perRack).toEqual([
      { rackId: 10, idcId: 1, instances: 16 },
      { rackId: 11, idcId: 1, instances: 0 },
      { rackId: 20, idcId: 2, instances: 0 },
      { rackId: 21, idcId: 2, instances: 2 },
    ]);
    expect(inv.rejections).toEqual([
      { reason: "memory", hosts: 2 },
      { reason: "maintenance", hosts: 1 },
    ]);
    expect(english(inv.summary)).toBe("2/5 hosts have room: 2 insufficient memory, 1 in maintenance");
  });

  it("a spec larger than every host is an answer of 0 with the reasons, not an error", () => {
    const inv = countInventory(buildSnapshot(rackedHosts(3, 3)), query({ spec: spec({ memoryMb: 1_000_000 }) }));
    expect(inv).toMatchObject({ instances: 0, shards: 0, hostsWithRoom: 0 });
    expect(english(inv.summary)).toBe("0/3 hosts have room: 3 insufficient memory");
  });

  it("an empty fleet has no room", () => {
    const empty = countInventory(buildSnapshot([]), query({ replicas: 2 }));
    expect(empty).toMatchObject({ instances: 0, shards: 0 });
    expect(english(empty.summary)).toBe("0/0 hosts have room");
  });
});

describe("shards honour anti-affinity", () => {
  it("copies of a shard never share a host", () => {
    // one host with room for 10, one with room for 2: only 2 shards of 2
    const s = buildSnapshot([host(1, { capacity: { ...BIG, memoryMb: 40960 } }), host(2, { capacity: { ...BIG, memoryMb: 8192 } })]);
    const inv = countInventory(s, query({ replicas: 2 }));
    expect(inv).toMatchObject({ instances: 12, shards: 2, antiAffinity: "host", domainsWithRoom: 2 });
  });

  it("from importance 4 copies go on different racks", () => {
    const hosts = [
      ...rackedHosts(4, 1, () => 1, { tier: "DEDICATED" }), // rack 1: 4 big hosts
      host(9, { rackId: 2, tier: "DEDICATED", capacity: { ...BIG, memoryMb: 8192 } }), // rack 2: room for 2
    ];
    const inv = countInventory(buildSnapshot(hosts), query({ replicas: 2, importance: 4 }));
    expect(inv.antiAffinity).toBe("rack");
    expect(inv.instances).toBe(4 * 16 + 2);
    expect(inv.shards).toBe(2);
    expect(countInventory(buildSnapshot(hosts), query({ replicas: 3, importance: 4 })).shards).toBe(0);
    // the threshold is a setting
    const never = resolveSettings({ rackSpreadFromImportance: 6 });
    expect(countInventory(buildSnapshot(hosts), query({ replicas: 2, importance: 4 }), never)).toMatchObject({ antiAffinity: "host", shards: 33 });
  });

  it("across IDCs when asked; per-IDC shards are then not given", () => {
    const hosts = rackedHosts(6, 3, (rack) => rack); // rack r in IDC r, 2 hosts each, 16 per host
    const inv = countInventory(buildSnapshot(hosts), query({ replicas: 3, crossIdc: true }));
    expect(inv).toMatchObject({ antiAffinity: "idc", instances: 96, shards: 32, domainsWithRoom: 3 });
    expect(inv.perIdc.map((i) => i.shards)).toEqual([null, null, null]);
    expect(countInventory(buildSnapshot(hosts), query({ replicas: 4, crossIdc: true })).shards).toBe(0);
    expect(countInventory(buildSnapshot(hosts), query({ replicas: 2 })).perIdc.map((i) => i.shards)).toEqual([16, 16, 16]);
  });

  it("the count is Σ min(c_d, k) ≥ k·R: big domains serve each shard once", () => {
    // racks with room 10, 1, 1 and R = 2: shard k needs 2 distinct racks, rack 1 can serve every shard,
    // racks 2 and 3 only one each → 2 shards
    const hosts = [
      host(1, { rackId: 1, tier: "DEDICATED", capacity: { ...BIG, memoryMb: 40960 } }),
      host(2, { rackId: 2, tier: "DEDICATED", capacity: { ...BIG, memoryMb: 4096 } }),
      host(3, { rackId: 3, tier: "DEDICATED", capacity: { ...BIG, memoryMb: 4096 } }),
    ];
    expect(countInventory(buildSnapshot(hosts), query({ replicas: 2, importance: 5 })).shards).toBe(2);
  });

  it("the per-host cap bounds the copies a host takes", () => {
    const hosts = rackedHosts(3, 1, () => 1, { serviceCounts: { 5: 1 } });
    const inv = countInventory(buildSnapshot(hosts), query({ hostCap: { serviceId: 5, maxPerHost: 3 }, replicas: 3 }));
    expect(inv).toMatchObject({ instances: 6, shards: 2 });
  });
});

describe("countInventoryForSpecs", () => {
  it("gives what countInventory gives for each spec", () => {
    const s = buildSnapshot(rackedHosts(20, 4, (r) => (r % 2) + 1, { labels: { model: "e6" } }));
    const constraints = { importance: 2, productLineId: 1, departmentId: 1, replicas: 2, labelSelector: [{ key: "model", op: "eq" as const, value: "e6" }] };
    const specs = [spec(), spec({ memoryMb: 30000 }), spec({ cpuCores: 0.5, memoryMb: 1024 })];
    const batch = countInventoryForSpecs(s, constraints, specs);
    expect(batch).toEqual(specs.map((sp) => countInventory(s, { ...constraints, spec: sp })));
  });
});

describe("query validation", () => {
  const s = buildSnapshot([host(1)]);
  const bad = (q: Parameters<typeof query>[0], message: RegExp) => {
    const run = () => countInventory(s, query(q));
    expect(run).toThrow(DomainError);
    expect(run).toThrow(message);
  };

  it("refuses negative, non-finite, empty and too-fine specs", () => {
    bad({ spec: spec({ memoryMb: -1 }) }, /memoryMb = -1 is not valid: give a number ≥ 0/);
    bad({ spec: spec({ cpuCores: Number.NaN }) }, /cpuCores = NaN/);
    bad({ spec: { cpuCores: 0, memoryMb: 0, diskGb: 0, bandwidthMbps: 0 } }, /reserves nothing/);
    bad({ spec: spec({ cpuCores: 0.0005 }) }, /give it in thousandths of a core/);
    bad({ spec: spec({ memoryMb: 10.5 }) }, /give it in whole MB/);
  });

  it("refuses replicas below 1, importance outside 1–5, no IDC, a cap below 1", () => {
    bad({ replicas: 0 }, /replica count 0 is not valid/);
    bad({ replicas: 1.5 }, /replica count 1.5/);
    bad({ importance: 6 }, /importance 6 is not valid: use 1–5 stars/);
    bad({ idcIds: [] }, /no IDC chosen/);
    bad({ hostCap: { serviceId: 1, maxPerHost: 0 } }, /allow at least 1 instance per host/);
  });
});
