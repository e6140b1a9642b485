import { fleetOverview } from "../../domain/fleet/overview";
import { markAllRead, myNotifications } from "../../domain/notifications/notifications";
import { z } from "zod";
import { changeOwnPassword } from "../../domain/access/users";
import { authedProcedure, createTRPCRouter } from "../trpc";

const changePasswordSchema = z.object({
  current: z.string().min(1, "refusals.fields.currentPassword").max(256),
  next: z.string().min(10, "refusals.fields.passwordMin").max(256, "refusals.fields.passwordMax"),
});

export const meRouter = createTRPCRouter({
  get: authedProcedure.query(({ ctx }) => ctx.actor),
  overview: authedProcedure.query(({ ctx }) => fleetOverview(ctx.db, ctx.actor)),
  notifications: authedProcedure.query(({ ctx }) => myNotifications(ctx.db, ctx.actor)),
  changePassword: authedProcedure.input(changePasswordSchema).mutation(({ ctx, input }) => changeOwnPassword(ctx.db, ctx.actor, input)),
  markNotificationsRead: authedProcedure.mutation(({ ctx }) => markAllRead(ctx.db, ctx.actor)),
});
