import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../../server/api/root";
import { createContext } from "../../server/api/trpc";
import type { Db } from "../../server/db/client";
import type { Actor } from "../../server/domain/access/actor";
import { loadBoard } from "../../server/domain/health/board";
import { fleetFigures } from "../../server/domain/metrics/fleet-figures";
import { serviceSeries } from "../../server/domain/metrics/series";
import { titanView } from "../../server/domain/metrics/titan";
import { ensurePartitionsFor } from "../../server/domain/monitoring/partitions";
import { rollupRows, sampleRows, setServiceHealth } from "../fixtures/monitoring-rows";
import { freshDatabase, makeActor } from "./db";

/**
 * The NOC board, acknowledge / silence, the service charts' resolution and series, Titan and the
 * fleet figures, over rows written as the collector and health rules write them.
 */
let db: Db;
let noc: Actor;
let biz: Actor;
const ids: Record<string, number> = {};
const lineIds: Record<string, number> = {};
const hostIds: number[] = [];

const red = { code: "unreachable", level: "RED" as const, params: { addr: "127.0.9.11:6379", role: "MASTER", shard: 0, error: null } };
const amber = {
  code: "memory",
  level: "AMBER" as const,
  params: { addr: "127.0.9.12:6380", role: "MASTER", shard: 1, pct: 84, usedMb: 860, maxMb: 1024, threshold: 80 },
};

beforeAll(async () => {
  ({ db } = await freshDatabase());
  const dept = await db.department.create({ data: { code: "b", name: "Board dept" } });
  for (const [code, importance] of [
    ["pay", 5],
    ["cart", 3],
    ["misc", 1],
  ] as const) {
    lineIds[code] = (await db.productLine.create({ data: { code, name: code.toUpperCase(), departmentId: dept.id, importance } })).id;
  }
  const idc = await db.idc.create({ data: { code: "bd1", name: "BD1", region: "cn-sh" } });
  const rack = await db.rack.create({ data: { idcId: idc.id, code: "r1" } });
  for (const n of [11, 12, 13, 14]) {
    hostIds.push(
      (
        await db.host.create({
          data: { ip: `127.0.9.${n}`, hostname: `bd-h${n}`, rackId: rack.id, cpuCores: 8, memoryMb: 16384, diskGb: 100, bandwidthMbps: 1000 },
        })
      ).id,
    );
  }
  const svc = async (
    name: string,
    line: string,
    kind: "REDIS_SENTINEL" | "REDIS_TWEMPROXY" | "MEMCACHED" = "REDIS_SENTINEL",
    status: "ONLINE" | "OFFLINE" = "ONLINE",
  ) => (ids[name] = (await db.service.create({ data: { name, productLineId: lineIds[line]!, kind, status } })).id);
  await svc("pay-main", "pay", "REDIS_TWEMPROXY");
  await svc("pay-session", "pay");
  await svc("cart-a", "cart");
  await svc("cart-b", "cart");
  await svc("misc-cache", "misc", "MEMCACHED");
  await svc("misc-old", "misc", "MEMCACHED", "OFFLINE");
  // pay-main: 2 proxies on hosts 11/12, 2 shards (master + replica), clients connect from host 13 (cart's host).
  const inst = (
    serviceId: number,
    hostIdx: number,
    port: number,
    role: "MASTER" | "REPLICA" | "PROXY" | "CACHE",
    shardIndex: number | null,
    masterId: number | null = null,
  ) =>
    db.instance.create({
      data: {
        serviceId,
        hostId: hostIds[hostIdx]!,
        port,
        role,
        shardIndex,
        masterId,
        software: role === "PROXY" ? "TWEMPROXY" : role === "CACHE" ? "MEMCACHED" : "REDIS",
        version: "7.0",
        maxmemoryMb: role === "PROXY" ? null : 1024,
      },
    });
  await inst(ids["pay-main"]!, 0, 22121, "PROXY", null);
  await inst(ids["pay-main"]!, 1, 22121, "PROXY", null);
  const m0 = await inst(ids["pay-main"]!, 0, 6379, "MASTER", 0);
  const m1 = await inst(ids["pay-main"]!, 1, 6380, "MASTER", 1);
  await inst(ids["pay-main"]!, 1, 6379, "REPLICA", 0, m0.id);
  await inst(ids["pay-main"]!, 0, 6380, "REPLICA", 1, m1.id);
  await inst(ids["cart-a"]!, 2, 6381, "MASTER", 0);
  await inst(ids["misc-cache"]!, 3, 11211, "CACHE", 0);

  await setServiceHealth(db, ids["pay-main"]!, "RED", [amber, red], { incident: true, since: new Date(Date.now() - 12 * 60_000) });
  await setServiceHealth(db, ids["cart-b"]!, "AMBER", [amber]);
  await setServiceHealth(db, ids["cart-a"]!, "GREEN", []);
  await setServiceHealth(db, ids["misc-cache"]!, "GREEN", []);
  // pay-session has no verdict: not monitored.
  await db.hostProbe.createMany({
    data: [
      { hostId: hostIds[0]!, reachable: true, probedAt: new Date(), since: new Date() },
      { hostId: hostIds[1]!, reachable: true, probedAt: new Date(), since: new Date() },
      { hostId: hostIds[2]!, reachable: false, probedAt: new Date(), since: new Date(), error: "connect ECONNREFUSED" },
    ],
  });
  noc = await makeActor(db, "NOC");
  biz = await makeActor(db, "BUSINESS", [lineIds.cart!]);
});

