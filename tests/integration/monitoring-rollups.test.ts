import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/client";
import { listSamplePartitions } from "../../server/domain/monitoring/partitions";
import { applyRetention } from "../../server/domain/monitoring/retention";
import { rollupHours, rollupMinutes } from "../../server/domain/monitoring/rollups";
import { insertSamples } from "../../server/domain/monitoring/store";
import type { SampleRow } from "../../server/domain/monitoring/sample";
import { freshDatabase } from "./db";

/** Rollups and retention over hand-made samples, where every expected figure can be worked out by hand. */
let db: Db;
let serviceId = 0;
let plainId = 0;
const ids: Record<"m0" | "m1" | "r0" | "p0" | "p1" | "c0", number> = { m0: 0, m1: 0, r0: 0, p0: 0, p1: 0, c0: 0 };
const T0 = new Date("2026-11-20T10:00:00Z");
const at = (s: number) => new Date(T0.getTime() + s * 1000);

function sample(instanceId: number, sid: number, t: Date, o: Partial<SampleRow>): SampleRow {
  return {
    instanceId,
    serviceId: sid,
    at: t,
    up: true,
    opsPerSec: null,
    readsPerSec: null,
    writesPerSec: null,
    hitsPerSec: null,
    missesPerSec: null,
    evictionsPerSec: null,
    rejectedPerSec: null,
    expiredPerSec: null,
    netInKbps: null,
    netOutKbps: null,
    usedMemoryMb: null,
    maxmemoryMb: null,
    clients: null,
    blockedClients: null,
    keys: null,
    latencyP50Us: null,
    latencyP99Us: null,
    latencyP999Us: null,
    replLinkUp: null,
    replLagSec: null,
    proxyEjected: null,
    proxyTimeouts: null,
    commands: null,
    latencyHistogram: null,
    extra: null,
    ...o,
  };
}

beforeAll(async () => {
  ({ db } = await freshDatabase());
  const dept = await db.department.create({ data: { code: "r", name: "R" } });
  const line = await db.productLine.create({ data: { code: "r-line", name: "r", departmentId: dept.id, importance: 3 } });
  const idc = await db.idc.create({ data: { code: "r1", name: "R1", region: "cn-sh" } });
  const rack = await db.rack.create({ data: { idcId: idc.id, code: "r1" } });
  const host = await db.host.create({ data: { ip: "127.0.11.1", hostname: "r", rackId: rack.id, cpuCores: 8, memoryMb: 1, diskGb: 1, bandwidthMbps: 1 } });
  const svc = await db.service.create({ data: { name: "rolled", productLineId: line.id, kind: "REDIS_TWEMPROXY" } });
  const plain = await db.service.create({ data: { name: "plain", productLineId: line.id, kind: "MEMCACHED" } });
  serviceId = svc.id;
  plainId = plain.id;
  let port = 7000;
  const mk = async (role: "MASTER" | "REPLICA" | "PROXY" | "CACHE", sid: number) =>
    (
      await db.instance.create({
        data: {
          serviceId: sid,
          hostId: host.id,
          port: port++,
          software: role === "PROXY" ? "TWEMPROXY" : role === "CACHE" ? "MEMCACHED" : "REDIS",
          role,
          version: "t",
        },
      })
    ).id;
  ids.m0 = await mk("MASTER", serviceId);
  ids.m1 = await mk("MASTER", serviceId);
  ids.r0 = await mk("REPLICA", serviceId);
  ids.p0 = await mk("PROXY", serviceId);
  ids.p1 = await mk("PROXY", serviceId);
  ids.c0 = await mk("CACHE", plainId);

  // six ticks of 10 s in minute 10:00, masters 100 + 200 ops (then 300 + 200 in the last three), the replica's ops must not count
  const rows: SampleRow[] = [];
  for (let k = 0; k < 6; k++) {
    const t = at(k * 10);
    const late = k >= 3;
    rows.push(
      sample(ids.m0, serviceId, t, {
        opsPerSec: late ? 300 : 100,
        readsPerSec: 60,
        writesPerSec: 40,
        hitsPerSec: 50,
        missesPerSec: 10,
        evictionsPerSec: 0,
        usedMemoryMb: 100 + k,
        maxmemoryMb: 1024,
        clients: 7,
        latencyP99Us: 100 + k,
        commands: { get: { calls: 10, usec: 20 } },
        latencyHistogram: { 8: 5 },
      }),
    );
    rows.push(
      sample(ids.m1, serviceId, t, {
        opsPerSec: 200,
        readsPerSec: 100,
        writesPerSec: 100,
        hitsPerSec: 30,
        missesPerSec: 30,
        evictionsPerSec: 1,
        usedMemoryMb: 50,
        maxmemoryMb: 1024,
        clients: 9,
        latencyP99Us: 50,
        commands: { get: { calls: 1, usec: 2 }, set: { calls: 3, usec: 9 } },
        latencyHistogram: { 8: 1, 16: 2 },
      }),
    );
    rows.push(
      sample(ids.r0, serviceId, t, {
        opsPerSec: 999,
        hitsPerSec: 999,
        usedMemoryMb: 999,
        maxmemoryMb: 1024,
        clients: 99,
        latencyP99Us: 99999,
        commands: { get: { calls: 999, usec: 1 } },
      }),
    );
    rows.push(sample(ids.p0, serviceId, t, { opsPerSec: 250, clients: 40 + k }));
    rows.push(sample(ids.p1, serviceId, t, { opsPerSec: 250, clients: 60 }));
    rows.push(sample(ids.c0, plainId, t, { opsPerSec: 10, clients: 3, usedMemoryMb: 5, maxmemoryMb: 64 }));
  }
  // the first tick of minute 10:01
  rows.push(sample(ids.m0, serviceId, at(60), { opsPerSec: 1000, usedMemoryMb: 10, maxmemoryMb: 1024 }));
  await insertSamples(db, rows);
});

