import { commitImport, exampleForImport, previewImport } from "../../domain/inventory/import";
import { importCommitSchema, importExampleSchema, importPreviewSchema } from "../../domain/inventory/import/schemas";
import { createTRPCRouter, procedureFor } from "../trpc";

/** Adoption of existing hosts and instances (DBA/ADMIN). Preview is a mutation: the file travels in the body. */
export const importRouter = createTRPCRouter({
  example: procedureFor("operate")
    .input(importExampleSchema)
    .query(({ ctx, input }) => exampleForImport(ctx.db, input.kind)),
  preview: procedureFor("operate")
    .input(importPreviewSchema)
    .mutation(({ ctx, input }) => previewImport(ctx.db, input)),
  commit: procedureFor("operate")
    .input(importCommitSchema)
    .mutation(({ ctx, input }) => commitImport(ctx.db, ctx.actor, input)),
});
