import { fleetOverview } from "../../domain/fleet/overview";
import { markAllRead, myNotifications } from "../../domain/notifications/notifications";
import { authedProcedure, createTRPCRouter } from "../trpc";

export const meRouter = createTRPCRouter({
  get: authedProcedure.query(({ ctx }) => ctx.actor),
  overview: authedProcedure.query(({ ctx }) => fleetOverview(ctx.db, ctx.actor)),
  notifications: authedProcedure.query(({ ctx }) => myNotifications(ctx.db, ctx.actor)),
  markNotificationsRead: authedProcedure.mutation(({ ctx }) => markAllRead(ctx.db, ctx.actor)),
});
