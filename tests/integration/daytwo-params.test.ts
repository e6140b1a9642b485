import fs from "node:fs";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/client";
import { ensureSettingsAndRanges } from "../../server/db/seed";
import type { Actor } from "../../server/domain/access/actor";
import { rollbackInput, type ParametersInput } from "../../server/domain/daytwo/parameters-job";
import { renderService } from "../../server/domain/daytwo/rendered";
import { redeployOne } from "../../server/domain/daytwo/rolling";
import { submitOperation } from "../../server/domain/operations";
import { tcpRead } from "../../server/domain/monitoring/tcp-read";
import { loadTarget } from "../../server/domain/operations/target";
import { provisionJob } from "../../server/domain/provisioning/provision-job";
import type { RequestForm } from "../../server/domain/provisioning/request-schema";
import { approveRequest, createRequest } from "../../server/domain/requests/requests";
import { JOBS } from "../../server/jobs/registry";
import { runJob } from "../../server/jobs/runner";
import { freshDatabase, makeActor } from "./db";
import { createDemoHosts, loginAt, useDemoDataDir } from "./demo-fleet";

/**
 * A service's parameters and persistence changed on real processes (demo hosts 127.0.163.x): Redis
 * and Sentinel take them live and keep them across a redeploy; Memcached and Twemproxy restart one
 * at a time; persistence switches none → AOF → RDB with the same process; a version rolls back.
 */
let db: Db;
let dba: Actor;
let demo: ReturnType<typeof useDemoDataDir>;
const services = { sentinel: 0, memcached: 0 };
const noDispatch = async () => {};
const jobLog = { info: async () => {}, warn: async () => {}, error: async () => {} };
const base: RequestForm = {
  productLineId: 0,
  kind: "REDIS_SENTINEL",
  purpose: "parameters under test",
  capacityGb: 1,
  peakQps: 5000,
  expectedKeys: 100000,
  persistence: "none",
  highAvailability: true,
  idcPreference: null,
  readRatio: 80,
};

beforeAll(async () => {
  demo = useDemoDataDir("daytwo-params");
  ({ db } = await freshDatabase());
  await ensureSettingsAndRanges(db);
  const dept = await db.department.create({ data: { code: "d2", name: "Day two" } });
  const lines = await Promise.all(["d2-a", "d2-b"].map((code) => db.productLine.create({ data: { code, name: code, departmentId: dept.id, importance: 3 } })));
  const biz = await makeActor(
    db,
    "BUSINESS",
    lines.map((l) => l.id),
  );
  dba = await makeActor(db, "DBA");
  await createDemoHosts(db, { prefix: "127.0.163", idcCode: "d2", departmentId: dept.id });
  const deliver = async (form: RequestForm, lineId: number) => {
    const request = await db.$transaction((tx) => createRequest(tx, biz, { ...form, productLineId: lineId }, true));
    const job = await approveRequest(db, dba, request.id, null, noDispatch);
    expect(await runJob(db, job.id, provisionJob)).toBe("SUCCEEDED");
    return (await db.resourceRequest.findUniqueOrThrow({ where: { id: request.id } })).serviceId!;
  };
  [services.sentinel, services.memcached] = await Promise.all([
    deliver(base, lines[0]!.id),
    deliver({ ...base, kind: "MEMCACHED_TWEMPROXY", highAvailability: false, capacityGb: 2 }, lines[1]!.id),
  ]);
}, 120_000);

afterAll(() => demo.restore());

async function withClient<T>(ip: string, port: number, fn: (r: Redis) => Promise<T>): Promise<T> {
  const r = new Redis({ host: ip, port, ...(await loginAt(db, ip, port)), lazyConnect: true, protocol: 2, enableReadyCheck: false, maxRetriesPerRequest: 1 });
  await r.connect();
  try {
    return await fn(r);
  } finally {
    r.disconnect();
  }
}
const configGet = (ip: string, port: number, key: string) => withClient(ip, port, async (r) => ((await r.call("CONFIG", "GET", key)) as string[])[1]);
const instancesOf = (serviceId: number) => db.instance.findMany({ where: { serviceId }, include: { host: true }, orderBy: { id: "asc" } });
const pidOf = async (instanceId: number) => {
  const t = await loadTarget(db, instanceId);
  return fs.readFileSync(t.exec.resolve(t.layout.pidFile), "utf8").trim();
};

