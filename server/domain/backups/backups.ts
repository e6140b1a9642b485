import { text } from "../../../lib/text";
import type { Db, DbTx } from "../../db/client";
import { createJob } from "../../jobs/queue";
import type { Actor } from "../access/actor";
import { recordAudit, automaticText } from "../audit/record";
import { conflict, notFound, precondition } from "../errors";
import { visibleService } from "../metrics/service-scope";
import type { Dispatcher } from "../requests/requests";
import { BACKUP_KIND } from "./backup-job";
import { RESTORE_KIND, type RestoreInput } from "./restore-job";
import { loadTarget } from "../operations/target";
import { withRedis } from "../provisioning/deploy/probes";
import { intervalHours, loadBackupSettings } from "./settings";
import { storeName, type BackupFile } from "./store";

const REDIS_KINDS = ["REDIS_STANDALONE", "REDIS_SENTINEL", "REDIS_TWEMPROXY"] as const;
export const isRedisKind = (kind: string) => (REDIS_KINDS as readonly string[]).includes(kind);

/** What Hedwig can back up: a live Redis service it deployed (an adopted one's files are not where the layout says). */
export async function backupableService(db: DbTx, serviceId: number) {
  const s = await db.service.findUnique({ where: { id: serviceId } });
  if (!s) throw notFound(text("errors.domain.notFound.service", { id: serviceId }));
  if (!isRedisKind(s.kind)) throw precondition(text("backups.errors.notRedis", { service: s.name }));
  if (s.isDemo || s.adopted || s.status !== "ONLINE") throw precondition(text("backups.errors.notLive", { service: s.name }));
  return s;
}

/** Holds the service's row and refuses while another job runs on it (one job per service at a time, as operations). */
export async function lockIdleService(tx: DbTx, service: { id: number; name: string }) {
  await tx.$queryRaw`SELECT "id" FROM "Service" WHERE "id" = ${service.id} FOR UPDATE`;
  const busy = await tx.job.findFirst({ where: { serviceId: service.id, status: { in: ["QUEUED", "RUNNING"] } } });
  if (busy)
    throw conflict(text("errors.domain.ops.busy", { kind: busy.kind, job: busy.id.slice(0, 8), status: busy.status.toLowerCase(), service: service.name }));
}

/** Records a backup and its job (audited; a scheduled one marked automatic), then queues it. */
export async function submitBackup(db: Db, actor: Actor | null, serviceId: number, dispatch: Dispatcher, opts: { automatic?: boolean } = {}) {
  const s = await backupableService(db, serviceId);
  const automatic = opts.automatic === true;
  const { job, backup } = await db.$transaction(async (tx) => {
    await lockIdleService(tx, s);
    const backup = await tx.backup.create({ data: { serviceId: s.id, automatic, store: storeName() } });
    const job = await createJob(tx, { kind: BACKUP_KIND, input: { backupId: backup.id }, serviceId: s.id, createdById: actor?.id ?? null, automatic });
    await tx.backup.update({ where: { id: backup.id }, data: { jobId: job.id } });
    await recordAudit(tx, actor, {
      action: BACKUP_KIND,
      entityType: "Service",
      entityId: s.id,
      text: automaticText(automatic, text("auditLog.backups.backup", { service: s.name, backup: backup.id, job: job.id.slice(0, 8) })),
      after: { backupId: backup.id, jobId: job.id, ...(automatic ? { automatic } : {}) },
    });
    return { job, backup };
  });
  await dispatch(job.id);
  return { jobId: job.id, backupId: backup.id };
}

/** A service's backups, newest first, with size and files, and the schedule that applies. */
export async function listBackups(db: DbTx, actor: Actor, serviceId: number) {
  const s = await visibleService(db, actor, serviceId);
  const [rows, settings, full] = await Promise.all([
    db.backup.findMany({ where: { serviceId }, orderBy: { createdAt: "desc" }, take: 50 }),
    loadBackupSettings(db),
    db.service.findUniqueOrThrow({ where: { id: serviceId }, select: { backupEveryHours: true, productLine: { select: { importance: true } } } }),
  ]);
  return {
    service: { id: s.id, name: s.name, kind: s.kind, productLineId: s.productLineId },
    backupable: isRedisKind(s.kind),
    everyHours: intervalHours(settings, { backupEveryHours: full.backupEveryHours, importance: full.productLine.importance }),
    ownSchedule: full.backupEveryHours !== null,
    retentionDays: settings.retentionDays,
    backups: rows.map((b) => ({
      id: b.id,
      status: b.status,
      automatic: b.automatic,
      createdAt: b.createdAt,
      finishedAt: b.finishedAt,
      bytes: Number(b.bytes),
      error: b.error,
      jobId: b.jobId,
      shards: (b.files as unknown as BackupFile[]).map((f) => ({ shard: f.shard, source: f.source, role: f.role, bytes: f.bytes, keys: f.keys })),
    })),
  };
}

