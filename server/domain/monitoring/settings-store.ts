import type { Prisma } from "../../../generated/prisma/client";
import type { DbTx } from "../../db/client";
import type { Actor } from "../access/actor";
import { recordAudit } from "../audit/record";
import { resolveMonitoringSettings, type MonitoringSettings } from "./settings";

const KEY = "monitoring";

export async function loadMonitoringSettings(db: DbTx): Promise<MonitoringSettings> {
  const row = await db.setting.findUnique({ where: { key: KEY } });
  return resolveMonitoringSettings(row?.value);
}

export async function saveMonitoringSettings(db: DbTx, actor: Actor, value: MonitoringSettings): Promise<MonitoringSettings> {
  const before = await db.setting.findUnique({ where: { key: KEY } });
  await db.setting.upsert({ where: { key: KEY }, create: { key: KEY, value: value as Prisma.InputJsonValue }, update: { value: value as Prisma.InputJsonValue } });
  await recordAudit(db, actor, { action: "settings.monitoring", entityType: "Setting", entityId: KEY, summary: "changed the monitoring settings", before: before?.value, after: value });
  return value;
}
