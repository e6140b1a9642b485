import type { DbTx } from "../../db/client";
import type { Actor } from "../access/actor";
import type { Prisma } from "../../../generated/prisma/client";

export type AuditInput = {
  action: string;
  entityType: string;
  entityId?: string | number | null;
  summary: string;
  before?: unknown;
  after?: unknown;
};

const json = (v: unknown) => (v === undefined || v === null ? undefined : (JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue));

const toRow = (actor: Actor | null, entry: AuditInput) => ({
  actorId: actor?.id ?? null,
  // A change made with an API token says which one, as the audit of a session names its user.
  actorName: actor ? (actor.token ? `${actor.username} (token ${actor.token.name})` : actor.username) : "system",
  action: entry.action,
  entityType: entry.entityType,
  entityId: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
  summary: entry.summary,
  before: json(entry.before),
  after: json(entry.after),
});

/** Writes one audit entry; call it inside the same transaction as the change it describes. */
export async function recordAudit(db: DbTx, actor: Actor | null, entry: AuditInput): Promise<void> {
  await db.auditEntry.create({ data: toRow(actor, entry) });
}

export async function recordAuditMany(db: DbTx, actor: Actor | null, entries: AuditInput[]): Promise<void> {
  if (entries.length === 0) return;
  await db.auditEntry.createMany({ data: entries.map((e) => toRow(actor, e)) });
}
