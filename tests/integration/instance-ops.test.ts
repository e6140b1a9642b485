import fs from "node:fs";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/client";
import { ensureSettingsAndRanges } from "../../server/db/seed";
import type { Actor } from "../../server/domain/access/actor";
import { submitOperation } from "../../server/domain/operations";
import type { OperationRequest } from "../../server/domain/operations/kinds";
import { provisionJob } from "../../server/domain/provisioning/provision-job";
import type { RequestForm } from "../../server/domain/provisioning/request-schema";
import { approveRequest, createRequest } from "../../server/domain/requests/requests";
import { JOBS } from "../../server/jobs/registry";
import { runJob } from "../../server/jobs/runner";
import { freshDatabase, makeActor } from "./db";
import { createDemoHosts, listening, loginAt, useDemoDataDir } from "./demo-fleet";

/**
 * Instance operations against real processes: Sentinel, Twemproxy and Memcached services are
 * delivered on this test's own demo hosts (127.0.7.x), then started, stopped, failed over, cloned
 * and removed through the same jobs the worker runs.
 */
let db: Db;
let dba: Actor;
const services: Record<"sentinel" | "twemproxy" | "memcached", number> = { sentinel: 0, twemproxy: 0, memcached: 0 };
let demoDir: ReturnType<typeof useDemoDataDir>;
let dataDir: string;
const noDispatch = async () => {};
const base: RequestForm = {
  productLineId: 0,
  kind: "REDIS_SENTINEL",
  purpose: "instance operations under test",
  capacityGb: 1,
  peakQps: 5000,
  expectedKeys: 100000,
  persistence: "none",
  highAvailability: true,
  idcPreference: null,
  readRatio: 80,
};

beforeAll(async () => {
  demoDir = useDemoDataDir("ops");
  dataDir = demoDir.dir;
  ({ db } = await freshDatabase());
  await ensureSettingsAndRanges(db);
  const dept = await db.department.create({ data: { code: "ops", name: "Ops" } });
  // One product line per service: deliveries run at once, and each line names its services alone.
  const lines = await Promise.all(
    ["ops-a", "ops-b", "ops-c"].map((code) => db.productLine.create({ data: { code, name: code, departmentId: dept.id, importance: 3 } })),
  );
  const biz = await makeActor(
    db,
    "BUSINESS",
    lines.map((l) => l.id),
  );
  dba = await makeActor(db, "DBA");
  await createDemoHosts(db, { prefix: "127.0.7", idcCode: "o1", departmentId: dept.id });
  const deliver = async (form: RequestForm, lineId: number) => {
    const request = await db.$transaction((tx) => createRequest(tx, biz, { ...form, productLineId: lineId }, true));
    const job = await approveRequest(db, dba, request.id, null, noDispatch);
    expect(await runJob(db, job.id, provisionJob)).toBe("SUCCEEDED");
    return (await db.resourceRequest.findUniqueOrThrow({ where: { id: request.id } })).serviceId!;
  };
  [services.sentinel, services.twemproxy, services.memcached] = await Promise.all([
    deliver(base, lines[0]!.id),
    deliver({ ...base, kind: "REDIS_TWEMPROXY", capacityGb: 20, peakQps: 100000, expectedKeys: 50_000_000 }, lines[1]!.id),
    deliver({ ...base, kind: "MEMCACHED", highAvailability: false }, lines[2]!.id),
  ]);
});

afterAll(() => demoDir.restore());

