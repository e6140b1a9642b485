import { spawn, type ChildProcess } from "node:child_process";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "../../server/api/root";
import { createContext } from "../../server/api/trpc";
import type { Db } from "../../server/db/client";
import type { Actor } from "../../server/domain/access/actor";
import { trafficJob } from "../../server/domain/monitoring/traffic/job";
import { listTraffic, startTraffic, stopTraffic } from "../../server/domain/monitoring/traffic/submit";
import { runJob } from "../../server/jobs/runner";
import { freshDatabase, makeActor } from "./db";
import { listening } from "./demo-fleet";

/**
 * The demo traffic generator against a real redis-server and memcached on this test's loopback
 * addresses (127.0.14.x): the commands really arrive (INFO / stats counters move), a stop request
 * ends the run, and anything that is not loopback or over the caps is refused.
 */
const IP = "127.0.14.7";
const REDIS_PORT = 16379;
const MC_PORT = 21211;
let db: Db;
let dba: Actor;
let noc: Actor;
const procs: ChildProcess[] = [];
const ids = { redis: 0, memcached: 0, remote: 0 };
const noDispatch = async () => {};

async function daemon(cmd: string, args: string[], port: number) {
  const p = spawn(cmd, args, { stdio: "ignore" });
  procs.push(p);
  for (let i = 0; i < 100 && !(await listening(IP, port)); i++) await new Promise((r) => setTimeout(r, 50));
  expect(await listening(IP, port)).toBe(true);
}

beforeAll(async () => {
  await daemon("redis-server", ["--bind", IP, "--port", String(REDIS_PORT), "--save", "", "--appendonly", "no"], REDIS_PORT);
  await daemon("memcached", ["-l", IP, "-p", String(MC_PORT), "-U", "0", "-u", "root", "-m", "16"], MC_PORT);
  ({ db } = await freshDatabase());
  const dept = await db.department.create({ data: { code: "t", name: "Traffic" } });
  const line = await db.productLine.create({ data: { code: "traffic", name: "Traffic", departmentId: dept.id, importance: 2 } });
  const svc = (name: string, kind: "REDIS_STANDALONE" | "MEMCACHED", entryHost: string, entryPort: number) =>
    db.service.create({ data: { name, kind, productLineId: line.id, entryHost, entryPort } });
  ids.redis = (await svc("traffic-redis", "REDIS_STANDALONE", IP, REDIS_PORT)).id;
  ids.memcached = (await svc("traffic-mc", "MEMCACHED", IP, MC_PORT)).id;
  ids.remote = (await svc("traffic-remote", "REDIS_STANDALONE", "10.20.30.40", 6379)).id;
  dba = await makeActor(db, "DBA");
  noc = await makeActor(db, "NOC");
});

afterAll(() => {
  for (const p of procs) p.kill("SIGKILL");
});

async function commandCounts(): Promise<{ get: number; set: number }> {
  const r = new Redis({ host: IP, port: REDIS_PORT, lazyConnect: true });
  await r.connect();
  try {
    const info = await r.info("commandstats");
    const calls = (c: string) => Number(info.match(new RegExp(`cmdstat_${c}:calls=(\\d+)`))?.[1] ?? 0);
    return { get: calls("get"), set: calls("set") };
  } finally {
    r.disconnect();
  }
}

async function memcachedStats(): Promise<Record<string, number>> {
  const net = await import("node:net");
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: IP, port: MC_PORT }, () => s.write("stats\r\n"));
    let buf = "";
    s.on("data", (d) => {
      buf += d.toString();
      if (buf.includes("END\r\n")) {
        s.end();
        resolve(Object.fromEntries([...buf.matchAll(/STAT (\w+) (\d+)/g)].map((m) => [m[1]!, Number(m[2])])));
      }
    });
    s.on("error", reject);
  });
}