const caller = (actor: Actor) => appRouter.createCaller(createContext(actor.id, db));

describe("the board", () => {
  it("puts red first, then amber, then green, and not-monitored apart; offline services are not on it", async () => {
    const b = await loadBoard(db, noc);
    expect(b.counts).toEqual({ RED: 1, AMBER: 1, GREEN: 2, UNKNOWN: 1, MAINTENANCE: 0 });
    expect(b.groups.map((g) => [g.productLine.code, g.worst])).toEqual([
      ["pay", "RED"],
      ["cart", "AMBER"],
      ["misc", "GREEN"],
    ]);
    expect(b.groups[1]!.problems.map((t) => t.name)).toEqual(["cart-b"]);
    expect(b.groups[1]!.healthy.map((t) => t.name)).toEqual(["cart-a"]);
    expect(b.notMonitored.flatMap((g) => g.services.map((t) => t.name))).toEqual(["pay-session"]);
    const all = [...b.groups.flatMap((g) => [...g.problems, ...g.healthy]), ...b.notMonitored.flatMap((g) => g.services)].map((t) => t.name);
    expect(all).not.toContain("misc-old");
  });

  it("says the reasons in words, worst first, with the age and the open incident", async () => {
    const tile = (await loadBoard(db, noc)).groups[0]!.problems[0]!;
    expect(tile.name).toBe("pay-main");
    expect(tile.reasons).toEqual([red, amber]);
    expect(Date.now() - tile.since!.getTime()).toBeGreaterThanOrEqual(12 * 60_000 - 1000);
    expect(tile.incident).toMatchObject({ acknowledgedAt: null, acknowledgedBy: null });
  });

  it("counts hosts per IDC from the probe: schedulable, online, crashed", async () => {
    const [idc] = (await loadBoard(db, noc)).hostHealth!;
    expect(idc).toMatchObject({ code: "bd1", hosts: 4, online: 2, crashed: 1, unprobed: 1, schedulable: 3 });
  });

  it("shows a BUSINESS user only their product lines, and no hosts", async () => {
    const b = await loadBoard(db, biz);
    expect([...b.groups, ...b.notMonitored].map((g) => g.productLine.code)).toEqual(["cart"]);
    expect(b.counts).toEqual({ RED: 0, AMBER: 1, GREEN: 1, UNKNOWN: 0, MAINTENANCE: 0 });
    expect(b.hostHealth).toBeNull();
    expect(b.openIncidents).toBe(0);
  });
});

