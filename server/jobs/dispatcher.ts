import type PgBoss from "pg-boss";
import { ensureLibraQueue, sendSync, type SyncMessage } from "./libra-sync";
import { dispatch, startQueue } from "./queue";

const globalForQueue = globalThis as unknown as { hedwigQueue?: Promise<PgBoss> };

/** The web process only sends to the queue; workers (in the launcher, or `npm run worker`) run the jobs. */
function webQueue(): Promise<PgBoss> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set; start Hedwig with `npm start`");
  globalForQueue.hedwigQueue ??= startQueue(url);
  return globalForQueue.hedwigQueue;
}

export async function dispatchJob(jobId: string): Promise<void> {
  await dispatch(await webQueue(), jobId);
}

/** Asks a worker for a pool's sync now (apply now, rollback). */
export async function dispatchLibraSync(message: SyncMessage): Promise<void> {
  const boss = await webQueue();
  await ensureLibraQueue(boss);
  await sendSync(boss, message);
}
