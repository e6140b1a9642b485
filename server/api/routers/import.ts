import { commitImport, exampleForImport, previewImport } from "../../domain/inventory/import";
import { importCommitSchema, importExampleSchema, importPreviewSchema } from "../../domain/inventory/import/schemas";
import { createTRPCRouter, inventoryWriteProcedure } from "../trpc";

/** Adoption of existing hosts and instances (DBA/ADMIN). Preview is a mutation: the file travels in the body. */
export const importRouter = createTRPCRouter({
  example: inventoryWriteProcedure.input(importExampleSchema).query(({ ctx, input }) => exampleForImport(ctx.db, input.kind)),
  preview: inventoryWriteProcedure.input(importPreviewSchema).mutation(({ ctx, input }) => previewImport(ctx.db, input)),
  commit: inventoryWriteProcedure
    .input(importCommitSchema)
    .mutation(({ ctx, input }) => ctx.db.$transaction((tx) => commitImport(tx, ctx.actor, input), { timeout: 120_000, maxWait: 10_000 })),
});
