import { z } from "zod";
import { idSchema } from "../../domain/bounds";
import { createIdc, createRack, deleteRack, listIdcs, updateIdc } from "../../domain/inventory/topology";
import { idcCreateSchema, idcUpdateSchema, rackCreateSchema } from "../../domain/inventory/schemas";
import { createTRPCRouter, procedureFor } from "../trpc";

export const topologyRouter = createTRPCRouter({
  idcs: procedureFor("readFleet").query(({ ctx }) => listIdcs(ctx.db)),
  createIdc: procedureFor("operate").input(idcCreateSchema).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => createIdc(tx, ctx.actor, input))),
  updateIdc: procedureFor("operate").input(idcUpdateSchema).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => updateIdc(tx, ctx.actor, input))),
  createRack: procedureFor("operate").input(rackCreateSchema).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => createRack(tx, ctx.actor, input))),
  deleteRack: procedureFor("operate")
    .input(z.object({ id: idSchema }))
    .mutation(({ ctx, input }) => ctx.db.$transaction((tx) => deleteRack(tx, ctx.actor, input.id))),
});
