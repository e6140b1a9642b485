import { z } from "zod";
import type { Db, DbTx } from "../../db/client";
import type { Actor } from "../access/actor";
import { loadSettings, saveSettings, type SettingsDef } from "../settings/store";

export const DEFAULT_SYNC_INTERVAL_SECONDS = 10;

type LibraSettings = { syncIntervalSeconds: number };

export const LIBRA_SETTINGS: SettingsDef<LibraSettings> = {
  key: "libra",
  schema: z
    .object({
      syncIntervalSeconds: z.number().int("refusals.fields.wholeSecondsShort").min(2, "refusals.fields.syncInterval").max(3600, "refusals.fields.syncInterval"),
    })
    .strict(),
  defaults: { syncIntervalSeconds: DEFAULT_SYNC_INTERVAL_SECONDS },
  audit: { action: "libra.settings", summary: "changed the Libra sync interval" },
};

/** How often the periodic sync looks for pending changes (a setting, read on every tick). */
export async function syncIntervalSeconds(db: DbTx): Promise<number> {
  return (await loadSettings(db, LIBRA_SETTINGS)).syncIntervalSeconds;
}

export async function setSyncInterval(db: Db, actor: Actor, seconds: number): Promise<void> {
  await saveSettings(db, actor, LIBRA_SETTINGS, { syncIntervalSeconds: seconds });
}
