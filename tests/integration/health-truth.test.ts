import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InstanceRole, ServiceKind, Software } from "../../generated/prisma/enums";
import { appRouter } from "../../server/api/root";
import { createContext } from "../../server/api/trpc";
import type { Db } from "../../server/db/client";
import type { Actor } from "../../server/domain/access/actor";
import { loadBoard } from "../../server/domain/health/board";
import { escalateDue } from "../../server/domain/health/incident-store";
import { DEFAULT_INCIDENT_SETTINGS } from "../../server/domain/health/incident-settings";
import type { Reason } from "../../server/domain/health/rules";
import { healthText } from "../../server/domain/health/text";
import { Collector } from "../../server/domain/monitoring/collector";
import { fleetMaintenance } from "../../server/domain/monitoring/maintenance";
import { loadHostInputs } from "../../server/domain/scheduler/store/fleet";
import { freshDatabase, makeActor } from "./db";
import { ProcessFleet } from "./monitoring-fleet";

/**
 * The health rules tell the truth, on real redis-server, memcached and nutcracker processes on
 * 127.0.103.x: an idle replica stays green, a DBA's maintenance opens no incident, a canary through
 * a killed entry point turns the service red with the impact in words, a host that stops answering
 * opens one incident naming every service on it; incidents keep a timeline, tell the line's business
 * users, escalate and resolve with webhooks. Ticks are driven by the test (1 s interval).
 */
const INTERVAL_MS = 1000;
let db: Db;
const fleet = new ProcessFleet();
let collector: Collector;
let lineId = 0;
let rackId = 0;
let biz: Actor;
let noc: Actor;
const hostIds = new Map<string, number>();
const maintenance = fleetMaintenance(() => {});
const received: { event: string; services: { name: string }[]; incident: { text: string } }[] = [];
let receiver: http.Server;
// a stand-in for an SSH host's sshd: the host probe connects to port 22
let sshd: net.Server | null = null;
const SSH_HOST = "127.0.103.50";

async function hostId(ip: string, executor: "LOCAL" | "SSH" = "LOCAL") {
  if (!hostIds.has(ip)) {
    const h = await db.host.create({ data: { ip, hostname: `ht-${ip}`, rackId, cpuCores: 8, memoryMb: 16384, diskGb: 100, bandwidthMbps: 1000, executor } });
    hostIds.set(ip, h.id);
  }
  return hostIds.get(ip)!;
}

type Member = { ip: string; port: number; role: InstanceRole; software: Software; shardIndex?: number; master?: string };
async function service(name: string, kind: ServiceKind, members: Member[], entry?: { ip: string; port: number }) {
  const s = await db.service.create({ data: { name, productLineId: lineId, kind, entryHost: entry?.ip ?? null, entryPort: entry?.port ?? null } });
  const ids = new Map<string, number>();
  for (const m of members) {
    const i = await db.instance.create({
      data: {
        serviceId: s.id,
        hostId: await hostId(m.ip, m.ip === SSH_HOST ? "SSH" : "LOCAL"),
        port: m.port,
        software: m.software,
        role: m.role,
        shardIndex: m.shardIndex ?? null,
        version: "test",
        masterId: m.master ? ids.get(m.master)! : null,
      },
    });
    ids.set(`${m.ip}:${m.port}`, i.id);
  }
  return { id: s.id, name, instances: ids };
}

const tick = () =>
  collector
    .tick(new Date(Math.ceil(Date.now() / INTERVAL_MS) * INTERVAL_MS), INTERVAL_MS)
    .then(async (t) => (await maintenance(db, t.at, INTERVAL_MS / 1000), t));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const health = (serviceId: number) => db.serviceHealth.findUniqueOrThrow({ where: { serviceId } });
const reasonsOf = async (serviceId: number) => (await health(serviceId)).reasons as Reason[];
const words = (r: Reason) => healthText("en", new Date()).reason(r);
async function ticksUntil(cond: () => Promise<boolean>, max: number): Promise<number> {
  for (let n = 1; n <= max; n++) {
    await sleep(INTERVAL_MS);
    await tick();
    if (await cond()) return n;
  }
  throw new Error(`condition not met within ${max} ticks`);
}

