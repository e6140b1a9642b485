import { spawn } from "node:child_process";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/client";
import { ensureSettingsAndRanges } from "../../server/db/seed";
import type { Actor } from "../../server/domain/access/actor";
import { verifyMemcached } from "../../server/domain/provisioning/deploy/probes";
import { provisionJob } from "../../server/domain/provisioning/provision-job";
import type { RequestForm } from "../../server/domain/provisioning/request-schema";
import { approveRequest, createRequest, retryRequest } from "../../server/domain/requests/requests";
import { runJob } from "../../server/jobs/runner";
import { freshDatabase, makeActor } from "./db";
import { createDemoHosts, listening, loginAt, useDemoDataDir } from "./demo-fleet";

/**
 * Real deliveries on loopback: the job starts real redis-server, redis-sentinel, nutcracker and
 * memcached processes on this test's own demo hosts (127.0.5.x), and the test connects to them.
 */
let db: Db;
let biz: Actor;
let dba: Actor;
let lineId: number;
let demoDir: ReturnType<typeof useDemoDataDir>;

beforeAll(async () => {
  demoDir = useDemoDataDir("prov");
  ({ db } = await freshDatabase());
  await ensureSettingsAndRanges(db);
  const dept = await db.department.create({ data: { code: "trade", name: "Trade" } });
  lineId = (await db.productLine.create({ data: { code: "trade-cart", name: "Cart", departmentId: dept.id, importance: 3 } })).id;
  biz = await makeActor(db, "BUSINESS", [lineId]);
  dba = await makeActor(db, "DBA");
  await createDemoHosts(db, { prefix: "127.0.5", idcCode: "t1", departmentId: dept.id });
});

afterAll(() => demoDir.restore());

const noDispatch = async () => {};
const base: RequestForm = {
  productLineId: 0,
  kind: "REDIS_SENTINEL",
  purpose: "cart sessions for the shop",
  capacityGb: 1,
  peakQps: 5000,
  expectedKeys: 100000,
  persistence: "none",
  highAvailability: true,
  idcPreference: null,
  readRatio: 80,
};

async function deliver(form: RequestForm) {
  const request = await db.$transaction((tx) => createRequest(tx, biz, { ...form, productLineId: lineId }, true));
  const job = await approveRequest(db, dba, request.id, null, noDispatch);
  const status = await runJob(db, job.id, provisionJob);
  return { request: await db.resourceRequest.findUniqueOrThrow({ where: { id: request.id } }), status, job };
}

