import { z } from "zod";
import { idSchema } from "../../domain/bounds";
import { credentialEntrySchema, credentialStatus, enterCredential, revealCredential, revealSchema } from "../../domain/credentials/store";
import { rotateSchema, submitRotation } from "../../domain/credentials/rotate";
import { dispatchJob } from "../../jobs/dispatcher";
import { authedProcedure, createTRPCRouter, procedureFor } from "../trpc";

export const credentialsRouter = createTRPCRouter({
  /** users and rotation state of a service; never a password */
  status: authedProcedure.input(z.object({ serviceId: idSchema })).query(({ ctx, input }) => credentialStatus(ctx.db, ctx.actor, input.serviceId)),
  /** one password, to the service's product line (the application's) or a DBA; audited, so a mutation */
  reveal: authedProcedure.input(revealSchema).mutation(({ ctx, input }) => revealCredential(ctx.db, ctx.actor, input.serviceId, input.kind)),
  /** an adopted service's login as its DBA knows it */
  enter: procedureFor("operate")
    .input(credentialEntrySchema)
    .mutation(({ ctx, input }) => enterCredential(ctx.db, ctx.actor, input)),
  rotate: procedureFor("operate")
    .input(rotateSchema)
    .mutation(({ ctx, input }) => submitRotation(ctx.db, ctx.actor, input, dispatchJob)),
});
