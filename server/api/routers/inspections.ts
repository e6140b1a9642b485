import { z } from "zod";
import { idSchema } from "../../domain/bounds";
import { fixFinding } from "../../domain/inspections/fix";
import { inspectionReport, listRuns, reportInput, startInspection } from "../../domain/inspections/report";
import { dispatchJob } from "../../jobs/dispatcher";
import { createTRPCRouter, procedureFor } from "../trpc";

/** Fleet inspections (巡检): the fleet's readers see the report; its writers run one and apply a safe fix. */
export const inspectionsRouter = createTRPCRouter({
  runs: procedureFor("readFleet").query(({ ctx }) => listRuns(ctx.db)),
  report: procedureFor("readFleet")
    .input(reportInput)
    .query(({ ctx, input }) => inspectionReport(ctx.db, input)),
  start: procedureFor("operate").mutation(({ ctx }) => startInspection(ctx.db, ctx.actor, dispatchJob)),
  fix: procedureFor("operate")
    .input(z.object({ findingId: idSchema }))
    .mutation(({ ctx, input }) => fixFinding(ctx.db, ctx.actor, input.findingId)),
});
