import type { DbTx } from "../../db/client";
import { notFound } from "../errors";
import { checkRange } from "../metrics/series";
import { MAX_POINTS } from "../metrics/resolution";
import { text } from "../../../lib/text";

const HOUR = 3_600_000;
const DAY = 86_400_000;
const floorTo = (t: number, step: number) => Math.floor(t / step) * step;

/** HostHour for the hours that start in [from, to), recomputed whole from HostSample (idempotent). */
export async function rollupHostHours(db: DbTx, from: Date, to: Date): Promise<number> {
  return db.$executeRawUnsafe(
    `INSERT INTO "HostHour" ("hostId", "bucket", "samples", "cpuPctAvg", "cpuPctMax", "load1Max", "memUsedMbMax", "memTotalMb",
                             "dataDiskFreeGbMin", "logDiskFreeGbMin", "netInMbpsAvg", "netInMbpsMax", "netOutMbpsAvg", "netOutMbpsMax")
     SELECT "hostId", date_trunc('hour', "at"), count(*)::int, avg("cpuPct"), max("cpuPct"), max("load1"), max("memUsedMb"), max("memTotalMb"),
            min("dataDiskFreeGb"), min("logDiskFreeGb"), avg("netInMbps"), max("netInMbps"), avg("netOutMbps"), max("netOutMbps")
     FROM "HostSample" WHERE "at" >= $1::timestamptz AND "at" < $2::timestamptz AND "up"
     GROUP BY 1, 2
     ON CONFLICT ("hostId", "bucket") DO UPDATE SET "samples" = excluded."samples", "cpuPctAvg" = excluded."cpuPctAvg", "cpuPctMax" = excluded."cpuPctMax",
       "load1Max" = excluded."load1Max", "memUsedMbMax" = excluded."memUsedMbMax", "memTotalMb" = excluded."memTotalMb",
       "dataDiskFreeGbMin" = excluded."dataDiskFreeGbMin", "logDiskFreeGbMin" = excluded."logDiskFreeGbMin",
       "netInMbpsAvg" = excluded."netInMbpsAvg", "netInMbpsMax" = excluded."netInMbpsMax", "netOutMbpsAvg" = excluded."netOutMbpsAvg", "netOutMbpsMax" = excluded."netOutMbpsMax"`,
    from.toISOString(),
    to.toISOString(),
  );
}

/** This hour and the one before, as a collection at `at` leaves them. */
export function rollupRecentHostHours(db: DbTx, at: Date): Promise<number> {
  return rollupHostHours(db, new Date(floorTo(at.getTime(), HOUR) - HOUR), new Date(floorTo(at.getTime(), HOUR) + HOUR));
}

/** Samples for the monitoring's minute retention (one a minute is a minute rollup already), hours for its hour retention. */
export async function applyHostRetention(db: DbTx, now: Date, s: { minuteRetentionDays: number; hourRetentionDays: number }) {
  const [samples, hours] = await Promise.all([
    db.hostSample.deleteMany({ where: { at: { lt: new Date(now.getTime() - s.minuteRetentionDays * DAY) } } }),
    db.hostHour.deleteMany({ where: { bucket: { lt: new Date(now.getTime() - s.hourRetentionDays * DAY) } } }),
  ]);
  return { samples: samples.count, hours: hours.count };
}

export type HostPoint = {
  t: number;
  cpuPct: number | null;
  cpuPctMax: number | null;
  load1: number | null;
  memUsedMb: number | null;
  memTotalMb: number | null;
  dataDiskFreeGb: number | null;
  logDiskFreeGb: number | null;
  netInMbps: number | null;
  netOutMbps: number | null;
};

/** Samples up to three days back within three days, else the hourly rollup; near MAX_POINTS points. */
export async function hostSeries(db: DbTx, input: { hostId: number; from: Date; to: Date }, now = new Date()) {
  const { hostId, from, to } = input;
  checkRange(from, to, "chart");
  const span = to.getTime() - from.getTime();
  const hourly = span > 3 * DAY || now.getTime() - from.getTime() > 30 * DAY;
  const base = hourly ? 3600 : 60;
  const step = base * Math.max(1, Math.ceil(span / 1000 / base / MAX_POINTS));
  const points = hourly
    ? await db.$queryRaw<HostPoint[]>`
        SELECT (floor(extract(epoch FROM "bucket") / ${step}) * ${step} * 1000)::float8 AS t,
               avg("cpuPctAvg") AS "cpuPct", max("cpuPctMax") AS "cpuPctMax", max("load1Max") AS load1,
               max("memUsedMbMax") AS "memUsedMb", max("memTotalMb") AS "memTotalMb",
               min("dataDiskFreeGbMin") AS "dataDiskFreeGb", min("logDiskFreeGbMin") AS "logDiskFreeGb",
               avg("netInMbpsAvg") AS "netInMbps", avg("netOutMbpsAvg") AS "netOutMbps"
        FROM "HostHour" WHERE "hostId" = ${hostId} AND "bucket" >= ${from} AND "bucket" < ${to} GROUP BY 1 ORDER BY 1`
    : await db.$queryRaw<HostPoint[]>`
        SELECT (floor(extract(epoch FROM "at") / ${step}) * ${step} * 1000)::float8 AS t,
               avg("cpuPct") AS "cpuPct", max("cpuPct") AS "cpuPctMax", max("load1") AS load1,
               max("memUsedMb") AS "memUsedMb", max("memTotalMb") AS "memTotalMb",
               min("dataDiskFreeGb") AS "dataDiskFreeGb", min("logDiskFreeGb") AS "logDiskFreeGb",
               avg("netInMbps") AS "netInMbps", avg("netOutMbps") AS "netOutMbps"
        FROM "HostSample" WHERE "hostId" = ${hostId} AND "at" >= ${from} AND "at" < ${to} AND "up" GROUP BY 1 ORDER BY 1`;
  return { resolution: hourly ? ("hour" as const) : ("sample" as const), stepSeconds: step, from, to, points };
}

/** The host's latest collection: figures, what it reported, when, and an error when it did not answer. */
export async function hostMetricsNow(db: DbTx, hostId: number) {
  const host = await db.host.findUnique({ where: { id: hostId }, select: { id: true, metricState: true } });
  if (!host) throw notFound(text("refusals.notFound.host", { id: hostId }));
  const last = await db.hostSample.findFirst({ where: { hostId, up: true }, orderBy: { at: "desc" } });
  const state = host.metricState;
  return {
    at: state?.at ?? null,
    error: state?.error ?? null,
    facts: (state?.facts ?? {}) as Record<string, string>,
    last,
  };
}
