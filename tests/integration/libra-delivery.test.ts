import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureSettingsAndRanges } from "../../server/db/seed";
import type { Actor } from "../../server/domain/access/actor";
import fs from "node:fs";
import { runtimeSocket, stopHaproxy } from "../../server/domain/lb/deploy";
import { withProxyDrained } from "../../server/domain/lb/drain";
import { runtimeCommand } from "../../server/domain/lb/haproxy-runtime";
import { proxyName, serverName } from "../../server/domain/lb/model";
import { startTarget } from "../../server/domain/operations/daemon";
import { loadTarget } from "../../server/domain/operations/target";
import { syncPool } from "../../server/domain/lb/sync";
import { cloneProxyJob } from "../../server/domain/operations";
import { submitOperation } from "../../server/domain/operations/submit";
import { provisionJob } from "../../server/domain/provisioning/provision-job";
import type { RequestForm } from "../../server/domain/provisioning/request-schema";
import { approveRequest, createRequest } from "../../server/domain/requests/requests";
import { runJob } from "../../server/jobs/runner";
import { freshDatabase, makeActor } from "./db";
import { createDemoHosts, loginAt, useDemoDataDir } from "./demo-fleet";

/**
 * Provisioning meets Libra: a delivered Twemproxy service gets an application and a VIP in the
 * delivery pool, a client reaches Redis through HAProxy → Twemproxy once the pool syncs, and a
 * cloned proxy joins the VIP. Demo hosts on 127.0.12.x, the HAProxy on 127.0.106.3.
 */
const { db } = await freshDatabase();
const demo = useDemoDataDir("libra-delivery");
const SERVER = { ip: "127.0.106.3", executor: "LOCAL" as const };
let dba: Actor;
let biz: Actor;
let lineId: number;
let poolId: number;
let serviceId: number;

const noDispatch = async () => {};
const jobLog = { info: async () => {}, warn: async () => {}, error: async () => {} };
const twemproxyClient = async (host: string, port: number) =>
  new Redis({
    host,
    port,
    ...(await loginAt(db, host, port)),
    lazyConnect: true,
    protocol: 2,
    enableReadyCheck: false,
    disableClientInfo: true,
    maxRetriesPerRequest: 0,
  });

beforeAll(async () => {
  await ensureSettingsAndRanges(db);
  const dept = await db.department.create({ data: { code: "trade", name: "Trade" } });
  lineId = (await db.productLine.create({ data: { code: "trade-cart", name: "Cart", departmentId: dept.id, importance: 3 } })).id;
  biz = await makeActor(db, "BUSINESS", [lineId]);
  dba = await makeActor(db, "DBA");
  await createDemoHosts(db, { prefix: "127.0.12", idcCode: "lbd", departmentId: dept.id });
  const pool = await db.lbPool.create({
    data: {
      name: "delivery",
      backend: "HAPROXY",
      configPath: "/etc/hedwig-lb/delivery/haproxy.cfg",
      statsPort: 19412,
      forDelivery: true,
      vipRange: "127.0.106.80-127.0.106.89",
      servers: { create: [SERVER] },
    },
  });
  poolId = pool.id;
}, 60_000);

afterAll(async () => {
  await stopHaproxy({ id: poolId }, SERVER).catch(() => {});
  demo.restore();
});

