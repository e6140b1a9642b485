import { z } from "zod";
import type { Prisma } from "../../../generated/prisma/client";
import type { DbTx } from "../../db/client";
import type { Actor } from "../access/actor";
import { recordAudit } from "../audit/record";
import { overDefaults } from "../monitoring/settings";

const minutes = z.number().int("use a whole number of minutes").min(1, "use 1–1,440 minutes").max(1440, "use 1–1,440 minutes");

/** Setting "incidents": when an unacknowledged incident escalates, per importance; the language of webhook texts. */
export const incidentSettingsSchema = z
  .object({
    escalateAfterMinutes: z.object({ "1": minutes, "2": minutes, "3": minutes, "4": minutes, "5": minutes }).strict(),
    alertLocale: z.enum(["en", "zh"]),
  })
  .strict();
export type IncidentSettings = z.infer<typeof incidentSettingsSchema>;

export const DEFAULT_INCIDENT_SETTINGS: IncidentSettings = {
  escalateAfterMinutes: { "1": 120, "2": 60, "3": 30, "4": 15, "5": 10 },
  alertLocale: "en",
};

const KEY = "incidents";

export async function loadIncidentSettings(db: DbTx): Promise<IncidentSettings> {
  const row = await db.setting.findUnique({ where: { key: KEY } });
  return overDefaults(incidentSettingsSchema, DEFAULT_INCIDENT_SETTINGS, row?.value);
}

export async function saveIncidentSettings(db: DbTx, actor: Actor, value: IncidentSettings): Promise<IncidentSettings> {
  const before = await db.setting.findUnique({ where: { key: KEY } });
  await db.setting.upsert({ where: { key: KEY }, create: { key: KEY, value: value as Prisma.InputJsonValue }, update: { value: value as Prisma.InputJsonValue } });
  await recordAudit(db, actor, { action: "settings.incidents", entityType: "Setting", entityId: KEY, summary: "changed the incident escalation settings", before: before?.value, after: value });
  return value;
}
