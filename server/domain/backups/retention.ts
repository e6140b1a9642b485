import type { Db } from "../../db/client";
import { loadBackupSettings } from "./settings";
import { removeBackupFiles } from "./store";

/**
 * Deletes from the store what is past the DBA's retention, keeping the newest `keepAtLeast` good
 * backups whatever their age; the rows stay as history, marked EXPIRED. The number expired.
 */
export async function pruneBackups(db: Db, serviceId: number, now: Date): Promise<number> {
  const s = await loadBackupSettings(db);
  const cutoff = new Date(now.getTime() - s.retentionDays * 86_400_000);
  const rows = await db.backup.findMany({
    where: { serviceId, status: { in: ["SUCCEEDED", "FAILED"] } },
    orderBy: { createdAt: "desc" },
    select: { id: true, status: true, createdAt: true },
  });
  const keep = new Set(
    rows
      .filter((r) => r.status === "SUCCEEDED")
      .slice(0, s.keepAtLeast)
      .map((r) => r.id),
  );
  let n = 0;
  for (const r of rows) {
    if (keep.has(r.id) || r.createdAt >= cutoff) continue;
    await removeBackupFiles(serviceId, r.id);
    await db.backup.update({ where: { id: r.id }, data: { status: "EXPIRED", expiredAt: now } });
    n++;
  }
  return n;
}