/** RESP2 without a handshake, so the same client talks to Redis and to Twemproxy. */
async function withClient<T>(ip: string, port: number, fn: (r: Redis) => Promise<T>): Promise<T> {
  const r = new Redis({
    host: ip,
    port,
    ...(await loginAt(db, ip, port)),
    lazyConnect: true,
    protocol: 2,
    enableReadyCheck: false,
    disableClientInfo: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  await r.connect();
  try {
    return await fn(r);
  } finally {
    r.disconnect();
  }
}

const instancesOf = (serviceId: number) =>
  db.instance.findMany({ where: { serviceId }, include: { host: true }, orderBy: [{ shardIndex: "asc" }, { id: "asc" }] });

const pidFileOf = (ip: string, port: number) => path.join(dataDir, "hosts", ip, "data/hedwig/run/redis", `${port}.pid`);

/** Submits as the DBA (audit + job row), then runs the job as the worker would. */
async function operate(req: OperationRequest) {
  const job = await submitOperation(db, dba, req, noDispatch);
  const status = await runJob(db, job.id, JOBS[req.kind]!);
  const done = await db.job.findUniqueOrThrow({ where: { id: job.id }, include: { logs: true } });
  expect(done.logs.length, `${req.kind} writes its log`).toBeGreaterThan(0);
  expect(await db.auditEntry.count({ where: { action: req.kind, after: { path: ["jobId"], equals: job.id } } }), `${req.kind} is audited`).toBe(1);
  return { status, error: done.error, logs: done.logs.map((l) => l.message) };
}

describe("instance operations on the local executor", () => {
  it("stops, starts and restarts a Redis replica; one operation at a time per service", async () => {
    const replica = (await instancesOf(services.twemproxy)).find((i) => i.role === "REPLICA" && i.shardIndex === 1)!;
    const { ip } = replica.host;
    const queued = await submitOperation(db, dba, { kind: "instance.stop", instanceId: replica.id }, noDispatch);
    await expect(submitOperation(db, dba, { kind: "instance.start", instanceId: replica.id }, noDispatch)).rejects.toThrow(/instance.stop .* still queued/);
    expect(await runJob(db, queued.id, JOBS["instance.stop"]!)).toBe("SUCCEEDED");
    expect(await listening(ip, replica.port)).toBe(false);
    expect((await db.instance.findUniqueOrThrow({ where: { id: replica.id } })).state).toBe("STOPPED");

    expect((await operate({ kind: "instance.start", instanceId: replica.id })).status).toBe("SUCCEEDED");
    expect(await withClient(ip, replica.port, (r) => r.ping())).toBe("PONG");
    expect((await db.instance.findUniqueOrThrow({ where: { id: replica.id } })).state).toBe("RUNNING");

    const pidBefore = fs.readFileSync(pidFileOf(ip, replica.port), "utf8");
    expect((await operate({ kind: "instance.restart", instanceId: replica.id })).status).toBe("SUCCEEDED");
    expect(fs.readFileSync(pidFileOf(ip, replica.port), "utf8")).not.toBe(pidBefore);
    expect(await withClient(ip, replica.port, (r) => r.ping())).toBe("PONG");
  });

  it("changes maxmemory live, in redis.conf and in the catalogue; refuses Memcached and more than the host has", async () => {
    const master = (await instancesOf(services.sentinel)).find((i) => i.role === "MASTER")!;
    expect((await operate({ kind: "instance.maxmemory", instanceId: master.id, maxmemoryMb: 300 })).status).toBe("SUCCEEDED");
    expect(await withClient(master.host.ip, master.port, (r) => r.call("CONFIG", "GET", "maxmemory"))).toEqual(["maxmemory", String(300 * 1024 * 1024)]);
    expect((await db.instance.findUniqueOrThrow({ where: { id: master.id } })).maxmemoryMb).toBe(300);
    expect(fs.readFileSync(path.join(dataDir, "hosts", master.host.ip, "data/hedwig/conf/redis", `${master.port}.conf`), "utf8")).toMatch(/^maxmemory 300mb$/m);

    const cache = (await instancesOf(services.memcached))[0]!;
    await expect(submitOperation(db, dba, { kind: "instance.maxmemory", instanceId: cache.id, maxmemoryMb: 512 }, noDispatch)).rejects.toMatchObject({
      kind: "BAD_INPUT",
      message: expect.stringMatching(/Memcached node.*only a Redis instance's maxmemory/),
    });
    await expect(submitOperation(db, dba, { kind: "instance.maxmemory", instanceId: master.id, maxmemoryMb: 1_000_000 }, noDispatch)).rejects.toThrow(
      /does not fit on host .*MB free, so at most \d+ MB/,
    );
  });

  it("fails a Sentinel service over to its replica; the Sentinels, the instances and the catalogue agree", async () => {
    const before = await instancesOf(services.sentinel);
    const oldMaster = before.find((i) => i.role === "MASTER")!;
    const replica = before.find((i) => i.role === "REPLICA")!;
    const sentinel = before.find((i) => i.role === "SENTINEL")!;
    const { status, error } = await operate({ kind: "instance.failover", instanceId: replica.id });
    expect(error).toBeNull();
    expect(status).toBe("SUCCEEDED");
    expect(await withClient(replica.host.ip, replica.port, (r) => r.info("replication"))).toMatch(/^role:master/m);
    const service = await db.service.findUniqueOrThrow({ where: { id: services.sentinel } });
    expect(await withClient(sentinel.host.ip, sentinel.port, (r) => r.call("SENTINEL", "get-master-addr-by-name", service.name))).toEqual([
      replica.host.ip,
      String(replica.port),
    ]);
    const after = await db.instance.findMany({ where: { id: { in: [oldMaster.id, replica.id] } } });
    expect(after.find((i) => i.id === replica.id)).toMatchObject({ role: "MASTER", masterId: null });
    expect(after.find((i) => i.id === oldMaster.id)).toMatchObject({ role: "REPLICA", masterId: replica.id });
    expect(`${service.entryHost}:${service.entryPort}`).toBe(`${replica.host.ip}:${replica.port}`);
  });

  // With high availability the shards have Sentinels beside the proxies: the job goes through them.
  it("fails a Twemproxy shard over through its Sentinels and re-points every proxy", async () => {
    const before = await instancesOf(services.twemproxy);
    const oldMaster = before.find((i) => i.role === "MASTER" && i.shardIndex === 0)!;
    const replica = before.find((i) => i.role === "REPLICA" && i.masterId === oldMaster.id)!;
    const { status, error } = await operate({ kind: "instance.failover", instanceId: replica.id });
    expect(error).toBeNull();
    expect(status).toBe("SUCCEEDED");
    expect(await withClient(replica.host.ip, replica.port, (r) => r.info("replication"))).toMatch(/^role:master/m);
    // Sentinel converts the old master only after it has reported itself master for 4 of Sentinel's
    // 2 s publish periods under the new configuration: give it up to 30 s.
    let oldInfo = "";
    for (let t = 0; t < 120 && !oldInfo.includes(`master_host:${replica.host.ip}`); t++) {
      oldInfo = await withClient(oldMaster.host.ip, oldMaster.port, (r) => r.info("replication"));
      if (!oldInfo.includes(`master_host:${replica.host.ip}`)) await new Promise((r) => setTimeout(r, 250));
    }
    expect(oldInfo).toMatch(new RegExp(`^master_host:${replica.host.ip.replaceAll(".", "\\.")}`, "m"));
    // Writes land on every shard through every proxy: shard 0's keys reach the new master.
    for (const proxy of before.filter((i) => i.role === "PROXY")) {
      await withClient(proxy.host.ip, proxy.port, async (r) => {
        for (let i = 0; i < 30; i++) await r.set(`after-failover:${i}`, String(i));
        expect(await r.get("after-failover:17")).toBe("17");
      });
    }
  });

  it("clones a Twemproxy: a key set through the new proxy reads back through an old one", async () => {
    const proxies = (await instancesOf(services.twemproxy)).filter((i) => i.role === "PROXY");
    const { status, error, logs } = await operate({ kind: "twemproxy.clone", serviceId: services.twemproxy });
    expect(error).toBeNull();
    expect(status).toBe("SUCCEEDED");
    const added = (await instancesOf(services.twemproxy)).filter((i) => i.role === "PROXY" && !proxies.some((p) => p.id === i.id));
    expect(added).toHaveLength(1);
    const clone = added[0]!;
    expect(logs.some((l) => l.includes(`port ${clone.port}`))).toBe(true);
    await withClient(clone.host.ip, clone.port, (r) => r.set("cloned:greeting", "hello"));
    expect(await withClient(proxies[0]!.host.ip, proxies[0]!.port, (r) => r.get("cloned:greeting"))).toBe("hello");
    const claim = await db.portClaim.findUniqueOrThrow({ where: { instanceId: clone.id }, include: { allocationItem: { include: { allocation: true } } } });
    expect(claim.allocationItem?.allocation.status).toBe("COMMITTED");
  });

  it("removes a replica (process, files, claim and row), and refuses a master that still has replicas", async () => {
    const all = await instancesOf(services.twemproxy);
    const master = all.find((i) => i.role === "MASTER" && i.shardIndex === 1)!;
    const replica = all.find((i) => i.masterId === master.id)!;
    await expect(submitOperation(db, dba, { kind: "instance.remove", instanceId: master.id }, noDispatch)).rejects.toThrow(
      `is the master of ${replica.host.ip}:${replica.port}`,
    );
    const pid = Number(fs.readFileSync(pidFileOf(replica.host.ip, replica.port), "utf8"));
    const { status, error } = await operate({ kind: "instance.remove", instanceId: replica.id });
    expect(error).toBeNull();
    expect(status).toBe("SUCCEEDED");
    expect(await listening(replica.host.ip, replica.port)).toBe(false);
    // gone, or a zombie this test process has not reaped yet
    expect(fs.existsSync(`/proc/${pid}`) ? fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]![0] : "gone").toMatch(/gone|Z/);
    expect(fs.existsSync(path.join(dataDir, "hosts", replica.host.ip, "data/hedwig/conf/redis", `${replica.port}.conf`))).toBe(false);
    expect(await db.instance.findUnique({ where: { id: replica.id } })).toBeNull();
    expect(await db.portClaim.findUnique({ where: { hostId_port: { hostId: replica.hostId, port: replica.port } } })).toBeNull();
  });

  it("refuses, before queueing anything, an operation on a seeded demo-catalogue instance", async () => {
    const [master] = await instancesOf(services.memcached);
    const demo = await db.service.create({
      data: {
        name: "demo-catalogue-cache",
        productLineId: (await db.service.findUniqueOrThrow({ where: { id: services.memcached } })).productLineId,
        kind: "MEMCACHED",
        isDemo: true,
      },
    });
    const catalogued = await db.instance.create({
      data: {
        serviceId: demo.id,
        hostId: master!.hostId,
        port: 19999,
        software: "MEMCACHED",
        role: "CACHE",
        version: master!.version,
        state: "UNKNOWN",
        isDemo: true,
      },
    });
    const jobsBefore = await db.job.count();
    await expect(submitOperation(db, dba, { kind: "instance.restart", instanceId: catalogued.id }, noDispatch)).rejects.toMatchObject({
      message: expect.stringMatching(/demo-catalogue-cache is part of the seeded demo catalogue: no process runs behind .*:19999/),
    });
    expect(await db.job.count()).toBe(jobsBefore);
  });
});
