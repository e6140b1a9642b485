import type { DbTx } from "../../db/client";
import type { Actor } from "../access/actor";
import { recordAudit } from "../audit/record";

const KEY = "libra.syncIntervalSeconds";
export const DEFAULT_SYNC_INTERVAL_SECONDS = 10;

/** How often the periodic sync looks for pending changes (a setting, read on every tick). */
export async function syncIntervalSeconds(db: DbTx): Promise<number> {
  const row = await db.setting.findUnique({ where: { key: KEY } });
  return typeof row?.value === "number" ? row.value : DEFAULT_SYNC_INTERVAL_SECONDS;
}

export async function setSyncInterval(db: DbTx, actor: Actor, seconds: number): Promise<void> {
  const before = await syncIntervalSeconds(db);
  await db.setting.upsert({ where: { key: KEY }, create: { key: KEY, value: seconds }, update: { value: seconds } });
  await recordAudit(db, actor, { action: "libra.settings", entityType: "Setting", entityId: KEY, summary: `Libra sync interval ${before} s → ${seconds} s`, before, after: seconds });
}
