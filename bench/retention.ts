/**
 * Raw-sample retention: dropping one day's table (what Hedwig does, `dropSamplePartitionsBefore`)
 * against deleting the same rows (what it did before the samples were partitioned by day), for
 * 30,000 instances in a throwaway embedded PostgreSQL. A day at the 10 s interval is 259 million
 * rows, more than this machine holds in a bench's time: the day here is sampled every
 * RETENTION_BENCH_STEP_SEC seconds (default 1800: 48 ticks, 1.44 million rows); the delete grows
 * with the rows, the drop does not. Prints JSON lines only.
 *   npx tsx bench/run.ts retention
 */
import { createDb } from "../server/db/client";
import { migrate } from "../server/db/migrate";
import { dropSamplePartitionsBefore, ensureSamplePartitions } from "../server/domain/monitoring/partitions";
import { withScratchDatabase } from "../scripts/scratch-db";
import { emit, time } from "./lib";

export const name = "retention";
const INSTANCES = 30_000;
const STEP_SEC = Number(process.env.RETENTION_BENCH_STEP_SEC ?? 1800);
const DAY = new Date("2026-01-01T00:00:00Z");
const NEXT = new Date(DAY.getTime() + 86_400_000);

export async function run() {
  await withScratchDatabase(async (url) => {
    await migrate(url);
    const db = createDb(url, 2);
    try {
      await ensureSamplePartitions(db, DAY, NEXT);
      const fill = () =>
        db.$executeRawUnsafe(
          `INSERT INTO "MetricSample" ("instanceId", "serviceId", "at", "up", "opsPerSec", "usedMemoryMb", "clients")
           SELECT i, i / 10, t, true, i % 1000, 512, 20
           FROM generate_series(1, ${INSTANCES}) i, generate_series($1::timestamptz, $2::timestamptz - interval '1 second', make_interval(secs => ${STEP_SEC})) t`,
          DAY.toISOString(),
          NEXT.toISOString(),
        );
      const rows = await fill();
      await db.$executeRawUnsafe(`ANALYZE "MetricSample"`);
      const deleteMs = await time(() => db.$executeRawUnsafe(`DELETE FROM "MetricSample" WHERE "at" < $1::timestamptz`, NEXT.toISOString()));
      await fill();
      await db.$executeRawUnsafe(`ANALYZE "MetricSample"`);
      let dropped: string[] = [];
      const dropMs = await time(async () => (dropped = await dropSamplePartitionsBefore(db, NEXT)));
      emit({
        name: "retention.raw_day",
        instances: INSTANCES,
        step_sec: STEP_SEC,
        rows,
        rows_per_day_at_10s: INSTANCES * 8640,
        delete_rows_ms: Math.round(deleteMs),
        drop_partition_ms: Math.round(dropMs * 1000) / 1000,
        ratio: Math.round(deleteMs / dropMs),
        dropped,
      });
    } finally {
      await db.$disconnect();
    }
  });
}