describe("demo traffic", () => {
  it("sends the asked rate and mix to Redis: INFO's command counters move by that much", async () => {
    const before = await commandCounts();
    const job = await startTraffic(db, dba, { serviceId: ids.redis, ratePerSec: 400, durationSec: 3, readRatio: 0.75 }, noDispatch);
    expect(await runJob(db, job.id, trafficJob)).toBe("SUCCEEDED");
    const after = await commandCounts();
    const gets = after.get - before.get;
    const sets = after.set - before.set;
    // 400 ops/s for 3 s: up to 1,200, three quarters of them reads (the last tick may fall after the end).
    expect(gets + sets).toBeGreaterThanOrEqual(1100);
    expect(gets + sets).toBeLessThanOrEqual(1200);
    expect(gets / (gets + sets)).toBeCloseTo(0.75, 2);
    const [run] = await listTraffic(db, ids.redis);
    expect(run!.status).toBe("SUCCEEDED");
    expect(run!.logs.map((l) => l.message).join("\n")).toMatch(/done after 3 s: \d+ sent/);
    expect(await db.auditEntry.count({ where: { action: "monitoring.traffic", entityId: String(ids.redis) } })).toBe(1);
  });

  it("sends the memcached text protocol to a Memcached service", async () => {
    const before = await memcachedStats();
    const job = await startTraffic(db, dba, { serviceId: ids.memcached, ratePerSec: 200, durationSec: 2, readRatio: 0.5 }, noDispatch);
    expect(await runJob(db, job.id, trafficJob)).toBe("SUCCEEDED");
    const after = await memcachedStats();
    expect(after.cmd_get! - before.cmd_get!).toBeGreaterThanOrEqual(180);
    expect(after.cmd_set! - before.cmd_set!).toBeGreaterThanOrEqual(180);
    expect(after.get_hits! - before.get_hits!).toBeGreaterThan(0);
  });

  it("stops when asked, and refuses a second run on the same service meanwhile", async () => {
    const job = await startTraffic(db, dba, { serviceId: ids.redis, ratePerSec: 100, durationSec: 60, readRatio: 0.5 }, noDispatch);
    await expect(startTraffic(db, dba, { serviceId: ids.redis, ratePerSec: 100, durationSec: 60, readRatio: 0.5 }, noDispatch)).rejects.toThrow(
      /already queued on traffic-redis; stop it first/,
    );
    const t0 = Date.now();
    const running = runJob(db, job.id, trafficJob);
    await new Promise((r) => setTimeout(r, 1500));
    await stopTraffic(db, dba, job.id);
    expect(await running).toBe("SUCCEEDED");
    expect(Date.now() - t0).toBeLessThan(10_000);
    const [run] = await listTraffic(db, ids.redis);
    expect(run!.stopRequested).toBe(true);
    expect(run!.logs.map((l) => l.message).join("\n")).toMatch(/stopped on request/);
    await expect(stopTraffic(db, dba, job.id)).rejects.toThrow(/has already finished/);
  });

  it("refuses anything that is not loopback, over the caps, or asked by a role that may not", async () => {
    await expect(startTraffic(db, dba, { serviceId: ids.remote, ratePerSec: 10, durationSec: 10, readRatio: 0.5 }, noDispatch)).rejects.toThrow(
      "demo traffic goes only to loopback addresses (127.0.0.0/8); the entry point 10.20.30.40:6379 is not one",
    );
    await expect(startTraffic(db, dba, { serviceId: ids.redis, ratePerSec: 2001, durationSec: 601, readRatio: 0.5 }, noDispatch)).rejects.toThrow(
      /from 1 to 2000 .*; the duration must be from 1 to 600 seconds/,
    );
    const api = (a: Actor) => appRouter.createCaller(createContext(a.id, db));
    await expect(api(dba).metrics.startTraffic({ serviceId: ids.redis, ratePerSec: 5000, durationSec: 10, readRatio: 0.5 })).rejects.toThrow(
      /capped at 2000 operations per second/,
    );
    await expect(api(dba).metrics.startTraffic({ serviceId: ids.redis, ratePerSec: 10, durationSec: 3600, readRatio: 0.5 })).rejects.toThrow(
      /at most 600 seconds/,
    );
    await expect(api(noc).metrics.startTraffic({ serviceId: ids.redis, ratePerSec: 10, durationSec: 10, readRatio: 0.5 })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await db.job.count({ where: { input: { path: ["serviceId"], equals: ids.remote } } })).toBe(0);
  });
});
