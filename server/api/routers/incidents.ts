import { z } from "zod";
import { serviceHealthSummary } from "../../domain/health/availability";
import { visibleService } from "../../domain/metrics/service-scope";
import { incidentDetail, incidentFilterSchema, listIncidents, timeToRecover } from "../../domain/health/incident-list";
import { INCIDENT_SETTINGS, loadIncidentSettings, saveIncidentSettings } from "../../domain/health/incident-settings";
import { idSchema } from "../../domain/bounds";
import { patchSchema } from "../../domain/settings/store";
import { healthOut, incidentAckOut, incidentOut, pageOf, rest, typed } from "../openapi-schemas";
import { authedProcedure, createTRPCRouter, procedureFor } from "../trpc";

/** Incidents: everyone reads (BUSINESS scoped to their lines in the domain); DBA and ADMIN set escalation. */
export const incidentsRouter = createTRPCRouter({
  list: authedProcedure
    .meta(rest("GET", "/incidents", "Incidents, newest first (paged; filter by state open|closed|all, days, productLineId, importance)", ["alerts"]))
    .input(incidentFilterSchema)
    .output(typed(pageOf(incidentOut), listIncidents))
    .query(({ ctx, input }) => listIncidents(ctx.db, ctx.actor, input)),
  timeToRecover: authedProcedure
    .input(incidentFilterSchema.pick({ days: true, importance: true, productLineId: true }))
    .query(({ ctx, input }) => timeToRecover(ctx.db, ctx.actor, input)),
  get: authedProcedure
    .meta(rest("GET", "/incidents/{id}", "An incident with its services and timeline", ["alerts"]))
    .input(z.object({ id: idSchema }))
    .output(typed(incidentAckOut, incidentDetail))
    .query(({ ctx, input }) => incidentDetail(ctx.db, ctx.actor, input.id)),
  /** the service page: canary, availability over 30 days, the open incident */
  service: authedProcedure
    .meta(rest("GET", "/services/{serviceId}/health", "A service's canary, 30-day availability and open incident", ["services"]))
    .input(z.object({ serviceId: idSchema }))
    .output(typed(healthOut, serviceHealthSummary))
    .query(async ({ ctx, input }) => {
      await visibleService(ctx.db, ctx.actor, input.serviceId);
      return serviceHealthSummary(ctx.db, input.serviceId);
    }),
  settings: procedureFor("operate").query(({ ctx }) => loadIncidentSettings(ctx.db)),
  saveSettings: procedureFor("operate")
    .input(patchSchema(INCIDENT_SETTINGS))
    .mutation(({ ctx, input }) => saveIncidentSettings(ctx.db, ctx.actor, input)),
});
