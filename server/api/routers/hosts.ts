import { z } from "zod";
import { idSchema } from "../../domain/bounds";
import { clearHostCredential, credentialStatus, hostCredentialSchema, setHostCredential, testHostCredential } from "../../domain/inventory/credentials";
import { batchUpdateHosts } from "../../domain/inventory/host-batch";
import { lookupHosts } from "../../domain/inventory/host-lookup";
import { createHost, deleteHost, getHost, listHosts, updateHost } from "../../domain/inventory/hosts";
import { hostBatchSchema, hostCreateSchema, hostListSchema, hostLookupSchema, hostUpdateSchema } from "../../domain/inventory/schemas";
import { createTRPCRouter, inventoryWriteProcedure, roleProcedure } from "../trpc";

const fleetRead = roleProcedure("ADMIN", "DBA", "NOC");
const idInput = z.object({ id: idSchema });

export const hostsRouter = createTRPCRouter({
  list: fleetRead.input(hostListSchema).query(({ ctx, input }) => listHosts(ctx.db, input)),
  lookup: fleetRead.input(hostLookupSchema).query(({ ctx, input }) => lookupHosts(ctx.db, input)),
  get: fleetRead.input(idInput).query(({ ctx, input }) => getHost(ctx.db, input.id)),
  create: inventoryWriteProcedure.input(hostCreateSchema).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => createHost(tx, ctx.actor, input))),
  update: inventoryWriteProcedure.input(hostUpdateSchema).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => updateHost(tx, ctx.actor, input))),
  delete: inventoryWriteProcedure.input(idInput).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => deleteHost(tx, ctx.actor, input.id))),
  /** Who Hedwig logs in as, never the secret; the fleet's writers only. */
  credential: roleProcedure("ADMIN", "DBA").input(idInput).query(({ ctx, input }) => credentialStatus(ctx.db, input.id)),
  setCredential: inventoryWriteProcedure.input(hostCredentialSchema).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => setHostCredential(tx, ctx.actor, input))),
  clearCredential: inventoryWriteProcedure.input(idInput).mutation(({ ctx, input }) => ctx.db.$transaction((tx) => clearHostCredential(tx, ctx.actor, input.id))),
  testCredential: inventoryWriteProcedure.input(idInput).mutation(({ ctx, input }) => testHostCredential(ctx.db, input.id)),
  batch: inventoryWriteProcedure
    .input(hostBatchSchema)
    .mutation(({ ctx, input }) => ctx.db.$transaction((tx) => batchUpdateHosts(tx, ctx.actor, input), { timeout: 60_000 })),
});
