import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/client";
import { ensureSettingsAndRanges } from "../../server/db/seed";
import type { Actor } from "../../server/domain/access/actor";
import { appAuth } from "../../server/domain/credentials/store";
import { provisionJob } from "../../server/domain/provisioning/provision-job";
import type { RequestForm } from "../../server/domain/provisioning/request-schema";
import { reshardJob } from "../../server/domain/reshard/job";
import { latestReshard, planReshard, submitReshard } from "../../server/domain/reshard/submit";
import { approveRequest, createRequest } from "../../server/domain/requests/requests";
import { runJob } from "../../server/jobs/runner";
import { freshDatabase, makeActor } from "./db";
import { createDemoHosts, listening, pidFilesUnder, useDemoDataDir } from "./demo-fleet";

/**
 * The resize job on a Twemproxy service Hedwig delivered for real on this test's demo hosts
 * (127.0.153.x): grow with a client writing through a proxy, a failure injected at each step undone
 * to the old layout with every key there and nothing left running, and a shrink back; a shrink the
 * data does not fit is refused in words.
 */
let db: Db;
let dba: Actor;
let serviceId: number;
let demoDir: ReturnType<typeof useDemoDataDir>;
const noDispatch = async () => {};
const N = 20_000;

beforeAll(async () => {
  demoDir = useDemoDataDir("reshard");
  ({ db } = await freshDatabase());
  await ensureSettingsAndRanges(db);
  for (const [software, nextPort] of [
    ["REDIS", 9400],
    ["REDIS_SENTINEL", 27800],
    ["TWEMPROXY", 23800],
    ["MEMCACHED", 13800],
  ] as const)
    await db.portRange.update({ where: { software }, data: { nextPort } });
  const dept = await db.department.create({ data: { code: "trade", name: "Trade" } });
  const line = await db.productLine.create({ data: { code: "trade-order", name: "Orders", departmentId: dept.id, importance: 3 } });
  const biz = await makeActor(db, "BUSINESS", [line.id]);
  dba = await makeActor(db, "DBA");
  await createDemoHosts(db, { prefix: "127.0.153", idcCode: "r1", departmentId: dept.id });
  const form: RequestForm = {
    productLineId: line.id,
    kind: "REDIS_TWEMPROXY",
    purpose: "orders by id",
    capacityGb: 4,
    peakQps: 20000,
    expectedKeys: 1_000_000,
    persistence: "none",
    highAvailability: true,
    idcPreference: null,
    readRatio: 80,
  };
  const request = await db.$transaction((tx) => createRequest(tx, biz, form, true));
  const job = await approveRequest(db, dba, request.id, null, noDispatch);
  expect(await runJob(db, job.id, provisionJob)).toBe("SUCCEEDED");
  serviceId = (await db.resourceRequest.findUniqueOrThrow({ where: { id: request.id } })).serviceId!;
  const c = await client();
  for (let i = 0; i < N; i += 2000) {
    const p = c.pipeline();
    for (let j = i; j < i + 2000; j++) p.set(`order:${j}`, `o${j}`);
    await p.exec();
  }
  c.disconnect();
}, 180_000);

afterEach(() => {
  delete process.env.HEDWIG_RESHARD_FAIL_AT;
});
afterAll(() => demoDir.restore());

async function client() {
  const proxy = await db.instance.findFirstOrThrow({ where: { serviceId, role: "PROXY" }, include: { host: true } });
  const auth = (await appAuth(db, serviceId))!;
  return new Redis({
    host: proxy.host.ip,
    port: proxy.port,
    password: auth.password,
    protocol: 2,
    enableReadyCheck: false,
    disableClientInfo: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => 20,
  });
}

async function shards() {
  return db.instance.count({ where: { serviceId, role: "MASTER" } });
}

/** Every preloaded key and every acknowledged write, read back through a proxy. */
async function missing(written: Map<string, string>) {
  const c = await client();
  const keys = [...Array.from({ length: N }, (_, j) => [`order:${j}`, `o${j}`] as const), ...written];
  const bad: string[] = [];
  for (let i = 0; i < keys.length; i += 2000) {
    const part = keys.slice(i, i + 2000);
    const got = await c.mget(...part.map(([k]) => k));
    part.forEach(([k, v], j) => got[j] !== v && bad.push(k));
  }
  c.disconnect();
  return bad;
}

