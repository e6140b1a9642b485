import { z } from "zod";
import { idSchema } from "../../domain/bounds";
import { createIdc, createRack, deleteRack, listIdcs, updateIdc } from "../../domain/inventory/topology";
import { idcCreateSchema, idcUpdateSchema, rackCreateSchema } from "../../domain/inventory/schemas";
import { createTRPCRouter, procedureFor } from "../trpc";

export const topologyRouter = createTRPCRouter({
  idcs: procedureFor("readFleet").query(({ ctx }) => listIdcs(ctx.db)),
  createIdc: procedureFor("operate")
    .input(idcCreateSchema)
    .mutation(({ ctx, input }) => createIdc(ctx.db, ctx.actor, input)),
  updateIdc: procedureFor("operate")
    .input(idcUpdateSchema)
    .mutation(({ ctx, input }) => updateIdc(ctx.db, ctx.actor, input)),
  createRack: procedureFor("operate")
    .input(rackCreateSchema)
    .mutation(({ ctx, input }) => createRack(ctx.db, ctx.actor, input)),
  deleteRack: procedureFor("operate")
    .input(z.object({ id: idSchema }))
    .mutation(({ ctx, input }) => deleteRack(ctx.db, ctx.actor, input.id)),
});