let sentinel: Awaited<ReturnType<typeof service>>;
let shards: Awaited<ReturnType<typeof service>>;
let cache: Awaited<ReturnType<typeof service>>;
let onHostA: Awaited<ReturnType<typeof service>>;
let onHostB: Awaited<ReturnType<typeof service>>;

const nutcrackerYml = [
  "sh:",
  "  listen: 127.0.103.20:22301",
  "  hash: fnv1a_64",
  "  distribution: ketama",
  "  timeout: 400",
  "  redis: true",
  "  auto_eject_hosts: false",
  "  servers:",
  "   - 127.0.103.21:7311:1 shard0",
  "   - 127.0.103.22:7312:1 shard1",
  "",
].join("\n");

beforeAll(async () => {
  ({ db } = await freshDatabase());
  const dept = await db.department.create({ data: { code: "ht", name: "Health truth" } });
  lineId = (await db.productLine.create({ data: { code: "ht-line", name: "ht-line", departmentId: dept.id, importance: 5 } })).id;
  const idc = await db.idc.create({ data: { code: "h1", name: "H1", region: "cn-sh" } });
  rackId = (await db.rack.create({ data: { idcId: idc.id, code: "r1" } })).id;
  await makeActor(db, "DBA");
  noc = await makeActor(db, "NOC");
  biz = await makeActor(db, "BUSINESS", [lineId]);
  await db.setting.create({ data: { key: "monitoring", value: { intervalSec: 1 } } });
  // The line's webhook receiver is on loopback, which webhooks reach only in a range an ADMIN allowed.
  await db.setting.create({ data: { key: "webhooks.allowedRanges", value: { ranges: ["127.0.0.0/8"] } } });

  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => (received.push(JSON.parse(body)), res.end("{}")));
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.103.1", r));
  await db.alertWebhook.create({
    data: { name: "line hook", url: `http://127.0.103.1:${(receiver.address() as AddressInfo).port}/hook`, format: "GENERIC", productLineId: lineId },
  });

  sshd = net.createServer((s) => s.on("error", () => {}).end("SSH-2.0-test\r\n")); // a probe that resets is not an error here
  await new Promise<void>((r) => sshd!.listen(22, SSH_HOST, r));

  // the idle replica's master pings it rarely: master_last_io_seconds_ago climbs between pings
  await Promise.all([
    fleet.redis("127.0.103.11", 7301, ["--repl-ping-replica-period", "60"]),
    fleet.redis("127.0.103.21", 7311),
    fleet.redis("127.0.103.22", 7312),
    fleet.memcached("127.0.103.31", 11301),
    fleet.redis(SSH_HOST, 7321),
    fleet.redis(SSH_HOST, 7322),
  ]);
  await fleet.redis("127.0.103.12", 7301, ["--replicaof", "127.0.103.11", "7301"]);
  await fleet.nutcracker("127.0.103.20", 22301, 23301, nutcrackerYml);

  sentinel = await service("ht-sentinel", "REDIS_SENTINEL", [
    { ip: "127.0.103.11", port: 7301, role: "MASTER", software: "REDIS", shardIndex: 0 },
    { ip: "127.0.103.12", port: 7301, role: "REPLICA", software: "REDIS", shardIndex: 0, master: "127.0.103.11:7301" },
  ]);
  // amber after 1 s of lag (the least the setting takes): the old rule (seconds since the master's last I/O) would flap at once
  await db.service.update({ where: { id: sentinel.id }, data: { healthOverrides: { replLagAmberSec: 1, replLagRedSec: 30 } } });
  shards = await service(
    "ht-shards",
    "REDIS_TWEMPROXY",
    [
      { ip: "127.0.103.20", port: 22301, role: "PROXY", software: "TWEMPROXY" },
      { ip: "127.0.103.21", port: 7311, role: "MASTER", software: "REDIS", shardIndex: 0 },
      { ip: "127.0.103.22", port: 7312, role: "MASTER", software: "REDIS", shardIndex: 1 },
    ],
    { ip: "127.0.103.20", port: 22301 },
  );
  cache = await service("ht-cache", "MEMCACHED", [{ ip: "127.0.103.31", port: 11301, role: "CACHE", software: "MEMCACHED", shardIndex: 0 }]);
  onHostA = await service("ht-host-a", "REDIS_STANDALONE", [{ ip: SSH_HOST, port: 7321, role: "MASTER", software: "REDIS", shardIndex: 0 }]);
  onHostB = await service("ht-host-b", "REDIS_STANDALONE", [{ ip: SSH_HOST, port: 7322, role: "MASTER", software: "REDIS", shardIndex: 0 }]);

  const replica = new Redis({ host: "127.0.103.12", port: 7301, lazyConnect: true });
  await replica.connect();
  for (let k = 0; k < 100 && !(await replica.info("replication")).includes("master_link_status:up"); k++) await sleep(100);
  replica.disconnect();
  collector = new Collector(db, { workerId: "ht-worker", intervalMs: INTERVAL_MS, log: () => {} });
  await tick();
  await sleep(INTERVAL_MS);
  await tick();
}, 60_000);

