import { Prisma } from "../../../generated/prisma/client";
import type { DbTx } from "../../db/client";

/** Availability as an SLO: minutes in which the canary saw errors, over the minutes it probed. */
export type Availability = { minutes: number; errorMinutes: number; pct: number | null };
export const WINDOW_DAYS = 30;

/** The share of good minutes, in percent with enough digits to tell 99.9 from 99.99; null with no probe. */
export const availabilityPct = (minutes: number, errorMinutes: number) =>
  minutes > 0 ? Math.floor((10_000 * (minutes - errorMinutes)) / minutes) / 100 : null;

const since = (now: Date) => new Date(now.getTime() - WINDOW_DAYS * 86_400_000);

export async function serviceAvailability(db: DbTx, serviceId: number, now = new Date()): Promise<Availability> {
  const [row] = await db.$queryRaw<{ minutes: number; errors: number }[]>`
    SELECT count(*)::int AS minutes, (count(*) FILTER (WHERE "failures" > 0))::int AS errors
    FROM "CanaryMinute" WHERE "serviceId" = ${serviceId} AND "minute" >= ${since(now)}`;
  return { minutes: row?.minutes ?? 0, errorMinutes: row?.errors ?? 0, pct: availabilityPct(row?.minutes ?? 0, row?.errors ?? 0) };
}

// The board asks every 5 s; a month of minutes moves slowly: kept 15 s per set of lines.
const memo = new Map<string, { at: number; value: Map<number, Availability> }>();

/** Per product line: service-minutes with errors over service-minutes probed, across its services. */
export async function availabilityByLine(db: DbTx, productLineIds: number[], now = new Date()): Promise<Map<number, Availability>> {
  if (productLineIds.length === 0) return new Map();
  const key = [...productLineIds].sort((a, b) => a - b).join(",");
  const hit = memo.get(key);
  if (hit && now.getTime() - hit.at < 15_000) return hit.value;
  const rows = await db.$queryRaw<{ productLineId: number; minutes: number; errors: number }[]>`
    SELECT s."productLineId", count(*)::int AS minutes, (count(*) FILTER (WHERE c."failures" > 0))::int AS errors
    FROM "CanaryMinute" c JOIN "Service" s ON s."id" = c."serviceId"
    WHERE c."minute" >= ${since(now)} AND s."productLineId" IN (${Prisma.join(productLineIds)})
    GROUP BY s."productLineId"`;
  const value = new Map(rows.map((r) => [r.productLineId, { minutes: r.minutes, errorMinutes: r.errors, pct: availabilityPct(r.minutes, r.errors) }]));
  if (memo.size > 100) memo.clear();
  memo.set(key, { at: now.getTime(), value });
  return value;
}

/** The service page's health summary: the latest canary and availability over 30 days. */
export async function serviceHealthSummary(db: DbTx, serviceId: number, now = new Date()) {
  const [canary, availability, incident] = await Promise.all([
    db.serviceCanary.findUnique({
      where: { serviceId },
      select: { at: true, ok: true, entry: true, via: true, keys: true, failed: true, latencyMs: true, error: true, failingSince: true },
    }),
    serviceAvailability(db, serviceId, now),
    db.incident.findFirst({
      where: { closedAt: null, services: { some: { serviceId } } },
      orderBy: { openedAt: "desc" },
      select: { id: true, openedAt: true },
    }),
  ]);
  return { canary, availability, incident };
}
