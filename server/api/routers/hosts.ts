import { z } from "zod";
import { idSchema } from "../../domain/bounds";
import { clearHostCredential, credentialStatus, hostCredentialSchema, setHostCredential, testHostCredential } from "../../domain/inventory/credentials";
import { batchUpdateHosts } from "../../domain/inventory/host-batch";
import { lookupHosts } from "../../domain/inventory/host-lookup";
import { createHost, deleteHost, getHost, listHosts, updateHost } from "../../domain/inventory/hosts";
import { hostBatchSchema, hostCreateSchema, hostListSchema, hostLookupSchema, hostUpdateSchema } from "../../domain/inventory/schemas";
import { createTRPCRouter, procedureFor } from "../trpc";

const idInput = z.object({ id: idSchema });

export const hostsRouter = createTRPCRouter({
  list: procedureFor("readFleet")
    .input(hostListSchema)
    .query(({ ctx, input }) => listHosts(ctx.db, input)),
  lookup: procedureFor("readFleet")
    .input(hostLookupSchema)
    .query(({ ctx, input }) => lookupHosts(ctx.db, input)),
  get: procedureFor("readFleet")
    .input(idInput)
    .query(({ ctx, input }) => getHost(ctx.db, input.id)),
  create: procedureFor("operate")
    .input(hostCreateSchema)
    .mutation(({ ctx, input }) => createHost(ctx.db, ctx.actor, input)),
  update: procedureFor("operate")
    .input(hostUpdateSchema)
    .mutation(({ ctx, input }) => updateHost(ctx.db, ctx.actor, input)),
  delete: procedureFor("operate")
    .input(idInput)
    .mutation(({ ctx, input }) => deleteHost(ctx.db, ctx.actor, input.id)),
  /** Who Hedwig logs in as, never the secret; the fleet's writers only. */
  credential: procedureFor("operate")
    .input(idInput)
    .query(({ ctx, input }) => credentialStatus(ctx.db, input.id)),
  setCredential: procedureFor("operate")
    .input(hostCredentialSchema)
    .mutation(({ ctx, input }) => setHostCredential(ctx.db, ctx.actor, input)),
  clearCredential: procedureFor("operate")
    .input(idInput)
    .mutation(({ ctx, input }) => clearHostCredential(ctx.db, ctx.actor, input.id)),
  testCredential: procedureFor("operate")
    .input(idInput)
    .mutation(({ ctx, input }) => testHostCredential(ctx.db, input.id)),
  batch: procedureFor("operate")
    .input(hostBatchSchema)
    .mutation(({ ctx, input }) => batchUpdateHosts(ctx.db, ctx.actor, input)),
});
