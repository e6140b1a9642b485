import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "../../server/api/root";
import { createContext } from "../../server/api/trpc";
import { riskList } from "../../server/domain/promotions/risk";
import { baselineBefore, DAY_MS, HOUR_MS, peakInWindow, type HourSample } from "../../server/domain/promotions/series";
import type { InstanceRole, ServiceKind } from "../../generated/prisma/enums";
import { freshDatabase, makeActor } from "./db";

const { db } = await freshDatabase();

// Whole hours, so hand-made rollups land on bucket boundaries.
const NOW = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
const P1 = new Date(NOW - 400 * DAY_MS); // a past 双11
const P2 = new Date(NOW - 30 * DAY_MS); // last 双11
const P3 = new Date(NOW + 20 * DAY_MS); // upcoming 双12
const WINDOW_H = 30;

type Caller = ReturnType<typeof createCaller>;
let dba: Caller;
let noc: Caller;
let bizB: Caller;
let lineA: number;
let lineB: number;
const ids = { proxied: 0, hot: 0, young: 0 };
const promo = { p1: 0, p2: 0, p3: 0 };
const samples = new Map<number, HourSample[]>();

/** 14+ days of evening peaks at `base` (nights at 40 %), then a promotion window whose midnight hour reaches `peak`. */
function around(start: Date, base: number, peak: number, mem: number): HourSample[] {
  const out: HourSample[] = [];
  for (let h = -16 * 24; h < WINDOW_H + 24; h++) {
    const at = new Date(start.getTime() + h * HOUR_MS);
    const evening = ((h % 24) + 24) % 24 === 20;
    const qps = h >= 0 && h < WINDOW_H ? (h === 4 ? peak : base * 1.2) : evening ? base : base * 0.4;
    out.push({ at, qps, memMb: mem * (h >= 0 && h < WINDOW_H ? 1.1 : 1), clients: evening ? 100 : 60 });
  }
  return out;
}
/** The last `days` days before now, evening peaks at `base`. */
function recent(days: number, base: number, mem: number): HourSample[] {
  return Array.from({ length: days * 24 }, (_, i) => {
    const at = new Date(NOW - (days * 24 - i) * HOUR_MS);
    return { at, qps: i % 24 === 20 ? base : base * 0.5, memMb: mem, clients: 80 };
  });
}

async function service(name: string, productLineId: number, kind: ServiceKind, instances: { role: InstanceRole; maxmemoryMb: number | null }[]) {
  const host = await db.host.findFirstOrThrow();
  const s = await db.service.create({ data: { name, productLineId, kind } });
  await db.instance.createMany({
    data: instances.map((i, n) => ({
      serviceId: s.id,
      hostId: host.id,
      port: 6000 + s.id * 10 + n,
      software: i.role === "PROXY" ? "TWEMPROXY" : "REDIS",
      role: i.role,
      version: "7.0.15",
      maxmemoryMb: i.maxmemoryMb,
    })),
  });
  return s.id;
}

async function writeHours(serviceId: number, rows: HourSample[]) {
  samples.set(serviceId, [...(samples.get(serviceId) ?? []), ...rows]);
  await db.serviceHour.createMany({
    data: rows.map((r) => ({
      serviceId,
      bucket: r.at,
      samples: 60,
      opsAvg: r.qps * 0.9,
      opsMax: r.qps,
      usedMemoryMbMax: r.memMb,
      maxmemoryMb: 8192,
      clientsMax: r.clients,
    })),
    skipDuplicates: true,
  });
}

