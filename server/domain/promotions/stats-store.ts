import type { DbTx } from "../../db/client";
import type { Outcome } from "./forecast";
import { DAY_MS, HOUR_MS, type Baseline } from "./series";
import type { PromotionSettings } from "./settings";

type PromotionRow = { id: number; name: string; kind: Outcome["kind"]; startsAt: Date; endsAt: Date; updatedAt: Date };

// Late rollups (the collector writes an hour's row after the hour) still land in a window this long
// after it closed; stats computed earlier are computed again.
const SETTLE_MS = 2 * HOUR_MS;

/**
 * The per-service window peaks and baseline of one promotion, aggregated in SQL over the window and
 * the baseline days only (the bucket index bounds both scans). Mirrors series.ts: peaks of opsMax,
 * usedMemoryMbMax and clientsMax over [startsAt, endsAt); the baseline is the median of the peaks of
 * the 24-hour periods before startsAt that have samples.
 */
function statsSql(p: { id: number; startsAt: Date; endsAt: Date }, s: PromotionSettings) {
  const from = new Date(p.startsAt.getTime() - s.baselineDays * DAY_MS);
  return [
    `WITH win AS (
       SELECT "serviceId", count(*)::int AS samples, max("opsMax") AS qps, max("usedMemoryMbMax") AS mem,
              max("clientsMax") AS clients, max("maxmemoryMb") AS maxmem
       FROM "ServiceHour" WHERE bucket >= $2 AND bucket < $3 GROUP BY "serviceId"
     ), daily AS (
       SELECT "serviceId", floor(extract(epoch FROM ($2::timestamptz - bucket - interval '1 millisecond')) / 86400) AS d,
              max("opsMax") AS qps, max("usedMemoryMbMax") AS mem, max("clientsMax") AS clients
       FROM "ServiceHour" WHERE bucket >= $4 AND bucket < $2 GROUP BY 1, 2
     ), base AS (
       SELECT "serviceId", count(*)::int AS days,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY qps) AS qps,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY mem) AS mem,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY clients) AS clients
       FROM daily GROUP BY "serviceId" HAVING count(*) >= $5
     )
     SELECT $1::int AS "promotionId", coalesce(w."serviceId", b."serviceId") AS "serviceId", coalesce(w.samples, 0) AS samples,
            w.qps AS "qpsPeak", w.mem AS "memPeakMb", w.clients AS "clientsPeak", w.maxmem AS "maxmemoryMb",
            coalesce(b.days, 0) AS "baseDays", b.qps AS "baseQps", b.mem AS "baseMemMb", b.clients AS "baseClients"
     FROM win w FULL JOIN base b ON b."serviceId" = w."serviceId"`,
    [p.id, p.startsAt, p.endsAt, from, s.minBaselineDays],
  ] as const;
}

export type StatRow = {
  promotionId: number;
  serviceId: number;
  samples: number;
  qpsPeak: number | null;
  memPeakMb: number | null;
  clientsPeak: number | null;
  maxmemoryMb: number | null;
  baseDays: number;
  baseQps: number | null;
  baseMemMb: number | null;
  baseClients: number | null;
};

const isSettled = (p: PromotionRow, now: Date) => p.endsAt.getTime() + SETTLE_MS <= now.getTime();
/** Stats computed before this (the last edit, or the window settling) are stale. */
const freshSince = (p: PromotionRow) => new Date(Math.max(p.updatedAt.getTime(), p.endsAt.getTime() + SETTLE_MS));

/**
 * Stats of the given promotions for every service that has rollups in their windows or baselines.
 * Settled promotions (window closed) are read from PromotionServiceStat, computed there first when
 * missing or stale; an open or upcoming window is aggregated live and not kept.
 */
