import { z } from "zod";
import { idSchema } from "../../domain/bounds";
import {
  createDepartment,
  createProductLine,
  deleteProductLine,
  getProductLine,
  listDepartments,
  listProductLines,
  setProductLineMembers,
  updateProductLine,
} from "../../domain/inventory/product-lines";
import {
  departmentCreateSchema,
  importanceSchema,
  productLineCreateSchema,
  productLineMembersSchema,
  productLineUpdateSchema,
} from "../../domain/inventory/schemas";
import { authedProcedure, createTRPCRouter, procedureFor } from "../trpc";

const idInput = z.object({ id: idSchema });

export const productLinesRouter = createTRPCRouter({
  list: authedProcedure
    .input(z.object({ search: z.string().trim().max(64).optional(), departmentId: idSchema.optional(), importance: importanceSchema.optional() }).default({}))
    .query(({ ctx, input }) => listProductLines(ctx.db, ctx.actor, input)),
  get: authedProcedure.input(idInput).query(({ ctx, input }) => getProductLine(ctx.db, ctx.actor, input.id)),
  departments: authedProcedure.query(({ ctx }) => listDepartments(ctx.db)),
  createDepartment: procedureFor("administer")
    .input(departmentCreateSchema)
    .mutation(({ ctx, input }) => createDepartment(ctx.db, ctx.actor, input)),
  create: procedureFor("operate")
    .input(productLineCreateSchema)
    .mutation(({ ctx, input }) => createProductLine(ctx.db, ctx.actor, input)),
  update: procedureFor("operate")
    .input(productLineUpdateSchema)
    .mutation(({ ctx, input }) => updateProductLine(ctx.db, ctx.actor, input)),
  delete: procedureFor("administer")
    .input(idInput)
    .mutation(({ ctx, input }) => deleteProductLine(ctx.db, ctx.actor, input.id)),
  setMembers: procedureFor("administer")
    .input(productLineMembersSchema)
    .mutation(({ ctx, input }) => setProductLineMembers(ctx.db, ctx.actor, input)),
});
