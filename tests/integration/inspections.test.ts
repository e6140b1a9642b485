import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InstanceRole, InstanceState } from "../../generated/prisma/enums";
import type { Db } from "../../server/db/client";
import { ensureSettingsAndRanges } from "../../server/db/seed";
import type { Actor } from "../../server/domain/access/actor";
import { fixFinding } from "../../server/domain/inspections/fix";
import { inspectionReport } from "../../server/domain/inspections/report";
import { runInspection } from "../../server/domain/inspections/run";
import { instanceLayout } from "../../server/domain/provisioning/layout";
import { freshDatabase, makeActor } from "./db";
import { ProcessFleet } from "./monitoring-fleet";

/**
 * Inspections against real redis-servers on loopback addresses of their own (127.0.171.2x): a
 * running configuration changed by hand behind Hedwig's back is found and put back by the one-click
 * fix; a replica placed on its master's host (or rack) is found; a process the catalogue does not
 * know, answering on a port claimed by a stopped instance, is found.
 */
const A = "127.0.171.21";
const B = "127.0.171.22";
const C = "127.0.171.23";
const VERSION = "7.0.15";
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hedwig-inspect-"));
const fleet = new ProcessFleet();
let db: Db;
let dba: Actor;
let lineId: number;
const hostIds = new Map<string, number>();

