import { english } from "../../../i18n/load";
import { text, type Text } from "../../../lib/text";
import { errorText } from "../errors";
import crypto from "node:crypto";
import type { Prisma } from "../../../generated/prisma/client";
import type { Db } from "../../db/client";
import { pushAndReload, renderTarget } from "./deploy";
import { loadPoolModel } from "./store";
import { PLUGINS } from "./plugins";
import { RunLog } from "./run-log";
import { validateConfig } from "./validate";

/** The lock a pool's sync holds (see jobs/ownership.ts): one sync per pool, whatever the number of workers. */
export const poolLockKey = (poolId: number) => `libra-pool-${poolId}`;

export type SyncTrigger = "periodic" | "apply" | "rollback";
export type SyncOutcome = {
  runId: number | null;
  status: "SUCCEEDED" | "FAILED" | "NOTHING_TO_DO";
  versionNumber: number | null;
  timings: { loadMs: number; renderMs: number; validateMs: number; pushMs: number };
};

const sha256 = (s: string) => crypto.createHash("sha256").update(s).digest("hex");

/** The pool's live version: the newest applied one. */
export const liveVersion = (db: Db, poolId: number) => db.lbVersion.findFirst({ where: { poolId }, orderBy: { number: "desc" } });

/** Whether a periodic sync has work: changes newer than the last failed run (a bad file is not retried until someone changes something). */
export async function hasPendingWork(db: Db, poolId: number): Promise<boolean> {
  const lastFailed = await db.lbSyncRun.findFirst({
    where: { poolId, status: "FAILED", trigger: { not: "emergency" } },
    orderBy: { startedAt: "desc" },
    select: { startedAt: true },
  });
  const pending = await db.lbChange.count({ where: { poolId, versionId: null, ...(lastFailed ? { at: { gt: lastFailed.startedAt } } : {}) } });
  if (pending > 0) return true;
  // a pool that never had a version but has something to serve gets its first file
  return (await liveVersion(db, poolId)) === null && (await db.lbApplication.count({ where: { poolId } })) > 0;
}

/**
 * One sync of a pool: takes every pending change at once, renders the pool through its plugin,
 * validates each server's file with the real tool (a file that fails never reaches a server),
 * pushes and reloads server by server, and keeps what went live as a new version. The caller holds
 * the pool's lock (one sync per pool at a time, whatever the number of workers).
 */
