import type { PromotionKind } from "../../../generated/prisma/enums";
import { DEFAULT_SIZING_SETTINGS } from "../../domain/provisioning/sizing-settings";
import type { DbTx } from "../client";

/**
 * Demo monitoring history, labelled isDemo: two years of ServiceHour rows for every demo service
 * (ending at the current hour), the last two days of ServiceMinute rows, and the promotions that
 * shaped them. Generated set-based in PostgreSQL (INSERT … SELECT over generate_series): millions
 * of rows in seconds, where row-by-row inserts from Node would take minutes.
 *
 * The shape a DBA expects: a daily rhythm (night trough, lunch bump, evening peak in Beijing time),
 * busier weekends, growth year over year, a midnight spike at each promotion whose multiple differs
 * per service and grows a little every year, memory that grows (on a few services up against
 * maxmemory, with evictions), and services of every age, some created after the last promotion.
 */

const CST = "+08:00";
type DemoPromotion = { name: string; kind: PromotionKind; start: string; end: string; notes: string };

// Beijing time. Pre-sale opens at 20:00 the evening before; the midnight hour is the peak.
const at = (day: string, hour: string) => `${day}T${hour}:00${CST}`;
const sale = (year: number, kind: PromotionKind, label: string, month: string, day: number): DemoPromotion => ({
  name: `${year} ${label}`,
  kind,
  start: at(`${year}-${month}-${String(day - 1).padStart(2, "0")}`, "20:00"),
  end: at(`${year}-${month}-${String(day + 1).padStart(2, "0")}`, "02:00"),
  notes: `Demo: ${label} ${year}, pre-sale from 20:00 the evening before, peak at midnight.`,
});

const SALES: readonly { kind: PromotionKind; label: string; month: string; day: number }[] = [
  { kind: "SIX_EIGHTEEN", label: "618", month: "06", day: 18 },
  { kind: "DOUBLE_11", label: "双11", month: "11", day: 11 },
  { kind: "DOUBLE_12", label: "双12", month: "12", day: 12 },
];
const DAY_MS = 86_400_000;
/** A sale needs this many days of history before it, so that it has a baseline. */
const BASELINE_ROOM_DAYS = 14;

/**
 * The demo calendar around `now`: every 618, 双11 and 双12 whose baseline lies inside the generated
 * history, and those of the coming year. Relative to the day the seed runs, so the demo (and the
 * tests that read it) look the same whatever the date.
 */
export function demoPromotions(now: Date): DemoPromotion[] {
  const from = now.getTime() - (HISTORY_DAYS - BASELINE_ROOM_DAYS) * DAY_MS;
  const until = now.getTime() + 365 * DAY_MS;
  const out: DemoPromotion[] = [];
  for (let year = new Date(from).getUTCFullYear(); year <= new Date(until).getUTCFullYear(); year++) {
    for (const s of SALES) {
      const p = sale(year, s.kind, s.label, s.month, s.day);
      const start = new Date(p.start).getTime();
      if (start >= from && start <= until) out.push(p);
    }
  }
  return out;
}

/** How big a sale is next to 双11 (1), and how much bigger each year's sales get. */
const KIND_SIZE: Record<PromotionKind, number> = { DOUBLE_11: 1, SIX_EIGHTEEN: 0.72, DOUBLE_12: 0.55, OTHER: 0.4 };
const yearSize = (year: number, now: Date) => 1.05 + 0.1 * (year - now.getUTCFullYear());

// Share of the evening peak per hour of the day, Beijing time (index 0 = 00:00).
const DAY_SHAPE = [0.62, 0.45, 0.32, 0.24, 0.19, 0.18, 0.22, 0.33, 0.5, 0.64, 0.72, 0.78, 0.82, 0.76, 0.72, 0.74, 0.77, 0.8, 0.84, 0.9, 0.96, 1.0, 0.94, 0.8];

/** Two years and the weeks before: two or three 双11s to draw a trend through, whatever the date. */
export const HISTORY_DAYS = 760;
export const MINUTE_DAYS = 2;

/** A number in [0, 1) fixed per service and purpose, so the demo looks the same on every machine. */
const u = (salt: string) => `((hashtext(s.id::text || '${salt}')::float8 + 2147483648) / 4294967296)`;

