import { z } from "zod";
import { idSchema } from "../../domain/bounds";
import { DEFAULT_THRESHOLDS, orderedThresholdsSchema, overridesSchema } from "../../domain/health/thresholds";
import { loadThresholds, saveServiceOverrides, saveThresholds, serviceOverrides } from "../../domain/health/settings-store";
import { createWebhook, deleteWebhook, listWebhooks, testWebhook, updateWebhook, webhookInputSchema } from "../../domain/health/webhooks";
import { DEFAULT_MONITORING_SETTINGS, monitoringSettingsSchema } from "../../domain/monitoring/settings";
import { loadMonitoringSettings, saveMonitoringSettings } from "../../domain/monitoring/settings-store";
import { createTRPCRouter, roleProcedure } from "../trpc";

/** Monitoring settings, health thresholds, per-service overrides and alert webhooks: DBA and ADMIN. */
const dba = roleProcedure("DBA", "ADMIN");
const idInput = z.object({ id: idSchema });

export const monitoringRouter = createTRPCRouter({
  settings: dba.query(async ({ ctx }) => ({
    monitoring: await loadMonitoringSettings(ctx.db),
    thresholds: await loadThresholds(ctx.db),
    defaults: { monitoring: DEFAULT_MONITORING_SETTINGS, thresholds: DEFAULT_THRESHOLDS },
  })),
  saveSettings: dba.input(monitoringSettingsSchema).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => saveMonitoringSettings(tx, ctx.actor, input))),
  saveThresholds: dba.input(orderedThresholdsSchema).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => saveThresholds(tx, ctx.actor, input))),
  /** Services to choose from for overrides, by name. */
  serviceOptions: dba.input(z.object({ q: z.string().trim().max(100) })).query(({ ctx, input }) =>
    ctx.db.service.findMany({
      where: { status: { not: "DECOMMISSIONED" }, ...(input.q ? { name: { contains: input.q, mode: "insensitive" as const } } : {}) },
      select: { id: true, name: true, kind: true, healthOverrides: true },
      orderBy: { name: "asc" },
      take: 20,
    }),
  ),
  serviceOverrides: dba.input(z.object({ serviceId: idSchema })).query(({ ctx, input }) => serviceOverrides(ctx.db, input.serviceId)),
  /** Flat input (the overrides beside serviceId), so a refused value is reported beside its own field. */
  saveServiceOverrides: dba.input(overridesSchema.extend({ serviceId: idSchema })).mutation(({ ctx, input }) => {
    const { serviceId, ...overrides } = input;
    return ctx.db.$transaction((tx) => saveServiceOverrides(tx, ctx.actor, serviceId, overrides));
  }),
  webhooks: dba.query(({ ctx }) => listWebhooks(ctx.db)),
  createWebhook: dba.input(webhookInputSchema).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => createWebhook(tx, ctx.actor, input))),
  updateWebhook: dba.input(webhookInputSchema.extend({ id: idSchema })).mutation(({ ctx, input }) => {
    const { id, ...rest } = input;
    return ctx.db.$transaction((tx) => updateWebhook(tx, ctx.actor, id, rest));
  }),
  deleteWebhook: dba.input(idInput).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => deleteWebhook(tx, ctx.actor, input.id))),
  testWebhook: dba.input(idInput).mutation(async ({ ctx, input }) => testWebhook(ctx.db, ctx.actor, input.id, (await loadMonitoringSettings(ctx.db)).publicUrl)),
});
