import { z } from "zod";
import type { Db, DbTx } from "../../db/client";
import type { Actor } from "../access/actor";
import { loadSettings, saveSettings, type SettingsDef, type SettingsPatch } from "../settings/store";

/** How the reconciler keeps deployed processes alive: Setting "reconciler". */
export const reconcilerSettingsSchema = z
  .object({
    /** how often it looks at every process that should run (a killed one serves again about this long after plus its start) */
    checkSeconds: z.number().int("refusals.fields.wholeSeconds").min(1, "refusals.fields.seconds1to300").max(300, "refusals.fields.seconds1to300"),
    /** automatic restarts of one instance (or load-balancer server) within an hour; past that it is left down and escalated */
    maxRestartsPerHour: z.number().int("refusals.fields.wholeNumber").min(1, "refusals.fields.restartsPerHour").max(20, "refusals.fields.restartsPerHour"),
  })
  .strict();

export type ReconcilerSettings = z.infer<typeof reconcilerSettingsSchema>;

export const DEFAULT_RECONCILER_SETTINGS: ReconcilerSettings = { checkSeconds: 5, maxRestartsPerHour: 3 };

export const RECONCILER_SETTINGS: SettingsDef<ReconcilerSettings> = {
  key: "reconciler",
  schema: reconcilerSettingsSchema,
  defaults: DEFAULT_RECONCILER_SETTINGS,
  audit: { action: "settings.reconciler", summary: "changed the reconciler settings" },
};

export const loadReconcilerSettings = (db: DbTx) => loadSettings(db, RECONCILER_SETTINGS);

export const saveReconcilerSettings = (db: Db, actor: Actor, patch: SettingsPatch<ReconcilerSettings>) => saveSettings(db, actor, RECONCILER_SETTINGS, patch);
