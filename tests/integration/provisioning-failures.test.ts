import { english } from "../../i18n/load";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/client";
import { ensureSettingsAndRanges } from "../../server/db/seed";
import type { Actor } from "../../server/domain/access/actor";
import { provisionJob, type ProvisionInput, type ProvisionState } from "../../server/domain/provisioning/provision-job";
import type { RequestForm } from "../../server/domain/provisioning/request-schema";
import { approveRequest, createRequest } from "../../server/domain/requests/requests";
import { dispatch, QUEUE, startQueue } from "../../server/jobs/queue";
import { runJob } from "../../server/jobs/runner";
import type { JobDefinition } from "../../server/jobs/steps";
import { freshDatabase, makeActor } from "./db";
import { createDemoHosts, listening, pidFilesUnder, useDemoDataDir } from "./demo-fleet";

/**
 * Provisioning when things break, with real daemons on this file's own demo hosts (127.0.8.x):
 * a failure after each step is undone completely, and a worker process killed mid-job leaves a
 * job that another worker resumes.
 */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
let db: Db;
let url: string;
let biz: Actor;
let dba: Actor;
let lineId: number;
let demoDir: ReturnType<typeof useDemoDataDir>;
let dataDir: string;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  demoDir = useDemoDataDir("prov-fail");
  dataDir = demoDir.dir;
  ({ db, url } = await freshDatabase());
  await ensureSettingsAndRanges(db);
  // Ports of our own too, away from the ranges' first ports that other suites' daemons take.
  for (const [software, nextPort] of [
    ["REDIS", 8400],
    ["REDIS_SENTINEL", 26800],
    ["TWEMPROXY", 22800],
    ["MEMCACHED", 12800],
  ] as const) {
    await db.portRange.update({ where: { software }, data: { nextPort } });
  }
  const dept = await db.department.create({ data: { code: "pay", name: "Payments" } });
  lineId = (await db.productLine.create({ data: { code: "pay-risk", name: "Risk", departmentId: dept.id, importance: 3 } })).id;
  biz = await makeActor(db, "BUSINESS", [lineId]);
  dba = await makeActor(db, "DBA");
  await createDemoHosts(db, { prefix: "127.0.8", idcCode: "f1", departmentId: dept.id });
});

afterAll(async () => {
  for (const w of workers) killGroup(w.pid);
  demoDir.restore();
});

function killGroup(pid: number | undefined) {
  if (!pid || !Number.isInteger(pid) || pid <= 1) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    /* already gone */
  }
}

/** pid file → pid, for every pid file under the data directory */
function pidFiles(): Map<string, number> {
  return new Map(pidFilesUnder(dataDir).map((f) => [path.relative(dataDir, f), Number(fs.readFileSync(f, "utf8"))]));
}

/** Alive, and not a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  const stat = (() => {
    try {
      return fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      return null;
    }
  })();
  return stat !== null && stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const noDispatch = async () => {};
const small: RequestForm = {
  productLineId: 0,
  kind: "REDIS_SENTINEL",
  purpose: "risk scores",
  capacityGb: 1,
  peakQps: 5000,
  expectedKeys: 100000,
  persistence: "none",
  highAvailability: true,
  idcPreference: null,
  readRatio: 80,
};

async function submit(purpose: string) {
  return db.$transaction((tx) => createRequest(tx, biz, { ...small, productLineId: lineId, purpose }, true));
}

/** Every address the job's allocations ever held, whatever became of them. */
async function addressesOf(jobId: string) {
  const items = await db.allocationItem.findMany({
    where: { allocation: { ownerRef: `job:${jobId}` } },
    select: { hostId: true, port: true, host: { select: { ip: true } } },
  });
  return items.map((i) => ({ hostId: i.hostId, ip: i.host.ip, port: i.port }));
}

