import { text } from "../../../lib/text";
import { z } from "zod";
import { Prisma } from "../../../generated/prisma/client";
import type { DbTx } from "../../db/client";
import { visibleProductLines, type Actor } from "../access/actor";
import { notFound } from "../errors";

export const incidentFilterSchema = z.object({
  productLineId: z.number().int().positive().nullable().default(null),
  importance: z.number().int().min(1, "refusals.fields.importanceStars").max(5, "refusals.fields.importanceStars").nullable().default(null),
  state: z.enum(["open", "closed", "all"]).default("all"),
  /** opened within the last N days (open incidents always show under "open" and "all") */
  days: z.number().int().min(1, "refusals.fields.days1to365").max(365, "refusals.fields.days1to365").default(30),
  page: z.number().int().min(1).max(10_000).default(1),
  pageSize: z.number().int().min(1).max(200, "refusals.fields.pageRows").default(50),
});
export type IncidentFilter = z.infer<typeof incidentFilterSchema>;

/**
 * Which incidents a filter and an actor see: a BUSINESS user only those touching their product
 * lines (and only their services on them). The conditions are on the incident's services.
 */
function where(actor: Actor, f: IncidentFilter, now: Date): { sql: Prisma.Sql; lines: number[] | null } {
  const visible = visibleProductLines(actor);
  const lines = f.productLineId ? (visible && !visible.includes(f.productLineId) ? [] : [f.productLineId]) : visible;
  const from = new Date(now.getTime() - f.days * 86_400_000);
  const parts: Prisma.Sql[] = [];
  if (lines)
    parts.push(
      Prisma.sql`EXISTS (SELECT 1 FROM "IncidentService" x JOIN "Service" s ON s."id" = x."serviceId" WHERE x."incidentId" = i."id" AND s."productLineId" IN (${lines.length ? Prisma.join(lines) : Prisma.sql`NULL`}))`,
    );
  if (f.importance) parts.push(Prisma.sql`i."importance" = ${f.importance}`);
  if (f.state === "open") parts.push(Prisma.sql`i."closedAt" IS NULL`);
  else if (f.state === "closed") parts.push(Prisma.sql`i."closedAt" IS NOT NULL AND i."openedAt" >= ${from}`);
  else parts.push(Prisma.sql`(i."closedAt" IS NULL OR i."openedAt" >= ${from})`);
  return { sql: Prisma.join(parts, " AND "), lines };
}

type Row = {
  id: number;
  openedAt: Date;
  closedAt: Date | null;
  importance: number;
  host: string | null;
  acknowledgedAt: Date | null;
  escalatedAt: Date | null;
  opened: { code: string; params: Record<string, unknown> } | null;
  services: { id: number; name: string; line: string; lineId: number }[];
};

export async function listIncidents(db: DbTx, actor: Actor, f: IncidentFilter, now = new Date()) {
  const { sql, lines } = where(actor, f, now);
  const [rows, [count]] = await Promise.all([
    db.$queryRaw<Row[]>`
      SELECT i."id", i."openedAt", i."closedAt", i."importance", h."ip" AS "host", i."acknowledgedAt", i."escalatedAt",
             (SELECT jsonb_build_object('code', e."code", 'params', e."params") FROM "IncidentEvent" e
               WHERE e."incidentId" = i."id" AND e."kind" IN ('opened', 'host_opened') ORDER BY e."id" LIMIT 1) AS "opened",
             coalesce((SELECT jsonb_agg(jsonb_build_object('id', s."id", 'name', s."name", 'line', pl."code", 'lineId', pl."id") ORDER BY s."name")
               FROM "IncidentService" x JOIN "Service" s ON s."id" = x."serviceId" JOIN "ProductLine" pl ON pl."id" = s."productLineId"
               WHERE x."incidentId" = i."id"), '[]'::jsonb) AS "services"
      FROM "Incident" i LEFT JOIN "Host" h ON h."id" = i."hostId"
      WHERE ${sql}
      ORDER BY (i."closedAt" IS NULL) DESC, i."openedAt" DESC
      LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`,
    db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "Incident" i WHERE ${sql}`,
  ]);
  // a host incident shows a BUSINESS user only their own services on that host
  const scoped = lines && visibleProductLines(actor) ? rows.map((r) => ({ ...r, services: r.services.filter((s) => lines.includes(s.lineId)) })) : rows;
  return { rows: scoped, total: count?.n ?? 0 };
}

/**
 * Time to recover per product line: incidents resolved in the period (opened within it), the mean
 * and longest time from opened to resolved, and how many are still open. A host incident counts for
 * every line it touched.
 */
export async function timeToRecover(db: DbTx, actor: Actor, f: Pick<IncidentFilter, "days" | "importance" | "productLineId">, now = new Date()) {
  const { sql } = where(actor, { ...f, state: "all", page: 1, pageSize: 1 }, now);
  const visible = visibleProductLines(actor);
  const scope = visible ? Prisma.sql`AND pl."id" IN (${visible.length ? Prisma.join(visible) : Prisma.sql`NULL`})` : Prisma.empty;
  return db.$queryRaw<
    { productLineId: number; code: string; importance: number; incidents: number; open: number; meanSec: number | null; maxSec: number | null }[]
  >`
    SELECT pl."id" AS "productLineId", pl."code", pl."importance",
           count(DISTINCT i."id")::int AS "incidents",
           (count(DISTINCT i."id") FILTER (WHERE i."closedAt" IS NULL))::int AS "open",
           avg(extract(epoch FROM i."closedAt" - i."openedAt"))::float8 AS "meanSec",
           max(extract(epoch FROM i."closedAt" - i."openedAt"))::float8 AS "maxSec"
    FROM "Incident" i
    JOIN "IncidentService" x ON x."incidentId" = i."id"
    JOIN "Service" s ON s."id" = x."serviceId"
    JOIN "ProductLine" pl ON pl."id" = s."productLineId"
    WHERE ${sql} ${scope} ${f.productLineId ? Prisma.sql`AND pl."id" = ${f.productLineId}` : Prisma.empty}
    GROUP BY pl."id", pl."code", pl."importance"
    ORDER BY "meanSec" DESC NULLS LAST, pl."code"`;
}

/** One incident with its timeline and services; a BUSINESS user sees it only when it touches their lines. */
export async function incidentDetail(db: DbTx, actor: Actor, id: number) {
  const i = await db.incident.findUnique({
    where: { id },
    select: {
      id: true,
      openedAt: true,
      closedAt: true,
      importance: true,
      reasons: true,
      acknowledgedAt: true,
      ackNote: true,
      acknowledgedBy: { select: { username: true } },
      silencedUntil: true,
      escalatedAt: true,
      notifiedAt: true,
      notifyError: true,
      host: { select: { id: true, ip: true, hostname: true } },
      services: { select: { service: { select: { id: true, name: true, productLine: { select: { id: true, code: true, importance: true } } } } } },
      events: { orderBy: [{ at: "asc" }, { id: "asc" }], select: { id: true, at: true, kind: true, code: true, params: true, jobId: true } },
    },
  });
  const visible = visibleProductLines(actor);
  const services = (i?.services ?? []).map((x) => x.service).filter((s) => !visible || visible.includes(s.productLine.id));
  if (!i || (visible && services.length === 0)) throw notFound(text("refusals.notFound.incident", { id }));
  return { ...i, services, notifyError: visible ? null : i.notifyError, reasons: i.closedAt ? [] : i.reasons };
}
