import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/client";
import { ensureSettingsAndRanges } from "../../server/db/seed";
import type { Actor } from "../../server/domain/access/actor";
import { stopHaproxy } from "../../server/domain/lb/deploy";
import { submitOperation } from "../../server/domain/operations";
import { loadTarget } from "../../server/domain/operations/target";
import { provisionJob } from "../../server/domain/provisioning/provision-job";
import type { RequestForm } from "../../server/domain/provisioning/request-schema";
import { approveRequest, createRequest } from "../../server/domain/requests/requests";
import { JOBS } from "../../server/jobs/registry";
import { runJob } from "../../server/jobs/runner";
import { freshDatabase, makeActor } from "./db";
import { createDemoHosts, loginAt, useDemoDataDir } from "./demo-fleet";
import { withRedis } from "../../server/domain/provisioning/deploy/probes";

/**
 * A rolling upgrade through the VIP under load: a Redis service sharded behind two Twemproxies with
 * a replica per shard and Sentinels, delivered behind a Libra VIP (demo hosts 127.0.165.x, HAProxy
 * on 127.0.166.3), upgraded to a second version and back while a client with short connections
 * writes and reads through the VIP; not one request may fail. The second version is this machine's
 * Debian build registered again as 7.0.15-b2 (and Twemproxy's as 0.5.0-b2): the test proves the
 * orchestration, not a newer Redis.
 */
const { db } = (await freshDatabase()) as { db: Db };
const demo = useDemoDataDir("daytwo-upgrade");
const SERVER = { ip: "127.0.166.3", executor: "LOCAL" as const };
let dba: Actor;
let serviceId: number;
let poolId: number;
const noDispatch = async () => {};

