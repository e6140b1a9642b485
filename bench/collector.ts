/**
 * Collector throughput against real redis-server processes on this bench's loopback range
 * (127.0.13.x), beside Debian's prometheus-redis-exporter scraping the same instances in the same run.
 *  - hedwig: Collector.pollAndStore back to back for DURATION_S: each poll is INFO (server, clients,
 *    memory, stats, replication, keyspace, commandstats, latencystats, errorstats), LATENCY HISTOGRAM
 *    and SLOWLOG GET in one pipeline (CLIENT LIST once a minute), parsed, and each chunk's samples
 *    written to PostgreSQL in one statement while the next chunk is polled.
 * The machine's load average is printed beside: the redis-servers, PostgreSQL and the collector
 * share its 2 cores with whatever else runs.
 *  - floor: a bare ioredis loop with the same concurrency sending the same INFO sections and
 *    LATENCY HISTOGRAM to the same servers in one pipeline, with no parsing and no storage: the
 *    round trip itself, which the collector cannot beat.
 *  - exporter: one prometheus-redis-exporter in multi-target mode (/scrape?target=…), scraped with
 *    the same concurrency for DURATION_S (it connects per scrape and stores nothing).
 * Needs redis-server and prometheus-redis-exporter (apt-get install -y redis-server prometheus-redis-exporter).
 *   npx tsx bench/run.ts collector
 */
import { spawn, spawnSync } from "node:child_process";
import os from "node:os";
import { createDb } from "../server/db/client";
import { migrate } from "../server/db/migrate";
import { isListening } from "../server/domain/executors/tcp";
import { Collector } from "../server/domain/monitoring/collector";
import { INFO_SECTIONS, type PollTarget } from "../server/domain/monitoring/poll";
import { pollTargets } from "../server/domain/monitoring/targets";
import { withScratchDatabase } from "../scripts/scratch-db";
import { ProcessFleet } from "../tests/integration/monitoring-fleet";
import { emit } from "./lib";
import { Redis } from "ioredis";

export const name = "collector";
const INSTANCES = 100;
const PORT = 7400;
const DURATION_S = 10;
const CONCURRENCY = 50;
const CHUNK = 50;
const EXPORTER = "/usr/bin/prometheus-redis-exporter";
const EXPORTER_ADDR = { ip: "127.0.13.250", port: 9121 };
const ip = (k: number) => `127.0.13.${k + 1}`;
const r1 = (n: number) => Math.round(n * 10) / 10;

export async function run() {
  const savedUrl = process.env.DATABASE_URL;
  delete process.env.DATABASE_URL; // a throwaway database: never a real Hedwig's
  const fleet = new ProcessFleet();
  try {
    await withScratchDatabase(async (url) => {
      await migrate(url);
      const db = createDb(url, 8);
      try {
        await Promise.all(Array.from({ length: INSTANCES }, (_, k) => fleet.redis(ip(k), PORT)));
        await seedCatalog(db);
        await traffic();
        const targets = await pollTargets(db);
        const hedwig = await benchHedwig(db, targets);
        emit({
          name: "collector",
          who: "hedwig",
          loadavg_1m: r1(os.loadavg()[0]!),
          instances: targets.length,
          duration_s: r1(hedwig.seconds),
          polls: hedwig.polls,
          polls_per_s: r1(hedwig.polls / hedwig.seconds),
          stored_samples: hedwig.stored,
          ticks: hedwig.ticks,
          tick_ms_avg: r1((hedwig.seconds * 1000) / hedwig.ticks),
        });
        const floor = await benchFloor(targets);
        const hedwigRate = hedwig.polls / hedwig.seconds;
        const floorRate = floor.trips / floor.seconds;
        emit({
          name: "collector",
          who: "floor",
          instances: targets.length,
          duration_s: r1(floor.seconds),
          round_trips: floor.trips,
          round_trips_per_s: r1(floorRate),
        });
        emit({ name: "collector", hedwig_share_of_floor_pct: r1((hedwigRate / floorRate) * 100), target_pct: 75 });
        const exporter = await benchExporter(targets);
        if ("error" in exporter) emit({ name: "collector", who: "prometheus-redis-exporter", error: exporter.error });
        else {
          emit({
            name: "collector",
            who: "prometheus-redis-exporter",
            instances: targets.length,
            duration_s: r1(exporter.seconds),
            scrapes: exporter.scrapes,
            failed: exporter.failed,
            scrapes_per_s: r1(exporter.scrapes / exporter.seconds),
          });
          emit({ name: "collector", ratio_hedwig_to_exporter: r1(hedwigRate / (exporter.scrapes / exporter.seconds)), target_ratio: 8 });
        }
      } finally {
        await db.$disconnect();
      }
    });
  } finally {
    await fleet.stopAll();
    if (savedUrl) process.env.DATABASE_URL = savedUrl;
  }
}

