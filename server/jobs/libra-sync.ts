import type PgBoss from "pg-boss";
import type { Db } from "../db/client";
import { syncIntervalSeconds } from "../domain/lb/settings";
import { hasPendingWork, syncPool, type SyncTrigger } from "../domain/lb/sync";
import { holdJob } from "./ownership";

/**
 * Libra's sync runs through pg-boss like every host-touching work: one message per pool
 * ("stately", keyed by the pool, so a pool has at most one sync queued and one running across all
 * workers), and a worker runs it holding the pool's advisory lock (a second worker that somehow got
 * the same pool skips it). The period is a setting in seconds, finer than pg-boss's cron
 * schedules (minutes), so each worker ticks on its own timer and only enqueues: duplicates collapse.
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
  const release = await holdJob(url, `libra-pool-${message.poolId}`);
  if (!release) return null;
  try {
    return await syncPool(db, message.poolId, message.trigger, message.actorName);
  } finally {
    await release();
  }
}

/** Enqueues a periodic sync for every pool with pending work. */
export async function tick(db: Db, boss: PgBoss): Promise<number> {
  const pools = await db.lbPool.findMany({ select: { id: true } });
  let sent = 0;
  for (const p of pools) {
    if (await hasPendingWork(db, p.id)) {
      await sendSync(boss, { poolId: p.id, trigger: "periodic", actorName: "system" });
      sent++;
    }
  }
  return sent;
}

/** Starts the worker side: the handler and the periodic tick (stopped with the queue). */
export async function startLibraSync(db: Db, boss: PgBoss, url: string): Promise<void> {
  await ensureLibraQueue(boss);
  await boss.work<SyncMessage>(LIBRA_QUEUE, { pollingIntervalSeconds: 0.5 }, async ([message]) => {
    await runSyncMessage(db, url, message!.data);
  });
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const loop = async () => {
    await tick(db, boss).catch((e: Error) => console.error("[libra] sync tick failed:", e.message));
    const seconds = await syncIntervalSeconds(db).catch(() => 10);
    if (!stopped) timer = setTimeout(() => void loop(), seconds * 1000);
    timer?.unref();
  };
  boss.on("stopped", () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  });
  void loop();
}