export async function promotionStats(db: DbTx, promotions: readonly PromotionRow[], s: PromotionSettings, now = new Date()): Promise<StatRow[]> {
  const settled = promotions.filter((p) => isSettled(p, now));
  const fresh = new Set(
    (
      await db.$queryRawUnsafe<{ promotionId: number; computedAt: Date; baselineDays: number }[]>(
        `SELECT DISTINCT ON ("promotionId") "promotionId", "computedAt", "baselineDays" FROM "PromotionServiceStat"
         WHERE "promotionId" = ANY($1::int[]) ORDER BY "promotionId", "computedAt"`,
        settled.map((p) => p.id),
      )
    )
      .filter((r) => {
        const p = settled.find((x) => x.id === r.promotionId)!;
        return r.baselineDays === s.baselineDays && r.computedAt >= freshSince(p);
      })
      .map((r) => r.promotionId),
  );
  const live: StatRow[] = [];
  await Promise.all(
    promotions.map(async (p) => {
      if (fresh.has(p.id)) return;
      const [sql, params] = statsSql(p, s);
      if (!isSettled(p, now)) {
        live.push(...(await db.$queryRawUnsafe<StatRow[]>(sql, ...params)));
        return;
      }
      await refreshStats(db, p, s, sql, params);
    }),
  );
  const cached = settled.length
    ? await db.$queryRawUnsafe<StatRow[]>(
        `SELECT "promotionId", "serviceId", samples, "qpsPeak", "memPeakMb", "clientsPeak", "maxmemoryMb", "baseDays", "baseQps", "baseMemMb", "baseClients"
         FROM "PromotionServiceStat" WHERE "promotionId" = ANY($1::int[])`,
        settled.map((p) => p.id),
      )
    : [];
  return [...cached, ...live];
}

// Two readers computing the same promotion at once: the lock makes the second wait, then replace.
async function refreshStats(db: DbTx, p: PromotionRow, s: PromotionSettings, sql: string, params: readonly unknown[]) {
  const run = async (tx: DbTx) => {
    await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(7007, $1::int)`, p.id);
    // The reader that held the lock may have just computed them.
    const [done] = await tx.$queryRawUnsafe<unknown[]>(
      `SELECT 1 FROM "PromotionServiceStat" WHERE "promotionId" = $1 AND "baselineDays" = $2 AND "computedAt" >= $3 LIMIT 1`,
      p.id,
      s.baselineDays,
      freshSince(p),
    );
    if (done) return;
    await tx.$executeRawUnsafe(`DELETE FROM "PromotionServiceStat" WHERE "promotionId" = $1`, p.id);
    await tx.$executeRawUnsafe(
      `INSERT INTO "PromotionServiceStat" ("promotionId", "serviceId", samples, "qpsPeak", "memPeakMb", "clientsPeak", "maxmemoryMb", "baseDays", "baseQps", "baseMemMb", "baseClients", "baselineDays")
       SELECT q.*, ${s.baselineDays} FROM (${sql}) q`,
      ...params,
    );
  };
  const withTx = db as DbTx & { $transaction?: (fn: (tx: DbTx) => Promise<void>, o: object) => Promise<void> };
  // A first aggregation over thousands of services, behind other readers' locks, outlasts the 5 s default.
  if (withTx.$transaction) await withTx.$transaction(run, { timeout: 120_000, maxWait: 60_000 });
  else await run(db);
}

// The rollups add the fleet's history once an hour: one computation per database, hour, setting and
// newest service serves every forecast in that hour (a service added meanwhile, adopted or imported
// with its history, starts a new one).
const baselineMemo = new WeakMap<object, { key: string; value: Promise<Map<number, Baseline>> }>();

/** Current baseline per service: the same median of daily peaks, over the days before the current hour. */
export async function currentBaselines(db: DbTx, s: PromotionSettings, now: Date): Promise<Map<number, Baseline>> {
  const hour = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS);
  const [newest] = await db.$queryRaw<{ id: number | null }[]>`SELECT max("id") AS id FROM "Service"`;
  const key = `${hour.toISOString()}:${newest?.id ?? 0}:${s.baselineDays}:${s.minBaselineDays}`;
  const hit = baselineMemo.get(db);
  if (hit?.key === key) return hit.value;
  const [sql, params] = statsSql({ id: 0, startsAt: hour, endsAt: hour }, s);
  const value = db
    .$queryRawUnsafe<StatRow[]>(`SELECT * FROM (${sql}) q WHERE "baseDays" > 0`, ...params)
    .then((rows) => new Map(rows.map((r) => [r.serviceId, { qps: r.baseQps!, memMb: r.baseMemMb!, clients: r.baseClients!, days: r.baseDays }])));
  baselineMemo.set(db, { key, value });
  value.catch(() => baselineMemo.delete(db));
  return value;
}

/** A stats row as the pure core's Outcome. */
export function toOutcome(p: Pick<PromotionRow, "id" | "name" | "kind" | "startsAt">, r: StatRow | undefined): Outcome {
  return {
    promotionId: p.id,
    name: p.name,
    kind: p.kind,
    startsAt: p.startsAt,
    peak: r && r.samples > 0 ? { qps: r.qpsPeak!, memMb: r.memPeakMb!, clients: r.clientsPeak!, samples: r.samples } : null,
    baseline: r && r.baseDays > 0 ? { qps: r.baseQps!, memMb: r.baseMemMb!, clients: r.baseClients!, days: r.baseDays } : null,
  };
}
