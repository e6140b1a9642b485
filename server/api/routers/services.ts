import { z } from "zod";
import { idSchema } from "../../domain/bounds";
import {
  createInstance,
  createService,
  deleteInstance,
  getService,
  listInstances,
  listServices,
  updateInstance,
  updateService,
} from "../../domain/inventory/services";
import {
  instanceCreateSchema,
  instanceListSchema,
  instanceUpdateSchema,
  serviceCreateSchema,
  serviceListSchema,
  serviceUpdateSchema,
} from "../../domain/inventory/schemas";
import { authedProcedure, createTRPCRouter, inventoryWriteProcedure } from "../trpc";

const idInput = z.object({ id: idSchema });

export const servicesRouter = createTRPCRouter({
  list: authedProcedure.input(serviceListSchema).query(({ ctx, input }) => listServices(ctx.db, ctx.actor, input)),
  get: authedProcedure.input(idInput).query(({ ctx, input }) => getService(ctx.db, ctx.actor, input.id)),
  create: inventoryWriteProcedure.input(serviceCreateSchema).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => createService(tx, ctx.actor, input))),
  update: inventoryWriteProcedure.input(serviceUpdateSchema).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => updateService(tx, ctx.actor, input))),
  instances: authedProcedure.input(instanceListSchema).query(({ ctx, input }) => listInstances(ctx.db, ctx.actor, input)),
  createInstance: inventoryWriteProcedure
    .input(instanceCreateSchema)
    .mutation(({ ctx, input }) => ctx.db.$transaction((tx) => createInstance(tx, ctx.actor, input))),
  updateInstance: inventoryWriteProcedure
    .input(instanceUpdateSchema)
    .mutation(({ ctx, input }) => ctx.db.$transaction((tx) => updateInstance(tx, ctx.actor, input))),
  deleteInstance: inventoryWriteProcedure.input(idInput).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => deleteInstance(tx, ctx.actor, input.id))),
});
