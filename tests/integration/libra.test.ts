import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { english } from "../../i18n/load";
import type { Text } from "../../lib/text";
import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "../../server/api/root";
import { createContext } from "../../server/api/trpc";
import { ensureLibraTemplates } from "../../server/db/seed/libra";
import type { Actor } from "../../server/domain/access/actor";
import { registerDeliveredService } from "../../server/domain/lb/delivery";
import { stopHaproxy } from "../../server/domain/lb/deploy";
import { emergencyMember } from "../../server/domain/lb/emergency";
import { liveMembers } from "../../server/domain/lb/live-status";
import { previewPool } from "../../server/domain/lb/preview";
import { restoreVersion } from "../../server/domain/lb/rollback";
import { createApplication, createPool } from "../../server/domain/lb/store";
import { syncPool } from "../../server/domain/lb/sync";
import { runSyncMessage } from "../../server/jobs/libra-sync";
import { freshDatabase, makeActor } from "./db";
import { listening, useDemoDataDir } from "./demo-fleet";

/**
 * Libra end to end on loopback: a real HAProxy on 127.0.106.1 balancing a VIP to three real
 * redis-server members on 127.0.12.x; drain through the runtime API, sync, rollback, a bad file.
 */
const { db, url } = await freshDatabase();
const data = useDemoDataDir("libra");
const MEMBERS = ["127.0.12.1", "127.0.12.2", "127.0.12.3"];
const REDIS_PORT = 16391;
const VIP = { ip: "127.0.106.50", port: 16390, protocol: "TCP" as const };
const SERVER = { ip: "127.0.106.1", executor: "LOCAL" as const };
let dba: Actor;
let poolId: number;
let appId: number;
const memberIds = new Map<string, number>();

const client = (host: string, port: number) =>
  new Redis({ host, port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });

/** A new connection through the VIP, and which member answered. */
async function whoAnswers(): Promise<string> {
  const c = client(VIP.ip, VIP.port);
  try {
    await c.connect();
    return (await c.get("who"))!;
  } finally {
    c.disconnect();
  }
}
const answers = async (n: number) => {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(await whoAnswers());
  return out;
};
const liveFile = () => fs.readFileSync(path.join(data.dir, "hosts", SERVER.ip, "etc/hedwig-lb/it-pool/haproxy.cfg"), "utf8");

beforeAll(async () => {
  await ensureLibraTemplates(db);
  dba = await makeActor(db, "DBA");
  const idc = await db.idc.create({ data: { code: "lb-it", name: "LB-IT", region: "cn-sh" } });
  const rack = await db.rack.create({ data: { idcId: idc.id, code: "r1" } });
  for (const ip of MEMBERS) {
    await db.host.create({ data: { ip, hostname: `lb-${ip}`, rackId: rack.id, cpuCores: 8, memoryMb: 16384, diskGb: 100, bandwidthMbps: 1000 } });
    const dir = path.join(data.dir, "redis", ip);
    fs.mkdirSync(dir, { recursive: true });
    const child = spawn("redis-server", ["--bind", ip, "--port", String(REDIS_PORT), "--save", "", "--appendonly", "no", "--dir", dir], {
      detached: true,
      stdio: "ignore",
    });
    child.unref();
    fs.writeFileSync(path.join(dir, "redis.pid"), String(child.pid));
  }
  for (const ip of MEMBERS) {
    for (let i = 0; i < 50 && !(await listening(ip, REDIS_PORT)); i++) await new Promise((r) => setTimeout(r, 100));
    const c = client(ip, REDIS_PORT);
    await c.connect();
    await c.set("who", ip);
    c.disconnect();
  }
  const pool = await createPool(db, dba, {
    name: "it-pool",
    backend: "HAPROXY",
    description: "",
    statsPort: 19411,
    vipRange: "127.0.106.50-127.0.106.69",
    servers: [SERVER],
  });
  poolId = pool.id;
  const health = await db.lbHealthCheck.findUniqueOrThrow({ where: { name: "tcp-default" } });
  const balance = await db.lbBalanceConfig.findUniqueOrThrow({ where: { name: "rr-default" } });
  const app = await createApplication(db, dba, {
    poolId,
    name: "it-cache",
    serviceId: null,
    healthCheckId: health.id,
    balanceConfigId: balance.id,
    vip: VIP,
    members: MEMBERS.map((ip) => ({ ip, port: REDIS_PORT, weight: 10, state: "ENABLED" as const })),
  });
  appId = app.id;
  for (const m of await db.lbMember.findMany({ where: { applicationId: appId } })) memberIds.set(m.ip, m.id);
}, 60_000);

