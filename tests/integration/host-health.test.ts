import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/client";
import { ensureSettingsAndRanges } from "../../server/db/seed";
import { crashGroups, crashList, healthTrends } from "../../server/domain/hosthealth/analysis";
import { recordHostHealth } from "../../server/domain/hosthealth/record";
import { probeHosts } from "../../server/domain/monitoring/host-probe";
import { freshDatabase } from "./db";

/**
 * Host health over time from real probes: an SSH host (127.0.171.4x) whose SSH port stops
 * answering crashes, with its services recorded; when the port answers again the crash ends with
 * what became of each instance. Grouping finds a kernel whose crash rate jumped.
 */
const DOWN = "127.0.171.41";
const UP = "127.0.171.42";
let db: Db;
let downHost: number;
let masterId: number;
let sshPort: net.Server | null = null;
const DAY = 86_400_000;

beforeAll(async () => {
  ({ db } = await freshDatabase());
  await ensureSettingsAndRanges(db);
  const dept = await db.department.create({ data: { code: "hh", name: "HH" } });
  const line = await db.productLine.create({ data: { code: "hh-line", name: "HH", departmentId: dept.id, importance: 2 } });
  const idc = await db.idc.create({ data: { code: "hh1", name: "HH1", region: "cn-sh" } });
  const rack = await db.rack.create({ data: { idcId: idc.id, code: "r1" } });
  const spec = { rackId: rack.id, cpuCores: 8, memoryMb: 16384, diskGb: 100, bandwidthMbps: 1000, executor: "SSH" as const };
  downHost = (await db.host.create({ data: { ip: DOWN, hostname: "hh-down", ...spec, labels: { model: "r5" }, facts: { kernel: "3.10.0", os: "CentOS 7" } } }))
    .id;
  await db.host.create({ data: { ip: UP, hostname: "hh-up", ...spec, labels: { model: "ebmc7" }, facts: { kernel: "6.1.0", os: "Debian 12" } } });
  const svc = await db.service.create({ data: { name: "hh-cart", productLineId: line.id, kind: "REDIS_SENTINEL" } });
  masterId = (
    await db.instance.create({ data: { serviceId: svc.id, hostId: downHost, port: 6601, software: "REDIS", role: "MASTER", shardIndex: 0, version: "7.0.15" } })
  ).id;
  // the other host answers: its SSH port is a plain listener here
  await new Promise<void>((r) => (sshPort = net.createServer((s) => s.end()).listen(22, UP, () => r())));
});

afterAll(async () => {
  sshPort?.close();
});

describe("host health over time", () => {
  it("opens a crash when a host stops answering and closes it with what happened to its services", async () => {
    await probeHosts(db, new Date());
    expect(await recordHostHealth(db, new Date())).toEqual({ opened: 1, closed: 0 });
    // a second tick while it is still down opens nothing more
    await probeHosts(db, new Date());
    expect(await recordHostHealth(db, new Date())).toEqual({ opened: 0, closed: 0 });
    const [crash] = await db.hostCrash.findMany({ where: { hostId: downHost } });
    expect(crash).toMatchObject({ endedAt: null, model: "r5", kernel: "3.10.0", os: "CentOS 7" });
    expect(crash!.services).toEqual([expect.objectContaining({ service: "hh-cart", instanceId: masterId, role: "MASTER", port: 6601 })]);

    // meanwhile Sentinel promoted the replica: the old master comes back as a replica
    await db.instance.update({ where: { id: masterId }, data: { role: "REPLICA" } });
    const back = net.createServer((s) => s.end());
    await new Promise<void>((r) => back.listen(22, DOWN, () => r()));
    try {
      await probeHosts(db, new Date());
      expect(await recordHostHealth(db, new Date())).toEqual({ opened: 0, closed: 1 });
    } finally {
      back.close();
    }
    const ended = await db.hostCrash.findUniqueOrThrow({ where: { id: crash!.id } });
    expect(ended.endedAt).not.toBeNull();
    expect(ended.services).toEqual([expect.objectContaining({ instanceId: masterId, outcome: "failedOver" })]);

    const now = new Date();
    const list = await crashList(db, { from: new Date(now.getTime() - DAY), to: new Date(now.getTime() + 60_000) });
    expect(list.map((c) => c.ip)).toEqual([DOWN]);
    // the day's sums: three ticks over two hosts, one of them down for two
    const trends = await healthTrends(db, { from: new Date(now.getTime() - DAY), to: new Date(now.getTime() + DAY) });
    expect(trends.fleet).toHaveLength(1);
    expect(trends.fleet[0]!.online).toBeCloseTo(4 / 6);
    expect(trends.fleet[0]!.crash).toBeCloseTo(1 / 2);
  });

  it("groups crashes by kernel and flags the group whose rate jumped", async () => {
    const now = Date.now();
    const rack = await db.rack.findFirstOrThrow();
    for (let k = 0; k < 4; k++) {
      await db.hostCrash.create({
        data: {
          hostId: downHost,
          startedAt: new Date(now - (k + 1) * 3_600_000),
          endedAt: new Date(now - k * 3_600_000),
          idcId: rack.idcId,
          rackId: rack.id,
          model: "r5",
          kernel: "3.10.0",
          os: "CentOS 7",
        },
      });
    }
    const g = await crashGroups(db, { from: new Date(now - 7 * DAY), to: new Date(now + 60_000), by: "kernel" });
    expect(g.groups[0]).toMatchObject({ key: "3.10.0", hosts: 1, crashes: 5, jumped: true });
    expect(g.groups.find((x) => x.key === "6.1.0")).toMatchObject({ crashes: 0, jumped: false });
  });
});
