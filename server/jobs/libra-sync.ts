import type PgBoss from "pg-boss";
import type { Db } from "../db/client";
import { log } from "../log";
import { syncIntervalSeconds } from "../domain/lb/settings";
import { hasPendingWork, poolLockKey, syncPool, type SyncTrigger } from "../domain/lb/sync";
import { holdJob } from "./ownership";

/**
 * Libra's sync. "Apply now" and rollbacks go through pg-boss like every host-touching work: one
 * message per pool ("stately", keyed by the pool, so at most one queued and one running across all
 * workers). The periodic sync needs a period in seconds, finer than pg-boss's cron schedules
 * (minutes), so each worker ticks on its own timer and runs the pools with pending work itself —
 * no queue hop, so a change goes live about one interval after it is made. Either way a sync runs
 * holding the pool's advisory lock: whichever worker gets it syncs, the others step aside, and the
 * one sync takes every pending change.
 */
export const LIBRA_QUEUE = "hedwig-libra-sync";

export type SyncMessage = { poolId: number; trigger: SyncTrigger; actorName: string };

export async function ensureLibraQueue(boss: PgBoss): Promise<void> {
  await boss.createQueue(LIBRA_QUEUE, { name: LIBRA_QUEUE, policy: "stately", retryLimit: 0, expireInSeconds: 10 * 60 });
}

export async function sendSync(boss: PgBoss, message: SyncMessage): Promise<void> {
  await boss.send(LIBRA_QUEUE, message, { singletonKey: `pool-${message.poolId}` });
}

/** Runs one pool's sync if no other worker holds the pool. */
export async function runSyncMessage(db: Db, url: string, message: SyncMessage) {
  const release = await holdJob(url, poolLockKey(message.poolId));
  if (!release) return null;
  try {
    return await syncPool(db, message.poolId, message.trigger, message.actorName);
  } finally {
    await release();
  }
}

/** Runs a periodic sync of every pool with pending work (another worker may hold some; those it leaves). */
export async function tick(db: Db, url: string): Promise<number> {
  const pools = await db.lbPool.findMany({ select: { id: true }, orderBy: { id: "asc" } });
  let ran = 0;
  for (const p of pools) {
    if (!(await hasPendingWork(db, p.id))) continue;
    if (await runSyncMessage(db, url, { poolId: p.id, trigger: "periodic", actorName: "system" })) ran++;
  }
  return ran;
}

/** Starts the worker side: the handler and the periodic tick (stopped with the queue). */
export async function startLibraSync(db: Db, boss: PgBoss, url: string): Promise<void> {
  await ensureLibraQueue(boss);
  await boss.work<SyncMessage>(LIBRA_QUEUE, { pollingIntervalSeconds: 0.5 }, async ([message]) => {
    await runSyncMessage(db, url, message!.data);
  });
  // Checks every second whether the interval (re-read each time) has passed, so a changed setting
  // takes effect at once rather than after the old interval.
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let last = 0;
  const loop = async () => {
    const seconds = await syncIntervalSeconds(db).catch(() => 10);
    if (Date.now() - last >= seconds * 1000) {
      last = Date.now();
      await tick(db, url).catch((e: Error) => log.error({ part: "libra", err: e.message }, "sync tick failed"));
    }
    if (!stopped) timer = setTimeout(() => void loop(), 1000);
    timer?.unref();
  };
  boss.on("stopped", () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  });
  void loop();
}
