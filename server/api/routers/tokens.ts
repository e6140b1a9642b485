import {
  createServiceToken,
  createToken,
  listTokens,
  revokeToken,
  serviceTokenCreateSchema,
  tokenCreateSchema,
  tokenIdSchema,
} from "../../domain/tokens/tokens";
import { authedProcedure, createTRPCRouter, procedureFor } from "../trpc";

/** API tokens: everyone manages their own on the profile page; an ADMIN also makes service-account tokens. */
export const tokensRouter = createTRPCRouter({
  list: authedProcedure.query(({ ctx }) => listTokens(ctx.db, ctx.actor)),
  create: authedProcedure.input(tokenCreateSchema).mutation(({ ctx, input }) => createToken(ctx.db, ctx.actor, input)),
  createService: procedureFor("administer")
    .input(serviceTokenCreateSchema)
    .mutation(({ ctx, input }) => createServiceToken(ctx.db, ctx.actor, input)),
  revoke: authedProcedure.input(tokenIdSchema).mutation(({ ctx, input }) => revokeToken(ctx.db, ctx.actor, input.id)),
});
