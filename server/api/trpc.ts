import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import type { OpenApiMeta } from "trpc-to-openapi";
import type { Db } from "../db/client";
import { db as defaultDb } from "../db/client";
import { loadActor, type Actor } from "../domain/access/actor";
import type { Role } from "../../generated/prisma/enums";
import { toTRPCError } from "./errors";
import { DomainError } from "../domain/errors";
import { PERMISSIONS, rolesWith, type Permission } from "../../lib/roles";
import { authenticateToken, type TokenRefusal } from "../domain/tokens/tokens";

export type Context = {
  db: Db;
  /** the signed-in user id from the session, if any; the role is re-read from the database */
  userId: number | null;
  /** an API token (`Authorization: Bearer hdw_…`) instead of a session; checked in authedProcedure */
  bearer?: { secret: string; ip: string | null };
};

export function createContext(userId: number | null, db: Db = defaultDb(), bearer?: Context["bearer"]): Context {
  return { db, userId, bearer };
}

// The meta carries `openapi` for the procedures /api/v1 exposes (server/api/openapi.ts).
const t = initTRPC
  .context<Context>()
  .meta<OpenApiMeta>()
  .create({
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

const TOKEN_REFUSALS: Record<TokenRefusal, string> = {
  unknown: "this API token is not known",
  revoked: "this API token was revoked",
  expired: "this API token has expired; create a new one on your profile",
  owner_disabled: "the owner of this API token is disabled or no longer exists",
  role_above_owner: "this API token's role is above its owner's current role; create a new one",
};

async function callerActor(ctx: Context) {
  if (ctx.bearer) {
    const auth = await authenticateToken(ctx.db, ctx.bearer.secret, ctx.bearer.ip);
    if ("refused" in auth) throw new TRPCError({ code: "UNAUTHORIZED", message: TOKEN_REFUSALS[auth.refused] });
    return auth.actor;
  }
  if (ctx.userId === null) throw new TRPCError({ code: "UNAUTHORIZED", message: "sign in first" });
  const actor = await loadActor(ctx.db, ctx.userId);
  if (!actor) throw new TRPCError({ code: "UNAUTHORIZED", message: "your account is disabled or no longer exists; sign in again" });
  return actor;
}

export const authedProcedure = publicProcedure.use(async ({ ctx, next, path, type }) => {
  const actor = await callerActor(ctx);
  if (actor.token?.readOnly && type === "mutation") throw new TRPCError({ code: "FORBIDDEN", message: "this API token is read-only" });
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
