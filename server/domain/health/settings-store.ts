import { fieldText, joinTexts, text } from "../../../lib/text";
import type { Prisma } from "../../../generated/prisma/client";
import type { Db, DbTx } from "../../db/client";
import type { Actor } from "../access/actor";
import { recordAudit } from "../audit/record";
import { badInput, notFound } from "../errors";
import { loadSettings, refuseFields, saveSettings, type SettingsDef, type SettingsPatch } from "../settings/store";
import { DEFAULT_THRESHOLDS, orderErrors, overridesSchema, readOverrides, thresholdsSchema, type HealthOverrides, type Thresholds } from "./thresholds";
import { transactional } from "../../db/transaction";

export const HEALTH_THRESHOLDS: SettingsDef<Thresholds> = {
  key: "health",
  schema: thresholdsSchema,
  defaults: DEFAULT_THRESHOLDS,
  check: (t) => {
    const order = orderErrors(t);
    if (Object.keys(order).length) refuseFields(order);
  },
  audit: { action: "settings.health", summary: "changed the health thresholds" },
};

/** Stored thresholds over the defaults; a stored value that no longer validates falls back to its default. */
export const loadThresholds = (db: DbTx) => loadSettings(db, HEALTH_THRESHOLDS);

export const saveThresholds = (db: Db, actor: Actor, patch: SettingsPatch<Thresholds>) => saveSettings(db, actor, HEALTH_THRESHOLDS, patch);

export async function serviceOverrides(db: DbTx, serviceId: number): Promise<{ serviceId: number; name: string; overrides: HealthOverrides }> {
  const s = await db.service.findUnique({ where: { id: serviceId }, select: { id: true, name: true, healthOverrides: true } });
  if (!s) throw notFound(text("errors.domain.notFound.service", { id: serviceId }));
  return { serviceId: s.id, name: s.name, overrides: readOverrides(s.healthOverrides) };
}

/** Replaces a service's overrides (an empty object: the settings apply). Amber must stay at or below red after merging. */
export const saveServiceOverrides = transactional(async function saveServiceOverrides(
  db: DbTx,
  actor: Actor,
  serviceId: number,
  overrides: HealthOverrides,
): Promise<HealthOverrides> {
  const parsed = overridesSchema.parse(overrides);
  const s = await db.service.findUnique({ where: { id: serviceId }, select: { id: true, name: true, healthOverrides: true } });
  if (!s) throw notFound(text("errors.domain.notFound.service", { id: serviceId }));
  const order = orderErrors({ ...(await loadThresholds(db)), ...parsed });
  if (Object.keys(order).length)
    throw badInput(text("refusals.health.order", { service: s.name, problems: joinTexts(Object.entries(order).map(([k, m]) => fieldText(k, m))) }));
  await db.service.update({ where: { id: serviceId }, data: { healthOverrides: parsed as Prisma.InputJsonValue } });
  await recordAudit(db, actor, {
    action: "service.health-overrides",
    entityType: "Service",
    entityId: serviceId,
    summary: `changed the health overrides of ${s.name}`,
    before: s.healthOverrides,
    after: parsed,
  });
  return parsed;
});
