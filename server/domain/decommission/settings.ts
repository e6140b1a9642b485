import { z } from "zod";
import type { Db, DbTx } from "../../db/client";
import type { Actor } from "../access/actor";
import { loadSettings, saveSettings, type SettingsDef, type SettingsPatch } from "../settings/store";
import { text } from "../../../lib/text";

/** Setting "decommission": how long a retired service's files stay on its hosts before they are deleted. */
export const decommissionSettingsSchema = z
  .object({ graceDays: z.number().int("use a whole number of days").min(0, "use 0–365 days").max(365, "use 0–365 days") })
  .strict();
export type DecommissionSettings = z.infer<typeof decommissionSettingsSchema>;

export const DECOMMISSION_SETTINGS: SettingsDef<DecommissionSettings> = {
  key: "decommission",
  schema: decommissionSettingsSchema,
  defaults: { graceDays: 7 },
  audit: { action: "settings.decommission", text: text("auditLog.settings.decommission") },
};

export const loadDecommissionSettings = (db: DbTx) => loadSettings(db, DECOMMISSION_SETTINGS);
export const saveDecommissionSettings = (db: Db, actor: Actor, patch: SettingsPatch<DecommissionSettings>) =>
  saveSettings(db, actor, DECOMMISSION_SETTINGS, patch);
