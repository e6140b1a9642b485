import { text } from "../../../lib/text";
import { Prisma } from "../../../generated/prisma/client";
import type { DbTx } from "../../db/client";
import type { Actor } from "../access/actor";
import { badInput } from "../errors";
import { mergeHistograms, percentile } from "./histogram";
import { pickResolution, type Plan, type Resolution } from "./resolution";
import { visibleService } from "./service-scope";

/**
 * A service's curves over a time range: QPS (reads, writes), memory against maxmemory, clients, hit
 * ratio, evictions and latency percentiles. Short recent ranges read raw samples (summed over the
 * data instances per poll), days the per-minute rollup, longer the per-hour one.
 */

export type SeriesPoint = {
  t: number;
  ops: number | null;
  opsPeak: number | null;
  reads: number | null;
  writes: number | null;
  usedMb: number | null;
  maxMb: number | null;
  clients: number | null;
  hitRatio: number | null;
  evictionsPerSec: number | null;
  p50Us: number | null;
  p99Us: number | null;
  p999Us: number | null;
};

export type Series = Plan & { from: Date; to: Date; points: SeriesPoint[]; demo: boolean };

export const MAX_RANGE_MS = 2 * 366 * 24 * 3600_000;

/** A range a chart (or Titan) can draw: forwards, and at most two years. */
export function checkRange(from: Date, to: Date, what: "chart" | "titan"): void {
  if (!(from < to)) throw badInput(text("refusals.metrics.backwards", { from: from.toISOString(), to: to.toISOString() }));
  if (to.getTime() - from.getTime() > MAX_RANGE_MS) throw badInput(text("refusals.metrics.tooLong", { what }));
}

export async function serviceSeries(db: DbTx, actor: Actor, input: { serviceId: number; from: Date; to: Date }, now = new Date()): Promise<Series> {
  const { from, to } = input;
  checkRange(from, to, "chart");
  await visibleService(db, actor, input.serviceId);
  const plan = pickResolution(from, to, now);
  if (plan.resolution === "raw") return { ...plan, from, to, demo: false, points: await rawPoints(db, input.serviceId, from, to, plan.stepSeconds) };
  const rows = await rollupRows(db, plan.resolution, input.serviceId, from, to);
  return { ...plan, from, to, demo: rows.some((r) => r.isDemo), points: rebucket(rows, plan.resolution === "minute" ? 60 : 3600, plan.stepSeconds) };
}

type RawRow = Omit<SeriesPoint, "t" | "hitRatio" | "evictionsPerSec" | "opsPeak"> & {
  t: Date;
  hits: number | null;
  misses: number | null;
  evictions: number | null;
};

/** Per instance and step first (an instance polled twice in a step counts once), then summed over the service. */
async function rawPoints(db: DbTx, serviceId: number, from: Date, to: Date, step: number): Promise<SeriesPoint[]> {
  const proxied = (await db.instance.count({ where: { serviceId, role: "PROXY" } })) > 0;
  const entryRoles = proxied ? Prisma.sql`('PROXY')` : Prisma.sql`('MASTER', 'CACHE')`;
  const rows = await db.$queryRaw<RawRow[]>`
    WITH per AS (
      SELECT to_timestamp(floor(extract(epoch FROM m."at") / ${step}) * ${step}) AS t, m."instanceId",
             (i."role" IN ('MASTER', 'CACHE')) AS data, (i."role" IN ${entryRoles}) AS entry,
             avg(m."opsPerSec") AS ops, avg(m."readsPerSec") AS reads, avg(m."writesPerSec") AS writes,
             avg(m."hitsPerSec") AS hits, avg(m."missesPerSec") AS misses, avg(m."evictionsPerSec") AS evictions,
             max(m."usedMemoryMb") AS used, max(m."maxmemoryMb") AS maxmem, max(m."clients") AS clients,
             max(m."latencyP50Us") AS p50, max(m."latencyP99Us") AS p99, max(m."latencyP999Us") AS p999
      FROM "MetricSample" m JOIN "Instance" i ON i."id" = m."instanceId"
      WHERE m."serviceId" = ${serviceId} AND m."at" >= ${from} AND m."at" < ${to} AND m."up"
      GROUP BY 1, 2, 3, 4
    )
    SELECT t,
           sum(ops) FILTER (WHERE data) AS ops, sum(reads) FILTER (WHERE data) AS reads, sum(writes) FILTER (WHERE data) AS writes,
           sum(hits) FILTER (WHERE data) AS hits, sum(misses) FILTER (WHERE data) AS misses, sum(evictions) FILTER (WHERE data) AS evictions,
           sum(used) FILTER (WHERE data) AS "usedMb", sum(maxmem) FILTER (WHERE data) AS "maxMb",
           (sum(clients) FILTER (WHERE entry))::float AS clients,
           max(p50) AS "p50Us", max(p99) AS "p99Us", max(p999) AS "p999Us"
    FROM per GROUP BY t ORDER BY t`;
  return rows.map((r) => ({
    t: r.t.getTime(),
    ops: r.ops,
    opsPeak: r.ops,
    reads: r.reads,
    writes: r.writes,
    usedMb: r.usedMb,
    maxMb: r.maxMb,
    clients: r.clients,
    hitRatio: ratio(r.hits, r.misses),
    evictionsPerSec: r.evictions,
    p50Us: r.p50Us,
    p99Us: r.p99Us,
    p999Us: r.p999Us,
  }));
}

