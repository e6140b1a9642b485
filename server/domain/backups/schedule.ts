import type { Db } from "../../db/client";
import type { Reason } from "../health/rules";
import type { Dispatcher } from "../requests/requests";
import { isRedisKind, submitBackup } from "./backups";
import { pruneBackups } from "./retention";
import { intervalHours, loadBackupSettings, type BackupSettings } from "./settings";

const HOUR = 3_600_000;

type Scheduled = { id: number; kind: string; createdAt: Date; backupEveryHours: number | null; importance: number };

/** Live Redis services Hedwig deployed, with their last backup of any outcome and their last good one. */
async function scheduledServices(db: Db) {
  const services = await db.service.findMany({
    where: { status: "ONLINE", isDemo: false, adopted: false, kind: { in: ["REDIS_STANDALONE", "REDIS_SENTINEL", "REDIS_TWEMPROXY"] } },
    select: { id: true, name: true, kind: true, createdAt: true, backupEveryHours: true, productLine: { select: { importance: true } } },
  });
  const ids = services.map((s) => s.id);
  const [last, lastGood] = await Promise.all([
    db.$queryRaw<{ serviceId: number; id: number; status: string; createdAt: Date; finishedAt: Date | null }[]>`
      SELECT DISTINCT ON ("serviceId") "serviceId", "id", "status"::text, "createdAt", "finishedAt" FROM "Backup"
      WHERE "serviceId" = ANY(${ids}::int[]) ORDER BY "serviceId", "createdAt" DESC`,
    db.$queryRaw<{ serviceId: number; finishedAt: Date }[]>`
      SELECT "serviceId", max("finishedAt") AS "finishedAt" FROM "Backup"
      WHERE "serviceId" = ANY(${ids}::int[]) AND "status" IN ('SUCCEEDED', 'EXPIRED') GROUP BY "serviceId"`,
  ]);
  const lastOf = new Map(last.map((r) => [r.serviceId, r]));
  const goodOf = new Map(lastGood.map((r) => [r.serviceId, r.finishedAt]));
  return services.map((s) => ({
    ...s,
    importance: s.productLine.importance,
    last: lastOf.get(s.id) ?? null,
    lastGood: goodOf.get(s.id) ?? null,
  }));
}

/**
 * When the next scheduled backup is due: an interval after the last one (of any outcome, so a
 * failing service is retried once per interval, not every round), or after the service was
 * created. null: not scheduled.
 */
export function nextDue(s: BackupSettings, svc: Scheduled, lastAt: Date | null): Date | null {
  const h = intervalHours(s, svc);
  if (h <= 0) return null;
  return new Date((lastAt ?? svc.createdAt).getTime() + h * HOUR);
}

/**
 * A service's backup reason for the board: amber when its newest finished backup failed, or when
 * its last good one (or its creation) is older than its interval × lateFactor.
 */
export function backupReason(
  s: BackupSettings,
  svc: Scheduled,
  last: { id: number; status: string; finishedAt: Date | null } | null,
  lastGood: Date | null,
  now: Date,
): Reason | null {
  if (last?.status === "FAILED") return { code: "backup_failed", level: "AMBER", params: { backup: last.id, since: (last.finishedAt ?? now).toISOString() } };
  const h = intervalHours(s, svc);
  if (h <= 0) return null;
  const since = lastGood ?? svc.createdAt;
  if (now.getTime() - since.getTime() > h * s.lateFactor * HOUR)
    return { code: "backup_late", level: "AMBER", params: { hours: h, last: lastGood ? lastGood.toISOString() : null, since: since.toISOString() } };
  return null;
}

/** Every scheduled service's backup reason (the health evaluation adds it to the service's verdict). */
export async function backupReasons(db: Db, now: Date): Promise<Map<number, Reason>> {
  const [settings, services] = await Promise.all([loadBackupSettings(db), scheduledServices(db)]);
  const out = new Map<number, Reason>();
  for (const svc of services) {
    // a finished one is what counts: the one running now has not failed yet
    const finished = svc.last && svc.last.status !== "RUNNING" ? svc.last : null;
    const r = backupReason(settings, svc, finished, svc.lastGood, now);
    if (r) out.set(svc.id, r);
  }
  return out;
}

/**
 * Starts the backups that are due (automatic jobs), skipping a service busy with another job
 * until the next round, and expires what is past the retention. Run by the one reconciler.
 */
export async function scheduleBackups(db: Db, dispatch: Dispatcher, now: Date, log: (line: string) => void = () => {}): Promise<number> {
  const [settings, services] = await Promise.all([loadBackupSettings(db), scheduledServices(db)]);
  let started = 0;
  for (const svc of services) {
    if (!isRedisKind(svc.kind)) continue;
    if (svc.last?.status === "RUNNING") continue;
    const due = nextDue(settings, svc, svc.last?.createdAt ?? null);
    if (!due || due > now) continue;
    const busy = await db.job.count({ where: { serviceId: svc.id, status: { in: ["QUEUED", "RUNNING"] } } });
    if (busy) continue;
    try {
      const { backupId } = await submitBackup(db, null, svc.id, dispatch, { automatic: true });
      log(`backup ${backupId} of ${svc.name} started (due ${due.toISOString()})`);
      started++;
    } catch (e) {
      log(`backup of ${svc.name} not started: ${(e as Error).message}`);
    }
    await pruneBackups(db, svc.id, now);
  }
  return started;
}
