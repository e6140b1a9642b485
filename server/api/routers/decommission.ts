import { z } from "zod";
import { idSchema } from "../../domain/bounds";
import { askCleanup } from "../../domain/decommission/cleanup";
import { askDecommission, decommissionPreview } from "../../domain/decommission/decommission";
import { DECOMMISSION_SETTINGS, loadDecommissionSettings, saveDecommissionSettings } from "../../domain/decommission/settings";
import { patchSchema } from "../../domain/settings/store";
import { createTRPCRouter, procedureFor } from "../trpc";

/** Retiring a whole service: asked by its line's business users (or a DBA), approved in the requests queue. */
export const decommissionRouter = createTRPCRouter({
  ask: procedureFor("request")
    .input(z.object({ serviceId: idSchema, reason: z.string().trim().min(1, "say why the service can go").max(500, "keep the reason to 500 characters") }))
    .mutation(({ ctx, input }) => askDecommission(ctx.db, ctx.actor, input.serviceId, input.reason)),
  /** the service, its VIPs and the clients still connected, for the request's page */
  preview: procedureFor("request")
    .input(z.object({ requestId: idSchema }))
    .query(({ ctx, input }) => decommissionPreview(ctx.db, ctx.actor, input.requestId)),
  /** keys matching a pattern ("*": all) deleted once a DBA approves */
  askCleanup: procedureFor("request")
    .input(
      z.object({
        serviceId: idSchema,
        pattern: z.string().min(1, "give a key pattern (* for every key)").max(200, "keep the pattern to 200 characters"),
        reason: z.string().trim().min(1, "say why the keys can go").max(500, "keep the reason to 500 characters"),
      }),
    )
    .mutation(({ ctx, input }) => askCleanup(ctx.db, ctx.actor, input.serviceId, input.pattern, input.reason)),
  settings: procedureFor("operate").query(({ ctx }) => loadDecommissionSettings(ctx.db)),
  saveSettings: procedureFor("operate")
    .input(patchSchema(DECOMMISSION_SETTINGS))
    .mutation(({ ctx, input }) => saveDecommissionSettings(ctx.db, ctx.actor, input)),
});
