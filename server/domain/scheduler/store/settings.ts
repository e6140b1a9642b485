import type { Prisma } from "../../../../generated/prisma/client";
import type { DbTx } from "../../../db/client";
import type { Actor } from "../../access/actor";
import { recordAudit } from "../../audit/record";
import { resolveSettings, type SchedulerSettings, type StoredSchedulerSettings } from "../index";

const KEY = "scheduler";

/** The scheduler's settings as an admin left them, completed with the defaults. */
export async function loadSchedulerSettings(db: DbTx): Promise<SchedulerSettings> {
  const row = await db.setting.findUnique({ where: { key: KEY } });
  return resolveSettings((row?.value ?? {}) as StoredSchedulerSettings);
}

export async function saveSchedulerSettings(db: DbTx, actor: Actor, stored: StoredSchedulerSettings): Promise<SchedulerSettings> {
  const resolved = resolveSettings(stored); // refuses what the scheduler cannot use before anything is written
  const before = await db.setting.findUnique({ where: { key: KEY } });
  const value = stored as Prisma.InputJsonValue;
  await db.setting.upsert({ where: { key: KEY }, create: { key: KEY, value }, update: { value } });
  await recordAudit(db, actor, { action: "settings.scheduler", entityType: "Setting", entityId: KEY, summary: "changed the scheduler settings", before: before?.value, after: stored });
  return resolved;
}
