import fs from "node:fs";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/client";
import { ensureSettingsAndRanges } from "../../server/db/seed";
import type { Actor } from "../../server/domain/access/actor";
import { evaluateHealth } from "../../server/domain/health/evaluate";
import type { Reason } from "../../server/domain/health/rules";
import { healthText } from "../../server/domain/health/text";
import { getService } from "../../server/domain/inventory/services";
import { Collector } from "../../server/domain/monitoring/collector";
import { startTarget } from "../../server/domain/operations/daemon";
import { loadTarget } from "../../server/domain/operations/target";
import { provisionJob } from "../../server/domain/provisioning/provision-job";
import type { RequestForm } from "../../server/domain/provisioning/request-schema";
import { approveRequest, createRequest } from "../../server/domain/requests/requests";
import { runJob } from "../../server/jobs/runner";
import { freshDatabase, makeActor } from "./db";
import { createDemoHosts, loginAt, useDemoDataDir } from "./demo-fleet";

/**
 * Failover with no one at the console: a Sentinel service and Redis shards behind Twemproxy are
 * delivered on this file's hosts (127.0.101.x), a master is killed with SIGKILL, and no API call
 * and no Hedwig worker follows — only the Sentinels (and, for the shards, the script each runs on
 * its proxy's host). Then a collector tick brings the catalogue in line, and Hedwig's own start of
 * the old master brings it back as a replica.
 */
let db: Db;
let dba: Actor;
let demoDir: ReturnType<typeof useDemoDataDir>;
const services = { sentinel: 0, shards: 0 };
const noDispatch = async () => {};
const noLog = { info: async () => {}, warn: async () => {}, error: async () => {} };
const base: RequestForm = {
  productLineId: 0,
  kind: "REDIS_SENTINEL",
  purpose: "failover under test",
  capacityGb: 1,
  peakQps: 5000,
  expectedKeys: 100000,
  persistence: "none",
  highAvailability: true,
  idcPreference: null,
  readRatio: 80,
};

beforeAll(async () => {
  demoDir = useDemoDataDir("failover");
  ({ db } = await freshDatabase());
  await ensureSettingsAndRanges(db);
  const dept = await db.department.create({ data: { code: "fo", name: "Failover" } });
  const lines = await Promise.all(["fo-a", "fo-b"].map((code) => db.productLine.create({ data: { code, name: code, departmentId: dept.id, importance: 3 } })));
  const biz = await makeActor(
    db,
    "BUSINESS",
    lines.map((l) => l.id),
  );
  dba = await makeActor(db, "DBA");
  await createDemoHosts(db, { prefix: "127.0.101", idcCode: "f1", departmentId: dept.id });
  const deliver = async (form: RequestForm, lineId: number) => {
    const request = await db.$transaction((tx) => createRequest(tx, biz, { ...form, productLineId: lineId }, true));
    const job = await approveRequest(db, dba, request.id, null, noDispatch);
    expect(await runJob(db, job.id, provisionJob)).toBe("SUCCEEDED");
    return (await db.resourceRequest.findUniqueOrThrow({ where: { id: request.id } })).serviceId!;
  };
  services.sentinel = await deliver(base, lines[0]!.id);
  // 130,000 QPS at 60,000 per shard: 3 shards, 2 proxies, a Sentinel beside each
  services.shards = await deliver({ ...base, kind: "REDIS_TWEMPROXY", capacityGb: 2, peakQps: 100_000, expectedKeys: 1_000_000 }, lines[1]!.id);
}, 180_000);

afterAll(() => demoDir.restore());

const instancesOf = (serviceId: number) =>
  db.instance.findMany({ where: { serviceId }, include: { host: true }, orderBy: [{ shardIndex: "asc" }, { id: "asc" }] });
