import type { Db, DbTx } from "../../../db/client";
import type { Actor } from "../../access/actor";
import { loadSettings, saveSettings, type SettingsDef, type SettingsPatch } from "../../settings/store";
import { DEFAULT_SCHEDULER_SETTINGS, resolveSettings, type SchedulerSettings } from "../index";
import { schedulerSettingsSchema } from "./schemas";
import { text } from "../../../../lib/text";

export const SCHEDULER_SETTINGS: SettingsDef<SchedulerSettings> = {
  key: "scheduler",
  schema: schedulerSettingsSchema,
  defaults: DEFAULT_SCHEDULER_SETTINGS,
  check: (s) => void resolveSettings(s),
  audit: { action: "settings.scheduler", text: text("auditLog.settings.scheduler") },
};

/** The scheduler's settings as an admin left them, completed with the defaults. */
export const loadSchedulerSettings = (db: DbTx) => loadSettings(db, SCHEDULER_SETTINGS);

export const saveSchedulerSettings = (db: Db, actor: Actor, patch: SettingsPatch<SchedulerSettings>) => saveSettings(db, actor, SCHEDULER_SETTINGS, patch);
