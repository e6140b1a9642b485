import { capacity, capacityForSpecs } from "../../domain/scheduler/store/capacity";
import { commitAllocation, listAllocations, place, releaseAllocation } from "../../domain/scheduler/store/allocations";
import { allocationIdSchema, allocationListSchema, capacityForSpecsSchema, capacityQuerySchema, placeSchema } from "../../domain/scheduler/store/schemas";
import { loadSchedulerSettings, saveSchedulerSettings, SCHEDULER_SETTINGS } from "../../domain/scheduler/store/settings";
import { patchSchema } from "../../domain/settings/store";
import { createTRPCRouter, procedureFor } from "../trpc";

export const schedulerRouter = createTRPCRouter({
  capacity: procedureFor("readFleet")
    .input(capacityQuerySchema)
    .query(({ ctx, input }) => capacity(ctx.db, ctx.db, input)),
  capacityForSpecs: procedureFor("readFleet")
    .input(capacityForSpecsSchema)
    .query(({ ctx, input }) => {
      const { specs, ...constraints } = input;
      return capacityForSpecs(ctx.db, ctx.db, constraints, specs);
    }),
  place: procedureFor("operate")
    .input(placeSchema)
    .mutation(({ ctx, input }) => place(ctx.db, ctx.actor, input)),
  commit: procedureFor("operate")
    .input(allocationIdSchema)
    .mutation(({ ctx, input }) => commitAllocation(ctx.db, ctx.actor, input.id)),
  release: procedureFor("operate")
    .input(allocationIdSchema)
    .mutation(({ ctx, input }) => releaseAllocation(ctx.db, ctx.actor, input.id)),
  allocations: procedureFor("readFleet")
    .input(allocationListSchema)
    .query(({ ctx, input }) => listAllocations(ctx.db, input)),
  settings: procedureFor("readFleet").query(({ ctx }) => loadSchedulerSettings(ctx.db)),
  saveSettings: procedureFor("operate")
    .input(patchSchema(SCHEDULER_SETTINGS))
    .mutation(({ ctx, input }) => saveSchedulerSettings(ctx.db, ctx.actor, input)),
});