describe("provisioning on the local executor", () => {
  it("delivers a Redis master/replica with Sentinels that a client can use", async () => {
    const { request, status } = await deliver(base);
    expect(status).toBe("SUCCEEDED");
    expect(request.status).toBe("DELIVERED");
    const delivery = request.delivery as { entry: { host: string; port: number }; topology: { role: string }[] };
    expect(delivery.topology.map((t) => t.role).sort()).toEqual(["MASTER", "REPLICA", "SENTINEL", "SENTINEL", "SENTINEL"]);
    const client = new Redis({
      host: delivery.entry.host,
      port: delivery.entry.port,
      lazyConnect: true,
      ...(await loginAt(db, delivery.entry.host, delivery.entry.port)),
    });
    await client.connect();
    await client.set("cart:42", "3 items");
    expect(await client.get("cart:42")).toBe("3 items");
    const replication = await client.info("replication");
    expect(replication).toMatch(/connected_slaves:1/);
    client.disconnect();
    const service = await db.service.findUniqueOrThrow({ where: { id: request.serviceId! }, include: { instances: true } });
    expect(service.instances).toHaveLength(5);
    expect(await db.allocation.count({ where: { status: "COMMITTED" } })).toBe(2);
    expect(await db.portClaim.count({ where: { instance: { serviceId: service.id } } })).toBe(5);
    expect(await db.notification.count({ where: { userId: biz.id, title: { contains: "delivered" } } })).toBe(1);
  });

  it("delivers Redis shards behind two Twemproxies, reachable through a proxy", async () => {
    const { request, status } = await deliver({ ...base, kind: "REDIS_TWEMPROXY", capacityGb: 20, peakQps: 100000, expectedKeys: 50_000_000 });
    expect(status).toBe("SUCCEEDED");
    const delivery = request.delivery as { entry: { host: string; port: number; via: string }; topology: { role: string }[] };
    expect(delivery.entry.via).toBe("twemproxy");
    expect(delivery.topology.filter((t) => t.role === "PROXY").length).toBeGreaterThanOrEqual(2);
    expect(delivery.topology.filter((t) => t.role === "MASTER").length).toBeGreaterThanOrEqual(2);
    // Twemproxy speaks RESP2 and refuses ioredis's handshake (HELLO 3, INFO, CLIENT SETINFO)
    const client = new Redis({
      host: delivery.entry.host,
      port: delivery.entry.port,
      ...(await loginAt(db, delivery.entry.host, delivery.entry.port)),
      lazyConnect: true,
      protocol: 2,
      enableReadyCheck: false,
      disableClientInfo: true,
    });
    await client.connect();
    for (let i = 0; i < 20; i++) await client.set(`k${i}`, `v${i}`);
    expect(await client.get("k7")).toBe("v7");
    client.disconnect();
  });

  it("delivers a standalone Redis a client can write to", async () => {
    const { request, status } = await deliver({ ...base, kind: "REDIS_STANDALONE", highAvailability: false, purpose: "a throwaway cache for reports" });
    expect(status).toBe("SUCCEEDED");
    const delivery = request.delivery as { entry: { host: string; port: number }; topology: { role: string }[] };
    expect(delivery.topology.map((t) => t.role)).toEqual(["MASTER"]);
    const client = new Redis({
      host: delivery.entry.host,
      port: delivery.entry.port,
      lazyConnect: true,
      ...(await loginAt(db, delivery.entry.host, delivery.entry.port)),
    });
    await client.connect();
    await client.set("report:1", "ready");
    expect(await client.get("report:1")).toBe("ready");
    expect(await client.info("replication")).toMatch(/role:master/);
    client.disconnect();
  });

  it("delivers Memcached behind Twemproxy, usable through the proxy with the text protocol", async () => {
    const { request, status } = await deliver({
      ...base,
      kind: "MEMCACHED_TWEMPROXY",
      highAvailability: false,
      capacityGb: 20,
      peakQps: 60000,
      expectedKeys: 20_000_000,
    });
    expect(status).toBe("SUCCEEDED");
    const delivery = request.delivery as { entry: { host: string; port: number; via: string }; topology: { role: string }[] };
    expect(delivery.entry.via).toBe("twemproxy");
    expect(delivery.topology.filter((t) => t.role === "PROXY").length).toBeGreaterThanOrEqual(1);
    expect(delivery.topology.filter((t) => t.role === "CACHE").length).toBeGreaterThanOrEqual(2);
    // the same set/get/delete round trip the job's verify step makes, from the test's side
    expect(await verifyMemcached(delivery.entry.host, delivery.entry.port)).toMatch(/set\/get .* ok/);
  });

  it("delivers two requests of one product line at once, each under a name of its own", async () => {
    const form = { ...base, kind: "REDIS_STANDALONE" as const, highAvailability: false, purpose: "two caches approved together" };
    const both = await Promise.all([deliver(form), deliver(form)]);
    expect(both.map((b) => b.status)).toEqual(["SUCCEEDED", "SUCCEEDED"]);
    const names = await db.service.findMany({ where: { id: { in: both.map((b) => b.request.serviceId!) } }, select: { name: true } });
    expect(new Set(names.map((n) => n.name)).size).toBe(2);
  });

  it("delivers a Memcached pool", async () => {
    const { request, status } = await deliver({ ...base, kind: "MEMCACHED", highAvailability: false, capacityGb: 2 });
    expect(status).toBe("SUCCEEDED");
    const { entry } = request.delivery as { entry: { host: string; port: number } };
    expect(await listening(entry.host, entry.port)).toBe(true);
  });

  it("a failed step leaves no process running and no lock held; a retry resumes and delivers", async () => {
    // Hold the next Redis port on every address with a socket that is bound but not listening:
    // placement's listener check sees nothing there (a connect is refused), yet the master cannot
    // bind, so "Start processes" fails.
    const range = await db.portRange.findUniqueOrThrow({ where: { software: "REDIS" } });
    const blocker = spawn(
      "python3",
      ["-c", `import socket,sys,time\ns=socket.socket()\ns.bind(("0.0.0.0", ${range.nextPort}))\nprint("bound", flush=True)\ntime.sleep(120)`],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    await new Promise<void>((r) => blocker.stdout!.once("data", () => r()));
    const request = await db.$transaction((tx) => createRequest(tx, biz, { ...base, productLineId: lineId, purpose: "a cache whose first start fails" }, true));
    const job = await approveRequest(db, dba, request.id, null, noDispatch);
    try {
      expect(await runJob(db, job.id, provisionJob)).toBe("FAILED");
    } finally {
      blocker.kill("SIGKILL");
    }
    const failed = await db.job.findUniqueOrThrow({ where: { id: job.id }, include: { steps: { orderBy: { index: "asc" } } } });
    expect(failed.error).toMatch(/Start processes/);
    expect(failed.steps.find((s) => s.status === "FAILED")?.name).toBe("Start processes");
    expect((await db.resourceRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("FAILED");
    const allocs = await db.allocation.findMany({ where: { ownerRef: `job:${job.id}` } });
    expect(allocs.length).toBeGreaterThan(0);
    expect(allocs.every((a) => a.status === "RELEASED")).toBe(true);
    const placed = (failed.state as { placed?: unknown[] }).placed ?? [];
    expect(placed).toEqual([]);
    expect(await db.portClaim.count({ where: { allocationItem: { allocationId: { in: allocs.map((a) => a.id) } } } })).toBe(0);

    const retry = await retryRequest(db, dba, request.id, noDispatch);
    expect(await runJob(db, retry.id, provisionJob)).toBe("SUCCEEDED");
    expect((await db.resourceRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("DELIVERED");
  });
});
