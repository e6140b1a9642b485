import { text, type Text } from "../../../lib/text";
import { Prisma } from "../../../generated/prisma/client";
import type { Db, DbTx } from "../../db/client";
import { createJob } from "../../jobs/queue";
import { holdJob } from "../../jobs/ownership";
import { runJob } from "../../jobs/runner";
import type { JobDefinition, JobLogger } from "../../jobs/steps";
import { recordAudit, automaticText } from "../audit/record";
import { haproxyMaster, keepalivedPid, poolFiles, renderTarget, runtimeSocket, serverExecutor, startHaproxy, startKeepalived } from "../lb/deploy";
import { workerPid } from "../lb/haproxy-runtime";
import type { PoolModel } from "../lb/model";
import { PLUGINS } from "../lb/plugins";
import { probeHost } from "../monitoring/host-probe";
import { NOTICE_LB_RESTARTS_STOPPED, noticeDbas } from "./escalation";
import { decide } from "./restart-policy";
import { loadReconcilerSettings } from "./settings";
import { notFound, precondition } from "../errors";

/**
 * Load-balancer servers are part of what Hedwig keeps alive: every round the reconciler looks at
 * each local server's daemon (HAProxy: its master runs and its runtime API answers; keepalived: its
 * pid runs), records it in LbServerHealth, and starts a dead one again as an automatic, audited
 * `lb.restart` job — with the same hourly limit and escalation as instances. On Hedwig's start the
 * same job brings back every server that should run (resumeLoadBalancers), so the VIPs answer again.
 *
 * Which servers should run: HAProxy once its pool has an applied version (a file that went live);
 * keepalived once it was seen running (on machines without IPVS it never starts, and that is no death).
 */
export const LB_RESTART = "lb.restart";
export const LB_NOT_RUNNING = "lb_not_running";
export const LB_API_SILENT = "lb_api_silent";
export const LB_RESTARTS_STOPPED = "lb_restarts_stopped";

type LbRestartInput = { serverId: number };
type ServerRow = {
  id: number;
  ip: string;
  executor: "LOCAL" | "SSH";
  pool: { id: number; name: string; backend: "HAPROXY" | "LVS"; configPath: string; statsPort: number | null };
};
type Observation = { up: boolean; code: string | null };

const HOUR_MS = 3_600_000;
const daemonName = (backend: "HAPROXY" | "LVS") => (backend === "HAPROXY" ? "HAProxy" : "keepalived");

async function loadServer(db: DbTx, serverId: number): Promise<ServerRow> {
  const s = await db.lbServer.findUnique({
    where: { id: serverId },
    select: { id: true, ip: true, executor: true, pool: { select: { id: true, name: true, backend: true, configPath: true, statsPort: true } } },
  });
  if (!s) throw notFound(text("jobErrors.lb.serverGone", { id: serverId }));
  return s;
}

/** Whether the server's daemon runs and, for HAProxy, answers on its runtime API. */
export async function observeServer(s: ServerRow): Promise<Observation> {
  const exec = serverExecutor(s);
  try {
    if (s.pool.backend === "LVS") return (await keepalivedPid(s.pool, exec)) !== null ? { up: true, code: null } : { up: false, code: LB_NOT_RUNNING };
    if ((await haproxyMaster(s.pool, exec)) === null) return { up: false, code: LB_NOT_RUNNING };
    return (await workerPid(runtimeSocket(s.pool, s))) !== null ? { up: true, code: null } : { up: false, code: LB_API_SILENT };
  } finally {
    await exec.close();
  }
}

/** The job's one step: starts the daemon from the file in place (or the live version's, if the file is gone). */
async function startServer(db: Db, serverId: number, log: JobLogger) {
  const s = await loadServer(db, serverId);
  const seen = await observeServer(s);
  if (seen.up) return log.info(text("jobs.log.lb.alreadyRuns", { ip: s.ip, daemon: daemonName(s.pool.backend), pool: s.pool.name }));
  const exec = serverExecutor(s);
  try {
    const file = await exec.readFile(s.pool.configPath).catch(() => null);
    if (file === null) {
      const live = await db.lbVersion.findFirst({ where: { poolId: s.pool.id }, orderBy: { number: "desc" } });
      if (!live) throw precondition(text("jobErrors.lb.configMissing", { ip: s.ip, path: s.pool.configPath, pool: s.pool.name }));
      await exec.writeFile(s.pool.configPath, PLUGINS[s.pool.backend].render(live.model as unknown as PoolModel, renderTarget(s.pool, s)));
      await log.warn(text("jobs.log.lb.rewroteConfig", { ip: s.ip, path: s.pool.configPath, version: live.number }));
    }
    if (s.pool.backend === "LVS") return await startKeepalived(s.pool, s, exec, log);
    // a master whose runtime API no longer answers is hung: it goes before a new one starts
    if (seen.code === LB_API_SILENT && (await exec.stopDaemon(poolFiles(s.pool).pidFile))) await log.warn(text("jobs.log.lb.stoppedHaproxy", { ip: s.ip }));
    await startHaproxy(s.pool, s, exec, log);
  } finally {
    await exec.close();
  }
}

