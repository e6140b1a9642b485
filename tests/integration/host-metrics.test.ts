import { english } from "../../i18n/load";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/client";
import { ensureSettingsAndRanges } from "../../server/db/seed";
import type { Actor } from "../../server/domain/access/actor";
import { isListening } from "../../server/domain/executors/tcp";
import { collectHostMetrics } from "../../server/domain/hostmetrics/collect";
import { hostMetricsNow, hostSeries, rollupHostHours } from "../../server/domain/hostmetrics/store";
import { setHostCredential } from "../../server/domain/inventory/credentials";
import { capacity } from "../../server/domain/scheduler/store/capacity";
import { freshDatabase, makeActor } from "./db";

/**
 * Host metrics read through the executors: a real OpenSSH server on a loopback address of its own
 * (the machine behind it is this one, so the figures can be checked against /proc here), and a
 * local host read in-process.
 */
const SSH_IP = "127.0.171.2";
const LOCAL_IP = "127.0.171.3";
const SSH_PORT = 2271;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hedwig-hostmetrics-"));
let sshd: ChildProcess;
let db: Db;
let dba: Actor;
let sshHost: number;
let localHost: number;

beforeAll(async () => {
  process.env.HEDWIG_DATA_DIR = dir;
  fs.mkdirSync("/run/sshd", { recursive: true });
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path.join(dir, "host_key")]);
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path.join(dir, "user_key")]);
  fs.copyFileSync(path.join(dir, "user_key.pub"), path.join(dir, "authorized_keys"));
  const config = path.join(dir, "sshd_config");
  fs.writeFileSync(
    config,
    [
      `ListenAddress ${SSH_IP}`,
      `Port ${SSH_PORT}`,
      `HostKey ${path.join(dir, "host_key")}`,
      `AuthorizedKeysFile ${path.join(dir, "authorized_keys")}`,
      `PidFile ${path.join(dir, "sshd.pid")}`,
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "UsePAM no",
      "StrictModes no",
      "PermitRootLogin prohibit-password",
      "",
    ].join("\n"),
  );
  sshd = spawn("/usr/sbin/sshd", ["-D", "-e", "-f", config], { stdio: "ignore" });
  if (!(await isListening(SSH_IP, SSH_PORT, 5_000))) throw new Error(`sshd did not listen on ${SSH_IP}:${SSH_PORT}`);

  ({ db } = await freshDatabase());
  await ensureSettingsAndRanges(db);
  dba = await makeActor(db, "DBA");
  const idc = await db.idc.create({ data: { code: "hm1", name: "HM1", region: "cn-sh" } });
  const rack = await db.rack.create({ data: { idcId: idc.id, code: "r1" } });
  // reservations far beyond this machine's real disk, so only the measurement can refuse
  const big = { cpuCores: 64, memoryMb: 262144, diskGb: 1_000_000, bandwidthMbps: 100_000 };
  sshHost = (await db.host.create({ data: { ip: SSH_IP, hostname: "hm-ssh", rackId: rack.id, ...big, facts: { rack: "keep me" } } })).id;
  localHost = (await db.host.create({ data: { ip: LOCAL_IP, hostname: "hm-local", rackId: rack.id, ...big } })).id;
  await setHostCredential(db, dba, {
    hostId: sshHost,
    username: "root",
    sshPort: SSH_PORT,
    method: "KEY",
    privateKey: fs.readFileSync(path.join(dir, "user_key"), "utf8").trim(),
  });
});

afterAll(async () => {
  await new Promise((resolve) => sshd.once("exit", resolve).kill("SIGKILL"));
  fs.rmSync(dir, { recursive: true, force: true });
});

const memTotalMb = () => Number(/^MemTotal:\s+(\d+)/m.exec(fs.readFileSync("/proc/meminfo", "utf8"))![1]) / 1024;