/** Hedwig's rendered file of an instance, where the local executor finds it for that host. */
function writeRenderedConf(ip: string, port: number, text: string) {
  const file = path.join(dir, "hosts", ip, instanceLayout("REDIS", VERSION, port).confFile);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

type Member = { ip: string; port: number; role: InstanceRole; state: InstanceState; master?: number };
async function service(name: string, members: Member[]) {
  const s = await db.service.create({ data: { name, productLineId: lineId, kind: "REDIS_SENTINEL" } });
  const ids: number[] = [];
  for (const m of members) {
    const i = await db.instance.create({
      data: {
        serviceId: s.id,
        hostId: hostIds.get(m.ip)!,
        port: m.port,
        software: "REDIS",
        role: m.role,
        shardIndex: 0,
        version: VERSION,
        state: m.state,
        masterId: m.master === undefined ? null : ids[m.master]!,
      },
    });
    await db.portClaim.create({ data: { hostId: hostIds.get(m.ip)!, port: m.port, software: "REDIS", instanceId: i.id } });
    ids.push(i.id);
  }
  return { id: s.id, ids };
}

beforeAll(async () => {
  process.env.HEDWIG_DATA_DIR = dir;
  ({ db } = await freshDatabase());
  await ensureSettingsAndRanges(db);
  dba = await makeActor(db, "DBA");
  const dept = await db.department.create({ data: { code: "insp", name: "Insp" } });
  lineId = (await db.productLine.create({ data: { code: "insp-line", name: "Insp", departmentId: dept.id, importance: 3 } })).id;
  const idc = await db.idc.create({ data: { code: "in1", name: "IN1", region: "cn-sh" } });
  const r1 = await db.rack.create({ data: { idcId: idc.id, code: "r1" } });
  const r2 = await db.rack.create({ data: { idcId: idc.id, code: "r2" } });
  for (const [ip, rackId] of [
    [A, r1.id],
    [B, r1.id],
    [C, r2.id],
  ] as const) {
    const h = await db.host.create({ data: { ip, hostname: `insp-${ip}`, rackId, cpuCores: 8, memoryMb: 16384, diskGb: 100, bandwidthMbps: 1000 } });
    hostIds.set(ip, h.id);
  }
  // Hedwig rendered 64 MB and allkeys-lru; the server started from it
  writeRenderedConf(A, 6501, `bind ${A}\nport 6501\nmaxmemory 64mb\nmaxmemory-policy allkeys-lru\nsave ""\nappendonly no\n`);
  await fleet.redis(A, 6501, ["--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lru"]);
  await fleet.redis(C, 6503, ["--maxmemory", "64mb"]);
  // a hand-started server on a port the catalogue gave to a stopped instance
  await fleet.redis(B, 6504);
});

afterAll(async () => {
  await fleet.stopAll();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("inspections", () => {
  it("finds a drifted configuration, fixes it with one click, and the next run finds it no more", async () => {
    const svc = await service("insp-cart", [
      { ip: A, port: 6501, role: "MASTER", state: "RUNNING" },
      // the replica on its master's host: one machine's loss is the shard's
      { ip: A, port: 6502, role: "REPLICA", state: "UNKNOWN", master: 0 },
    ]);
    // another host, the same rack (A and B are both in r1)
    const rack = await service("insp-order", [
      { ip: B, port: 6506, role: "MASTER", state: "UNKNOWN" },
      { ip: A, port: 6507, role: "REPLICA", state: "UNKNOWN", master: 0 },
    ]);
    const adopted = await service("insp-adopted", [{ ip: C, port: 6503, role: "MASTER", state: "RUNNING" }]);
    await service("insp-stopped", [{ ip: B, port: 6504, role: "MASTER", state: "STOPPED" }]);

    // someone changed it by hand, behind Hedwig's back
    const r = new Redis({ host: A, port: 6501, lazyConnect: true });
    await r.connect();
    await r.call("config", "set", "maxmemory", "128mb");
    await r.call("config", "set", "maxmemory-policy", "noeviction");

    const run = await runInspection(db, { trigger: "MANUAL", byId: dba.id });
    const report = (await inspectionReport(db, { runId: run.id, severity: null, code: null, page: 1 }))!;
    const byCode = (code: string) => report.findings.filter((f) => f.code === code);

    const [drift] = byCode("configDrift");
    expect(drift).toMatchObject({ severity: "WARNING", fixable: true, instanceId: svc.ids[0], hostId: hostIds.get(A) });
    expect((drift!.params as { drift: string }).drift).toContain("maxmemory 134217728 → 64mb");
    expect((drift!.params as { drift: string }).drift).toContain("maxmemory-policy noeviction → allkeys-lru");
    expect(byCode("masterReplicaSameHost")).toEqual([
      expect.objectContaining({ severity: "CRITICAL", serviceId: svc.id, instanceId: svc.ids[1], params: expect.objectContaining({ host: A }) }),
    ]);
    expect(byCode("masterReplicaSameRack").map((f) => f.serviceId)).toContain(rack.id);
    expect(byCode("unknownListener")).toEqual([
      expect.objectContaining({ hostId: hostIds.get(B), params: expect.objectContaining({ port: 6504, claim: "insp-stopped" }) }),
    ]);
    // C:6503 has no rendered file (adopted): nothing to drift from, and no finding about it
    expect(report.findings.filter((f) => f.serviceId === adopted.id)).toEqual([]);
    expect(report.run.counts).toMatchObject({ CRITICAL: 1 });

    const fixed = await fixFinding(db, dba, drift!.id);
    expect(fixed.keys.map((k) => k.key).sort()).toEqual(["maxmemory", "maxmemory-policy"]);
    expect(await r.call("config", "get", "maxmemory")).toEqual(["maxmemory", String(64 * 1024 * 1024)]);
    expect(await r.call("config", "get", "maxmemory-policy")).toEqual(["maxmemory-policy", "allkeys-lru"]);
    expect((await db.inspectionFinding.findUniqueOrThrow({ where: { id: drift!.id } })).fixedAt).not.toBeNull();
    expect(await db.auditEntry.count({ where: { action: "inspection.fix" } })).toBe(1);
    await expect(fixFinding(db, dba, drift!.id)).rejects.toThrow(/already fixed/);

    const again = await runInspection(db, { trigger: "MANUAL" });
    expect(await db.inspectionFinding.count({ where: { runId: again.id, code: "configDrift" } })).toBe(0);
    expect(await db.inspectionFinding.count({ where: { runId: again.id, code: "masterReplicaSameHost" } })).toBe(1);
    r.disconnect();
  });
});