describe("minute rollups", () => {
  it("sum the masters per tick (not the replica), clients at the proxies, totals over the bucket", async () => {
    expect(await rollupMinutes(db, T0, new Date(T0.getTime() + 120_000), 10)).toBe(3);
    const m = await db.serviceMinute.findUniqueOrThrow({ where: { serviceId_bucket: { serviceId, bucket: T0 } } });
    expect(m.samples).toBe(6);
    expect(m.opsAvg).toBe(400); // (300 ×3 + 500 ×3) / 6
    expect(m.opsMax).toBe(500);
    expect(m.readsAvg).toBe(160);
    expect(m.writesAvg).toBe(140);
    expect(m.hits).toBe(80 * 10 * 6); // (50 + 30)/s × 10 s × 6 ticks
    expect(m.misses).toBe(40 * 60);
    expect(m.evictions).toBe(60);
    expect(m.usedMemoryMbMax).toBe(155);
    expect(m.maxmemoryMb).toBe(2048);
    expect(m.clientsMax).toBe(105); // proxies: 45 + 60 at the last tick; the masters' 7 + 9 are the proxies' connections
    expect(m.latencyP99UsMax).toBe(105);
    expect(m.commands).toEqual({ get: { calls: 66, usec: 132 }, set: { calls: 18, usec: 54 } });
    expect(m.latencyHistogram).toEqual({ 8: 36, 16: 12 });
    const next = await db.serviceMinute.findUniqueOrThrow({ where: { serviceId_bucket: { serviceId, bucket: new Date(T0.getTime() + 60_000) } } });
    expect(next).toMatchObject({ samples: 1, opsAvg: 1000 });
    // without proxies, clients are the data instances'
    const plain = await db.serviceMinute.findUniqueOrThrow({ where: { serviceId_bucket: { serviceId: plainId, bucket: T0 } } });
    expect(plain).toMatchObject({ clientsMax: 3, opsAvg: 10, maxmemoryMb: 64 });
  });

  it("running again gives the same rows; a demo row is never overwritten", async () => {
    const before = await db.serviceMinute.findMany({ orderBy: [{ serviceId: "asc" }, { bucket: "asc" }] });
    await rollupMinutes(db, T0, new Date(T0.getTime() + 120_000), 10);
    expect(await db.serviceMinute.findMany({ orderBy: [{ serviceId: "asc" }, { bucket: "asc" }] })).toEqual(before);
    await db.serviceMinute.update({ where: { serviceId_bucket: { serviceId: plainId, bucket: T0 } }, data: { isDemo: true, opsAvg: 12345 } });
    await rollupMinutes(db, T0, new Date(T0.getTime() + 120_000), 10);
    expect((await db.serviceMinute.findUniqueOrThrow({ where: { serviceId_bucket: { serviceId: plainId, bucket: T0 } } })).opsAvg).toBe(12345);
  });
});

