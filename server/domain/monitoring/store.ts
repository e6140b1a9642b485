import type { DbTx } from "../../db/client";
import type { SlowlogRow } from "./poll";
import { ensurePartitionsFor } from "./partitions";
import type { Cursor, SampleRow } from "./sample";

/**
 * The collector's writes, one statement per table per tick: the rows travel as one JSON parameter
 * and jsonb_to_recordset turns them into a multi-row INSERT inside PostgreSQL (no per-row round
 * trip, no parameter-count limit, one plan). Columns Prisma maps as timestamp without time zone
 * hold UTC, hence the AT TIME ZONE 'UTC' where a timestamptz goes into one.
 */

const SAMPLE_COLUMNS: [keyof SampleRow, string][] = [
  ["instanceId", "int"],
  ["serviceId", "int"],
  ["at", "timestamptz"],
  ["up", "boolean"],
  ["opsPerSec", "float8"],
  ["readsPerSec", "float8"],
  ["writesPerSec", "float8"],
  ["hitsPerSec", "float8"],
  ["missesPerSec", "float8"],
  ["evictionsPerSec", "float8"],
  ["rejectedPerSec", "float8"],
  ["expiredPerSec", "float8"],
  ["netInKbps", "float8"],
  ["netOutKbps", "float8"],
  ["usedMemoryMb", "float8"],
  ["maxmemoryMb", "float8"],
  ["clients", "int"],
  ["blockedClients", "int"],
  ["keys", "bigint"],
  ["latencyP50Us", "float8"],
  ["latencyP99Us", "float8"],
  ["latencyP999Us", "float8"],
  ["replLinkUp", "boolean"],
  ["replLagSec", "float8"],
  ["proxyEjected", "int"],
  ["proxyTimeouts", "int"],
  ["commands", "jsonb"],
  ["latencyHistogram", "jsonb"],
  ["extra", "jsonb"],
];
const q = (c: string) => `"${c}"`;
const SAMPLE_SQL = `INSERT INTO "MetricSample" (${SAMPLE_COLUMNS.map(([c]) => q(c)).join(", ")})
  SELECT ${SAMPLE_COLUMNS.map(([c]) => q(c)).join(", ")} FROM jsonb_to_recordset($1::jsonb) AS x(${SAMPLE_COLUMNS.map(([c, t]) => `${q(c)} ${t}`).join(", ")})
  ON CONFLICT ("instanceId", "at") DO NOTHING`;

export async function insertSamples(db: DbTx, rows: SampleRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  await ensurePartitionsFor(
    db,
    rows.map((r) => r.at),
  );
  return db.$executeRawUnsafe(SAMPLE_SQL, JSON.stringify(rows));
}

export async function insertSlowlog(db: DbTx, rows: SlowlogRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  return db.$executeRawUnsafe(
    `INSERT INTO "SlowlogEntry" ("instanceId", "serviceId", "slowlogId", "at", "durationUs", "command", "args", "clientAddr", "clientName")
     SELECT x."instanceId", x."serviceId", x."slowlogId", x."at" AT TIME ZONE 'UTC', x."durationUs", x."command", ARRAY(SELECT jsonb_array_elements_text(x."args")), x."clientAddr", x."clientName"
     FROM jsonb_to_recordset($1::jsonb) AS x("instanceId" int, "serviceId" int, "slowlogId" bigint, "at" timestamptz, "durationUs" int, "command" text, "args" jsonb, "clientAddr" text, "clientName" text)
     ON CONFLICT ("instanceId", "slowlogId", "at") DO NOTHING`,
    JSON.stringify(rows),
  );
}

/** CLIENT LIST of this tick replaces the previous one of the same instances. */
export async function replaceClientSources(
  db: DbTx,
  at: Date,
  byInstance: { instanceId: number; serviceId: number; clients: Map<string, number> }[],
): Promise<void> {
  if (byInstance.length === 0) return;
  const rows = byInstance.flatMap((i) =>
    [...i.clients].map(([clientIp, connections]) => ({ instanceId: i.instanceId, serviceId: i.serviceId, clientIp, connections })),
  );
  await db.$executeRawUnsafe(
    `WITH fresh AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x("instanceId" int, "serviceId" int, "clientIp" text, "connections" int)),
     gone AS (DELETE FROM "ClientSource" c WHERE c."instanceId" = ANY($2::int[]) AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f."instanceId" = c."instanceId" AND f."clientIp" = c."clientIp"))
     INSERT INTO "ClientSource" ("instanceId", "serviceId", "clientIp", "connections", "updatedAt")
     SELECT "instanceId", "serviceId", "clientIp", "connections", $3::timestamptz AT TIME ZONE 'UTC' FROM fresh
     ON CONFLICT ("instanceId", "clientIp") DO UPDATE SET "connections" = excluded."connections", "updatedAt" = excluded."updatedAt", "serviceId" = excluded."serviceId"`,
    JSON.stringify(rows),
    byInstance.map((i) => i.instanceId),
    at.toISOString(),
  );
}

export async function saveCursors(db: DbTx, cursors: Map<number, Cursor>, at: Date): Promise<void> {
  if (cursors.size === 0) return;
  const rows = [...cursors].map(([instanceId, cursor]) => ({ instanceId, cursor }));
  // an instance deleted meanwhile has no row to point at: skip it rather than fail the batch
  await db.$executeRawUnsafe(
    `INSERT INTO "CollectorCursor" ("instanceId", "cursor", "updatedAt")
     SELECT x."instanceId", x."cursor", $2::timestamptz AT TIME ZONE 'UTC' FROM jsonb_to_recordset($1::jsonb) AS x("instanceId" int, "cursor" jsonb)
     WHERE EXISTS (SELECT 1 FROM "Instance" i WHERE i."id" = x."instanceId")
     ON CONFLICT ("instanceId") DO UPDATE SET "cursor" = excluded."cursor", "updatedAt" = excluded."updatedAt"`,
    JSON.stringify(rows),
    at.toISOString(),
  );
}

export async function loadCursors(db: DbTx, instanceIds: number[]): Promise<Map<number, Cursor>> {
  if (instanceIds.length === 0) return new Map();
  const rows = await db.collectorCursor.findMany({ where: { instanceId: { in: instanceIds } } });
  return new Map(rows.map((r) => [r.instanceId, r.cursor as unknown as Cursor]));
}
