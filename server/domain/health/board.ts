import { Prisma } from "../../../generated/prisma/client";
import type { HealthLevel } from "../../../generated/prisma/enums";
import type { DbTx } from "../../db/client";
import { visibleProductLines, type Actor } from "../access/actor";
import { availabilityByLine, type Availability } from "./availability";
import { countLevels, groupTiles, isSilenced, parseReasons, type BoardGroup, type BoardTile, type LevelCounts } from "./board-order";

/**
 * The NOC board: every online service with its health, its open incident (who acknowledged it, until
 * when it is silenced), grouped by product line; totals; host health per IDC. Two queries, so 3,000
 * services answer in milliseconds. A BUSINESS user sees only their product lines (and no hosts).
 */

type TileRow = {
  serviceId: number;
  name: string;
  kind: string;
  productLineId: number;
  plCode: string;
  plName: string;
  importance: number;
  level: HealthLevel | null;
  reasons: unknown;
  since: Date | null;
  incidentId: number | null;
  openedAt: Date | null;
  incidentHost: string | null;
  acknowledgedAt: Date | null;
  ackBy: string | null;
  ackNote: string | null;
  silencedUntil: Date | null;
};

export type IdcHostHealth = { idcId: number; code: string; hosts: number; schedulable: number; online: number; crashed: number; unprobed: number };

/** Only a name for the healthy and the unmonitored: thousands of them travel every 5 s, so they carry no more. */
export type ServiceChip = { serviceId: number; name: string };
export type BoardLine = Pick<BoardGroup, "productLine" | "worst"> & { problems: BoardTile[]; healthy: ServiceChip[]; availability: Availability | null };

export type Board = {
  generatedAt: Date;
  counts: LevelCounts;
  openIncidents: number;
  unacknowledged: number;
  silenced: number;
  /** product lines with at least one monitored service, worst first: red and amber tiles, then green chips */
  groups: BoardLine[];
  /** services with no verdict yet (not polled, or catalogued only), by product line */
  notMonitored: { productLine: BoardGroup["productLine"]; services: ServiceChip[] }[];
  /** null for BUSINESS users: hosts are fleet-wide */
  hostHealth: IdcHostHealth[] | null;
};

const chip = (t: BoardTile): ServiceChip => ({ serviceId: t.serviceId, name: t.name });

export async function loadBoard(db: DbTx, actor: Actor, now = new Date()): Promise<Board> {
  const visible = visibleProductLines(actor);
  const scope = visible ? Prisma.sql`AND s."productLineId" IN (${visible.length ? Prisma.join(visible) : Prisma.sql`NULL`})` : Prisma.empty;
  const [rows, hostHealth, jobs] = await Promise.all([
    db.$queryRaw<TileRow[]>`
      SELECT s."id" AS "serviceId", s."name", s."kind"::text AS "kind",
             pl."id" AS "productLineId", pl."code" AS "plCode", pl."name" AS "plName", pl."importance",
             sh."level", sh."reasons", sh."since",
             i."id" AS "incidentId", i."openedAt", ih."ip" AS "incidentHost", i."acknowledgedAt", u."username" AS "ackBy", i."ackNote", i."silencedUntil"
      FROM "Service" s
      JOIN "ProductLine" pl ON pl."id" = s."productLineId"
      LEFT JOIN "ServiceHealth" sh ON sh."serviceId" = s."id"
      LEFT JOIN "Incident" i ON i."id" = sh."incidentId" AND i."closedAt" IS NULL
      LEFT JOIN "Host" ih ON ih."id" = i."hostId"
      LEFT JOIN "User" u ON u."id" = i."acknowledgedById"
      WHERE s."status" = 'ONLINE' ${scope}`,
    visible ? Promise.resolve(null) : loadHostHealth(db),
    db.job.findMany({
      where: { automatic: true, status: { in: ["QUEUED", "RUNNING"] }, serviceId: { not: null } },
      select: { serviceId: true, kind: true, createdAt: true, startedAt: true },
    }),
  ]);
  const availability = await availabilityByLine(db, [...new Set(rows.map((r) => r.productLineId))], now);
  const monitored: { productLine: BoardGroup["productLine"]; tile: BoardTile }[] = [];
  const unknown: typeof monitored = [];
  for (const r of rows) {
    const level: HealthLevel = r.level ?? "UNKNOWN";
    const tile: BoardTile = {
      serviceId: r.serviceId,
      name: r.name,
      kind: r.kind,
      level,
      reasons: parseReasons(r.reasons),
      since: r.openedAt ?? r.since,
      actions: jobs.filter((j) => j.serviceId === r.serviceId).map((j) => ({ kind: j.kind, since: j.startedAt ?? j.createdAt })),
      incident:
        r.incidentId === null
          ? null
          : {
              id: r.incidentId,
              openedAt: r.openedAt!,
              host: r.incidentHost,
              acknowledgedAt: r.acknowledgedAt,
              acknowledgedBy: r.ackBy,
              ackNote: r.ackNote,
              silencedUntil: r.silencedUntil,
            },
    };
    (level === "UNKNOWN" ? unknown : monitored).push({ productLine: { id: r.productLineId, code: r.plCode, name: r.plName, importance: r.importance }, tile });
  }
  // a host incident is shared by its services: counted once
  const incidents = [...new Map(rows.filter((r) => r.incidentId !== null).map((r) => [r.incidentId, r])).values()];
  return {
    generatedAt: now,
    counts: countLevels(rows.map((r) => ({ level: r.level ?? "UNKNOWN" }))),
    openIncidents: incidents.length,
    unacknowledged: incidents.filter((r) => r.acknowledgedAt === null).length,
    silenced: incidents.filter((r) => isSilenced(r.silencedUntil, now)).length,
    groups: groupTiles(monitored).map((g) => ({
      productLine: g.productLine,
      worst: g.worst,
      problems: g.tiles.filter((t) => t.level === "RED" || t.level === "AMBER"),
      healthy: g.tiles.filter((t) => t.level === "GREEN").map(chip),
      availability: availability.get(g.productLine.id) ?? null,
    })),
    notMonitored: groupTiles(unknown).map((g) => ({ productLine: g.productLine, services: g.tiles.map(chip) })),
    hostHealth,
  };
}

/**
 * Per IDC, from the host probe: online = answered the last probe, crashed = did not, schedulable =
 * in service (status ONLINE) and not crashed. Hosts never probed are counted apart.
 */
export async function loadHostHealth(db: DbTx): Promise<IdcHostHealth[]> {
  return db.$queryRaw<IdcHostHealth[]>`
    SELECT d."id" AS "idcId", d."code",
           count(h."id")::int AS "hosts",
           (count(h."id") FILTER (WHERE h."status" = 'ONLINE' AND p."reachable" IS DISTINCT FROM false))::int AS "schedulable",
           (count(h."id") FILTER (WHERE p."reachable"))::int AS "online",
           (count(h."id") FILTER (WHERE p."reachable" = false))::int AS "crashed",
           (count(h."id") FILTER (WHERE p."hostId" IS NULL))::int AS "unprobed"
    FROM "Idc" d
    JOIN "Rack" r ON r."idcId" = d."id"
    JOIN "Host" h ON h."rackId" = r."id"
    LEFT JOIN "HostProbe" p ON p."hostId" = h."id"
    GROUP BY d."id", d."code"
    ORDER BY d."code"`;
}