const addr = (i: { host: { ip: string }; port: number }) => `${i.host.ip}:${i.port}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function client(ip: string, port: number) {
  return new Redis({
    host: ip,
    port,
    ...(await loginAt(db, ip, port)),
    lazyConnect: true,
    protocol: 2,
    enableReadyCheck: false,
    disableClientInfo: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => 100,
    connectTimeout: 1000,
    commandTimeout: 1000,
  });
}

function killMaster(inst: { host: { ip: string }; port: number }) {
  const pid = Number(fs.readFileSync(path.join(demoDir.dir, "hosts", inst.host.ip, "data/hedwig/run/redis", `${inst.port}.pid`), "utf8"));
  process.kill(pid, "SIGKILL");
}

async function replicationOf(ip: string, port: number) {
  const r = await client(ip, port);
  try {
    await r.connect();
    return await r.info("replication");
  } finally {
    r.disconnect();
  }
}

async function until<T>(what: string, timeoutMs: number, fn: () => Promise<T | null | undefined | false>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await sleep(250);
  }
  throw new Error(`${what} not within ${timeoutMs / 1000} s${last ? `: ${(last as Error).message}` : ""}`);
}

/** One collector tick over every instance, as the worker's collector runs it. */
async function collectorTick() {
  const collector = new Collector(db, { intervalMs: 10_000, log: () => {} });
  try {
    await collector.tick(new Date(Math.ceil(Date.now() / 1000) * 1000), 10_000);
  } finally {
    await collector.stop();
  }
}

const humanJobs = () => db.job.count({ where: { kind: { not: "provision" }, automatic: false } });

describe("Redis shards behind Twemproxy with a Sentinel beside each proxy", () => {
  it("delivers a Sentinel on each proxy's host, watching every shard, with the script that repoints its proxy", async () => {
    const all = await instancesOf(services.shards);
    const proxies = all.filter((i) => i.role === "PROXY");
    const sentinels = all.filter((i) => i.role === "SENTINEL");
    expect(proxies).toHaveLength(2);
    expect(sentinels.map((s) => s.hostId).sort()).toEqual(proxies.map((p) => p.hostId).sort());
    const service = await db.service.findUniqueOrThrow({ where: { id: services.shards } });
    for (const s of sentinels) {
      const conf = fs.readFileSync(path.join(demoDir.dir, "hosts", s.host.ip, "data/hedwig/conf/sentinel", `${s.port}.conf`), "utf8");
      for (const shard of [0, 1, 2]) expect(conf).toMatch(new RegExp(`sentinel client-reconfig-script ${service.name}-${shard} \\S+follow-failover\\.sh`));
      expect(conf).toMatch(/sentinel down-after-milliseconds \S+ 3000/);
    }
  });

  it("serves every key again after its shard's master is killed, with no API call and no worker; the catalogue follows on the next tick", async () => {
    const all = await instancesOf(services.shards);
    const proxies = all.filter((i) => i.role === "PROXY");
    const service = await db.service.findUniqueOrThrow({ where: { id: services.shards } });
    const viaProxy = await Promise.all(proxies.map((p) => client(p.host.ip, p.port)));
    const keys = Array.from({ length: 300 }, (_, i) => `failover-test:${i * 7919}:${i}`);
    for (const k of keys) await viaProxy[0]!.set(k, k);
    // the shard holding most of them, and its keys as the proxy hashed them
    const holding = await Promise.all(
      all
        .filter((i) => i.role === "MASTER")
        .map(async (m) => {
          const direct = await client(m.host.ip, m.port);
          await direct.connect();
          const mine: string[] = [];
          for (const k of keys) if ((await direct.get(k)) !== null) mine.push(k);
          direct.disconnect();
          return { m, mine };
        }),
    );
    const { m: master, mine: onShard } = holding.sort((a, b) => b.mine.length - a.mine.length)[0]!;
    const replica = all.find((i) => i.role === "REPLICA" && i.shardIndex === master.shardIndex)!;
    try {
      expect(onShard.length).toBeGreaterThan(0);
      await until(
        "the replica in sync",
        10_000,
        async () =>
          /master_link_status:up/.test(await replicationOf(replica.host.ip, replica.port)) &&
          /slave_repl_offset:[1-9]/.test(await replicationOf(replica.host.ip, replica.port)),
      );
      await sleep(500);

      const killedAt = Date.now();
      killMaster(master);
      // every proxy routes the shard's keys to the promoted replica, under the same server name
      for (const [k, c] of viaProxy.entries()) {
        await until(`proxy ${addr(proxies[k]!)} serving shard ${master.shardIndex}`, 25_000, async () => (await c.get(onShard[0]!)) === onShard[0]!);
      }
      const seconds = (Date.now() - killedAt) / 1000;
      expect(seconds).toBeLessThan(25);
      for (const key of onShard) expect(await viaProxy[1]!.get(key)).toBe(key);
      await viaProxy[1]!.set(onShard[0]!, "after");
      expect(await viaProxy[0]!.get(onShard[0]!)).toBe("after");
      for (const p of proxies) {
        const yml = fs.readFileSync(path.join(demoDir.dir, "hosts", p.host.ip, "data/hedwig/conf/twemproxy", `${p.port}.yml`), "utf8");
        expect(yml).toContain(` - ${addr(replica)}:1 ${service.name}-${master.shardIndex}\n`);
      }
      expect(await humanJobs()).toBe(0);
    } finally {
      for (const c of viaProxy) c.disconnect();
    }

    await collectorTick();
    const after = await instancesOf(services.shards);
    expect(after.find((i) => i.id === replica.id)).toMatchObject({ role: "MASTER", masterId: null });
    expect(after.find((i) => i.id === master.id)).toMatchObject({ role: "REPLICA", masterId: replica.id });
    expect(after.filter((i) => i.role === "MASTER")).toHaveLength(3);
    const recorded = await db.job.findFirstOrThrow({ where: { serviceId: services.shards, automatic: true }, include: { logs: true } });
    expect(recorded).toMatchObject({ kind: "instance.failover", status: "SUCCEEDED" });
    expect(recorded.logs.map((l) => l.message).join("\n")).toContain(`${addr(replica)} answers as a master`);
    expect(await db.auditEntry.count({ where: { action: "instance.failover.observed", entityId: String(services.shards) } })).toBe(1);
    // a second tick has nothing more to record
    await collectorTick();
    expect(await db.job.count({ where: { serviceId: services.shards, automatic: true } })).toBe(1);

    // Hedwig's start of the old master (the reconciler's, or a DBA's) brings it back as a replica
    await startTarget(db, noLog, await loadTarget(db, master.id));
    await until("the old master replicating the new one", 15_000, async () => {
      const info = await replicationOf(master.host.ip, master.port);
      return /role:slave/.test(info) && info.includes(`master_host:${replica.host.ip}`) && /master_link_status:up/.test(info);
    });
    await collectorTick();
    expect((await instancesOf(services.shards)).find((i) => i.id === master.id)).toMatchObject({ role: "REPLICA", masterId: replica.id });
  });
});

describe("Redis master/replica with Sentinel", () => {
  it("fails over by itself; the catalogue and the service's entry follow; the old master rejoins as a replica", async () => {
    const all = await instancesOf(services.sentinel);
    const master = all.find((i) => i.role === "MASTER")!;
    const replica = all.find((i) => i.role === "REPLICA")!;
    const sentinels = all.filter((i) => i.role === "SENTINEL");
    const service = await db.service.findUniqueOrThrow({ where: { id: services.sentinel } });
    await until("the replica in sync", 10_000, async () => /master_link_status:up/.test(await replicationOf(replica.host.ip, replica.port)));

    killMaster(master);
    await until("every Sentinel naming the replica", 40_000, async () => {
      const named = await Promise.all(
        sentinels.map(async (s) => {
          const c = await client(s.host.ip, s.port);
          try {
            await c.connect();
            return ((await c.call("SENTINEL", "get-master-addr-by-name", service.name)) as string[]).join(":");
          } finally {
            c.disconnect();
          }
        }),
      );
      return named.every((a) => a === addr(replica));
    });
    await until("the replica answering as master", 10_000, async () => /role:master/.test(await replicationOf(replica.host.ip, replica.port)));
    expect(await humanJobs()).toBe(0);

    await collectorTick();
    const after = await instancesOf(services.sentinel);
    expect(after.find((i) => i.id === replica.id)).toMatchObject({ role: "MASTER", masterId: null });
    expect(after.find((i) => i.id === master.id)).toMatchObject({ role: "REPLICA", masterId: replica.id });
    expect(await db.service.findUniqueOrThrow({ where: { id: services.sentinel } })).toMatchObject({ entryHost: replica.host.ip, entryPort: replica.port });
    expect(await db.job.count({ where: { serviceId: services.sentinel, automatic: true, kind: "instance.failover" } })).toBe(1);

    await startTarget(db, noLog, await loadTarget(db, master.id));
    const conf = fs.readFileSync(path.join(demoDir.dir, "hosts", master.host.ip, "data/hedwig/conf/redis", `${master.port}.conf`), "utf8");
    expect(conf).toContain(`replicaof ${replica.host.ip} ${replica.port}`);
    // it never answers as a master: it started from a config that names the new one
    expect(await replicationOf(master.host.ip, master.port)).toMatch(/role:slave/);
    await until("the old master in sync with the new one", 15_000, async () => /master_link_status:up/.test(await replicationOf(master.host.ip, master.port)));
  });
});

describe("Sentinels are watched like instances", () => {
  it("the collector polls each Sentinel: up, the master it sees of each shard, its quorum; a killed one turns amber with its reason, and the service page shows what they see", async () => {
    const service = await db.service.findUniqueOrThrow({ where: { id: services.shards } });
    await collectorTick();
    await evaluateHealth(db, new Date(), 10);
    const all = await instancesOf(services.shards);
    const sentinels = all.filter((i) => i.role === "SENTINEL");
    for (const s of sentinels) {
      const h = await db.instanceHealth.findUniqueOrThrow({ where: { instanceId: s.id } });
      expect(h, addr(s)).toMatchObject({ level: "GREEN", downSince: null });
      expect(h.lastUpAt).not.toBeNull();
    }
    // the page: what each Sentinel sees is where the catalogue has each shard's master, with a quorum
    const page = await getService(db, dba, services.shards);
    const masters = new Map(all.filter((i) => i.role === "MASTER").map((m) => [`${service.name}-${m.shardIndex}`, addr(m)]));
    for (const s of page.instances.filter((i) => i.role === "SENTINEL")) {
      expect(s.sentinelView, addr(s)).not.toBeNull();
      expect(new Map(s.sentinelView!.map((v) => [v.name, `${v.ip}:${v.port}`]))).toEqual(masters);
      for (const v of s.sentinelView!) expect(v).toMatchObject({ flags: "master", quorumOk: true, quorumError: null });
    }
    for (const i of page.instances.filter((i) => i.role !== "SENTINEL")) expect(i.sentinelView).toBeNull();

    // one Sentinel killed: it reads down, amber (redundancy lost), with its reason on the service
    const victim = sentinels[0]!;
    const pid = Number(fs.readFileSync(path.join(demoDir.dir, "hosts", victim.host.ip, "data/hedwig/run/sentinel", `${victim.port}.pid`), "utf8"));
    process.kill(pid, "SIGKILL");
    await until("the Sentinel gone", 5_000, async () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    });
    // a tick of its own: samples are keyed by the tick's second
    await sleep(1000);
    await collectorTick();
    await evaluateHealth(db, new Date(), 10);
    const down = await db.instanceHealth.findUniqueOrThrow({ where: { instanceId: victim.id } });
    expect(down.level).toBe("AMBER");
    expect(down.downSince).not.toBeNull();
    const reasons = (await db.serviceHealth.findUniqueOrThrow({ where: { serviceId: services.shards } })).reasons as Reason[];
    const reason = reasons.find((r) => r.code === "unreachable" && r.params.addr === addr(victim));
    expect(reason).toMatchObject({ level: "AMBER", params: { role: "SENTINEL" } });
    expect(healthText("en", new Date()).reason(reason!)).toMatch(new RegExp(`^${addr(victim).replaceAll(".", "\\.")} \\(sentinel\\) unreachable for \\d+ s`));
    expect((await getService(db, dba, services.shards)).instances.find((i) => i.id === victim.id)!.sentinelView).toBeNull();

    await startTarget(db, noLog, await loadTarget(db, victim.id));
    await sleep(1000);
    await collectorTick();
    await evaluateHealth(db, new Date(), 10);
    expect(await db.instanceHealth.findUniqueOrThrow({ where: { instanceId: victim.id } })).toMatchObject({ level: "GREEN", downSince: null });
  });
});