beforeAll(async () => {
  const dept = await db.department.create({ data: { code: "trade", name: "Trade" } });
  lineA = (await db.productLine.create({ data: { code: "line-a", name: "A", importance: 4, departmentId: dept.id } })).id;
  lineB = (await db.productLine.create({ data: { code: "line-b", name: "B", importance: 3, departmentId: dept.id } })).id;
  const idc = await db.idc.create({ data: { code: "sh", name: "Shanghai", region: "cn-sh" } });
  const rack = await db.rack.create({ data: { idcId: idc.id, code: "r1" } });
  await db.host.create({ data: { ip: "127.0.9.1", hostname: "h1", rackId: rack.id, cpuCores: 32, memoryMb: 131072, diskGb: 1000, bandwidthMbps: 10000 } });
  ids.proxied = await service("a-proxied", lineA, "REDIS_TWEMPROXY", [
    { role: "MASTER", maxmemoryMb: 4096 },
    { role: "MASTER", maxmemoryMb: 4096 },
    { role: "PROXY", maxmemoryMb: null },
    { role: "PROXY", maxmemoryMb: null },
  ]);
  ids.hot = await service("b-hot", lineB, "REDIS_SENTINEL", [
    { role: "MASTER", maxmemoryMb: 8192 },
    { role: "REPLICA", maxmemoryMb: 8192 },
  ]);
  ids.young = await service("a-young", lineA, "REDIS_STANDALONE", [{ role: "MASTER", maxmemoryMb: 2048 }]);

  dba = createCaller(createContext((await makeActor(db, "DBA")).id, db));
  noc = createCaller(createContext((await makeActor(db, "NOC")).id, db));
  bizB = createCaller(createContext((await makeActor(db, "BUSINESS", [lineB])).id, db));
  const end = (d: Date) => new Date(d.getTime() + WINDOW_H * HOUR_MS);
  promo.p1 = (await dba.promotions.create({ name: "old 双11", kind: "DOUBLE_11", startsAt: P1, endsAt: end(P1) })).promotion.id;
  promo.p2 = (await dba.promotions.create({ name: "last 双11", kind: "DOUBLE_11", startsAt: P2, endsAt: end(P2) })).promotion.id;
  promo.p3 = (await dba.promotions.create({ name: "next 双12", kind: "DOUBLE_12", startsAt: P3, endsAt: end(P3), notes: "upcoming" })).promotion.id;

  await writeHours(ids.proxied, [...around(P1, 1000, 3500, 3000), ...around(P2, 1000, 5000, 4000), ...recent(14, 1500, 5000)]);
  await writeHours(ids.hot, [...around(P1, 10000, 30000, 2000), ...around(P2, 20000, 60000, 3000), ...recent(14, 30000, 3500)]);
  await writeHours(ids.young, recent(5, 800, 500)); // created after the last promotion
});

describe("promotion calendar", () => {
  it("refuses an end before the start, naming the field", async () => {
    await expect(dba.promotions.create({ name: "bad", kind: "OTHER", startsAt: P3, endsAt: P1 })).rejects.toThrow(/endsAt: the end must be after the start/);
  });
  it("refuses a name already used (any case) with a 409", async () => {
    const err = await dba.promotions
      .create({ name: "LAST 双11", kind: "DOUBLE_11", startsAt: P3, endsAt: new Date(P3.getTime() + HOUR_MS) })
      .catch((e: TRPCError) => e);
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).code).toBe("CONFLICT");
    expect((err as TRPCError).message).toMatch(/already exists/);
  });
  it("allows overlapping windows and names the overlap on both sides", async () => {
    const r = await dba.promotions.create({
      name: "flash sale",
      kind: "OTHER",
      startsAt: new Date(P3.getTime() + 2 * HOUR_MS),
      endsAt: new Date(P3.getTime() + 5 * HOUR_MS),
    });
    expect(r.overlaps.map((o) => o.name)).toEqual(["next 双12"]);
    const list = await noc.promotions.list();
    expect(list.find((p) => p.name === "next 双12")!.overlaps.map((o) => o.name)).toEqual(["flash sale"]);
    expect(list.find((p) => p.name === "next 双12")!.status).toBe("upcoming");
    await dba.promotions.delete({ id: r.promotion.id });
  });
  it("lets only DBA and ADMIN write, and audits every change", async () => {
    await expect(noc.promotions.create({ name: "noc sale", kind: "OTHER", startsAt: P3, endsAt: new Date(P3.getTime() + HOUR_MS) })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(bizB.promotions.delete({ id: promo.p1 })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const actions = (await db.auditEntry.findMany({ where: { entityType: "Promotion" } })).map((a) => a.action);
    expect(actions.filter((a) => a === "promotion.create").length).toBeGreaterThanOrEqual(4);
    expect(actions).toContain("promotion.delete");
  });
});

