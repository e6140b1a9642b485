import type { DbTx } from "../../db/client";

/**
 * Per-service rollups, recomputed from their source for whole buckets and upserted, so running one
 * twice (or two leaders at once) gives the same rows. Service figures (the schema's contract):
 * QPS, reads/writes, hits/misses, evictions, rejected, memory, commands and latency summed over the
 * data instances (masters and Memcached caches: a replica replays its master's writes, counting it
 * would count them twice); clients at the entry tier (the proxies when the service has any, else the
 * data instances). Samples are grouped by their poll time first (every worker stamps a tick with
 * the same aligned time), so opsMax is the busiest tick of the service, not a sum of maxima.
 * hits, misses, evictions and rejected are totals over the bucket: Σ rate × poll interval.
 * Demo rows (isDemo) are never overwritten.
 */

/**
 * CTEs that add up a JSON column per (service, bucket) of the rows of `src` (filtered by `where`):
 * commands ({cmd: {calls, usec}}) as <name>_cmd, latency histograms ({bound: count}) as <name>_hist.
 */
const MERGED = (src: string, bucket: string, where: string) => `
     cmd_each AS (
       SELECT "serviceId", ${bucket} AS b, e.key AS k, sum((e.value->>'calls')::float8) AS calls, sum((e.value->>'usec')::float8) AS usec
       FROM ${src}, jsonb_each("commands") e WHERE ${where} AND "commands" IS NOT NULL GROUP BY 1, 2, 3),
     cmd AS (SELECT "serviceId", b, jsonb_object_agg(k, jsonb_build_object('calls', calls, 'usec', usec)) AS v FROM cmd_each GROUP BY 1, 2),
     hist_each AS (
       SELECT "serviceId", ${bucket} AS b, e.key AS k, sum(e.value::text::float8) AS n
       FROM ${src}, jsonb_each("latencyHistogram") e WHERE ${where} AND "latencyHistogram" IS NOT NULL GROUP BY 1, 2, 3),
     hist AS (SELECT "serviceId", b, jsonb_object_agg(k, n) AS v FROM hist_each GROUP BY 1, 2)`;

const UPDATE_ALL = `
       "samples" = excluded."samples", "opsAvg" = excluded."opsAvg", "opsMax" = excluded."opsMax", "readsAvg" = excluded."readsAvg", "writesAvg" = excluded."writesAvg",
       "hits" = excluded."hits", "misses" = excluded."misses", "evictions" = excluded."evictions", "rejected" = excluded."rejected",
       "usedMemoryMbMax" = excluded."usedMemoryMbMax", "maxmemoryMb" = excluded."maxmemoryMb", "clientsMax" = excluded."clientsMax",
       "latencyP99UsMax" = excluded."latencyP99UsMax", "commands" = excluded."commands", "latencyHistogram" = excluded."latencyHistogram"`;

/** ServiceMinute for the minutes that start in [from, to). */
export async function rollupMinutes(db: DbTx, from: Date, to: Date, intervalSec: number): Promise<number> {
  return db.$executeRawUnsafe(
    `WITH proxied AS (SELECT DISTINCT "serviceId" FROM "Instance" WHERE "role" = 'PROXY'),
     s AS (
       SELECT m.*, date_trunc('minute', m."at") AS bucket,
              i."role" IN ('MASTER', 'CACHE') AS data,
              CASE WHEN p."serviceId" IS NULL THEN i."role" IN ('MASTER', 'CACHE') ELSE i."role" = 'PROXY' END AS entry
       FROM "MetricSample" m
       JOIN "Instance" i ON i."id" = m."instanceId"
       LEFT JOIN proxied p ON p."serviceId" = m."serviceId"
       WHERE m."at" >= $1::timestamptz AND m."at" < $2::timestamptz
     ),
     tick AS (
       SELECT "serviceId", bucket, "at",
              sum("opsPerSec") FILTER (WHERE data) AS ops,
              sum("readsPerSec") FILTER (WHERE data) AS reads,
              sum("writesPerSec") FILTER (WHERE data) AS writes,
              sum("hitsPerSec") FILTER (WHERE data) AS hits,
              sum("missesPerSec") FILTER (WHERE data) AS misses,
              sum("evictionsPerSec") FILTER (WHERE data) AS evictions,
              sum("rejectedPerSec") AS rejected,
              sum("usedMemoryMb") FILTER (WHERE data) AS mem,
              sum("maxmemoryMb") FILTER (WHERE data) AS maxmem,
              sum("clients") FILTER (WHERE entry) AS clients,
              max("latencyP99Us") FILTER (WHERE data) AS p99
       FROM s GROUP BY "serviceId", bucket, "at"
     ),
     agg AS (
       SELECT "serviceId", bucket, count(*)::int AS samples,
              coalesce(avg(ops), 0) AS "opsAvg", coalesce(max(ops), 0) AS "opsMax",
              coalesce(avg(reads), 0) AS "readsAvg", coalesce(avg(writes), 0) AS "writesAvg",
              coalesce(sum(hits), 0) * $3 AS hits, coalesce(sum(misses), 0) * $3 AS misses,
              coalesce(sum(evictions), 0) * $3 AS evictions, coalesce(sum(rejected), 0) * $3 AS rejected,
              coalesce(max(mem), 0) AS "usedMemoryMbMax", coalesce(max(maxmem), 0) AS "maxmemoryMb",
              coalesce(max(clients), 0)::int AS "clientsMax", max(p99) AS "latencyP99UsMax"
       FROM tick GROUP BY "serviceId", bucket
     ),${MERGED("s", "bucket", "data")}
     INSERT INTO "ServiceMinute" ("serviceId", "bucket", "samples", "opsAvg", "opsMax", "readsAvg", "writesAvg", "hits", "misses", "evictions", "rejected",
                                  "usedMemoryMbMax", "maxmemoryMb", "clientsMax", "latencyP99UsMax", "commands", "latencyHistogram", "isDemo")
     SELECT a.*, cmd.v, hist.v, false
     FROM agg a
     LEFT JOIN cmd ON cmd."serviceId" = a."serviceId" AND cmd.b = a.bucket
     LEFT JOIN hist ON hist."serviceId" = a."serviceId" AND hist.b = a.bucket
     ON CONFLICT ("serviceId", "bucket") DO UPDATE SET${UPDATE_ALL}
     WHERE NOT "ServiceMinute"."isDemo"`,
    from.toISOString(),
    to.toISOString(),
    intervalSec,
  );
}

