import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/client";
import type { Actor } from "../../server/domain/access/actor";
import { serviceSeries } from "../../server/domain/metrics/series";
import { Collector } from "../../server/domain/monitoring/collector";
import { readRemoteRange } from "../../server/domain/monitoring/remote-store";
import { pollTargets } from "../../server/domain/monitoring/targets";
import { freshDatabase, makeActor } from "./db";
import { ProcessFleet } from "./monitoring-fleet";

/**
 * Raw samples to a real victoria-metrics (Debian's, on 127.0.18.1) beside PostgreSQL, and the
 * service chart's raw range read back through PromQL: the same figures as PostgreSQL's.
 */
const VM_IP = "127.0.18.1";
const REDIS = [
  { ip: "127.0.18.2", port: 7418 },
  { ip: "127.0.18.3", port: 7418 },
];
let db: Db;
let noc: Actor;
let vm: ChildProcess;
let vmUrl = "";
let dataDir = "";
let serviceId = 0;
const fleet = new ProcessFleet();

async function freePort(ip: string): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, ip, r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

beforeAll(async () => {
  ({ db } = await freshDatabase());
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hedwig-vm-"));
  const port = await freePort(VM_IP);
  vmUrl = `http://${VM_IP}:${port}`;
  // latencyOffset 0: samples a few minutes old are what the test reads, but a fresh one need not wait 30 s either
  vm = spawn("victoria-metrics", ["-storageDataPath", dataDir, "-httpListenAddr", `${VM_IP}:${port}`, "-search.latencyOffset", "0s"], { stdio: "ignore" });
  for (let k = 0; ; k++) {
    const ok = await fetch(`${vmUrl}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (k > 100) throw new Error("victoria-metrics did not answer /health");
    await new Promise((r) => setTimeout(r, 100));
  }
  await Promise.all(REDIS.map((r) => fleet.redis(r.ip, r.port, ["--maxmemory", "64mb"])));

  const dept = await db.department.create({ data: { code: "vm", name: "VM" } });
  const line = await db.productLine.create({ data: { code: "vm", name: "vm", departmentId: dept.id, importance: 3 } });
  const idc = await db.idc.create({ data: { code: "vm1", name: "VM1", region: "cn-sh" } });
  const rack = await db.rack.create({ data: { idcId: idc.id, code: "r1" } });
  const svc = await db.service.create({ data: { name: "vm-cache", productLineId: line.id, kind: "REDIS_TWEMPROXY" } });
  serviceId = svc.id;
  for (const [k, r] of REDIS.entries()) {
    const host = await db.host.create({
      data: { ip: r.ip, hostname: `vm-${k}`, rackId: rack.id, cpuCores: 8, memoryMb: 16384, diskGb: 100, bandwidthMbps: 1000 },
    });
    await db.instance.create({
      data: { serviceId, hostId: host.id, port: r.port, software: "REDIS", role: "MASTER", shardIndex: k, version: "7.0", state: "RUNNING" },
    });
  }
  noc = await makeActor(db, "NOC");
}, 60_000);

afterAll(async () => {
  await fleet.stopAll();
  if (vm) {
    const exited = new Promise((r) => vm.once("exit", r));
    vm.kill("SIGTERM");
    await exited;
  }
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("remote metrics store (victoria-metrics)", () => {
  it("writes the collector's raw samples there as well as to PostgreSQL, and the chart's raw range reads them back through PromQL", async () => {
    const collector = new Collector(db, { workerId: "vm-test", metricsUrl: vmUrl, log: (l) => expect.fail(l) });
    const targets = await pollTargets(db);
    expect(targets).toHaveLength(2);
    // three ticks on the 10 s grid, a few minutes back (inside the raw window), traffic between them so rates exist
    const base = Math.floor(Date.now() / 10_000) * 10_000 - 300_000;
    const ticks = [base - 20_000, base - 10_000, base];
    for (const at of ticks) {
      await Promise.all(
        REDIS.map(async (r) => {
          const c = new Redis({ host: r.ip, port: r.port });
          const p = c.pipeline();
          for (let n = 0; n < 200; n++) p.set(`k${n}`, "x".repeat(100)).get(`k${n}`);
          await p.exec();
          c.disconnect();
        }),
      );
      const results = await collector.pollAndStore(targets, new Date(at));
      expect(results.every((r) => r.row.up)).toBe(true);
    }
    await collector.stop();
    expect(await db.metricSample.count({ where: { serviceId } })).toBe(6);

    const from = new Date(base - 30_000);
    const to = new Date(base + 10_000);
    // victoria-metrics makes fresh rows searchable after its in-memory flush: force it, then read until both instances show
    await fetch(`${vmUrl}/internal/force_flush`);
    let range = await readRemoteRange(vmUrl, serviceId, from, to, 10);
    for (let k = 0; k < 50 && [...range.values()].reduce((n, s) => n + s.size, 0) < 6; k++) {
      await new Promise((r) => setTimeout(r, 200));
      range = await readRemoteRange(vmUrl, serviceId, from, to, 10);
    }
    const pgRows = await db.metricSample.findMany({ where: { serviceId }, orderBy: [{ at: "asc" }, { instanceId: "asc" }] });
    expect(range.size).toBe(2);
    for (const row of pgRows) {
      const remote = range.get(row.instanceId)?.get(row.at.getTime());
      expect(remote, `instance ${row.instanceId} at ${row.at.toISOString()}`).toBeDefined();
      expect(remote!.usedMemoryMb).toBeCloseTo(row.usedMemoryMb!, 6);
      expect(remote!.maxmemoryMb).toBe(64);
      expect(remote!.clients).toBe(row.clients);
      if (row.opsPerSec === null) expect(remote!.opsPerSec).toBeUndefined();
      else expect(remote!.opsPerSec).toBeCloseTo(row.opsPerSec, 6);
    }
    // the later ticks have rates: the traffic between them shows
    expect(range.get(pgRows[5]!.instanceId)!.get(base)!.opsPerSec).toBeGreaterThan(0);

    // the chart: through PromQL with the store configured, from PostgreSQL without it: the same points
    const now = new Date(base + 60_000);
    const remoteSeries = await serviceSeries(db, noc, { serviceId, from, to }, now, vmUrl);
    const pgSeries = await serviceSeries(db, noc, { serviceId, from, to }, now, null);
    expect(remoteSeries.resolution).toBe("raw");
    expect(remoteSeries.points.map((p) => p.t)).toEqual(ticks);
    expect(pgSeries.points.map((p) => p.t)).toEqual(ticks);
    for (const [k, p] of remoteSeries.points.entries()) {
      const q = pgSeries.points[k]!;
      expect(p.usedMb).toBeCloseTo(q.usedMb!, 6);
      expect(p.maxMb).toBe(128);
      expect(p.clients).toBe(q.clients);
      if (q.ops === null) expect(p.ops).toBeNull();
      else expect(p.ops).toBeCloseTo(q.ops, 6);
      if (q.hitRatio !== null) expect(p.hitRatio).toBeCloseTo(q.hitRatio, 6);
    }
  });

  it("a store that refuses or is gone does not fail the tick: PostgreSQL still gets the samples", async () => {
    const lines: string[] = [];
    const gone = `http://${VM_IP}:${await freePort(VM_IP)}`;
    const collector = new Collector(db, { workerId: "vm-gone", metricsUrl: gone, log: (l) => lines.push(l) });
    const at = new Date(Math.floor(Date.now() / 10_000) * 10_000 - 200_000);
    const results = await collector.pollAndStore(await pollTargets(db), at);
    await collector.stop();
    expect(results.every((r) => r.row.up)).toBe(true);
    expect(await db.metricSample.count({ where: { serviceId, at } })).toBe(2);
    expect(lines.some((l) => /metrics store failed/.test(l))).toBe(true);
  });
});
