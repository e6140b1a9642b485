-- Raw samples partitioned by day (UTC), so that retention drops a day's table instead of deleting
-- its rows one by one. Prisma's schema cannot say "partitioned": the parent keeps the very columns,
-- key and indexes the schema describes; the day tables live in their own schema ("hedwig_parts"),
-- made here for the days that hold rows and the next few, and then ahead of time by the worker
-- (server/domain/monitoring/partitions.ts). Existing rows are copied over.
CREATE SCHEMA IF NOT EXISTS "hedwig_parts";

ALTER TABLE "MetricSample" RENAME TO "MetricSample_unpartitioned";
ALTER INDEX "MetricSample_pkey" RENAME TO "MetricSample_unpartitioned_pkey";
ALTER INDEX "MetricSample_serviceId_at_idx" RENAME TO "MetricSample_unpartitioned_serviceId_at_idx";
ALTER INDEX "MetricSample_at_idx" RENAME TO "MetricSample_unpartitioned_at_idx";

CREATE TABLE "MetricSample" (LIKE "MetricSample_unpartitioned" INCLUDING DEFAULTS) PARTITION BY RANGE ("at");
ALTER TABLE "MetricSample" ADD CONSTRAINT "MetricSample_pkey" PRIMARY KEY ("instanceId", "at");
CREATE INDEX "MetricSample_serviceId_at_idx" ON "MetricSample"("serviceId", "at");
CREATE INDEX "MetricSample_at_idx" ON "MetricSample"("at");

DO $$
DECLARE d date;
BEGIN
  FOR d IN
    SELECT DISTINCT ("at" AT TIME ZONE 'UTC')::date FROM "MetricSample_unpartitioned"
    UNION
    SELECT generate_series((now() AT TIME ZONE 'UTC')::date - 1, (now() AT TIME ZONE 'UTC')::date + 3, interval '1 day')::date
  LOOP
    EXECUTE format('CREATE TABLE IF NOT EXISTS "hedwig_parts".%I PARTITION OF "MetricSample" FOR VALUES FROM (%L) TO (%L)',
                   'MetricSample_' || to_char(d, 'YYYYMMDD'), d::timestamp AT TIME ZONE 'UTC', (d + 1)::timestamp AT TIME ZONE 'UTC');
  END LOOP;
END $$;

INSERT INTO "MetricSample" SELECT * FROM "MetricSample_unpartitioned";
DROP TABLE "MetricSample_unpartitioned";
