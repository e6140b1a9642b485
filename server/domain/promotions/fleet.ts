import { text } from "../../../lib/text";
import type { ServiceKind } from "../../../generated/prisma/enums";
import type { DbTx } from "../../db/client";
import { visibleProductLines, type Actor } from "../access/actor";
import { notFound } from "../errors";
import type { Footprint } from "./capacity";

export type ServiceFootprint = Footprint & { id: number; name: string; productLineId: number; productLine: string; createdAt: Date };

/** The services an actor may see (BUSINESS: their product lines), with what each runs today. */
export async function servicesInScope(db: DbTx, actor: Actor, serviceId?: number): Promise<ServiceFootprint[]> {
  const lines = visibleProductLines(actor);
  const rows = await db.$queryRawUnsafe<ServiceFootprint[]>(
    `SELECT s.id, s.name, s.kind::text AS kind, s."productLineId", pl.code AS "productLine", s."createdAt",
            count(i.id) FILTER (WHERE i.role IN ('MASTER', 'CACHE'))::int AS shards,
            count(i.id) FILTER (WHERE i.role = 'PROXY')::int AS proxies,
            coalesce(sum(i."maxmemoryMb") FILTER (WHERE i.role IN ('MASTER', 'CACHE')), 0)::float8 AS "maxmemoryMb"
     FROM "Service" s JOIN "ProductLine" pl ON pl.id = s."productLineId" LEFT JOIN "Instance" i ON i."serviceId" = s.id
     WHERE s.status <> 'DECOMMISSIONED' AND ($1::int[] IS NULL OR s."productLineId" = ANY($1::int[])) AND ($2::int IS NULL OR s.id = $2::int)
     GROUP BY s.id, pl.code ORDER BY s.name`,
    lines,
    serviceId ?? null,
  );
  return rows.map((r) => ({ ...r, kind: r.kind as ServiceKind }));
}

export async function serviceInScope(db: DbTx, actor: Actor, serviceId: number): Promise<ServiceFootprint> {
  const [s] = await servicesInScope(db, actor, serviceId);
  if (!s) throw notFound(text("refusals.notFound.serviceOfYours", { id: serviceId }));
  return s;
}