describe("a delivered Twemproxy service behind a Libra VIP", () => {
  it("delivery creates the application and VIP, makes it live, verifies through it and hands it out", async () => {
    const form: RequestForm = {
      productLineId: lineId,
      kind: "REDIS_TWEMPROXY",
      purpose: "cart cache behind a VIP",
      capacityGb: 2,
      peakQps: 20_000,
      expectedKeys: 1_000_000,
      persistence: "none",
      highAvailability: false,
      idcPreference: null,
      readRatio: 80,
    };
    const request = await db.$transaction((tx) => createRequest(tx, biz, form, true));
    const job = await approveRequest(db, dba, request.id, null, noDispatch);
    expect(await runJob(db, job.id, provisionJob)).toBe("SUCCEEDED");
    serviceId = (await db.resourceRequest.findUniqueOrThrow({ where: { id: request.id } })).serviceId!;
    const app = await db.lbApplication.findFirstOrThrow({ where: { serviceId }, include: { vip: true, members: true } });
    const proxies = await db.instance.findMany({ where: { serviceId, role: "PROXY" }, include: { host: true } });
    expect(app.vip).toMatchObject({ ip: "127.0.106.80", port: proxies[0]!.port });
    expect(app.members.map((m) => `${m.ip}:${m.port}`).sort()).toEqual(proxies.map((p) => `${p.host.ip}:${p.port}`).sort());
    const logs = await db.jobLog.findMany({ where: { jobId: job.id } });
    expect(logs.some((l) => l.message.includes("VIP 127.0.106.80"))).toBe(true);

    // live at delivery: the job synced the pool itself, verified through the VIP and hands it out
    expect(await db.lbVersion.count({ where: { poolId } })).toBe(1);
    expect(await syncPool(db, poolId, "periodic")).toMatchObject({ status: "NOTHING_TO_DO" });
    const delivered = await db.resourceRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect((delivered.delivery as { entry: { host: string; port: number; via: string } }).entry).toMatchObject({
      host: "127.0.106.80",
      port: proxies[0]!.port,
      via: "VIP (HAProxy) → twemproxy",
    });
    expect(await db.service.findUniqueOrThrow({ where: { id: serviceId } })).toMatchObject({ entryHost: "127.0.106.80", entryPort: proxies[0]!.port });
    expect(logs.some((l) => /127\.0\.106\.80:\d+ \(VIP \(HAProxy\) → twemproxy\): PONG/.test(l.message))).toBe(true);
    const c = await twemproxyClient(app.vip!.ip, app.vip!.port);
    await c.connect();
    await c.set("through:vip", "yes");
    expect(await c.get("through:vip")).toBe("yes");
    c.disconnect();
  });

  it("a cloned proxy joins the VIP, and the next sync serves it", async () => {
    const job = await submitOperation(db, dba, { kind: "twemproxy.clone", serviceId }, noDispatch);
    expect(await runJob(db, job.id, cloneProxyJob)).toBe("SUCCEEDED");
    const state = (await db.job.findUniqueOrThrow({ where: { id: job.id } })).state as { ip: string; port: number };
    const app = await db.lbApplication.findFirstOrThrow({ where: { serviceId }, include: { members: true } });
    expect(app.members.map((m) => `${m.ip}:${m.port}`)).toContain(`${state.ip}:${state.port}`);
    expect(await db.lbChange.count({ where: { poolId, versionId: null } })).toBe(1);
    expect(await syncPool(db, poolId, "periodic")).toMatchObject({ status: "SUCCEEDED", versionNumber: 2 });
    const live = await db.lbVersion.findFirstOrThrow({ where: { poolId, number: 2 } });
    expect(live.config).toContain(`${state.ip}:${state.port} weight 10 check`);
  });

  it("Hedwig restarts a proxy out of its VIP: drained meanwhile, ready after, and clients with short connections see no error", async () => {
    const app = await db.lbApplication.findFirstOrThrow({ where: { serviceId }, include: { vip: true, members: { orderBy: { id: "asc" } } } });
    const member = app.members[0]!;
    const proxy = await db.instance.findFirstOrThrow({ where: { serviceId, role: "PROXY", port: member.port, host: { ip: member.ip } } });
    const socket = runtimeSocket({ id: poolId }, SERVER);
    /** server name → [operational state (2 up), admin state (0 ready, 8 drained)] */
    const states = async () =>
      new Map(
        (await runtimeCommand(socket, `show servers state ${proxyName(app)}`))
          .split("\n")
          .map((l) => l.split(" "))
          .filter((f) => f.length > 18 && /^\d+$/.test(f[0]!))
          .map((f) => [f[3]!, [Number(f[5]), Number(f[6])]] as const),
      );
    const adminState = async () => (await states()).get(serverName(member))![1];
    // every proxy (the clone too) is up in HAProxy before the first one may leave
    for (let i = 0; i < 100 && ![...(await states()).values()].every(([op, admin]) => op === 2 && admin === 0); i++)
      await new Promise((r) => setTimeout(r, 100));
    let errors = 0;
    let requests = 0;
    let stop = false;
    const load = (async () => {
      while (!stop) {
        const c = await twemproxyClient(app.vip!.ip, app.vip!.port);
        try {
          await c.connect();
          await c.set(`short:${requests}`, "1");
          requests++;
        } catch {
          errors++;
        } finally {
          c.disconnect();
        }
      }
    })();
    const lines: string[] = [];
    const log = { info: async (m: string) => void lines.push(m), warn: async (m: string) => void lines.push(m) };
    const target = await loadTarget(db, proxy.id);
    const before = await fs.promises.readFile(target.exec.resolve(target.layout.pidFile), "utf8");
    let during = -1;
    await new Promise((r) => setTimeout(r, 300));
    await withProxyDrained(db, { ip: member.ip, port: member.port }, log, async () => {
      during = await adminState();
      await target.exec.stopDaemon(target.layout.pidFile);
      await startTarget(db, jobLog, target);
    });
    await new Promise((r) => setTimeout(r, 300));
    stop = true;
    await load;
    expect(during).toBe(8); // drained through the runtime API
    expect(await adminState()).toBe(0);
    expect(await fs.promises.readFile(target.exec.resolve(target.layout.pidFile), "utf8")).not.toBe(before);
    expect(lines.some((l) => l.includes(`drains ${member.ip}:${member.port}`))).toBe(true);
    expect(requests).toBeGreaterThan(20);
    expect(errors).toBe(0);
  });
});