async function seedCatalog(db: ReturnType<typeof createDb>) {
  const dept = await db.department.create({ data: { code: "bench", name: "Bench" } });
  const line = await db.productLine.create({ data: { code: "bench", name: "bench", departmentId: dept.id, importance: 3 } });
  const idc = await db.idc.create({ data: { code: "b1", name: "B1", region: "cn-sh" } });
  const rack = await db.rack.create({ data: { idcId: idc.id, code: "r1" } });
  for (let s = 0; s < INSTANCES / 10; s++) {
    const svc = await db.service.create({ data: { name: `bench-${s}`, productLineId: line.id, kind: "REDIS_TWEMPROXY" } });
    for (let k = s * 10; k < s * 10 + 10; k++) {
      const host = await db.host.create({
        data: { ip: ip(k), hostname: `bench-${k}`, rackId: rack.id, cpuCores: 8, memoryMb: 1, diskGb: 1, bandwidthMbps: 1 },
      });
      await db.instance.create({
        data: { serviceId: svc.id, hostId: host.id, port: PORT, software: "REDIS", role: "MASTER", shardIndex: k - s * 10, version: "7.0", state: "RUNNING" },
      });
    }
  }
}

/** A few commands on each instance, so commandstats and the histogram have content. */
async function traffic() {
  await Promise.all(
    Array.from({ length: INSTANCES }, async (_, k) => {
      const r = new Redis({ host: ip(k), port: PORT, lazyConnect: true });
      await r.connect();
      const p = r.pipeline();
      for (let n = 0; n < 50; n++) p.set(`k${n}`, "v").get(`k${n}`).incr("c").hset("h", `f${n}`, n);
      await p.exec();
      r.disconnect();
    }),
  );
}

async function benchHedwig(db: ReturnType<typeof createDb>, targets: PollTarget[]) {
  const collector = new Collector(db, { workerId: "bench", concurrency: CONCURRENCY, chunk: CHUNK, log: () => {} });
  await collector.pollAndStore(targets, new Date()); // connections and cursors warm
  let polls = 0;
  let ticks = 0;
  let at = Date.now();
  const t0 = performance.now();
  while (performance.now() - t0 < DURATION_S * 1000) {
    at += 1; // back to back: every tick gets its own timestamp
    const results = await collector.pollAndStore(targets, new Date(at));
    polls += results.length;
    ticks++;
  }
  const seconds = (performance.now() - t0) / 1000;
  await collector.stop();
  const stored = await db.metricSample.count({ where: { up: true } });
  return { polls, ticks, seconds, stored };
}

async function benchFloor(targets: PollTarget[]) {
  const clients = targets.map((t) => new Redis({ host: t.ip, port: t.port, lazyConnect: true, enableOfflineQueue: false }));
  await Promise.all(clients.map((c) => c.connect()));
  const trip = (c: Redis) =>
    c
      .pipeline()
      .call("info", ...INFO_SECTIONS)
      .call("latency", "histogram")
      .exec();
  try {
    await Promise.all(clients.map(trip)); // warm
    let trips = 0;
    let next = 0;
    const t0 = performance.now();
    const lane = async () => {
      while (performance.now() - t0 < DURATION_S * 1000) {
        await trip(clients[next++ % clients.length]!);
        trips++;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, lane));
    return { trips, seconds: (performance.now() - t0) / 1000 };
  } finally {
    for (const c of clients) c.disconnect();
  }
}

async function benchExporter(targets: PollTarget[]): Promise<{ scrapes: number; failed: number; seconds: number } | { error: string }> {
  if (spawnSync(EXPORTER, ["--version"]).error)
    return { error: `${EXPORTER} is not installed: apt-get install -y prometheus-redis-exporter, then run the bench again` };
  const proc = spawn(EXPORTER, ["-web.listen-address", `${EXPORTER_ADDR.ip}:${EXPORTER_ADDR.port}`, "-redis.addr", ""], { stdio: "ignore" });
  try {
    if (!(await isListening(EXPORTER_ADDR.ip, EXPORTER_ADDR.port, 5000))) return { error: "prometheus-redis-exporter did not start listening" };
    const scrape = async (t: PollTarget) => {
      const res = await fetch(`http://${EXPORTER_ADDR.ip}:${EXPORTER_ADDR.port}/scrape?target=redis://${t.ip}:${t.port}`);
      const text = await res.text();
      return res.ok && text.includes("redis_up 1") && text.includes("redis_commands_total");
    };
    await Promise.all(targets.slice(0, 4).map(scrape)); // warm
    let scrapes = 0;
    let failed = 0;
    let next = 0;
    const t0 = performance.now();
    const lane = async () => {
      while (performance.now() - t0 < DURATION_S * 1000) {
        const ok = await scrape(targets[next++ % targets.length]!).catch(() => false);
        if (ok) scrapes++;
        else failed++;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, lane));
    return { scrapes, failed, seconds: (performance.now() - t0) / 1000 };
  } finally {
    const exited = new Promise((r) => proc.once("exit", r));
    proc.kill("SIGTERM");
    await exited;
  }
}