/** ServiceHour for the hours that start in [from, to), from the collector's minutes. */
export async function rollupHours(db: DbTx, from: Date, to: Date): Promise<number> {
  return db.$executeRawUnsafe(
    `WITH m AS (
       SELECT *, date_trunc('hour', "bucket") AS hour FROM "ServiceMinute"
       WHERE "bucket" >= $1::timestamptz AND "bucket" < $2::timestamptz AND NOT "isDemo"
     ),
     agg AS (
       SELECT "serviceId", hour AS bucket, sum("samples")::int AS samples,
              sum("opsAvg" * "samples") / nullif(sum("samples"), 0) AS "opsAvg", max("opsMax") AS "opsMax",
              sum("readsAvg" * "samples") / nullif(sum("samples"), 0) AS "readsAvg", sum("writesAvg" * "samples") / nullif(sum("samples"), 0) AS "writesAvg",
              sum("hits") AS hits, sum("misses") AS misses, sum("evictions") AS evictions, sum("rejected") AS rejected,
              max("usedMemoryMbMax") AS "usedMemoryMbMax", max("maxmemoryMb") AS "maxmemoryMb", max("clientsMax") AS "clientsMax", max("latencyP99UsMax") AS "latencyP99UsMax"
       FROM m GROUP BY "serviceId", hour
     ),${MERGED("m", "hour", "true")}
     INSERT INTO "ServiceHour" ("serviceId", "bucket", "samples", "opsAvg", "opsMax", "readsAvg", "writesAvg", "hits", "misses", "evictions", "rejected",
                                "usedMemoryMbMax", "maxmemoryMb", "clientsMax", "latencyP99UsMax", "commands", "latencyHistogram", "isDemo")
     SELECT a."serviceId", a.bucket, a.samples, coalesce(a."opsAvg", 0), a."opsMax", coalesce(a."readsAvg", 0), coalesce(a."writesAvg", 0), a.hits, a.misses, a.evictions, a.rejected,
            a."usedMemoryMbMax", a."maxmemoryMb", a."clientsMax", a."latencyP99UsMax", cmd.v, hist.v, false
     FROM agg a
     LEFT JOIN cmd ON cmd."serviceId" = a."serviceId" AND cmd.b = a.bucket
     LEFT JOIN hist ON hist."serviceId" = a."serviceId" AND hist.b = a.bucket
     ON CONFLICT ("serviceId", "bucket") DO UPDATE SET${UPDATE_ALL}
     WHERE NOT "ServiceHour"."isDemo"`,
    from.toISOString(),
    to.toISOString(),
  );
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
const floorTo = (t: number, step: number) => Math.floor(t / step) * step;

/** The rollups a tick at `at` refreshes: this minute and the one before; this hour and the one before. */
export async function rollupRecent(db: DbTx, at: Date, intervalSec: number): Promise<void> {
  const minuteStart = floorTo(at.getTime() - intervalSec * 1000, MINUTE);
  await rollupMinutes(db, new Date(minuteStart), new Date(floorTo(at.getTime(), MINUTE) + MINUTE), intervalSec);
  const hourStart = floorTo(minuteStart, HOUR);
  await rollupHours(db, new Date(hourStart), new Date(floorTo(at.getTime(), HOUR) + HOUR));
}
