import fs from "node:fs/promises";
import path from "node:path";
import type { Prisma } from "../../../generated/prisma/client";
import { english } from "../../../i18n/load";
import { text, type Text } from "../../../lib/text";
import type { Db, DbTx } from "../../db/client";
import type { JobDefinition } from "../../jobs/steps";
import { withRedis } from "../provisioning/deploy/probes";
import { loadTarget } from "../operations/target";
import { alertBackupFailed } from "./alert";
import { bgsave, checkRdb, sha256File } from "./rdb";
import { pruneBackups } from "./retention";
import { removeBackupFiles, shardFile, type BackupFile } from "./store";
import { precondition } from "../errors";

export const BACKUP_KIND = "service.backup";
export type BackupInput = { backupId: number };
type Source = { shard: number; instanceId: number; address: string; role: "MASTER" | "REPLICA" };
type State = { sources?: Source[]; files?: BackupFile[] };

/** A BGSAVE of a large dataset takes a while; past this the backup fails and alerts. */
const SAVE_TIMEOUT_MS = 30 * 60_000;

/**
 * Per shard, where to save: a running replica whose link to its master is up (the master keeps
 * serving without the fork's pause), else the master.
 */
export async function pickSources(db: DbTx, serviceId: number): Promise<Source[]> {
  const data = await db.instance.findMany({
    where: { serviceId, software: "REDIS", role: { in: ["MASTER", "REPLICA"] } },
    include: { host: { select: { ip: true } } },
    orderBy: [{ shardIndex: "asc" }, { role: "asc" }, { id: "asc" }],
  });
  const shards = [...new Set(data.map((i) => i.shardIndex ?? 0))];
  const out: Source[] = [];
  for (const shard of shards) {
    const of = data.filter((i) => (i.shardIndex ?? 0) === shard);
    let pick: (typeof of)[number] | undefined;
    for (const r of of.filter((i) => i.role === "REPLICA" && i.state === "RUNNING")) {
      const t = await loadTarget(db, r.id);
      const linked = await withRedis(t, (c) => c.info("replication")).then(
        (info) => /^master_link_status:up/m.test(info),
        () => false,
      );
      if (linked) {
        pick = r;
        break;
      }
    }
    pick ??= of.find((i) => i.role === "MASTER");
    if (!pick) throw precondition(text("jobErrors.backups.noMaster", { shard }));
    out.push({ shard, instanceId: pick.id, address: `${pick.host.ip}:${pick.port}`, role: pick.role as Source["role"] });
  }
  if (out.length === 0) throw precondition(text("jobErrors.backups.noDataInstance"));
  return out;
}

async function setFiles(db: Db, backupId: number, files: BackupFile[]) {
  await db.backup.update({
    where: { id: backupId },
    data: { files: files as unknown as Prisma.InputJsonValue, bytes: files.reduce((a, f) => a + f.bytes, 0) },
  });
}

export const backupJob: JobDefinition<BackupInput, State> = {
  kind: BACKUP_KIND,
  steps: [
    {
      name: text("backups.steps.pick"),
      run: async (ctx) => {
        const b = await ctx.db.backup.findUniqueOrThrow({ where: { id: ctx.input.backupId } });
        const sources = await pickSources(ctx.db, b.serviceId);
        for (const s of sources) await ctx.log.info(text("backups.log.source", { shard: s.shard, address: s.address, role: s.role.toLowerCase() }));
        await ctx.save({ sources });
      },
    },
    {
      name: text("backups.steps.save"),
      run: async (ctx) => {
        for (const s of ctx.state.sources!) {
          const t = await loadTarget(ctx.db, s.instanceId);
          const { ms } = await bgsave(t, SAVE_TIMEOUT_MS);
          await ctx.log.info(text("backups.log.saved", { shard: s.shard, address: s.address, seconds: (ms / 1000).toFixed(1) }));
        }
      },
    },
    {
      name: text("backups.steps.copy"),
      run: async (ctx) => {
        const b = await ctx.db.backup.findUniqueOrThrow({ where: { id: ctx.input.backupId } });
        const files: BackupFile[] = [];
        for (const s of ctx.state.sources!) {
          const t = await loadTarget(ctx.db, s.instanceId);
          const file = shardFile(b.serviceId, b.id, s.shard);
          await fs.mkdir(path.dirname(file), { recursive: true });
          const started = Date.now();
          // dbfilename is Redis's default in every config Hedwig renders
          const rdb = `${t.layout.dataDir}/dump.rdb`;
          const bytes = await t.exec.download(rdb, file);
          // Without RDB persistence (save "") Redis would load this file at its next start and come
          // back with the backup's data instead of none: it leaves the host once copied.
          const [, save] = (await withRedis(t, (r) => r.call("CONFIG", "GET", "save"))) as [string, string];
          if (save.trim() === "") await t.exec.remove(rdb);
          const sec = Math.max(0.001, (Date.now() - started) / 1000);
          files.push({ shard: s.shard, source: s.address, role: s.role, file, bytes, sha256: await sha256File(file), keys: null });
          await ctx.log.info(
            text("backups.log.copied", { shard: s.shard, mb: (bytes / 1e6).toFixed(1), mbps: (bytes / 1e6 / sec).toFixed(1), from: t.exec.describe() }),
          );
        }
        await setFiles(ctx.db, b.id, files);
        await ctx.save({ files });
      },
      undo: async (ctx) => {
        const b = await ctx.db.backup.findUniqueOrThrow({ where: { id: ctx.input.backupId } });
        await removeBackupFiles(b.serviceId, b.id);
      },
    },
    {
      name: text("backups.steps.check"),
      run: async (ctx) => {
        const files = ctx.state.files!;
        for (const f of files) {
          f.keys = (await checkRdb(f.file)).keys;
          await ctx.log.info(text("backups.log.checked", { shard: f.shard, keys: f.keys }));
        }
        await setFiles(ctx.db, ctx.input.backupId, files);
        await ctx.save({ files });
      },
    },
  ],
  onSucceeded: async (ctx) => {
    const b = await ctx.db.backup.update({ where: { id: ctx.input.backupId }, data: { status: "SUCCEEDED", finishedAt: new Date() } });
    const pruned = await pruneBackups(ctx.db, b.serviceId, new Date());
    if (pruned) await ctx.log.info(text("backups.log.pruned", { n: pruned }));
  },
  onFailed: async (ctx, error: Text | string) => {
    const b = await ctx.db.backup.update({
      where: { id: ctx.input.backupId },
      data: { status: "FAILED", finishedAt: new Date(), error: english(error).slice(0, 2000) },
    });
    await alertBackupFailed(ctx.db, b.id);
  },
};
