import type { DbTx } from "../../db/client";
import type { Actor } from "../access/actor";
import type { Prisma } from "../../../generated/prisma/client";
import { text, type Text } from "../../../lib/text";
import { english } from "../../../i18n/load";

export type AuditInput = {
  action: string;
  entityType: string;
  entityId?: string | number | null;
  /** what happened, for a person: rendered in the reader's language on the audit page, its English kept in summary for search and CSV */
  text: Text;
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
  summary: english(entry.text),
  text: json(entry.text),
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

/** "automatic: …", for what Hedwig did by itself rather than for a person. */
export const automaticText = (automatic: boolean, t: Text): Text => (automatic ? text("auditLog.automatic", { what: t }) : t);
