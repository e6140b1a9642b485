import { text } from "../../../lib/text";
import type { DbTx } from "../../db/client";
import type { Actor } from "../access/actor";
import { recordAuditMany } from "../audit/record";
import { badInput } from "../errors";
import { selectHostIds } from "./hosts";
import type { HostBatchInput } from "./schemas";
import { transactional } from "../../db/transaction";

type Changed = { id: number; ip: string; before: unknown; after: unknown };

/**
 * Applies one change to a whole selection in a single statement, so it is all or nothing and
 * takes the same time for 10 hosts or 10,000. Every host gets its own audit entry (before → after).
 * Call inside a transaction.
 */
export const batchUpdateHosts = transactional(
  async function batchUpdateHosts(db: DbTx, actor: Actor, input: HostBatchInput): Promise<{ matched: number; changed: number }> {
    const ids = "ids" in input.target ? [...new Set(input.target.ids)] : await selectHostIds(db, input.target.filter);
    if (ids.length === 0) throw badInput(text("refusals.hosts.emptySelection"));
    if ("ids" in input.target) {
      const found = await db.host.count({ where: { id: { in: ids } } });
      if (found !== ids.length) throw badInput(text("refusals.hosts.selectionGone", { n: ids.length - found }));
    }
    const c = input.change;
    let rows: Changed[];
    let what: string;
    if (c.action === "setStatus") {
      what = `status → ${c.status}`;
      rows = await db.$queryRaw<Changed[]>`
      WITH old AS (SELECT "id", "status" FROM "Host" WHERE "id" = ANY(${ids}) AND "status" <> ${c.status}::"HostStatus" FOR UPDATE)
      UPDATE "Host" h SET "status" = ${c.status}::"HostStatus", "updatedAt" = now() FROM old WHERE h."id" = old."id"
      RETURNING h."id", h."ip", to_jsonb(old."status") AS before, to_jsonb(h."status") AS after`;
    } else if (c.action === "setLabel") {
      what = `label ${c.key}=${c.value}`;
      rows = await db.$queryRaw<Changed[]>`
      WITH old AS (SELECT "id", "labels" FROM "Host" WHERE "id" = ANY(${ids}) AND NOT ("labels" @> ${JSON.stringify({ [c.key]: c.value })}::jsonb) FOR UPDATE)
      UPDATE "Host" h SET "labels" = h."labels" || jsonb_build_object(${c.key}::text, ${c.value}::text), "updatedAt" = now()
      FROM old WHERE h."id" = old."id"
      RETURNING h."id", h."ip", old."labels" AS before, h."labels" AS after`;
    } else {
      what = `label ${c.key} removed`;
      rows = await db.$queryRaw<Changed[]>`
      WITH old AS (SELECT "id", "labels" FROM "Host" WHERE "id" = ANY(${ids}) AND "labels" ? ${c.key} FOR UPDATE)
      UPDATE "Host" h SET "labels" = h."labels" - ${c.key}::text, "updatedAt" = now() FROM old WHERE h."id" = old."id"
      RETURNING h."id", h."ip", old."labels" AS before, h."labels" AS after`;
    }
    await recordAuditMany(
      db,
      actor,
      rows.map((r) => ({
        action: `host.batch.${c.action}`,
        entityType: "Host",
        entityId: r.id,
        summary: `${r.ip}: ${what} (batch of ${ids.length})`,
        before: r.before,
        after: r.after,
      })),
    );
    return { matched: ids.length, changed: rows.length };
  },
  { timeout: 60_000 },
);
