/**
 * Backup and restore of a 1 GB dataset on the local executor against a throwaway embedded
 * PostgreSQL: a standalone Redis delivered by Hedwig's provisioning job on this bench's hosts
 * (127.0.117.x) is filled with ~1 GB (1 KB values of random text), backed up by the backup job (BGSAVE, copy off
 * the host through the executor into the store, redis-check-rdb, SHA-256), then restored by the
 * restore job into a second delivered service; every key is counted and a sample compared. Beside
 * them, in the same run, `cp` of the same RDB file on the same disk, the floor for the copy. MB/s are of the RDB's size. Prints JSON lines only.
 *   npx tsx bench/run.ts backup
 */
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Redis } from "ioredis";
import { createDb, type Db } from "../server/db/client";
import { migrate } from "../server/db/migrate";
import { ensureSettingsAndRanges } from "../server/db/seed/defaults";
import { loadActor } from "../server/domain/access/actor";
import { backupJob } from "../server/domain/backups/backup-job";
import { submitBackup, submitRestore } from "../server/domain/backups/backups";
import { restoreJob } from "../server/domain/backups/restore-job";
import type { BackupFile } from "../server/domain/backups/store";
import { opsAuth } from "../server/domain/credentials/store";
import { authOptions } from "../server/domain/provisioning/deploy/probes";
import { provisionJob } from "../server/domain/provisioning/provision-job";
import type { RequestForm } from "../server/domain/provisioning/request-schema";
import { approveRequest, createRequest } from "../server/domain/requests/requests";
import { runJob } from "../server/jobs/runner";
import { withScratchDatabase } from "../scripts/scratch-db";
import { emit, killDaemons, logsToStderr } from "./lib";

export const name = "backup";
const run_ = promisify(execFile);
const VALUE_BYTES = 1000;
const KEYS = Number(process.env.BENCH_BACKUP_KEYS ?? 1_000_000);
const r1 = (n: number) => Math.round(n * 10) / 10;
const r2 = (n: number) => Math.round(n * 100) / 100;
const noDispatch = async () => {};

const FORM: RequestForm = {
  productLineId: 0,
  kind: "REDIS_STANDALONE",
  purpose: "backup bench",
  capacityGb: 2,
  peakQps: 1000,
  expectedKeys: KEYS,
  persistence: "none",
  highAvailability: false,
  idcPreference: null,
  readRatio: 50,
};

export async function run() {
  const savedUrl = process.env.DATABASE_URL;
  delete process.env.DATABASE_URL;
  const restoreStdout = logsToStderr();
  try {
    await withScratchDatabase(benchOn);
  } finally {
    restoreStdout();
    if (savedUrl !== undefined) process.env.DATABASE_URL = savedUrl;
  }
}

async function masterOf(db: Db, serviceId: number) {
  const m = await db.instance.findFirstOrThrow({ where: { serviceId, role: "MASTER" }, include: { host: true } });
  const r = new Redis({ host: m.host.ip, port: m.port, lazyConnect: true, ...authOptions(await opsAuth(db, serviceId)) });
  await r.connect();
  return { r, ip: m.host.ip, port: m.port };
}

