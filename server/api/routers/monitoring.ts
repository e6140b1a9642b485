import { z } from "zod";
import { DEFAULT_THRESHOLDS, overridesSchema } from "../../domain/health/thresholds";
import { HEALTH_THRESHOLDS, loadThresholds, saveServiceOverrides, saveThresholds, serviceOverrides } from "../../domain/health/settings-store";
import { idSchema } from "../../domain/bounds";
import { createWebhook, deleteWebhook, listWebhooks, testWebhook, updateWebhook, webhookInputSchema } from "../../domain/health/webhooks";
import { DEFAULT_MONITORING_SETTINGS } from "../../domain/monitoring/settings";
import { loadMonitoringSettings, MONITORING_SETTINGS, saveMonitoringSettings } from "../../domain/monitoring/settings-store";
import { patchSchema } from "../../domain/settings/store";
import { createTRPCRouter, procedureFor } from "../trpc";

/** Monitoring settings, health thresholds, per-service overrides and alert webhooks: DBA and ADMIN. */
const idInput = z.object({ id: idSchema });

export const monitoringRouter = createTRPCRouter({
  settings: procedureFor("operate").query(async ({ ctx }) => ({
    monitoring: await loadMonitoringSettings(ctx.db),
    thresholds: await loadThresholds(ctx.db),
    defaults: { monitoring: DEFAULT_MONITORING_SETTINGS, thresholds: DEFAULT_THRESHOLDS },
  })),
  saveSettings: procedureFor("operate")
    .input(patchSchema(MONITORING_SETTINGS))
    .mutation(({ ctx, input }) => saveMonitoringSettings(ctx.db, ctx.actor, input)),
  saveThresholds: procedureFor("operate")
    .input(patchSchema(HEALTH_THRESHOLDS))
    .mutation(({ ctx, input }) => saveThresholds(ctx.db, ctx.actor, input)),
  /** Services to choose from for overrides, by name. */
  serviceOptions: procedureFor("operate")
    .input(z.object({ q: z.string().trim().max(100) }))
    .query(({ ctx, input }) =>
      ctx.db.service.findMany({
        where: { status: { not: "DECOMMISSIONED" }, ...(input.q ? { name: { contains: input.q, mode: "insensitive" as const } } : {}) },
        select: { id: true, name: true, kind: true, healthOverrides: true },
        orderBy: { name: "asc" },
        take: 20,
      }),
    ),
  serviceOverrides: procedureFor("operate")
    .input(z.object({ serviceId: idSchema }))
    .query(({ ctx, input }) => serviceOverrides(ctx.db, input.serviceId)),
  /** Flat input (the overrides beside serviceId), so a refused value is reported beside its own field. */
  saveServiceOverrides: procedureFor("operate")
    .input(overridesSchema.extend({ serviceId: idSchema }))
    .mutation(({ ctx, input }) => {
      const { serviceId, ...overrides } = input;
      return saveServiceOverrides(ctx.db, ctx.actor, serviceId, overrides);
    }),
  webhooks: procedureFor("operate").query(({ ctx }) => listWebhooks(ctx.db)),
  createWebhook: procedureFor("operate")
    .input(webhookInputSchema)
    .mutation(({ ctx, input }) => createWebhook(ctx.db, ctx.actor, input)),
  updateWebhook: procedureFor("operate")
    .input(webhookInputSchema.extend({ id: idSchema }))
    .mutation(({ ctx, input }) => {
      const { id, ...rest } = input;
      return updateWebhook(ctx.db, ctx.actor, id, rest);
    }),
  deleteWebhook: procedureFor("operate")
    .input(idInput)
    .mutation(({ ctx, input }) => deleteWebhook(ctx.db, ctx.actor, input.id)),
  testWebhook: procedureFor("operate")
    .input(idInput)
    .mutation(async ({ ctx, input }) => testWebhook(ctx.db, ctx.actor, input.id, (await loadMonitoringSettings(ctx.db)).publicUrl)),
});
