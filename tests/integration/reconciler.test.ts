import { english } from "../../i18n/load";
import type { Text } from "../../lib/text";
import fs from "node:fs";
import path from "node:path";
import { Redis } from "ioredis";
import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureSettingsAndRanges } from "../../server/db/seed";
import type { Actor } from "../../server/domain/access/actor";
import { loadBoard } from "../../server/domain/health/board";
import type { Reason } from "../../server/domain/health/rules";
import { healthText } from "../../server/domain/health/text";
import { Collector } from "../../server/domain/monitoring/collector";
import { fleetMaintenance } from "../../server/domain/monitoring/maintenance";
import { tcpRead } from "../../server/domain/monitoring/tcp-read";
import { endMaintenance, startMaintenance } from "../../server/domain/healing/maintenance";
import { startReconciler } from "../../server/domain/healing/reconciler";
import { bringBackLocalFleet } from "../../server/domain/healing/startup";
import { poolFiles, stopHaproxy } from "../../server/domain/lb/deploy";
import { submitOperation } from "../../server/domain/operations/submit";
import { instanceLayout } from "../../server/domain/provisioning/layout";
import { provisionJob } from "../../server/domain/provisioning/provision-job";
import type { RequestForm } from "../../server/domain/provisioning/request-schema";
import { approveRequest, createRequest } from "../../server/domain/requests/requests";
import { dispatch } from "../../server/jobs/queue";
import { runJob } from "../../server/jobs/runner";
import { JOBS } from "../../server/jobs/registry";
import { startWorker } from "../../server/jobs/worker";
import { freshDatabase, makeActor } from "./db";
import { createDemoHosts, listening, loginAt, useDemoDataDir } from "./demo-fleet";

/**
 * The reconciler on real processes: a Twemproxy service behind a real HAProxy VIP and a Memcached
 * service, delivered on this test's demo hosts (127.0.102.x, the load balancer on 127.0.102.1).
 * Processes are killed with SIGKILL and must come back with no API call, through the real loop
 * (startReconciler) and the real queue and worker — except where a DBA asked for them to stay down.
 */
const { db, url } = await freshDatabase();
const demo = useDemoDataDir("reconciler");
const LB = { ip: "127.0.102.1", executor: "LOCAL" as const };
const noDispatch = async () => {};
let dba: Actor;
let poolId: number;
let twemproxyId: number;
let memcachedId: number;
let boss: PgBoss;
let reconciler: ReturnType<typeof startReconciler>;

async function deliver(biz: Actor, form: RequestForm) {
  const request = await db.$transaction((tx) => createRequest(tx, biz, form, true));
  const job = await approveRequest(db, dba, request.id, null, noDispatch);
  expect(await runJob(db, job.id, provisionJob)).toBe("SUCCEEDED");
  return (await db.resourceRequest.findUniqueOrThrow({ where: { id: request.id } })).serviceId!;
}

beforeAll(async () => {
  await ensureSettingsAndRanges(db);
  const dept = await db.department.create({ data: { code: "heal", name: "Heal" } });
  const lines = await Promise.all(
    ["heal-a", "heal-b"].map((code) => db.productLine.create({ data: { code, name: code, departmentId: dept.id, importance: 3 } })),
  );
  const biz = await makeActor(
    db,
    "BUSINESS",
    lines.map((l) => l.id),
  );
  dba = await makeActor(db, "DBA");
  await createDemoHosts(db, { prefix: "127.0.102", idcCode: "rc", departmentId: dept.id });
  poolId = (
    await db.lbPool.create({
      data: {
        name: "heal",
        backend: "HAPROXY",
        configPath: "/etc/hedwig-lb/heal/haproxy.cfg",
        statsPort: 19413,
        forDelivery: true,
        vipRange: "127.0.102.80-127.0.102.89",
        servers: { create: [LB] },
      },
    })
  ).id;
  const common = { purpose: "kept alive by the reconciler", persistence: "none", idcPreference: null, readRatio: 80 } as const;
  [twemproxyId, memcachedId] = await Promise.all([
    deliver(biz, {
      ...common,
      productLineId: lines[0]!.id,
      kind: "REDIS_TWEMPROXY",
      capacityGb: 2,
      peakQps: 20_000,
      expectedKeys: 1_000_000,
      highAvailability: false,
    }),
    deliver(biz, { ...common, productLineId: lines[1]!.id, kind: "MEMCACHED", capacityGb: 1, peakQps: 5_000, expectedKeys: 100_000, highAvailability: false }),
  ]);
  // the real loop, looking every second; the real queue and worker run what it starts
  await db.setting.create({ data: { key: "reconciler", value: { checkSeconds: 1, maxRestartsPerHour: 3 } } });
  boss = await startWorker(db, url);
  reconciler = startReconciler(
    db,
    url,
    (jobId) => dispatch(boss, jobId),
    () => {},
  );
}, 120_000);

