import http from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InstanceRole, ServiceKind, Software } from "../../generated/prisma/enums";
import type { Db } from "../../server/db/client";
import { ownerOf } from "../../server/domain/monitoring/assignment";
import { Collector } from "../../server/domain/monitoring/collector";
import { pollTargets } from "../../server/domain/monitoring/targets";
import { fleetMaintenance } from "../../server/domain/monitoring/maintenance";
import type { Reason } from "../../server/domain/health/rules";
import { healthText } from "../../server/domain/health/text";
import { freshDatabase } from "./db";
import { ProcessFleet } from "./monitoring-fleet";

/**
 * The collector, health rules, incidents and alerts against real redis-server, memcached and
 * nutcracker processes on 127.0.10.x. Ticks are driven by the test (one call = one poll interval of
 * 1 s), so "within two intervals" is counted in ticks, not waited for.
 */
const INTERVAL_MS = 1000;
let db: Db;
const fleet = new ProcessFleet();
let collector: Collector;
let lineId = 0;
let rackId = 0;
const hostIds = new Map<string, number>();
const maintenance = fleetMaintenance(() => {});

// the webhook receiver: counts the alerts it gets
const received: unknown[] = [];
let receiver: http.Server;
let receiverUrl = "";

async function hostId(ip: string) {
  if (!hostIds.has(ip)) {
    const h = await db.host.create({ data: { ip, hostname: `mon-${ip}`, rackId, cpuCores: 8, memoryMb: 16384, diskGb: 100, bandwidthMbps: 1000 } });
    hostIds.set(ip, h.id);
  }
  return hostIds.get(ip)!;
}

type Member = { ip: string; port: number; role: InstanceRole; software: Software; shardIndex?: number; master?: string; maxmemoryMb?: number };
async function service(name: string, kind: ServiceKind, members: Member[]) {
  const s = await db.service.create({ data: { name, productLineId: lineId, kind } });
  const ids = new Map<string, number>();
  for (const m of members) {
    const i = await db.instance.create({
      data: {
        serviceId: s.id,
        hostId: await hostId(m.ip),
        port: m.port,
        software: m.software,
        role: m.role,
        shardIndex: m.shardIndex ?? null,
        version: "test",
        maxmemoryMb: m.maxmemoryMb ?? null,
        masterId: m.master ? ids.get(m.master)! : null,
      },
    });
    ids.set(`${m.ip}:${m.port}`, i.id);
  }
  return { id: s.id, instances: ids };
}

const tick = () =>
  collector
    .tick(new Date(Math.ceil(Date.now() / INTERVAL_MS) * INTERVAL_MS), INTERVAL_MS)
    .then(async (t) => (await maintenance(db, t.at, INTERVAL_MS / 1000), t));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const health = (serviceId: number) => db.serviceHealth.findUniqueOrThrow({ where: { serviceId } });
const reasonsOf = async (serviceId: number) => (await health(serviceId)).reasons as Reason[];
/** A reason as the page shows it in English. */
const words = (r: Reason) => healthText("en", new Date()).reason(r);

/** Ticks (one interval apart) until the condition holds; fails after `max` ticks. Returns the ticks it took. */
async function ticksUntil(cond: () => Promise<boolean>, max: number): Promise<number> {
  for (let n = 1; n <= max; n++) {
    await sleep(INTERVAL_MS);
    await tick();
    if (await cond()) return n;
  }
  throw new Error(`condition not met within ${max} ticks`);
}

let sentinel: Awaited<ReturnType<typeof service>>;
let filled: Awaited<ReturnType<typeof service>>;
let pool: Awaited<ReturnType<typeof service>>;
let catalogued: Awaited<ReturnType<typeof service>>;