export const lbRestartJob: JobDefinition<LbRestartInput, Record<string, never>> = {
  kind: LB_RESTART,
  steps: [{ name: text("jobs.steps.startLoadBalancer"), run: (ctx) => startServer(ctx.db, ctx.input.serverId, ctx.log) }],
};

/** Records the automatic job with its audit entry (one transaction); the caller queues or runs it. */
async function createRestartJob(db: Db, s: ServerRow, why: Text) {
  return db.$transaction(async (tx) => {
    const job = await createJob(tx, { kind: LB_RESTART, input: { serverId: s.id, poolId: s.pool.id }, automatic: true });
    await recordAudit(tx, null, {
      action: LB_RESTART,
      entityType: "LbServer",
      entityId: s.id,
      text: automaticText(
        true,
        text("auditLog.healing.lbStart", { daemon: daemonName(s.pool.backend), pool: s.pool.name, ip: s.ip, why, job: job.id.slice(0, 8) }),
      ),
      after: { jobId: job.id, input: { serverId: s.id, poolId: s.pool.id }, automatic: true },
    });
    return job;
  });
}

/** Servers whose daemon should run, with what was last recorded of them. */
async function keptServers(db: Db) {
  const [servers, applied] = await Promise.all([
    db.lbServer.findMany({
      where: { executor: "LOCAL" },
      select: {
        id: true,
        ip: true,
        executor: true,
        pool: { select: { id: true, name: true, backend: true, configPath: true, statsPort: true } },
        health: true,
      },
      orderBy: { id: "asc" },
    }),
    db.lbVersion.findMany({ distinct: ["poolId"], select: { poolId: true } }),
  ]);
  const live = new Set(applied.map((v) => v.poolId));
  return servers.filter((s) => (s.pool.backend === "HAPROXY" ? live.has(s.pool.id) && s.pool.statsPort !== null : s.health?.lastUpAt != null));
}

/** Open and recent automatic lb.restart jobs, per server. */
async function restartJobs(db: Db, now: Date) {
  const jobs = await db.job.findMany({
    where: { kind: LB_RESTART, OR: [{ status: { in: ["QUEUED", "RUNNING"] } }, { automatic: true, createdAt: { gt: new Date(now.getTime() - HOUR_MS) } }] },
    select: { input: true, status: true, automatic: true, createdAt: true },
  });
  const open = new Set<number>();
  const recent = new Map<number, number>();
  for (const j of jobs) {
    const id = (j.input as { serverId?: number }).serverId;
    if (typeof id !== "number") continue;
    if (j.status === "QUEUED" || j.status === "RUNNING") open.add(id);
    if (j.automatic && j.createdAt.getTime() > now.getTime() - HOUR_MS) recent.set(id, (recent.get(id) ?? 0) + 1);
  }
  return { open, recent };
}

export interface LbRound {
  checked: number;
  down: number[];
  restarted: { serverId: number; jobId: string }[];
  escalated: number[];
}

