import { text } from "../../../lib/text";
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { Role } from "../../../generated/prisma/enums";
import type { DbTx } from "../../db/client";
import { transactional } from "../../db/transaction";
import { can, roleWithin } from "../../../lib/roles";
import { loadActor, type Actor } from "../access/actor";
import { recordAudit } from "../audit/record";
import { idSchema } from "../bounds";
import { badInput, conflict, forbidden, notFound } from "../errors";

/** Recognisable in a leaked log or a secret scanner: `hdw_` and 43 base64url characters (256 random bits). */
export const TOKEN_PREFIX = "hdw_";
export const MAX_TOKEN_DAYS = 730;

export const hashToken = (secret: string) => createHash("sha256").update(secret).digest("hex");

const tokenFields = {
  name: z.string().trim().min(1, "refusals.fields.tokenName").max(80, "refusals.fields.tokenNameMax"),
  role: z.enum(Role),
  readOnly: z.boolean().default(false),
  expiresInDays: z.number().int().min(1, `a token lasts 1–${MAX_TOKEN_DAYS} days`).max(MAX_TOKEN_DAYS, `a token lasts 1–${MAX_TOKEN_DAYS} days`),
};
export const tokenCreateSchema = z.object(tokenFields);
export const serviceTokenCreateSchema = z.object({
  ...tokenFields,
  account: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{1,40}$/, "refusals.fields.accountName"),
  productLineIds: z.array(idSchema).max(200).default([]),
});
export const tokenIdSchema = z.object({ id: idSchema });

const PUBLIC = {
  id: true,
  name: true,
  prefix: true,
  role: true,
  readOnly: true,
  expiresAt: true,
  revokedAt: true,
  lastUsedAt: true,
  lastUsedIp: true,
  createdAt: true,
  user: { select: { id: true, username: true, serviceAccount: true } },
} as const;

async function issue(db: DbTx, actor: Actor, userId: number, input: z.infer<typeof tokenCreateSchema>) {
  const secret = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const token = await db.apiToken.create({
    data: {
      name: input.name,
      prefix: secret.slice(0, TOKEN_PREFIX.length + 6),
      hash: hashToken(secret),
      userId,
      createdById: actor.id,
      role: input.role,
      readOnly: input.readOnly,
      expiresAt: new Date(Date.now() + input.expiresInDays * 86_400_000),
    },
    select: PUBLIC,
  });
  await recordAudit(db, actor, {
    action: "token.create",
    entityType: "ApiToken",
    entityId: token.id,
    summary: `created API token ${token.name} (${token.prefix}…, ${token.role}${token.readOnly ? ", read-only" : ""}) for ${token.user.username}`,
    after: token,
  });
  return { token, secret };
}

const refuseViaToken = (actor: Actor) => {
  // A token cannot mint or revoke tokens: a leaked one must not outlive its own revocation.
  if (actor.token) throw forbidden(text("refusals.tokens.viaToken"));
};

/** A personal token of the signed-in user; its role is at most the user's. The secret is returned once. */
export const createToken = transactional(async function createToken(db: DbTx, actor: Actor, input: z.infer<typeof tokenCreateSchema>) {
  refuseViaToken(actor);
  if (!roleWithin(input.role, actor.role))
    throw badInput(text("refusals.tokens.roleAboveOwn", { own: actor.role, role: input.role }), { fieldErrors: { role: ["role_above_owner"] } });
  return issue(db, actor, actor.id, input);
});