beforeAll(async () => {
  await ensureSettingsAndRanges(db);
  const dept = await db.department.create({ data: { code: "up", name: "Upgrade" } });
  const line = await db.productLine.create({ data: { code: "up-a", name: "up", departmentId: dept.id, importance: 3 } });
  const biz = await makeActor(db, "BUSINESS", [line.id]);
  dba = await makeActor(db, "DBA");
  await createDemoHosts(db, { prefix: "127.0.165", idcCode: "up", departmentId: dept.id });
  poolId = (
    await db.lbPool.create({
      data: {
        name: "delivery",
        backend: "HAPROXY",
        configPath: "/etc/hedwig-lb/delivery/haproxy.cfg",
        statsPort: 19465,
        forDelivery: true,
        vipRange: "127.0.166.80-127.0.166.89",
        servers: { create: [SERVER] },
      },
    })
  ).id;
  await db.softwareVersion.createMany({
    data: [
      { software: "REDIS", version: "7.0.15-b2", installPath: "/opt/hedwig/redis/7.0.15-b2" },
      { software: "TWEMPROXY", version: "0.5.0-b2", installPath: "/opt/hedwig/twemproxy/0.5.0-b2" },
    ],
  });
  const form: RequestForm = {
    productLineId: line.id,
    kind: "REDIS_TWEMPROXY",
    purpose: "upgrade under load",
    capacityGb: 2,
    peakQps: 20_000,
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
}, 120_000);

afterAll(async () => {
  await stopHaproxy({ id: poolId }, SERVER).catch(() => {});
  demo.restore();
});

/** A client with short connections through the VIP (one connection per request), SET then GET of its own keys, every failure counted. */
function loadThroughVip(host: string, port: number, auth: Record<string, string>) {
  let stop = false;
  const failures: string[] = [];
  let requests = 0;
  const done = (async () => {
    for (let k = 0; !stop; k++) {
      const c = new Redis({
        host,
        port,
        ...auth,
        lazyConnect: true,
        protocol: 2,
        enableReadyCheck: false,
        disableClientInfo: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      c.on("error", () => {});
      try {
        await c.connect();
        await c.set(`up:${k % 500}`, String(k));
        if ((await c.get(`up:${k % 500}`)) !== String(k)) failures.push(`up:${k % 500} did not read back`);
        requests += 2;
      } catch (e) {
        failures.push((e as Error).message);
      } finally {
        c.disconnect();
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  return {
    stats: () => ({ requests, failures }),
    stop: async () => {
      stop = true;
      await done;
    },
  };
}

async function upgrade(software: "REDIS" | "TWEMPROXY", toVersion: string) {
  const job = await submitOperation(db, dba, { kind: "service.upgrade", serviceId, software, toVersion }, noDispatch);
  const status = await runJob(db, job.id, JOBS["service.upgrade"]!);
  const done = await db.job.findUniqueOrThrow({ where: { id: job.id }, include: { logs: { orderBy: { id: "asc" } } } });
  return { status, error: done.error, logs: done.logs.map((l) => l.message) };
}

describe("rolling version upgrade", () => {
  it("refuses a version the catalogue lacks and one the service already runs", async () => {
    await expect(upgrade("REDIS", "9.9.9")).rejects.toThrow(/REDIS 9.9.9 is not in the catalogue/);
    await expect(upgrade("REDIS", "7.0.15")).rejects.toThrow(/already runs 7.0.15/);
  });

  it("upgrades Redis (replicas, a controlled failover, the old masters) and Twemproxy, and back, through the VIP under load without a failed request", async () => {
    const service = await db.service.findUniqueOrThrow({ where: { id: serviceId } });
    const load = loadThroughVip(service.entryHost!, service.entryPort!, (await loginAt(db, service.entryHost!, service.entryPort!)) as Record<string, string>);
    await new Promise((r) => setTimeout(r, 500));
    const mastersBefore = (await db.instance.findMany({ where: { serviceId, role: "MASTER" }, orderBy: { shardIndex: "asc" } })).map((m) => m.id);

    const up = await upgrade("REDIS", "7.0.15-b2");
    expect(up.status, up.error ?? "").toBe("SUCCEEDED");
    const redis = await db.instance.findMany({ where: { serviceId, software: { in: ["REDIS", "REDIS_SENTINEL"] } } });
    expect(redis.every((i) => i.version === "7.0.15-b2")).toBe(true);
    // the failover happened: each shard's master is its former replica, which replicates nothing
    const mastersAfter = await db.instance.findMany({ where: { serviceId, role: "MASTER" }, orderBy: { shardIndex: "asc" } });
    expect(mastersAfter.map((m) => m.id).some((id) => mastersBefore.includes(id))).toBe(false);
    for (const m of mastersAfter) {
      const t = await loadTarget(db, m.id);
      expect(await withRedis(t, (r) => r.info("replication"))).toMatch(/^role:master/m);
      // the process runs from the new version's path
      expect(t.layout.binary).toContain("/redis/7.0.15-b2/bin/");
    }
    expect(up.logs.some((l) => l.includes("Debian build") && l.includes("7.0.15-b2"))).toBe(true);
    expect(up.logs.some((l) => /promoted .* waited \d+ ms/.test(l))).toBe(true);

    const proxyUp = await upgrade("TWEMPROXY", "0.5.0-b2");
    expect(proxyUp.status, proxyUp.error ?? "").toBe("SUCCEEDED");
    expect(proxyUp.logs.some((l) => l.includes("drains"))).toBe(true);

    const back = await upgrade("REDIS", "7.0.15");
    expect(back.status, back.error ?? "").toBe("SUCCEEDED");
    const proxyBack = await upgrade("TWEMPROXY", "0.5.0");
    expect(proxyBack.status, proxyBack.error ?? "").toBe("SUCCEEDED");
    await new Promise((r) => setTimeout(r, 300));
    await load.stop();
    const { requests, failures } = load.stats();
    expect(requests).toBeGreaterThan(200);
    expect(failures, failures.slice(0, 5).join(" | ")).toEqual([]);
    expect((await db.instance.findMany({ where: { serviceId } })).every((i) => i.version === "7.0.15" || i.version === "0.5.0")).toBe(true);
    // the Sentinels watch the current masters again
    const sentinel = await loadTarget(db, (await db.instance.findFirstOrThrow({ where: { serviceId, role: "SENTINEL" } })).id);
    const watched = (await withRedis(sentinel, (r) => r.call("SENTINEL", "MASTERS"))) as string[][];
    const masters = await db.instance.findMany({ where: { serviceId, role: "MASTER" }, include: { host: true } });
    expect(watched.map((row) => `${row[row.indexOf("ip") + 1]}:${row[row.indexOf("port") + 1]}`).sort()).toEqual(
      masters.map((m) => `${m.host.ip}:${m.port}`).sort(),
    );
  }, 240_000);
});
