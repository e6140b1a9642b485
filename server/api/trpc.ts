import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import type { Db } from "../db/client";
import { db as defaultDb } from "../db/client";
import { loadActor, type Actor } from "../domain/access/actor";
import type { Role } from "../../generated/prisma/enums";
import { toTRPCError } from "./errors";
import { DomainError } from "../domain/errors";
import { PERMISSIONS, rolesWith, type Permission } from "../../lib/roles";

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
    const issues = validationIssues(error.cause);
    // What the domain says per field or row (e.g. { fieldErrors }), for forms; built for people, never secrets.
    const details = error.cause instanceof DomainError ? (error.cause.details ?? null) : null;
    // A 500's text is whatever broke (a driver's message, a stack): the operators' log has it, the caller does not.
    const message = error.code === "INTERNAL_SERVER_ERROR" ? "internal error: the operators' log has the details" : shape.message;
    return {
      ...shape,
      message,
      data: { ...shape.data, zodError: issues ? fieldErrors(issues) : null, issues: issues ? issues.map(issueCode) : null, details, stack: undefined },
    };
  },
});

type Issue = {
  message: string;
  code?: string;
  minimum?: unknown;
  maximum?: unknown;
  path?: ReadonlyArray<PropertyKey | { key: PropertyKey }>;
};

/** Each bad field as a code with parameters (zod's issue code, the allowed range), for pages to translate. */
function issueCode(i: Issue) {
  const bound = (v: unknown) => (typeof v === "number" || typeof v === "bigint" ? Number(v) : v instanceof Date ? v.toISOString() : undefined);
  return { path: issuePath(i), code: i.code ?? "custom", min: bound(i.minimum), max: bound(i.maximum), message: i.message };
}

/** tRPC validates through Standard Schema, so a bad input arrives as an error carrying `issues`. */
function validationIssues(cause: unknown): Issue[] | null {
  const issues = (cause as { issues?: unknown } | undefined)?.issues;
  return Array.isArray(issues) ? (issues as Issue[]) : null;
}

const issuePath = (i: Issue) => (i.path ?? []).map((p) => String(typeof p === "object" ? p.key : p)).join(".");

/** One sentence naming each bad field, so the API answers like the form does. */
function issuesMessage(issues: Issue[]): string {
  return issues.map((i) => (issuePath(i) ? `${issuePath(i)}: ${i.message}` : i.message)).join("; ");
}

/** Per-field messages for forms, keyed by the top-level field. */
function fieldErrors(issues: Issue[]) {
  const out: Record<string, string[]> = {};
  for (const i of issues) (out[issuePath(i).split(".")[0] || "_"] ??= []).push(i.message);
  return { fieldErrors: out };
}

const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const { error } = result;
  const issues = validationIssues(error.cause);
  // A bad input: one readable sentence for every caller (HTTP and server-side callers alike).
  if (issues) throw new TRPCError({ code: "BAD_REQUEST", message: issuesMessage(issues), cause: error.cause });
  // tRPC's own verdicts keep their code; what it could not classify (a thrown domain or database
  // error) is mapped by its cause.
  throw error.code === "INTERNAL_SERVER_ERROR" ? toTRPCError(error.cause ?? error) : error;
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(mapErrors);

/** What a user who must change their password may still call. */
const BEFORE_PASSWORD_CHANGE = new Set(["me.get", "me.changePassword"]);

export const authedProcedure = publicProcedure.use(async ({ ctx, next, path }) => {
  if (ctx.userId === null) throw new TRPCError({ code: "UNAUTHORIZED", message: "sign in first" });
  const actor = await loadActor(ctx.db, ctx.userId);
  if (!actor) throw new TRPCError({ code: "UNAUTHORIZED", message: "your account is disabled or no longer exists; sign in again" });
  if (actor.mustChangePassword && !BEFORE_PASSWORD_CHANGE.has(path)) {
    throw new TRPCError({ code: "FORBIDDEN", message: "choose your own password first (/change-password)" });
  }
  return next({ ctx: { ...ctx, actor } });
});

/** Allows only the given roles; the role comes from the database on every call, so a stale session cannot escalate. */
function roleProcedure(...roles: readonly Role[]) {
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

const byPermission = Object.fromEntries((Object.keys(PERMISSIONS) as Permission[]).map((p) => [p, roleProcedure(...rolesWith(p))])) as Record<
  Permission,
  ReturnType<typeof roleProcedure>
>;

/**
 * The procedure for one permission of the roles policy (lib/roles.ts), which pages and the
 * navigation read too. Every signed-in role may read (authedProcedure; BUSINESS scoped in the domain).
 */
export const procedureFor = (permission: Permission) => byPermission[permission];