/** One round over the load-balancer servers: observe, record, restart or escalate. */
export async function keepLoadBalancers(
  db: Db,
  dispatch: (jobId: string) => Promise<void>,
  now = new Date(),
  log: (line: string) => void = () => {},
): Promise<LbRound> {
  const settings = await loadReconcilerSettings(db);
  const servers = await keptServers(db);
  const jobs = await restartJobs(db, now);
  const round: LbRound = { checked: servers.length, down: [], restarted: [], escalated: [] };
  for (const s of servers) {
    const seen = await observeServer(s);
    const held = s.health?.code === LB_RESTARTS_STOPPED;
    const restarts = jobs.recent.get(s.id) ?? 0;
    const d = decide(
      { answering: seen.up, hostReachable: seen.up ? null : (await probeHost(s, 1000)).reachable, busy: jobs.open.has(s.id), restartsLastHour: restarts, held },
      settings.maxRestartsPerHour,
    );
    const name = `${daemonName(s.pool.backend)} of pool ${s.pool.name} on ${s.ip}`;
    let code = seen.code;
    let params: Record<string, string | number> | null = seen.up ? null : { server: s.ip, pool: s.pool.name, daemon: daemonName(s.pool.backend) };
    if (!seen.up) round.down.push(s.id);
    if (d.kind === "restart") {
      const job = await createRestartJob(
        db,
        s,
        text("auditLog.healing.lbRestartWhy", { silent: seen.code === LB_API_SILENT ? "yes" : "no", attempt: d.attempt, max: settings.maxRestartsPerHour }),
      );
      await dispatch(job.id);
      round.restarted.push({ serverId: s.id, jobId: job.id });
      log(`${name} is down: automatic restart (job ${job.id.slice(0, 8)})`);
    } else if (d.kind === "escalate" || (d.kind === "none" && d.why === "held")) {
      code = LB_RESTARTS_STOPPED;
      params = { ...params, restarts: restarts, windowMinutes: 60 };
      if (d.kind === "escalate") {
        await db.$transaction((tx) => noticeDbas(tx, { code: NOTICE_LB_RESTARTS_STOPPED, params: params!, link: `/libra/pools/${s.pool.id}` }));
        round.escalated.push(s.id);
        log(`${name} died again after ${restarts} automatic restarts within the hour: left down, DBAs told`);
      }
    }
    const changed = s.health?.up !== seen.up;
    await db.lbServerHealth.upsert({
      where: { serverId: s.id },
      create: { serverId: s.id, up: seen.up, since: now, checkedAt: now, lastUpAt: seen.up ? now : null, code, params: params ?? Prisma.DbNull },
      update: { up: seen.up, ...(changed ? { since: now } : {}), checkedAt: now, ...(seen.up ? { lastUpAt: now } : {}), code, params: params ?? Prisma.DbNull },
    });
  }
  return round;
}

/** Runs a job here and now, holding it as a worker would (a worker that picked it up meanwhile runs it instead: wait for that). */
async function runHere(db: Db, url: string, jobId: string): Promise<string> {
  const release = await holdJob(url, jobId);
  if (release) {
    try {
      return await runJob(db, jobId, lbRestartJob);
    } finally {
      await release();
    }
  }
  for (let waited = 0; waited < 60_000; waited += 250) {
    const j = await db.job.findUniqueOrThrow({ where: { id: jobId }, select: { status: true } });
    if (j.status === "SUCCEEDED" || j.status === "FAILED") return j.status;
    await new Promise((r) => setTimeout(r, 250));
  }
  return "RUNNING";
}

/**
 * On Hedwig's start (a reboot stops the local load balancers with everything else): every server
 * that should run and does not is started by an automatic lb.restart job, run here before Hedwig
 * serves, so the VIPs the delivery notices handed out answer again.
 */
export async function resumeLoadBalancers(db: Db, url: string, log: JobLogger): Promise<{ started: number; failed: number }> {
  let started = 0;
  let failed = 0;
  for (const s of await keptServers(db)) {
    if ((await observeServer(s)).up) continue;
    const job = await createRestartJob(db, s, text("auditLog.healing.lbNotRunning"));
    const status = await runHere(db, url, job.id);
    if (status === "SUCCEEDED") started++;
    else {
      failed++;
      const j = await db.job.findUnique({ where: { id: job.id }, select: { error: true } });
      await log.warn(text("jobs.log.lb.couldNotStart", { daemon: daemonName(s.pool.backend), pool: s.pool.name, ip: s.ip, why: j?.error ?? status }));
    }
  }
  return { started, failed };
}

/** A pool's load-balancer restarts (automatic, and those at Hedwig's start), newest first, with steps and logs. */
export async function listLbRestartJobs(db: DbTx, poolId: number) {
  const jobs = await db.job.findMany({
    where: { kind: LB_RESTART, input: { path: ["poolId"], equals: poolId } },
    orderBy: { createdAt: "desc" },
    take: 20,
    include: { steps: { orderBy: { index: "asc" } }, logs: { orderBy: { id: "asc" }, take: 200 } },
  });
  return jobs.map((j) => ({ ...j, logs: j.logs.map((l) => ({ ...l, id: l.id.toString() })) }));
}