/**
 * One row per demo service with its traits: capacity (from its instances and the default sizing
 * ceilings), today's load as a share of it, growth, promotion multiple, memory fill and age.
 */
const serviceTraits = (now: Date, youngMaxHours: number, perNodeMemcached: number, perShardRedis: number, perProxy: number) => `
  CREATE TEMP TABLE demo_svc ON COMMIT DROP AS
  WITH f AS (
    SELECT s.id, s.kind,
           count(i.id) FILTER (WHERE i.role IN ('MASTER', 'CACHE')) AS shards,
           count(i.id) FILTER (WHERE i.role = 'PROXY') AS proxies,
           coalesce(sum(i."maxmemoryMb") FILTER (WHERE i.role IN ('MASTER', 'CACHE')), 0)::float8 AS maxmem,
           ${u("load")} AS r_load, ${u("mult")} AS r_mult, ${u("grow")} AS r_grow, ${u("mem")} AS r_mem,
           ${u("memgrow")} AS r_memgrow, ${u("age")} AS r_age, ${u("age2")} AS r_age2, ${u("read")} AS r_read, ${u("conn")} AS r_conn
    FROM "Service" s LEFT JOIN "Instance" i ON i."serviceId" = s.id
    WHERE s."isDemo" GROUP BY s.id
  ), c AS (
    SELECT f.*,
           CASE WHEN proxies > 0 THEN least(shards * (CASE WHEN kind::text LIKE 'MEMCACHED%' THEN ${perNodeMemcached} ELSE ${perShardRedis} END), proxies * ${perProxy})
                ELSE shards * (CASE WHEN kind::text LIKE 'MEMCACHED%' THEN ${perNodeMemcached} ELSE ${perShardRedis} END) END::float8 AS cap
    FROM f WHERE shards > 0 AND maxmem > 0
  )
  SELECT id, cap, maxmem,
         -- today's evening peak as a share of capacity: most services idle along, a tail runs hot
         cap * (0.02 + 0.26 * power(r_load, 2.5)) AS level_now,
         1.05 + 0.85 * r_grow AS growth,
         2.2 + 3.3 * r_mult AS mult,
         -- one service in ten fills its memory fast and runs close to maxmemory today
         CASE WHEN r_mem < 0.1 THEN 0.86 + 0.08 * r_memgrow ELSE 0.2 + 0.38 * r_mem END AS mem_now,
         CASE WHEN r_mem < 0.1 THEN 1.8 + 0.6 * r_memgrow ELSE 1.05 + 0.3 * r_memgrow END AS mem_growth,
         0.6 + 0.35 * r_read AS read_share,
         150 + 2500 * r_conn AS clients_now,
         CASE WHEN r_age < 0.1 THEN date_trunc('hour', '${now.toISOString()}'::timestamptz) - (1 + floor(r_age2 * ${youngMaxHours})) * interval '1 hour'
              WHEN r_age < 0.3 THEN date_trunc('hour', '${now.toISOString()}'::timestamptz) - (100 + floor(r_age2 * 200)) * interval '1 day'
              WHEN r_age < 0.55 THEN date_trunc('hour', '${now.toISOString()}'::timestamptz) - (380 + floor(r_age2 * 180)) * interval '1 day'
              ELSE date_trunc('hour', '${now.toISOString()}'::timestamptz) - interval '${HISTORY_DAYS} days' END AS born
  FROM c`;

/**
 * One service in ten is young: created within the last nine days, and always after the last
 * promotion that has ended, so the demo has services with no promotion in their history.
 */
function youngMaxHours(promotions: readonly DemoPromotion[], now: Date): number {
  const ended = promotions.map((p) => new Date(p.end).getTime()).filter((t) => t <= now.getTime());
  const sinceLast = ended.length ? (now.getTime() - Math.max(...ended)) / 3_600_000 - 2 : Infinity;
  return Math.max(0, Math.min(9 * 24, Math.floor(sinceLast)));
}

