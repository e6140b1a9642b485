import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { Db } from "../../server/db/client";
import { appAuth, opsAuth } from "../../server/domain/credentials/store";
import { authOptions } from "../../server/domain/provisioning/deploy/probes";

/**
 * What the tests that deploy real processes share: a demo fleet on a loopback range of the test
 * file's own, a data directory of its own, and cleanup of every daemon started there.
 */

/** 3 racks × 2 LOCAL hosts, `${prefix}.${rack}${host}` (e.g. 127.0.5.11), mixed within the department. */
export async function createDemoHosts(db: Db, o: { prefix: string; idcCode: string; departmentId: number }) {
  const idc = await db.idc.create({ data: { code: o.idcCode, name: o.idcCode.toUpperCase(), region: "cn-sh" } });
  for (let r = 1; r <= 3; r++) {
    const rack = await db.rack.create({ data: { idcId: idc.id, code: `r${r}` } });
    for (let h = 1; h <= 2; h++) {
      await db.host.create({
        data: {
          ip: `${o.prefix}.${r * 10 + h}`,
          hostname: `${o.idcCode}-r${r}-h${h}`,
          rackId: rack.id,
          cpuCores: 16,
          memoryMb: 32768,
          diskGb: 500,
          bandwidthMbps: 10000,
          tier: "MIXED_DEPARTMENT",
          departmentId: o.departmentId,
        },
      });
    }
  }
  return idc;
}

/** A fresh HEDWIG_DATA_DIR for the demo hosts' files; `restore` stops its daemons and removes it. */
export function useDemoDataDir(label: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `hedwig-${label}-`));
  const previous = process.env.HEDWIG_DATA_DIR;
  process.env.HEDWIG_DATA_DIR = dir;
  return {
    dir,
    restore() {
      killDaemons(dir);
      fs.rmSync(dir, { recursive: true, force: true });
      process.env.HEDWIG_DATA_DIR = previous;
    },
  };
}

export function pidFilesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? pidFilesUnder(path.join(dir, e.name)) : e.name.endsWith(".pid") ? [path.join(dir, e.name)] : []));
}

/** Whatever a test left running goes with it: each daemon leads its own process group. */
export function killDaemons(dir: string) {
  for (const file of pidFilesUnder(dir)) {
    const pid = Number(fs.readFileSync(file, "utf8"));
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
}

export const listening = (ip: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect({ host: ip, port });
    s.on("connect", () => (s.destroy(), resolve(true)));
    s.on("error", () => resolve(false));
  });

/**
 * How a test logs in at ip:port of a delivered service, as Hedwig does: its operations user on a
 * Redis or Sentinel; the application's password at a proxy or a VIP (all Twemproxy takes).
 * Nothing for what Hedwig did not deliver (it has no password).
 */
export async function loginAt(db: Db, ip: string, port: number) {
  const inst = await db.instance.findFirst({ where: { host: { ip }, port }, select: { serviceId: true, role: true } });
  const entry = inst ? null : await db.service.findFirst({ where: { entryHost: ip, entryPort: port }, select: { id: true } });
  const serviceId = inst?.serviceId ?? entry?.id;
  if (!serviceId) return {};
  return authOptions(inst && inst.role !== "PROXY" ? await opsAuth(db, serviceId) : await appAuth(db, serviceId));
}
