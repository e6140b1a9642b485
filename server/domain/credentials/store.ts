import { text } from "../../../lib/text";
import { CredentialKind } from "../../../generated/prisma/enums";
import { z } from "zod";
import type { DbTx } from "../../db/client";
import { transactional } from "../../db/transaction";
import { idSchema } from "../bounds";
import { assertProductLineVisible, type Actor } from "../access/actor";
import { recordAudit } from "../audit/record";
import { badInput, forbidden, notFound } from "../errors";
import { open, seal, secretKey } from "../executors/secrets";
import { can } from "../../../lib/roles";
import { authOf, CREDENTIAL_KINDS, type RedisAuth, type ServiceSecrets, type UserSecret } from "./model";

/** A user as stored (and as a provisioning job keeps it in its state): the passwords sealed. */
export type SealedUser = { username: string; sealed: string; previousSealed: string | null };
export type SealedSecrets = Record<CredentialKind, SealedUser>;

const sealOne = (password: string) => seal(password, secretKey(), "service-credential");
const openOne = (sealed: string) => open(sealed, secretKey(), "service-credential");

export function sealSecrets(secrets: ServiceSecrets): SealedSecrets {
  const one = (s: UserSecret): SealedUser => ({
    username: s.username,
    sealed: sealOne(s.passwords[0]!),
    previousSealed: s.passwords[1] ? sealOne(s.passwords[1]) : null,
  });
  return { APP: one(secrets.APP), OPS: one(secrets.OPS), REPL: one(secrets.REPL), SENTINEL: one(secrets.SENTINEL) };
}

export const openUser = (u: SealedUser): UserSecret => ({
  username: u.username,
  passwords: [openOne(u.sealed), ...(u.previousSealed ? [openOne(u.previousSealed)] : [])],
});

export function openSecrets(s: SealedSecrets): ServiceSecrets {
  return { APP: openUser(s.APP), OPS: openUser(s.OPS), REPL: openUser(s.REPL), SENTINEL: openUser(s.SENTINEL) };
}

/** Stores a new service's users (sealed as they are). */
export async function saveServiceCredentials(tx: DbTx, serviceId: number, sealed: SealedSecrets): Promise<void> {
  await tx.serviceCredential.createMany({
    data: CREDENTIAL_KINDS.map((kind) => ({
      serviceId,
      kind,
      username: sealed[kind].username,
      sealed: sealed[kind].sealed,
      previousSealed: sealed[kind].previousSealed,
    })),
  });
}

async function sealedOf(db: DbTx, serviceId: number): Promise<Partial<SealedSecrets>> {
  const rows = await db.serviceCredential.findMany({ where: { serviceId }, select: { kind: true, username: true, sealed: true, previousSealed: true } });
  return Object.fromEntries(rows.map((r) => [r.kind, { username: r.username, sealed: r.sealed, previousSealed: r.previousSealed }]));
}

/** Every user of a service, opened; null when it has none (Memcached, an adopted service whose DBA entered none). */
export async function loadServiceSecrets(db: DbTx, serviceId: number): Promise<ServiceSecrets | null> {
  const s = await sealedOf(db, serviceId);
  if (!s.APP || !s.OPS || !s.REPL || !s.SENTINEL) return null;
  return openSecrets(s as SealedSecrets);
}

/**
 * How Hedwig logs in to a service's Redis and Sentinels (collector, operations, failover,
 * healing, canary, migrations): its own user; for an adopted service whatever the DBA entered
 * (the operations login, else the application's). null: no password is known, connect without.
 */
export async function opsAuth(db: DbTx, serviceId: number): Promise<RedisAuth | null> {
  const s = await sealedOf(db, serviceId);
  const u = s.OPS ?? s.APP;
  return u ? authOf(openUser(u)) : null;
}

/** How a client of the service logs in (through Twemproxy, only this one works). */
export async function appAuth(db: DbTx, serviceId: number): Promise<RedisAuth | null> {
  const s = await sealedOf(db, serviceId);
  return s.APP ? authOf(openUser(s.APP)) : null;
}

/** The Hedwig-side logins of many services at once (the collector's and the canary's rounds). */
export async function authByService(db: DbTx, serviceIds: number[], kind: "OPS" | "APP"): Promise<Map<number, RedisAuth>> {
  const rows = await db.serviceCredential.findMany({
    where: { serviceId: { in: serviceIds }, kind: kind === "OPS" ? { in: ["OPS", "APP"] } : "APP" },
    select: { serviceId: true, kind: true, username: true, sealed: true, previousSealed: true },
    orderBy: { kind: "asc" },
  });
  const out = new Map<number, RedisAuth>();
  // APP sorts before OPS: a later OPS row replaces an APP row of the same service.
  for (const r of rows) out.set(r.serviceId, authOf(openUser(r)));
  return out;
}