/** Per hour of the history: weekday/hour rhythm and the promotion boost (kind × year size × spike shape). */
function hoursTable(promotions: readonly DemoPromotion[], now: Date) {
  const promos = promotions
    .map((p) => `('${p.start}'::timestamptz, '${p.end}'::timestamptz, ${KIND_SIZE[p.kind] * yearSize(Number(p.name.slice(0, 4)), now)})`)
    .join(", ");
  return `
  CREATE TEMP TABLE demo_hours ON COMMIT DROP AS
  WITH h AS (
    SELECT t, date_part('hour', t AT TIME ZONE 'Asia/Shanghai')::int AS lh, date_part('isodow', t AT TIME ZONE 'Asia/Shanghai')::int AS dow
    FROM generate_series(date_trunc('hour', '${now.toISOString()}'::timestamptz) - interval '${HISTORY_DAYS} days', date_trunc('hour', '${now.toISOString()}'::timestamptz), interval '1 hour') t
  )
  SELECT t, lh,
         (ARRAY[${DAY_SHAPE.join(",")}])[lh + 1] * (CASE WHEN dow >= 6 THEN 1.07 WHEN dow = 5 THEN 1.02 ELSE 0.97 END) AS rhythm,
         coalesce((
           SELECT max(p.size * (exp(-power((date_part('epoch', t - p.s) / 3600 - 4) / 1.1, 2)) + 0.3 * (ARRAY[${DAY_SHAPE.join(",")}])[lh + 1]))
           FROM (VALUES ${promos}) AS p(s, e, size) WHERE t >= p.s AND t < p.e
         ), 0) AS boost
  FROM h`;
}

/** The metric expressions for a time column `t`; `ops` is the hour's (or minute's) mean rate. */
const YEAR_S = 31_557_600;
const level = (t: string) => `v.level_now * power(v.growth, date_part('epoch', ${t} - $1::timestamptz) / ${YEAR_S})`;
const memFill = (t: string, boost: string) =>
  `least(0.985, v.mem_now * power(v.mem_growth, date_part('epoch', ${t} - $1::timestamptz) / ${YEAR_S}) * (1 + 0.12 * ${boost}))`;

const COLUMNS = `"serviceId", bucket, samples, "opsAvg", "opsMax", "readsAvg", "writesAvg", hits, misses, evictions, rejected, "usedMemoryMbMax", "maxmemoryMb", "clientsMax", "latencyP99UsMax", "isDemo"`;

/** From a row `x` with ops, mem (share of maxmemory) and load (ops ÷ capacity), the rollup's columns. */
const ROLLUP_SELECT = (samples: number, x: string) => `
  SELECT id, t, ${samples}, ops, ops * (1.04 + 0.08 * random()), ops * read_share, ops * (1 - read_share),
         ops * read_share * 0.93, ops * read_share * 0.07,
         CASE WHEN mem > 0.95 THEN ops * 0.004 * (mem - 0.95) * 100 ELSE 0 END, 0,
         maxmem * mem, maxmem, round(clients)::int,
         250 + 1600 * power(least(load, 1.5), 2) + 120 * random(), true
  FROM (${x}) x`;

const HOURS_SQL = `
  INSERT INTO "ServiceHour" (${COLUMNS}) ${ROLLUP_SELECT(
    60,
    `SELECT v.id, h.t, v.maxmem, v.read_share,
           -- a service that hit its ceiling flattens just under it (in the demo it was scaled out since)
           least(${level("h.t")} * (h.rhythm * (0.95 + 0.1 * random()) + (v.mult - 1) * h.boost), v.cap * (0.9 + 0.05 * random())) AS ops,
           least(${level("h.t")} * (h.rhythm + (v.mult - 1) * h.boost) / v.cap, 0.95) AS load,
           ${memFill("h.t", "h.boost")} * (1 + 0.01 * h.rhythm) AS mem,
           v.clients_now * power(v.growth, 0.6 * date_part('epoch', h.t - $1::timestamptz) / ${YEAR_S}) * (0.55 + 0.45 * h.rhythm + 0.5 * (v.mult - 1) * h.boost) AS clients
     FROM demo_hours h JOIN demo_svc v ON h.t >= v.born`,
  )}`;