afterAll(async () => {
  await collector?.stop();
  await fleet.stopAll();
  await new Promise((r) => receiver?.close(r));
  await new Promise((r) => (sshd ? sshd.close(r) : r(null)));
});

describe("state that tells the truth", () => {
  it("every service is green through its canary, and the canary passed through each entry point", async () => {
    for (const s of [sentinel, shards, cache, onHostA, onHostB]) expect((await health(s.id)).level, s.name).toBe("GREEN");
    const c = await db.serviceCanary.findUniqueOrThrow({ where: { serviceId: shards.id } });
    expect(c).toMatchObject({ ok: true, via: "PROXY", entry: "127.0.103.20:22301", keys: 8, failed: 0 });
    expect(await db.canaryMinute.count({ where: { serviceId: shards.id } })).toBeGreaterThan(0);
  });

  it("an idle replica with its master's offset stays green, however long since the master last spoke", async () => {
    const replicaId = sentinel.instances.get("127.0.103.12:7301")!;
    let maxIo = 0;
    for (let k = 0; k < 5; k++) {
      await sleep(INTERVAL_MS);
      await tick();
      const s = await db.metricSample.findFirstOrThrow({ where: { instanceId: replicaId }, orderBy: { at: "desc" } });
      maxIo = Math.max(maxIo, s.replLagSec ?? 0);
      expect((await health(sentinel.id)).level).toBe("GREEN");
      expect((await db.instanceHealth.findUniqueOrThrow({ where: { instanceId: replicaId } })).level).toBe("GREEN");
    }
    // the case is really exercised: the replica had not heard from its master for longer than the amber threshold
    expect(maxIo).toBeGreaterThanOrEqual(1);
  });
});

