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
import { visibleService } from "../../domain/metrics/service-scope";
import { instanceOut, pageOf, rest, serviceOut, serviceRowOut, typed } from "../openapi-schemas";
import { authedProcedure, createTRPCRouter, procedureFor } from "../trpc";

const idInput = z.object({ id: idSchema });

export const servicesRouter = createTRPCRouter({
  list: authedProcedure
    .meta(rest("GET", "/services", "List services (paged; filter by productLine code, kind, status, search)", ["services"]))
    .input(serviceListSchema)
    .output(typed(pageOf(serviceRowOut), listServices))
    .query(({ ctx, input }) => listServices(ctx.db, ctx.actor, input)),
  get: authedProcedure
    .meta(rest("GET", "/services/{id}", "A service with its instances", ["services"]))
    .input(idInput)
    .output(typed(serviceOut, getService))
    .query(({ ctx, input }) => getService(ctx.db, ctx.actor, input.id)),
  create: procedureFor("operate")
    .input(serviceCreateSchema)
    .mutation(({ ctx, input }) => createService(ctx.db, ctx.actor, input)),
  update: procedureFor("operate")
    .input(serviceUpdateSchema)
    .mutation(({ ctx, input }) => updateService(ctx.db, ctx.actor, input)),
  instances: authedProcedure
    .meta(rest("GET", "/instances", "List instances (paged; filter by serviceId, label selector over host labels and role, software, state)", ["services"]))
    .input(instanceListSchema)
    .output(typed(pageOf(instanceOut), listInstances))
    .query(({ ctx, input }) => listInstances(ctx.db, ctx.actor, input)),
  /** the same list under its service's path, as scripts address a service's instances */
  instancesOf: authedProcedure
    .meta(rest("GET", "/services/{id}/instances", "A service's instances (paged; filter by label selector, role, software, state)", ["services"]))
    .input(instanceListSchema.omit({ serviceId: true }).extend({ id: idSchema }))
    .output(typed(pageOf(instanceOut), listInstances))
    .query(async ({ ctx, input: { id, ...filter } }) => {
      await visibleService(ctx.db, ctx.actor, id);
      return listInstances(ctx.db, ctx.actor, { ...filter, serviceId: id });
    }),
  createInstance: procedureFor("operate")
    .input(instanceCreateSchema)
    .mutation(({ ctx, input }) => createInstance(ctx.db, ctx.actor, input)),
  updateInstance: procedureFor("operate")
    .input(instanceUpdateSchema)
    .mutation(({ ctx, input }) => updateInstance(ctx.db, ctx.actor, input)),
  deleteInstance: procedureFor("operate")
    .input(idInput)
    .mutation(({ ctx, input }) => deleteInstance(ctx.db, ctx.actor, input.id)),
});
