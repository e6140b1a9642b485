import { english } from "../../i18n/load";
import { beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "../../server/api/root";
import { createContext } from "../../server/api/trpc";
import type { Db } from "../../server/db/client";
import type { Actor } from "../../server/domain/access/actor";
import { freshDatabase, makeActor } from "./db";

let db: Db;
let dba: Actor;
let other: Actor;
let mixedLine: number;
let coreLine: number;
const as = (a: Actor) => createCaller(createContext(a.id, db));
const spec = { cpuCores: 1, memoryMb: 4096, diskGb: 10, bandwidthMbps: 100 };
const ask = {
  spec,
  idcIds: null,
  selector: "",
  importance: 2,
  productLineId: null as number | null,
  departmentId: null,
  replicas: 2,
  crossIdc: false,
  hostCap: null,
};

/** 2 IDCs × 3 racks × 2 hosts, 16 GB each: every host takes 4 copies of the 4 GB spec. */
beforeAll(async () => {
  ({ db } = await freshDatabase());
  dba = await makeActor(db, "DBA");
  other = await makeActor(db, "DBA");
  const dept = await db.department.create({ data: { code: "trade", name: "Trade" } });
  mixedLine = (await db.productLine.create({ data: { code: "trade-cart", name: "Cart", departmentId: dept.id, importance: 2 } })).id;
  coreLine = (await db.productLine.create({ data: { code: "trade-pay", name: "Pay", departmentId: dept.id, importance: 5 } })).id;
  await db.portRange.create({ data: { software: "REDIS", startPort: 6379, endPort: 6999, nextPort: 6379 } });
  let n = 0;
  for (const code of ["sh", "bj"]) {
    const idc = await db.idc.create({ data: { code, name: code, region: `cn-${code}` } });
    for (let r = 1; r <= 3; r++) {
      const rack = await db.rack.create({ data: { idcId: idc.id, code: `r${r}` } });
      for (let h = 1; h <= 2; h++) {
        n++;
        await db.host.create({
          data: {
            ip: `127.0.8.${n}`,
            hostname: `${code}-r${r}-h${h}`,
            rackId: rack.id,
            cpuCores: 16,
            memoryMb: 16384,
            diskGb: 500,
            bandwidthMbps: 10000,
            labels: { region: `cn-${code}`, disk: "ssd" },
            tier: "MIXED",
          },
        });
      }
    }
  }
});

describe("capacity", () => {
  it("counts instances and shards, per IDC, and says why the other hosts take none", async () => {
    await db.host.update({ where: { ip: "127.0.8.12" }, data: { status: "MAINTENANCE" } });
    const r = await as(dba).scheduler.capacity(ask);
    expect(r).toMatchObject({ instances: 44, shards: 22, hostsConsidered: 12, hostsWithRoom: 11 });
    expect(r.perIdc.map((x) => [x.idc, x.instances])).toEqual(
      expect.arrayContaining([
        ["sh", 24],
        ["bj", 20],
      ]),
    );
    expect(r.rejections).toEqual([{ reason: "maintenance", hosts: 1 }]);
    expect(english(r.summary)).toMatch(/11\/12 hosts have room.*1 in maintenance/);
    // the hosts with most room first, ties by id, every host with room listed here (fewer than the page's 24)
    expect(r.topHosts).toHaveLength(11);
    expect(r.topHosts.every((h) => h.instances === 4)).toBe(true);
    expect(r.topHosts.map((h) => h.hostId)).toEqual([...r.topHosts.map((h) => h.hostId)].sort((a, b) => a - b));
  });

  it("keeps 5★ services off hosts that are not dedicated, and says so", async () => {
    const r = await as(dba).scheduler.capacity({ ...ask, productLineId: coreLine });
    expect(r.instances).toBe(0);
    expect(r.rejections.find((x) => x.reason === "tierMismatch")?.hosts).toBe(11);
  });

  it("refuses zero resources, a spec larger than every host, and an unknown label key", async () => {
    await expect(as(dba).scheduler.capacity({ ...ask, spec: { ...spec, memoryMb: 0 } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/memoryMb: memory must be greater than 0/),
    });
    await expect(as(dba).scheduler.capacity({ ...ask, spec: { ...spec, memoryMb: 65536 } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/64 GB of memory, more than any host has \(largest: 16 GB\)/),
    });
    await expect(as(dba).scheduler.capacity({ ...ask, selector: "regoin=cn-sh" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/no host carries the label key "regoin"; keys in use: disk, region/),
    });
  });

  it("sees a change made anywhere at once (the fleet version moves)", async () => {
    await db.$executeRaw`UPDATE "Host" SET "status" = 'LOCKED' WHERE "ip" = '127.0.8.1'`;
    expect((await as(dba).scheduler.capacity(ask)).instances).toBe(40);
    await db.$executeRaw`UPDATE "Host" SET "status" = 'ONLINE' WHERE "ip" IN ('127.0.8.1', '127.0.8.12')`;
    expect((await as(dba).scheduler.capacity(ask)).instances).toBe(48);
  });
});

describe("placement and locks", () => {
  const placement = {
    ...ask,
    productLineId: 0,
    shards: 3,
    strategy: "spread" as const,
    preferredIdcId: null,
    software: "REDIS" as const,
    purpose: "test",
    serviceId: null,
    ttlSeconds: 600,
  };

  it("a dry run answers exactly what the real call then does, and writes nothing", async () => {
    const dry = await as(dba).scheduler.place({ ...placement, productLineId: mixedLine, dryRun: true });
    expect(dry.allocationId).toBeNull();
    expect(await db.allocation.count()).toBe(0);
    expect(await db.portClaim.count()).toBe(0);
    const real = await as(dba).scheduler.place({ ...placement, productLineId: mixedLine, dryRun: false });
    expect(real.items).toEqual(dry.items);
    // a shard's copies share one port, on different hosts
    for (const shard of [0, 1, 2]) {
      const copies = real.items.filter((i) => i.shardIndex === shard);
      expect(new Set(copies.map((c) => c.port)).size).toBe(1);
      expect(new Set(copies.map((c) => c.hostId)).size).toBe(2);
    }
    expect(await db.portClaim.count()).toBe(6);
    expect((await as(dba).scheduler.capacity(ask)).instances).toBe(42);
    const host = await as(dba).hosts.get({ id: real.items[0]!.hostId });
    expect(host.allocationItems[0]).toMatchObject({ port: real.items[0]!.port, allocation: { status: "LOCKED" } });
  });

  it("commit keeps the resources; release frees them and the ports", async () => {
    const { allocationId } = await as(dba).scheduler.place({ ...placement, productLineId: mixedLine, shards: 1, dryRun: false });
    await as(dba).scheduler.commit({ id: allocationId! });
    expect((await db.allocation.findUniqueOrThrow({ where: { id: allocationId! } })).status).toBe("COMMITTED");
    expect((await as(dba).scheduler.capacity(ask)).instances).toBe(40);
    await as(dba).scheduler.release({ id: allocationId! });
    expect((await as(dba).scheduler.capacity(ask)).instances).toBe(42);
    expect(await db.portClaim.count({ where: { allocationItem: { allocationId: allocationId! } } })).toBe(0);
  });

  it("refuses to commit an expired lock, another's lock (naming who holds what), or an unknown id", async () => {
    const { allocationId } = await as(dba).scheduler.place({ ...placement, productLineId: mixedLine, shards: 1, dryRun: false });
    await expect(as(other).scheduler.commit({ id: allocationId! })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringMatching(new RegExp(`held by ${dba.username} for "test" \\(2 instance\\(s\\) on 127\\.0\\.8\\.\\d+:\\d+`)),
    });
    await db.allocation.update({ where: { id: allocationId! }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expect(as(dba).scheduler.commit({ id: allocationId! })).rejects.toMatchObject({ code: "CONFLICT", message: expect.stringMatching(/expired at/) });
    await expect(as(dba).scheduler.commit({ id: "00000000-0000-4000-8000-000000000000" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    // an expired lock holds nothing, and the next placement clears its ports
    expect((await as(dba).scheduler.capacity(ask)).instances).toBe(42);
    await as(dba).scheduler.place({ ...placement, productLineId: mixedLine, shards: 1, dryRun: true });
    expect((await db.allocation.findUniqueOrThrow({ where: { id: allocationId! } })).status).toBe("EXPIRED");
    expect(await db.portClaim.count({ where: { allocationItem: { allocationId: allocationId! } } })).toBe(0);
  });

  it("refuses a replica count the IDCs cannot honour, and writes nothing", async () => {
    const before = await db.allocation.count();
    await expect(as(dba).scheduler.place({ ...placement, productLineId: mixedLine, crossIdc: true, replicas: 3, dryRun: false })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/different IDCs/),
    });
    expect(await db.allocation.count()).toBe(before);
  });

  it("concurrent lock requests never double-allocate a (host, port) or over-commit a host; failures leave nothing", async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, () => as(dba).scheduler.place({ ...placement, productLineId: mixedLine, shards: 1, dryRun: false })),
    );
    const ok = results.filter((r) => r.status === "fulfilled").length;
    const failed = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
    // 42 copies of room left → 21 two-copy shards fit; the rest are refused with the reason.
    expect(ok).toBe(21);
    for (const f of failed) expect(f.reason).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/fit/) });
    const claims = await db.portClaim.findMany();
    expect(new Set(claims.map((c) => `${c.hostId}:${c.port}`)).size).toBe(claims.length);
    const over = await db.$queryRaw<unknown[]>`
      SELECT h."ip" FROM "Host" h JOIN "AllocationItem" a ON a."hostId" = h."id" JOIN "Allocation" al ON al."id" = a."allocationId"
      WHERE al."status" IN ('LOCKED', 'COMMITTED') AND al."expiresAt" > now() OR al."status" = 'COMMITTED'
      GROUP BY h."id" HAVING sum(a."memoryMb") > max(h."memoryMb")`;
    expect(over).toEqual([]);
    expect(await db.allocation.count({ where: { status: "LOCKED" } })).toBe(21 + 3 - 2); // + the first test's 3 shards as 1 lock, − none
  });
});

