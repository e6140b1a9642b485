import { z } from "zod";
import { listLbRestartJobs } from "../../domain/healing/lb-keeper";
import { idSchema } from "../../domain/bounds";
import { DEFAULT_RECONCILER_SETTINGS, loadReconcilerSettings, RECONCILER_SETTINGS, saveReconcilerSettings } from "../../domain/healing/settings";
import { patchSchema } from "../../domain/settings/store";
import { createTRPCRouter, procedureFor } from "../trpc";

/** The reconciler's settings (how often it looks, how many restarts an hour): DBA and ADMIN; Libra's readers see its restarts. */
export const healingRouter = createTRPCRouter({
  settings: procedureFor("operate").query(async ({ ctx }) => ({ settings: await loadReconcilerSettings(ctx.db), defaults: DEFAULT_RECONCILER_SETTINGS })),
  lbRestarts: procedureFor("readFleet")
    .input(z.object({ poolId: idSchema }))
    .query(({ ctx, input }) => listLbRestartJobs(ctx.db, input.poolId)),
  saveSettings: procedureFor("operate")
    .input(patchSchema(RECONCILER_SETTINGS))
    .mutation(({ ctx, input }) => saveReconcilerSettings(ctx.db, ctx.actor, input)),
});
