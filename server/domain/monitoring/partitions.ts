import type { DbTx } from "../../db/client";

/**
 * Raw samples (`MetricSample`) are partitioned by UTC day (see the migration
 * `20261203160000_partition_metric_sample`): one table per day in the `hedwig_parts` schema, named
 * `MetricSample_YYYYMMDD`. The leader makes them ahead of time; a write for a day without one
 * (a clock far off, a test's fixed date) makes its own first. Retention drops whole days.
 */
const DAY = 86_400_000;
export const PARTITION_SCHEMA = "hedwig_parts";
/** Days made ahead of today, so a stalled leader does not stop the writes at midnight. */
export const PARTITION_DAYS_AHEAD = 3;
// one lock for every process: two workers making the same day at once would collide in the catalog
const PARTITION_LOCK_KEY = 72_657_372;

const dayOf = (t: Date) => Math.floor(t.getTime() / DAY) * DAY;
export const partitionName = (day: number) => `MetricSample_${new Date(day).toISOString().slice(0, 10).replace(/-/g, "")}`;

// days this process knows exist (only days past retention are dropped, and nobody writes those)
const known = new Set<number>();

/** Makes the day tables for the UTC days from `from` to `to` (inclusive) that do not exist yet. */
export async function ensureSamplePartitions(db: DbTx, from: Date, to: Date): Promise<string[]> {
  const days: number[] = [];
  for (let d = dayOf(from); d <= dayOf(to); d += DAY) days.push(d);
  const made: string[] = [];
  const missing = days.filter((d) => !known.has(d));
  if (!missing.length) return made;
  const existing = new Set((await listSamplePartitions(db)).map((p) => p.day));
  for (const day of missing) {
    if (!existing.has(day)) {
      await db.$executeRawUnsafe(
        `DO $$ BEGIN
           PERFORM pg_advisory_xact_lock(${PARTITION_LOCK_KEY});
           EXECUTE format('CREATE TABLE IF NOT EXISTS %I.%I PARTITION OF "MetricSample" FOR VALUES FROM (%L) TO (%L)',
                          '${PARTITION_SCHEMA}', '${partitionName(day)}', '${new Date(day).toISOString()}', '${new Date(day + DAY).toISOString()}');
         END $$`,
      );
      made.push(partitionName(day));
    }
    known.add(day);
  }
  return made;
}

/** The days that exist, oldest first. */
export async function listSamplePartitions(db: DbTx): Promise<{ name: string; day: number }[]> {
  const rows = await db.$queryRaw<{ name: string }[]>`
    SELECT c.relname AS name FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE i.inhparent = '"MetricSample"'::regclass AND n.nspname = ${PARTITION_SCHEMA}`;
  return rows
    .map((r) => {
      const m = /^MetricSample_(\d{4})(\d{2})(\d{2})$/.exec(r.name);
      return m ? { name: r.name, day: Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) } : null;
    })
    .filter((p): p is { name: string; day: number } => p !== null)
    .sort((a, b) => a.day - b.day);
}

/**
 * Drops the days that end at or before `before`: a whole table at a time, never a row at a time.
 * A day still partly inside the window waits until all of it is older.
 */
export async function dropSamplePartitionsBefore(db: DbTx, before: Date): Promise<string[]> {
  const dropped: string[] = [];
  for (const p of await listSamplePartitions(db)) {
    if (p.day + DAY > before.getTime()) break;
    await db.$executeRawUnsafe(`DROP TABLE IF EXISTS "${PARTITION_SCHEMA}"."${p.name}"`);
    known.delete(p.day);
    dropped.push(p.name);
  }
  return dropped;
}

/** Before writing samples: the days they fall on exist. Cheap when they do (an in-process set). */
export async function ensurePartitionsFor(db: DbTx, at: Date[]): Promise<void> {
  if (!at.length) return;
  let lo = at[0]!.getTime();
  let hi = lo;
  for (const t of at) {
    const ms = t.getTime();
    if (ms < lo) lo = ms;
    if (ms > hi) hi = ms;
  }
  await ensureSamplePartitions(db, new Date(lo), new Date(hi));
}