describe("colours follow what clients see", () => {
  it("a killed shard master: red with the impact as a share of the keys; the canary through the proxy fails on part of its keys", async () => {
    await fleet.stop("127.0.103.22", 7312);
    await ticksUntil(async () => (await reasonsOf(shards.id)).some((r) => r.code === "shard_no_master"), 3);
    const reasons = await reasonsOf(shards.id);
    expect((await health(shards.id)).level).toBe("RED");
    expect(words(reasons.find((r) => r.code === "shard_no_master")!)).toBe("shard 1 has no master: about 50% of the keys fail");
    const canary = reasons.find((r) => r.code === "canary_failed")!;
    expect(canary.params.failed).toBeGreaterThan(0);
    expect(canary.params.failed).toBeLessThan(8);
    await fleet.redis("127.0.103.22", 7312);
    await ticksUntil(async () => (await health(shards.id)).level === "GREEN", 8);
  });

  it("the entry point killed: the canary fails on every key, red, and it is green again without anyone touching Hedwig", async () => {
    await fleet.stop("127.0.103.20", 22301);
    await ticksUntil(async () => (await reasonsOf(shards.id)).some((r) => r.code === "canary_failed"), 3);
    const canary = (await reasonsOf(shards.id)).find((r) => r.code === "canary_failed")!;
    expect(canary).toMatchObject({ level: "RED", params: { failed: 8, keys: 8, via: "PROXY" } });
    expect(words(canary)).toMatch(
      /^clients see errors: 8 of 8 canary keys failed through the proxy 127\.0\.103\.20:22301 for \d+ s: 127\.0\.103\.20:22301: connection refused$/,
    );
    const board = await loadBoard(db, noc);
    const tile = board.groups.flatMap((g) => g.problems).find((t) => t.serviceId === shards.id)!;
    expect(tile.level).toBe("RED");
    expect(tile.reasons[0]!.code).toBe("canary_failed");
    await fleet.nutcracker("127.0.103.20", 22301, 23301, nutcrackerYml);
    await ticksUntil(async () => (await health(shards.id)).level === "GREEN", 8);
  });

  it("the incident of the shards keeps a timeline: opened with the first reason, acknowledged, resolved with the duration; the line's business user was told", async () => {
    const incidents = await db.incident.findMany({ where: { serviceId: shards.id }, orderBy: { id: "asc" }, include: { events: { orderBy: { id: "asc" } } } });
    expect(incidents.length).toBeGreaterThanOrEqual(2);
    const first = incidents[0]!;
    expect(first.closedAt).not.toBeNull();
    expect(first.events[0]).toMatchObject({ kind: "opened" });
    expect(first.events.at(-1)).toMatchObject({ kind: "resolved" });
    const resolved = healthText("en", new Date()).event({ code: first.events.at(-1)!.code, params: first.events.at(-1)!.params as Record<string, unknown> });
    expect(resolved).toMatch(/^Resolved after \d+ s$/);
    const notices = await db.notification.findMany({ where: { userId: biz.id }, orderBy: { id: "asc" } });
    expect(notices.map((n) => n.code)).toEqual(expect.arrayContaining(["incident_opened", "incident_resolved"]));
    expect(notices.find((n) => n.code === "incident_opened")!.title).toBe("ht-shards is red");
    // the line's webhook heard both ends, with the duration as of sending
    expect(received.filter((r) => r.services[0]?.name === "ht-shards").map((r) => r.event)).toEqual(
      expect.arrayContaining(["incident.opened", "incident.resolved"]),
    );
    // the business user sees the incident list of the line, with the timeline
    const list = await appRouter
      .createCaller(createContext(biz.id, db))
      .incidents.list({ productLineId: null, importance: null, state: "all", days: 1, page: 1, pageSize: 50 });
    expect(list.rows.map((r) => r.id)).toContain(first.id);
  });
});

describe("maintenance", () => {
  it("a Memcached a DBA stopped for maintenance is shown, red for its clients, and opens no incident; once the window ends it pages", async () => {
    const nodeId = cache.instances.get("127.0.103.31:11301")!;
    await db.instance.update({ where: { id: nodeId }, data: { maintenanceUntil: new Date(Date.now() + 3_600_000), maintenanceNote: "memory upgrade" } });
    await fleet.stop("127.0.103.31", 11301);
    await ticksUntil(async () => (await db.instanceHealth.findUniqueOrThrow({ where: { instanceId: nodeId } })).level === "MAINTENANCE", 3);
    await tick();
    await tick();
    const h = await health(cache.id);
    expect(h.level).toBe("RED");
    expect((h.reasons as Reason[]).filter((r) => r.level === "RED").every((r) => r.params.maintenance === true)).toBe(true);
    expect(words((h.reasons as Reason[]).find((r) => r.code === "maintenance")!)).toMatch(/in maintenance until .*: memory upgrade \(stopped\)$/);
    expect(h.incidentId).toBeNull();
    expect(await db.incident.count({ where: { serviceId: cache.id } })).toBe(0);

    await db.instance.update({ where: { id: nodeId }, data: { maintenanceUntil: new Date(Date.now() - 1000) } });
    await ticksUntil(async () => (await health(cache.id)).incidentId !== null, 3);
    await fleet.memcached("127.0.103.31", 11301);
    await ticksUntil(async () => (await health(cache.id)).level === "GREEN", 8);
  });
});

