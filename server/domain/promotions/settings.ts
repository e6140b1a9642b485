import { text } from "../../../lib/text";
import { z } from "zod";
import type { Db, DbTx } from "../../db/client";
import type { Actor } from "../access/actor";
import { loadSettings, refuseFields, saveSettings, type SettingsDef, type SettingsPatch } from "../settings/store";

/** How promotions are measured and judged. QPS ceilings and shard sizes come from the sizing settings. */
const promotionSettingsSchema = z
  .object({
    /** the baseline is the median of the daily peaks over this many days before a start */
    baselineDays: z.number().int("refusals.fields.wholeDays").min(1, "refusals.fields.days1to90").max(90, "refusals.fields.days1to90"),
    /** a baseline needs at least this many of those days to have samples */
    minBaselineDays: z.number().int("refusals.fields.wholeDays").min(1, "refusals.fields.days1to90").max(90, "refusals.fields.days1to90"),
    /** share of capacity kept free at the forecast peak (0.3 = the peak may use 70 %) */
    headroom: z.number().min(0, "refusals.fields.headroomShare").lt(0.9, "refusals.fields.headroomShare"),
  })
  .strict();

export type PromotionSettings = z.infer<typeof promotionSettingsSchema>;

export const DEFAULT_PROMOTION_SETTINGS: PromotionSettings = { baselineDays: 14, minBaselineDays: 3, headroom: 0.3 };

export const PROMOTION_SETTINGS: SettingsDef<PromotionSettings> = {
  key: "promotions",
  schema: promotionSettingsSchema,
  defaults: DEFAULT_PROMOTION_SETTINGS,
  check: (s) => {
    if (s.minBaselineDays > s.baselineDays) refuseFields({ minBaselineDays: text("refusals.promotions.minBaseline", { days: s.baselineDays }) });
  },
  audit: { action: "settings.promotions", summary: "changed the promotion settings" },
};

export const loadPromotionSettings = (db: DbTx) => loadSettings(db, PROMOTION_SETTINGS);

export const savePromotionSettings = (db: Db, actor: Actor, patch: SettingsPatch<PromotionSettings>) => saveSettings(db, actor, PROMOTION_SETTINGS, patch);
