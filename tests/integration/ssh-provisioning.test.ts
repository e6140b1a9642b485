import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { loginAt } from "./demo-fleet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db/client";
import { ensureSettingsAndRanges } from "../../server/db/seed";
import type { Actor } from "../../server/domain/access/actor";
import { clearHostCredential, credentialStatus, setHostCredential, testHostCredential } from "../../server/domain/inventory/credentials";
import { isListening } from "../../server/domain/executors/tcp";
import { instanceLayout } from "../../server/domain/provisioning/layout";
import { provisionJob } from "../../server/domain/provisioning/provision-job";
import { approveRequest, createRequest } from "../../server/domain/requests/requests";
import { runJob } from "../../server/jobs/runner";
import { freshDatabase, makeActor } from "./db";

/**
 * A production-style host reached over SSH: a real OpenSSH server on its own loopback address,
 * a credential stored sealed, and a Redis deployed through it into the deployment standard's paths
 * (/opt/hedwig, /data/hedwig) of the machine behind that sshd — this machine.
 */
const HOST_IP = "127.0.16.2";
const SSH_PORT = 2216;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "hedwig-sshprov-"));
let sshd: ChildProcess;
let userKey: string;
let db: Db;
let dba: Actor;
let biz: Actor;
let hostId: number;
let lineId: number;
const madeLinks: string[] = [];
let deployedPort: number | null = null;

beforeAll(async () => {
  process.env.HEDWIG_DATA_DIR = dir; // the sealing key file lives beside the data
  fs.mkdirSync("/run/sshd", { recursive: true });
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path.join(dir, "host_key")]);
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path.join(dir, "user_key")]);
  fs.copyFileSync(path.join(dir, "user_key.pub"), path.join(dir, "authorized_keys"));
  userKey = fs.readFileSync(path.join(dir, "user_key"), "utf8");
  const config = path.join(dir, "sshd_config");
  fs.writeFileSync(
    config,
    [
      `ListenAddress ${HOST_IP}`,
      `Port ${SSH_PORT}`,
      `HostKey ${path.join(dir, "host_key")}`,
      `AuthorizedKeysFile ${path.join(dir, "authorized_keys")}`,
      `PidFile ${path.join(dir, "sshd.pid")}`,
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "UsePAM no",
      "StrictModes no",
      "PermitRootLogin prohibit-password",
      "Subsystem sftp /usr/lib/openssh/sftp-server",
      "",
    ].join("\n"),
  );
  sshd = spawn("/usr/sbin/sshd", ["-D", "-e", "-f", config], { stdio: "ignore" });
  if (!(await isListening(HOST_IP, SSH_PORT, 5_000))) throw new Error(`sshd did not listen on ${HOST_IP}:${SSH_PORT}`);

  ({ db } = await freshDatabase());
  await ensureSettingsAndRanges(db);
  const dept = await db.department.create({ data: { code: "pay", name: "Pay" } });
  lineId = (await db.productLine.create({ data: { code: "pay-risk", name: "Risk", departmentId: dept.id, importance: 2 } })).id;
  dba = await makeActor(db, "DBA");
  biz = await makeActor(db, "BUSINESS", [lineId]);
  const idc = await db.idc.create({ data: { code: "prod1", name: "PROD1", region: "cn-sh" } });
  const rack = await db.rack.create({ data: { idcId: idc.id, code: "r1" } });
  hostId = (
    await db.host.create({
      data: { ip: HOST_IP, hostname: "prod-redis-01", rackId: rack.id, cpuCores: 16, memoryMb: 32768, diskGb: 500, bandwidthMbps: 10000 },
    })
  ).id;
});

