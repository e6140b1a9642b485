import type { DbTx } from "../../db/client";
import { dropSamplePartitionsBefore } from "./partitions";
import type { MonitoringSettings } from "./settings";

const DAY = 86_400_000;

/**
 * Deletes what is older than each resolution keeps. Raw samples go a whole day at a time (their
 * day tables dropped once all of the day is past the window), never row by row. Rows marked isDemo (generated demo history) are
 * not the collector's: they are left alone.
 */
export async function applyRetention(db: DbTx, now: Date, s: Pick<MonitoringSettings, "rawRetentionDays" | "minuteRetentionDays" | "hourRetentionDays">) {
  const before = (days: number) => new Date(now.getTime() - days * DAY);
  const raw = before(s.rawRetentionDays);
  const [sampleDays, slowlog, clients, minutes, hours] = await Promise.all([
    dropSamplePartitionsBefore(db, raw),
    db.slowlogEntry.deleteMany({ where: { at: { lt: raw } } }),
    db.clientSource.deleteMany({ where: { updatedAt: { lt: raw } } }),
    db.serviceMinute.deleteMany({ where: { bucket: { lt: before(s.minuteRetentionDays) }, isDemo: false } }),
    db.serviceHour.deleteMany({ where: { bucket: { lt: before(s.hourRetentionDays) }, isDemo: false } }),
  ]);
  await db.collectorWorker.deleteMany({ where: { seenAt: { lt: before(1) } } });
  // availability reads 30 days of canary minutes
  await db.canaryMinute.deleteMany({ where: { minute: { lt: before(Math.max(31, s.minuteRetentionDays)) } } });
  return { sampleDays: sampleDays.length, slowlog: slowlog.count, clients: clients.count, minutes: minutes.count, hours: hours.count };
}
