import { fleetOverview } from "../../domain/fleet/overview";
import { authedProcedure, createTRPCRouter } from "../trpc";

export const meRouter = createTRPCRouter({
  get: authedProcedure.query(({ ctx }) => ctx.actor),
  overview: authedProcedure.query(({ ctx }) => fleetOverview(ctx.db, ctx.actor)),
});
