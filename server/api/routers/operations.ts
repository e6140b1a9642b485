import { z } from "zod";
import { idSchema } from "../../domain/bounds";
import { endMaintenance, NOTE_MAX, startMaintenance } from "../../domain/healing/maintenance";
import { listOperationJobs, submitOperation } from "../../domain/operations";
import type { OperationRequest } from "../../domain/operations/kinds";
import { dispatchJob } from "../../jobs/dispatcher";
import { jobOut, rest, typed } from "../openapi-schemas";
import { createTRPCRouter, procedureFor, type AuthedContext } from "../trpc";

/** Instance operations change live processes: DBAs and ADMINs only. */
const id = idSchema;
const instance = z.object({ instanceId: id });

/** A DBA's stop or restart is maintenance until this time (default: an hour for a stop, 10 min for a restart). */
const window = {
  maintenanceUntil: z.date().optional(),
  maintenanceNote: z.string().trim().max(NOTE_MAX, "refusals.fields.maintenanceNoteMax").optional(),
};
const deliberate = instance.extend(window);

const submit = (ctx: AuthedContext, req: OperationRequest) => submitOperation(ctx.db, ctx.actor, req, dispatchJob);
const withWindow = (kind: "instance.stop" | "instance.restart", i: z.infer<typeof deliberate>) =>
  ({ kind, instanceId: i.instanceId, maintenance: { until: i.maintenanceUntil ?? null, note: i.maintenanceNote ?? null } }) as const;

export const operationsRouter = createTRPCRouter({
  start: procedureFor("operate")
    .meta(rest("POST", "/instances/{instanceId}/start", "Start an instance (a job)", ["instances"]))
    .input(instance)
    .output(typed(jobOut, submitOperation))
    .mutation(({ ctx, input }) => submit(ctx, { kind: "instance.start", ...input })),
  stop: procedureFor("operate")
    .meta(rest("POST", "/instances/{instanceId}/stop", "Stop an instance (a job; opens a maintenance window)", ["instances"]))
    .input(deliberate)
    .output(typed(jobOut, submitOperation))
    .mutation(({ ctx, input }) => submit(ctx, withWindow("instance.stop", input))),
  restart: procedureFor("operate")
    .meta(rest("POST", "/instances/{instanceId}/restart", "Restart an instance (a job)", ["instances"]))
    .input(deliberate)
    .output(typed(jobOut, submitOperation))
    .mutation(({ ctx, input }) => submit(ctx, withWindow("instance.restart", input))),
  /** opens (or moves the end of) a maintenance window: shown, not paged, not restarted */
  maintenance: procedureFor("operate")
    .input(z.object({ instanceId: id, until: z.date(), note: window.maintenanceNote }))
    .mutation(({ ctx, input }) => startMaintenance(ctx.db, ctx.actor, input.instanceId, { until: input.until, note: input.note ?? null })),
  endMaintenance: procedureFor("operate")
    .input(instance)
    .mutation(({ ctx, input }) => endMaintenance(ctx.db, ctx.actor, input.instanceId)),
  maxmemory: procedureFor("operate")
    .input(instance.extend({ maxmemoryMb: z.number().int().min(1, "refusals.fields.maxmemoryMin").max(4_194_304, "refusals.fields.maxmemoryMax") }))
    .mutation(({ ctx, input }) => submit(ctx, { kind: "instance.maxmemory", ...input })),
  failover: procedureFor("operate")
    .meta(rest("POST", "/instances/{instanceId}/failover", "Promote this replica to master of its shard (a job)", ["instances"]))
    .input(instance)
    .output(typed(jobOut, submitOperation))
    .mutation(({ ctx, input }) => submit(ctx, { kind: "instance.failover", ...input })),
  remove: procedureFor("operate")
    .input(instance)
    .mutation(({ ctx, input }) => submit(ctx, { kind: "instance.remove", ...input })),
  cloneProxy: procedureFor("operate")
    .meta(rest("POST", "/services/{serviceId}/proxies", "Clone one more Twemproxy for a service (a job)", ["services"]))
    .input(z.object({ serviceId: id }))
    .output(typed(jobOut, submitOperation))
    .mutation(({ ctx, input }) => submit(ctx, { kind: "twemproxy.clone", ...input })),
  jobs: procedureFor("operate")
    .input(z.object({ serviceId: id }))
    .query(({ ctx, input }) => listOperationJobs(ctx.db, input.serviceId)),
});
