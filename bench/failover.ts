/**
 * Failover with no one awake, on the local executor against a throwaway embedded PostgreSQL: a
 * 4-shard Redis behind 2 Twemproxies with one replica per shard and a Sentinel beside each proxy,
 * delivered by Hedwig's provisioning job on this bench's hosts (127.0.111.x). A client sends 200
 * requests/s (half GET, half SET of known keys) spread over the proxies while the bench kill -9s a
 * shard's master. Per kill: seconds to the first error, to the last error (every key served again),
 * to the catalogue naming the new master (the collector runs at its 10 s interval); failed requests;
 * human actions. 5 kills on the delivered service, then 3 on a copy set to Sentinel's stock
 * down-after-milliseconds (30000) as the baseline; p50, max and the ratio. The client goes through
 * the VIP delivery gives each service (a Libra pool with one local HAProxy), as clients do, so the
 * proxies' restarts after a failover count: failed requests are split into the shard's own errors
 * (Twemproxy answers an error while the shard has no master) and dropped ones (a connection through
 * a restarting proxy cut, refused or timed out). Beside it a client with short connections (one
 * connection per request, at SHORT_RATE, as PHP-style clients do) and a pooled client left at the
 * library's defaults (it queues commands while it reconnects and sends them again) count their
 * dropped requests. Hedwig's web and worker are not running: the
 * proxies follow through their Sentinels' scripts alone. Prints JSON lines only; never judges time.
 *   npx tsx bench/run.ts failover
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Redis, ReplyError } from "ioredis";
import { appAuth, opsAuth } from "../server/domain/credentials/store";
import { authOptions } from "../server/domain/provisioning/deploy/probes";
import { createDb, type Db } from "../server/db/client";
import { migrate } from "../server/db/migrate";
import { ensureSettingsAndRanges } from "../server/db/seed/defaults";
import { loadActor } from "../server/domain/access/actor";
import { Collector } from "../server/domain/monitoring/collector";
import { startTarget } from "../server/domain/operations/daemon";
import { loadTarget } from "../server/domain/operations/target";
import { provisionJob } from "../server/domain/provisioning/provision-job";
import type { RequestForm } from "../server/domain/provisioning/request-schema";
import { approveRequest, createRequest } from "../server/domain/requests/requests";
import { runJob } from "../server/jobs/runner";
import { withScratchDatabase } from "../scripts/scratch-db";
import { emit, killDaemons, logsToStderr } from "./lib";

export const name = "failover";
const RATE = 200;
const KEYS = 400;
const FAST_KILLS = 5;
const STOCK_KILLS = 3;
/** a kill counts as recovered after this long without an error */
const QUIET_MS = 3000;
/** client connections to the VIP, spread over the proxies by HAProxy's round robin */
const CONNECTIONS = 4;
/** requests per second of the short-connection client (a connection each) and of the library-defaults one */
const SHORT_RATE = 100;
const DEFAULTS_RATE = 20;
const LB_SERVER = { ip: "127.0.111.200", executor: "LOCAL" as const };
const ROUND_LIMIT_MS = 90_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const r2 = (n: number) => Math.round(n * 100) / 100;
/** Varied names: near-identical ones ("k:1", "k:2"…) can all land on a few shards under fnv1a_64 + ketama. */
const keyOf = (i: number) => `${((i + 1) * 2_654_435_761) % 4_294_967_296}:bench:${i}`;
const noLog = { info: async () => {}, warn: async () => {}, error: async () => {} };

