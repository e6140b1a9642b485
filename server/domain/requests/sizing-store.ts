import type { Prisma } from "../../../generated/prisma/client";
import type { DbTx } from "../../db/client";
import type { Actor } from "../access/actor";
import { recordAudit } from "../audit/record";
import { resolveSizingSettings, type SizingSettings, type StoredSizingSettings } from "../provisioning/sizing-settings";

const KEY = "sizing";

export async function loadSizingSettings(db: DbTx): Promise<SizingSettings> {
  const row = await db.setting.findUnique({ where: { key: KEY } });
  return resolveSizingSettings((row?.value ?? {}) as StoredSizingSettings);
}

export async function saveSizingSettings(db: DbTx, actor: Actor, stored: StoredSizingSettings): Promise<SizingSettings> {
  const resolved = resolveSizingSettings(stored);
  const before = await db.setting.findUnique({ where: { key: KEY } });
  const value = stored as Prisma.InputJsonValue;
  await db.setting.upsert({ where: { key: KEY }, create: { key: KEY, value }, update: { value } });
  await recordAudit(db, actor, { action: "settings.sizing", entityType: "Setting", entityId: KEY, summary: "changed the sizing settings", before: before?.value, after: stored });
  return resolved;
}
