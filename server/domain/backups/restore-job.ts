import fs from "node:fs/promises";
import { text } from "../../../lib/text";
import type { DbTx } from "../../db/client";
import type { JobDefinition } from "../../jobs/steps";
import { withRedis } from "../provisioning/deploy/probes";
import { loadTarget } from "../operations/target";
import { appAuth } from "../credentials/store";
import { copyKeys, deleteKeys, openRdb, sha256File } from "./rdb";
import type { BackupFile } from "./store";
import { notFound, precondition } from "../errors";

export const RESTORE_KIND = "service.restore";
/** inPlace: the backup's own service, paused while its data is replaced; otherwise a new (empty) service */
export type RestoreInput = { backupId: number; serviceId: number; inPlace: boolean };
type State = { paused?: string | null };

const LOAD_TIMEOUT_MS = 30 * 60_000;

/** The target's Redis data instances and its masters by shard. */
async function targetData(db: DbTx, serviceId: number) {
  const data = await db.instance.findMany({
    where: { serviceId, software: "REDIS", role: { in: ["MASTER", "REPLICA"] } },
    orderBy: [{ shardIndex: "asc" }, { id: "asc" }],
    select: { id: true, role: true, shardIndex: true },
  });
  const masters = new Map<number, number>();
  for (const i of data) if (i.role === "MASTER") masters.set(i.shardIndex ?? 0, i.id);
  return { all: data.map((i) => i.id), masters };
}

/**
 * Where each shard's keys go. Into its own service: shard i to shard i (the same shards, the same
 * names). Into another Twemproxy service: through one of its proxies, which places every key by
 * its own servers' names (they carry the service's name, so the shards differ) — any number of
 * shards then. Into another Redis of one shard: its master.
 */
export async function checkRestore(db: DbTx, backupId: number, serviceId: number) {
  const b = await db.backup.findUnique({ where: { id: backupId } });
  if (!b) throw notFound(text("backups.errors.noBackup", { id: backupId }));
  if (b.status !== "SUCCEEDED") throw precondition(text("backups.errors.notGood", { id: b.id, status: b.status.toLowerCase() }));
  const files = b.files as unknown as BackupFile[];
  const target = await db.service.findUniqueOrThrow({ where: { id: serviceId }, select: { kind: true, name: true } });
  const { masters } = await targetData(db, serviceId);
  const viaProxy = b.serviceId !== serviceId && target.kind === "REDIS_TWEMPROXY";
  if (!viaProxy && masters.size !== files.length)
    throw precondition(text("backups.errors.shards", { backup: files.length, service: target.name, shards: masters.size }));
  let proxy: number | null = null;
  if (viaProxy) {
    const p = await db.instance.findFirst({ where: { serviceId, role: "PROXY", state: "RUNNING" }, orderBy: { id: "asc" }, select: { id: true } });
    if (!p) throw precondition(text("jobErrors.backups.noProxy"));
    proxy = p.id;
  }
  return { backup: b, files, masters, proxy };
}

/** Clients of the application's user refused (its Redis user off, its connections closed), or let in again. */
async function setAppUser(db: DbTx, serviceId: number, on: boolean): Promise<string | null> {
  const app = await appAuth(db, serviceId);
  if (!app) return null;
  const user = app.username ?? "default";
  for (const id of (await targetData(db, serviceId)).all) {
    const t = await loadTarget(db, id);
    await withRedis(t, async (r) => {
      await r.call("ACL", "SETUSER", user, on ? "on" : "off");
      if (!on) await r.call("CLIENT", "KILL", "USER", user).catch(() => 0);
    });
  }
  return user;
}

async function grantRestore(db: DbTx, masterIds: number[], user: string, on: boolean) {
  for (const id of masterIds) {
    const t = await loadTarget(db, id);
    await withRedis(t, (r) => r.call("ACL", "SETUSER", user, on ? "+restore" : "-restore"));
  }
}

