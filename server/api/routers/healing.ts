import { z } from "zod";
import { listLbRestartJobs } from "../../domain/healing/lb-keeper";
import { DEFAULT_RECONCILER_SETTINGS, loadReconcilerSettings, reconcilerSettingsSchema, saveReconcilerSettings } from "../../domain/healing/settings";
import { createTRPCRouter, roleProcedure } from "../trpc";

/** The reconciler's settings (how often it looks, how many restarts an hour): DBA and ADMIN. */
const dba = roleProcedure("DBA", "ADMIN");
/** who reads Libra */
const lbReader = roleProcedure("DBA", "ADMIN", "NOC");

export const healingRouter = createTRPCRouter({
  settings: dba.query(async ({ ctx }) => ({ settings: await loadReconcilerSettings(ctx.db), defaults: DEFAULT_RECONCILER_SETTINGS })),
  lbRestarts: lbReader.input(z.object({ poolId: z.number().int().positive() })).query(({ ctx, input }) => listLbRestartJobs(ctx.db, input.poolId)),
  saveSettings: dba.input(reconcilerSettingsSchema).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => saveReconcilerSettings(tx, ctx.actor, input))),
});