describe("settings", () => {
  beforeAll(async () => {
    // the concurrency test filled the fleet: free it
    for (const a of await db.allocation.findMany({ where: { status: "LOCKED" } })) await as(dba).scheduler.release({ id: a.id });
  });

  it("the isolation mapping is a setting: moving 2★ to dedicated hosts empties the count, and it is audited", async () => {
    expect((await as(dba).scheduler.capacity(ask)).instances).toBeGreaterThan(0);
    await as(dba).scheduler.saveSettings({ tierByImportance: { 2: "DEDICATED" } });
    const r = await as(dba).scheduler.capacity(ask);
    expect(r.instances).toBe(0);
    expect(r.rejections[0]).toMatchObject({ reason: "tierMismatch" });
    expect((await as(dba).scheduler.settings()).tierByImportance).toMatchObject({ 2: "DEDICATED", 5: "DEDICATED", 3: "MIXED_DEPARTMENT" });
    expect(await db.auditEntry.count({ where: { action: "settings.scheduler" } })).toBe(1);
    // a save merges: only 2★ moves back, the rest of the mapping stays as it was
    await as(dba).scheduler.saveSettings({ tierByImportance: { 2: "MIXED" } });
    expect((await as(dba).scheduler.capacity(ask)).instances).toBeGreaterThan(0);
  });

  it("refuses settings the scheduler cannot use, and NOC cannot change them", async () => {
    await expect(as(dba).scheduler.saveSettings({ rackSpreadFromImportance: 9 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(as(dba).scheduler.saveSettings({ weights: { balanced: -1 } })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const noc = await makeActor(db, "NOC");
    await expect(as(noc).scheduler.saveSettings({})).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("the cached fleet", () => {
  it("after placements and commits made here, answers exactly what a fresh load from the database answers", async () => {
    const { capacity } = await import("../../server/domain/scheduler/store/capacity");
    const placement = {
      ...ask,
      productLineId: mixedLine,
      shards: 2,
      strategy: "concentrate" as const,
      preferredIdcId: null,
      software: "REDIS" as const,
      purpose: "cache test",
      serviceId: null,
      ttlSeconds: 600,
      dryRun: false,
    };
    const first = await as(dba).scheduler.place(placement);
    await as(dba).scheduler.place({ ...placement, strategy: "spread" });
    await as(dba).scheduler.commit({ id: first.allocationId! });
    for (const q of [ask, { ...ask, replicas: 1 }, { ...ask, productLineId: coreLine }, { ...ask, selector: "region=cn-bj" }]) {
      const cached = await as(dba).scheduler.capacity(q);
      const fresh = await capacity(db, {}, q); // a new cache owner: loads from the database
      expect(cached).toEqual(fresh);
    }
  });
});
