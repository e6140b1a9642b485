import { capacity, capacityForSpecs } from "../../domain/scheduler/store/capacity";
import { commitAllocation, listAllocations, place, releaseAllocation } from "../../domain/scheduler/store/allocations";
import {
  allocationIdSchema,
  allocationListSchema,
  capacityForSpecsSchema,
  capacityQuerySchema,
  placeSchema,
  schedulerSettingsSchema,
} from "../../domain/scheduler/store/schemas";
import { loadSchedulerSettings, saveSchedulerSettings } from "../../domain/scheduler/store/settings";
import { createTRPCRouter, inventoryWriteProcedure, roleProcedure } from "../trpc";

const fleetRead = roleProcedure("ADMIN", "DBA", "NOC");

export const schedulerRouter = createTRPCRouter({
  capacity: fleetRead.input(capacityQuerySchema).query(({ ctx, input }) => capacity(ctx.db, ctx.db, input)),
  capacityForSpecs: fleetRead.input(capacityForSpecsSchema).query(({ ctx, input }) => {
    const { specs, ...constraints } = input;
    return capacityForSpecs(ctx.db, ctx.db, constraints, specs);
  }),
  place: inventoryWriteProcedure.input(placeSchema).mutation(({ ctx, input }) => place(ctx.db, ctx.actor, input)),
  commit: inventoryWriteProcedure.input(allocationIdSchema).mutation(({ ctx, input }) => commitAllocation(ctx.db, ctx.actor, input.id)),
  release: inventoryWriteProcedure.input(allocationIdSchema).mutation(({ ctx, input }) => releaseAllocation(ctx.db, ctx.actor, input.id)),
  allocations: fleetRead.input(allocationListSchema).query(({ ctx, input }) => listAllocations(ctx.db, input)),
  settings: fleetRead.query(({ ctx }) => loadSchedulerSettings(ctx.db)),
  saveSettings: inventoryWriteProcedure
    .input(schedulerSettingsSchema)
    .mutation(({ ctx, input }) => ctx.db.$transaction((tx) => saveSchedulerSettings(tx, ctx.actor, input))),
});
