import { Prisma } from "../../../generated/prisma/client";
import type { DbTx } from "../../db/client";
import { visibleProductLines, type Actor } from "../access/actor";

/**
 * Fleet figures for the overview: reads and writes per day (the hourly rollup's average rates ×
 * 3600, summed per day, last 30 days) and instances by software, IDC and product line. A BUSINESS
 * user's figures cover their product lines only.
 */

export const FLEET_DAYS = 30;
/** The daily sums read every hourly row of a month (2 million at 3,000 services): kept a few minutes per scope. */
export const DAILY_CACHE_MS = 5 * 60_000;

type Daily = { day: Date; reads: number; writes: number; demo: boolean }[];
const dailyCache = new Map<string, { at: number; since: number; rows: Daily }>();

async function dailyTotals(db: DbTx, ids: Prisma.Sql | null, since: Date, now: Date): Promise<Daily> {
  const key = ids ? ids.values.join(",") : "*";
  const hit = dailyCache.get(key);
  if (hit && hit.since === since.getTime() && now.getTime() - hit.at < DAILY_CACHE_MS) return hit.rows;
  // Fleet-wide, no join: the bucket index alone.
  const rows = await db.$queryRaw<Daily>`
    SELECT date_trunc('day', h."bucket", 'UTC') AS day, sum(h."readsAvg" * 3600) AS reads, sum(h."writesAvg" * 3600) AS writes, bool_or(h."isDemo") AS demo
    FROM "ServiceHour" h
    WHERE h."bucket" >= ${since} ${ids ? Prisma.sql`AND h."serviceId" IN (SELECT "id" FROM "Service" WHERE "productLineId" IN (${ids}))` : Prisma.empty}
    GROUP BY 1 ORDER BY 1`;
  dailyCache.set(key, { at: now.getTime(), since: since.getTime(), rows });
  return rows;
}

export async function fleetFigures(db: DbTx, actor: Actor, now = new Date()) {
  const visible = visibleProductLines(actor);
  const ids = visible ? (visible.length ? Prisma.join(visible) : Prisma.sql`NULL`) : null;
  const scope = ids ? Prisma.sql`AND s."productLineId" IN (${ids})` : Prisma.empty;
  const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (FLEET_DAYS - 1) * 86_400_000);
  const [daily, bySoftware, byIdc, byLine] = await Promise.all([
    dailyTotals(db, ids, since, now),
    db.$queryRaw<{ key: string; n: number }[]>`
      SELECT i."software"::text AS key, count(*)::int AS n FROM "Instance" i JOIN "Service" s ON s."id" = i."serviceId"
      WHERE true ${scope} GROUP BY 1 ORDER BY 2 DESC`,
    db.$queryRaw<{ key: string; n: number }[]>`
      SELECT d."code" AS key, count(*)::int AS n FROM "Instance" i JOIN "Service" s ON s."id" = i."serviceId"
      JOIN "Host" h ON h."id" = i."hostId" JOIN "Rack" r ON r."id" = h."rackId" JOIN "Idc" d ON d."id" = r."idcId"
      WHERE true ${scope} GROUP BY 1 ORDER BY 1`,
    db.$queryRaw<{ key: string; n: number }[]>`
      SELECT pl."code" AS key, count(*)::int AS n FROM "Instance" i JOIN "Service" s ON s."id" = i."serviceId" JOIN "ProductLine" pl ON pl."id" = s."productLineId"
      WHERE true ${scope} GROUP BY 1 ORDER BY 2 DESC, 1`,
  ]);
  return {
    daily: daily.map((d) => ({ day: d.day.toISOString().slice(0, 10), reads: d.reads, writes: d.writes })),
    dailyIsDemo: daily.some((d) => d.demo),
    bySoftware,
    byIdc,
    byProductLine: byLine,
  };
}