// Minutes follow the hours' rhythm, interpolated within the hour so the curve has no steps.
const MINUTES_SQL = `
  INSERT INTO "ServiceMinute" (${COLUMNS})
  WITH m AS (
    SELECT t, date_part('hour', t AT TIME ZONE 'Asia/Shanghai')::int AS lh, date_part('minute', t) / 60 AS frac,
           date_part('isodow', t AT TIME ZONE 'Asia/Shanghai')::int AS dow
    FROM generate_series(date_trunc('minute', $1::timestamptz) - interval '${MINUTE_DAYS} days', date_trunc('minute', $1::timestamptz), interval '1 minute') t
  ), r AS (
    SELECT t, ((1 - frac) * (ARRAY[${DAY_SHAPE.join(",")}])[lh + 1] + frac * (ARRAY[${DAY_SHAPE.join(",")}])[(lh + 1) % 24 + 1])
              * (CASE WHEN dow >= 6 THEN 1.07 WHEN dow = 5 THEN 1.02 ELSE 0.97 END) AS rhythm
    FROM m
  )
  ${ROLLUP_SELECT(
    1,
    `SELECT v.id, r.t, v.maxmem, v.read_share,
           ${level("r.t")} * r.rhythm * (0.9 + 0.2 * random()) AS ops,
           ${level("r.t")} * r.rhythm / v.cap AS load,
           ${memFill("r.t", "0")} * (1 + 0.01 * r.rhythm) AS mem,
           v.clients_now * (0.55 + 0.45 * r.rhythm) * (0.97 + 0.06 * random()) AS clients
     FROM r JOIN demo_svc v ON r.t >= v.born`,
  )}`;

const BUCKET_INDEXES = [
  { table: "ServiceHour", index: "ServiceHour_bucket_idx" },
  { table: "ServiceMinute", index: "ServiceMinute_bucket_idx" },
];

/**
 * Into empty rollup tables (a first start), building the bucket indexes once after the load costs
 * about a quarter less than keeping them up to date row by row. Same names and definitions as the
 * migrations; the transaction makes it all or nothing.
 */
async function withBucketIndexBuiltAfter<T>(tx: DbTx, load: () => Promise<T>): Promise<T> {
  const [row] = await tx.$queryRawUnsafe<{ empty: boolean }[]>(
    `SELECT NOT EXISTS (SELECT 1 FROM "ServiceHour") AND NOT EXISTS (SELECT 1 FROM "ServiceMinute") AS empty`,
  );
  if (!row?.empty) return load();
  for (const { index } of BUCKET_INDEXES) await tx.$executeRawUnsafe(`DROP INDEX "${index}"`);
  const result = await load();
  for (const { table, index } of BUCKET_INDEXES) await tx.$executeRawUnsafe(`CREATE INDEX "${index}" ON "${table}"("bucket")`);
  return result;
}

export type HistorySummary = { promotions: number; serviceHours: number; serviceMinutes: number; ms: number };

/** Writes the demo history inside the seed's transaction. */
export async function insertDemoHistory(tx: DbTx, now = new Date()): Promise<HistorySummary> {
  const started = performance.now();
  const promotions = demoPromotions(now);
  await tx.promotion.createMany({
    data: promotions.map((p) => ({ name: p.name, kind: p.kind, startsAt: new Date(p.start), endsAt: new Date(p.end), notes: p.notes, isDemo: true })),
  });
  // Deterministic noise: random() follows this seed for the rest of the transaction's session.
  await tx.$executeRawUnsafe(`SELECT setseed(0.2026)`);
  const s = DEFAULT_SIZING_SETTINGS;
  await tx.$executeRawUnsafe(serviceTraits(now, youngMaxHours(promotions, now), s.memcachedQpsPerNode, s.redisQpsPerShard, s.proxyQps));
  // A service's history starts when it was created.
  await tx.$executeRawUnsafe(`UPDATE "Service" s SET "createdAt" = v.born FROM demo_svc v WHERE v.id = s.id AND s."createdAt" > v.born`);
  await tx.$executeRawUnsafe(hoursTable(promotions, now));
  const [serviceHours, serviceMinutes] = await withBucketIndexBuiltAfter(tx, async () => [
    await tx.$executeRawUnsafe(HOURS_SQL, now),
    await tx.$executeRawUnsafe(MINUTES_SQL, now),
  ]);
  // The promotion queries run right after the seed: give the planner the new table's statistics.
  await tx.$executeRawUnsafe(`ANALYZE "ServiceHour"`);
  return { promotions: promotions.length, serviceHours, serviceMinutes, ms: Math.round(performance.now() - started) };
}