async function benchOn(url: string) {
  await migrate(url);
  const db = createDb(url, 10);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "hedwig-bench-backup-"));
  const savedDataDir = process.env.HEDWIG_DATA_DIR;
  process.env.HEDWIG_DATA_DIR = dataDir;
  try {
    const { deliver, dba } = await fixture(db);
    const [source, target] = [await deliver("bench-bk-a"), await deliver("bench-bk-b")];

    const fillStarted = Date.now();
    const src = await masterOf(db, source);
    // random text: an RDB compresses repeated values (LZF) to almost nothing, real data far less
    const pool = crypto.randomBytes(1 << 20).toString("hex");
    const valueOf = (j: number) => pool.slice((j * 7919) % (pool.length - VALUE_BYTES), ((j * 7919) % (pool.length - VALUE_BYTES)) + VALUE_BYTES);
    for (let i = 0; i < KEYS; i += 5000) {
      const p = src.r.pipeline();
      for (let j = i; j < Math.min(KEYS, i + 5000); j++) p.set(`bench:${j}`, valueOf(j));
      await p.exec();
    }
    const usedMb = Number(/^used_memory:(\d+)/m.exec(await src.r.info("memory"))?.[1] ?? 0) / 1e6;
    emit({ name: "backup.dataset", keys: KEYS, value_bytes: VALUE_BYTES, used_memory_mb: r1(usedMb), fill_s: r1((Date.now() - fillStarted) / 1000) });

    const b0 = Date.now();
    const { jobId, backupId } = await submitBackup(db, dba, source, noDispatch);
    if ((await runJob(db, jobId, backupJob)) !== "SUCCEEDED") throw new Error((await db.job.findUnique({ where: { id: jobId } }))?.error ?? "backup failed");
    const backupS = (Date.now() - b0) / 1000;
    const backup = await db.backup.findUniqueOrThrow({ where: { id: backupId } });
    const file = (backup.files as unknown as BackupFile[])[0]!;
    const mb = file.bytes / 1e6;
    const steps = await db.jobStep.findMany({ where: { jobId }, orderBy: { index: "asc" } });
    const stepS = Object.fromEntries(steps.map((s) => [`step_${s.index}_s`, r2((s.finishedAt!.getTime() - s.startedAt!.getTime()) / 1000)]));

    // the floor: cp of the very RDB the backup copied (the host's copy left it: no RDB persistence), on the same disk
    const cpTo = path.join(path.dirname(file.file), "cp-baseline.rdb");
    const c0 = Date.now();
    await run_("cp", [file.file, cpTo]);
    const cpS = (Date.now() - c0) / 1000;
    fs.rmSync(cpTo);

    const r0 = Date.now();
    const restore = await submitRestore(db, dba, { backupId, targetServiceId: target }, noDispatch);
    if ((await runJob(db, restore.jobId, restoreJob)) !== "SUCCEEDED")
      throw new Error((await db.job.findUnique({ where: { id: restore.jobId } }))?.error ?? "restore failed");
    const restoreS = (Date.now() - r0) / 1000;

    const dst = await masterOf(db, target);
    const keys = await dst.r.dbsize();
    let equal = 0;
    for (const j of [0, 1, KEYS >> 1, KEYS - 1]) if ((await dst.r.get(`bench:${j}`)) === valueOf(j)) equal++;
    src.r.disconnect();
    dst.r.disconnect();
    emit({ name: "backup.backup", rdb_mb: r1(mb), seconds: r2(backupS), mb_per_s: r1(mb / backupS), keys_checked: file.keys, ...stepS });
    emit({ name: "backup.cp", rdb_mb: r1(mb), seconds: r2(cpS), mb_per_s: r1(mb / cpS) });
    emit({
      name: "backup.restore",
      rdb_mb: r1(mb),
      seconds: r2(restoreS),
      mb_per_s: r1(mb / restoreS),
      keys_restored: keys,
      keys_expected: KEYS,
      sample_equal: `${equal}/4`,
    });
    emit({ name: "backup.ratio", backup_over_cp_mb_per_s: r2(mb / backupS / (mb / cpS)), restore_over_cp_mb_per_s: r2(mb / restoreS / (mb / cpS)) });
  } finally {
    killDaemons(dataDir);
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (savedDataDir === undefined) delete process.env.HEDWIG_DATA_DIR;
    else process.env.HEDWIG_DATA_DIR = savedDataDir;
    await db.$disconnect();
  }
}

async function fixture(db: Db) {
  await ensureSettingsAndRanges(db);
  const dept = await db.department.create({ data: { code: "bench-bk", name: "Bench backup" } });
  const idc = await db.idc.create({ data: { code: "bb1", name: "Bench B1", region: "cn-sh" } });
  const rack = await db.rack.create({ data: { idcId: idc.id, code: "r1" } });
  for (let h = 1; h <= 2; h++) {
    await db.host.create({
      data: {
        ip: `127.0.117.${10 + h}`,
        hostname: `bb1-r1-h${h}`,
        rackId: rack.id,
        cpuCores: 16,
        memoryMb: 32768,
        diskGb: 500,
        bandwidthMbps: 10000,
        tier: "MIXED_DEPARTMENT",
        departmentId: dept.id,
        executor: "LOCAL",
      },
    });
  }
  const dbaUser = await db.user.create({ data: { username: "bench-bk-dba", displayName: "DBA", role: "DBA" } });
  const dba = (await loadActor(db, dbaUser.id))!;
  const deliver = async (code: string) => {
    const line = await db.productLine.create({ data: { code, name: code, departmentId: dept.id, importance: 3 } });
    const u = await db.user.create({
      data: { username: `${code}-biz`, displayName: "biz", role: "BUSINESS", memberships: { create: [{ productLineId: line.id }] } },
    });
    const biz = (await loadActor(db, u.id))!;
    const request = await db.$transaction((tx) => createRequest(tx, biz, { ...FORM, productLineId: line.id }, true));
    const job = await approveRequest(db, dba, request.id, null, noDispatch);
    if ((await runJob(db, job.id, provisionJob)) !== "SUCCEEDED") throw new Error(`delivery of ${code} failed`);
    return (await db.resourceRequest.findUniqueOrThrow({ where: { id: request.id } })).serviceId!;
  };
  return { deliver, dba };
}