async function resize(shardsTo: number, writes: Map<string, string>) {
  const c = await client();
  let on = true;
  let n = 0;
  const writer = (async () => {
    while (on) {
      const k = `live:${shardsTo}:${n++}`;
      await c.set(k, "x").then(
        () => void writes.set(k, "x"),
        () => undefined,
      );
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  const job = await submitReshard(db, dba, { serviceId, shards: shardsTo }, noDispatch);
  const status = await runJob(db, job.id, reshardJob);
  on = false;
  await writer;
  c.disconnect();
  return { job, status };
}

describe("resizing a delivered Twemproxy service", () => {
  let before = 0;
  const writes = new Map<string, string>();

  it("plans a grow with the new shards' hosts and ports, and the share of keys that moves", async () => {
    before = await shards();
    const plan = await planReshard(db, dba, { serviceId, shards: before + 2 });
    expect(plan.newShards).toHaveLength(2);
    expect(plan.newShards[0]!.master).toMatch(/^127\.0\.153\.\d+:\d+$/);
    expect(plan.share).toBeGreaterThan(0.15);
    expect(plan.movingKeys).toBeGreaterThan(0);
  });

  for (const step of ["place", "deploy", "move", "catalogue", "cleanup", "retire"]) {
    it(`a failure at "${step}" leaves the old layout whole, with nothing left running`, async () => {
      const pidsBefore = pidFilesUnder(demoDir.dir).length;
      process.env.HEDWIG_RESHARD_FAIL_AT = step;
      const { job, status } = await resize(before + 1, writes);
      expect(status).toBe("FAILED");
      expect((await db.job.findUniqueOrThrow({ where: { id: job.id } })).error).toContain(`injected failure at ${step}`);
      expect(await shards()).toBe(before);
      expect(await missing(writes)).toEqual([]);
      // nothing of the new shard is left: no process, no lock, no port
      const state = (await db.job.findUniqueOrThrow({ where: { id: job.id } })).state as { placed?: { ip: string; port: number }[] };
      for (const p of state.placed ?? []) expect(await listening(p.ip, p.port)).toBe(false);
      expect(await db.allocation.count({ where: { status: "LOCKED" } })).toBe(0);
      expect(pidFilesUnder(demoDir.dir).length).toBe(pidsBefore);
    });
  }

  it("grows by two shards with a client writing: every key is where nutcracker looks, the progress is on the job", async () => {
    const { job, status } = await resize(before + 2, writes);
    const latest = await latestReshard(db, serviceId);
    expect(status, JSON.stringify(latest?.logs.slice(-5).map((l) => l.message))).toBe("SUCCEEDED");
    expect(await shards()).toBe(before + 2);
    expect(await missing(writes)).toEqual([]);
    expect(latest!.id).toBe(job.id);
    expect(latest!.progress!.moved).toBeGreaterThan(N * 0.1);
    expect(latest!.progress!.pauseMs).toBeLessThan(5000);
  });

  it("refuses a shrink below what the data needs, in words", async () => {
    await db.instance.updateMany({ where: { serviceId, role: { in: ["MASTER", "REPLICA"] } }, data: { maxmemoryMb: 1 } });
    await expect(planReshard(db, dba, { serviceId, shards: 1 })).rejects.toThrow(/too few|装不下/);
    const m = await db.instance.findFirstOrThrow({ where: { serviceId, role: "MASTER" } });
    await db.instance.updateMany({ where: { serviceId, role: { in: ["MASTER", "REPLICA"] } }, data: { maxmemoryMb: m.memoryMb } });
  });

  it("shrinks back: the retired shards stop and give their ports back", async () => {
    const retired = await db.instance.findMany({
      where: { serviceId, role: { in: ["MASTER", "REPLICA"] }, shardIndex: { gte: before } },
      include: { host: true },
    });
    const { status } = await resize(before, writes);
    expect(status).toBe("SUCCEEDED");
    expect(await shards()).toBe(before);
    expect(await missing(writes)).toEqual([]);
    for (const r of retired) {
      expect(await listening(r.host.ip, r.port)).toBe(false);
      expect(await db.portClaim.count({ where: { hostId: r.hostId, port: r.port } })).toBe(0);
    }
  });
});
