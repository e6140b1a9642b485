import { z } from "zod";
import type { Db, DbTx } from "../../db/client";
import type { Actor } from "../access/actor";
import { loadSettings, saveSettings, type SettingsDef, type SettingsPatch } from "../settings/store";

const minutes = z.number().int("refusals.fields.wholeMinutes").min(1, "refusals.fields.minutes1to1440").max(1440, "refusals.fields.minutes1to1440");

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

export const INCIDENT_SETTINGS: SettingsDef<IncidentSettings> = {
  key: "incidents",
  schema: incidentSettingsSchema,
  defaults: DEFAULT_INCIDENT_SETTINGS,
  audit: { action: "settings.incidents", summary: "changed the incident escalation settings" },
};

export const loadIncidentSettings = (db: DbTx) => loadSettings(db, INCIDENT_SETTINGS);

export const saveIncidentSettings = (db: Db, actor: Actor, patch: SettingsPatch<IncidentSettings>) => saveSettings(db, actor, INCIDENT_SETTINGS, patch);
