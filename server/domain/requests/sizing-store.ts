import { z } from "zod";
import type { Db, DbTx } from "../../db/client";
import type { Actor } from "../access/actor";
import { DEFAULT_SIZING_SETTINGS, resolveSizingSettings, type SizingSettings } from "../provisioning/sizing-settings";
import { loadSettings, saveSettings, type SettingsDef, type SettingsPatch } from "../settings/store";

// Bounds of every field; the sizing rules' own checks (whole numbers, at least 1, 2 proxies…) follow in resolveSizingSettings.
const amount = z.number().positive("refusals.fields.positive").max(1e9, "refusals.fields.max1e9");
const byImportance = z.object({ 1: amount, 2: amount, 3: amount, 4: amount, 5: amount }).strict();
const sizingSettingsSchema = z
  .object(Object.fromEntries(Object.entries(DEFAULT_SIZING_SETTINGS).map(([k, v]) => [k, typeof v === "object" ? byImportance : amount])))
  .strict();

export const SIZING_SETTINGS: SettingsDef<SizingSettings> = {
  key: "sizing",
  schema: sizingSettingsSchema,
  defaults: DEFAULT_SIZING_SETTINGS,
  check: (s) => void resolveSizingSettings(s),
  audit: { action: "settings.sizing", summary: "changed the sizing settings" },
};

export const loadSizingSettings = (db: DbTx) => loadSettings(db, SIZING_SETTINGS);

export const saveSizingSettings = (db: Db, actor: Actor, patch: SettingsPatch<SizingSettings>) => saveSettings(db, actor, SIZING_SETTINGS, patch);
