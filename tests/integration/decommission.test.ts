import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureSettingsAndRanges } from "../../server/db/seed";
import type { Actor } from "../../server/domain/access/actor";
import { askDecommission, decommissionPreview } from "../../server/domain/decommission/decommission";
import { decommissionJob, purgeRetiredData } from "../../server/domain/decommission/job";
import { hostUsage } from "../../server/domain/inventory/hosts";
import { stopHaproxy } from "../../server/domain/lb/deploy";
import { syncPool } from "../../server/domain/lb/sync";
import { provisionJob } from "../../server/domain/provisioning/provision-job";
import type { RequestForm } from "../../server/domain/provisioning/request-schema";
import { approveRequest, createRequest } from "../../server/domain/requests/requests";
import { runJob } from "../../server/jobs/runner";
import { freshDatabase, makeActor } from "./db";
import { createDemoHosts, listening, useDemoDataDir } from "./demo-fleet";

/**
 * Retiring a whole service on real processes: a Twemproxy service delivered behind a Libra VIP
 * (local HAProxy on 127.0.118.3, hosts 127.0.118.x); its business user asks, a DBA sees who is still
 * connected and approves; the VIP leaves the load balancer, every process stops, every port claim and
 * allocation is released, the service stays in the catalogue as retired, and its files go after the grace period.
 */
const { db } = await freshDatabase();
const demo = useDemoDataDir("decommission");
const SERVER = { ip: "127.0.118.3", executor: "LOCAL" as const };
let dba: Actor;
let biz: Actor;
let poolId: number;
let serviceId: number;
const noDispatch = async () => {};