describe("comparison", () => {
  it("gives the SQL peaks and baselines the pure core computes on the same rows", async () => {
    const r = await noc.promotions.compare({ promotionIds: [promo.p1, promo.p2], sort: "name", dir: "asc" });
    const [p1, p2] = await db.promotion.findMany({ where: { id: { in: [promo.p1, promo.p2] } }, orderBy: { startsAt: "asc" } });
    for (const row of r.rows) {
      const s = samples.get(row.serviceId!)!;
      for (const [i, p] of [p1!, p2!].entries()) {
        const peak = peakInWindow(s, p);
        const base = baselineBefore(s, p.startsAt, 14, 3);
        expect(row.cells[i]!.qps).toBe(peak?.qps ?? null);
        expect(row.cells[i]!.memMb).toBe(peak?.memMb ?? null);
        expect(row.cells[i]!.baseQps).toBe(base?.qps ?? null);
      }
    }
    const proxied = r.rows.find((x) => x.name === "a-proxied")!;
    expect(proxied.cells.map((c) => c.multiple)).toEqual([3.5, 5]);
    expect(proxied.growthQps).toBeCloseTo(5000 / 3500 - 1);
    const young = r.rows.find((x) => x.name === "a-young")!;
    expect(young.cells.map((c) => c.note)).toEqual(["noSamples", "noSamples"]);
    expect(young.growthQps).toBeNull();
  });
  it("sorts by a promotion's multiple with missing figures last, and pages on the server", async () => {
    const r = await noc.promotions.compare({ promotionIds: [promo.p1, promo.p2], sort: `multiple.${promo.p2}`, dir: "desc", page: 1, pageSize: 2 });
    expect(r.total).toBe(3);
    expect(r.rows.map((x) => x.name)).toEqual(["a-proxied", "b-hot"]);
  });
  it("sums a product line's services and scopes BUSINESS users to their product lines", async () => {
    const lines = await noc.promotions.compare({ promotionIds: [promo.p1, promo.p2], level: "productLine", sort: "name", dir: "asc" });
    expect(lines.rows.map((x) => [x.name, x.services, x.cells[1]!.qps])).toEqual([
      ["line-a", 2, 5000],
      ["line-b", 1, 60000],
    ]);
    const biz = await bizB.promotions.compare({ promotionIds: [promo.p1, promo.p2], sort: "name", dir: "asc" });
    expect(biz.rows.map((x) => x.name)).toEqual(["b-hot"]);
    await expect(bizB.promotions.overlay({ serviceId: ids.proxied, promotionIds: [promo.p1] })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
  it("keeps settled promotions' stats and recomputes them when the dates change", async () => {
    expect(await db.promotionServiceStat.count({ where: { promotionId: promo.p2 } })).toBe(2);
    const p2 = await db.promotion.findUniqueOrThrow({ where: { id: promo.p2 } });
    // Shift the window past the midnight spike: the peak must drop to the plateau.
    await dba.promotions.update({
      id: promo.p2,
      promotion: { name: p2.name, kind: p2.kind, startsAt: new Date(P2.getTime() + 6 * HOUR_MS), endsAt: p2.endsAt, notes: "" },
    });
    const r = await noc.promotions.compare({ promotionIds: [promo.p1, promo.p2], sort: "name", dir: "asc" });
    expect(r.rows.find((x) => x.name === "a-proxied")!.cells[1]!.qps).toBe(1200);
    await dba.promotions.update({ id: promo.p2, promotion: { name: p2.name, kind: p2.kind, startsAt: P2, endsAt: p2.endsAt, notes: "" } });
  });
});

describe("forecast and risk", () => {
  it("forecasts baseline × last multiple, flags the service over capacity with the split that carries it", async () => {
    const r = await noc.promotions.risks({ promotionId: promo.p3 });
    expect(r.counts).toEqual({ services: 3, atRisk: 1, noForecast: 0, impossible: 0 });
    const hot = r.rows[0]!;
    expect(hot.name).toBe("b-hot");
    expect(hot.forecast.ok && hot.forecast.reference?.name).toBe("last 双11");
    expect(hot.forecast.ok && hot.forecast.qps).toBeCloseTo(30000 * 3);
    expect(hot.risk!.atRisk).toBe(true);
    expect(hot.risk!.actions[0]).toMatchObject({ kind: "split" });
    const proxied = r.rows.find((x) => x.name === "a-proxied")!;
    expect(proxied.forecast.ok && proxied.forecast.qps).toBeCloseTo(1500 * 5);
    expect(proxied.risk!.atRisk).toBe(false);
  });
  it("says a service created after the last promotion borrows the fleet's multiple", async () => {
    const r = await noc.promotions.risks({ promotionId: promo.p3, search: "young" });
    const f = r.rows[0]!.forecast;
    expect(f.ok && f.method).toBe("fallbackMultiple");
    expect(f.ok && f.note).toMatchObject({ code: "fallbackMultiple", from: "last 双11" });
  });
  it("refuses a forecast for a promotion that already started", async () => {
    await expect(noc.promotions.risks({ promotionId: promo.p2 })).rejects.toThrow(/already started/);
  });
  it("back-tests each past promotion from the data before it", async () => {
    const b = await noc.promotions.backtest();
    const last = b.find((x) => x.name === "last 双11")!;
    // a-proxied: 1000 × 3.5 = 3500 against 5000 (−30 %); b-hot: 20000 × 3 = 60000 against 60000 (0 %)
    expect(last.predicted).toBe(2);
    expect(last.medianError).toBeCloseTo(-0.15);
    expect(last.meanAbsError).toBeCloseTo(0.15);
    expect(b.find((x) => x.name === "old 双11")!.predicted).toBe(0);
  });
});

describe("one impossible row does not stop the forecast", () => {
  it("judges the others and names the service whose figures cannot be true", async () => {
    const before = await noc.promotions.risks({ promotionId: promo.p3 });
    // What a DBA can still write with SQL: an hourly rollup with an absurd peak.
    const absurd = await service("z-absurd", lineA, "REDIS_STANDALONE", [{ role: "MASTER", maxmemoryMb: 1024 }]);
    await writeHours(absurd, recent(5, 1e308, 500));
    // Baselines are kept per database handle for the hour: a transaction's handle reads them afresh.
    const actor = await makeActor(db, "NOC");
    const r = await db.$transaction((tx) => riskList(tx, actor, { promotionId: promo.p3, atRiskOnly: false, page: 1, pageSize: 50 }));
    expect(r.counts).toEqual({ ...before.counts, services: before.counts.services + 1, impossible: 1 });
    expect(r.impossible).toEqual([{ id: absurd, name: "z-absurd", field: "forecastQps", value: "Infinity" }]);
    const row = r.rows.find((x) => x.id === absurd)!;
    expect(row.risk).toBeNull();
    // the others are judged exactly as before
    const judged = (x: typeof before) => x.rows.filter((y) => y.id !== absurd).map((y) => [y.name, y.risk?.load]);
    expect(judged(r)).toEqual(judged(before));
    await db.instance.deleteMany({ where: { serviceId: absurd } });
    await db.serviceHour.deleteMany({ where: { serviceId: absurd } });
    await db.service.delete({ where: { id: absurd } });
  });
});