const kindSchema = z.enum(CredentialKind);
export const revealSchema = z.object({ serviceId: idSchema, kind: kindSchema.default("APP") });
export const credentialEntrySchema = z.object({
  serviceId: idSchema,
  kind: z.enum([CredentialKind.APP, CredentialKind.OPS]),
  /** "default" for a Redis without users (requirepass) */
  username: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_.-]+$/, "refusals.fields.userNameChars"),
  password: z.string().min(1).max(512),
});
export type CredentialEntry = z.infer<typeof credentialEntrySchema>;

/** Who may see a service's passwords: DBAs and ADMINs all of them; members of its product line the application's. */
function assertMayReveal(actor: Actor, productLineId: number, kind: CredentialKind) {
  if (can(actor.role, "operate")) return;
  if (kind !== "APP") throw forbidden(text("refusals.credentials.dbaOnly", { kind: kind.toLowerCase() }));
  if (actor.role !== "BUSINESS") throw forbidden(text("refusals.credentials.appOnly"));
  assertProductLineVisible(actor, productLineId);
}

/** What the service page shows: users and rotation state, never a password. */
export async function credentialStatus(db: DbTx, actor: Actor, serviceId: number) {
  const service = await db.service.findUnique({ where: { id: serviceId }, select: { productLineId: true, kind: true } });
  if (!service) throw notFound(text("errors.domain.notFound.service", { id: serviceId }));
  assertProductLineVisible(actor, service.productLineId);
  const rows = await db.serviceCredential.findMany({
    where: { serviceId },
    select: { kind: true, username: true, previousSealed: true, rotatedAt: true, createdAt: true },
    orderBy: { kind: "asc" },
  });
  return rows
    .filter((r) => can(actor.role, "operate") || r.kind === "APP")
    .map((r) => ({ kind: r.kind, username: r.username, rotating: r.previousSealed !== null, rotatedAt: r.rotatedAt, createdAt: r.createdAt }));
}

/**
 * One password, shown to a person who asked: an audit line names who saw which user of which
 * service (never the password). During a rotation the previous password is shown too.
 */
export const revealCredential = transactional(async function revealCredential(db: DbTx, actor: Actor, serviceId: number, kind: CredentialKind) {
  const service = await db.service.findUnique({ where: { id: serviceId }, select: { id: true, name: true, productLineId: true } });
  if (!service) throw notFound(text("errors.domain.notFound.service", { id: serviceId }));
  assertMayReveal(actor, service.productLineId, kind);
  const row = await db.serviceCredential.findUnique({ where: { serviceId_kind: { serviceId, kind } } });
  if (!row) throw notFound(text("refusals.credentials.noUser", { service: service.name, kind: kind.toLowerCase() }));
  const user = openUser(row);
  await recordAudit(db, actor, {
    action: "credential.reveal",
    entityType: "Service",
    entityId: serviceId,
    summary: `revealed the ${kind.toLowerCase()} password (user ${row.username}) of ${service.name}`,
    after: { kind, username: row.username },
  });
  return { kind, username: row.username, password: user.passwords[0]!, previousPassword: user.passwords[1] ?? null };
});

/**
 * An adopted service's login, as its DBA knows it: sealed the same way. Hedwig's collector and
 * operations use the operations login, else the application's.
 */
export const enterCredential = transactional(async function enterCredential(db: DbTx, actor: Actor, input: CredentialEntry) {
  const service = await db.service.findUnique({ where: { id: input.serviceId }, select: { id: true, name: true, adopted: true } });
  if (!service) throw notFound(text("errors.domain.notFound.service", { id: input.serviceId }));
  if (!service.adopted) throw badInput(text("refusals.credentials.rotateInstead", { service: service.name }));
  const data = { username: input.username, sealed: sealOne(input.password), previousSealed: null, rotatedAt: new Date() };
  await db.serviceCredential.upsert({
    where: { serviceId_kind: { serviceId: service.id, kind: input.kind } },
    create: { serviceId: service.id, kind: input.kind, ...data },
    update: data,
  });
  await recordAudit(db, actor, {
    action: "credential.enter",
    entityType: "Service",
    entityId: service.id,
    summary: `entered the ${input.kind.toLowerCase()} login (user ${input.username}) of adopted service ${service.name}`,
    after: { kind: input.kind, username: input.username },
  });
});