/** 4 shards (DBA's adjustment), 2 copies each, 2 proxies, a Sentinel beside each proxy. */
const FORM: Omit<RequestForm, "productLineId"> = {
  kind: "REDIS_TWEMPROXY",
  purpose: "bench: failover",
  capacityGb: 2,
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
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hedwig-bench-failover-"));
  const savedDataDir = process.env.HEDWIG_DATA_DIR;
  process.env.HEDWIG_DATA_DIR = dataDir;
  const collector = new Collector(db, { intervalMs: 10_000, log: () => {} });
  try {
    const deliver = await fixture(db);
    const fast = await deliver("bench-fo-a");
    const stock = await deliver("bench-fo-b");
    await stockTimings(db, stock);
    collector.start();
    const fastRounds = await kills(db, dataDir, fast, FAST_KILLS, "sentinel_beside_proxies");
    const stockRounds = await kills(db, dataDir, stock, STOCK_KILLS, "stock_sentinel_timings");
    const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
    const max = (xs: number[]) => Math.max(...xs);
    const summary = (rs: Round[]) => ({
      kills: rs.length,
      first_error_p50_s: p50(rs.map((r) => r.firstErrorS ?? 0)),
      last_error_p50_s: p50(rs.map((r) => r.lastErrorS ?? 0)),
      last_error_max_s: max(rs.map((r) => r.lastErrorS ?? 0)),
      catalogue_p50_s: p50(rs.map((r) => r.catalogueS ?? Infinity)),
      catalogue_max_s: max(rs.map((r) => r.catalogueS ?? Infinity)),
      failed_requests_p50: p50(rs.map((r) => r.failed)),
      failed_requests_max: max(rs.map((r) => r.failed)),
      dropped_requests_p50: p50(rs.map((r) => r.dropped)),
      dropped_requests_max: max(rs.map((r) => r.dropped)),
      dropped_requests_total: rs.reduce((n, r) => n + r.dropped, 0),
      short_conn_dropped_p50: p50(rs.map((r) => r.shortDropped)),
      short_conn_dropped_max: max(rs.map((r) => r.shortDropped)),
      short_conn_dropped_total: rs.reduce((n, r) => n + r.shortDropped, 0),
      library_defaults_dropped_p50: p50(rs.map((r) => r.defaultsDropped)),
      library_defaults_dropped_max: max(rs.map((r) => r.defaultsDropped)),
      library_defaults_dropped_total: rs.reduce((n, r) => n + r.defaultsDropped, 0),
    });
    const a = summary(fastRounds);
    const b = summary(stockRounds);
    emit({ name: "failover.summary", setup: "sentinel_beside_proxies", ...a, target_last_error_p50_s: 8, target_last_error_max_s: 12 });
    emit({ name: "failover.summary", setup: "stock_sentinel_timings", down_after_ms: 30_000, ...b });
    emit({ name: "failover.proxy_restarts", ...followFailoverCounts(dataDir) });
    emit({
      name: "failover.ratio",
      stock_over_hedwig_last_error_p50: r2(b.last_error_p50_s / a.last_error_p50_s),
      stock_over_hedwig_failed_requests_p50: r2(b.failed_requests_p50 / Math.max(1, a.failed_requests_p50)),
      human_actions: await db.job.count({ where: { kind: { not: "provision" }, automatic: false } }),
    });
  } finally {
    await collector.stop().catch(() => {});
    killDaemons(dataDir);
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (savedDataDir === undefined) delete process.env.HEDWIG_DATA_DIR;
    else process.env.HEDWIG_DATA_DIR = savedDataDir;
    await db.$disconnect();
  }
}

