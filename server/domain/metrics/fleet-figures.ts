import { Prisma } from "../../../generated/prisma/client";
import type { DbTx } from "../../db/client";
import { DEFAULT_TIME_ZONE, type TimeZone } from "../../../i18n/locales";
import { visibleProductLines, type Actor } from "../access/actor";

/**
 * Fleet figures for the overview: reads and writes per day (the hourly rollup's average rates ×
 * 3600, summed per day of the reader's time zone, last 30 days) and instances by software, IDC and
 * product line. A BUSINESS user's figures cover their product lines only.
 */

export const FLEET_DAYS = 30;
/** The daily sums read every hourly row of a month (2 million at 3,000 services): kept a few minutes per scope. */
export const DAILY_CACHE_MS = 5 * 60_000;

type Daily = { day: string; reads: number; writes: number; demo: boolean }[];
const dailyCache = new Map<string, { at: number; since: number; rows: Daily }>();

async function dailyTotals(db: DbTx, ids: Prisma.Sql | null, since: Date, zone: TimeZone, now: Date): Promise<Daily> {
  const key = `${zone} ${ids ? ids.values.join(",") : "*"}`;
  const hit = dailyCache.get(key);
  if (hit && hit.since === since.getTime() && now.getTime() - hit.at < DAILY_CACHE_MS) return hit.rows;
  // Fleet-wide, no join: the bucket index alone.
  const rows = await db.$queryRaw<Daily>`
    SELECT (h."bucket" AT TIME ZONE ${zone})::date::text AS day, sum(h."readsAvg" * 3600) AS reads, sum(h."writesAvg" * 3600) AS writes, bool_or(h."isDemo") AS demo
    FROM "ServiceHour" h
    WHERE h."bucket" >= ${since} ${ids ? Prisma.sql`AND h."serviceId" IN (SELECT "id" FROM "Service" WHERE "productLineId" IN (${ids}))` : Prisma.empty}
    GROUP BY 1 ORDER BY 1`;
  // the window starts a day early (any zone's midnight is inside it): keep the zone's last FLEET_DAYS days
  const kept = rows.slice(-FLEET_DAYS);
  dailyCache.set(key, { at: now.getTime(), since: since.getTime(), rows: kept });
  return kept;
}

export async function fleetFigures(db: DbTx, actor: Actor, zone: TimeZone = DEFAULT_TIME_ZONE, now = new Date()) {
  const visible = visibleProductLines(actor);
  const ids = visible ? (visible.length ? Prisma.join(visible) : Prisma.sql`NULL`) : null;
  const scope = ids ? Prisma.sql`AND s."productLineId" IN (${ids})` : Prisma.empty;
  const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - FLEET_DAYS * 86_400_000);
  const [daily, bySoftware, byIdc, byLine] = await Promise.all([
    dailyTotals(db, ids, since, zone, now),
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
    daily: daily.map((d) => ({ day: d.day, reads: d.reads, writes: d.writes })),
    dailyIsDemo: daily.some((d) => d.demo),
    bySoftware,
    byIdc,
    byProductLine: byLine,
  };
}