beforeAll(async () => {
  ({ db } = await freshDatabase());
  const dept = await db.department.create({ data: { code: "mon", name: "Monitoring" } });
  lineId = (await db.productLine.create({ data: { code: "mon-line", name: "mon-line", departmentId: dept.id, importance: 4 } })).id;
  const idc = await db.idc.create({ data: { code: "m1", name: "M1", region: "cn-sh" } });
  rackId = (await db.rack.create({ data: { idcId: idc.id, code: "r1" } })).id;
  await db.user.create({ data: { username: "mon-dba", displayName: "DBA", role: "DBA" } });
  await db.setting.create({ data: { key: "monitoring", value: { intervalSec: 1 } } });

  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push(JSON.parse(body));
      res.end("{}");
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.10.1", r));
  receiverUrl = `http://127.0.10.1:${(receiver.address() as AddressInfo).port}/hook`;

  await Promise.all([
    fleet.redis("127.0.10.11", 7101),
    fleet.redis("127.0.10.13", 7102, ["--maxmemory", "3mb", "--maxmemory-policy", "noeviction"]),
    fleet.memcached("127.0.10.21", 11401),
    fleet.memcached("127.0.10.22", 11401),
  ]);
  await fleet.redis("127.0.10.12", 7101, ["--replicaof", "127.0.10.11", "7101"]);
  await fleet.nutcracker(
    "127.0.10.23",
    22141,
    23141,
    [
      "mc:",
      "  listen: 127.0.10.23:22141",
      "  hash: fnv1a_64",
      "  distribution: ketama",
      "  timeout: 400",
      "  preconnect: true",
      "  redis: false",
      "  auto_eject_hosts: true",
      "  server_retry_timeout: 60000",
      "  server_failure_limit: 1",
      "  servers:",
      "   - 127.0.10.21:11401:1 node0",
      "   - 127.0.10.22:11401:1 node1",
      "",
    ].join("\n"),
  );
  sentinel = await service("mon-sentinel", "REDIS_SENTINEL", [
    { ip: "127.0.10.11", port: 7101, role: "MASTER", software: "REDIS", shardIndex: 0 },
    { ip: "127.0.10.12", port: 7101, role: "REPLICA", software: "REDIS", shardIndex: 0, master: "127.0.10.11:7101" },
  ]);
  filled = await service("mon-filled", "REDIS_STANDALONE", [
    { ip: "127.0.10.13", port: 7102, role: "MASTER", software: "REDIS", shardIndex: 0, maxmemoryMb: 3 },
  ]);
  pool = await service("mon-pool", "MEMCACHED_TWEMPROXY", [
    { ip: "127.0.10.21", port: 11401, role: "CACHE", software: "MEMCACHED", shardIndex: 0 },
    { ip: "127.0.10.22", port: 11401, role: "CACHE", software: "MEMCACHED", shardIndex: 1 },
    { ip: "127.0.10.23", port: 22141, role: "PROXY", software: "TWEMPROXY" },
  ]);
  catalogued = await service("mon-catalogued", "REDIS_STANDALONE", [{ ip: "127.0.10.31", port: 7103, role: "MASTER", software: "REDIS", shardIndex: 0 }]);
  await db.instance.updateMany({ where: { serviceId: catalogued.id }, data: { state: "UNKNOWN" } });
  // The receiver is on loopback, which webhooks reach only in a range an ADMIN allowed.
  await db.setting.create({ data: { key: "webhooks.allowedRanges", value: { ranges: ["127.0.0.0/8"] } } });
  await db.alertWebhook.create({ data: { name: "test receiver", url: receiverUrl, format: "GENERIC" } });
  // the replica's first sync finished: its link is up before the first poll
  const replica = new Redis({ host: "127.0.10.12", port: 7101, lazyConnect: true });
  await replica.connect();
  for (let k = 0; k < 100 && !(await replica.info("replication")).includes("master_link_status:up"); k++) await sleep(100);
  replica.disconnect();
  collector = new Collector(db, { workerId: "test-worker", intervalMs: INTERVAL_MS, log: () => {} });
  // two ticks: the first sets the counters' baseline, the second has rates
  await tick();
  await sleep(INTERVAL_MS);
  await tick();
});

afterAll(async () => {
  await collector?.stop();
  await fleet.stopAll();
  await new Promise((r) => receiver?.close(r));
});

