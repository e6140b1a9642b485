import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError, z } from "zod";
import type { Db } from "../db/client";
import { db as defaultDb } from "../db/client";
import { loadActor, type Actor } from "../domain/access/actor";
import type { Role } from "../../generated/prisma/enums";
import { toTRPCError } from "./errors";

export type Context = {
  db: Db;
  /** the signed-in user id from the session, if any; the role is re-read from the database */
  userId: number | null;
};

export function createContext(userId: number | null, db: Db = defaultDb()): Context {
  return { db, userId };
}

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const zod = error.cause instanceof ZodError ? z.flattenError(error.cause) : null;
    return {
      ...shape,
      message: zod ? zodMessage(error.cause as ZodError) : shape.message,
      data: { ...shape.data, zodError: zod, stack: undefined },
    };
  },
});

/** One sentence naming each bad field, so the API answers like the form does. */
function zodMessage(e: ZodError): string {
  return e.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)).join("; ");
}

const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) throw toTRPCError(result.error.cause ?? result.error);
  return result;
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(mapErrors);

export const authedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  if (ctx.userId === null) throw new TRPCError({ code: "UNAUTHORIZED", message: "sign in first" });
  const actor = await loadActor(ctx.db, ctx.userId);
  if (!actor) throw new TRPCError({ code: "UNAUTHORIZED", message: "your account is disabled or no longer exists; sign in again" });
  return next({ ctx: { ...ctx, actor } });
});

/** Allows only the given roles; the role comes from the database on every call, so a stale session cannot escalate. */
export function roleProcedure(...roles: Role[]) {
  return authedProcedure.use(({ ctx, next }) => {
    if (!roles.includes(ctx.actor.role)) {
      throw new TRPCError({
        code: "FORBIDDEN",
        message: `this needs the role ${roles.join(" or ")}; you are ${ctx.actor.role}`,
      });
    }
    return next();
  });
}

export type AuthedContext = Context & { actor: Actor };

/** Every role may read the fleet (BUSINESS scoped in the domain); only these may change inventory. */
export const inventoryWriteProcedure = roleProcedure("DBA", "ADMIN");
export const adminProcedure = roleProcedure("ADMIN");