afterAll(async () => {
  await stopHaproxy({ id: poolId }, SERVER).catch(() => {});
  data.restore();
});

describe("a HAProxy VIP in front of real Redis members", () => {
  it("the first sync renders, validates, starts HAProxy and keeps version 1", async () => {
    const preview = await previewPool(db, poolId);
    expect(preview.validation.ok).toBe(true);
    expect(preview.diff.added).toBeGreaterThan(10);
    const r = await syncPool(db, poolId, "apply", dba.username);
    expect(r).toMatchObject({ status: "SUCCEEDED", versionNumber: 1 });
    expect(liveFile()).toBe((await db.lbVersion.findFirstOrThrow({ where: { poolId, number: 1 } })).config);
    expect(await db.lbChange.count({ where: { poolId, versionId: null } })).toBe(0);
    expect(new Set(await answers(9))).toEqual(new Set(MEMBERS));
  });

  it("drain through the runtime API: new connections go to the others at once, an open one stays", async () => {
    const open = client(VIP.ip, VIP.port);
    await open.connect();
    let openOn = await open.get("who");
    // make sure the open connection sits on the member we drain
    const target = openOn!;
    const run = await emergencyMember(db, dba, { memberId: memberIds.get(target)!, state: "DRAINING" });
    expect(run.ok).toBe(true);
    const after = await answers(12);
    expect(after).not.toContain(target);
    // what HAProxy itself reports for the drained member, and the open connection still on it
    const live = await liveMembers(db, appId);
    expect(live!.errors).toEqual([]);
    expect(live!.members[memberIds.get(target)!]![0]).toMatchObject({ server: SERVER.ip, status: "DRAIN", sessions: 1 });
    expect(new Set(after).size).toBe(2);
    openOn = await open.get("who");
    expect(openOn).toBe(target);
    open.disconnect();
    // recorded for the next sync, which agrees with it
    const pending = await db.lbChange.findMany({ where: { poolId, versionId: null } });
    expect(pending).toHaveLength(1);
    expect(pending[0]!.emergency).toBe(true);
    const r = await syncPool(db, poolId, "periodic");
    expect(r).toMatchObject({ status: "SUCCEEDED", versionNumber: 2 });
    expect(liveFile()).toContain(`server m-${memberIds.get(target)} ${target}:${REDIS_PORT} weight 0 check`);
    expect(await answers(9)).not.toContain(target);
  });

  it("a reload keeps the listener: a connection opened before it still answers, and none is refused meanwhile", async () => {
    const open = client(VIP.ip, VIP.port);
    await open.connect();
    let refused = 0;
    let stop = false;
    const hammer = (async () => {
      while (!stop) await whoAnswers().catch(() => refused++);
    })();
    const enabled = await db.lbMember.findFirstOrThrow({ where: { applicationId: appId, state: "ENABLED" } });
    await db.lbMember.update({ where: { id: enabled.id }, data: { weight: 20 } });
    await db.lbChange.create({ data: { poolId, actorName: "test", summary: "weight 20" } });
    expect(await syncPool(db, poolId, "apply")).toMatchObject({ status: "SUCCEEDED", versionNumber: 3 });
    stop = true;
    await hammer;
    expect(refused).toBe(0);
    expect(await open.ping()).toBe("PONG");
    open.disconnect();
  });

  it("a rollback restores version 1 as a new version, and the drained member serves again", async () => {
    const drained = MEMBERS.find((ip) => liveFile().includes(`${ip}:${REDIS_PORT} weight 0`))!;
    await restoreVersion(db, dba, poolId, 1);
    const r = await syncPool(db, poolId, "rollback", dba.username);
    expect(r).toMatchObject({ status: "SUCCEEDED", versionNumber: 4 });
    const v = await db.lbVersion.findFirstOrThrow({ where: { poolId, number: 4 } });
    expect(v).toMatchObject({ reason: "ROLLBACK", restoredFrom: 1 });
    expect(v.config).toBe((await db.lbVersion.findFirstOrThrow({ where: { poolId, number: 1 } })).config);
    expect((await db.lbMember.findUniqueOrThrow({ where: { id: memberIds.get(drained)! } })).state).toBe("ENABLED");
    expect(new Set(await answers(9))).toEqual(new Set(MEMBERS));
  });

  it("a file the validator refuses never goes live; HAProxy keeps serving the last version", async () => {
    const before = liveFile();
    // a template written around the API (say, by hand in the database) with an algorithm HAProxy lacks
    const balance = await db.lbBalanceConfig.create({ data: { name: "broken-wlc", algorithm: "wlc" } });
    await db.lbApplication.update({ where: { id: appId }, data: { balanceConfigId: balance.id } });
    await db.lbChange.create({ data: { poolId, actorName: "test", summary: "broken template" } });
    const r = await syncPool(db, poolId, "periodic");
    expect(r.status).toBe("FAILED");
    const run = await db.lbSyncRun.findUniqueOrThrow({ where: { id: r.runId! } });
    expect(run.error).toMatch(/validation failed/);
    expect(JSON.stringify(run.log)).toMatch(/haproxy -c/);
    expect(liveFile()).toBe(before);
    expect(await db.lbVersion.count({ where: { poolId } })).toBe(4);
    expect(new Set(await answers(6))).toEqual(new Set(MEMBERS));
    // not retried every tick until someone changes something
    expect(await syncPool(db, poolId, "periodic")).toMatchObject({ status: "NOTHING_TO_DO", runId: null });
    await db.lbApplication.update({
      where: { id: appId },
      data: { balanceConfigId: (await db.lbBalanceConfig.findUniqueOrThrow({ where: { name: "rr-default" } })).id },
    });
    await db.lbChange.create({ data: { poolId, actorName: "test", summary: "template fixed" } });
    expect((await syncPool(db, poolId, "periodic")).status).toBe("SUCCEEDED");
  });

  it("a file changed by hand on the server shows as drift; apply now puts the live version back", async () => {
    const file = path.join(data.dir, "hosts", SERVER.ip, "etc/hedwig-lb/it-pool/haproxy.cfg");
    const live = liveFile();
    fs.writeFileSync(file, live.replace("timeout connect 5s", "timeout connect 9s"));
    const drifted = await previewPool(db, poolId);
    expect(drifted.drift).toBe(true);
    expect(drifted.diff.patch).toContain("-    timeout connect 9s");
    expect((await syncPool(db, poolId, "apply")).status).toBe("SUCCEEDED");
    expect(liveFile()).toBe(live);
    expect((await previewPool(db, poolId)).drift).toBe(false);
  });

  it("two workers syncing one pool at once: one runs, the other steps aside", async () => {
    await db.lbChange.create({ data: { poolId, actorName: "test", summary: "touch" } });
    const runsBefore = await db.lbSyncRun.count({ where: { poolId } });
    const [a, b] = await Promise.all([
      runSyncMessage(db, url, { poolId, trigger: "apply", actorName: "w1" }),
      runSyncMessage(db, url, { poolId, trigger: "apply", actorName: "w2" }),
    ]);
    expect([a, b].filter((x) => x === null)).toHaveLength(1);
    expect(await db.lbSyncRun.count({ where: { poolId } })).toBe(runsBefore + 1);
  });
});

