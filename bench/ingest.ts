/**
 * Ingest: sustained MetricSample rows per second into PostgreSQL through the collector's own
 * batched writer, with the minute and hour rollups running as the leader runs them (after every
 * tick, over the tick's minute and hour). Synthetic samples for 3,000 instances in 300 services
 * (10 per service: masters, a replica, proxies), simulated 10-s ticks written back to back.
 *   npx tsx bench/run.ts ingest
 */
import os from "node:os";
import { createDb, type Db } from "../server/db/client";
import { migrate } from "../server/db/migrate";
import { rollupRecent } from "../server/domain/monitoring/rollups";
import type { SampleRow } from "../server/domain/monitoring/sample";
import { insertSamples } from "../server/domain/monitoring/store";
import { withScratchDatabase } from "../scripts/scratch-db";
import { emit, percentiles } from "./lib";

export const name = "ingest";
const SERVICES = 300;
const PER_SERVICE = 10;
const DURATION_S = 20;
const INTERVAL_S = 10;
const r1 = (n: number) => Math.round(n * 10) / 10;

export async function run() {
  const savedUrl = process.env.DATABASE_URL;
  delete process.env.DATABASE_URL;
  try {
    await withScratchDatabase(async (url) => {
      await migrate(url);
      const db = createDb(url, 8);
      try {
        const instances = await seed(db);
        let at = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000;
        let rows = 0;
        const insertMs: number[] = [];
        const rollupMs: number[] = [];
        const t0 = performance.now();
        while (performance.now() - t0 < DURATION_S * 1000) {
          at += INTERVAL_S * 1000;
          const batch = instances.map((i, k) => synthetic(i, new Date(at), k));
          let t = performance.now();
          rows += await insertSamples(db, batch);
          insertMs.push(performance.now() - t);
          t = performance.now();
          await rollupRecent(db, new Date(at), INTERVAL_S);
          rollupMs.push(performance.now() - t);
        }
        const seconds = (performance.now() - t0) / 1000;
        const minutes = await db.serviceMinute.count();
        emit({
          name: "ingest",
          loadavg_1m: r1(os.loadavg()[0]!),
          instances: instances.length,
          services: SERVICES,
          ticks: insertMs.length,
          samples: rows,
          duration_s: r1(seconds),
          samples_per_s: Math.round(rows / seconds),
          insert_tick: percentiles(insertMs),
          rollup_tick: percentiles(rollupMs),
          minute_rows: minutes,
        });
      } finally {
        await db.$disconnect();
      }
    });
  } finally {
    if (savedUrl) process.env.DATABASE_URL = savedUrl;
  }
}

type Inst = { instanceId: number; serviceId: number; role: string };

async function seed(db: Db): Promise<Inst[]> {
  const dept = await db.department.create({ data: { code: "ingest", name: "Ingest" } });
  const line = await db.productLine.create({ data: { code: "ingest", name: "ingest", departmentId: dept.id, importance: 3 } });
  const idc = await db.idc.create({ data: { code: "i1", name: "I1", region: "cn-sh" } });
  const rack = await db.rack.create({ data: { idcId: idc.id, code: "r1" } });
  const host = await db.host.create({
    data: { ip: "127.0.13.200", hostname: "ingest", rackId: rack.id, cpuCores: 64, memoryMb: 1, diskGb: 1, bandwidthMbps: 1 },
  });
  const out: Inst[] = [];
  let port = 10000;
  for (let s = 0; s < SERVICES; s++) {
    const svc = await db.service.create({ data: { name: `ingest-${s}`, productLineId: line.id, kind: "REDIS_TWEMPROXY" } });
    const roles = ["MASTER", "MASTER", "MASTER", "MASTER", "MASTER", "MASTER", "REPLICA", "REPLICA", "PROXY", "PROXY"] as const;
    const created = await db.instance.createManyAndReturn({
      data: roles.slice(0, PER_SERVICE).map((role) => ({
        serviceId: svc.id,
        hostId: host.id,
        port: port++,
        software: role === "PROXY" ? ("TWEMPROXY" as const) : ("REDIS" as const),
        role,
        version: "7.0",
      })),
    });
    out.push(...created.map((i) => ({ instanceId: i.id, serviceId: svc.id, role: i.role })));
  }
  return out;
}

/** A plausible Redis sample: rates, memory, a handful of commands and a latency histogram. */
function synthetic(i: Inst, at: Date, k: number): SampleRow {
  const ops = 1000 + (k % 97) * 13;
  return {
    instanceId: i.instanceId,
    serviceId: i.serviceId,
    at,
    up: true,
    opsPerSec: ops,
    readsPerSec: ops * 0.8,
    writesPerSec: ops * 0.2,
    hitsPerSec: ops * 0.7,
    missesPerSec: ops * 0.1,
    evictionsPerSec: 0,
    rejectedPerSec: 0,
    expiredPerSec: 1,
    netInKbps: 800,
    netOutKbps: 2400,
    usedMemoryMb: 512 + (k % 50),
    maxmemoryMb: 1024,
    clients: 40,
    blockedClients: 0,
    keys: 100_000,
    latencyP50Us: 16,
    latencyP99Us: 128,
    latencyP999Us: 512,
    replLinkUp: i.role === "REPLICA" ? true : null,
    replLagSec: i.role === "REPLICA" ? 0 : null,
    proxyEjected: i.role === "PROXY" ? 0 : null,
    proxyTimeouts: i.role === "PROXY" ? 0 : null,
    commands: i.role === "PROXY" ? null : { get: { calls: ops * 8, usec: ops * 12 }, set: { calls: ops * 2, usec: ops * 5 }, hget: { calls: 40, usec: 90 } },
    latencyHistogram: i.role === "PROXY" ? null : { 8: ops * 4, 16: ops * 5, 32: ops, 128: 10 },
    extra: { role: i.role === "REPLICA" ? "slave" : "master" },
  };
}
