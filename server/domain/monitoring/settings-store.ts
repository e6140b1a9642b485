import type { Db, DbTx } from "../../db/client";
import type { Actor } from "../access/actor";
import { loadSettings, saveSettings, type SettingsDef, type SettingsPatch } from "../settings/store";
import { DEFAULT_MONITORING_SETTINGS, monitoringSettingsSchema, type MonitoringSettings } from "./settings";
import { text } from "../../../lib/text";

export const MONITORING_SETTINGS: SettingsDef<MonitoringSettings> = {
  key: "monitoring",
  schema: monitoringSettingsSchema,
  defaults: DEFAULT_MONITORING_SETTINGS,
  audit: { action: "settings.monitoring", text: text("auditLog.settings.monitoring") },
};

export const loadMonitoringSettings = (db: DbTx) => loadSettings(db, MONITORING_SETTINGS);

export const saveMonitoringSettings = (db: Db, actor: Actor, patch: SettingsPatch<MonitoringSettings>) => saveSettings(db, actor, MONITORING_SETTINGS, patch);
