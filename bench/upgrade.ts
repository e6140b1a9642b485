/**
 * Rolling upgrade through the VIP under load: a 4-shard Redis behind 2 Twemproxies (a replica per
 * shard, Sentinels), delivered by Hedwig's provisioning behind a Libra VIP (one local HAProxy) on
 * this bench's hosts (127.0.167.x), against a throwaway embedded PostgreSQL. A client sends 200
 * requests/s through the VIP (half SET, half GET, one connection per request, fired on a clock
 * whatever the answers take) while Hedwig upgrades Redis (replicas, a controlled failover, the old
 * masters) and then Twemproxy (one proxy at a time, drained from the VIP), and back. The second
 * version is this machine's Debian build registered again under another version (7.0.15-b2,
 * 0.5.0-b2): the figures measure the orchestration, not a newer Redis. Per job: seconds and failed
 * requests; then the whole round trip. Prints JSON lines only; never judges time.
 *   npm run bench -- upgrade
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { createDb, type Db } from "../server/db/client";
import { migrate } from "../server/db/migrate";
import { ensureSettingsAndRanges } from "../server/db/seed/defaults";
import { loadActor } from "../server/domain/access/actor";
import { appAuth } from "../server/domain/credentials/store";
import { stopHaproxy } from "../server/domain/lb/deploy";
import { submitOperation } from "../server/domain/operations";
import { authOptions } from "../server/domain/provisioning/deploy/probes";
import { provisionJob } from "../server/domain/provisioning/provision-job";
import type { RequestForm } from "../server/domain/provisioning/request-schema";
import { approveRequest, createRequest } from "../server/domain/requests/requests";
import { JOBS } from "../server/jobs/registry";
import { runJob } from "../server/jobs/runner";
import { withScratchDatabase } from "../scripts/scratch-db";
import { emit, killDaemons, logsToStderr } from "./lib";

export const name = "upgrade";
const RATE = 200;
const LB_SERVER = { ip: "127.0.168.3", executor: "LOCAL" as const };
const r3 = (n: number) => Math.round(n * 1000) / 1000;
const FORM: Omit<RequestForm, "productLineId"> = {
  kind: "REDIS_TWEMPROXY",
  purpose: "bench: rolling upgrade",
  capacityGb: 4,
  peakQps: 20_000,
  expectedKeys: 1_000_000,
  persistence: "none",
  highAvailability: true,
  idcPreference: null,
  readRatio: 50,
};

export async function run() {
  const savedUrl = process.env.DATABASE_URL;
  delete process.env.DATABASE_URL;
  const restoreStdout = logsToStderr();
  try {
    await withScratchDatabase(benchOn);
  } finally {
    restoreStdout();
    if (savedUrl !== undefined) process.env.DATABASE_URL = savedUrl;
  }
}

async function benchOn(url: string) {
  await migrate(url);
  const db = createDb(url, 10);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hedwig-bench-upgrade-"));
  const savedDataDir = process.env.HEDWIG_DATA_DIR;
  process.env.HEDWIG_DATA_DIR = dataDir;
  let poolId = 0;
  try {
    const { serviceId, dba, pool } = await deliver(db);
    poolId = pool;
    const service = await db.service.findUniqueOrThrow({ where: { id: serviceId } });
    const load = clockedLoad(service.entryHost!, service.entryPort!, authOptions(await appAuth(db, serviceId)));
    await new Promise((r) => setTimeout(r, 1000));
    const began = Date.now();
    const failedBefore = load.failed();
    const steps: [(typeof STEPS)[number]["software"], string][] = STEPS.map((s) => [s.software, s.to]);
    for (const [software, toVersion] of steps) {
      const failed0 = load.failed();
      const sent0 = load.sent();
      const t0 = Date.now();
      const job = await submitOperation(db, dba, { kind: "service.upgrade", serviceId, software, toVersion }, async () => {});
      const status = await runJob(db, job.id, JOBS["service.upgrade"]!);
      if (status !== "SUCCEEDED")
        throw new Error(`upgrade of ${software} to ${toVersion} failed: ${(await db.job.findUniqueOrThrow({ where: { id: job.id } })).error}`);
      emit({
        name: "upgrade.step",
        software: software.toLowerCase(),
        to: toVersion,
        seconds: r3((Date.now() - t0) / 1000),
        requests: load.sent() - sent0,
        failed_requests: load.failed() - failed0,
      });
    }
    await new Promise((r) => setTimeout(r, 1000));
    const stats = await load.stop();
    emit({
      name: "upgrade",
      shards: 4,
      proxies: 2,
      rate_per_s: RATE,
      round_trip_seconds: r3((Date.now() - began) / 1000),
      requests: stats.sent,
      failed_requests: stats.failed - failedBefore,
      failures_sample: stats.sample,
      note: "the second version is the same Debian build registered as 7.0.15-b2 / 0.5.0-b2",
    });
  } finally {
    if (poolId) await stopHaproxy({ id: poolId }, LB_SERVER).catch(() => {});
    killDaemons(dataDir);
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (savedDataDir === undefined) delete process.env.HEDWIG_DATA_DIR;
    else process.env.HEDWIG_DATA_DIR = savedDataDir;
    await db.$disconnect();
  }
}

const STEPS = [
  { software: "REDIS", to: "7.0.15-b2" },
  { software: "TWEMPROXY", to: "0.5.0-b2" },
  { software: "REDIS", to: "7.0.15" },
  { software: "TWEMPROXY", to: "0.5.0" },
] as const;

/** RATE requests/s through the VIP, each on a connection of its own, started on a clock (an open loop: a slow answer does not slow the client). */
function clockedLoad(host: string, port: number, auth: object) {
  let sent = 0;
  let failed = 0;
  const sample: string[] = [];
  const inflight = new Set<Promise<void>>();
  const one = async (k: number) => {
    const c = new Redis({
      host,
      port,
      ...auth,
      lazyConnect: true,
      protocol: 2,
      enableReadyCheck: false,
      disableClientInfo: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectTimeout: 2000,
    });
    c.on("error", () => {});
    try {
      await c.connect();
      if (k % 2 === 0) await c.set(`bench:up:${k % 1000}`, String(k));
      else await c.get(`bench:up:${(k - 1) % 1000}`);
    } catch (e) {
      failed++;
      if (sample.length < 5) sample.push((e as Error).message);
    } finally {
      c.disconnect();
    }
  };
  const timer = setInterval(() => {
    const p = one(sent++);
    inflight.add(p);
    void p.finally(() => inflight.delete(p));
  }, 1000 / RATE);
  return {
    sent: () => sent,
    failed: () => failed,
    stop: async () => {
      clearInterval(timer);
      await Promise.all([...inflight]);
      return { sent, failed, sample };
    },
  };
}