afterAll(async () => {
  await reconciler?.stop();
  await boss?.stop({ graceful: false, wait: true }).catch(() => {});
  await stopHaproxy({ id: poolId }, LB).catch(() => {});
  demo.restore();
});

const instancesOf = (serviceId: number) => db.instance.findMany({ where: { serviceId }, include: { host: true }, orderBy: { id: "asc" } });

/** SIGKILL to the daemon's whole process group, as `kill -9` of a crashed process leaves it. */
function killHard(pidFile: string): number {
  const pid = Number(fs.readFileSync(pidFile, "utf8"));
  process.kill(-pid, "SIGKILL");
  return pid;
}
const instancePidFile = (i: { software: Parameters<typeof instanceLayout>[0]; version: string; port: number; host: { ip: string } }) =>
  path.join(demo.dir, "hosts", i.host.ip, instanceLayout(i.software, i.version, i.port).pidFile);

async function waitFor<T>(what: string, fn: () => Promise<T | null | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const gone = (ip: string, port: number) => waitFor(`${ip}:${port} to refuse`, async () => !(await listening(ip, port)), 5_000);

/** The service's jobs all finished (an operation in flight holds the service, and its start checks its process for a moment after it answers). */
const settled = (serviceId: number) =>
  waitFor(
    `the jobs of service ${serviceId} to finish`,
    async () => (await db.job.count({ where: { serviceId, status: { in: ["QUEUED", "RUNNING"] } } })) === 0,
  );

const automaticStarts = (instanceId: number) =>
  db.job.findMany({ where: { kind: "instance.start", automatic: true, input: { path: ["instanceId"], equals: instanceId } }, orderBy: { createdAt: "asc" } });

async function memcachedAnswers(ip: string, port: number) {
  const reply = await tcpRead(ip, port, 1000, "version\r\n", (b) => b.includes("\r\n")).catch(() => "");
  return reply.startsWith("VERSION");
}

async function redisPing(ip: string, port: number) {
  const r = new Redis({
    host: ip,
    port,
    ...(await loginAt(db, ip, port)),
    lazyConnect: true,
    protocol: 2,
    enableReadyCheck: false,
    disableClientInfo: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1000,
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

describe("the reconciler restarts what died, with no API call", () => {
  it("a killed Memcached serves again within 15 s, through an automatic, audited instance.start job", async () => {
    const [cache] = await instancesOf(memcachedId);
    const { ip } = cache!.host;
    const killedAt = Date.now();
    killHard(instancePidFile(cache!));
    await gone(ip, cache!.port);
    await waitFor("the Memcached to answer again", () => memcachedAnswers(ip, cache!.port));
    const seconds = (Date.now() - killedAt) / 1000;
    expect(seconds).toBeLessThan(15);

    const [job] = await automaticStarts(cache!.id);
    expect(job).toMatchObject({ automatic: true, createdById: null, serviceId: memcachedId });
    await waitFor("the job to finish", async () => (await db.job.findUniqueOrThrow({ where: { id: job!.id } })).status === "SUCCEEDED");
    const audit = await db.auditEntry.findFirstOrThrow({ where: { action: "instance.start", after: { path: ["jobId"], equals: job!.id } } });
    expect(audit.actorName).toBe("system");
    expect(audit.summary).toMatch(
      new RegExp(
        `^automatic: start memcached ${ip.replace(/\./g, "\\.")}:${cache!.port} .*stopped answering while its host ${ip.replace(/\./g, "\\.")} answers; automatic restart 1 of at most 3 an hour`,
      ),
    );
    expect((await db.instance.findUniqueOrThrow({ where: { id: cache!.id } })).state).toBe("RUNNING");
    console.log(JSON.stringify({ name: "reconciler.memcached-restart", seconds }));
  });

  it("a killed Twemproxy is started again, and its VIP serves through it", async () => {
    const proxies = (await instancesOf(twemproxyId)).filter((i) => i.role === "PROXY");
    const proxy = proxies[0]!;
    const killedAt = Date.now();
    killHard(instancePidFile(proxy));
    await gone(proxy.host.ip, proxy.port);
    await waitFor("the proxy to answer again", () => redisPing(proxy.host.ip, proxy.port));
    expect((Date.now() - killedAt) / 1000).toBeLessThan(15);
    expect(await automaticStarts(proxy.id)).toHaveLength(1);
    await settled(twemproxyId);
    const service = await db.service.findUniqueOrThrow({ where: { id: twemproxyId } });
    expect(await redisPing(service.entryHost!, service.entryPort!)).toBe(true);
  });

  it("a DBA's stop is maintenance: the stopped instance stays down, with no automatic job", async () => {
    const replicaOrMaster = (await instancesOf(twemproxyId)).find((i) => i.role === "MASTER")!;
    const job = await submitOperation(db, dba, { kind: "instance.stop", instanceId: replicaOrMaster.id, maintenance: { note: "moving its disk" } }, noDispatch);
    expect(await runJob(db, job.id, JOBS["instance.stop"]!)).toBe("SUCCEEDED");
    const stopped = await db.instance.findUniqueOrThrow({ where: { id: replicaOrMaster.id } });
    expect(stopped.state).toBe("STOPPED");
    expect(stopped.maintenanceUntil!.getTime()).toBeGreaterThan(Date.now() + 50 * 60_000); // the stop's default hour
    expect(stopped.maintenanceNote).toBe("moving its disk");
    await new Promise((r) => setTimeout(r, 4_000)); // several rounds
    expect(await listening(replicaOrMaster.host.ip, replicaOrMaster.port)).toBe(false);
    expect(await automaticStarts(replicaOrMaster.id)).toHaveLength(0);

    // the DBA starts it: the window ends, and from then on a death is restarted again
    const start = await submitOperation(db, dba, { kind: "instance.start", instanceId: replicaOrMaster.id }, noDispatch);
    expect(await runJob(db, start.id, JOBS["instance.start"]!)).toBe("SUCCEEDED");
    expect((await db.instance.findUniqueOrThrow({ where: { id: replicaOrMaster.id } })).maintenanceUntil).toBeNull();
  });

  it("a maintenance window on a running instance keeps Hedwig's hands off until the DBA ends it", async () => {
    const cache = (await instancesOf(memcachedId))[0]!;
    const until = new Date(Date.now() + 30 * 60_000);
    await startMaintenance(db, dba, cache.id, { until, note: "kernel upgrade" });
    await expect(startMaintenance(db, dba, cache.id, { until: new Date(Date.now() - 1000) })).rejects.toThrow(/must end in the future/);
    const before = (await automaticStarts(cache.id)).length;
    killHard(instancePidFile(cache));
    await gone(cache.host.ip, cache.port);
    await new Promise((r) => setTimeout(r, 4_000));
    expect(await listening(cache.host.ip, cache.port)).toBe(false);
    expect(await automaticStarts(cache.id)).toHaveLength(before);

    await endMaintenance(db, dba, cache.id);
    await waitFor("the Memcached to be restarted once the window ended", () => memcachedAnswers(cache.host.ip, cache.port));
    expect(await automaticStarts(cache.id)).toHaveLength(before + 1);
    await settled(memcachedId);
    expect(await db.auditEntry.count({ where: { action: { in: ["instance.maintenance", "instance.maintenance-end"] }, entityId: String(cache.id) } })).toBe(2);
  });

  it("a flapping instance stops being restarted, is held with a reason and escalated to the DBAs; a DBA's start lifts the hold", async () => {
    const cache = (await instancesOf(memcachedId))[0]!;
    const { ip } = cache.host;
    // the earlier tests already spent restarts of this hour; die until the limit of 3 is used up
    for (let n = (await automaticStarts(cache.id)).length; n < 3; n++) {
      killHard(instancePidFile(cache));
      await gone(ip, cache.port);
      await waitFor(`restart ${n + 1}`, () => memcachedAnswers(ip, cache.port));
      await settled(memcachedId);
    }
    killHard(instancePidFile(cache));
    await gone(ip, cache.port);
    const hold = await waitFor("the hold", () => db.restartHold.findUnique({ where: { instanceId: cache.id } }));
    expect(hold).toMatchObject({ code: "restarts_stopped", params: { address: `${ip}:${cache.port}`, restarts: 3, windowMinutes: 60 } });
    const notice = await db.notification.findFirstOrThrow({ where: { userId: dba.id, code: "healing.notices.restartsStopped" } });
    expect(notice.params).toMatchObject({ address: `${ip}:${cache.port}`, restarts: 3 });
    expect(notice.link).toBe(`/inventory/services/${memcachedId}`);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await listening(ip, cache.port)).toBe(false);
    expect(await automaticStarts(cache.id)).toHaveLength(3);
    expect(await db.notification.count({ where: { userId: dba.id, code: "healing.notices.restartsStopped" } })).toBe(1); // once, not every round

    const start = await submitOperation(db, dba, { kind: "instance.start", instanceId: cache.id }, noDispatch);
    expect(await runJob(db, start.id, JOBS["instance.start"]!)).toBe("SUCCEEDED");
    expect(await db.restartHold.findUnique({ where: { instanceId: cache.id } })).toBeNull();
    expect(await memcachedAnswers(ip, cache.port)).toBe(true);
  });

  it("a killed HAProxy is seen down, restarted by an automatic lb.restart job, and the VIP answers again", async () => {
    const service = await db.service.findUniqueOrThrow({ where: { id: twemproxyId } });
    const server = await db.lbServer.findFirstOrThrow({ where: { poolId }, include: { health: true } });
    expect(server.health).toMatchObject({ up: true });
    const upSince = server.health!.since;
    const killedAt = new Date();
    killHard(path.join(demo.dir, "hosts", LB.ip, poolFiles({ id: poolId }).pidFile));
    await gone(service.entryHost!, service.entryPort!);
    const job = await waitFor("an lb.restart job", () => db.job.findFirst({ where: { kind: "lb.restart", automatic: true, createdAt: { gte: killedAt } } }));
    expect(job.input).toMatchObject({ serverId: server.id, poolId });
    await waitFor("the VIP to serve again", () => redisPing(service.entryHost!, service.entryPort!));
    await waitFor("the job to finish", async () => (await db.job.findUniqueOrThrow({ where: { id: job.id } })).status === "SUCCEEDED");
    const health = await waitFor("HAProxy recorded up again", async () => {
      const h = await db.lbServerHealth.findUniqueOrThrow({ where: { serverId: server.id } });
      return h.up && h.since > upSince ? h : null;
    });
    expect(health.code).toBeNull();
    expect(
      await db.auditEntry.count({
        where: { action: "lb.restart", actorName: "system", summary: { startsWith: "automatic: start HAProxy of pool heal on 127.0.102.1" } },
      }),
    ).toBeGreaterThanOrEqual(1);
  });
});

describe("the board tells the truth about a dead load balancer", () => {
  it("HAProxy killed: the service behind its VIP turns red on the board with the impact in words; the lb-keeper restarts it through an automatic, audited job; green again", async () => {
    const service = await db.service.findUniqueOrThrow({ where: { id: twemproxyId } });
    const noc = await makeActor(db, "NOC");
    const collector = new Collector(db, { workerId: "rc-board", intervalMs: 1000, log: () => {} });
    const maintenance = fleetMaintenance(() => {});
    const tick = async () => {
      const t = await collector.tick(new Date(Math.ceil(Date.now() / 1000) * 1000), 1000);
      await maintenance(db, t.at, 1);
    };
    const tileOf = async () => (await loadBoard(db, noc)).groups.flatMap((g) => g.problems).find((t) => t.serviceId === twemproxyId) ?? null;
    try {
      await settled(twemproxyId);
      await tick();
      await new Promise((r) => setTimeout(r, 1000));
      await tick();
      expect((await db.serviceHealth.findUniqueOrThrow({ where: { serviceId: twemproxyId } })).level).toBe("GREEN");

      // the red phase is the test's: the loop waits while the board looks, then comes back to repair
      await reconciler.stop();
      const killedAt = new Date();
      killHard(path.join(demo.dir, "hosts", LB.ip, poolFiles({ id: poolId }).pidFile));
      await gone(service.entryHost!, service.entryPort!);
      await new Promise((r) => setTimeout(r, 1000));
      await tick();
      const red = await tileOf();
      expect(red?.level).toBe("RED");
      const impact = red!.reasons.find((r) => r.code === "canary_failed")!;
      expect(impact.params).toMatchObject({ via: "VIP", entry: `${service.entryHost}:${service.entryPort}` });
      const words = healthText("en", new Date()).reason(impact as Reason);
      expect(words).toMatch(
        new RegExp(`^clients see errors: (\\d+) of \\1 canary keys failed through the VIP ${service.entryHost!.replaceAll(".", "\\.")}:${service.entryPort}`),
      );
      expect(red!.incident).not.toBeNull();

      reconciler = startReconciler(
        db,
        url,
        (jobId) => dispatch(boss, jobId),
        () => {},
      );
      const job = await waitFor("the lb-keeper's restart", () => db.job.findFirst({ where: { kind: "lb.restart", createdAt: { gte: killedAt } } }));
      expect(job).toMatchObject({ automatic: true });
      await waitFor("the restart to succeed", async () => (await db.job.findUniqueOrThrow({ where: { id: job.id } })).status === "SUCCEEDED");
      expect(await db.auditEntry.count({ where: { action: "lb.restart", actorName: "system", summary: { contains: `(job ${job.id.slice(0, 8)})` } } })).toBe(1);
      await waitFor("the VIP to serve again", () => redisPing(service.entryHost!, service.entryPort!));
      await tick();
      expect(await tileOf()).toBeNull(); // no longer among the problems
      expect((await db.serviceHealth.findUniqueOrThrow({ where: { serviceId: twemproxyId } })).level).toBe("GREEN");
      const incident = await db.incident.findUniqueOrThrow({ where: { id: red!.incident!.id } });
      expect(incident.closedAt).not.toBeNull();
    } finally {
      await collector.stop();
    }
  });
});

describe("Hedwig's start brings everything back", () => {
  it("after a reboot (every daemon killed, the reconciler not running), the start-up path makes every VIP and instance answer again", async () => {
    await reconciler.stop();
    const all = await db.instance.findMany({ where: { serviceId: { in: [twemproxyId, memcachedId] }, state: "RUNNING" }, include: { host: true } });
    for (const i of all) killHard(instancePidFile(i));
    killHard(path.join(demo.dir, "hosts", LB.ip, poolFiles({ id: poolId }).pidFile));
    const vips = await db.lbVip.findMany({ where: { application: { poolId } } });
    expect(vips.length).toBeGreaterThan(0);
    for (const v of vips) await gone(v.ip, v.port);

    const lines: string[] = [];
    const log = async (m: Text | string) => void lines.push(english(m));
    const back = await bringBackLocalFleet(db, url, { info: log, warn: log, error: log });
    expect(back.instances).toEqual({ started: all.length, failed: 0 });
    expect(back.loadBalancers).toEqual({ started: 1, failed: 0 });
    for (const v of vips) expect(await redisPing(v.ip, v.port), `VIP ${v.ip}:${v.port}`).toBe(true);
    for (const i of all) expect(await listening(i.host.ip, i.port), `${i.host.ip}:${i.port}`).toBe(true);
    // the load balancer came back as an automatic job of its own, with its log
    const job = await db.job.findFirstOrThrow({ where: { kind: "lb.restart", automatic: true }, orderBy: { createdAt: "desc" }, include: { logs: true } });
    expect(job.status).toBe("SUCCEEDED");
    expect(job.logs.some((l) => /HAProxy started/.test(l.message))).toBe(true);
  });
});