async function apply(input: ParametersInput) {
  const job = await submitOperation(db, dba, { kind: "service.parameters", ...input }, noDispatch);
  const status = await runJob(db, job.id, JOBS["service.parameters"]!);
  const done = await db.job.findUniqueOrThrow({ where: { id: job.id }, include: { logs: { orderBy: { id: "asc" } } } });
  expect(await db.auditEntry.count({ where: { action: "service.parameters", after: { path: ["jobId"], equals: job.id } } })).toBe(1);
  return { status, error: done.error, logs: done.logs.map((l) => l.message) };
}

describe("service parameters", () => {
  it("refuses a value outside its range and a parameter of a software the service does not run", async () => {
    const id = services.sentinel;
    await expect(apply({ serviceId: id, params: { REDIS: { hz: "1000" } }, persistence: "none" })).rejects.toThrow(
      /hz 1000 is outside its range: use a whole number from 1 to 500/,
    );
    await expect(apply({ serviceId: id, params: { TWEMPROXY: { timeout: "800" } }, persistence: "none" })).rejects.toThrow(/runs no TWEMPROXY/);
    await expect(apply({ serviceId: id, params: {}, persistence: "none" })).rejects.toThrow(/nothing changes/);
  });

  it("applies Redis and Sentinel parameters live, writes them into the rendered config, and a redeploy keeps them", async () => {
    const id = services.sentinel;
    const all = await instancesOf(id);
    const master = all.find((i) => i.role === "MASTER")!;
    const replica = all.find((i) => i.role === "REPLICA")!;
    const sentinel = all.find((i) => i.role === "SENTINEL")!;
    const pidBefore = await pidOf(master.id);
    const r = await apply({
      serviceId: id,
      params: {
        REDIS: { hz: "25", "maxmemory-policy": "volatile-lru", "client-output-buffer-limit-pubsub": "64mb 16mb 90" },
        REDIS_SENTINEL: { "down-after-milliseconds": "7000" },
      },
      persistence: "none",
      note: "quieter evictions",
    });
    expect(r.status, r.error ?? "").toBe("SUCCEEDED");
    for (const i of [master, replica]) {
      expect(await configGet(i.host.ip, i.port, "hz")).toBe("25");
      expect(await configGet(i.host.ip, i.port, "maxmemory-policy")).toBe("volatile-lru");
      expect(await configGet(i.host.ip, i.port, "client-output-buffer-limit")).toContain("pubsub 67108864 16777216 90");
    }
    const masters = (await withClient(sentinel.host.ip, sentinel.port, (c) => c.call("SENTINEL", "MASTERS"))) as string[][];
    expect(masters[0]![masters[0]!.indexOf("down-after-milliseconds") + 1]).toBe("7000");
    expect(await pidOf(master.id)).toBe(pidBefore); // live: the same process
    expect(r.logs.some((l) => l.includes("CONFIG SET hz 25"))).toBe(true);
    const version = await db.serviceConfigVersion.findFirstOrThrow({ where: { serviceId: id } });
    expect(version).toMatchObject({ number: 1, persistence: "none", note: "quieter evictions", createdBy: dba.username });

    // the rendered files carry the version: a redeploy (files rendered again from the catalogue, then a restart) keeps it
    const t = await loadTarget(db, master.id);
    expect(fs.readFileSync(t.exec.resolve(t.layout.confFile), "utf8")).toMatch(/^hz 25$/m);
    const rendered = (await renderService(db, id)).find((d) => d.instanceId === replica.id)!;
    expect(rendered.conf).toMatch(/^client-output-buffer-limit pubsub 64mb 16mb 90$/m);
    expect(rendered.conf).toMatch(/^replicaof /m);
    const sentinelConf = (await renderService(db, id)).find((d) => d.instanceId === sentinel.id)!.conf;
    expect(sentinelConf).toMatch(/down-after-milliseconds \S+ 7000/);
    await redeployOne(db, jobLog, master.id);
    expect(await pidOf(master.id)).not.toBe(pidBefore);
    expect(await configGet(master.host.ip, master.port, "hz")).toBe("25");
    expect(await configGet(master.host.ip, master.port, "maxmemory-policy")).toBe("volatile-lru");
  });

  it("switches persistence live: none → AOF (waiting for the AOF to be written) → RDB, the same processes throughout", async () => {
    const id = services.sentinel;
    const master = (await instancesOf(id)).find((i) => i.role === "MASTER")!;
    await withClient(master.host.ip, master.port, async (c) => {
      for (let k = 0; k < 500; k++) await c.set(`persist:${k}`, "x".repeat(100));
    });
    const pid = await pidOf(master.id);
    const current = (await db.serviceConfigVersion.findFirstOrThrow({ where: { serviceId: id }, orderBy: { number: "desc" } }))
      .params as ParametersInput["params"];
    const toAof = await apply({ serviceId: id, params: current, persistence: "aof" });
    expect(toAof.status, toAof.error ?? "").toBe("SUCCEEDED");
    expect(await configGet(master.host.ip, master.port, "appendonly")).toBe("yes");
    expect(await configGet(master.host.ip, master.port, "save")).toBe("");
    const info = await withClient(master.host.ip, master.port, (c) => c.info("persistence"));
    expect(info).toMatch(/aof_enabled:1/);
    expect(info).toMatch(/aof_rewrite_in_progress:0/);
    const t = await loadTarget(db, master.id);
    expect(fs.readdirSync(t.exec.resolve(t.layout.dataDir)).some((f) => f.startsWith("appendonly"))).toBe(true);
    expect((await renderService(db, id)).find((d) => d.instanceId === master.id)!.conf).toMatch(/^appendonly yes$/m);

    const toRdb = await apply({ serviceId: id, params: current, persistence: "rdb" });
    expect(toRdb.status, toRdb.error ?? "").toBe("SUCCEEDED");
    expect(await configGet(master.host.ip, master.port, "appendonly")).toBe("no");
    expect(await configGet(master.host.ip, master.port, "save")).toBe("3600 1 300 100 60 10000");
    expect(await pidOf(master.id)).toBe(pid);
    expect(toRdb.logs.some((l) => l.includes("persistence aof → rdb"))).toBe(true);
    expect(await db.serviceConfigVersion.count({ where: { serviceId: id } })).toBe(3);
  });

  it("restarts Memcached and Twemproxy one at a time for theirs, and rolls the version back", async () => {
    const id = services.memcached;
    const all = await instancesOf(id);
    const proxies = all.filter((i) => i.role === "PROXY");
    const caches = all.filter((i) => i.role === "CACHE");
    const before = new Map(await Promise.all(all.map(async (i) => [i.id, await pidOf(i.id)] as const)));
    const r = await apply({
      serviceId: id,
      params: { TWEMPROXY: { timeout: "900", server_failure_limit: "5" }, MEMCACHED: { "max-connections": "2048" } },
      persistence: "none",
    });
    expect(r.status, r.error ?? "").toBe("SUCCEEDED");
    for (const i of all) expect(await pidOf(i.id), `${i.role} ${i.port} restarted`).not.toBe(before.get(i.id));
    for (const p of proxies) {
      const t = await loadTarget(db, p.id);
      const yml = fs.readFileSync(t.exec.resolve(t.layout.confFile), "utf8");
      expect(yml).toMatch(/^ {2}timeout: 900$/m);
      expect(yml).toMatch(/^ {2}server_failure_limit: 5$/m);
    }
    for (const c of caches) {
      const stats = await tcpRead(c.host.ip, c.port, 2000, "stats settings\r\n", (s) => s.includes("END\r\n"));
      expect(stats).toMatch(/STAT maxconns 2048/);
    }
    expect(r.logs.some((l) => l.includes("cached items are lost"))).toBe(true);
    // the proxy still serves through the new config
    const p = proxies[0]!;
    expect(await tcpRead(p.host.ip, p.port, 2000, "set k 0 0 1\r\nv\r\nget k\r\n", (s) => s.includes("END\r\n"))).toContain("VALUE k 0 1");

    const back = await apply(await rollbackInput(db, id, 1));
    expect(back.status, back.error ?? "").toBe("SUCCEEDED");
    const v2 = await db.serviceConfigVersion.findFirstOrThrow({ where: { serviceId: id, number: 2 } });
    expect(v2).toMatchObject({ rollbackOf: 0, params: {} });
    const t = await loadTarget(db, proxies[0]!.id);
    expect(fs.readFileSync(t.exec.resolve(t.layout.confFile), "utf8")).toMatch(/^ {2}timeout: 400$/m);
  });
});