describe("acknowledge and silence", () => {
  it("NOC acknowledges with a note; the board shows who, and the audit log has it", async () => {
    await caller(noc).board.acknowledge({ serviceId: ids["pay-main"]!, note: "failing over to the replica" });
    const b = await loadBoard(db, noc);
    expect(b.groups[0]!.problems[0]!.incident).toMatchObject({ acknowledgedBy: noc.username, ackNote: "failing over to the replica" });
    expect(b.unacknowledged).toBe(0);
    const audit = await db.auditEntry.findFirstOrThrow({ where: { action: "incident.acknowledge" } });
    expect(audit.summary).toContain("pay-main");
    expect(audit.actorName).toBe(noc.username);
  });

  it("silences for an hour, lifts it, and writes nothing but the ack and silence columns", async () => {
    const before = await db.incident.findFirstOrThrow({ where: { serviceId: ids["pay-main"]! } });
    const t0 = Date.now();
    await caller(noc).board.silence({ serviceId: ids["pay-main"]!, minutes: 60 });
    const silenced = await db.incident.findFirstOrThrow({ where: { id: before.id } });
    expect(silenced.silencedUntil!.getTime() - t0).toBeGreaterThanOrEqual(60 * 60_000 - 1000);
    expect(silenced.silencedUntil!.getTime() - t0).toBeLessThanOrEqual(60 * 60_000 + 5000);
    expect({ ...silenced, silencedUntil: null }).toEqual({ ...before, silencedUntil: null });
    expect((await loadBoard(db, noc)).silenced).toBe(1);
    await caller(noc).board.silence({ serviceId: ids["pay-main"]!, minutes: 0 });
    expect((await db.incident.findFirstOrThrow({ where: { id: before.id } })).silencedUntil).toBeNull();
    expect(await db.auditEntry.count({ where: { action: { in: ["incident.silence", "incident.unsilence"] } } })).toBe(2);
  });

  it("refuses BUSINESS, a service without an open incident, and a silence over 7 days", async () => {
    await expect(caller(biz).board.acknowledge({ serviceId: ids["cart-b"]!, note: "x" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const err = await caller(noc)
      .board.acknowledge({ serviceId: ids["cart-b"]!, note: "x" })
      .catch((e: TRPCError) => e);
    expect(err).toMatchObject({ code: "PRECONDITION_FAILED" });
    expect((err as TRPCError).message).toMatch(/cart-b has no open incident/);
    await expect(caller(noc).board.silence({ serviceId: ids["pay-main"]!, minutes: 20_000 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(caller(noc).board.acknowledge({ serviceId: ids["pay-main"]!, note: "" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});

describe("service charts", () => {
  beforeAll(async () => {
    const now = new Date();
    const insts = await db.instance.findMany({ where: { serviceId: ids["pay-main"]! } });
    const rows = sampleRows(
      insts.map((i) => ({ id: i.id, serviceId: i.serviceId })),
      now,
      10,
      60,
      { ops: 100, usedMb: 200, maxMb: 1024 },
    );
    await ensurePartitionsFor(
      db,
      rows.map((r) => r.at),
    );
    await db.metricSample.createMany({
      data: rows,
    });
    const shape = { opsAvg: 1000, maxmemoryMb: 2048, usedMb: 1200, clients: 40 };
    await db.serviceMinute.createMany({ data: rollupRows(ids["pay-main"]!, now, 60, 2 * 24 * 60, shape) });
    await db.serviceHour.createMany({ data: rollupRows(ids["pay-main"]!, now, 3600, 40 * 24, shape, true) });
  });

  it("reads raw samples for the last hour: QPS and memory summed over the masters, clients at the proxies", async () => {
    const now = new Date();
    const s = await serviceSeries(db, noc, { serviceId: ids["pay-main"]!, from: new Date(now.getTime() - 3600_000), to: new Date(now.getTime() + 1000) }, now);
    expect(s).toMatchObject({ resolution: "raw", stepSeconds: 10, demo: false });
    expect(s.points.length).toBeGreaterThanOrEqual(59);
    const p = s.points[10]!;
    // 2 masters × 100 ops/s; replicas and proxies do not add; 2 proxies × 5 clients.
    expect(p).toMatchObject({ ops: 200, usedMb: 400, maxMb: 2048, clients: 10, p99Us: 300 });
    expect(p.hitRatio).toBeCloseTo(0.75);
  });

  it("reads the minute rollup for a day and the hour rollup for 30 days, labelled demo when it is", async () => {
    const now = new Date();
    const day = await serviceSeries(db, noc, { serviceId: ids["pay-main"]!, from: new Date(now.getTime() - 86_400_000), to: now }, now);
    expect(day).toMatchObject({ resolution: "minute", stepSeconds: 120, demo: false });
    expect(day.points.length).toBeGreaterThanOrEqual(719);
    const month = await serviceSeries(db, noc, { serviceId: ids["pay-main"]!, from: new Date(now.getTime() - 30 * 86_400_000), to: now }, now);
    expect(month).toMatchObject({ resolution: "hour", stepSeconds: 3600, demo: true });
    expect(month.points.length).toBeGreaterThanOrEqual(719);
    const p = month.points[0]!;
    expect(p.hitRatio).toBeCloseTo(0.95);
    expect(p.p50Us).toBe(16);
    expect(p.p99Us).toBe(256);
    expect(p.maxMb).toBe(2048);
  });

  it("refuses another product line's service to a BUSINESS user, and a backwards range", async () => {
    const now = new Date();
    await expect(serviceSeries(db, biz, { serviceId: ids["pay-main"]!, from: new Date(now.getTime() - 3600_000), to: now })).rejects.toThrow(/not a member/);
    await expect(serviceSeries(db, noc, { serviceId: ids["pay-main"]!, from: now, to: new Date(now.getTime() - 1) })).rejects.toThrow(
      /must end after it starts/,
    );
  });
});

describe("Titan", () => {
  beforeAll(async () => {
    const insts = await db.instance.findMany({ where: { serviceId: ids["pay-main"]!, role: "MASTER" }, include: { host: true } });
    await db.clientSource.createMany({
      data: [
        { instanceId: insts[0]!.id, serviceId: ids["pay-main"]!, clientIp: "127.0.9.11", connections: 8, updatedAt: new Date() },
        { instanceId: insts[1]!.id, serviceId: ids["pay-main"]!, clientIp: "127.0.9.11", connections: 7, updatedAt: new Date() },
        { instanceId: insts[0]!.id, serviceId: ids["pay-main"]!, clientIp: "127.0.9.13", connections: 3, updatedAt: new Date() },
        { instanceId: insts[0]!.id, serviceId: ids["pay-main"]!, clientIp: "10.1.2.3", connections: 1, updatedAt: new Date() },
      ],
    });
    await db.slowlogEntry.create({
      data: {
        instanceId: insts[0]!.id,
        serviceId: ids["pay-main"]!,
        slowlogId: 1n,
        at: new Date(Date.now() - 60_000),
        durationUs: 25_000,
        command: "KEYS",
        args: ["user:*"],
        clientAddr: "127.0.9.13:50122",
      },
    });
  });

  it("aggregates the heatmap, hot and slow commands, slowlog, sources and topology", async () => {
    const now = new Date();
    const v = await titanView(db, noc, { serviceId: ids["pay-main"]!, from: new Date(now.getTime() - 3600_000), to: new Date(now.getTime() + 1000) }, now);
    expect(v.heatmap.resolution).toBe("raw");
    expect(v.heatmap.bounds).toEqual([16, 64, 1024]);
    // Per step: 6 instances × (100 ops × 5) in the 16 µs bucket.
    const cell = v.heatmap.cells.find((c) => c[0] === 5 && c[1] === 0)!;
    expect(cell[2]).toBe(6 * 500);
    expect(v.hotCommands.map((c) => c.command)).toEqual(["get", "set"]);
    expect(v.slowCommands[0]).toMatchObject({ command: "set", usecPerCall: 4 });
    expect(v.slowlog[0]).toMatchObject({ command: "KEYS", args: ["user:*"], clientAddr: "127.0.9.13:50122", instance: "127.0.9.11:6379" });
    expect(v.service.proxied).toBe(true);
    expect(v.sources.map((s) => [s.clientIp, s.connections, s.ownProxy, s.host?.hostname ?? null, s.productLines.map((l) => l.code)])).toEqual([
      ["127.0.9.11", 15, true, "bd-h11", ["pay"]],
      ["127.0.9.13", 3, false, "bd-h13", ["cart"]],
      ["10.1.2.3", 1, false, null, []],
    ]);
    // cart reaches pay-main (its host connects), pay owns it; each reaches both proxies, proxies reach both shards.
    const names = new Map(v.topology.nodes.map((n) => [n.id, n]));
    const kinds = v.topology.links.map((l) => `${names.get(l.source)!.category}>${names.get(l.target)!.category}`);
    expect(kinds.filter((k) => k === "productLine>proxy")).toHaveLength(4);
    expect(kinds.filter((k) => k === "proxy>shard")).toHaveLength(4);
    expect(kinds.filter((k) => k === "shard>replica")).toHaveLength(2);
    expect(
      v.topology.nodes
        .filter((n) => n.category === "productLine")
        .map((n) => n.name)
        .sort(),
    ).toEqual(["cart", "pay"]);
  });

  it("reads the hour rollup over 30 days", async () => {
    const now = new Date();
    const v = await titanView(db, noc, { serviceId: ids["pay-main"]!, from: new Date(now.getTime() - 30 * 86_400_000), to: now }, now);
    expect(v.heatmap.resolution).toBe("hour");
    expect(v.heatmap.times.length).toBeGreaterThanOrEqual(719);
    expect(v.hotCommands.map((c) => c.command)).toEqual(["get", "set", "hgetall"]);
    expect(v.slowCommands[0]).toMatchObject({ command: "hgetall", usecPerCall: 400 });
  });
});

describe("fleet figures", () => {
  it("sums reads and writes per day from the hour rollup and counts instances", async () => {
    const f = await fleetFigures(db, noc);
    expect(f.daily.length).toBe(30);
    const full = f.daily[10]!;
    // 24 hours × 3600 s × (0.8 / 0.2 of ops); ops averages 1000 over a whole day's wave.
    expect(full.reads).toBeCloseTo(24 * 3600 * 800, -4);
    expect(full.writes).toBeCloseTo(24 * 3600 * 200, -4);
    expect(f.dailyIsDemo).toBe(true);
    expect(Object.fromEntries(f.bySoftware.map((r) => [r.key, r.n]))).toEqual({ REDIS: 5, TWEMPROXY: 2, MEMCACHED: 1 });
    expect(f.byIdc).toEqual([{ key: "bd1", n: 8 }]);
    const mine = await fleetFigures(db, biz);
    expect(mine.daily).toEqual([]);
    expect(mine.byProductLine).toEqual([{ key: "cart", n: 1 }]);
  });
});