async function deliver(db: Db) {
  await ensureSettingsAndRanges(db);
  await db.softwareVersion.createMany({
    data: [
      { software: "REDIS", version: "7.0.15-b2", installPath: "/opt/hedwig/redis/7.0.15-b2" },
      { software: "TWEMPROXY", version: "0.5.0-b2", installPath: "/opt/hedwig/twemproxy/0.5.0-b2" },
    ],
  });
  const dept = await db.department.create({ data: { code: "bench-up", name: "Bench upgrade" } });
  const idc = await db.idc.create({ data: { code: "bu1", name: "Bench U1", region: "cn-sh" } });
  for (let r = 1; r <= 3; r++) {
    const rack = await db.rack.create({ data: { idcId: idc.id, code: `r${r}` } });
    for (let h = 1; h <= 4; h++)
      await db.host.create({
        data: {
          ip: `127.0.167.${r * 10 + h}`,
          hostname: `bu1-r${r}-h${h}`,
          rackId: rack.id,
          cpuCores: 16,
          memoryMb: 32768,
          diskGb: 500,
          bandwidthMbps: 10000,
          tier: "MIXED_DEPARTMENT",
          departmentId: dept.id,
          executor: "LOCAL",
        },
      });
  }
  const pool = await db.lbPool.create({
    data: {
      name: "bench-up",
      backend: "HAPROXY",
      configPath: "/etc/hedwig-lb/bench-up/haproxy.cfg",
      statsPort: 19467,
      forDelivery: true,
      vipRange: "127.0.168.80-127.0.168.89",
      servers: { create: [LB_SERVER] },
    },
  });
  const dba = (await loadActor(db, (await db.user.create({ data: { username: "bench-up-dba", displayName: "DBA", role: "DBA" } })).id))!;
  const line = await db.productLine.create({ data: { code: "bench-up", name: "bench-up", departmentId: dept.id, importance: 3 } });
  const u = await db.user.create({
    data: { username: "bench-up-biz", displayName: "biz", role: "BUSINESS", memberships: { create: [{ productLineId: line.id }] } },
  });
  const biz = (await loadActor(db, u.id))!;
  const request = await db.$transaction((tx) => createRequest(tx, biz, { ...FORM, productLineId: line.id }, true));
  const job = await approveRequest(db, dba, request.id, null, async () => {}, { shards: 4, proxies: 2 });
  if ((await runJob(db, job.id, provisionJob)) !== "SUCCEEDED") throw new Error("delivery failed");
  return { serviceId: (await db.resourceRequest.findUniqueOrThrow({ where: { id: request.id } })).serviceId!, dba, pool: pool.id };
}