describe("A failure injected at each step leaves no process running and no lock held", () => {
  // The first step only moves the request and names the service; every later one is broken once.
  const cases = provisionJob.steps.map((s, k) => ({ k, name: english(s.name) })).slice(1);

  it.each(cases)("failure after step $k ($name)", async ({ k, name }) => {
    let pidsAtFailure = new Map<string, number>();
    const broken: JobDefinition<ProvisionInput, ProvisionState> = {
      ...provisionJob,
      steps: provisionJob.steps.map((s, i) =>
        i === k
          ? {
              ...s,
              run: async (ctx) => {
                await s.run(ctx);
                pidsAtFailure = pidFiles();
                throw new Error("injected");
              },
            }
          : s,
      ),
    };
    const request = await submit(`risk scores, broken after step ${k}`);
    const job = await approveRequest(db, dba, request.id, null, noDispatch);
    expect(await runJob(db, job.id, broken)).toBe("FAILED");

    const after = await db.job.findUniqueOrThrow({ where: { id: job.id }, include: { steps: { orderBy: { index: "asc" } } } });
    expect(after.error).toBe(`${name}: injected`);
    expect(after.steps[k]!.status).toBe("FAILED");
    // every finished step with an undo was undone
    for (const s of after.steps.slice(0, k)) expect(s.status, s.name).toBe(provisionJob.steps[s.index]!.undo ? "UNDONE" : "DONE");
    expect((await db.resourceRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("FAILED");

    // no daemon of the job runs or listens, and none left its pid file
    const addresses = await addressesOf(job.id);
    expect(addresses).toHaveLength(5);
    for (const a of addresses) expect(await listening(a.ip, a.port), `${a.ip}:${a.port}`).toBe(false);
    const started = [...pidsAtFailure.values()];
    if (k >= 3) expect(started.length).toBeGreaterThanOrEqual(k >= 4 ? 5 : 2);
    for (const pid of started) expect(alive(pid), `pid ${pid}`).toBe(false);
    expect(pidFiles().size).toBe(0);

    // no lock or allocation held, no port claimed, no service or instance left
    const allocations = await db.allocation.findMany({ where: { ownerRef: `job:${job.id}` } });
    expect(allocations).toHaveLength(2);
    expect(allocations.map((a) => a.status)).toEqual(["RELEASED", "RELEASED"]);
    expect(await db.portClaim.count({ where: { allocationItem: { allocationId: { in: allocations.map((a) => a.id) } } } })).toBe(0);
    expect(await db.portClaim.count({ where: { OR: addresses.map((a) => ({ hostId: a.hostId, port: a.port })) } })).toBe(0);
    expect(await db.instance.count({ where: { OR: addresses.map((a) => ({ hostId: a.hostId, port: a.port })) } })).toBe(0);
    const serviceName = (after.state as ProvisionState).serviceName;
    expect(serviceName).toBeTruthy();
    expect(await db.service.count({ where: { name: serviceName } })).toBe(0);
    expect((await db.resourceRequest.findUniqueOrThrow({ where: { id: request.id } })).serviceId).toBeNull();
  });
});

describe("a worker killed mid-job", () => {
  function startWorker(name: string) {
    const child = spawn("npx", ["tsx", "server/jobs/worker-main.ts"], {
      cwd: ROOT,
      // info: the test waits for the worker's start line (under NODE_ENV=test the log says only warnings)
      env: { ...process.env, DATABASE_URL: url, HEDWIG_DATA_DIR: dataDir, HEDWIG_LOG_LEVEL: "info" },
      detached: true, // a process group of its own: npx, tsx and node die together
      stdio: ["ignore", "pipe", "pipe"],
    });
    workers.push(child);
    const out: string[] = [];
    child.stdout!.on("data", (b: Buffer) => out.push(b.toString()));
    child.stderr!.on("data", (b: Buffer) => out.push(b.toString()));
    const exited = new Promise<void>((r) => child.once("exit", () => r()));
    return { child, out, exited, name };
  }

  async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs: number, everyMs = 50): Promise<T> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const v = await fn();
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await sleep(everyMs);
    }
  }

  const messages = (jobId: string) =>
    db.$queryRawUnsafe<{ id: string; state: string }[]>(
      `SELECT id, state::text FROM pgboss.job WHERE name = $1 AND singleton_key = $2 ORDER BY created_on`,
      QUEUE,
      jobId,
    );

  it("resumes on another worker, skipping the finished steps and restarting nothing", async () => {
    let boss: PgBoss | null = null;
    const a = startWorker("A");
    try {
      boss = await startQueue(url);
      const request = await submit("risk scores, worker killed");
      const job = await approveRequest(db, dba, request.id, null, (id) => dispatch(boss!, id));
      const start = provisionJob.steps.findIndex((s) => english(s.name) === "Start processes");
      await until(
        `worker A to reach "Start processes"\n${a.out.join("")}`,
        async () => {
          const s = await db.jobStep.findUnique({ where: { jobId_index: { jobId: job.id, index: start } } });
          return s && (s.status === "RUNNING" || s.status === "DONE");
        },
        45_000,
        20,
      );
      killGroup(a.child.pid);
      await a.exited;
      const pidsAtKill = pidFiles();
      const killed = await db.job.findUniqueOrThrow({ where: { id: job.id }, include: { steps: { orderBy: { index: "asc" } } } });
      expect(killed.status).toBe("RUNNING");
      expect(killed.attempt).toBe(1);
      const doneAtKill = killed.steps.filter((s) => s.status === "DONE").map((s) => s.index);
      // pg-boss still counts the dead worker's message as active
      expect((await messages(job.id)).map((m) => m.state)).toEqual(["active"]);

      const b = startWorker("B");
      await until(`worker B to start`, async () => /running; Ctrl-C stops it/.test(b.out.join("")), 30_000).catch((e: Error) => {
        throw new Error(`${e.message}\nworker B:\n${b.out.join("")}`);
      });
      // B finds the job held by no live worker (A's advisory lock went with its connection), fails the
      // dead message and re-queues the job at start: no waiting for pg-boss's 15-minute expiry.

      const delivered = await until(
        `the request to be delivered\nworker B:\n${b.out.join("")}`,
        async () => {
          const r = await db.resourceRequest.findUniqueOrThrow({ where: { id: request.id } });
          return r.status === "DELIVERED" || r.status === "FAILED" ? r : null;
        },
        45_000,
        100,
      );
      const after = await db.job.findUniqueOrThrow({ where: { id: job.id }, include: { steps: { orderBy: { index: "asc" } } } });
      expect(after.error).toBeNull();
      expect(delivered.status).toBe("DELIVERED");
      expect(after.status).toBe("SUCCEEDED");
      expect(after.attempt).toBe(2);
      expect(await db.jobLog.count({ where: { jobId: job.id, message: { contains: "resuming after an interrupted attempt" } } })).toBe(1);
      // steps finished before the kill ran once: one "▶" line each
      for (const index of doneAtKill) {
        const name = english(provisionJob.steps[index]!.name);
        expect(await db.jobLog.count({ where: { jobId: job.id, message: `▶ ${name}` } }), name).toBe(1);
      }
      expect(after.steps.every((s) => s.status === "DONE")).toBe(true);
      // one lock per placement group, not a second set
      expect((await db.allocation.findMany({ where: { ownerRef: `job:${job.id}` } })).map((x) => x.status)).toEqual(["COMMITTED", "COMMITTED"]);
      // a daemon started before the kill kept running (same pid), and every instance listens
      const pidsNow = pidFiles();
      for (const [file, pid] of pidsAtKill) expect(pidsNow.get(file), file).toBe(pid);
      const service = await db.service.findUniqueOrThrow({ where: { id: delivered.serviceId! }, include: { instances: { include: { host: true } } } });
      expect(service.instances).toHaveLength(5);
      for (const i of service.instances) expect(await listening(i.host.ip, i.port), `${i.host.ip}:${i.port}`).toBe(true);
      expect(pidsNow.size).toBe(5);
      for (const pid of pidsNow.values()) expect(alive(pid)).toBe(true);
    } finally {
      await boss?.stop({ graceful: false, wait: true });
      for (const w of workers) killGroup(w.pid);
    }
  }, 90_000);
});
