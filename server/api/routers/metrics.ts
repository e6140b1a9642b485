import { z } from "zod";
import { TIME_ZONES } from "../../../i18n/locales";
import { dateSchema, idSchema } from "../../domain/bounds";
import { fleetFigures } from "../../domain/metrics/fleet-figures";
import { instanceHealth } from "../../domain/metrics/instance-health";
import { PRESETS, rangeOf } from "../../domain/metrics/resolution";
import { serviceSeries } from "../../domain/metrics/series";
import { titanView } from "../../domain/metrics/titan";
import { TRAFFIC_MAX_RATE, TRAFFIC_MAX_SECONDS } from "../../domain/monitoring/traffic/limits";
import { listTraffic, startTraffic, stopTraffic } from "../../domain/monitoring/traffic/submit";
import { dispatchJob } from "../../jobs/dispatcher";
import { authedProcedure, createTRPCRouter, procedureFor } from "../trpc";

/** Charts, Titan and fleet figures (everyone, BUSINESS scoped in the domain); demo traffic for DBA and ADMIN. */
const serviceId = idSchema;
const range = z.union([
  z.object({ preset: z.enum(Object.keys(PRESETS) as [keyof typeof PRESETS, ...(keyof typeof PRESETS)[]]) }),
  z.object({ from: dateSchema("from"), to: dateSchema("to") }),
]);
const ranged = z.object({ serviceId, range });

export const metricsRouter = createTRPCRouter({
  series: authedProcedure
    .input(ranged)
    .query(({ ctx, input }) => serviceSeries(ctx.db, ctx.actor, { serviceId: input.serviceId, ...rangeOf(input.range, new Date()) })),
  instances: authedProcedure.input(z.object({ serviceId })).query(({ ctx, input }) => instanceHealth(ctx.db, ctx.actor, input.serviceId)),
  titan: authedProcedure
    .input(ranged)
    .query(({ ctx, input }) => titanView(ctx.db, ctx.actor, { serviceId: input.serviceId, ...rangeOf(input.range, new Date()) })),
  fleet: authedProcedure
    .input(z.object({ timeZone: z.enum(TIME_ZONES) }).optional())
    .query(({ ctx, input }) => fleetFigures(ctx.db, ctx.actor, input?.timeZone)),
  traffic: procedureFor("operate")
    .input(z.object({ serviceId }))
    .query(({ ctx, input }) => listTraffic(ctx.db, input.serviceId)),
  startTraffic: procedureFor("operate")
    .input(
      z.object({
        serviceId,
        ratePerSec: z.number().int().min(1, "refusals.fields.rateMin").max(TRAFFIC_MAX_RATE, "refusals.fields.trafficRateMax"),
        durationSec: z.number().int().min(1, "refusals.fields.durationMin").max(TRAFFIC_MAX_SECONDS, "refusals.fields.trafficSecondsMax"),
        readRatio: z.number().min(0, "refusals.fields.readShare01").max(1, "refusals.fields.readShare01"),
      }),
    )
    .mutation(({ ctx, input }) => startTraffic(ctx.db, ctx.actor, input, dispatchJob)),
  stopTraffic: procedureFor("operate")
    .input(z.object({ jobId: z.string().uuid("not a job id") }))
    .mutation(({ ctx, input }) => stopTraffic(ctx.db, ctx.actor, input.jobId)),
});
