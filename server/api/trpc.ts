import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import type { OpenApiMeta } from "trpc-to-openapi";
import { bound, issuePath, zodIssueText, type Issue } from "../../lib/zod-text";
import { english, renderIn, serverTranslator } from "../../i18n/load";
import type { Locale } from "../../i18n/locales";
import { text, type Text } from "../../lib/text";
import type { Db } from "../db/client";
import { db as defaultDb } from "../db/client";
import { loadActor, type Actor } from "../domain/access/actor";
import type { Role } from "../../generated/prisma/enums";
import { textError, toTRPCError } from "./errors";
import { DomainError } from "../domain/errors";
import { PERMISSIONS, rolesWith, type Permission } from "../../lib/roles";
import { authenticateToken } from "../domain/tokens/tokens";

export type Context = {
  db: Db;
  /** the signed-in user id from the session, if any; the role is re-read from the database */
  userId: number | null;
  /** an API token (`Authorization: Bearer hdw_…`) instead of a session; checked in authedProcedure */
  bearer?: { secret: string; ip: string | null };
  /** the reader's language, for the messages of refused calls (API callers without a cookie read English) */
  locale: Locale;
};

export function createContext(userId: number | null, db: Db = defaultDb(), opts: { locale?: Locale; bearer?: Context["bearer"] } = {}): Context {
  return { db, userId, locale: opts.locale ?? "en", bearer: opts.bearer };
}

// The meta carries `openapi` for the procedures /api/v1 exposes (server/api/openapi.ts).
const t = initTRPC
  .context<Context>()
  .meta<OpenApiMeta>()
  .create({
    transformer: superjson,
    errorFormatter({ shape, error, ctx }) {
      const locale = ctx?.locale ?? "en";
      const issues = validationIssues(error.cause);
      // What the domain says per field or row (e.g. { fieldErrors }), for forms; built for people, never secrets.
      const details = error.cause instanceof DomainError ? inLocale(locale, error.cause.details ?? null) : null;
      // The refusal as a code with parameters (for API callers that translate), and in the reader's language.
      // A 500's text is whatever broke (a driver's message, a stack): the operators' log has it, the caller does not.
      const said: Text | null =
        error.code === "INTERNAL_SERVER_ERROR" ? text("errors.api.internal") : error.cause instanceof DomainError ? (error.cause.text ?? null) : null;
      const message = issues ? issues.map((i) => issueMessage(locale, i)).join("; ") : said ? renderIn(locale, said) : shape.message;
      return {
        ...shape,
        message,
        data: {
          ...shape.data,
          text: said,
          zodError: issues ? fieldErrors(locale, issues) : null,
          issues: issues ? issues.map(issueCode) : null,
          details,
          stack: undefined,
        },
      };
    },
  });

/** A domain refusal's field errors may be text codes: rendered in the reader's language like the message. */
function inLocale(locale: Locale, details: unknown): unknown {
  const fields = (details as { fieldErrors?: Record<string, unknown[]> } | null)?.fieldErrors;
  if (!fields) return details;
  const rendered = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.map((m) => renderIn(locale, m as Text | string))]));
  return { ...(details as object), fieldErrors: rendered };
}

/** Each bad field as a code with parameters (zod's issue code, the allowed range, the message's own code), for API callers. */
function issueCode(i: Issue) {
  const t = issueText(i);
  return {
    path: issuePath(i),
    code: i.code ?? "custom",
    min: bound(i.minimum),
    max: bound(i.maximum),
    text: typeof t === "string" ? null : t,
    message: english(t),
  };
}

const issueText = (i: Issue) => zodIssueText(i, (m) => serverTranslator("en").has(m));

const issueMessage = (locale: Locale, i: Issue) => {
  const t = issueText(i);
  // zod's own verdicts name the field themselves
  return issuePath(i) && !(typeof t !== "string" && t.code.startsWith("errors.zod.")) ? `${issuePath(i)}: ${renderIn(locale, t)}` : renderIn(locale, t);
};

/** tRPC validates through Standard Schema, so a bad input arrives as an error carrying `issues`. */
function validationIssues(cause: unknown): Issue[] | null {
  const issues = (cause as { issues?: unknown } | undefined)?.issues;
  return Array.isArray(issues) ? (issues as Issue[]) : null;
}

/** One sentence naming each bad field, so the API answers like the form does. */
function issuesMessage(issues: Issue[]): string {
  return issues.map((i) => issueMessage("en", i)).join("; ");
}

/** Per-field messages for forms in the reader's language, keyed by the top-level field. */
function fieldErrors(locale: Locale, issues: Issue[]) {
  const out: Record<string, string[]> = {};
  for (const i of issues) (out[issuePath(i).split(".")[0] || "_"] ??= []).push(renderIn(locale, issueText(i)));
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

async function callerActor(ctx: Context) {
  if (ctx.bearer) {
    const auth = await authenticateToken(ctx.db, ctx.bearer.secret, ctx.bearer.ip);
    if ("refused" in auth) throw textError("UNAUTHORIZED", text(`errors.api.token.${auth.refused}`));
    return auth.actor;
  }
  if (ctx.userId === null) throw textError("UNAUTHORIZED", text("errors.api.signIn"));
  const actor = await loadActor(ctx.db, ctx.userId);
  if (!actor) throw textError("UNAUTHORIZED", text("errors.api.accountGone"));
  return actor;
}

export const authedProcedure = publicProcedure.use(async ({ ctx, next, path, type }) => {
  const actor = await callerActor(ctx);
  if (actor.token?.readOnly && type === "mutation") throw textError("FORBIDDEN", text("errors.api.token.readOnly"));
  if (actor.mustChangePassword && !BEFORE_PASSWORD_CHANGE.has(path)) {
    throw textError("FORBIDDEN", text("errors.api.changePassword"));
  }
  return next({ ctx: { ...ctx, actor } });
});

/** Allows only the given roles; the role comes from the database on every call, so a stale session cannot escalate. */
function roleProcedure(...roles: readonly Role[]) {
  return authedProcedure.use(({ ctx, next }) => {
    if (!roles.includes(ctx.actor.role)) {
      throw textError("FORBIDDEN", text("errors.api.role", { roles: roles.join(" / "), role: ctx.actor.role }));
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
