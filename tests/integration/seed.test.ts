import { beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "../../server/auth/password";
import type { Db } from "../../server/db/client";
import { DEMO_SEEDED_KEY, DEMO_USERS, ensureSettingsAndRanges, seedDemo, seedScaledHosts, type SeedSummary } from "../../server/db/seed";
import { freshDatabase } from "./db";

let db: Db;
let summary: SeedSummary;

// The run's template database is migrated and empty: what a first start sees.
beforeAll(async () => {
  ({ db } = await freshDatabase());
  summary = await seedDemo(db);
});

const counts = async () => ({
  users: await db.user.count(),
  departments: await db.department.count(),
  productLines: await db.productLine.count(),
  idcs: await db.idc.count(),
  racks: await db.rack.count(),
  hosts: await db.host.count(),
  services: await db.service.count(),
  instances: await db.instance.count(),
  portClaims: await db.portClaim.count(),
});

describe("seedDemo", () => {
  it("creates a believable fleet, all marked as demo", async () => {
    expect(summary.skipped).toBe(false);
    const c = await counts();
    expect(c.idcs).toBe(3);
    expect(c.departments).toBe(6);
    expect(c.productLines).toBeGreaterThanOrEqual(35);
    expect(c.productLines).toBeLessThanOrEqual(45);
    expect(c.racks).toBe(24);
    expect(c.hosts).toBe(240);
    expect(c.services).toBeGreaterThanOrEqual(250);
    expect(c.instances).toBeGreaterThanOrEqual(2000);
    expect(c.portClaims).toBe(c.instances);
    expect(summary).toMatchObject({ hosts: c.hosts, services: c.services, instances: c.instances });
    const notDemo = { where: { isDemo: false } };
    expect([await db.host.count(notDemo), await db.service.count(notDemo), await db.instance.count(notDemo), await db.productLine.count(notDemo)]).toEqual([
      0, 0, 0, 0,
    ]);
    const kinds = await db.service.groupBy({ by: ["kind"], _count: true });
    expect(kinds.map((k) => k.kind).sort()).toEqual(["MEMCACHED", "MEMCACHED_TWEMPROXY", "REDIS_SENTINEL", "REDIS_STANDALONE", "REDIS_TWEMPROXY"].sort());
  });

  it("gives each demo host its own 127.0.1.x address", async () => {
    const hosts = await db.host.findMany({ select: { ip: true } });
    expect(hosts.every((h) => /^127\.0\.1\.\d+$/.test(h.ip))).toBe(true);
  });

  it("keeps every host's instances within its capacity", async () => {
    const over = await db.$queryRaw<unknown[]>`
      SELECT h.ip FROM "Host" h JOIN "Instance" i ON i."hostId" = h.id
      GROUP BY h.id
      HAVING sum(i."cpuCores") > h."cpuCores" OR sum(i."memoryMb") > h."memoryMb"
          OR sum(i."diskGb") > h."diskGb" OR sum(i."bandwidthMbps") > h."bandwidthMbps"`;
    expect(over).toEqual([]);
  });

  it("uses each (host, port) once, claimed by its instance, inside the software's range", async () => {
    const instances = await db.instance.findMany({ include: { portClaim: true } });
    expect(new Set(instances.map((i) => `${i.hostId}:${i.port}`)).size).toBe(instances.length);
    for (const i of instances) {
      expect(i.portClaim).toMatchObject({ hostId: i.hostId, port: i.port, software: i.software });
    }
    for (const range of await db.portRange.findMany()) {
      const ports = instances.filter((i) => i.software === range.software).map((i) => i.port);
      expect(Math.min(...ports)).toBeGreaterThanOrEqual(range.startPort);
      expect(range.nextPort).toBe(Math.max(...ports) + 1);
      expect(range.nextPort).toBeLessThanOrEqual(range.endPort);
    }
  });

  it("puts every replica on its master's port, on another host (another rack for 4–5★)", async () => {
    const replicas = await db.instance.findMany({
      where: { role: "REPLICA" },
      include: { host: true, master: { include: { host: true } }, service: { include: { productLine: true } } },
    });
    expect(replicas.length).toBeGreaterThan(500);
    for (const r of replicas) {
      expect(r.master).not.toBeNull();
      expect(r.port).toBe(r.master!.port);
      expect(r.serviceId).toBe(r.master!.serviceId);
      expect(r.hostId).not.toBe(r.master!.hostId);
      if (r.service.productLine.importance >= 4) expect(r.host.rackId).not.toBe(r.master!.host.rackId);
    }
    expect(await db.instance.count({ where: { role: "MASTER", masterId: { not: null } } })).toBe(0);
  });

  it("places services by importance: 4–5★ alone on dedicated hosts, 3★ on their department's hosts", async () => {
    const instances = await db.instance.findMany({
      select: { host: true, service: { select: { productLine: true } } },
    });
    const dedicatedOwners = new Map<number, Set<number>>();
    for (const { host, service } of instances) {
      const pl = service.productLine;
      if (pl.importance >= 4) {
        expect(host.tier).toBe("DEDICATED");
        dedicatedOwners.set(host.id, (dedicatedOwners.get(host.id) ?? new Set()).add(pl.id));
      } else if (pl.importance === 3) {
        expect(host.tier).toBe("MIXED_DEPARTMENT");
        expect(host.departmentId).toBe(pl.departmentId);
      } else {
        expect(host.tier).toBe("MIXED");
      }
    }
    expect([...dedicatedOwners.values()].every((owners) => owners.size === 1)).toBe(true);
    expect(await db.instance.count({ where: { host: { status: "OFFLINE" } } })).toBe(0);
  });

  it("points proxied services at their first proxy", async () => {
    const services = await db.service.findMany({
      where: { kind: { in: ["REDIS_TWEMPROXY", "MEMCACHED_TWEMPROXY"] } },
      include: { instances: { where: { role: "PROXY" }, include: { host: true }, orderBy: { id: "asc" } } },
    });
    for (const s of services) {
      expect(s.instances.length).toBeGreaterThanOrEqual(2);
      expect({ host: s.entryHost, port: s.entryPort }).toEqual({ host: s.instances[0]!.host.ip, port: s.instances[0]!.port });
    }
  });

  it("creates the demo users with their passwords and product lines", async () => {
    for (const u of DEMO_USERS) {
      const user = await db.user.findUniqueOrThrow({
        where: { username: u.username },
        include: { memberships: { include: { productLine: true } } },
      });
      expect(user.role).toBe(u.role);
      expect(await verifyPassword(user.passwordHash!, u.password)).toBe(true);
      expect(user.memberships.map((m) => m.productLine.code).sort()).toEqual([...u.productLines].sort());
      expect(new Set(user.memberships.map((m) => m.productLine.departmentId)).size).toBeLessThanOrEqual(1);
    }
    expect(await db.user.findUnique({ where: { username: "admin" } })).toMatchObject({ role: "ADMIN" });
  });

  it("writes demo monitoring history: hourly rollups from each service's creation, two days of minutes, promotions", async () => {
    if (summary.skipped) throw new Error("the seed was skipped");
    expect(summary.history.serviceHours).toBe(await db.serviceHour.count({ where: { isDemo: true } }));
    expect(summary.history.serviceMinutes).toBe(await db.serviceMinute.count({ where: { isDemo: true } }));
    expect(await db.promotion.count({ where: { isDemo: true } })).toBe(summary.history.promotions);
    const [span] = await db.$queryRaw<{ early: number; days: number; young: number; minuteHours: number }[]>`
      SELECT (SELECT count(*)::int FROM "ServiceHour" h JOIN "Service" s ON s.id = h."serviceId" WHERE h.bucket < date_trunc('hour', s."createdAt")) AS early,
             (SELECT extract(day FROM max(bucket) - min(bucket))::int FROM "ServiceHour") AS days,
             (SELECT count(*)::int FROM "Service" s WHERE s."createdAt" > (SELECT max("endsAt") FROM "Promotion" WHERE "endsAt" <= now())) AS young,
             (SELECT extract(epoch FROM max(bucket) - min(bucket))::int / 3600 FROM "ServiceMinute") AS "minuteHours"`;
    expect(span).toMatchObject({ early: 0, days: 760, minuteHours: 48 });
    // some services were created after the last promotion, so they have no promotion in their history
    expect(span!.young).toBeGreaterThan(0);
    const [bad] = await db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM "ServiceHour" WHERE NOT ("opsMax" >= "opsAvg" AND "opsAvg" >= 0 AND "usedMemoryMbMax" <= "maxmemoryMb" AND "clientsMax" >= 0)`;
    expect(bad!.n).toBe(0);
  });

  it("runs once: a second call is skipped and changes nothing", async () => {
    const before = await counts();
    expect(await seedDemo(db)).toEqual({ skipped: true });
    expect(await counts()).toEqual(before);
    expect(await db.setting.findUnique({ where: { key: DEMO_SEEDED_KEY } })).not.toBeNull();
  });
});

describe("ensureSettingsAndRanges", () => {
  it("creates only what is missing and keeps a DBA's edits", async () => {
    await db.spec.update({ where: { software_name: { software: "REDIS", name: "small" } }, data: { memoryMb: 2048 } });
    await db.portRange.update({ where: { software: "MEMCACHED" }, data: { endPort: 12500 } });
    await db.spec.delete({ where: { software_name: { software: "TWEMPROXY", name: "large" } } });
    await db.softwareVersion.updateMany({ where: { software: "REDIS" }, data: { isDefault: false } });
    await db.softwareVersion.update({
      where: { software_version: { software: "REDIS", version: "6.2.14" } },
      data: { isDefault: true },
    });

    await ensureSettingsAndRanges(db);

    expect(await db.spec.findUnique({ where: { software_name: { software: "REDIS", name: "small" } } })).toMatchObject({
      memoryMb: 2048,
    });
    expect(await db.portRange.findUnique({ where: { software: "MEMCACHED" } })).toMatchObject({ endPort: 12500 });
    expect(await db.spec.findUnique({ where: { software_name: { software: "TWEMPROXY", name: "large" } } })).not.toBeNull();
    const defaults = await db.softwareVersion.findMany({ where: { software: "REDIS", isDefault: true } });
    expect(defaults.map((v) => v.version)).toEqual(["6.2.14"]);
    expect(await db.user.count({ where: { role: "ADMIN" } })).toBe(1);
  });
});

describe("seedScaledHosts", () => {
  it("adds hosts with fresh addresses over 200 racks, twice without clashes", async () => {
    const before = await db.host.count();
    expect((await seedScaledHosts(db, 300)).created).toBe(300);
    expect((await seedScaledHosts(db, 100)).created).toBe(100);
    expect(await db.host.count()).toBe(before + 400);
    const scaled = await db.host.findMany({ where: { ip: { startsWith: "127.10." } }, select: { rackId: true } });
    expect(scaled).toHaveLength(400);
    expect(new Set(scaled.map((h) => h.rackId)).size).toBe(200);
    expect(await db.rack.count()).toBe(200);
  });
});