export const restoreJob: JobDefinition<RestoreInput, State> = {
  kind: RESTORE_KIND,
  steps: [
    {
      name: text("backups.steps.verify"),
      run: async (ctx) => {
        const { files } = await checkRestore(ctx.db, ctx.input.backupId, ctx.input.serviceId);
        for (const f of files) {
          const sum = await sha256File(f.file).catch((e: Error) => {
            throw precondition(text("jobErrors.backups.fileUnreadable", { shard: f.shard, why: e.message }));
          });
          if (sum !== f.sha256)
            throw precondition(text("jobErrors.backups.fileChanged", { shard: f.shard, sum: sum.slice(0, 12), expected: f.sha256.slice(0, 12) }));
        }
        await ctx.log.info(text("backups.log.verified", { n: files.length }));
      },
    },
    {
      name: text("backups.steps.pause"),
      run: async (ctx) => {
        if (!ctx.input.inPlace) return;
        const user = await setAppUser(ctx.db, ctx.input.serviceId, false);
        await ctx.save({ paused: user });
        await ctx.log.info(text("backups.log.paused", { user: user ?? "-" }));
      },
      undo: async (ctx) => {
        if (ctx.state.paused) await setAppUser(ctx.db, ctx.input.serviceId, true);
      },
    },
    {
      name: text("backups.steps.load"),
      run: async (ctx) => {
        const { files, masters, proxy } = await checkRestore(ctx.db, ctx.input.backupId, ctx.input.serviceId);
        // a restore leaves the service as the backup had it: nothing written since survives
        for (const id of masters.values()) {
          const t = await loadTarget(ctx.db, id);
          const deleted = await deleteKeys(t);
          if (deleted) await ctx.log.info(text("backups.log.emptied", { keys: deleted, address: t.address }));
        }
        const app = proxy ? await appAuth(ctx.db, ctx.input.serviceId) : null;
        // through the proxy the keys arrive as the application's user, which may not RESTORE
        // (@dangerous): it may for the length of the load only, and only on these masters (not saved)
        if (proxy) await grantRestore(ctx.db, [...masters.values()], app?.username ?? "default", true);
        try {
          await loadFiles();
        } finally {
          if (proxy) await grantRestore(ctx.db, [...masters.values()], app?.username ?? "default", false);
        }
        async function loadFiles() {
          for (const f of files) {
            const t = await loadTarget(ctx.db, proxy ?? masters.get(f.shard)!);
            const to = proxy ? { ip: t.ip, port: t.port, auth: app } : t;
            const started = Date.now();
            const src = await openRdb(f.file, LOAD_TIMEOUT_MS);
            try {
              const keys = await copyKeys({ ip: "127.0.0.1", port: src.port, auth: null }, to);
              const sec = Math.max(0.001, (Date.now() - started) / 1000);
              const mb = (await fs.stat(f.file)).size / 1e6;
              await ctx.log.info(text("backups.log.loaded", { shard: f.shard, keys, address: t.address, mbps: (mb / sec).toFixed(1) }));
            } finally {
              await src.close();
            }
          }
        }
      },
    },
    {
      name: text("backups.steps.compare"),
      run: async (ctx) => {
        const { files, masters } = await checkRestore(ctx.db, ctx.input.backupId, ctx.input.serviceId);
        let keys = 0;
        for (const id of masters.values()) keys += await withRedis(await loadTarget(ctx.db, id), (r) => r.dbsize());
        const expected = files.reduce((a, f) => a + (f.keys ?? 0), 0);
        // keys with a TTL may have expired since the backup; more than it had means something else wrote
        if (keys > expected) throw precondition(text("jobErrors.backups.tooManyKeys", { keys, expected }));
        await ctx.log.info(text("backups.log.compared", { keys, expected }));
      },
    },
    {
      name: text("backups.steps.resume"),
      run: async (ctx) => {
        if (!ctx.state.paused) return;
        await setAppUser(ctx.db, ctx.input.serviceId, true);
        await ctx.log.info(text("backups.log.resumed", { user: ctx.state.paused }));
      },
    },
  ],
};