export async function syncPool(db: Db, poolId: number, trigger: SyncTrigger, actorName = "system"): Promise<SyncOutcome> {
  const timings = { loadMs: 0, renderMs: 0, validateMs: 0, pushMs: 0 };
  const pool = await db.lbPool.findUniqueOrThrow({ where: { id: poolId }, include: { servers: { orderBy: { id: "asc" } } } });
  const pending = await db.lbChange.findMany({ where: { poolId, versionId: null }, orderBy: { id: "asc" } });
  const live = await liveVersion(db, poolId);
  if (trigger === "periodic" && !(await hasPendingWork(db, poolId))) return { runId: null, status: "NOTHING_TO_DO", versionNumber: null, timings };

  const log = await RunLog.open(db, poolId, trigger);
  try {
    const plugin = PLUGINS[pool.backend];
    await log.info(text("libraLog.sync.start", { trigger, pool: pool.name, backend: pool.backend, actor: actorName, n: pending.length }));
    for (const c of pending)
      await log.info(text(c.emergency ? "libraLog.sync.changeEmergency" : "libraLog.sync.change", { summary: c.summary, actor: c.actorName }));
    let t = performance.now();
    const model = await loadPoolModel(db, poolId);
    timings.loadMs = performance.now() - t;
    t = performance.now();
    const files = pool.servers.map((s) => ({ server: s, text: plugin.render(model, renderTarget(pool, s)) }));
    timings.renderMs = performance.now() - t;
    const config = files[0]?.text ?? plugin.render(model, { serverIp: "0.0.0.0", socketFile: "/dev/null" });
    await log.info(
      text("libraLog.sync.rendered", {
        apps: model.applications.length,
        members: model.applications.reduce((n, a) => n + a.members.length, 0),
        lines: config.split("\n").length,
        ms: timings.renderMs.toFixed(1),
      }),
    );

    t = performance.now();
    for (const f of files) {
      const v = await validateConfig(plugin, f.text);
      if (!v.ok) {
        await log.error(text("libraLog.sync.refused", { ip: f.server.ip, command: v.command, output: v.output }));
        await log.finish("FAILED", { error: `validation failed: ${v.output.split("\n")[0]}` });
        return { runId: log.runId, status: "FAILED", versionNumber: null, timings };
      }
    }
    timings.validateMs = performance.now() - t;
    await log.info(text("libraLog.sync.valid", { command: plugin.validateCommand("FILE").join(" "), n: files.length, ms: timings.validateMs.toFixed(0) }));

    // The same file as live is no new version (changes that cancel out); apply now still pushes it,
    // which also brings back a server that lost it.
    const sha = sha256(config);
    const restored = pending.findLast((c) => c.restoredFrom !== null)?.restoredFrom ?? null;
    const unchanged = live !== null && live.sha256 === sha && restored === null;
    t = performance.now();
    if (!(unchanged && trigger === "periodic")) for (const f of files) await pushAndReload(pool, f.server, f.text, log);
    timings.pushMs = performance.now() - t;
    if (unchanged) {
      await db.lbChange.updateMany({ where: { id: { in: pending.map((c) => c.id) } }, data: { versionId: live.id } });
      await log.info(text("libraLog.sync.unchanged", { version: live.number }));
      await log.finish("SUCCEEDED", { versionId: live.id });
      return { runId: log.runId, status: "SUCCEEDED", versionNumber: live.number, timings };
    }

    const version = await db.$transaction(async (tx) => {
      const number = ((await tx.lbVersion.aggregate({ where: { poolId }, _max: { number: true } }))._max.number ?? 0) + 1;
      const v = await tx.lbVersion.create({
        data: {
          poolId,
          number,
          reason: restored !== null ? "ROLLBACK" : trigger === "apply" ? "APPLY" : "SYNC",
          restoredFrom: restored,
          config,
          sha256: sha,
          model: model as unknown as Prisma.InputJsonValue,
          actorName,
        },
      });
      await tx.lbChange.updateMany({ where: { id: { in: pending.map((c) => c.id) } }, data: { versionId: v.id } });
      return v;
    });
    await log.info(text("libraLog.sync.live", { version: version.number, n: files.length }));
    await log.finish("SUCCEEDED", { versionId: version.id });
    return { runId: log.runId, status: "SUCCEEDED", versionNumber: version.number, timings };
  } catch (e) {
    await log.error(errorText(e));
    await log.finish("FAILED", { error: (e as Error).message });
    await noticeDbasOfFailedSync(db, pool, errorText(e));
    return { runId: log.runId, status: "FAILED", versionNumber: null, timings };
  }
}

/** A push or reload that failed leaves the pool behind its model: every DBA gets a notice (the run log has the details). */
async function noticeDbasOfFailedSync(db: Db, pool: { id: number; name: string }, error: Text | string): Promise<void> {
  const dbas = await db.user.findMany({ where: { role: "DBA", disabled: false }, select: { id: true } });
  if (dbas.length === 0) return;
  const params = { pool: pool.name, why: typeof error === "string" ? error.slice(0, 500) : error };
  await db.notification.createMany({
    data: dbas.map((u) => ({
      userId: u.id,
      code: "libraLog.notices.syncFailed",
      params,
      title: english(text("libraLog.notices.syncFailed.title", params)),
      body: english(params.why),
      link: `/libra/pools/${pool.id}`,
    })),
  });
}
