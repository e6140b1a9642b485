/**
 * Provisioning end to end on the local executor, through a real pg-boss worker (in this process)
 * and real redis-server / redis-sentinel / nutcracker daemons on this bench's own loopback hosts
 * (127.0.9.x), against a throwaway embedded PostgreSQL:
 *  1. approve → DELIVERED for 4 Redis shards × 2 copies behind 2 Twemproxies: seconds per step
 *     (from the JobStep rows) and in total;
 *  2. 20 requests approved at once: total time, delivered/failed, the peak RSS of this process
 *     (which hosts the worker), then a check of the database: no (host, port) taken twice and no
 *     host carrying more than its capacity.
 * Prints JSON lines only; never judges time.
 *   npx tsx bench/run.ts provisioning
 */
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type PgBoss from "pg-boss";
import { createDb, type Db } from "../server/db/client";
import { migrate } from "../server/db/migrate";
import { ensureSettingsAndRanges } from "../server/db/seed/defaults";
import { loadActor, type Actor } from "../server/domain/access/actor";
import { usageSql } from "../server/domain/inventory/usage";
import type { RequestForm } from "../server/domain/provisioning/request-schema";
import type { Plan } from "../server/domain/provisioning/sizing";
import { approveRequest, createRequest } from "../server/domain/requests/requests";
import { dispatch } from "../server/jobs/queue";
import { startWorker } from "../server/jobs/worker";
import { withScratchDatabase } from "../scripts/scratch-db";
import { emit, killDaemons, logsToStderr } from "./lib";

export const name = "provisioning";
const RACKS = 3;
const HOSTS_PER_RACK = 6;
const CONCURRENT = 20;
const TARGET_S = 15;
const r3 = (n: number) => Math.round(n * 1000) / 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** 30 GB + 100 M keys at 100 k QPS, HA, 3★: 4 shards × 2 copies, 2 proxies, ~110 Mbps per shard. */
const SHARDED: Omit<RequestForm, "productLineId"> = {
  kind: "REDIS_TWEMPROXY",
  purpose: "bench: sharded cart cache",
  capacityGb: 30,
  peakQps: 100_000,
  expectedKeys: 100_000_000,
  persistence: "none",
  highAvailability: true,
  idcPreference: null,
  readRatio: 80,
};
/** 1 GB master/replica with 3 Sentinels: 5 daemons each. */
const SMALL: Omit<RequestForm, "productLineId"> = {
  ...SHARDED,
  kind: "REDIS_SENTINEL",
  purpose: "bench: small session store",
  capacityGb: 1,
  peakQps: 5_000,
  expectedKeys: 100_000,
};

type Fixture = { db: Db; boss: PgBoss; dba: Actor; biz: Actor; lineId: number };

export async function run() {
  // The worker started here takes every job of the database's queue and re-queues its unfinished
  // jobs: never point it at a real Hedwig database, whatever DATABASE_URL says.
  const savedUrl = process.env.DATABASE_URL;
  delete process.env.DATABASE_URL;
  try {
    await withScratchDatabase(bench);
  } finally {
    if (savedUrl !== undefined) process.env.DATABASE_URL = savedUrl;
  }
}

async function bench(url: string) {
  // The job log and the worker print to stdout; this bench's stdout carries its JSON lines only.
  const restoreStdout = logsToStderr();
  try {
    await benchOn(url);
  } finally {
    restoreStdout();
  }
}

async function benchOn(url: string) {
  await migrate(url);
  const db = createDb(url, 10);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hedwig-bench-prov-"));
  const savedDataDir = process.env.HEDWIG_DATA_DIR;
  process.env.HEDWIG_DATA_DIR = dataDir;
  let boss: PgBoss | null = null;
  try {
    const { dba, biz, lineId } = await fixture(db);
    boss = await startWorker(db, url);
    const f: Fixture = { db, boss, dba, biz, lineId };
    await approveToDelivered(f);
    await concurrent(f);
  } finally {
    await boss?.stop({ graceful: false, wait: true }).catch(() => {});
    killDaemons(dataDir);
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (savedDataDir === undefined) delete process.env.HEDWIG_DATA_DIR;
    else process.env.HEDWIG_DATA_DIR = savedDataDir;
    await db.$disconnect();
  }
}