describe("a host that stops answering", () => {
  it("opens one incident naming every service on it, none per service; the scheduler stops placing there; it resolves when the host is back", async () => {
    expect((await loadHostInputs(db)).find((h) => h.ip === SSH_HOST)!.reachable).toBe(true);
    await new Promise((r) => sshd!.close(r));
    sshd = null;
    await Promise.all([fleet.stop(SSH_HOST, 7321), fleet.stop(SSH_HOST, 7322)]);
    await ticksUntil(async () => (await health(onHostA.id)).incidentId !== null && (await health(onHostB.id)).incidentId !== null, 4);
    const [a, b] = [await health(onHostA.id), await health(onHostB.id)];
    expect(a.level).toBe("RED");
    expect(a.incidentId).toBe(b.incidentId);
    const incident = await db.incident.findUniqueOrThrow({ where: { id: a.incidentId! }, include: { services: true, events: true } });
    expect(incident.hostId).toBe(hostIds.get(SSH_HOST));
    expect(incident.services.map((s) => s.serviceId).sort()).toEqual([onHostA.id, onHostB.id].sort());
    expect(await db.incident.count({ where: { serviceId: { in: [onHostA.id, onHostB.id] } } })).toBe(0);
    expect(healthText("en", new Date()).event({ code: incident.events[0]!.code, params: incident.events[0]!.params as Record<string, unknown> })).toMatch(
      /^Opened: host 127\.0\.103\.50 stopped answering; it carries 2 services: ht-host-a, ht-host-b$/,
    );
    expect(words((a.reasons as Reason[]).find((r) => r.code === "host_unreachable")!)).toMatch(/down: its host 127\.0\.103\.50 stopped answering \d+ s ago$/);
    // one notice for the host to the line's business user, not one per service
    expect(await db.notification.count({ where: { userId: biz.id, code: "host_incident_opened" } })).toBe(1);
    expect(await db.notification.count({ where: { userId: biz.id, code: "incident_opened", title: { startsWith: "ht-host" } } })).toBe(0);
    expect((await loadHostInputs(db)).find((h) => h.ip === SSH_HOST)!.reachable).toBe(false);
    // the board counts it once
    const board = await loadBoard(db, noc);
    expect(board.groups.flatMap((g) => g.problems).filter((t) => t.incident?.host === SSH_HOST)).toHaveLength(2);

    // the NOC acknowledges it from either tile: one incident, one acknowledgement on its timeline
    await appRouter.createCaller(createContext(noc.id, db)).board.acknowledge({ serviceId: onHostA.id, note: "power supply" });
    expect(await db.incidentEvent.count({ where: { incidentId: incident.id, kind: "acknowledged" } })).toBe(1);

    sshd = net.createServer((s) => s.on("error", () => {}).end("SSH-2.0-test\r\n")); // a probe that resets is not an error here
    await new Promise<void>((r) => sshd!.listen(22, SSH_HOST, r));
    await Promise.all([fleet.redis(SSH_HOST, 7321), fleet.redis(SSH_HOST, 7322)]);
    await ticksUntil(async () => (await db.incident.findUniqueOrThrow({ where: { id: incident.id } })).closedAt !== null, 8);
    expect((await health(onHostA.id)).level).toBe("GREEN");
  });
});

describe("escalation", () => {
  it("an incident nobody acknowledged within its importance's minutes escalates once, telling the line and the webhook", async () => {
    await fleet.stop("127.0.103.31", 11301);
    await ticksUntil(async () => (await health(cache.id)).incidentId !== null, 3);
    const id = (await health(cache.id)).incidentId!;
    const later = new Date(Date.now() + 11 * 60_000); // importance 5: 10 minutes
    expect(await escalateDue(db, later, DEFAULT_INCIDENT_SETTINGS)).toEqual([id]);
    expect(await escalateDue(db, later, DEFAULT_INCIDENT_SETTINGS)).toEqual([]);
    const notice = await db.notification.findFirstOrThrow({ where: { userId: biz.id, code: "incident_escalated" } });
    expect(healthText("en", later).notice({ code: notice.code!, params: notice.params as Record<string, unknown> })).toEqual({
      title: "Escalated: ht-cache is still red",
      body: expect.stringMatching(/^Not acknowledged within 10 min — red for 1[01] min$/),
    });
    await tick();
    expect(received.some((r) => r.event === "incident.escalated" && r.services[0]?.name === "ht-cache")).toBe(true);
    await fleet.memcached("127.0.103.31", 11301);
    await ticksUntil(async () => (await health(cache.id)).level === "GREEN", 8);
  });
});
