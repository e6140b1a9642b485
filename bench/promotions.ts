/**
 * Promotion comparison and forecast through tRPC over real HTTP, on the demo history (two years of
 * hourly rollups for 310 services) widened to 3,100 services: each demo service gets 9 copies with
 * its instances and the rollups of the promotion windows, their baselines and the last 15 days.
 * Side by side with the baseline the stats cache replaces: the same per-promotion aggregation run
 * live over ServiceHour on every call. Prints JSON lines only; never judges time.
 *   npx tsx bench/run.ts promotions
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createTRPCClient, httpLink } from "@trpc/client";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import superjson from "superjson";
import { appRouter, type AppRouter } from "../server/api/root";
import { createContext } from "../server/api/trpc";
import type { Db } from "../server/db/client";
import { DEFAULT_PROMOTION_SETTINGS } from "../server/domain/promotions/settings";
import { promotionStats } from "../server/domain/promotions/stats-store";
import { withScaledFleet } from "./fleet-db";
import { emit, percentiles, time } from "./lib";

export const name = "promotions";
const COPIES = 9;
const COMPARED = ["2025 双11", "2026 双11"];
const COPIED_WINDOWS = ["2025 双11", "2025 双12", "2026 618", "2026 双11"];
const TARGET = "2026 双12";
const WARM_RUNS = 40;
const LIVE_RUNS = 8;

type Client = ReturnType<typeof createTRPCClient<AppRouter>>;

/** 9 copies of every demo service, with instances (ports ×10 + k stay unique per host) and rollups. */
async function widen(db: Db): Promise<{ services: number; hours: number }> {
  const windows = await db.promotion.findMany({ where: { name: { in: COPIED_WINDOWS } } });
  const ranges = [
    ...windows.map((p) => `(bucket >= '${new Date(p.startsAt.getTime() - 15 * 86_400_000).toISOString()}' AND bucket < '${p.endsAt.toISOString()}')`),
    `bucket >= now() - interval '15 days'`,
  ].join(" OR ");
  let hours = 0;
  for (let k = 1; k <= COPIES; k++) {
    await db.$executeRawUnsafe(
      `INSERT INTO "Service" (name, "productLineId", kind, status, description, "isDemo", "createdAt", "updatedAt")
       SELECT name || '-c${k}', "productLineId", kind, status, description, true, "createdAt", now() FROM "Service" WHERE name NOT LIKE '%-c_'`,
    );
    await db.$executeRawUnsafe(
      `INSERT INTO "Instance" ("serviceId", "hostId", port, software, role, "shardIndex", version, "maxmemoryMb", state, "isDemo", "updatedAt")
       SELECT c.id, i."hostId", i.port * 10 + ${k}, i.software, i.role, i."shardIndex", i.version, i."maxmemoryMb", i.state, true, now()
       FROM "Instance" i JOIN "Service" s ON s.id = i."serviceId" JOIN "Service" c ON c.name = s.name || '-c${k}'`,
    );
    hours += await db.$executeRawUnsafe(
      `INSERT INTO "ServiceHour" ("serviceId", bucket, samples, "opsAvg", "opsMax", "usedMemoryMbMax", "maxmemoryMb", "clientsMax", "isDemo")
       SELECT c.id, h.bucket, h.samples, h."opsAvg" * (0.8 + 0.05 * ${k}), h."opsMax" * (0.8 + 0.05 * ${k}), h."usedMemoryMbMax", h."maxmemoryMb", h."clientsMax", true
       FROM "ServiceHour" h JOIN "Service" s ON s.id = h."serviceId" JOIN "Service" c ON c.name = s.name || '-c${k}'
       WHERE ${ranges}`,
    );
  }
  await db.$executeRawUnsafe(`ANALYZE "Service"; ANALYZE "Instance"; ANALYZE "ServiceHour"`);
  return { services: await db.service.count(), hours };
}

export async function run() {
  await withScaledFleet(240, async (db) => {
    const widened = await widen(db);
    const rows = await db.serviceHour.count();
    emit({ name: "promotions.data", ...widened, service_hour_rows: rows });
    const dba = await db.user.findFirstOrThrow({ where: { role: "DBA" } });
    const server = http.createServer(createHTTPHandler({ router: appRouter, createContext: () => createContext(dba.id, db) }));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const client: Client = createTRPCClient<AppRouter>({
      links: [httpLink({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, transformer: superjson })],
    });
    try {
      const all = await db.promotion.findMany();
      const id = (n: string) => all.find((p) => p.name === n)!.id;
      await compare(db, client, COMPARED.map(id));
      await forecast(client, id(TARGET));
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
}

async function compare(db: Db, client: Client, promotionIds: number[]) {
  const services = await db.service.count();
  const sorts = ["name", "growthQps", `multiple.${promotionIds[1]}`, `qps.${promotionIds[0]}`, "productLine"];
  const input = (i: number) => ({
    promotionIds,
    sort: sorts[i % sorts.length]!,
    dir: i % 3 ? ("desc" as const) : ("asc" as const),
    page: 1 + (i % 4),
    pageSize: 50,
  });
  // First call: the two settled promotions' stats are aggregated once and kept.
  const cold = await time(() => client.promotions.compare.query(input(0)));
  const warm: number[] = [];
  for (let i = 0; i < WARM_RUNS; i++) warm.push(await time(() => client.promotions.compare.query(input(i))));
  const byLine: number[] = [];
  for (let i = 0; i < 10; i++) byLine.push(await time(() => client.promotions.compare.query({ ...input(i), level: "productLine", sort: "growthQps" })));
  const csv = await time(() => client.promotions.compareAll.query({ promotionIds, sort: "name", dir: "asc" }));
  // Baseline: the same aggregation live on every call, no stats kept (asked as of before the
  // windows opened, nothing is settled, so nothing is read from or written to the cache).
  const promotions = await db.promotion.findMany({ where: { id: { in: promotionIds } }, orderBy: { startsAt: "asc" } });
  const live: number[] = [];
  for (let i = 0; i < LIVE_RUNS; i++) live.push(await time(() => promotionStats(db, promotions, DEFAULT_PROMOTION_SETTINGS, promotions[0]!.startsAt)));
  const w = percentiles(warm);
  const l = percentiles(live);
  emit({
    name: "promotions.compare",
    services,
    promotions: 2,
    cold_first_call_ms: Math.round(cold),
    warm: w,
    per_product_line: percentiles(byLine),
    csv_all_rows_ms: Math.round(csv),
  });
  emit({
    name: "promotions.compare.baseline_live_aggregation",
    services,
    promotions: 2,
    ...l,
    ratio_p95_live_over_cached: Math.round((l.p95_ms / w.p95_ms) * 10) / 10,
  });
}

async function forecast(client: Client, promotionId: number) {
  // First call: the remaining past promotions' stats and the current baselines are computed.
  const cold = await time(() => client.promotions.risks.query({ promotionId, atRiskOnly: true }));
  const warm: number[] = [];
  let counts = { services: 0, atRisk: 0, noForecast: 0 };
  for (let i = 0; i < WARM_RUNS / 2; i++) {
    warm.push(
      await time(async () => {
        counts = (await client.promotions.risks.query({ promotionId, atRiskOnly: i % 2 === 0, page: 1 + (i % 3), pageSize: 50 })).counts;
      }),
    );
  }
  const backtest: number[] = [];
  for (let i = 0; i < 5; i++) backtest.push(await time(() => client.promotions.backtest.query()));
  emit({ name: "promotions.risks", ...counts, cold_first_call_ms: Math.round(cold), warm: percentiles(warm), backtest: percentiles(backtest) });
}
