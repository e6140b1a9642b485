import type { DbTx } from "../../db/client";
import type { SentinelView } from "../monitoring/sample";

/**
 * What pages read beside an instance's desired state (its row: state, maintenanceUntil) to show the
 * observed one: the collector's InstanceHealth (up, or down since …) and the reconciler's hold.
 */
export const observedInclude = {
  health: { select: { downSince: true, lastUpAt: true, checkedAt: true } },
  restartHold: { select: { since: true, code: true, params: true } },
} as const;

/** a verdict older than this (three default intervals and a margin) no longer says what runs now */
export const STALE_MS = 45_000;

/**
 * What each Sentinel said in its latest poll (the masters it watches, where, whether its quorum
 * holds), for the pages beside its up/down; none when that poll failed or is older than STALE_MS.
 */
export async function sentinelViews(db: DbTx, instanceIds: number[], now = new Date()): Promise<Map<number, SentinelView[]>> {
  if (instanceIds.length === 0) return new Map();
  const rows = await db.$queryRaw<{ instanceId: number; up: boolean; extra: { sentinel?: SentinelView[] } | null }[]>`
    SELECT DISTINCT ON ("instanceId") "instanceId", "up", "extra" FROM "MetricSample"
    WHERE "instanceId" = ANY(${instanceIds}::int[]) AND "at" > ${new Date(now.getTime() - STALE_MS)}
    ORDER BY "instanceId", "at" DESC`;
  // a Sentinel that did not answer its latest poll sees nothing now
  return new Map(rows.filter((r) => r.up && Array.isArray(r.extra?.sentinel)).map((r) => [r.instanceId, r.extra!.sentinel!]));
}
