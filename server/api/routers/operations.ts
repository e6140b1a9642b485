import { z } from "zod";
import { idSchema } from "../../domain/bounds";
import { listOperationJobs, submitOperation } from "../../domain/operations";
import type { OperationRequest } from "../../domain/operations/kinds";
import { dispatchJob } from "../../jobs/dispatcher";
import { createTRPCRouter, procedureFor, type AuthedContext } from "../trpc";

/** Instance operations change live processes: DBAs and ADMINs only. */
const id = idSchema;
const instance = z.object({ instanceId: id });

const submit = (ctx: AuthedContext, req: OperationRequest) => submitOperation(ctx.db, ctx.actor, req, dispatchJob);

export const operationsRouter = createTRPCRouter({
  start: procedureFor("operate").input(instance).mutation(({ ctx, input }) => submit(ctx, { kind: "instance.start", ...input })),
  stop: procedureFor("operate").input(instance).mutation(({ ctx, input }) => submit(ctx, { kind: "instance.stop", ...input })),
  restart: procedureFor("operate").input(instance).mutation(({ ctx, input }) => submit(ctx, { kind: "instance.restart", ...input })),
  maxmemory: procedureFor("operate")
    .input(instance.extend({ maxmemoryMb: z.number().int().min(1, "maxmemory must be at least 1 MB").max(4_194_304, "maxmemory is at most 4 TB (4194304 MB)") }))
    .mutation(({ ctx, input }) => submit(ctx, { kind: "instance.maxmemory", ...input })),
  failover: procedureFor("operate").input(instance).mutation(({ ctx, input }) => submit(ctx, { kind: "instance.failover", ...input })),
  remove: procedureFor("operate").input(instance).mutation(({ ctx, input }) => submit(ctx, { kind: "instance.remove", ...input })),
  cloneProxy: procedureFor("operate").input(z.object({ serviceId: id })).mutation(({ ctx, input }) => submit(ctx, { kind: "twemproxy.clone", ...input })),
  jobs: procedureFor("operate").input(z.object({ serviceId: id })).query(({ ctx, input }) => listOperationJobs(ctx.db, input.serviceId)),
});