async function fixture(db: Db) {
  await ensureSettingsAndRanges(db);
  const dept = await db.department.create({ data: { code: "bench-fo", name: "Bench failover" } });
  const idc = await db.idc.create({ data: { code: "bf1", name: "Bench F1", region: "cn-sh" } });
  for (let r = 1; r <= 3; r++) {
    const rack = await db.rack.create({ data: { idcId: idc.id, code: `r${r}` } });
    for (let h = 1; h <= 4; h++) {
      await db.host.create({
        data: {
          ip: `127.0.111.${r * 10 + h}`,
          hostname: `bf1-r${r}-h${h}`,
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
  const dbaUser = await db.user.create({ data: { username: "bench-fo-dba", displayName: "DBA", role: "DBA" } });
  const dba = (await loadActor(db, dbaUser.id))!;
  // the delivery pool: each delivered service gets a VIP on this local HAProxy
  await db.lbPool.create({
    data: {
      name: "bench-fo",
      backend: "HAPROXY",
      configPath: "/etc/hedwig-lb/bench-fo/haproxy.cfg",
      statsPort: 19499,
      forDelivery: true,
      vipRange: "127.0.111.180-127.0.111.189",
      servers: { create: [LB_SERVER] },
    },
  });
  return async (code: string) => {
    const line = await db.productLine.create({ data: { code, name: code, departmentId: dept.id, importance: 3 } });
    const u = await db.user.create({
      data: { username: `${code}-biz`, displayName: "biz", role: "BUSINESS", memberships: { create: [{ productLineId: line.id }] } },
    });
    const biz = (await loadActor(db, u.id))!;
    const request = await db.$transaction((tx) => createRequest(tx, biz, { ...FORM, productLineId: line.id }, true));
    const job = await approveRequest(db, dba, request.id, null, async () => {}, { shards: 4, proxies: 2 });
    if ((await runJob(db, job.id, provisionJob)) !== "SUCCEEDED") throw new Error(`delivery of ${code} failed`);
    return (await db.resourceRequest.findUniqueOrThrow({ where: { id: request.id } })).serviceId!;
  };
}

/** The baseline: the same service with Sentinel's stock down-after-milliseconds, set live on every Sentinel. */
async function stockTimings(db: Db, serviceId: number) {
  const service = await db.service.findUniqueOrThrow({ where: { id: serviceId } });
  const sentinels = await db.instance.findMany({ where: { serviceId, role: "SENTINEL" }, include: { host: true } });
  for (const s of sentinels) {
    const r = new Redis({ host: s.host.ip, port: s.port, lazyConnect: true, ...authOptions(await opsAuth(db, serviceId)) });
    await r.connect();
    for (let shard = 0; shard < 4; shard++) await r.call("SENTINEL", "SET", `${service.name}-${shard}`, "down-after-milliseconds", "30000");
    r.disconnect();
  }
}

/** failed: every request that failed; dropped: those whose connection failed rather than Twemproxy answering an error */
type Round = {
  firstErrorS: number | null;
  lastErrorS: number | null;
  catalogueS: number | null;
  failed: number;
  dropped: number;
  shortDropped: number;
  defaultsDropped: number;
};

async function kills(db: Db, dataDir: string, serviceId: number, count: number, setup: string): Promise<Round[]> {
  const { vip } = await db.lbApplication.findFirstOrThrow({ where: { serviceId }, select: { vip: true } });
  if (!vip) throw new Error(`service ${serviceId} was delivered without a VIP`);
  const app = authOptions(await appAuth(db, serviceId));
  const clients = Array.from(
    { length: CONNECTIONS },
    () =>
      new Redis({
        host: vip.ip,
        port: vip.port,
        ...app,
        protocol: 2,
        enableReadyCheck: false,
        disableClientInfo: true,
        maxRetriesPerRequest: 0,
        enableOfflineQueue: false,
        commandTimeout: 1000,
        retryStrategy: () => 50,
      }),
  );
  await sleep(500);
  for (let i = 0; i < KEYS; i++) await clients[0]!.set(keyOf(i), String(i));
  const rounds: Round[] = [];
  try {
    for (let k = 0; k < count; k++) {
      const shard = k % 4;
      const master = await db.instance.findFirstOrThrow({ where: { serviceId, role: "MASTER", shardIndex: shard }, include: { host: true } });
      const replica = await db.instance.findFirstOrThrow({ where: { serviceId, role: "REPLICA", shardIndex: shard }, include: { host: true } });
      const round = await oneKill(db, dataDir, clients, { host: vip.ip, port: vip.port, ...app }, master, replica.id);
      rounds.push(round);
      emit({
        name: "failover.kill",
        setup,
        kill: k + 1,
        shard,
        killed: `${master.host.ip}:${master.port}`,
        first_error_s: round.firstErrorS,
        last_error_s: round.lastErrorS,
        catalogue_s: round.catalogueS,
        failed_requests: round.failed,
        dropped_requests: round.dropped,
        short_conn_dropped: round.shortDropped,
        library_defaults_dropped: round.defaultsDropped,
      });
      // the old master comes back the way Hedwig starts it: as a replica of the new one
      await startTarget(db, noLog, await loadTarget(db, master.id));
      await waitLinked(master.host.ip, master.port, authOptions(await opsAuth(db, serviceId)), 20_000);
      await sleep(2000);
    }
  } finally {
    for (const c of clients) c.disconnect();
  }
  return rounds;
}

async function oneKill(
  db: Db,
  dataDir: string,
  clients: Redis[],
  vip: { host: string; port: number; username?: string; password?: string },
  master: { id: number; port: number; host: { ip: string } },
  replicaId: number,
): Promise<Round> {
  const errors: number[] = [];
  let dropped = 0;
  let sent = 0;
  let stop = false;
  const load = (async () => {
    const t0 = Date.now();
    while (!stop) {
      const n = sent++;
      const c = clients[n % clients.length]!;
      const key = keyOf(Math.floor(Math.random() * KEYS));
      const request = n % 2 ? c.get(key) : c.set(key, String(n));
      void request.catch((e: Error) => {
        errors.push(Date.now());
        if (!(e instanceof ReplyError)) dropped++;
      });
      const due = t0 + (sent * 1000) / RATE;
      await sleep(Math.max(0, due - Date.now()));
    }
  })();
  let shortDropped = 0;
  const short = (async () => {
    while (!stop) {
      const c = new Redis({
        ...vip,
        lazyConnect: true,
        protocol: 2,
        enableReadyCheck: false,
        disableClientInfo: true,
        maxRetriesPerRequest: 0,
        enableOfflineQueue: false,
        commandTimeout: 1000,
        connectTimeout: 1000,
        retryStrategy: () => null,
      });
      await c
        .connect()
        .then(() => c.get(keyOf(Math.floor(Math.random() * KEYS))))
        .catch((e: Error) => {
          if (!(e instanceof ReplyError)) shortDropped++;
        });
      c.disconnect();
      await sleep(1000 / SHORT_RATE);
    }
  })();
  // one pooled connection as an application leaves ioredis (offline queue, resend), with an application's timeout
  // (Twemproxy has no INFO, HELLO nor CLIENT SETINFO: a Twemproxy client turns those off)
  const defaults = new Redis({ ...vip, protocol: 2, disableClientInfo: true, enableReadyCheck: false, commandTimeout: 2000 });
  defaults.on("error", () => {});
  let defaultsDropped = 0;
  const withDefaults = (async () => {
    while (!stop) {
      void defaults.get(keyOf(Math.floor(Math.random() * KEYS))).catch((e: Error) => {
        if (!(e instanceof ReplyError)) defaultsDropped++;
      });
      await sleep(1000 / DEFAULTS_RATE);
    }
  })();
  await sleep(1000);
  const shortBefore = shortDropped;
  const defaultsBefore = defaultsDropped;
  const pid = Number(fs.readFileSync(path.join(dataDir, "hosts", master.host.ip, "data/hedwig/run/redis", `${master.port}.pid`), "utf8"));
  const killedAt = Date.now();
  const errorsBefore = errors.length;
  const droppedBefore = dropped;
  process.kill(pid, "SIGKILL");
  let catalogueAt: number | null = null;
  while (Date.now() - killedAt < ROUND_LIMIT_MS) {
    await sleep(200);
    if (catalogueAt === null && (await db.instance.findUniqueOrThrow({ where: { id: replicaId } })).role === "MASTER") catalogueAt = Date.now();
    const last = errors.length > errorsBefore ? errors[errors.length - 1]! : killedAt;
    if (catalogueAt !== null && errors.length > errorsBefore && Date.now() - last > QUIET_MS) break;
  }
  stop = true;
  await Promise.all([load, short, withDefaults]);
  // answers still owed settle (the defaults client's timeout is 2 s) before the count
  await sleep(2100);
  const mine = errors.slice(errorsBefore);
  const round = {
    firstErrorS: mine.length ? r2((mine[0]! - killedAt) / 1000) : null,
    lastErrorS: mine.length ? r2((mine[mine.length - 1]! - killedAt) / 1000) : null,
    catalogueS: catalogueAt === null ? null : r2((catalogueAt - killedAt) / 1000),
    failed: mine.length,
    dropped: dropped - droppedBefore,
    shortDropped: shortDropped - shortBefore,
    defaultsDropped: defaultsDropped - defaultsBefore,
  };
  defaults.disconnect();
  return round;
}

/** What the proxies' follow-failover scripts did over the whole run, from their lines in the proxies' logs. */
function followFailoverCounts(dataDir: string) {
  const lines = (fs.readdirSync(dataDir, { recursive: true }) as string[])
    .filter((f) => /log\/twemproxy\/\d+\.log$/.test(f))
    .flatMap((f) => fs.readFileSync(path.join(dataDir, f), "utf8").split("\n"))
    .filter((l) => l.includes(" follow-failover: "));
  const count = (re: RegExp) => lines.filter((l) => re.test(l)).length;
  return {
    restarts: count(/restarted the proxy/),
    drained: count(/: drained in /),
    ready_again: count(/: ready again in /),
    not_drained: count(/restarting without draining/),
  };
}

async function waitLinked(ip: string, port: number, login: ReturnType<typeof authOptions>, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const r = new Redis({ host: ip, port, ...login, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    const info = await r
      .connect()
      .then(() => r.info("replication"))
      .catch(() => "");
    r.disconnect();
    if (/master_link_status:up/.test(info)) return;
    await sleep(300);
  }
}
