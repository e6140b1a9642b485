import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderIn } from "../../i18n/load";
import type { Text } from "../../lib/text";
import type { Db } from "../../server/db/client";
import { ensureSettingsAndRanges } from "../../server/db/seed";
import type { Actor } from "../../server/domain/access/actor";
import { backupJob } from "../../server/domain/backups/backup-job";
import { listBackups, restorePreview, submitBackup, submitRestore } from "../../server/domain/backups/backups";
import { restoreJob } from "../../server/domain/backups/restore-job";
import { scheduleBackups } from "../../server/domain/backups/schedule";
import { askCleanup, cleanupJob } from "../../server/domain/decommission/cleanup";
import { evaluateHealth } from "../../server/domain/health/evaluate";
import { provisionJob } from "../../server/domain/provisioning/provision-job";
import type { RequestForm } from "../../server/domain/provisioning/request-schema";
import { approveRequest, createRequest } from "../../server/domain/requests/requests";
import { runJob } from "../../server/jobs/runner";
import { freshDatabase, makeActor } from "./db";
import { createDemoHosts, loginAt, useDemoDataDir } from "./demo-fleet";

/**
 * Backups and restores on real processes: a Redis service behind Twemproxy (several shards, each
 * with a replica) is delivered on this test's own hosts (127.0.116.x), filled through its proxy,
 * backed up (BGSAVE on the replicas, copied through the local executor, redis-check-rdb), then
 * restored in place and into a second service; every key is compared. A backup that cannot be
 * stored fails, alerts through the line's webhook and turns the service amber.
 */
let db: Db;
let dba: Actor;
let biz: Actor;
let lineId: number;
let demoDir: ReturnType<typeof useDemoDataDir>;
const services = { main: 0, copy: 0 };
const noDispatch = async () => {};
const received: { event: string; services: { name: string }[] }[] = [];
let receiver: http.Server;
const form: RequestForm = {
  productLineId: 0,
  kind: "REDIS_TWEMPROXY",
  purpose: "backups under test",
  capacityGb: 20,
  peakQps: 100000,
  expectedKeys: 50_000_000,
  persistence: "none",
  highAvailability: true,
  idcPreference: null,
  readRatio: 80,
};

beforeAll(async () => {
  demoDir = useDemoDataDir("backups");
  ({ db } = await freshDatabase());
  await ensureSettingsAndRanges(db);
  const dept = await db.department.create({ data: { code: "bk", name: "Backups" } });
  const lines = await Promise.all(["bk-a", "bk-b"].map((code) => db.productLine.create({ data: { code, name: code, departmentId: dept.id, importance: 3 } })));
  lineId = lines[0]!.id;
  biz = await makeActor(
    db,
    "BUSINESS",
    lines.map((l) => l.id),
  );
  dba = await makeActor(db, "DBA");
  await createDemoHosts(db, { prefix: "127.0.116", idcCode: "b1", departmentId: dept.id });
  await db.setting.create({ data: { key: "webhooks.allowedRanges", value: { ranges: ["127.0.0.0/8"] } } });
  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => (received.push(JSON.parse(body)), res.end("{}")));
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.116.250", r));
  await db.alertWebhook.create({
    data: { name: "backup hook", url: `http://127.0.116.250:${(receiver.address() as AddressInfo).port}/hook`, format: "GENERIC", productLineId: lineId },
  });
  const deliver = async (line: number) => {
    const request = await db.$transaction((tx) => createRequest(tx, biz, { ...form, productLineId: line }, true));
    const job = await approveRequest(db, dba, request.id, null, noDispatch);
    expect(await runJob(db, job.id, provisionJob)).toBe("SUCCEEDED");
    return (await db.resourceRequest.findUniqueOrThrow({ where: { id: request.id } })).serviceId!;
  };
  [services.main, services.copy] = await Promise.all([deliver(lines[0]!.id), deliver(lines[1]!.id)]);
}, 180_000);

afterAll(async () => {
  await new Promise((r) => receiver?.close(r));
  demoDir.restore();
});