describe("an LVS pool (keepalived; IPVS is not available on these machines)", () => {
  it("renders and validates with keepalived -t, pushes the file, says keepalived is not running, keeps the version", async () => {
    const pool = await createPool(db, dba, {
      name: "it-lvs",
      backend: "LVS",
      description: "",
      statsPort: null,
      vipRange: "127.0.106.70",
      servers: [{ ip: "127.0.106.2", executor: "LOCAL" }],
    });
    const app = await createApplication(db, dba, {
      poolId: pool.id,
      name: "it-lvs-app",
      serviceId: null,
      healthCheckId: (await db.lbHealthCheck.findUniqueOrThrow({ where: { name: "tcp-default" } })).id,
      balanceConfigId: (await db.lbBalanceConfig.findUniqueOrThrow({ where: { name: "lvs-dr-wlc" } })).id,
      vip: { ip: "127.0.106.70", port: REDIS_PORT, protocol: "TCP" },
      members: MEMBERS.map((ip) => ({ ip, port: REDIS_PORT, weight: 100, state: "ENABLED" as const })),
    });
    const r = await syncPool(db, pool.id, "apply", dba.username);
    expect(r).toMatchObject({ status: "SUCCEEDED", versionNumber: 1 });
    const run = await db.lbSyncRun.findUniqueOrThrow({ where: { id: r.runId! } });
    expect(JSON.stringify(run.log)).toMatch(/keepalived -t -e -f FILE: valid/);
    expect(JSON.stringify(run.log)).toMatch(/keepalived is not running/);
    expect(fs.readFileSync(path.join(data.dir, "hosts/127.0.106.2/etc/hedwig-lb/it-lvs/keepalived.conf"), "utf8")).toContain(
      "virtual_server 127.0.106.70 16391 {",
    );
    // DR keeps the port: a member on another port is refused before anything is written
    const api = createCaller(createContext(dba.id, db));
    await expect(api.libra.addMember({ appId: app.id, member: { ip: MEMBERS[0]!, port: 6379, weight: 1, state: "ENABLED" } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/with DR forwarding a member must listen on the VIP's port 16391/),
    });
    // the emergency path runs ipvsadm -e; here the kernel has no IPVS, which the run reports, while the change is recorded for the next sync
    const member = await db.lbMember.findFirstOrThrow({ where: { applicationId: app.id } });
    const e = await emergencyMember(db, dba, { memberId: member.id, weight: 5 });
    expect(e.ok).toBe(false);
    const erun = await db.lbSyncRun.findUniqueOrThrow({ where: { id: e.runId } });
    expect(JSON.stringify(erun.log)).toContain(`ipvsadm -e -t 127.0.106.70:${REDIS_PORT} -r ${member.ip}:${REDIS_PORT} -g -w 5`);
    expect((await db.lbMember.findUniqueOrThrow({ where: { id: member.id } })).weight).toBe(5);
    expect(await syncPool(db, pool.id, "periodic")).toMatchObject({ status: "SUCCEEDED", versionNumber: 2 });
  });
});

describe("bad input is a clear 4xx and writes nothing", () => {
  const caller = async () => createCaller(createContext(dba.id, db));
  const templates = async () => ({
    healthCheckId: (await db.lbHealthCheck.findUniqueOrThrow({ where: { name: "tcp-default" } })).id,
    balanceConfigId: (await db.lbBalanceConfig.findUniqueOrThrow({ where: { name: "rr-default" } })).id,
  });
  const counts = async () => ({
    apps: await db.lbApplication.count(),
    members: await db.lbMember.count(),
    vips: await db.lbVip.count(),
    changes: await db.lbChange.count(),
  });

  it("a VIP already used", async () => {
    const before = await counts();
    const api = await caller();
    await expect(api.libra.createApplication({ poolId, name: "dup-vip", ...(await templates()), vip: VIP, members: [] })).rejects.toMatchObject({
      code: "CONFLICT",
      message: `VIP ${VIP.ip}:${VIP.port}/tcp is already used by application ${appId} (it-cache)`,
    });
    expect(await counts()).toEqual(before);
  });

  it("a weight out of range, an algorithm the backend lacks, DR on HAProxy, a member on an unknown host", async () => {
    const before = await counts();
    const api = await caller();
    const base = { poolId, name: "bad-one", ...(await templates()), vip: { ip: "127.0.106.60", port: 16390, protocol: "TCP" as const } };
    await expect(
      api.libra.createApplication({ ...base, members: [{ ip: MEMBERS[0]!, port: REDIS_PORT, weight: 300, state: "ENABLED" }] }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: "weight 300 is out of range: HAProxy takes 0–256" });
    const wlc = await api.libra.createBalanceConfig({ name: "wlc-only", algorithm: "wlc", lvsKind: null, persistenceSeconds: 0 });
    await expect(api.libra.createApplication({ ...base, balanceConfigId: wlc.id })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/HAProxy has no algorithm "wlc"; it knows rr, wrr, lc, sh/),
    });
    const dr = (await db.lbBalanceConfig.findUniqueOrThrow({ where: { name: "lvs-dr-wlc" } })).id;
    await expect(api.libra.setTemplates({ appId, healthCheckId: base.healthCheckId, balanceConfigId: dr })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/DR is an LVS forwarding kind|has no algorithm/),
    });
    // the guided flow's one call: two good members and one on an unknown host → nothing at all
    await expect(
      api.libra.createApplication({
        ...base,
        members: [
          ...MEMBERS.slice(0, 2).map((ip) => ({ ip, port: REDIS_PORT, weight: 10, state: "ENABLED" as const })),
          { ip: "127.0.12.99", port: REDIS_PORT, weight: 10, state: "ENABLED" },
        ],
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: "member 127.0.12.99 is not a host in the inventory; add the host first (Inventory → Hosts)" });
    await expect(api.libra.addMember({ appId, member: { ip: MEMBERS[0]!, port: REDIS_PORT, weight: 10, state: "ENABLED" } })).rejects.toMatchObject({
      code: "CONFLICT",
      message: `member ${MEMBERS[0]}:${REDIS_PORT} is already in application it-cache`,
    });
    await expect(api.libra.updateMember({ memberId: memberIds.get(MEMBERS[0]!)!, weight: -1 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(api.libra.createApplication({ ...base, vip: { ip: "10.1.2.3", port: 6379, protocol: "TCP" } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/can only serve loopback addresses/),
    });
    await expect(api.libra.createApplication({ ...base, vip: { ...base.vip, protocol: "UDP" } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: "HAProxy does not balance UDP; use an LVS pool for UDP",
    });
    await expect(
      api.libra.createPool({
        name: "no-api",
        backend: "HAPROXY",
        description: "",
        statsPort: null,
        vipRange: null,
        servers: [{ ip: "127.0.106.9", executor: "LOCAL" }],
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/needs its runtime API port/) });
    expect({ ...(await counts()), changes: before.changes }).toEqual(before);
  });

  it("NOC reads and may not change; BUSINESS does not see Libra", async () => {
    const noc = createCaller(createContext((await makeActor(db, "NOC")).id, db));
    expect((await noc.libra.pools()).map((p) => p.name)).toContain("it-pool");
    await expect(noc.libra.applyNow({ poolId })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const biz = createCaller(createContext((await makeActor(db, "BUSINESS")).id, db));
    await expect(biz.libra.pools()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("delivery", () => {
  it("without a delivery pool the step is skipped with a line saying so", async () => {
    const line = await db.productLine.findFirst();
    const dept = line ? null : await db.department.create({ data: { code: "d-lb", name: "LB" } });
    const pl = line ?? (await db.productLine.create({ data: { code: "lb-line", name: "LB", importance: 3, departmentId: dept!.id } }));
    const host = await db.host.findUniqueOrThrow({ where: { ip: MEMBERS[0]! } });
    const service = await db.service.create({
      data: {
        name: "lb-twem",
        productLineId: pl.id,
        kind: "REDIS_TWEMPROXY",
        instances: {
          create: [
            { hostId: host.id, port: 22199, software: "TWEMPROXY", role: "PROXY", version: "0.5.0", cpuCores: 1, memoryMb: 512, diskGb: 5, bandwidthMbps: 100 },
          ],
        },
      },
    });
    const lines: string[] = [];
    const log = { info: async (m: Text | string) => void lines.push(english(m)), warn: async (m: Text | string) => void lines.push(`WARN ${english(m)}`) };
    expect(await registerDeliveredService(db, service.id, log)).toBeNull();
    expect(lines.join("\n")).toMatch(/WARN load balancing skipped: no Libra pool is marked for delivery/);
    await db.lbPool.update({ where: { id: poolId }, data: { forDelivery: true, vipRange: "127.0.106.50-127.0.106.52" } });
    const id = await registerDeliveredService(db, service.id, log);
    const app = await db.lbApplication.findUniqueOrThrow({ where: { id: id! }, include: { vip: true, members: true } });
    expect(app.vip).toMatchObject({ ip: "127.0.106.51", port: 22199 });
    expect(app.members.map((m) => `${m.ip}:${m.port}`)).toEqual([`${MEMBERS[0]}:22199`]);
  });
});