describe("host metrics", () => {
  it("reads CPU, memory, load, disk and network over SSH and locally, with rates from the second reading", async () => {
    const t0 = new Date();
    const first = await collectHostMetrics(db, t0);
    expect(first.map((r) => [r.hostId, r.up, r.error])).toEqual([
      [sshHost, true, null],
      [localHost, true, null],
    ]);
    // the figures are this machine's, whichever way they were read
    for (const r of first) {
      expect(r.figures!.memTotalMb).toBeCloseTo(memTotalMb(), 0);
      expect(r.figures!.load1).toBeGreaterThanOrEqual(0);
      expect(r.figures!.dataDiskTotalGb).toBeGreaterThan(0);
      expect(r.figures!.dataDiskFreeGb).toBeLessThanOrEqual(r.figures!.dataDiskTotalGb!);
      expect(r.figures!.cpuPct).toBeNull();
      expect(r.facts!.kernel).toBe(os.release());
    }
    await new Promise((r) => setTimeout(r, 1100));
    const t1 = new Date();
    const second = await collectHostMetrics(db, t1);
    for (const r of second) {
      expect(r.figures!.cpuPct).toBeGreaterThanOrEqual(0);
      expect(r.figures!.cpuPct).toBeLessThanOrEqual(100);
      expect(r.figures!.netInMbps).toBeGreaterThanOrEqual(0);
    }
    expect(await db.hostSample.count({ where: { up: true } })).toBe(4);

    // a real SSH host's row takes the reported facts, beside what was there; the local stand-in keeps its own
    const facts = (await db.host.findUniqueOrThrow({ where: { id: sshHost } })).facts as Record<string, string>;
    expect(facts).toMatchObject({ rack: "keep me", kernel: os.release() });
    expect((await db.host.findUniqueOrThrow({ where: { id: localHost } })).facts).toEqual({});
    expect((await hostMetricsNow(db, sshHost)).facts.kernel).toBe(os.release());

    // rolled up like service metrics, and drawn from samples or hours
    await rollupHostHours(db, new Date(t0.getTime() - 3_600_000), new Date(t1.getTime() + 3_600_000));
    const hours = await db.hostHour.findMany({ where: { hostId: sshHost } });
    expect(hours.reduce((n, h) => n + h.samples, 0)).toBe(2);
    const day = await hostSeries(db, { hostId: sshHost, from: new Date(t1.getTime() - 86_400_000), to: new Date(t1.getTime() + 60_000) });
    expect(day.resolution).toBe("sample");
    expect(day.points.length).toBeGreaterThan(0);
    const month = await hostSeries(db, { hostId: sshHost, from: new Date(t1.getTime() - 30 * 86_400_000), to: new Date(t1.getTime() + 60_000) });
    expect(month.resolution).toBe("hour");
    expect(month.points[0]!.memTotalMb).toBeCloseTo(memTotalMb(), 0);
  });

  it("a host that cannot be read is recorded down with why, and keeps its last measurement", async () => {
    await db.hostCredential.update({ where: { hostId: sshHost }, data: { sshPort: SSH_PORT + 1 } });
    const [r] = await collectHostMetrics(db, new Date(), { hostIds: [sshHost] });
    expect(r).toMatchObject({ up: false, error: expect.any(String) });
    const state = await db.hostMetricState.findUniqueOrThrow({ where: { hostId: sshHost } });
    expect(state.error).toBeTruthy();
    expect(state.dataDiskFreeGb).toBeGreaterThan(0);
    await db.hostCredential.update({ where: { hostId: sshHost }, data: { sshPort: SSH_PORT } });
  });

  it("the scheduler refuses a host on measured free disk beside its reservations, and says so", async () => {
    const state = await db.hostMetricState.findUniqueOrThrow({ where: { hostId: localHost } });
    const free = Math.floor(state.dataDiskFreeGb!);
    const ask = (diskGb: number) =>
      capacity(
        db,
        {},
        {
          spec: { cpuCores: 1, memoryMb: 1024, diskGb, bandwidthMbps: 1 },
          idcIds: null,
          selector: "",
          importance: 2,
          productLineId: null,
          departmentId: null,
          replicas: 1,
          crossIdc: false,
          hostCap: null,
          hostIds: [localHost],
        },
      );
    const refused = await ask(free + 10);
    expect(refused.instances).toBe(0);
    // the other host is outside hostIds ("notBeside"); this one is refused on the measurement only
    expect(refused.rejections).toContainEqual({ reason: "diskMeasured", hosts: 1 });
    expect(english(refused.summary)).toContain("too little free disk measured");
    if (free >= 1) expect((await ask(Math.max(1, Math.floor(free / 2)))).instances).toBeGreaterThan(0);
    // the busier direction of the link counts against the bandwidth left
    await db.hostMetricState.update({ where: { hostId: localHost }, data: { netMbps: 99_990 } });
    await db.$executeRawUnsafe(`UPDATE "FleetVersion" SET "version" = "version" + 1 WHERE "id" = 1`);
    const bw = await capacity(
      db,
      {},
      {
        spec: { cpuCores: 1, memoryMb: 1024, diskGb: 1, bandwidthMbps: 100 },
        idcIds: null,
        selector: "",
        importance: 2,
        productLineId: null,
        departmentId: null,
        replicas: 1,
        crossIdc: false,
        hostCap: null,
        hostIds: [localHost],
      },
    );
    expect(bw.rejections).toContainEqual({ reason: "bandwidthMeasured", hosts: 1 });
  });
});