async function client(ip: string, port: number): Promise<Redis> {
  const r = new Redis({
    host: ip,
    port,
    ...(await loginAt(db, ip, port)),
    lazyConnect: true,
    protocol: 2,
    enableReadyCheck: false,
    disableClientInfo: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  await r.connect();
  return r;
}

async function withProxy<T>(serviceId: number, fn: (r: Redis) => Promise<T>): Promise<T> {
  const s = await db.service.findUniqueOrThrow({ where: { id: serviceId } });
  const r = await client(s.entryHost!, s.entryPort!);
  try {
    return await fn(r);
  } finally {
    r.disconnect();
  }
}

/** Every key of every master of the service, read directly: type, value, and whether it expires. */
async function snapshot(serviceId: number): Promise<Map<string, string>> {
  const masters = await db.instance.findMany({ where: { serviceId, role: "MASTER", software: "REDIS" }, include: { host: true } });
  const out = new Map<string, string>();
  for (const m of masters) {
    const r = await client(m.host.ip, m.port);
    try {
      let cursor = "0";
      do {
        const [next, keys] = await r.scan(cursor, "COUNT", 500);
        cursor = next;
        for (const k of keys) {
          const type = await r.type(k);
          const value =
            type === "string"
              ? await r.get(k)
              : type === "hash"
                ? JSON.stringify(Object.entries(await r.hgetall(k)).sort())
                : type === "list"
                  ? JSON.stringify(await r.lrange(k, 0, -1))
                  : type === "set"
                    ? JSON.stringify((await r.smembers(k)).sort())
                    : JSON.stringify(await r.zrange(k, "0", "-1", "WITHSCORES"));
          out.set(k, `${type}:${(await r.pttl(k)) > 0 ? "ttl" : "persist"}:${value}`);
        }
      } while (cursor !== "0");
    } finally {
      r.disconnect();
    }
  }
  return out;
}

async function fill(serviceId: number, n: number, prefix: string) {
  await withProxy(serviceId, async (r) => {
    const p = r.pipeline();
    for (let i = 0; i < n; i++) {
      const k = `${prefix}:${i}`;
      switch (i % 5) {
        case 0:
          p.set(k, `value-${i}-${"x".repeat(i % 200)}`);
          break;
        case 1:
          p.hset(k, { a: String(i), b: `b${i}` });
          break;
        case 2:
          p.rpush(k, "x", String(i), "z");
          break;
        case 3:
          p.sadd(k, "m1", `m${i}`);
          break;
        case 4:
          p.zadd(k, String(i), `z${i}`, String(i + 0.5), "other");
      }
      if (i % 97 === 0) p.pexpire(k, 3_600_000);
    }
    await p.exec();
  });
}

async function backUp(serviceId: number) {
  const { jobId, backupId } = await submitBackup(db, dba, serviceId, noDispatch);
  const status = await runJob(db, jobId, backupJob);
  return { status, backup: await db.backup.findUniqueOrThrow({ where: { id: backupId } }), jobId };
}

describe("backups and restores on real processes", () => {
  it("backs up every shard on a replica, checks it and lists it with size and age", async () => {
    await fill(services.main, 4000, "k");
    const before = await snapshot(services.main);
    expect(before.size).toBe(4000);
    const { status, backup, jobId } = await backUp(services.main);
    expect(status, (await db.job.findUnique({ where: { id: jobId } }))?.error ?? "").toBe("SUCCEEDED");
    expect(backup.status).toBe("SUCCEEDED");
    const files = backup.files as { shard: number; role: string; file: string; bytes: number; keys: number }[];
    const shards = await db.instance.count({ where: { serviceId: services.main, role: "MASTER" } });
    expect(shards).toBeGreaterThan(1);
    expect(files).toHaveLength(shards);
    for (const f of files) {
      expect(f.role, "saved on the replica, not the master").toBe("REPLICA");
      expect(fs.statSync(f.file).size).toBe(f.bytes);
      expect(f.file.startsWith(demoDir.dir), "stored under Hedwig's data dir").toBe(true);
      // no RDB persistence: the host keeps no copy a restart would load
      const [ip, port] = (f as unknown as { source: string }).source.split(":");
      expect(fs.existsSync(`${demoDir.dir}/hosts/${ip}/data/hedwig/data/redis/${port}/dump.rdb`)).toBe(false);
    }
    expect(files.reduce((a, f) => a + f.keys, 0)).toBe(4000);
    expect(Number(backup.bytes)).toBe(files.reduce((a, f) => a + f.bytes, 0));
    const logs = (await db.jobLog.findMany({ where: { jobId } })).map((l) => l.message).join("\n");
    expect(logs).toMatch(/redis-check-rdb passed/);
    expect(await db.auditEntry.count({ where: { action: "service.backup", after: { path: ["jobId"], equals: jobId } } })).toBe(1);
    // the business user of the line sees the list
    const list = await listBackups(db, biz, services.main);
    expect(list.everyHours, "3 stars: every 24 hours by default").toBe(24);
    expect(list.backups[0]).toMatchObject({ id: backup.id, status: "SUCCEEDED", bytes: Number(backup.bytes), automatic: false });
  }, 120_000);

  it("restores in place after a confirmation naming the loss: every key equal, clients let in again", async () => {
    const backup = (await db.backup.findFirstOrThrow({ where: { serviceId: services.main, status: "SUCCEEDED" }, orderBy: { id: "desc" } }))!;
    const expected = await snapshot(services.main);
    // what is lost: writes after the backup, changed values, deleted keys
    await fill(services.main, 300, "late");
    await withProxy(services.main, async (r) => {
      await r.set("k:0", "changed");
      await r.del("k:1");
    });
    const preview = await restorePreview(db, dba, backup.id);
    expect(preview).toMatchObject({ keysInBackup: 4000, keysNow: 4299 });
    await expect(submitRestore(db, dba, { backupId: backup.id, confirm: "wrong" }, noDispatch)).rejects.toThrow(/type the service's name/);
    const name = (await db.service.findUniqueOrThrow({ where: { id: services.main } })).name;
    const { jobId } = await submitRestore(db, dba, { backupId: backup.id, confirm: name }, noDispatch);
    expect(await runJob(db, jobId, restoreJob), (await db.job.findUnique({ where: { id: jobId } }))?.error ?? "").toBe("SUCCEEDED");
    expect(await snapshot(services.main)).toEqual(expected);
    // the application's clients are served again through the proxy
    await withProxy(services.main, async (r) => {
      expect(await r.set("after", "1")).toBe("OK");
      expect(await r.get("k:0")).toBe(expected.get("k:0")!.split(":").slice(2).join(":"));
      await r.del("after");
    });
  }, 120_000);

  it("restores into another Twemproxy service through its proxy: every key equal, each where the proxy looks", async () => {
    const backup = (await db.backup.findFirstOrThrow({ where: { serviceId: services.main, status: "SUCCEEDED" }, orderBy: { id: "desc" } }))!;
    const expected = await snapshot(services.main);
    const { jobId } = await submitRestore(db, dba, { backupId: backup.id, targetServiceId: services.copy }, noDispatch);
    expect(await runJob(db, jobId, restoreJob), (await db.job.findUnique({ where: { id: jobId } }))?.error ?? "").toBe("SUCCEEDED");
    expect(await snapshot(services.copy)).toEqual(expected);
    // its proxy placed them by its own shards' names
    // the application's user could RESTORE for the load only
    const master = await db.instance.findFirstOrThrow({ where: { serviceId: services.copy, role: "MASTER" }, include: { host: true } });
    const ops = await client(master.host.ip, master.port);
    expect(String(await ops.call("ACL", "DRYRUN", "default", "RESTORE", "x", "0", "payload"))).toMatch(/no permissions/);
    ops.disconnect();
    await withProxy(services.copy, async (r) => {
      for (const k of ["k:5", "k:1234", "k:3999"]) expect(await r.exists(k)).toBe(1);
    });
  }, 120_000);

  it("a restore from a stored file changed since the backup fails before the target is touched, its error a code read in either language", async () => {
    const backup = (await db.backup.findFirstOrThrow({ where: { serviceId: services.main, status: "SUCCEEDED" }, orderBy: { id: "desc" } }))!;
    const file = (backup.files as { file: string; shard: number }[])[0]!;
    const kept = fs.readFileSync(file.file);
    const before = await snapshot(services.copy);
    fs.appendFileSync(file.file, "x");
    try {
      const { jobId } = await submitRestore(db, dba, { backupId: backup.id, targetServiceId: services.copy }, noDispatch);
      expect(await runJob(db, jobId, restoreJob)).toBe("FAILED");
      const step = await db.jobStep.findFirstOrThrow({ where: { jobId, status: "FAILED" } });
      expect(step.errorText).toMatchObject({ code: "jobErrors.backups.fileChanged", params: { shard: file.shard } });
      expect(step.error).toMatch(
        new RegExp(`^shard ${file.shard}: the stored file changed since the backup \\(sha256 [0-9a-f]{12}…, expected [0-9a-f]{12}…\\)$`),
      );
      expect(renderIn("zh", step.errorText as Text)).toMatch(new RegExp(`^分片 ${file.shard}：已存储的备份文件在备份后被改动`));
      // the job's own error names the step, in the reader's language too
      const job = await db.job.findUniqueOrThrow({ where: { id: jobId } });
      expect(job.errorText).toMatchObject({ code: "jobs.log.failedAt", params: { why: { code: "jobErrors.backups.fileChanged" } } });
      expect(await snapshot(services.copy)).toEqual(before);
    } finally {
      fs.writeFileSync(file.file, kept);
    }
  }, 60_000);

  it("a backup that cannot be stored fails, alerts through the line's webhook and turns the service amber", async () => {
    const previous = process.env.HEDWIG_BACKUP_DIR;
    process.env.HEDWIG_BACKUP_DIR = "/dev/null/backups"; // a directory that cannot exist
    try {
      const { status, backup } = await backUp(services.main);
      expect(status).toBe("FAILED");
      expect(backup.status).toBe("FAILED");
      expect(backup.error).toMatch(/dev\/null/);
    } finally {
      if (previous === undefined) delete process.env.HEDWIG_BACKUP_DIR;
      else process.env.HEDWIG_BACKUP_DIR = previous;
    }
    expect(received.some((b) => b.event === "backup.failed" && b.services[0]?.name)).toBe(true);
    expect(await db.notification.count({ where: { userId: dba.id, code: "backups.notices.failed" } })).toBe(1);
    await evaluateHealth(db, new Date(), 10);
    const health = await db.serviceHealth.findUniqueOrThrow({ where: { serviceId: services.main } });
    expect(health.level).toBe("AMBER");
    expect((health.reasons as { code: string }[]).map((r) => r.code)).toContain("backup_failed");
    // the next good backup clears it
    expect((await backUp(services.main)).status).toBe("SUCCEEDED");
    await evaluateHealth(db, new Date(), 10);
    const after = await db.serviceHealth.findUniqueOrThrow({ where: { serviceId: services.main } });
    expect((after.reasons as { code: string }[]).map((r) => r.code)).not.toContain("backup_failed");
  }, 120_000);

  it("the schedule starts an automatic backup when one is due, once", async () => {
    // the copy was created long ago as far as the schedule knows: its first backup is due
    await db.service.update({ where: { id: services.copy }, data: { createdAt: new Date(Date.now() - 25 * 3_600_000) } });
    const now = new Date();
    expect(await scheduleBackups(db, noDispatch, now)).toBe(1);
    expect(await scheduleBackups(db, noDispatch, now), "not twice while it runs").toBe(0);
    const b = await db.backup.findFirstOrThrow({ where: { serviceId: services.copy }, orderBy: { id: "desc" } });
    expect(b.automatic).toBe(true);
    const job = await db.job.findUniqueOrThrow({ where: { id: b.jobId! } });
    expect(job.automatic).toBe(true);
    expect(await runJob(db, job.id, backupJob)).toBe("SUCCEEDED");
    expect(await scheduleBackups(db, noDispatch, new Date()), "next one an interval later").toBe(0);
  }, 120_000);

  it("deletes keys by pattern as a change request the DBA approves (SCAN and UNLINK, FLUSHALL and KEYS being disabled)", async () => {
    await fill(services.main, 250, "tmp");
    const before = await snapshot(services.main);
    const request = await askCleanup(db, biz, services.main, "tmp:*", "a test run left these");
    expect(request).toMatchObject({ action: "CLEANUP", status: "SUBMITTED" });
    await expect(askCleanup(db, biz, services.main, "*", "everything")).rejects.toThrow(/already has an open request/);
    const job = await approveRequest(db, dba, request.id, null, noDispatch);
    expect(job.kind).toBe("service.cleanup");
    expect(await runJob(db, job.id, cleanupJob)).toBe("SUCCEEDED");
    const after = await snapshot(services.main);
    expect([...after.keys()].some((k) => k.startsWith("tmp:"))).toBe(false);
    expect(after.size).toBe(before.size - 250);
    const done = await db.resourceRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(done.status).toBe("DELIVERED");
    expect(done.delivery).toEqual({ deleted: 250 });
  }, 120_000);
});