afterAll(async () => {
  if (deployedPort) {
    const layout = instanceLayout(
      "REDIS",
      (await db.softwareVersion.findFirstOrThrow({ where: { software: "REDIS", isDefault: true } })).version,
      deployedPort,
    );
    const pid = Number(fs.readFileSync(layout.pidFile, "utf8"));
    try {
      process.kill(pid, "SIGKILL");
    } catch {}
    for (const f of [layout.confFile, layout.logFile, layout.pidFile, layout.dataDir]) fs.rmSync(f, { recursive: true, force: true });
  }
  for (const link of madeLinks) fs.rmSync(link, { force: true });
  await new Promise((resolve) => sshd.once("exit", resolve).kill("SIGKILL"));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("an SSH host", () => {
  it("keeps its login sealed: the database holds no key, the status shows none", async () => {
    await setHostCredential(db, dba, { hostId, username: "root", sshPort: SSH_PORT, method: "KEY", privateKey: userKey.trim() });
    const row = await db.hostCredential.findUniqueOrThrow({ where: { hostId } });
    expect(row.sealed).toMatch(/^v1\./);
    expect(row.sealed).not.toContain("PRIVATE KEY");
    expect(JSON.stringify(await db.auditEntry.findMany(), (_, v) => (typeof v === "bigint" ? String(v) : v))).not.toContain("PRIVATE KEY");
    expect((await db.host.findUniqueOrThrow({ where: { id: hostId } })).executor).toBe("SSH");
    const status = await credentialStatus(db, hostId);
    expect(status).toMatchObject({ username: "root", method: "KEY", sshPort: SSH_PORT, hostKeyFingerprint: null });
    expect(Object.keys(status!)).not.toContain("sealed");
  });

  it("logs in on test and pins the host key", async () => {
    const result = await testHostCredential(db, hostId);
    expect(result).toMatchObject({ ok: true, output: expect.stringContaining("Linux") });
    expect((await credentialStatus(db, hostId))?.hostKeyFingerprint).toMatch(/^SHA256:/);
  });

  it("delivers a Redis over SSH into the deployment standard's paths", async () => {
    const version = (await db.softwareVersion.findFirstOrThrow({ where: { software: "REDIS", isDefault: true } })).version;
    // The host as the OS team hands it over: Redis installed under the versioned install path.
    const binary = instanceLayout("REDIS", version, 6379).binary;
    if (!fs.existsSync(binary)) {
      fs.mkdirSync(path.dirname(binary), { recursive: true });
      fs.symlinkSync("/usr/bin/redis-server", binary);
      madeLinks.push(binary);
    }
    const request = await db.$transaction((tx) =>
      createRequest(
        tx,
        biz,
        {
          productLineId: lineId,
          kind: "REDIS_STANDALONE",
          purpose: "risk scores over ssh",
          capacityGb: 1,
          peakQps: 2000,
          expectedKeys: 10000,
          persistence: "none",
          highAvailability: false,
          idcPreference: null,
          readRatio: 90,
        },
        true,
      ),
    );
    const job = await approveRequest(db, dba, request.id, null, async () => {});
    const status = await runJob(db, job.id, provisionJob);
    const logs = (await db.jobLog.findMany({ where: { jobId: job.id }, orderBy: { id: "asc" } })).map((l) => l.message).join("\n");
    expect(status, logs).toBe("SUCCEEDED");
    const instance = await db.instance.findFirstOrThrow({ where: { hostId } });
    deployedPort = instance.port;
    // the files are where the standard says, on the machine behind the sshd (not under a demo host's directory)
    expect(fs.readFileSync(instanceLayout("REDIS", version, instance.port).confFile, "utf8")).toContain(`bind ${HOST_IP}`);
    expect(fs.existsSync(path.join(dir, "hosts"))).toBe(false);
    const client = new Redis({ host: HOST_IP, port: instance.port, lazyConnect: true, ...(await loginAt(db, HOST_IP, instance.port)) });
    await client.connect();
    await client.set("score:7", "0.93");
    expect(await client.get("score:7")).toBe("0.93");
    client.disconnect();
  });

  it("refuses to deploy once its login is removed, saying where to set it", async () => {
    await clearHostCredential(db, dba, hostId);
    const request = await db.$transaction((tx) =>
      createRequest(
        tx,
        biz,
        {
          productLineId: lineId,
          kind: "REDIS_STANDALONE",
          purpose: "a second cache over ssh",
          capacityGb: 1,
          peakQps: 2000,
          expectedKeys: 10000,
          persistence: "none",
          highAvailability: false,
          idcPreference: null,
          readRatio: 90,
        },
        true,
      ),
    );
    const job = await approveRequest(db, dba, request.id, null, async () => {});
    expect(await runJob(db, job.id, provisionJob)).toBe("FAILED");
    const failed = await db.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(failed.error).toMatch(new RegExp(`host ${HOST_IP.replace(/\./g, "\\.")} is reached over SSH and has no login stored: set its SSH credential`));
    expect(await db.allocation.count({ where: { ownerRef: `job:${job.id}`, status: "LOCKED" } })).toBe(0);
  });
});
