import { z } from "zod";
import type { Prisma } from "../../../generated/prisma/client";
import type { DbTx } from "../../db/client";
import type { Actor } from "../access/actor";
import { recordAudit } from "../audit/record";
import { overDefaults } from "../monitoring/settings";

/** How the reconciler keeps deployed processes alive: Setting "reconciler". */
export const reconcilerSettingsSchema = z
  .object({
    /** how often it looks at every process that should run (a killed one serves again about this long after plus its start) */
    checkSeconds: z.number().int("use a whole number of seconds").min(1, "use 1–300 s").max(300, "use 1–300 s"),
    /** automatic restarts of one instance (or load-balancer server) within an hour; past that it is left down and escalated */
    maxRestartsPerHour: z.number().int("use a whole number").min(1, "use 1–20 restarts an hour").max(20, "use 1–20 restarts an hour"),
  })
  .strict();

export type ReconcilerSettings = z.infer<typeof reconcilerSettingsSchema>;

export const DEFAULT_RECONCILER_SETTINGS: ReconcilerSettings = { checkSeconds: 5, maxRestartsPerHour: 3 };

const KEY = "reconciler";

export async function loadReconcilerSettings(db: DbTx): Promise<ReconcilerSettings> {
  const row = await db.setting.findUnique({ where: { key: KEY } });
  return overDefaults(reconcilerSettingsSchema, DEFAULT_RECONCILER_SETTINGS, row?.value);
}

export async function saveReconcilerSettings(db: DbTx, actor: Actor, value: ReconcilerSettings): Promise<ReconcilerSettings> {
  const before = await db.setting.findUnique({ where: { key: KEY } });
  await db.setting.upsert({ where: { key: KEY }, create: { key: KEY, value: value as Prisma.InputJsonValue }, update: { value: value as Prisma.InputJsonValue } });
  await recordAudit(db, actor, { action: "settings.reconciler", entityType: "Setting", entityId: KEY, summary: "changed the reconciler settings", before: before?.value, after: value });
  return value;
}
