import { z } from "zod";
import { idSchema } from "../../domain/bounds";
import { createIdc, createRack, deleteRack, listIdcs, updateIdc } from "../../domain/inventory/topology";
import { idcCreateSchema, idcUpdateSchema, rackCreateSchema } from "../../domain/inventory/schemas";
import { createTRPCRouter, inventoryWriteProcedure, roleProcedure } from "../trpc";

export const topologyRouter = createTRPCRouter({
  idcs: roleProcedure("ADMIN", "DBA", "NOC").query(({ ctx }) => listIdcs(ctx.db)),
  createIdc: inventoryWriteProcedure.input(idcCreateSchema).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => createIdc(tx, ctx.actor, input))),
  updateIdc: inventoryWriteProcedure.input(idcUpdateSchema).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => updateIdc(tx, ctx.actor, input))),
  createRack: inventoryWriteProcedure.input(rackCreateSchema).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => createRack(tx, ctx.actor, input))),
  deleteRack: inventoryWriteProcedure
    .input(z.object({ id: idSchema }))
    .mutation(({ ctx, input }) => ctx.db.$transaction((tx) => deleteRack(tx, ctx.actor, input.id))),
});
