import { z } from "zod";
import { idSchema } from "../../domain/bounds";
import {
  createSoftwareVersion,
  deleteSoftwareVersion,
  deleteSpec,
  listPortRanges,
  listSoftwareVersions,
  listSpecs,
  setDefaultSoftwareVersion,
  updatePortRange,
  upsertSpec,
} from "../../domain/inventory/catalog";
import { portRangeSchema, softwareVersionCreateSchema, specSchema } from "../../domain/inventory/schemas";
import { authedProcedure, createTRPCRouter, procedureFor } from "../trpc";

const idInput = z.object({ id: idSchema });

export const catalogRouter = createTRPCRouter({
  versions: authedProcedure.query(({ ctx }) => listSoftwareVersions(ctx.db)),
  specs: authedProcedure.query(({ ctx }) => listSpecs(ctx.db)),
  portRanges: authedProcedure.query(({ ctx }) => listPortRanges(ctx.db)),
  createVersion: procedureFor("operate")
    .input(softwareVersionCreateSchema)
    .mutation(({ ctx, input }) => createSoftwareVersion(ctx.db, ctx.actor, input)),
  setDefaultVersion: procedureFor("operate")
    .input(idInput)
    .mutation(({ ctx, input }) => setDefaultSoftwareVersion(ctx.db, ctx.actor, input.id)),
  deleteVersion: procedureFor("operate")
    .input(idInput)
    .mutation(({ ctx, input }) => deleteSoftwareVersion(ctx.db, ctx.actor, input.id)),
  saveSpec: procedureFor("operate")
    .input(specSchema)
    .mutation(({ ctx, input }) => upsertSpec(ctx.db, ctx.actor, input)),
  deleteSpec: procedureFor("operate")
    .input(idInput)
    .mutation(({ ctx, input }) => deleteSpec(ctx.db, ctx.actor, input.id)),
  updatePortRange: procedureFor("operate")
    .input(portRangeSchema)
    .mutation(({ ctx, input }) => updatePortRange(ctx.db, ctx.actor, input)),
});
