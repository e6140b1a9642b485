import { z } from "zod";
import { serviceHealthSummary } from "../../domain/health/availability";
import { visibleService } from "../../domain/metrics/service-scope";
import { incidentDetail, incidentFilterSchema, listIncidents, timeToRecover } from "../../domain/health/incident-list";
import { incidentSettingsSchema, loadIncidentSettings, saveIncidentSettings } from "../../domain/health/incident-settings";
import { authedProcedure, createTRPCRouter, roleProcedure } from "../trpc";

/** Incidents: everyone reads (BUSINESS scoped to their lines in the domain); DBA and ADMIN set escalation. */
export const incidentsRouter = createTRPCRouter({
  list: authedProcedure.input(incidentFilterSchema).query(({ ctx, input }) => listIncidents(ctx.db, ctx.actor, input)),
  timeToRecover: authedProcedure.input(incidentFilterSchema.pick({ days: true, importance: true, productLineId: true })).query(({ ctx, input }) => timeToRecover(ctx.db, ctx.actor, input)),
  get: authedProcedure.input(z.object({ id: z.number().int().positive() })).query(({ ctx, input }) => incidentDetail(ctx.db, ctx.actor, input.id)),
  /** the service page: canary, availability over 30 days, the open incident */
  service: authedProcedure.input(z.object({ serviceId: z.number().int().positive() })).query(async ({ ctx, input }) => {
    await visibleService(ctx.db, ctx.actor, input.serviceId);
    return serviceHealthSummary(ctx.db, input.serviceId);
  }),
  settings: roleProcedure("DBA", "ADMIN").query(({ ctx }) => loadIncidentSettings(ctx.db)),
  saveSettings: roleProcedure("DBA", "ADMIN").input(incidentSettingsSchema).mutation(({ ctx, input }) => saveIncidentSettings(ctx.db, ctx.actor, input)),
});
