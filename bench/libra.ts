/**
 * Libra at scale, against a throwaway embedded PostgreSQL and a real HAProxy on this bench's own
 * loopback address (127.0.2.251, members on 127.0.12.x):
 *  1. render a pool of 1,000 applications × 10 members (HAProxy and keepalived): milliseconds
 *     (median of 20), and the real validator's seconds on the file;
 *  2. the whole sync of that pool from the database (load, render, validate, write, reload a
 *     HAProxy that binds the 1,000 VIPs), first start and a reload;
 *  3. from a member's change in the database to the new weight live on HAProxy's runtime API, with
 *     a worker running the periodic sync (interval a setting), 5 samples.
 * Figures beside the targets as ratios; never judged.
 *   npx tsx bench/run.ts libra
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type PgBoss from "pg-boss";
import { createDb, type Db } from "../server/db/client";
import { migrate } from "../server/db/migrate";
import { ensureLibraTemplates } from "../server/db/seed/libra";
import { loadActor } from "../server/domain/access/actor";
import { runtimeSocket, stopHaproxy } from "../server/domain/lb/deploy";
import { runtimeCommand } from "../server/domain/lb/haproxy-runtime";
import { LIBRA_SETTINGS } from "../server/domain/lb/settings";
import { largePool, TARGET } from "../server/domain/lb/plugins/fixtures";
import { haproxyPlugin } from "../server/domain/lb/plugins/haproxy";
import { keepalivedPlugin } from "../server/domain/lb/plugins/keepalived";
import { updateMember } from "../server/domain/lb/store";
import { syncPool } from "../server/domain/lb/sync";
import { validateConfig } from "../server/domain/lb/validate";
import { startWorker } from "../server/jobs/worker";
import { withScratchDatabase } from "../scripts/scratch-db";
import { emit, percentiles } from "./lib";

export const name = "libra";
const APPS = 1000;
const MEMBERS = 10;
const SERVER = { ip: "127.0.2.251", executor: "LOCAL" as const };
const STATS_PORT = 19499;
const INTERVAL_S = 2;
const TARGETS = { renderMs: 200, syncS: 3, changeToLiveS: INTERVAL_S + 2 };
const r3 = (n: number) => Math.round(n * 1000) / 1000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function renderOnly() {
  for (const [label, plugin] of [
    ["haproxy", haproxyPlugin],
    ["keepalived", keepalivedPlugin],
  ] as const) {
    const model = largePool(plugin.backend, APPS, MEMBERS);
    const samples: number[] = [];
    let text = "";
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      text = plugin.render(model, TARGET);
      samples.push(performance.now() - t0);
    }
    const p = percentiles(samples);
    emit({
      name: "libra.render",
      backend: label,
      applications: APPS,
      members: APPS * MEMBERS,
      lines: text.split("\n").length,
      bytes: text.length,
      ...p,
      target_ms: TARGETS.renderMs,
      ratio_to_target: r3(p.p50_ms / TARGETS.renderMs),
    });
  }
}

async function validateOnly() {
  for (const [label, plugin] of [
    ["haproxy", haproxyPlugin],
    ["keepalived", keepalivedPlugin],
  ] as const) {
    const text = plugin.render(largePool(plugin.backend, APPS, MEMBERS), TARGET);
    const t0 = performance.now();
    const v = await validateConfig(plugin, text);
    emit({
      name: "libra.validate",
      backend: label,
      valid: v.ok,
      seconds: r3((performance.now() - t0) / 1000),
      ...(v.ok ? {} : { output: v.output.slice(0, 300) }),
    });
  }
}

/** The bench pool in the database: 1,000 applications on 127.0.2.1–250 × ports 30000–30003, 10 members each. */
async function seedPool(db: Db) {
  await ensureLibraTemplates(db);
  const health = await db.lbHealthCheck.create({ data: { name: "bench-tcp", kind: "TCP", intervalSeconds: 60, timeoutSeconds: 2, retries: 3 } });
  const balance = await db.lbBalanceConfig.findUniqueOrThrow({ where: { name: "rr-default" } });
  const idc = await db.idc.create({ data: { code: "lb-bench", name: "LB bench", region: "cn-sh" } });
  const rack = await db.rack.create({ data: { idcId: idc.id, code: "r1" } });
  await db.host.createMany({
    data: Array.from({ length: MEMBERS }, (_, j) => ({
      ip: `127.0.12.${j + 1}`,
      hostname: `lb-bench-${j}`,
      rackId: rack.id,
      cpuCores: 8,
      memoryMb: 16384,
      diskGb: 100,
      bandwidthMbps: 1000,
    })),
  });
  const pool = await db.lbPool.create({
    data: { name: "bench", backend: "HAPROXY", configPath: "/etc/hedwig-lb/bench/haproxy.cfg", statsPort: STATS_PORT, servers: { create: [SERVER] } },
  });
  await db.lbApplication.createMany({
    data: Array.from({ length: APPS }, (_, i) => ({ name: `bench-${i}`, poolId: pool.id, healthCheckId: health.id, balanceConfigId: balance.id })),
  });
  const apps = await db.lbApplication.findMany({ where: { poolId: pool.id }, orderBy: { id: "asc" }, select: { id: true } });
  await db.lbVip.createMany({
    data: apps.map((a, i) => ({ applicationId: a.id, ip: `127.0.2.${(i % 250) + 1}`, port: 30000 + Math.floor(i / 250), protocol: "TCP" as const })),
  });
  await db.lbMember.createMany({
    data: apps.flatMap((a) => Array.from({ length: MEMBERS }, (_, j) => ({ applicationId: a.id, ip: `127.0.12.${j + 1}`, port: 6379, weight: 10 }))),
  });
  await db.lbChange.create({ data: { poolId: pool.id, actorName: "bench", summary: `${APPS} applications` } });
  return pool;
}

