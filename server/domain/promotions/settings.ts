import type { Prisma } from "../../../generated/prisma/client";
import type { DbTx } from "../../db/client";
import type { Actor } from "../access/actor";
import { recordAudit } from "../audit/record";
import { badInput } from "../errors";

/** How promotions are measured and judged. QPS ceilings and shard sizes come from the sizing settings. */
export type PromotionSettings = {
  /** the baseline is the median of the daily peaks over this many days before a start */
  baselineDays: number;
  /** a baseline needs at least this many of those days to have samples */
  minBaselineDays: number;
  /** share of capacity kept free at the forecast peak (0.3 = the peak may use 70 %) */
  headroom: number;
};

export const DEFAULT_PROMOTION_SETTINGS: PromotionSettings = { baselineDays: 14, minBaselineDays: 3, headroom: 0.3 };
const KEY = "promotions";

export function resolvePromotionSettings(stored: Partial<PromotionSettings> = {}): PromotionSettings {
  const s = { ...DEFAULT_PROMOTION_SETTINGS, ...stored };
  if (!Number.isInteger(s.baselineDays) || s.baselineDays < 1 || s.baselineDays > 90) {
    throw badInput(`promotion setting baselineDays = ${s.baselineDays} is not valid: use a whole number of days from 1 to 90`);
  }
  if (!Number.isInteger(s.minBaselineDays) || s.minBaselineDays < 1 || s.minBaselineDays > s.baselineDays) {
    throw badInput(`promotion setting minBaselineDays = ${s.minBaselineDays} is not valid: use a whole number from 1 to baselineDays (${s.baselineDays})`);
  }
  if (!(s.headroom >= 0 && s.headroom < 0.9)) {
    throw badInput(`promotion setting headroom = ${s.headroom} is not valid: use a share from 0 to 0.9 (0.3 keeps 30 % free)`);
  }
  return s;
}

export async function loadPromotionSettings(db: DbTx): Promise<PromotionSettings> {
  const row = await db.setting.findUnique({ where: { key: KEY } });
  return resolvePromotionSettings((row?.value ?? {}) as Partial<PromotionSettings>);
}

export async function savePromotionSettings(db: DbTx, actor: Actor, stored: Partial<PromotionSettings>): Promise<PromotionSettings> {
  const resolved = resolvePromotionSettings(stored);
  const before = await db.setting.findUnique({ where: { key: KEY } });
  const value = resolved as Prisma.InputJsonValue;
  await db.setting.upsert({ where: { key: KEY }, create: { key: KEY, value }, update: { value } });
  await recordAudit(db, actor, { action: "settings.promotions", entityType: "Setting", entityId: KEY, summary: "changed the promotion settings", before: before?.value, after: resolved });
  return resolved;
}
