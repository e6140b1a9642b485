import { z } from "zod";
import { idSchema } from "../../domain/bounds";
import { listConfigVersions, rollbackInput } from "../../domain/daytwo/parameters-job";
import { PARAMETERS, PERSISTENCES } from "../../domain/daytwo/params-catalog";
import { UPGRADABLE } from "../../domain/daytwo/upgrade-job";
import { submitOperation } from "../../domain/operations";
import { dispatchJob } from "../../jobs/dispatcher";
import { createTRPCRouter, procedureFor } from "../trpc";

const SOFTWARE = z.enum(["REDIS", "REDIS_SENTINEL", "MEMCACHED", "TWEMPROXY"]);
/** values are checked against the catalogue's ranges by the domain; here only their shape and size */
const params = z.partialRecord(
  SOFTWARE,
  z.record(z.string().max(64), z.string().max(64)).refine((o) => Object.keys(o).length <= 40),
);

/** Day-two operations of a service: its configuration (parameters and persistence) with versions. DBAs and ADMINs. */
export const dayTwoRouter = createTRPCRouter({
  config: procedureFor("operate")
    .input(z.object({ serviceId: idSchema }))
    .query(async ({ ctx, input }) => ({ catalogue: PARAMETERS, ...(await listConfigVersions(ctx.db, input.serviceId)) })),
  change: procedureFor("operate")
    .input(
      z.object({
        serviceId: idSchema,
        params,
        persistence: z.enum(PERSISTENCES as [string, ...string[]]).transform((p) => p as (typeof PERSISTENCES)[number]),
        note: z.string().trim().max(300).optional(),
      }),
    )
    .mutation(({ ctx, input }) => submitOperation(ctx.db, ctx.actor, { kind: "service.parameters", ...input }, dispatchJob)),
  rollback: procedureFor("operate")
    .input(z.object({ serviceId: idSchema, number: z.number().int().min(1).max(1_000_000) }))
    .mutation(async ({ ctx, input }) =>
      submitOperation(ctx.db, ctx.actor, { kind: "service.parameters", ...(await rollbackInput(ctx.db, input.serviceId, input.number)) }, dispatchJob),
    ),
  /** a rolling upgrade (or a rollback: an upgrade to the version it came from) to a catalogued version */
  upgrade: procedureFor("operate")
    .input(z.object({ serviceId: idSchema, software: z.enum(UPGRADABLE), toVersion: z.string().trim().min(1).max(32) }))
    .mutation(({ ctx, input }) => submitOperation(ctx.db, ctx.actor, { kind: "service.upgrade", ...input }, dispatchJob)),
});
