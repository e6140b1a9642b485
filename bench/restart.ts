/**
 * Restart of a killed instance on a reachable host: seconds from `kill -9` (of the daemon's whole
 * process group) to the instance serving again (a protocol answer: Redis PING, Memcached version,
 * PING through Twemproxy), with nobody calling the API: the reconciler's own loop (default
 * settings, except the hourly limit raised so the repeats are not escalated) and a real pg-boss
 * worker, on this bench's own loopback hosts (127.0.102.111–132) against a throwaway embedded
 * PostgreSQL. 5 repeats per software; p50 and max. Prints JSON lines only; never judges time.
 *   npm run bench -- restart
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { appAuth, opsAuth } from "../server/domain/credentials/store";
import { authOptions } from "../server/domain/provisioning/deploy/probes";
import type PgBoss from "pg-boss";
import { createDb, type Db } from "../server/db/client";
import { migrate } from "../server/db/migrate";
import { ensureSettingsAndRanges } from "../server/db/seed/defaults";
import { loadActor } from "../server/domain/access/actor";
import { startReconciler } from "../server/domain/healing/reconciler";
import { DEFAULT_RECONCILER_SETTINGS } from "../server/domain/healing/settings";
import { tcpRead } from "../server/domain/monitoring/tcp-read";
import { instanceLayout } from "../server/domain/provisioning/layout";
import { provisionJob } from "../server/domain/provisioning/provision-job";
import type { RequestForm } from "../server/domain/provisioning/request-schema";
import { approveRequest, createRequest } from "../server/domain/requests/requests";
import { dispatch } from "../server/jobs/queue";
import { runJob } from "../server/jobs/runner";
import { startWorker } from "../server/jobs/worker";
import { withScratchDatabase } from "../scripts/scratch-db";
import { emit, killDaemons, logsToStderr } from "./lib";

export const name = "restart";
const REPEATS = 5;
const TARGET_S = 15;
const r3 = (n: number) => Math.round(n * 1000) / 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function run() {
  // The worker started here takes every job of the database's queue: never a real Hedwig database.
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
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hedwig-bench-restart-"));
  const savedDataDir = process.env.HEDWIG_DATA_DIR;
  process.env.HEDWIG_DATA_DIR = dataDir;
  let boss: PgBoss | null = null;
  let reconciler: ReturnType<typeof startReconciler> | null = null;
  try {
    const services = await deliver(db);
    await db.setting.create({ data: { key: "reconciler", value: { ...DEFAULT_RECONCILER_SETTINGS, maxRestartsPerHour: 20 } } });
    boss = await startWorker(db, url);
    const worker = boss;
    reconciler = startReconciler(
      db,
      url,
      (jobId) => dispatch(worker, jobId),
      () => {},
    );
    const all: number[] = [];
    for (const target of await targets(db, services)) {
      const samples: number[] = [];
      for (let k = 0; k < REPEATS; k++) {
        samples.push(await killAndTime(db, dataDir, target));
        all.push(samples.at(-1)!);
      }
      emit({ name: "restart", software: target.software, role: target.role, repeats: REPEATS, ...summary(samples), samples_s: samples.map(r3) });
    }
    emit({ name: "restart.all", checkSeconds: DEFAULT_RECONCILER_SETTINGS.checkSeconds, target_s: TARGET_S, human_actions: 0, ...summary(all) });
  } finally {
    await reconciler?.stop();
    await boss?.stop({ graceful: false, wait: true }).catch(() => {});
    killDaemons(dataDir);
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (savedDataDir === undefined) delete process.env.HEDWIG_DATA_DIR;
    else process.env.HEDWIG_DATA_DIR = savedDataDir;
    await db.$disconnect();
  }
}

function summary(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return { n: s.length, p50_s: r3(s[Math.floor(s.length / 2)]!), max_s: r3(s.at(-1)!) };
}

/** A Redis shard behind two Twemproxies and a Memcached node, delivered as the worker would. */
async function deliver(db: Db): Promise<number[]> {
  await ensureSettingsAndRanges(db);
  const dept = await db.department.create({ data: { code: "bench-restart", name: "Bench restart" } });
  const lines = await Promise.all(
    ["bench-r1", "bench-r2"].map((code) => db.productLine.create({ data: { code, name: code, departmentId: dept.id, importance: 3 } })),
  );
  const user = async (role: "DBA" | "BUSINESS") => {
    const u = await db.user.create({
      data: {
        username: `bench-${role.toLowerCase()}`,
        displayName: role,
        role,
        memberships: { create: role === "BUSINESS" ? lines.map((l) => ({ productLineId: l.id })) : [] },
      },
    });
    return (await loadActor(db, u.id))!;
  };
  const [dba, biz] = [await user("DBA"), await user("BUSINESS")];
  const idc = await db.idc.create({ data: { code: "br1", name: "Bench R1", region: "cn-sh" } });
  for (let r = 1; r <= 3; r++) {
    const rack = await db.rack.create({ data: { idcId: idc.id, code: `r${r}` } });
    for (let h = 1; h <= 2; h++) {
      await db.host.create({
        data: {
          ip: `127.0.102.${100 + r * 10 + h}`,
          hostname: `br1-r${r}-h${h}`,
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
  }
  const common = { purpose: "bench: restart", persistence: "none", idcPreference: null, readRatio: 80, highAvailability: false } as const;
  const forms: RequestForm[] = [
    { ...common, productLineId: lines[0]!.id, kind: "REDIS_TWEMPROXY", capacityGb: 2, peakQps: 20_000, expectedKeys: 1_000_000 },
    { ...common, productLineId: lines[1]!.id, kind: "MEMCACHED", capacityGb: 1, peakQps: 5_000, expectedKeys: 100_000 },
  ];
  const ids: number[] = [];
  for (const form of forms) {
    const request = await db.$transaction((tx) => createRequest(tx, biz, form, true));
    const job = await approveRequest(db, dba, request.id, null, async () => {});
    if ((await runJob(db, job.id, provisionJob)) !== "SUCCEEDED") throw new Error(`delivery of ${form.kind} failed`);
    ids.push((await db.resourceRequest.findUniqueOrThrow({ where: { id: request.id } })).serviceId!);
  }
  return ids;
}

type Target = {
  id: number;
  serviceId: number;
  software: "REDIS" | "MEMCACHED" | "TWEMPROXY";
  role: string;
  version: string;
  port: number;
  ip: string;
  /** as Hedwig logs in: its operations user on Redis, the application's password at Twemproxy */
  login: ReturnType<typeof authOptions>;
};

/** One of each: a Redis master, a Twemproxy, a Memcached node. */
async function targets(db: Db, serviceIds: number[]): Promise<Target[]> {
  const rows = await db.instance.findMany({ where: { serviceId: { in: serviceIds } }, include: { host: true }, orderBy: { id: "asc" } });
  return Promise.all(
    (["REDIS", "TWEMPROXY", "MEMCACHED"] as const).map(async (software) => {
      const i = rows.find((r) => r.software === software)!;
      const login = authOptions(software === "TWEMPROXY" ? await appAuth(db, i.serviceId) : await opsAuth(db, i.serviceId));
      return { id: i.id, serviceId: i.serviceId, software, role: i.role, version: i.version, port: i.port, ip: i.host.ip, login };
    }),
  );
}

async function answers(t: Target): Promise<boolean> {
  if (t.software === "MEMCACHED") return (await tcpRead(t.ip, t.port, 500, "version\r\n", (b) => b.includes("\r\n")).catch(() => "")).startsWith("VERSION");
  const r = new Redis({
    host: t.ip,
    port: t.port,
    ...t.login,
    lazyConnect: true,
    protocol: 2,
    enableReadyCheck: false,
    disableClientInfo: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 500,
    commandTimeout: 500,
  });
  r.on("error", () => {});
  try {
    await r.connect();
    return (await r.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

/** kill -9 of the daemon's process group, then seconds until it answers again. */
async function killAndTime(db: Db, dataDir: string, t: Target): Promise<number> {
  // the previous restart's job must be over (one operation per service at a time)
  while ((await db.job.count({ where: { serviceId: t.serviceId, status: { in: ["QUEUED", "RUNNING"] } } })) > 0) await sleep(100);
  const pidFile = path.join(dataDir, "hosts", t.ip, instanceLayout(t.software, t.version, t.port).pidFile);
  const killedAt = performance.now();
  process.kill(-Number(fs.readFileSync(pidFile, "utf8")), "SIGKILL");
  while (await answers(t)) await sleep(20); // gone
  while (!(await answers(t))) {
    if (performance.now() - killedAt > 120_000) throw new Error(`${t.software} ${t.ip}:${t.port} did not serve again within 120 s`);
    await sleep(50);
  }
  return (performance.now() - killedAt) / 1000;
}
