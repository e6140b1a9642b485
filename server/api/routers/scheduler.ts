import { capacity, capacityForSpecs } from "../../domain/scheduler/store/capacity";
import { commitAllocation, listAllocations, place, releaseAllocation } from "../../domain/scheduler/store/allocations";
import { allocationIdSchema, allocationListSchema, capacityForSpecsSchema, capacityQuerySchema, placeSchema } from "../../domain/scheduler/store/schemas";
import { loadSchedulerSettings, saveSchedulerSettings, SCHEDULER_SETTINGS } from "../../domain/scheduler/store/settings";
import { patchSchema } from "../../domain/settings/store";
import { allocationOut, capacityOut, pageOf, placeOut, rest, typed } from "../openapi-schemas";
import { createTRPCRouter, procedureFor } from "../trpc";

export const schedulerRouter = createTRPCRouter({
  capacity: procedureFor("readFleet")
    .meta(rest("POST", "/scheduler/capacity", "How many copies of a spec fit now (a read; POST for its nested spec)", ["scheduler"]))
    .output(typed(capacityOut, capacity))
    .input(capacityQuerySchema)
    .query(({ ctx, input }) => capacity(ctx.db, ctx.db, input)),
  capacityForSpecs: procedureFor("readFleet")
    .input(capacityForSpecsSchema)
    .query(({ ctx, input }) => {
      const { specs, ...constraints } = input;
      return capacityForSpecs(ctx.db, ctx.db, constraints, specs);
    }),
  place: procedureFor("operate")
    .meta(rest("POST", "/scheduler/place", "Place shards and lock the room (released after ttlSeconds unless committed)", ["scheduler"]))
    .output(typed(placeOut, place))
    .input(placeSchema)
    .mutation(({ ctx, input }) => place(ctx.db, ctx.actor, input)),
  commit: procedureFor("operate")
    .meta(rest("POST", "/scheduler/allocations/{id}/commit", "Turn a locked placement into a lasting one", ["scheduler"]))
    .output(typed(allocationOut, commitAllocation))
    .input(allocationIdSchema)
    .mutation(({ ctx, input }) => commitAllocation(ctx.db, ctx.actor, input.id)),
  release: procedureFor("operate")
    .meta(rest("POST", "/scheduler/allocations/{id}/release", "Release a locked or committed placement", ["scheduler"]))
    .output(typed(allocationOut, releaseAllocation))
    .input(allocationIdSchema)
    .mutation(({ ctx, input }) => releaseAllocation(ctx.db, ctx.actor, input.id)),
  allocations: procedureFor("readFleet")
    .meta(rest("GET", "/scheduler/allocations", "Placements (paged; filter by status, hostId), newest first", ["scheduler"]))
    .output(typed(pageOf(allocationOut), listAllocations))
    .input(allocationListSchema)
    .query(({ ctx, input }) => listAllocations(ctx.db, input)),
  settings: procedureFor("readFleet").query(({ ctx }) => loadSchedulerSettings(ctx.db)),
  saveSettings: procedureFor("operate")
    .input(patchSchema(SCHEDULER_SETTINGS))
    .mutation(({ ctx, input }) => saveSchedulerSettings(ctx.db, ctx.actor, input)),
});
