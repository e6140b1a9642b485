import { alertSchema, raiseAlert } from "../../domain/alerts/external";
import { incidentRefOut, rest, typed } from "../openapi-schemas";
import { createTRPCRouter, procedureFor } from "../trpc";

/** Alerts from other systems: whoever may acknowledge incidents (NOC, DBA, ADMIN; a service account's token) raises and resolves them. */
export const alertsRouter = createTRPCRouter({
  raise: procedureFor("acknowledge")
    .meta(rest("POST", "/alerts", "Raise an incident on a service from another system (or resolve it with status: resolved)", ["alerts"]))
    .input(alertSchema)
    .output(typed(incidentRefOut, raiseAlert))
    .mutation(({ ctx, input }) => raiseAlert(ctx.db, ctx.actor, input)),
});