async function fixture(db: Db) {
  await ensureSettingsAndRanges(db);
  const dept = await db.department.create({ data: { code: "bench-prov", name: "Bench provisioning" } });
  const line = await db.productLine.create({ data: { code: "bench-cart", name: "Bench cart", departmentId: dept.id, importance: 3 } });
  const user = async (role: "DBA" | "BUSINESS") => {
    const u = await db.user.create({
      data: {
        username: `bench-${role.toLowerCase()}`,
        displayName: role,
        role,
        memberships: { create: role === "BUSINESS" ? [{ productLineId: line.id }] : [] },
      },
    });
    return (await loadActor(db, u.id))!;
  };
  const idc = await db.idc.create({ data: { code: "bp1", name: "Bench P1", region: "cn-sh" } });
  for (let r = 1; r <= RACKS; r++) {
    const rack = await db.rack.create({ data: { idcId: idc.id, code: `r${r}` } });
    for (let h = 1; h <= HOSTS_PER_RACK; h++) {
      await db.host.create({
        data: {
          ip: `127.0.9.${r * 10 + h}`,
          hostname: `bp1-r${r}-h${h}`,
          rackId: rack.id,
          // one 14 GB shard of case 1 per host; room for the 20 small services besides
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
  }
  return { dba: await user("DBA"), biz: await user("BUSINESS"), lineId: line.id };
}

async function submit(f: Fixture, form: Omit<RequestForm, "productLineId">) {
  return f.db.$transaction((tx) => createRequest(tx, f.biz, { ...form, productLineId: f.lineId }, true));
}

const approve = (f: Fixture, id: number) => approveRequest(f.db, f.dba, id, null, (jobId) => dispatch(f.boss, jobId));

/** Until every request is DELIVERED or FAILED (or the deadline passes): their final statuses. */
async function waitSettled(db: Db, ids: number[], deadlineMs: number, onTick?: () => void) {
  const end = Date.now() + deadlineMs;
  for (;;) {
    onTick?.();
    const rows = await db.resourceRequest.findMany({ where: { id: { in: ids } }, select: { id: true, status: true } });
    if (rows.every((r) => r.status === "DELIVERED" || r.status === "FAILED") || Date.now() > end) return rows;
    await sleep(50);
  }
}

async function approveToDelivered(f: Fixture) {
  const request = await submit(f, SHARDED);
  const plan = request.plan as unknown as Plan;
  const sized = plan.shards === 4 && plan.replicas === 2 && plan.proxies === 2;
  const t0 = performance.now();
  const approvedAt = Date.now();
  const job = await approve(f, request.id);
  const [settled] = await waitSettled(f.db, [request.id], 180_000);
  const total = (performance.now() - t0) / 1000;
  const done = await f.db.job.findUniqueOrThrow({ where: { id: job.id }, include: { steps: { orderBy: { index: "asc" } } } });
  const steps: Record<string, number | null> = {};
  for (const s of done.steps) steps[s.name] = s.startedAt && s.finishedAt ? r3((s.finishedAt.getTime() - s.startedAt.getTime()) / 1000) : null;
  const delivery = (await f.db.resourceRequest.findUniqueOrThrow({ where: { id: request.id } })).delivery as { entry?: { host: string; port: number } } | null;
  emit({
    name: "provisioning.approve_to_delivered",
    shards: plan.shards,
    replicas: plan.replicas,
    proxies: plan.proxies,
    sized_as_asked: sized,
    plan: { perShardMemoryMb: plan.perShardMemoryMb, roles: plan.roles.map((r) => ({ role: r.role, count: r.count, spec: r.spec })), totals: plan.totals },
    status: settled?.status,
    error: done.error,
    total_s: r3(total),
    queue_wait_s: done.startedAt ? r3((done.startedAt.getTime() - approvedAt) / 1000) : null,
    steps,
    steps_sum_s: r3(Object.values(steps).reduce<number>((a, b) => a + (b ?? 0), 0)),
    entry: delivery?.entry ? `${delivery.entry.host}:${delivery.entry.port}` : null,
    entry_listening: delivery?.entry ? await listening(delivery.entry.host, delivery.entry.port) : false,
    target_s: TARGET_S,
  });
}

async function concurrent(f: Fixture) {
  const requests = [];
  for (let i = 0; i < CONCURRENT; i++) requests.push(await submit(f, { ...SMALL, purpose: `bench: small session store ${i + 1}` }));
  const ids = requests.map((r) => r.id);
  let peakRss = process.memoryUsage().rss;
  const startRss = peakRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  const t0 = performance.now();
  let rows;
  let approveS = 0;
  try {
    await Promise.all(ids.map((id) => approve(f, id)));
    approveS = (performance.now() - t0) / 1000;
    rows = await waitSettled(f.db, ids, 20 * 60_000);
  } finally {
    clearInterval(sampler);
  }
  const total = (performance.now() - t0) / 1000;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const jobs = await f.db.job.findMany({ where: { requestId: { in: ids } }, select: { startedAt: true, finishedAt: true, error: true } });
  const runS = jobs.filter((j) => j.startedAt && j.finishedAt).map((j) => (j.finishedAt!.getTime() - j.startedAt!.getTime()) / 1000);
  const verify = await verifyFleet(f.db, ids);
  const delivered = rows.filter((r) => r.status === "DELIVERED").length;
  const failed = rows.filter((r) => r.status === "FAILED").length;
  emit({
    name: "provisioning.concurrent_20",
    requests: CONCURRENT,
    kind: SMALL.kind,
    capacity_gb: SMALL.capacityGb,
    workers: 1,
    delivered,
    failed,
    unsettled: CONCURRENT - delivered - failed,
    errors: [...new Set(jobs.map((j) => j.error).filter(Boolean))].slice(0, 3),
    approve_all_s: r3(approveS),
    total_s: r3(total),
    per_job_run_s: runS.length ? { min: r3(Math.min(...runS)), mean: r3(runS.reduce((a, b) => a + b, 0) / runS.length), max: r3(Math.max(...runS)) } : null,
    peak_rss_mb: Math.round(peakRss / 1048576),
    start_rss_mb: Math.round(startRss / 1048576),
    rss_note: "process.memoryUsage().rss of the bench process, which hosts the pg-boss worker (sampled every 100 ms); the daemons are separate processes",
    verify,
    ok: delivered === CONCURRENT && verify.ok,
  });
}

/** The database after the burst: every (host, port) taken once, no host over its capacity, every delivered daemon listening. */
async function verifyFleet(db: Db, ids: number[]) {
  const instancePortsTwice = await db.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM (SELECT "hostId", "port" FROM "Instance" GROUP BY 1, 2 HAVING count(*) > 1) d`;
  const livePortsTwice = await db.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM (
      SELECT a."hostId", a."port" FROM "AllocationItem" a JOIN "Allocation" al ON al."id" = a."allocationId"
      WHERE al."status" IN ('LOCKED', 'COMMITTED') GROUP BY 1, 2 HAVING count(*) > 1) d`;
  const instancesWithoutClaim = await db.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM "Instance" i WHERE NOT EXISTS (SELECT 1 FROM "PortClaim" c WHERE c."instanceId" = i."id" AND c."hostId" = i."hostId" AND c."port" = i."port")`;
  const over = await db.$queryRaw<{ ip: string; cpu: number; mem: bigint; disk: bigint; bw: bigint }[]>`
    SELECT h."ip", u.cpu, u.mem, u.disk, u.bw FROM "Host" h JOIN (${usageSql(null)}) u ON u."hostId" = h."id"
    WHERE u.cpu > h."cpuCores" + 1e-9 OR u.mem > h."memoryMb" OR u.disk > h."diskGb" OR u.bw > h."bandwidthMbps"`;
  const peak = await db.$queryRaw<{ cpu: number; mem: number; bw: number; instances: bigint }[]>`
    SELECT max(u.cpu / h."cpuCores")::float8 AS cpu, max(u.mem::float8 / h."memoryMb") AS mem, max(u.bw::float8 / h."bandwidthMbps") AS bw, max(u.instances) AS instances
    FROM "Host" h JOIN (${usageSql(null)}) u ON u."hostId" = h."id"`;
  const lingering = await db.allocation.count({ where: { status: "LOCKED" } });
  const instances = await db.instance.findMany({
    where: { service: { request: { id: { in: ids } } } },
    select: { port: true, host: { select: { ip: true } } },
  });
  let up = 0;
  for (const i of instances) if (await listening(i.host.ip, i.port)) up++;
  const n = (x: { n: bigint }[]) => Number(x[0]?.n ?? 0);
  const result = {
    instance_ports_taken_twice: n(instancePortsTwice),
    live_allocation_ports_taken_twice: n(livePortsTwice),
    instances_without_their_port_claim: n(instancesWithoutClaim),
    hosts_over_capacity: over.map((o) => o.ip),
    busiest_host_share: {
      cpu: r3(peak[0]?.cpu ?? 0),
      memory: r3(peak[0]?.mem ?? 0),
      bandwidth: r3(peak[0]?.bw ?? 0),
      instances: Number(peak[0]?.instances ?? 0),
    },
    locks_left_locked: lingering,
    instances: instances.length,
    instances_listening: up,
  };
  const ok =
    result.instance_ports_taken_twice === 0 &&
    result.live_allocation_ports_taken_twice === 0 &&
    result.instances_without_their_port_claim === 0 &&
    over.length === 0 &&
    lingering === 0 &&
    up === instances.length;
  return { ...result, ok };
}

function listening(ip: string, port: number) {
  return new Promise<boolean>((resolve) => {
    const s = net.connect({ host: ip, port });
    const timer = setTimeout(() => (s.destroy(), resolve(false)), 1000);
    s.on("connect", () => (clearTimeout(timer), s.destroy(), resolve(true)));
    s.on("error", () => (clearTimeout(timer), resolve(false)));
  });
}