/** A DBA sets one service's interval (null: back to its importance's default; 0: no schedule). Audited. */
export async function setBackupSchedule(db: Db, actor: Actor, serviceId: number, everyHours: number | null) {
  const s = await backupableService(db, serviceId);
  return db.$transaction(async (tx) => {
    await tx.service.update({ where: { id: s.id }, data: { backupEveryHours: everyHours } });
    await recordAudit(tx, actor, {
      action: "service.backupSchedule",
      entityType: "Service",
      entityId: s.id,
      text: text("auditLog.backups.schedule", {
        service: s.name,
        every: everyHours === null ? "default" : everyHours === 0 ? "none" : "hours",
        hours: everyHours ?? 0,
      }),
      before: { backupEveryHours: s.backupEveryHours },
      after: { backupEveryHours: everyHours },
    });
    return { everyHours };
  });
}

/** What an in-place restore would lose, for the confirmation: the keys now against the backup's, and the time since it. */
export async function restorePreview(db: DbTx, actor: Actor, backupId: number) {
  const b = await db.backup.findUnique({ where: { id: backupId } });
  if (!b) throw notFound(text("backups.errors.noBackup", { id: backupId }));
  const s = await visibleService(db, actor, b.serviceId);
  const files = b.files as unknown as BackupFile[];
  let keysNow: number | null = 0;
  for (const m of await db.instance.findMany({ where: { serviceId: s.id, software: "REDIS", role: "MASTER" }, select: { id: true } })) {
    const t = await loadTarget(db, m.id);
    const n = await withRedis(t, (r) => r.dbsize()).catch(() => null);
    keysNow = n === null || keysNow === null ? null : keysNow + n;
  }
  return {
    service: s.name,
    backupId: b.id,
    takenAt: b.createdAt,
    keysInBackup: files.reduce((a, f) => a + (f.keys ?? 0), 0),
    keysNow,
    status: b.status,
  };
}

/**
 * Restores a good backup into its own service (paused meanwhile; the DBA types the service's name,
 * having been told what is lost) or into another live Redis service of as many shards. Audited.
 */
export async function submitRestore(
  db: Db,
  actor: Actor | null,
  input: { backupId: number; targetServiceId?: number; confirm?: string },
  dispatch: Dispatcher,
  opts: { automatic?: boolean } = {},
) {
  const b = await db.backup.findUnique({ where: { id: input.backupId }, include: { service: { select: { name: true } } } });
  if (!b) throw notFound(text("backups.errors.noBackup", { id: input.backupId }));
  if (b.status !== "SUCCEEDED") throw precondition(text("backups.errors.notGood", { id: b.id, status: b.status.toLowerCase() }));
  const targetId = input.targetServiceId ?? b.serviceId;
  const inPlace = targetId === b.serviceId;
  const target = await backupableService(db, targetId);
  if (inPlace && input.confirm !== target.name) throw precondition(text("backups.errors.confirm", { service: target.name }));
  const files = b.files as unknown as BackupFile[];
  const masters = await db.instance.count({ where: { serviceId: target.id, software: "REDIS", role: "MASTER" } });
  // into another Twemproxy service the keys go through its proxy, which places them (any number of shards)
  if (masters !== files.length && (inPlace || target.kind !== "REDIS_TWEMPROXY"))
    throw precondition(text("backups.errors.shards", { backup: files.length, service: target.name, shards: masters }));
  const automatic = opts.automatic === true;
  const job = await db.$transaction(async (tx) => {
    await lockIdleService(tx, target);
    const job = await createJob(tx, {
      kind: RESTORE_KIND,
      input: { backupId: b.id, serviceId: target.id, inPlace } satisfies RestoreInput,
      serviceId: target.id,
      createdById: actor?.id ?? null,
      automatic,
    });
    await recordAudit(tx, actor, {
      action: RESTORE_KIND,
      entityType: "Service",
      entityId: target.id,
      text: automaticText(
        automatic,
        text("auditLog.backups.restore", {
          backup: b.id,
          service: b.service.name,
          at: b.createdAt.toISOString(),
          target: target.name,
          inPlace: inPlace ? "yes" : "no",
          job: job.id.slice(0, 8),
        }),
      ),
      after: { backupId: b.id, jobId: job.id, inPlace },
    });
    return job;
  });
  await dispatch(job.id);
  return { jobId: job.id };
}