describe("hour rollups", () => {
  it("weigh the minutes by their samples and add up the totals", async () => {
    await rollupHours(db, new Date("2026-11-20T10:00:00Z"), new Date("2026-11-20T11:00:00Z"));
    const h = await db.serviceHour.findUniqueOrThrow({ where: { serviceId_bucket: { serviceId, bucket: T0 } } });
    expect(h.samples).toBe(7);
    expect(h.opsAvg).toBeCloseTo((400 * 6 + 1000) / 7, 6);
    expect(h.opsMax).toBe(1000);
    expect(h.hits).toBe(4800);
    expect(h.commands).toEqual({ get: { calls: 66, usec: 132 }, set: { calls: 18, usec: 54 } });
    // the demo minute is not the collector's: the plain service gets no hour from it
    expect(await db.serviceHour.count({ where: { serviceId: plainId } })).toBe(0);
  });
});

describe("retention", () => {
  it("deletes what each resolution no longer keeps, and never demo rows; raw samples a whole day at a time", async () => {
    // raw kept 1 day: all of the 20th is older than that and its table goes; a sample at 05:00 on
    // the 21st is older too, but its day is not all past the window, so the day stays
    const late = new Date("2026-11-21T05:00:00Z");
    await insertSamples(db, [sample(ids.m0, serviceId, late, { opsPerSec: 1 })]);
    const now = new Date("2026-11-22T10:00:30Z");
    const day = 86_400_000;
    await db.serviceMinute.createMany({
      data: [
        { serviceId, bucket: new Date(now.getTime() - 31 * day), samples: 1, opsAvg: 1, opsMax: 1, usedMemoryMbMax: 1, maxmemoryMb: 1, clientsMax: 1 },
        {
          serviceId: plainId,
          bucket: new Date(now.getTime() - 40 * day),
          samples: 1,
          opsAvg: 1,
          opsMax: 1,
          usedMemoryMbMax: 1,
          maxmemoryMb: 1,
          clientsMax: 1,
          isDemo: true,
        },
      ],
    });
    await db.serviceHour.createMany({
      data: [
        { serviceId, bucket: new Date(now.getTime() - 400 * day), samples: 1, opsAvg: 1, opsMax: 1, usedMemoryMbMax: 1, maxmemoryMb: 1, clientsMax: 1 },
        { serviceId, bucket: new Date(now.getTime() - 4000 * day), samples: 1, opsAvg: 1, opsMax: 1, usedMemoryMbMax: 1, maxmemoryMb: 1, clientsMax: 1 },
        {
          serviceId: plainId,
          bucket: new Date(now.getTime() - 5000 * day),
          samples: 1,
          opsAvg: 1,
          opsMax: 1,
          usedMemoryMbMax: 1,
          maxmemoryMb: 1,
          clientsMax: 1,
          isDemo: true,
        },
      ],
    });
    const days = (await listSamplePartitions(db)).map((p) => p.name);
    expect(days).toContain("MetricSample_20261120");
    const r = await applyRetention(db, now, { rawRetentionDays: 1, minuteRetentionDays: 30, hourRetentionDays: 3650 });
    expect(r).toMatchObject({ sampleDays: days.indexOf("MetricSample_20261120") + 1, minutes: 1, hours: 1 });
    expect(await db.metricSample.findMany({ select: { at: true } })).toEqual([{ at: late }]);
    expect((await listSamplePartitions(db)).map((p) => p.name)).toEqual(days.slice(days.indexOf("MetricSample_20261121")));
    expect(await db.serviceMinute.count({ where: { isDemo: true } })).toBe(2); // the 40-day-old demo minute stays
    expect(await db.serviceHour.count({ where: { isDemo: true } })).toBe(1);
    expect(await db.serviceHour.count({ where: { bucket: new Date(now.getTime() - 400 * day) } })).toBe(1);
  });
});