const ratio = (hits: number | null, misses: number | null) => (hits === null || misses === null || hits + misses === 0 ? null : hits / (hits + misses));

export type RollupRow = {
  bucket: Date;
  opsAvg: number;
  opsMax: number;
  readsAvg: number;
  writesAvg: number;
  hits: number;
  misses: number;
  evictions: number;
  usedMemoryMbMax: number;
  maxmemoryMb: number;
  clientsMax: number;
  latencyP99UsMax: number | null;
  latencyHistogram: unknown;
  isDemo: boolean;
};

async function rollupRows(db: DbTx, resolution: Exclude<Resolution, "raw">, serviceId: number, from: Date, to: Date): Promise<RollupRow[]> {
  const select = {
    bucket: true,
    opsAvg: true,
    opsMax: true,
    readsAvg: true,
    writesAvg: true,
    hits: true,
    misses: true,
    evictions: true,
    usedMemoryMbMax: true,
    maxmemoryMb: true,
    clientsMax: true,
    latencyP99UsMax: true,
    latencyHistogram: true,
    isDemo: true,
  } as const;
  const where = { serviceId, bucket: { gte: from, lt: to } };
  const orderBy = { bucket: "asc" } as const;
  return resolution === "minute" ? db.serviceMinute.findMany({ where, select, orderBy }) : db.serviceHour.findMany({ where, select, orderBy });
}

/**
 * Rollup rows (one per period) into chart steps. hits, misses and evictions are counts over the
 * period: evictions become a per-second rate, hits and misses a ratio. Percentiles come from the
 * merged histograms when there are any, else p99 from the period's worst p99.
 */
export function rebucket(rows: RollupRow[], periodSeconds: number, stepSeconds: number): SeriesPoint[] {
  const steps = new Map<number, RollupRow[]>();
  const stepMs = stepSeconds * 1000;
  for (const r of rows) {
    const t = Math.floor(r.bucket.getTime() / stepMs) * stepMs;
    const list = steps.get(t);
    if (list) list.push(r);
    else steps.set(t, [r]);
  }
  return [...steps.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([t, rs]) => {
      const n = rs.length;
      const sum = (f: (r: RollupRow) => number) => rs.reduce((s, r) => s + f(r), 0);
      const max = (f: (r: RollupRow) => number) => rs.reduce((m, r) => Math.max(m, f(r)), -Infinity);
      const hist = new Map<number, number>();
      for (const r of rs) mergeHistograms(hist, r.latencyHistogram);
      const p99s = rs.flatMap((r) => (r.latencyP99UsMax === null ? [] : [r.latencyP99UsMax]));
      return {
        t,
        ops: sum((r) => r.opsAvg) / n,
        opsPeak: max((r) => r.opsMax),
        reads: sum((r) => r.readsAvg) / n,
        writes: sum((r) => r.writesAvg) / n,
        usedMb: max((r) => r.usedMemoryMbMax),
        maxMb: max((r) => r.maxmemoryMb),
        clients: max((r) => r.clientsMax),
        hitRatio: ratio(
          sum((r) => r.hits),
          sum((r) => r.misses),
        ),
        evictionsPerSec: sum((r) => r.evictions) / (n * periodSeconds),
        p50Us: percentile(hist, 0.5),
        p99Us: percentile(hist, 0.99) ?? (p99s.length ? Math.max(...p99s) : null),
        p999Us: percentile(hist, 0.999),
      };
    });
}
