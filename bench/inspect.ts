/**
 * A full inspection of 3,000 live instances: 1,500 master/replica services on 300 local hosts
 * (127.0.173.1–150, 127.0.174.1–150), ten ports each. Behind them, ten real redis-servers listen on
 * those ten ports of every address (bound to the wildcard: loopback delivers all of 127/8 to it),
 * so every instance is a real connection, INFO and CONFIG GET; each has Hedwig's rendered file on its
 * host to compare with (read through the local executor). One server in ten has drifted by hand.
 *   npm run bench -- inspect
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDb } from "../server/db/client";
import { migrate } from "../server/db/migrate";
import { ensureSettingsAndRanges } from "../server/db/seed";
import { runInspection } from "../server/domain/inspections/run";
import { instanceLayout } from "../server/domain/provisioning/layout";
import { withScratchDatabase } from "../scripts/scratch-db";
import { ProcessFleet } from "../tests/integration/monitoring-fleet";
import { emit } from "./lib";
import { Redis } from "ioredis";

export const name = "inspect";
const HOSTS = 300;
const PORTS = Array.from({ length: 10 }, (_, k) => 29301 + k);
const VERSION = "7.0.15";
const ip = (h: number) => (h < 150 ? `127.0.173.${h + 1}` : `127.0.174.${h - 149}`);
const r1 = (n: number) => Math.round(n * 10) / 10;

export async function run() {
  const savedUrl = process.env.DATABASE_URL;
  const savedDir = process.env.HEDWIG_DATA_DIR;
  delete process.env.DATABASE_URL; // a throwaway database: never a real Hedwig's
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hedwig-bench-inspect-"));
  process.env.HEDWIG_DATA_DIR = dir;
  const fleet = new ProcessFleet();
  try {
    for (const port of PORTS) await fleet.redis("0.0.0.0", port, ["--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lru", "--protected-mode", "yes"]);
    // one server drifted: every instance behind it is a finding
    const drifted = new Redis({ host: "127.0.0.1", port: PORTS[0]!, lazyConnect: true });
    await drifted.connect();
    await drifted.call("config", "set", "maxmemory", "128mb");
    drifted.disconnect();
    const conf = (host: string, port: number) => {
      const file = path.join(dir, "hosts", host, instanceLayout("REDIS", VERSION, port).confFile);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, `bind ${host}\nport ${port}\nmaxmemory 64mb\nmaxmemory-policy allkeys-lru\n`);
    };
    await withScratchDatabase(async (url) => {
      await migrate(url);
      const db = createDb(url, 10);
      try {
        await ensureSettingsAndRanges(db);
        const dept = await db.department.create({ data: { code: "bi", name: "BI" } });
        const line = await db.productLine.create({ data: { code: "bench-insp", name: "Bench", departmentId: dept.id, importance: 3 } });
        const idc = await db.idc.create({ data: { code: "bi1", name: "BI1", region: "cn-sh" } });
        const racks = await Promise.all(Array.from({ length: 10 }, (_, k) => db.rack.create({ data: { idcId: idc.id, code: `r${k}` } })));
        const hosts: number[] = [];
        for (let h = 0; h < HOSTS; h++) {
          const row = await db.host.create({
            data: { ip: ip(h), hostname: `bi-${h}`, rackId: racks[h % 10]!.id, cpuCores: 32, memoryMb: 131072, diskGb: 2000, bandwidthMbps: 10000 },
          });
          hosts.push(row.id);
          for (const port of PORTS) conf(ip(h), port);
        }
        // services: master on host h, replica on host h+1 (another rack), same port
        const services = await db.service.createManyAndReturn({
          data: Array.from({ length: (HOSTS * PORTS.length) / 2 }, (_, s) => ({
            name: `bench-insp-${s}`,
            productLineId: line.id,
            kind: "REDIS_SENTINEL" as const,
          })),
          select: { id: true },
        });
        let s = 0;
        for (let h = 0; h < HOSTS; h += 2) {
          for (const port of PORTS) {
            const serviceId = services[s++]!.id;
            const master = await db.instance.create({
              data: { serviceId, hostId: hosts[h]!, port, software: "REDIS", role: "MASTER", shardIndex: 0, version: VERSION, state: "RUNNING" },
            });
            await db.instance.create({
              data: {
                serviceId,
                hostId: hosts[h + 1]!,
                port,
                software: "REDIS",
                role: "REPLICA",
                shardIndex: 0,
                version: VERSION,
                state: "RUNNING",
                masterId: master.id,
              },
            });
          }
        }
        await db.$executeRawUnsafe("ANALYZE");
        const load0 = os.loadavg()[0]!;
        const t0 = performance.now();
        const result = await runInspection(db, { trigger: "MANUAL" });
        const seconds = (performance.now() - t0) / 1000;
        const byCode = await db.inspectionFinding.groupBy({ by: ["code"], where: { runId: result.id }, _count: true });
        emit({
          name: "inspect",
          instances: result.instances,
          services: result.services,
          seconds: r1(seconds),
          target_s: 60,
          instances_per_s: r1(result.instances / seconds),
          findings: Object.fromEntries(byCode.map((c) => [c.code, c._count])),
          loadavg_1m_before: r1(load0),
          loadavg_1m_after: r1(os.loadavg()[0]!),
        });
      } finally {
        await db.$disconnect();
      }
    });
  } finally {
    await fleet.stopAll();
    fs.rmSync(dir, { recursive: true, force: true });
    if (savedUrl) process.env.DATABASE_URL = savedUrl;
    if (savedDir) process.env.HEDWIG_DATA_DIR = savedDir;
    else delete process.env.HEDWIG_DATA_DIR;
  }
}