describe("collection", () => {
  it("stores a sample per polled instance per tick, with rates, commands and clients by address", async () => {
    const master = sentinel.instances.get("127.0.10.11:7101")!;
    const r = new Redis({ host: "127.0.10.11", port: 7101, lazyConnect: true });
    await r.connect();
    for (let k = 0; k < 200; k++) await r.set(`k${k}`, "v");
    for (let k = 0; k < 100; k++) await r.get(`k${k}`);
    await sleep(INTERVAL_MS);
    const t = await tick();
    expect(t.polled).toBe(6); // the catalogued instance is not polled
    const s = await db.metricSample.findUniqueOrThrow({ where: { instanceId_at: { instanceId: master, at: t.at } } });
    expect(s.up).toBe(true);
    expect(s.opsPerSec).toBeGreaterThan(0);
    expect(s.writesPerSec).toBeGreaterThan(0);
    expect(s.readsPerSec).toBeGreaterThan(0);
    // besides the canary's own SET and GET through the master (one each per tick)
    const calls = s.commands as Record<string, { calls: number }>;
    expect(calls.set!.calls - 200).toBeGreaterThanOrEqual(0);
    expect(calls.set!.calls - 200).toBeLessThanOrEqual(1);
    expect(calls.get!.calls - 100).toBeLessThanOrEqual(1);
    expect(Object.keys(s.commands as object)).not.toContain("info");
    expect(Number(s.keys) - 200).toBeLessThanOrEqual(1); // and its key, which expires
    expect(s.latencyHistogram).not.toBeNull();
    expect(s.latencyP99Us).toBeGreaterThan(0);
    // read at the first poll (CLIENT LIST runs once a minute): the replica's link, not the collector itself
    const sources = await db.clientSource.findMany({ where: { instanceId: master } });
    expect(sources.reduce((n, c) => n + c.connections, 0)).toBe(1);
    r.disconnect();
    const replica = await db.metricSample.findUniqueOrThrow({
      where: { instanceId_at: { instanceId: sentinel.instances.get("127.0.10.12:7101")!, at: t.at } },
    });
    expect(replica.replLinkUp).toBe(true);
    const cache = await db.metricSample.findUniqueOrThrow({ where: { instanceId_at: { instanceId: pool.instances.get("127.0.10.21:11401")!, at: t.at } } });
    expect(cache).toMatchObject({ up: true, maxmemoryMb: 16 });
    const proxy = await db.metricSample.findUniqueOrThrow({ where: { instanceId_at: { instanceId: pool.instances.get("127.0.10.23:22141")!, at: t.at } } });
    expect(proxy).toMatchObject({ up: true, proxyEjected: 0 });
  });

  it("new SLOWLOG entries are stored once", async () => {
    const r = new Redis({ host: "127.0.10.11", port: 7101, lazyConnect: true });
    await r.connect();
    await r.config("SET", "slowlog-log-slower-than", "0");
    await r.set("slow", "x");
    await r.config("SET", "slowlog-log-slower-than", "10000");
    r.disconnect();
    await sleep(INTERVAL_MS);
    await tick();
    await sleep(INTERVAL_MS);
    await tick();
    const rows = await db.slowlogEntry.findMany({ where: { instanceId: sentinel.instances.get("127.0.10.11:7101")!, command: "set" } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.args).toEqual(["slow", "x"]);
  });

  it("a service with no polled instance is UNKNOWN with the reason in words", async () => {
    const h = await health(catalogued.id);
    expect(h.level).toBe("UNKNOWN");
    expect(words((h.reasons as Reason[])[0]!)).toBe("not monitored: none of its 1 instances is running under Hedwig");
  });

  it("hosts with a running instance are reachable", async () => {
    const probe = await db.hostProbe.findUniqueOrThrow({ where: { hostId: hostIds.get("127.0.10.11")! } });
    expect(probe.reachable).toBe(true);
  });
});

describe("health, incidents and alerts", () => {
  it("a filled instance shows the memory warning", async () => {
    const r = new Redis({ host: "127.0.10.13", port: 7102, lazyConnect: true, maxRetriesPerRequest: 0 });
    await r.connect();
    const blob = "x".repeat(10_000);
    for (let k = 0; k < 1000; k++) {
      const ok = await r.set(`fill${k}`, blob).then(
        () => true,
        () => false,
      );
      if (!ok) break; // OOM: maxmemory reached
    }
    r.disconnect();
    await ticksUntil(async () => (await reasonsOf(filled.id)).some((x) => x.code === "memory"), 2);
    const h = await health(filled.id);
    expect(h.level).toBe("RED");
    expect(words((h.reasons as Reason[]).find((x) => x.code === "memory")!)).toMatch(
      /^127\.0\.10\.13:7102 \(master of shard 0\) uses \d+% of its maxmemory \(.* of 3 MB\), from 90%$/,
    );
    await db.service.update({ where: { id: filled.id }, data: { healthOverrides: { memoryAmberPct: 100, memoryRedPct: 100 } } });
    await ticksUntil(async () => (await health(filled.id)).level !== "RED", 2);
  });

  it("a stopped master turns the service red with the reason within two intervals, the replica shows the broken link, and it is green again after a start; no negative rate", async () => {
    const masterId = sentinel.instances.get("127.0.10.11:7101")!;
    expect((await health(sentinel.id)).level).toBe("GREEN");
    await fleet.stop("127.0.10.11", 7101);
    const ticks = await ticksUntil(async () => (await health(sentinel.id)).level === "RED", 2);
    expect(ticks).toBeLessThanOrEqual(2);
    const reasons = await reasonsOf(sentinel.id);
    expect(reasons.map((r) => r.code).slice(0, 3)).toEqual(["canary_failed", "shard_no_master", "unreachable"]);
    expect(words(reasons[1]!)).toBe("shard 0 has no master: every key fails");
    expect(words(reasons[2]!)).toMatch(/^127\.0\.10\.11:7101 \(master of shard 0\) unreachable for \d+ s: connection refused$/);
    await ticksUntil(async () => (await reasonsOf(sentinel.id)).some((r) => r.code === "replication_link_down"), 5);
    expect(words((await reasonsOf(sentinel.id)).find((r) => r.code === "replication_link_down")!)).toMatch(
      /^127\.0\.10\.12:7101 \(replica of shard 0\): replication link to its master 127\.0\.10\.11:7101 down/,
    );
    const incident = await db.incident.findFirstOrThrow({ where: { serviceId: sentinel.id, closedAt: null } });
    expect(incident.reason).toMatch(/^canary_failed /);
    expect((await health(sentinel.id)).incidentId).toBe(incident.id);
    const notice = await db.notification.findFirstOrThrow({ where: { code: "incident_opened", link: `/incidents/${incident.id}` } });
    expect(notice.title).toBe("mon-sentinel is red");
    expect((notice.params as { reason: { code: string } }).reason.code).toBe("canary_failed");

    await fleet.redis("127.0.10.11", 7101);
    await ticksUntil(async () => (await health(sentinel.id)).level === "GREEN", 10);
    const closed = await db.incident.findUniqueOrThrow({ where: { id: incident.id } });
    expect(closed.closedAt).not.toBeNull();
    expect((await health(sentinel.id)).incidentId).toBeNull();

    // the restart reset every counter: that interval has no rate, none is negative
    const samples = await db.metricSample.findMany({ where: { instanceId: masterId }, orderBy: { at: "asc" } });
    expect(samples.some((s) => s.up && s.opsPerSec === null && String((s.extra as { reset?: string }).reset).includes("restarted"))).toBe(true);
    for (const s of samples) for (const v of [s.opsPerSec, s.hitsPerSec, s.missesPerSec, s.writesPerSec, s.netInKbps]) expect(v === null || v >= 0).toBe(true);
  });

  it("one webhook per incident when it opens and one when it resolves, with the impact, the duration and the link; none while silenced", async () => {
    const incidents = await db.incident.findMany({ where: { serviceId: { in: [sentinel.id, filled.id] } } });
    expect(incidents).toHaveLength(2);
    expect(incidents.every((i) => i.closedAt)).toBe(true);
    type Alert = { event: string; services: { id: number }[]; incident: { text: string; reasons: { text: string }[] }; link: string };
    const alerts = received as Alert[];
    // opened and resolved, for the filled service's and the stopped master's
    expect(alerts.map((a) => a.event).sort()).toEqual(["incident.opened", "incident.opened", "incident.resolved", "incident.resolved"]);
    const alert = alerts.find((a) => a.services[0]!.id === sentinel.id && a.event === "incident.opened")!;
    expect(alert.incident.text).toMatch(/^clients see errors: 1 of 1 canary keys failed through the master 127\.0\.10\.11:7101/);
    expect(alert.incident.reasons.map((r) => r.text)).toContainEqual(expect.stringMatching(/127\.0\.10\.11:7101 \(master of shard 0\) unreachable/));
    expect(alert.link).toMatch(new RegExp(`/incidents/${incidents.find((i) => i.serviceId === sentinel.id)!.id}$`));
    const resolved = alerts.find((a) => a.services[0]!.id === sentinel.id && a.event === "incident.resolved")!;
    expect(resolved.incident.text).toMatch(/^Resolved after \d+ s$/);
    const first = await db.incident.findFirstOrThrow({ where: { serviceId: sentinel.id }, orderBy: { id: "asc" } });
    expect(first.notifiedAt).not.toBeNull();
    expect(first.notifyError).toBeNull();

    // the NOC silences the service for an hour (on its latest incident); it fails again: no alert
    await db.incident.update({ where: { id: first.id }, data: { silencedUntil: new Date(Date.now() + 3_600_000) } });
    const before = received.length;
    await fleet.stop("127.0.10.11", 7101);
    await ticksUntil(async () => (await health(sentinel.id)).level === "RED", 2);
    await tick();
    await tick();
    const second = await db.incident.findFirstOrThrow({ where: { serviceId: sentinel.id, closedAt: null } });
    expect(second.id).not.toBe(first.id);
    expect(second.silencedUntil).not.toBeNull();
    expect(received).toHaveLength(before);
    await fleet.redis("127.0.10.11", 7101);
    await ticksUntil(async () => (await health(sentinel.id)).level === "GREEN", 10);
  });

  it("Twemproxy ejecting a server shows, naming it", async () => {
    await fleet.stop("127.0.10.22", 11401);
    // requests to the dead node make the proxy eject it (server_failure_limit 1)
    const sock = await import("node:net");
    for (let k = 0; k < 20; k++) {
      await new Promise<void>((resolve) => {
        const c = sock.connect({ host: "127.0.10.23", port: 22141 }, () => c.write(`get key${k}\r\n`));
        c.on("data", () => (c.destroy(), resolve()));
        c.on("error", () => resolve());
        c.setTimeout(1000, () => (c.destroy(), resolve()));
      });
    }
    await sleep(1200); // the stats port refreshes every second
    await ticksUntil(async () => (await reasonsOf(pool.id)).some((r) => r.code === "proxy_ejecting"), 3);
    const r = (await reasonsOf(pool.id)).find((x) => x.code === "proxy_ejecting")!;
    expect(words(r)).toBe("127.0.10.23:22141 (proxy) ejected 1 server (node1) in the last poll interval");
    expect((await health(pool.id)).level).toBe("RED");
  });
});

describe("several workers", () => {
  it("share the instances: each is polled by exactly one, and one leads", async () => {
    const a = new Collector(db, { workerId: "share-a", intervalMs: INTERVAL_MS, log: () => {} });
    const b = new Collector(db, { workerId: "share-b", intervalMs: INTERVAL_MS, log: () => {} });
    await sleep(INTERVAL_MS);
    const at = new Date(Math.ceil(Date.now() / INTERVAL_MS) * INTERVAL_MS + 5 * INTERVAL_MS);
    // the first tick of each registers it; the second sees both alive
    await Promise.all([a.tick(at, INTERVAL_MS), b.tick(at, INTERVAL_MS)]);
    const later = new Date(at.getTime() + INTERVAL_MS);
    const [ta, tb] = await Promise.all([a.tick(later, INTERVAL_MS), b.tick(later, INTERVAL_MS)]);
    // three workers are alive (the suite's own too): a and b together poll their shares, nothing twice
    const polled = await db.metricSample.count({ where: { at: later } });
    expect(polled).toBe(ta.polled + tb.polled);
    const live = ["test-worker", "share-a", "share-b"];
    const targets = await pollTargets(db);
    expect(ta.polled).toBe(targets.filter((t) => ownerOf(t.instanceId, live) === "share-a").length);
    expect(tb.polled).toBe(targets.filter((t) => ownerOf(t.instanceId, live) === "share-b").length);
    expect(ta.leader && tb.leader).toBe(false);
    await Promise.all([a.stop(), b.stop()]);
    expect(await db.collectorWorker.count({ where: { id: { in: ["share-a", "share-b"] } } })).toBe(0);
  });
});

describe("the collector loop", () => {
  it("ticks on its own, and stop() ends it and leaves the worker list", async () => {
    const loop = new Collector(db, { workerId: "loop-worker", intervalMs: 500, log: () => {} }).start();
    const before = await db.metricSample.count();
    for (let k = 0; k < 40 && (await db.metricSample.count()) === before; k++) await sleep(100);
    expect(await db.metricSample.count()).toBeGreaterThan(before);
    await loop.stop();
    expect(await db.collectorWorker.count({ where: { id: "loop-worker" } })).toBe(0);
    expect(await db.collectorCursor.count()).toBeGreaterThan(0);
    const after = await db.metricSample.count();
    await sleep(1200);
    expect(await db.metricSample.count()).toBe(after);
  });
});