beforeAll(async () => {
  await ensureSettingsAndRanges(db);
  const dept = await db.department.create({ data: { code: "dc", name: "Decommission" } });
  const lineId = (await db.productLine.create({ data: { code: "dc-line", name: "Line", departmentId: dept.id, importance: 3 } })).id;
  biz = await makeActor(db, "BUSINESS", [lineId]);
  dba = await makeActor(db, "DBA");
  await createDemoHosts(db, { prefix: "127.0.118", idcCode: "dc1", departmentId: dept.id });
  poolId = (
    await db.lbPool.create({
      data: {
        name: "delivery",
        backend: "HAPROXY",
        configPath: "/etc/hedwig-lb/delivery/haproxy.cfg",
        statsPort: 19418,
        forDelivery: true,
        vipRange: "127.0.118.80-127.0.118.89",
        servers: { create: [SERVER] },
      },
    })
  ).id;
  const form: RequestForm = {
    productLineId: lineId,
    kind: "REDIS_TWEMPROXY",
    purpose: "to be retired",
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
}, 120_000);

afterAll(async () => {
  await stopHaproxy({ id: poolId }, SERVER).catch(() => {});
  demo.restore();
});

describe("decommissioning a whole service", () => {
  it("the business user asks, the DBA sees who is connected and approves: VIP removed, processes stopped, every port and allocation released", async () => {
    const app = await db.lbApplication.findFirstOrThrow({ where: { serviceId }, include: { vip: true } });
    const vip = app.vip!;
    expect(await listening(vip.ip, vip.port)).toBe(true);
    const instances = await db.instance.findMany({ where: { serviceId }, include: { host: true } });
    const hostIds = [...new Set(instances.map((i) => i.hostId))];
    const claims = await db.portClaim.findMany({ where: { instanceId: { in: instances.map((i) => i.id) } }, include: { allocationItem: true } });
    const allocationIds = [...new Set(claims.flatMap((c) => (c.allocationItem ? [c.allocationItem.allocationId] : [])))];
    expect(allocationIds.length).toBeGreaterThan(0);
    expect(await db.portClaim.count({ where: { instanceId: { in: instances.map((i) => i.id) } } })).toBe(instances.length);

    const request = await askDecommission(db, biz, serviceId, "the cart moved to the new platform");
    expect(request).toMatchObject({ action: "DECOMMISSION", status: "SUBMITTED", targetServiceId: serviceId });
    await expect(askDecommission(db, biz, serviceId, "again")).rejects.toThrow(/already has an open request/);

    // first, who is still connected: behind Twemproxy the shards see the proxies (preconnect)
    const preview = await decommissionPreview(db, dba, request.id);
    expect(preview.vips).toEqual([{ app: app.name, vip: `${vip.ip}:${vip.port}` }]);
    expect(preview.clients.length).toBeGreaterThan(0);
    expect(preview.clients.every((c) => !c.user.startsWith("hedwig-"))).toBe(true);

    const job = await approveRequest(db, dba, request.id, "retire it", noDispatch);
    expect(job.kind).toBe("service.decommission");
    expect(job.serviceId).toBe(serviceId);
    expect(await runJob(db, job.id, decommissionJob), (await db.job.findUnique({ where: { id: job.id } }))?.error ?? "").toBe("SUCCEEDED");
    expect((await db.resourceRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("DELIVERED");

    // the VIP leaves Libra, and the pool's next sync takes it off HAProxy
    expect(await db.lbApplication.count({ where: { serviceId } })).toBe(0);
    await syncPool(db, poolId, "periodic");
    expect(await listening(vip.ip, vip.port)).toBe(false);
    // every process stopped
    for (const i of instances) expect(await listening(i.host.ip, i.port), `${i.role} ${i.host.ip}:${i.port}`).toBe(false);
    // every port and allocation released; the hosts carry nothing of it
    expect(
      await db.portClaim.count({ where: { OR: [{ instanceId: { in: instances.map((i) => i.id) } }, { allocationItem: { allocation: { serviceId } } }] } }),
    ).toBe(0);
    expect(await db.allocation.count({ where: { OR: [{ id: { in: allocationIds } }, { serviceId }], status: { in: ["LOCKED", "COMMITTED"] } } })).toBe(0);
    expect(await db.allocation.count({ where: { id: { in: allocationIds }, status: "RELEASED" } })).toBe(allocationIds.length);
    for (const [, u] of await hostUsage(db, hostIds)) expect(u.usedMemoryMb).toBe(0);
    // still in the catalogue, retired, with its instances and jobs as history
    const s = await db.service.findUniqueOrThrow({ where: { id: serviceId }, include: { instances: true, jobs: true } });
    expect(s.status).toBe("DECOMMISSIONED");
    expect(s.retiredAt).not.toBeNull();
    expect(s.instances).toHaveLength(instances.length);
    expect(s.instances.every((i) => i.state === "STOPPED")).toBe(true);
    expect(s.jobs.map((j) => j.kind)).toContain("service.decommission");
    expect(await db.auditEntry.count({ where: { entityType: "ResourceRequest", entityId: String(request.id) } })).toBeGreaterThanOrEqual(2);
  }, 120_000);

  it("keeps the files for the grace period, then deletes them", async () => {
    const s = await db.service.findUniqueOrThrow({ where: { id: serviceId } });
    const master = await db.instance.findFirstOrThrow({ where: { serviceId, role: "MASTER" }, include: { host: true } });
    const conf = `${demo.dir}/hosts/${master.host.ip}/data/hedwig/conf/redis/${master.port}.conf`;
    expect(fs.existsSync(conf)).toBe(true);
    expect(await purgeRetiredData(db, new Date(s.dataDeleteAfter!.getTime() - 1000))).toBe(0);
    expect(await purgeRetiredData(db, new Date(s.dataDeleteAfter!.getTime() + 1000))).toBe(1);
    expect(fs.existsSync(conf)).toBe(false);
    expect((await db.service.findUniqueOrThrow({ where: { id: serviceId } })).dataDeletedAt).not.toBeNull();
    expect(await purgeRetiredData(db, new Date(s.dataDeleteAfter!.getTime() + 2000)), "once").toBe(0);
  });
});