/** An ADMIN's token for automation, owned by a service account (created on first use, no password). */
export const createServiceToken = transactional(async function createServiceToken(db: DbTx, actor: Actor, input: z.infer<typeof serviceTokenCreateSchema>) {
  refuseViaToken(actor);
  if (!can(actor.role, "administer")) throw forbidden(text("refusals.tokens.adminOnly"));
  const username = `svc-${input.account}`;
  let account = await db.user.findUnique({ where: { username }, select: { id: true, role: true, serviceAccount: true } });
  if (account && !account.serviceAccount) throw conflict(text("refusals.tokens.personAccount", { username }));
  if (!account) {
    const lines = [...new Set(input.productLineIds)];
    if ((await db.productLine.count({ where: { id: { in: lines } } })) !== lines.length) throw badInput(text("errors.domain.users.linesMissing"));
    account = await db.user.create({
      data: {
        username,
        displayName: `service account ${input.account}`,
        role: input.role,
        serviceAccount: true,
        memberships: { create: lines.map((productLineId) => ({ productLineId })) },
      },
      select: { id: true, role: true, serviceAccount: true },
    });
    await recordAudit(db, actor, {
      action: "user.create",
      entityType: "User",
      entityId: account.id,
      summary: `created service account ${username} (${input.role})`,
    });
  } else if (!roleWithin(input.role, account.role)) {
    const message = text("refusals.tokens.roleAboveAccount", { username, own: account.role, role: input.role });
    throw badInput(message, { fieldErrors: { role: [message] } });
  }
  return issue(db, actor, account.id, input);
});

/** The actor's own tokens; an ADMIN also sees every service account's. */
export async function listTokens(db: DbTx, actor: Actor) {
  const where = can(actor.role, "administer") ? { OR: [{ userId: actor.id }, { user: { serviceAccount: true } }] } : { userId: actor.id };
  return db.apiToken.findMany({ where, select: PUBLIC, orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }] });
}

/** Its owner, or an ADMIN, revokes a token; it is refused from the next call on. */
export const revokeToken = transactional(async function revokeToken(db: DbTx, actor: Actor, id: number) {
  refuseViaToken(actor);
  const token = await db.apiToken.findUnique({ where: { id }, select: PUBLIC });
  if (!token || (token.user.id !== actor.id && !can(actor.role, "administer"))) throw notFound(text("refusals.notFound.token", { id }));
  if (token.revokedAt) return token;
  const revoked = await db.apiToken.update({ where: { id }, data: { revokedAt: new Date() }, select: PUBLIC });
  await recordAudit(db, actor, {
    action: "token.revoke",
    entityType: "ApiToken",
    entityId: id,
    summary: `revoked API token ${token.name} (${token.prefix}…) of ${token.user.username}`,
  });
  return revoked;
});

export type TokenRefusal = "unknown" | "revoked" | "expired" | "owner_disabled" | "role_above_owner";

/** lastUsedAt is written at most this often, so a busy script does not write a row per call. */
const USE_RECORD_MS = 30_000;
/** A use after this much silence is audited, as a new session is. */
const USE_AUDIT_MS = 3_600_000;

/**
 * The actor behind a bearer token, with the token's role (re-read on every call, like a session's
 * user), or why it is refused.
 */
export async function authenticateToken(db: DbTx, secret: string, ip: string | null): Promise<{ actor: Actor } | { refused: TokenRefusal }> {
  if (!secret.startsWith(TOKEN_PREFIX)) return { refused: "unknown" };
  const token = await db.apiToken.findUnique({
    where: { hash: hashToken(secret) },
    select: { id: true, name: true, prefix: true, userId: true, role: true, readOnly: true, expiresAt: true, revokedAt: true, lastUsedAt: true },
  });
  if (!token) return { refused: "unknown" };
  if (token.revokedAt) return { refused: "revoked" };
  const now = Date.now();
  if (token.expiresAt.getTime() <= now) return { refused: "expired" };
  const owner = await loadActor(db, token.userId);
  if (!owner) return { refused: "owner_disabled" };
  // The owner may have been demoted since: the token never carries more than they now have.
  if (!roleWithin(token.role, owner.role)) return { refused: "role_above_owner" };
  const actor: Actor = { ...owner, role: token.role, token: { id: token.id, name: token.name, readOnly: token.readOnly } };
  const last = token.lastUsedAt?.getTime() ?? 0;
  if (now - last >= USE_RECORD_MS) {
    await db.apiToken.update({ where: { id: token.id }, data: { lastUsedAt: new Date(now), lastUsedIp: ip } });
    if (now - last >= USE_AUDIT_MS) {
      await recordAudit(db, actor, {
        action: "token.use",
        entityType: "ApiToken",
        entityId: token.id,
        summary: `API token ${token.name} (${token.prefix}…) used${ip ? ` from ${ip}` : ""}`,
      });
    }
  }
  return { actor };
}
