import { Prisma } from "../../../generated/prisma/client";
import type { DbTx } from "../../db/client";
import { visibleProductLines, type Actor } from "../access/actor";

/**
 * Fleet figures for the overview: reads and writes per day (the hourly rollup's average rates ×
 * 3600, summed per day, last 30 days) and instances by software, IDC and product line. A BUSINESS
 * user's figures cover their product lines only.
 */

export const FLEET_DAYS = 30;

export async function fleetFigures(db: DbTx, actor: Actor, now = new Date()) {
  const visible = visibleProductLines(actor);
  const ids = visible ? (visible.length ? Prisma.join(visible) : Prisma.sql`NULL`) : null;
  const scope = ids ? Prisma.sql`AND s."productLineId" IN (${ids})` : Prisma.empty;
  const since = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (FLEET_DAYS - 1) * 86_400_000);
  const [daily, bySoftware, byIdc, byLine] = await Promise.all([
    db.$queryRaw<{ day: Date; reads: number; writes: number; demo: boolean }[]>`
      SELECT date_trunc('day', h."bucket", 'UTC') AS day, sum(h."readsAvg" * 3600) AS reads, sum(h."writesAvg" * 3600) AS writes, bool_or(h."isDemo") AS demo
      FROM "ServiceHour" h JOIN "Service" s ON s."id" = h."serviceId"
      WHERE h."bucket" >= ${since} ${scope}
      GROUP BY 1 ORDER BY 1`,
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
