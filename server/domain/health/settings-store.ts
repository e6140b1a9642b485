import type { Prisma } from "../../../generated/prisma/client";
import type { DbTx } from "../../db/client";
import type { Actor } from "../access/actor";
import { recordAudit } from "../audit/record";
import { badInput, notFound } from "../errors";
import { overDefaults } from "../monitoring/settings";
import { DEFAULT_THRESHOLDS, orderErrors, overridesSchema, readOverrides, thresholdsSchema, type HealthOverrides, type Thresholds } from "./thresholds";

const KEY = "health";

/** Stored thresholds over the defaults; a stored value that no longer validates falls back to its default. */
export async function loadThresholds(db: DbTx): Promise<Thresholds> {
  const row = await db.setting.findUnique({ where: { key: KEY } });
  return overDefaults(thresholdsSchema, DEFAULT_THRESHOLDS, row?.value);
}

export async function saveThresholds(db: DbTx, actor: Actor, value: Thresholds): Promise<Thresholds> {
  const order = orderErrors(value);
  if (Object.keys(order).length) throw badInput(Object.entries(order).map(([k, m]) => `${k} ${m}`).join("; "));
  const before = await db.setting.findUnique({ where: { key: KEY } });
  await db.setting.upsert({ where: { key: KEY }, create: { key: KEY, value: value as Prisma.InputJsonValue }, update: { value: value as Prisma.InputJsonValue } });
  await recordAudit(db, actor, { action: "settings.health", entityType: "Setting", entityId: KEY, summary: "changed the health thresholds", before: before?.value, after: value });
  return value;
}

export async function serviceOverrides(db: DbTx, serviceId: number): Promise<{ serviceId: number; name: string; overrides: HealthOverrides }> {
  const s = await db.service.findUnique({ where: { id: serviceId }, select: { id: true, name: true, healthOverrides: true } });
  if (!s) throw notFound(`service ${serviceId} does not exist`);
  return { serviceId: s.id, name: s.name, overrides: readOverrides(s.healthOverrides) };
}

/** Replaces a service's overrides (an empty object: the settings apply). Amber must stay at or below red after merging. */
export async function saveServiceOverrides(db: DbTx, actor: Actor, serviceId: number, overrides: HealthOverrides): Promise<HealthOverrides> {
  const parsed = overridesSchema.parse(overrides);
  const s = await db.service.findUnique({ where: { id: serviceId }, select: { id: true, name: true, healthOverrides: true } });
  if (!s) throw notFound(`service ${serviceId} does not exist`);
  const order = orderErrors({ ...(await loadThresholds(db)), ...parsed });
  if (Object.keys(order).length) throw badInput(`${s.name}: ${Object.entries(order).map(([k, m]) => `${k} ${m}`).join("; ")}`);
  await db.service.update({ where: { id: serviceId }, data: { healthOverrides: parsed as Prisma.InputJsonValue } });
  await recordAudit(db, actor, { action: "service.health-overrides", entityType: "Service", entityId: serviceId, summary: `changed the health overrides of ${s.name}`, before: s.healthOverrides, after: parsed });
  return parsed;
}
