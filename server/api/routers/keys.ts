import { z } from "zod";
import { idSchema } from "../../domain/bounds";
import { keyAnalysisSchema, latestKeyAnalysis, submitKeyAnalysis } from "../../domain/keys/keys";
import { dispatchJob } from "../../jobs/dispatcher";
import { authedProcedure, createTRPCRouter, procedureFor } from "../trpc";

const service = z.object({ serviceId: idSchema });

/** Key analysis: anyone who sees the service reads the latest one (DBA, NOC); DBAs and ADMINs start one. */
export const keysRouter = createTRPCRouter({
  latest: authedProcedure.input(service).query(({ ctx, input }) => latestKeyAnalysis(ctx.db, ctx.actor, input.serviceId)),
  analyse: procedureFor("operate")
    .input(service.merge(keyAnalysisSchema))
    .mutation(({ ctx, input: { serviceId, ...opts } }) => submitKeyAnalysis(ctx.db, ctx.actor, serviceId, opts, dispatchJob)),
});