async function wholeSync(db: Db, poolId: number) {
  for (const label of ["first start", "reload"]) {
    if (label === "reload") await db.lbChange.create({ data: { poolId, actorName: "bench", summary: "touch" } });
    const t0 = performance.now();
    const r = await syncPool(db, poolId, "apply", "bench");
    const s = (performance.now() - t0) / 1000;
    emit({
      name: "libra.sync",
      run: label,
      status: r.status,
      applications: APPS,
      members: APPS * MEMBERS,
      seconds: r3(s),
      load_ms: r3(r.timings.loadMs),
      render_ms: r3(r.timings.renderMs),
      validate_ms: r3(r.timings.validateMs),
      push_and_reload_ms: r3(r.timings.pushMs),
      target_s: TARGETS.syncS,
      ratio_to_target: r3(s / TARGETS.syncS),
    });
  }
}

/** A DBA's weight change → the sync worker → HAProxy's runtime API answers the new weight. */
async function changeToLive(db: Db, url: string, poolId: number) {
  await db.setting.upsert({
    where: { key: LIBRA_SETTINGS.key },
    create: { key: LIBRA_SETTINGS.key, value: { syncIntervalSeconds: INTERVAL_S } },
    update: { value: { syncIntervalSeconds: INTERVAL_S } },
  });
  const user = await db.user.create({ data: { username: "bench-dba", displayName: "DBA", role: "DBA" } });
  const dba = (await loadActor(db, user.id))!;
  let boss: PgBoss | null = null;
  const samples: number[] = [];
  try {
    boss = await startWorker(db, url);
    const app = await db.lbApplication.findFirstOrThrow({
      where: { poolId },
      orderBy: { id: "asc" },
      include: { members: { orderBy: { id: "asc" }, take: 1 } },
    });
    const member = app.members[0]!;
    // changes land at different moments of the sync period, as a DBA's would
    const offsets = [300, 1100, 1700, 600, 1400];
    for (let i = 0; i < offsets.length; i++) {
      await sleep(offsets[i]!);
      const weight = 20 + i;
      const t0 = performance.now();
      await updateMember(db, dba, { memberId: member.id, weight });
      while (
        !(await runtimeCommand(runtimeSocket({ id: poolId }, SERVER), `get weight app-${app.id}/m-${member.id}`).catch(() => "")).startsWith(`${weight} `)
      ) {
        if (performance.now() - t0 > 60_000) throw new Error("the change did not go live within 60 s");
        await sleep(50);
      }
      samples.push(performance.now() - t0);
    }
  } finally {
    // graceful: a sync in flight finishes before the database goes
    await boss?.stop({ graceful: true, wait: true, timeout: 15_000 }).catch(() => {});
  }
  const p = percentiles(samples);
  // how long the periodic syncs themselves took, to tell waiting for the tick from syncing
  const runs = await db.lbSyncRun.findMany({
    where: { poolId, trigger: "periodic", finishedAt: { not: null } },
    select: { startedAt: true, finishedAt: true },
  });
  const syncMs = percentiles(runs.map((r) => r.finishedAt!.getTime() - r.startedAt.getTime()));
  emit({
    name: "libra.change_to_live",
    interval_s: INTERVAL_S,
    periodic_syncs: runs.length,
    periodic_sync_p50_ms: syncMs.p50_ms,
    ...p,
    target_s: TARGETS.changeToLiveS,
    ratio_to_target: r3(p.max_ms / 1000 / TARGETS.changeToLiveS),
  });
}

export async function run() {
  renderOnly();
  await validateOnly();
  // The worker started here takes every Libra sync of its database: never point it at a real Hedwig.
  const savedUrl = process.env.DATABASE_URL;
  delete process.env.DATABASE_URL;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hedwig-bench-libra-"));
  const savedDataDir = process.env.HEDWIG_DATA_DIR;
  process.env.HEDWIG_DATA_DIR = dataDir;
  try {
    await withScratchDatabase(async (url) => {
      await migrate(url);
      const db = createDb(url, 10);
      let poolId: number | null = null;
      try {
        poolId = (await seedPool(db)).id;
        await wholeSync(db, poolId);
        await changeToLive(db, url, poolId);
      } finally {
        if (poolId) await stopHaproxy({ id: poolId }, SERVER).catch(() => {});
        await db.$disconnect();
      }
    });
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (savedUrl !== undefined) process.env.DATABASE_URL = savedUrl;
    if (savedDataDir === undefined) delete process.env.HEDWIG_DATA_DIR;
    else process.env.HEDWIG_DATA_DIR = savedDataDir;
  }
}
