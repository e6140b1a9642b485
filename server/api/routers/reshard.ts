import { z } from "zod";
import { idSchema } from "../../domain/bounds";
import { latestReshard, planReshard, reshardSchema, submitReshard } from "../../domain/reshard/submit";
import { dispatchJob } from "../../jobs/dispatcher";
import { createTRPCRouter, procedureFor } from "../trpc";

/** Resizing a Twemproxy service's shards with its data: DBAs and ADMINs plan and run it; every reader sees its progress. */
export const reshardRouter = createTRPCRouter({
  plan: procedureFor("operate")
    .input(reshardSchema)
    .query(({ ctx, input }) => planReshard(ctx.db, ctx.actor, input)),
  submit: procedureFor("operate")
    .input(reshardSchema)
    .mutation(({ ctx, input }) => submitReshard(ctx.db, ctx.actor, input, dispatchJob)),
  latest: procedureFor("readFleet")
    .input(z.object({ serviceId: idSchema }))
    .query(({ ctx, input }) => latestReshard(ctx.db, input.serviceId)),
});
