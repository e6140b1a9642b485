import { z } from "zod";
import { idSchema } from "../../domain/bounds";
import { collectHostNow } from "../../domain/hostmetrics/collect";
import { hostMetricsNow, hostSeries } from "../../domain/hostmetrics/store";
import { rangeOf } from "../../domain/metrics/resolution";
import { createTRPCRouter, procedureFor } from "../trpc";
import { rangeSchema } from "./metrics";

const hostId = idSchema;

/** A host's measured figures and facts (the fleet's readers), and a reading on demand (its writers). */
export const hostMetricsRouter = createTRPCRouter({
  now: procedureFor("readFleet")
    .input(z.object({ hostId }))
    .query(({ ctx, input }) => hostMetricsNow(ctx.db, input.hostId)),
  series: procedureFor("readFleet")
    .input(z.object({ hostId, range: rangeSchema }))
    .query(({ ctx, input }) => hostSeries(ctx.db, { hostId: input.hostId, ...rangeOf(input.range, new Date()) })),
  collect: procedureFor("operate")
    .input(z.object({ hostId }))
    .mutation(({ ctx, input }) => collectHostNow(ctx.db, input.hostId)),
});
